#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every allocation the module makes while it answers a packet (softirq,
# GFP_ATOMIC) fails once on its own: that one request gets no answer (or
# the documented one), the failure is counted, the next request is served,
# nothing leaks (lib.sh's kmemleak check).  No task to mark in softirq:
# lib_fault.sh's fault_softirq narrows failslab's stack filter to one
# function of the module and fails the next allocation made below it, by
# anyone.  The sites: docs/fault-injection.md.  Runs on the debug kernel
# only (selftests/debug-kernel.tests).
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 10.0.1.2/24,          |
#   |   pool "lan" .100-.199       |       |        10.0.1.3/24           |
#   |   image boot.bin (3000 B)    |       |   dhcp_send.py, tftp_probe.py|
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_fault.sh"

PROBE=("$PYTHON" "$SELFTESTS/tftp_probe.py")
HOLDER=

cleanup_test() {
	fault_lib_cleanup
	[ -z "$HOLDER" ] || { touch "$WORK/release"; wait "$HOLDER"; }
	dhcp_lib_cleanup
}

ensure_module
dhcp_pair
ip2 addr add 10.0.1.2/24 dev cli0
ip2 addr add 10.0.1.3/24 dev cli0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
head -c 3000 /dev/urandom >"$WORK/boot.bin"
pxe1 image load boot.bin "$WORK/boot.bin" >/dev/null
fault_need_machine

# delta NAME: how much counter NAME moved since `mark`.
mark() { MARK=$(pxe1 -j stats); }
delta() {
	local now
	now=$(pxe1 -j stats)
	jq -n --arg k "$1" --argjson a "$MARK" --argjson b "$now" '$b[0][$k] - $a[0][$k]'
}

# first_field FILE FIELD: FIELD of the first JSON line of FILE (one jq, no
# python: each program started costs seconds on the debug kernel).
first_field() { jq -rn --arg k "$2" 'input[$k]' <"$1"; }

discover() { n2 "${DHCP_SEND[@]}" --dev cli0 --mac "$1" discover "${@:2}"; }

# First, while no lease exists: nothing else (an expiry) sends events.
behaviour monitor_event_without_memory_is_lost_and_counted
monitor_start "$ns1" "$WORK/monitor.json"
mark
fault_softirq slab pxe_ntf_new
discover 02:00:00:00:00:04 >"$WORK/offer4.json"
fault_fired slab
expect_eq "reply to the DISCOVER" 2 "$(first_field "$WORK/offer4.json" type)"
expect_eq "monitor_drop_nomem" 1 "$(delta monitor_drop_nomem)"
discover 02:00:00:00:00:04 >/dev/null
wait_until 20 grep -q '02:00:00:00:00:04' "$WORK/monitor.json"
monitor_stop
expect_eq "events for the client (the second offer's)" 1 \
	"$(grep -c '02:00:00:00:00:04' "$WORK/monitor.json")"

behaviour discover_without_memory_for_the_lease_gets_no_offer
mark
fault_softirq slab pxe_lease_offer
discover 02:00:00:00:00:01 --expect-none
fault_fired slab
expect_eq "dhcp_drop_nomem" 1 "$(delta dhcp_drop_nomem)"
expect_eq "dhcp_tx_offer" 0 "$(delta dhcp_tx_offer)"
leases=$(pxe1 -j lease show)
expect_eq "leases of the client" 0 \
	"$(printf '%s' "$leases" | jq '[.[] | select(.mac == "02:00:00:00:00:01")] | length')"
discover 02:00:00:00:00:01 >"$WORK/offer1.json"
expect_eq "reply to the next DISCOVER" 2 "$(first_field "$WORK/offer1.json" type)"

# SELECTING for a free address the client was never offered: the lease
# is made in pxe_lease_bind.
behaviour request_without_memory_for_the_lease_gets_no_answer
mark
fault_softirq slab pxe_lease_bind
n2 "${DHCP_SEND[@]}" --dev cli0 --mac 02:00:00:00:00:02 request \
	--requested 10.0.1.150 --server-id 10.0.1.1 --expect-none
