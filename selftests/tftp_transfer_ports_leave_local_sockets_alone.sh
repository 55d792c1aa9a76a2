#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TFTP transfer ports stay out of the way of the host's own UDP.  By
# default they are 61000-65535, above Linux's ephemeral ports; a range set
# with `settings set tftp-ports` is used whole except where a local UDP
# socket would receive the client's datagrams.  With a range of 2,100 ports
# of which local services hold 48 (on the server address and on 0.0.0.0),
# 2,000 sessions (tftp_client.py hold) take 2,000 of the 2,052 others and
# none of the services', and the services receive every datagram sent to
# them meanwhile; a datagram to a port nobody holds reaches the stack
# (UdpNoPorts).  Then, with only the services' ports left, a request is
# refused.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

UDP_PY=$SELFTESTS/udp_count.py

tftp_topology
pxe1 settings set tftp-sessions 4096 tftp-per-client 4096
image_random boot.img 20000
ulimit -n 8192
setting() { pxe1 -j settings show | json_query "j[0]['$1']"; }
# The server namespace's UDP NoPorts counter (/proc/net/snmp).
udp_no_ports() {
	n1 awk '$1 == "Udp:" { if (n++) print $(col); else for (i = 1; i <= NF; i++) if ($i == "NoPorts") col = i }' /proc/net/snmp
}

behaviour default_ports_are_above_the_ephemeral_range
expect_eq "tftp_port_min" 61000 "$(setting tftp_port_min)"
expect_eq "tftp_port_max" 65535 "$(setting tftp_port_max)"
read -r low high < <(n1 sysctl -n net.ipv4.ip_local_port_range)
[ "$high" -lt 61000 ] || { log "ip_local_port_range $low-$high reaches 61000"; false; }
for i in $(seq 1 10); do
	port=$(tftp_send "$(hexof '\000\001boot.img\000octet\000')" --abort |
	       sed -n 's/^from .*://p')
	[ "$port" -ge 61000 ] && [ "$port" -le 65535 ] ||
		{ log "session $i on port '$port'"; false; }
done
wait_until 10 sessions_are 0

behaviour bad_ranges_are_refused_with_the_reason
before=$(pxe1 -j settings show)
expect_error "pxectl: settings set: invalid tftp-ports '5000-4000' (the low port is above the high one)" \
	pxe1 settings set tftp-ports 5000-4000
expect_error "pxectl: settings set: invalid tftp-ports low port '80' (expected a number from 1024 to 65535)" \
	pxe1 settings set tftp-ports 80-2000
expect_error "pxectl: settings set: invalid tftp-ports high port '65536' (expected a number from 1024 to 65535)" \
	pxe1 settings set tftp-ports 1024-65536
expect_error "pxectl: settings set: invalid tftp-ports '61000' (expected LOW-HIGH, e.g. 61000-65535)" \
	pxe1 settings set tftp-ports 61000
# The kernel's own check, for a request naming one end only (pxectl always
# sends both): the high port below the low one is refused with its reason.
n1 "$PYTHON" - "$SELFTESTS" <<'PY'
import errno, sys
sys.path.insert(0, sys.argv[1])
from image_nl import Genl, expect_error
nl = Genl()
expect_error("LIMITS_SET port max 60000 alone",
             nl.request("limits-set", {"limit-tftp-port-max": 60000}),
             errno.EINVAL, "TFTP port range is empty: its low port is above its high port")
err, _, _ = nl.request("limits-set", {"limit-tftp-port-min": 80})
if err != errno.ERANGE:
    print("# LIMITS_SET port min 80: expected ERANGE (policy minimum 1024), got %d" % err)
    sys.exit(1)
PY
expect_eq "settings after the refusals" "$before" "$(pxe1 -j settings show)"

behaviour two_thousand_sessions_leave_48_local_sockets_alone
pxe1 settings set tftp-ports 62000-64099
expect_eq "tftp_port_min" 62000 "$(setting tftp_port_min)"
expect_eq "tftp_port_max" 64099 "$(setting tftp_port_max)"
# 48 services in the range, every 43rd port, half on the server address and
# half on the wildcard, and one in the ephemeral range (a DNS client's).
binds="" ports=""
for k in $(seq 0 47); do
	port=$((62000 + 43 * k))
	if [ $((k % 2)) = 0 ]; then addr=$SERVER; else addr=0.0.0.0; fi
	binds+="${binds:+,}$addr:$port"
	ports+="${ports:+,}$port"
