#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an admin watches: `pxectl monitor` prints one line per event,
# led by the time (`12:00:01.234 lease-ack MAC ADDR pool lan`, `tftp-done
# CLIENT FILE 3.0 MB in 0.52 s (5.8 MB/s)`), `-j monitor` one JSON object
# per line with a UTC "time", `monitor tftp` only TFTP events, and SIGINT
# ends it with status 0; `pxectl stats` then shows the same traffic as a
# table grouped by protocol, drops and errors only when not zero.
#
#   +-------------------------------+       +-------------------------------+
#   | $ns1 (the server)             |       | $ns2 (the client)             |
#   |   pxe0 10.0.1.1/24 -----------+-veth--+-- peer0 10.0.1.2/24           |
#   |   pxe link, pool "lan"        |       |   busybox udhcpc, tftp        |
#   +-------------------------------+       +-------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

MONITORS=()
cleanup_test() {
	local pid
	for pid in "${MONITORS[@]}"; do kill "$pid" 2>/dev/null; done
	tftp_lib_cleanup
}

# watch FILE ARGS...: `pxectl ARGS` in $ns1, output to FILE, in the
# background; its pid is $WATCH_PID.
watch() {
	local file=$1
	shift
	# No wrapper function: $! must be pxectl itself (ip execs it).
	ip netns exec "$ns1" "$PXECTL" "$@" >"$file" 2>&1 &
	WATCH_PID=$!
	MONITORS+=("$WATCH_PID")
}

# line_matching FILE REGEX: the first line of FILE matching REGEX (ERE).
line_matching() { grep -E -m1 "$2" "$1" || { log "no line like '$2' in:"; sed 's/^/#   /' "$1"; false; }; }

TIME='[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'

tftp_topology
pxe1 pool add lan dev pxe0 range 10.0.1.100 10.0.1.199
watch "$TFTP_DIR/text" monitor
text_pid=$WATCH_PID
watch "$TFTP_DIR/json" -j monitor
json_pid=$WATCH_PID
watch "$TFTP_DIR/tftp-only" -j monitor tftp
tftp_pid=$WATCH_PID
# Subscribed before the first event (pxectl prints nothing until then).
sleep 1

behaviour monitor_prints_lease_events_with_time_mac_address_and_pool
mac=$(ip -n "$ns2" -j link show dev peer0 | json_query 'j[0]["address"]')
n2 busybox udhcpc -f -q -n -t 3 -T 1 -i peer0 -s /bin/true >/dev/null 2>&1
addr=$(pxe1 -j lease show | json_query 'j[0]["ip"]')
wait_until 10 grep -q lease-ack "$TFTP_DIR/text"
line_matching "$TFTP_DIR/text" "^$TIME lease-offer $mac $addr pool lan( |$)"
line_matching "$TFTP_DIR/text" "^$TIME lease-ack $mac $addr pool lan( |$)"

behaviour monitor_prints_tftp_done_with_size_duration_and_rate
image_random vmlinuz $((3 * 1024 * 1024))
busybox_get vmlinuz "$TFTP_DIR/got"
expect_same "busybox vmlinuz" "$(src_of vmlinuz)" "$TFTP_DIR/got"
wait_until 10 grep -q tftp-done "$TFTP_DIR/text"
line_matching "$TFTP_DIR/text" "^$TIME tftp-start 10\.0\.1\.2 vmlinuz dev pxe0 port [0-9]+ blksize 1468 windowsize 1$"
done_line=$(line_matching "$TFTP_DIR/text" "^$TIME tftp-done 10\.0\.1\.2 vmlinuz 3\.0 MB in [0-9]+\.[0-9]{2} s \([0-9]+\.[0-9] [KMG]?B/s\) dev pxe0 port [0-9]+ blksize 1468 windowsize 1$")
log "$done_line"

behaviour monitor_prints_tftp_errors_with_code
n2 timeout 30 busybox tftp -g -r nosuch.bin -l "$TFTP_DIR/none" $SERVER 2>/dev/null || true
wait_until 10 grep -q tftp-error "$TFTP_DIR/text"
line_matching "$TFTP_DIR/text" "^$TIME tftp-error 10\.0\.1\.2 nosuch\.bin dev pxe0 port [0-9]+ error 1 \".+\"$"

