#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The hook takes only intact datagrams addressed to the server: a frame
# whose IPv4 or UDP lengths do not fit (the total length 0-19 that once read
# past the packet), whose checksums are wrong, a fragment, a frame for
# another host, a VLAN-tagged frame, a BOOTREPLY, UDP to a port that is not
# TFTP, a GSO super-packet of three DISCOVERs: none is answered, each
# reaches the stack, which counts or delivers it.  Ethernet padding is not payload; a DISCOVER with IP options is
# answered.  The frames come from selftests/frames.py (scapy); the stack's
# side is read from the server namespace's /proc/net/snmp and a UDP sink.
#
#   +----------------------------------+       +------------------------------+
#   | $ns1 (server)                    |       | $ns2 (attacker/client)       |
#   |   srv0 10.0.1.1/24 --------------+-veth--+-- cli0 10.0.1.2/24           |
#   |   pool "lan" .100-.199, image p  |       |   frames.py run              |
#   |   frames.py sink :67 :4011 :5000 |       |                              |
#   +----------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() {
	[ -z "${SINK_PID:-}" ] || kill "$SINK_PID" 2>/dev/null
	dhcp_lib_cleanup
}

FRAMES=("$PYTHON" "$SELFTESTS/frames.py")

ensure_module
dhcp_pair
ip2 addr add 10.0.1.2/24 dev cli0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
printf 'hello' >"$WORK/p"
pxe1 image load p "$WORK/p" >/dev/null

n1 "${FRAMES[@]}" sink "$WORK/sink" 67 4011 5000 >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
wait_until 120 grep -q listening "$WORK/sink.log"
# The sink's own pid, not $! (the subshell running n1, in this namespace):
# its /proc/PID/net/snmp are the server namespace's counters.
STACK_PID=$(awk '$1 == "listening" { print $2 }' "$WORK/sink.log")
[ "$(ip netns identify "$STACK_PID")" = "$ns1" ]

mapfile -t cases < <("${FRAMES[@]}" cases)
rx_before=$(link_field "$ns1" srv0 rx_packets)
tx_errors_before=$(stat_of "$ns1" tx_errors)

rc=0
n2 "${FRAMES[@]}" run --dev cli0 --server 10.0.1.1 \
	--server-mac "$(mac_of "$ns1" srv0)" --client 10.0.1.2 \
	--stack-pid "$STACK_PID" --sink "$WORK/sink" \
	--results "$WORK/results" "${cases[@]}" || rc=$?

for c in "${cases[@]}"; do
	behaviour "$c"
	if ! grep -qx "ok $c" "$WORK/results"; then
		grep "^not ok $c" "$WORK/results" | sed 's/^/# /' || log "$c did not run"
		false
	fi
done

behaviour frames_run_completed
expect_eq "frames.py exit status" 0 "$rc"

behaviour every_frame_was_seen_by_the_hook
# rx_packets counts every frame the hook ran for, taken or not: at least
# one per case (the fragment cases send several, the TFTP case four).
rx_after=$(link_field "$ns1" srv0 rx_packets)
[ $((rx_after - rx_before)) -ge ${#cases[@]} ] || {
	log "rx_packets moved by $((rx_after - rx_before)), fewer than ${#cases[@]}"
	false
}

behaviour nothing_failed_to_send
expect_eq "tx_errors" "$tx_errors_before" "$(stat_of "$ns1" tx_errors)"

behaviour server_still_answers
n2 "${DHCP_SEND[@]}" --dev cli0 discover >"$WORK/good.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good.json" | json_query 'j["type"]')"
