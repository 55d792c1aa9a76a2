#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/dhcp.md "proxyDHCP": on a link whose only pools are proxy pools, a
# DISCOVER from a PXE client (option 60 PXEClient..., not relayed) gets an
# OFFER and still goes on to the stack; anything else on :67 -- a client
# without option 60 or with another vendor class, a PXE client's REQUEST,
# a relayed PXE DISCOVER (giaddr set) -- passes untouched: no answer, not
# counted, and the stack's socket on :67 receives it, as it was sent.  Messages are built
# with scapy (selftests/dhcp_stack.py), the stack's side is a UDP socket
# bound to srv0:67 in $ns1 (what dnsmasq would be).
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients, a relay)      |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 10.0.1.5/24           |
#   |   pool "px" proxy            |       |   down0 10.0.2.1/24 (giaddr) |
#   |   listener on srv0:67        |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

STACK=("$PYTHON" "$SELFTESTS/dhcp_stack.py")
PXE_VENDOR=PXEClient:Arch:00000:UNDI:002001

ensure_module
dhcp_pair
ip2 addr add 10.0.1.5/24 dev cli0
dummy_add "$ns2" down0 10.0.2.1/24
pxe1 pool add px dev srv0 proxy
pxe1 boot add vendor PXEClient file pxelinux.0 >/dev/null

n1 "${STACK[@]}" listen --dev srv0 --port 67 "$WORK/stack.json" >"$WORK/listen.log" 2>&1 &
CAPTURE_PIDS+=($!)
wait_until 60 grep -q listening "$WORK/listen.log" || { cat "$WORK/listen.log"; false; }

# send: the messages on standard input (one line of dhcp_stack.py send
# arguments each) from $ns2, in one process; their xids in $xids (in
# order), the replies (JSON lines) in $replies.
send() {
	local out
	out=$(n2 "${STACK[@]}" batch) || return 1
	xids=$(json_query_lines 'j["xid"]' 'xid' <<<"$out")
	replies=$(grep -v '^{"xid"' <<<"$out" || true)
	[ -z "$replies" ] || log "$replies"
}

# json_query_lines EXPR KEY: EXPR over each JSON line that has KEY.
json_query_lines() {
	"$PYTHON" -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    if sys.argv[2] in j:
        print(eval(sys.argv[1]))' "$1" "$2"
}

# reached_stack: each message sent last arrived at the stack's socket once.
reached_stack() {
	local xid
	[ -n "$xids" ] || { log "no message was sent"; return 1; }
	for xid in $xids; do
		wait_until 5 grep -q "\"xid\": $xid," "$WORK/stack.json"
		expect_eq "copies of xid $xid at the stack" 1 \
			"$(grep -c "\"xid\": $xid," "$WORK/stack.json")"
	done
}

# counters: the DHCP counters that would move if the module took a message.
counters() {
	local s
	s=$(pxe1 -j stats) || return 1
	json_query '" ".join(str(j[0][k]) for k in ("dhcp_rx_discover", "dhcp_rx_request", "dhcp_tx_offer", "dhcp_tx_ack", "dhcp_drop_no_pool"))' <<<"$s"
}

behaviour pxe_discover_is_offered_and_still_reaches_the_stack
offers=$(stat_of "$ns1" dhcp_tx_offer)
send <<<"discover --dev cli0 --mac 02:00:00:00:0b:01 --vendor $PXE_VENDOR --arch 0"
expect_eq "proxy OFFER (type yiaddr siaddr file)" "2 0.0.0.0 10.0.1.1 pxelinux.0" \
	"$(json_query '" ".join(str(j[k]) for k in ("type", "yiaddr", "siaddr", "file"))' <<<"$replies")"
expect_eq "dhcp_tx_offer" $((offers + 1)) "$(stat_of "$ns1" dhcp_tx_offer)"
reached_stack

# Each message below gets no answer, moves no counter (they only grow: the
# same values after all of them means none moved) and reaches the stack.
behaviour non_pxe_pxe_request_and_relayed_traffic_is_left_alone
before=$(counters)
send <<EOF2
discover --dev cli0 --mac 02:00:00:00:0b:02
discover --dev cli0 --mac 02:00:00:00:0b:03 --vendor "MSFT 5.0"
request --dev cli0 --mac 02:00:00:00:0b:04 --vendor $PXE_VENDOR --arch 0 --requested 10.0.1.60 --server-id 10.0.1.254
discover --dev cli0 --mac 02:00:00:00:0b:05 --vendor $PXE_VENDOR --arch 0 --giaddr 10.0.2.1 --sport 67 --to 10.0.1.1 --no-bind-dev
EOF2
expect_eq "replies" "" "$replies"
after=$(counters)
expect_eq "rx_discover rx_request tx_offer tx_ack drop_no_pool" "$before" "$after"
expect_eq "messages sent" 4 "$(wc -w <<<"$xids")"
reached_stack
expect_eq "what the stack saw (type vendor giaddr)" "1 None 0.0.0.0
1 MSFT 5.0 0.0.0.0
3 $PXE_VENDOR 0.0.0.0
1 $PXE_VENDOR 10.0.2.1" "$(for xid in $xids; do
	grep "\"xid\": $xid," "$WORK/stack.json" | json_query '" ".join(str(j[k]) for k in ("type", "vendor", "giaddr"))'
done)"
leases=$(pxe1 -j lease show)
expect_eq "leases" "[]" "$leases"
