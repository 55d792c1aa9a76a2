# SPDX-License-Identifier: GPL-2.0
#
# Shared by the DHCP selftests (selftests/dhcp_*.sh).  Source it after
# lib.sh:
#
#	set -e
#	source "$(dirname "$0")/lib.sh"
#	source "$(dirname "$0")/lib_dhcp.sh"
#
# The clients are real ones (busybox udhcpc, ISC dhclient, dhcpcd); each
# runs with a script that dumps its environment per event into a file,
# which env_of reads back.  Everything a test writes goes under $WORK (in
# the guest's /tmp).

WORK=$(mktemp -d "/tmp/pxe-$TEST_NAME.XXXXXX")
DHCP_SEND=("$PYTHON" "$SELFTESTS/dhcp_send.py")
CAPTURE_PIDS=()
DAEMON_PIDS=()		# servers beside the module: dnsmasq_start, httpd

dhcp_lib_cleanup() {
	local pid
	for pid in "${CAPTURE_PIDS[@]}" "${DAEMON_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	CAPTURE_PIDS=() DAEMON_PIDS=()
	rm -rf "$WORK"
}

# wait_until SECONDS CMD...: polls CMD (every 0.2 s) until it succeeds.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		if [ $SECONDS -ge $deadline ]; then
			log "timed out waiting for: $*"
			return 1
		fi
		sleep 0.2
	done
}