behaviour json_monitor_has_event_time_and_fields
wait_until 10 grep -q tftp-error "$TFTP_DIR/json"
expect_eq "lease-ack objects for $mac at $addr with a UTC time" 1 \
	"$(json_lines_count "$TFTP_DIR/json" "j['event'] == 'lease-ack' and j['mac'] == '$mac' and j['addr'] == '$addr' and j['pool'] == 'lan' and len(j['time']) == 24 and j['time'].endswith('Z')")"
expect_eq "tftp-done objects with bytes and duration" 1 \
	"$(json_lines_count "$TFTP_DIR/json" "j['event'] == 'tftp-done' and j['file'] == 'vmlinuz' and j['bytes'] == 3 * 1024 * 1024 and j['duration_ns'] > 0 and j['client'] == '10.0.1.2' and j['dev'] == 'pxe0'")"

behaviour monitor_prints_links_added_and_removed
dummy_add "$ns1" d9 10.0.9.1/24
pxe1 link add dev d9
pxe1 link del dev d9
wait_until 10 grep -q link-del "$TFTP_DIR/text"
line_matching "$TFTP_DIR/text" "^$TIME link-add dev d9 server 10\.0\.9\.1$"
line_matching "$TFTP_DIR/text" "^$TIME link-del dev d9( |$)"

behaviour monitor_tftp_prints_only_tftp_events
wait_until 10 grep -q tftp-error "$TFTP_DIR/tftp-only"
expect_eq "non-TFTP events in 'monitor tftp'" 0 \
	"$(json_lines_count "$TFTP_DIR/tftp-only" "not j['event'].startswith('tftp-')")"
expect_eq "TFTP events in 'monitor tftp'" 3 \
	"$(json_lines_count "$TFTP_DIR/tftp-only" "j['event'].startswith('tftp-')")"

behaviour sigint_ends_monitor_with_status_0
for pid in $text_pid $json_pid $tftp_pid; do
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	expect_eq "exit status of monitor $pid after SIGINT" 0 "$rc"
done
MONITORS=()

behaviour monitor_argument_errors_are_named
expect_error "pxectl: monitor: unknown argument 'leases' (expected lease, tftp or link)" \
	pxe1 monitor leases

behaviour stats_table_groups_the_same_traffic
out=$(pxe1 stats)
log "$out"
table_row() { printf '%s\n' "$out" | grep -E "^$1 " || { log "no row '$1'"; false; }; }
expect_eq "DHCP received" "DHCP received     discover 1  request 1  decline 0  release 0  inform 0  other 0" \
	"$(table_row "DHCP received")"
expect_eq "DHCP sent" "DHCP sent         offer 1  ack 1  nak 0" "$(table_row "DHCP sent")"
expect_eq "DHCP dropped" "DHCP dropped      none" "$(table_row "DHCP dropped")"
[[ $(table_row "TFTP sessions") =~ ^"TFTP sessions     active 0  started "[12]"  finished 1  timed-out 0"$ ]]
[[ $(table_row "TFTP sent") =~ ^"TFTP sent         oack "[0-9]+"  data "[0-9]+"  bytes 3145728  retransmits "[0-9]+$ ]]
expect_eq "TFTP errors sent" "TFTP errors sent  1-not-found 1" "$(table_row "TFTP errors sent")"
expect_eq "Image memory" "Image memory      3.0 MB of 512.0 MB (1%)" "$(table_row "Image memory")"
expect_eq "stats show all: zero drops listed" 12 \
	"$(pxe1 stats show all | grep '^DHCP dropped' | grep -o ' [0-9]\+' | wc -l)"
expect_eq "stats all == stats show all" "$(pxe1 stats show all)" "$(pxe1 stats all)"
expect_eq "-j stats keeps the counter names" "1 1 1 3145728" \
	"$(pxe1 -j stats | json_query '"%d %d %d %d" % (j[0]["dhcp_rx_discover"], j[0]["tftp_completed"], j[0]["tftp_tx_error_1"], j[0]["tftp_tx_bytes"])')"

behaviour stats_argument_errors_are_named
expect_error "pxectl: stats show: unknown argument 'now'" pxe1 stats show now
expect_error "pxectl: stats show: unknown argument 'now'" pxe1 stats all now
expect_error "pxectl: stats: unknown command 'now'
Try 'pxectl stats help' for the list of commands." pxe1 stats now