done
binds+=",$SERVER:40000"
ports+=",40000"
n1 "$PYTHON" "$UDP_PY" serve --bind "$binds" --ready "$TFTP_DIR/udp.ready" \
	--release "$TFTP_DIR/udp.release" >"$TFTP_DIR/udp.counts" &
service=$!
wait_until 30 test -e "$TFTP_DIR/udp.ready"

n2 "$PYTHON" "$CLIENT_PY" hold "$SERVER" boot.img 2000 --ready "$TFTP_DIR/ready" \
	--release "$TFTP_DIR/release" --timeout 300 --rto 120 --ack0 \
	--ports "$TFTP_DIR/ports" &
holder=$!
wait_until 300 test -e "$TFTP_DIR/ready"
expect_eq "sessions the server answered" 2000 "$(cat "$TFTP_DIR/ready")"
# (An RRQ the client sent twice leaves a half-open session for 3 s.)
wait_until 10 sessions_are 2000
expect_eq "distinct session ports" 2000 "$(sort -u "$TFTP_DIR/ports" | wc -l)"
outside=$(awk '$1 < 62000 || $1 > 64099' "$TFTP_DIR/ports")
expect_eq "session ports outside 62000-64099" "" "$outside"
taken=$(tr ',' '\n' <<<"$ports" | sort | comm -12 - <(sort -u "$TFTP_DIR/ports"))
expect_eq "session ports a service holds" "" "$taken"

# The services' traffic while the sessions run; and to a port nobody holds.
error5=$(stat1 tftp_tx_error_5)
noports=$(udp_no_ports)
n2 "$PYTHON" "$UDP_PY" send $SERVER "$ports" --count 25 >/dev/null
n2 "$PYTHON" "$UDP_PY" send $SERVER 61999 --count 5 >/dev/null
touch "$TFTP_DIR/udp.release"
wait $service
bad=$(awk '$2 != 25' "$TFTP_DIR/udp.counts")
[ -z "$bad" ] || { log "services that missed datagrams (25 sent to each):"; log "$bad"; false; }
expect_eq "services that counted" 49 "$(wc -l <"$TFTP_DIR/udp.counts")"
expect_eq "UdpNoPorts (61999: no session, no socket)" $((noports + 5)) "$(udp_no_ports)"
expect_eq "tftp_tx_error_5" "$error5" "$(stat1 tftp_tx_error_5)"
expect_eq "tftp_sessions_active (none ended)" 2000 "$(stat1 tftp_sessions_active)"

touch "$TFTP_DIR/release"
wait $holder
wait_until 60 sessions_are 0

behaviour only_the_services_ports_left_means_refused
# A range of one port, which a local service holds: nothing is free.
pxe1 settings set tftp-ports 62000-62000
limit0=$(stat1 tftp_drop_limit)
n1 "$PYTHON" "$UDP_PY" serve --bind "$SERVER:62000" --ready "$TFTP_DIR/one.ready" \
	--release "$TFTP_DIR/one.release" >"$TFTP_DIR/one.counts" &
one=$!
wait_until 30 test -e "$TFTP_DIR/one.ready"
reply=$(tftp_send "$(hexof '\000\001boot.img\000octet\000')" --wait 2 | head -n 1)
expect_eq "answer when the only port is a service's" \
	"ERROR 0 too many transfers; try again later" "$reply"
expect_eq "tftp_drop_limit" $((limit0 + 1)) "$(stat1 tftp_drop_limit)"
touch "$TFTP_DIR/one.release"
wait $one
pxe1 settings set tftp-ports 61000-65535

behaviour server_serves_after
busybox_get boot.img "$TFTP_DIR/out"
expect_same "busybox after 2000 sessions" "$(src_of boot.img)" "$TFTP_DIR/out"