# dhcp_scripts: the clients' hook scripts in $WORK.  Each writes its
# environment per event: udhcpc to $DHCP_OUT.EVENT (bound, renew,
# deconfig...), dhclient to $WORK/dhclient.REASON and dhcpcd to
# $WORK/dhcpcd.REASON (BOUND, RENEW, REBOOT...: those two give their
# scripts an environment of their own, so the path is written in).  The
# udhcpc and dhclient scripts also apply the lease, so that a renew or a
# release can be unicast from the leased address.
dhcp_scripts() {
	cat >"$WORK/udhcpc.sh" <<-'EOF'
	#!/bin/sh
	case "$1" in
	bound) ip addr add "$ip/$mask" dev "$interface" ;;
	deconfig) ip addr flush dev "$interface" ;;
	esac
	env >"$DHCP_OUT.$1"
	EOF
	cat >"$WORK/dhclient.sh" <<-EOF
	#!/bin/sh
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	case "\$reason" in
	BOUND|RENEW|REBIND|REBOOT)
		ip addr replace "\$new_ip_address/\$new_subnet_mask" dev "\$interface" ;;
	RELEASE|EXPIRE|STOP)
		ip addr flush dev "\$interface" ;;
	esac
	env >"$WORK/dhclient.\$reason"
	EOF
	cat >"$WORK/dhcpcd.sh" <<-EOF
	#!/bin/sh
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	env >"$WORK/dhcpcd.\$reason"
	EOF
	cat >"$WORK/env.sh" <<-'EOF'
	#!/bin/sh
	env >"$DHCP_OUT.$1"
	EOF
	chmod +x "$WORK"/*.sh
}

# env_of FILE VAR: the value of VAR in an environment dump.
env_of() {
	sed -n "s/^$2=//p" "$1"
}

# udhcpc_once NS IF OUT [ARGS...]: one busybox udhcpc DORA; the events'
# environments land in OUT.bound etc.  Fails when no lease came.
udhcpc_once() {
	local ns=$1 dev=$2 out=$3
	shift 3
	DHCP_OUT=$out ip netns exec "$ns" busybox udhcpc -f -q -n -t 3 -T 1 \
		-i "$dev" -s "$WORK/env.sh" "$@" >"$out.log" 2>&1 || {
		log "udhcpc on $dev in $ns got no lease:"
		sed 's/^/#   /' "$out.log"
		return 1
	}
}

# ip_in ADDR START END: ADDR lies in START..END (IPv4 or IPv6).
ip_in() {
	"$PYTHON" -c '
import ipaddress, sys
a, s, e = (ipaddress.ip_address(x) for x in sys.argv[1:4])
sys.exit(0 if s <= a <= e else 1)' "$1" "$2" "$3" || {
		log "address '$1' is not in $2..$3"
		return 1
	}
}

# lease_field NS MAC FIELD: one field of MAC's lease in NS ("" if none).
lease_field() {
	local out
	out=$("$PXECTL" -n "$1" -j lease show) || return 1
	json_pick mac "$2" "$3" <<<"$out"
}

# lease_gone NS MAC: MAC has no lease in NS (fails when the query does).
lease_gone() {
	local ip
	ip=$(lease_field "$1" "$2" ip) || return 1
	[ -z "$ip" ]
}

# monitor_event FILE EVENT MAC FIELD: FIELD of the first EVENT for MAC in
# a `pxectl -j monitor` output ("" if none).
monitor_event() {
	"$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("event") == sys.argv[2] and e.get("mac") == sys.argv[3]:
        print(e.get(sys.argv[4], ""))
        break' "$@"
}

# capture_start NS DEV FILE [--ipv6]: DEV's DHCP frames into FILE (pcap),
# in the background (selftests/dhcp_capture.py: tshark's own capture does
# not work in the VM's namespaces); with --ipv6 its IPv6 UDP frames and
# Router Solicitations and Advertisements instead.  Returns once it
# listens (on the debug kernel beside other VMs, once not within 20 s:
# the bound is 90).
capture_start() {
	local ns=$1 dev=$2 file=$3
	ip netns exec "$ns" "$PYTHON" "$SELFTESTS/dhcp_capture.py" "${@:4}" "$dev" "$file" \
		>"$file.log" 2>&1 &
	CAPTURE_PIDS+=($!)
	wait_until 90 grep -q listening "$file.log" || {
		log "dhcp_capture.py on $dev: $(cat "$file.log")"
		return 1
	}
}

# capture_stop: ends every capture.
capture_stop() {
	local pid
	for pid in "${CAPTURE_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	CAPTURE_PIDS=()
}

# capture_summary FILE [--ipv6]: tshark's reading of FILE's DHCP packets
# (with --ipv6, of its IPv6 packets) as a JSON array (see
# selftests/dhcp_pcap.py), computed once.
capture_summary() {
	[ -s "$1.json" ] || "$PYTHON" "$SELFTESTS/dhcp_pcap.py" "${@:2}" "$1" >"$1.json"
	cat "$1.json"
}

# capture_clean FILE MIN: FILE holds at least MIN BOOTREPLYs, and tshark
# finds no packet malformed and no expert item of warning or worse
# (what `tshark -r FILE -Y '_ws.malformed || _ws.expert.severity >=
# warning'` would print), but for tshark's note on a request's arch 9.
capture_clean() {
	capture_summary "$1" | "$PYTHON" -c '
import json, sys
packets = json.load(sys.stdin)
replies = [p for p in packets if p.get("dhcp.type") == "2"]
# tshark notes option 93 = 9 in a request as "often incorrectly used for
# EFI x64": old x64 firmware sends it, and the tests send it on purpose.
NOTE_ARCH_9 = "Client Architecture ID 9 is often incorrectly used for EFI x64"
bad = [p for p in packets
       if [m for m in p["problems"]
           if p.get("dhcp.type") == "2" or m != NOTE_ARCH_9]]
for p in bad:
    print("# tshark flags:", json.dumps(p))
if len(replies) < int(sys.argv[1]):
    print(f"# {len(replies)} server replies captured, expected at least {sys.argv[1]}")
    sys.exit(1)
sys.exit(1 if bad else 0)' "$2"
}

# capture_count FILE EXPR: how many of FILE's DHCP packets `p` make the
# Python expression EXPR true (fields as in selftests/dhcp_pcap.py).
capture_count() {
	capture_summary "$1" | json_query "len([p for p in j if $2])"
}

# dnsmasq_start NS DEV START END: dnsmasq in NS as the DHCP server of DEV
# handing out START..END (/24, 300 s; no DNS, no boot options) until
# dhcp_lib_cleanup; returns once its sockets are bound.
dnsmasq_start() {
	ip netns exec "$1" dnsmasq -d -k --conf-file=/dev/null --port=0 \
		--user=root --group=root --interface="$2" --bind-interfaces \
		--no-ping --leasefile-ro --pid-file="$WORK/dnsmasq.pid" \
		--dhcp-range="$3,$4,255.255.255.0,300" >"$WORK/dnsmasq.log" 2>&1 &
	DAEMON_PIDS+=($!)
	wait_until 20 grep -q "sockets bound exclusively" "$WORK/dnsmasq.log"
}

# dhcp_pair: the basic topology, server in $ns1, client in $ns2,
#
#   $ns1: srv0 10.0.1.1/24 --veth-- cli0 (no address) :$ns2
#
# with a pxe link on srv0.
dhcp_pair() {
	netns_add "$ns1"
	netns_add "$ns2"
	veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0
	pxe1 link add dev srv0
}

# msg_client NS ARGS...: one hand-made message from NS (dhcp_client.py,
# every field exact); prints the reply's JSON.
msg_client() {
	local ns=$1
	shift
	ip netns exec "$ns" "$PYTHON" "$SELFTESTS/dhcp_client.py" "$@"
}

# reply_field JSON EXPR: EXPR over the reply `j` (options: j['options']['54']).
reply_field() { json_query "$2" <<<"$1"; }

# named_reply JSON_LINES NAME EXPR: EXPR over the one reply named NAME
# among JSON_LINES (the "name" of rpi_boot.py's replies and of
# dhcp_stack.py send --name's).
named_reply() { grep "\"name\": \"$2\"" <<<"$1" | json_query "$3"; }

# named_option JSON_LINES NAME CODE: that reply's option CODE in hex as on
# the wire, "absent" if it has none.
named_option() {
	named_reply "$1" "$2" "j.get('options', {}).get('$3', 'absent')"
}

# msg_dora NS DEV MAC: DISCOVER + SELECTING REQUEST to 10.0.1.1; prints the
# ACKed address.
msg_dora() {
	local offer ack addr
	# Command substitutions run without set -e: every step says so itself.
	offer=$(msg_client "$1" --dev "$2" --mac "$3" discover) || return 1
	addr=$(reply_field "$offer" 'j["yiaddr"]')
	ack=$(msg_client "$1" --dev "$2" --mac "$3" request --requested "$addr" \
		--server-id 10.0.1.1) || return 1
	expect_eq "reply to the REQUEST for $addr" 5 \
		"$(reply_field "$ack" 'j["type"]')" >&2 || return 1
	echo "$addr"
}

# counters_of NS NAME...: "name=value ..." of those counters of NS's server.
counters_of() {
	local ns=$1
	shift
	"$PXECTL" -n "$ns" -j stats | "$PYTHON" -c '
import json, sys
j = json.load(sys.stdin)[0]
print(" ".join(f"{c}={j[c]}" for c in sys.argv[1:]))' "$@"
}

# expect_moved BEFORE AFTER COUNTER: of the "name=value ..." counters BEFORE
# and AFTER, COUNTER is up by one and every other the same.
expect_moved() {
	"$PYTHON" -c '
import sys
before = dict(kv.split("=") for kv in sys.argv[1].split())
after = dict(kv.split("=") for kv in sys.argv[2].split())
want = {k: int(v) + (k == sys.argv[3]) for k, v in before.items()}
got = {k: int(v) for k, v in after.items()}
if want != got:
    print("# counters: expected", want)
    print("# counters: got     ", got)
    sys.exit(1)' "$1" "$2" "$3"
}

# perfdhcp_run ARGS...: perfdhcp -4 on cli0 in $ns2 (60 s at most), its
# report in $WORK/perfdhcp.txt.  Exit 3 (some exchange dropped) is left to
# the caller's reading of the report; any other failure prints it and fails.
perfdhcp_run() {
	local rc=0
	(cd "$WORK" && n2 timeout 60 perfdhcp -4 -l cli0 "$@") \
		>"$WORK/perfdhcp.txt" 2>&1 || rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		sed 's/^/#   /' "$WORK/perfdhcp.txt"
		return 1
	fi
}