fault_fired slab
expect_eq "dhcp_drop_nomem" 1 "$(delta dhcp_drop_nomem)"
expect_eq "dhcp_tx_ack" 0 "$(delta dhcp_tx_ack)"
expect_eq "lease of 10.0.1.150" "" "$(lease_field "$ns1" 02:00:00:00:00:02 ip)"
n2 "${DHCP_SEND[@]}" --dev cli0 --mac 02:00:00:00:00:02 request \
	--requested 10.0.1.150 --server-id 10.0.1.1 >"$WORK/ack2.json"
expect_eq "reply to the next REQUEST" 5 "$(first_field "$WORK/ack2.json" type)"
expect_eq "lease of 10.0.1.150" 10.0.1.150 "$(lease_field "$ns1" 02:00:00:00:00:02 ip)"

# The offer is made, its frame is not: the client asks again and gets the
# address it was offered (held for 60 s).  The second DISCOVER follows at
# once, within the hold even on a slow emulated machine; the counters are
# read after it.
behaviour reply_without_memory_is_not_sent_and_counted
mark
fault_softirq slab pxe_tx_alloc
discover 02:00:00:00:00:03 --expect-none
held=$(lease_field "$ns1" 02:00:00:00:00:03 ip)
discover 02:00:00:00:00:03 >"$WORK/offer3.json"
fault_fired slab
expect_eq "address offered next" "$held" "$(first_field "$WORK/offer3.json" yiaddr)"
expect_eq "tx_errors" 1 "$(delta tx_errors)"
expect_eq "dhcp_tx_offer (the second DISCOVER's)" 1 "$(delta dhcp_tx_offer)"

# An established session of 10.0.1.2 keeps its per-client count: the
# session is the first allocation of its next request.
behaviour rrq_without_memory_for_the_session_gets_no_answer
n2 "${PROBE[@]}" hold 10.0.1.1 boot.bin 1 --ready "$WORK/ready" \
	--release "$WORK/release" --bind 10.0.1.2 &
HOLDER=$!
wait_until 60 test -e "$WORK/ready"
expect_eq "holder's session" "DATA 1 512" "$(cat "$WORK/ready")"
mark
fault_softirq slab rcv_rrq
expect_eq "answer" none "$(n2 "${PROBE[@]}" first 10.0.1.1 boot.bin --bind 10.0.1.2)"
fault_fired slab
expect_eq "tftp_drop_nomem" 1 "$(delta tftp_drop_nomem)"
expect_eq "tftp_drop_limit" 0 "$(delta tftp_drop_limit)"
expect_eq "tftp_sessions" 0 "$(delta tftp_sessions)"
expect_eq "answer to the retry" "DATA 1 512" \
	"$(n2 "${PROBE[@]}" first 10.0.1.1 boot.bin --bind 10.0.1.2 | head -n 1)"
touch "$WORK/release"
wait "$HOLDER"
HOLDER=

# 10.0.1.3 has no session: its count is the first allocation.
behaviour rrq_without_memory_for_the_client_count_gets_no_answer
mark
fault_softirq slab rcv_rrq
expect_eq "answer" none "$(n2 "${PROBE[@]}" first 10.0.1.1 boot.bin --bind 10.0.1.3)"
fault_fired slab
expect_eq "tftp_drop_nomem" 1 "$(delta tftp_drop_nomem)"
expect_eq "tftp_drop_limit" 0 "$(delta tftp_drop_limit)"
expect_eq "tftp_tx_error_0" 0 "$(delta tftp_tx_error_0)"
expect_eq "answer to the retry" "DATA 1 512" \
	"$(n2 "${PROBE[@]}" first 10.0.1.1 boot.bin --bind 10.0.1.3 | head -n 1)"

behaviour module_keeps_serving
discover 02:00:00:00:00:05 >"$WORK/offer5.json"
expect_eq "reply to a new client" 2 "$(first_field "$WORK/offer5.json" type)"
