#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each malformed DHCPv6 frame (IPv6 payload length, UDP length, extension
# header, checksum, truncated or broken message, another server's id) is
# dropped without a reply and counted once under its own reason; one from
# a multicast or unspecified source, or a server's message, is left to the
# stack as it came; the server answers a good Solicit before and after.  selftests/dhcp6_send.py
# crafts frames broken in exactly one way with scapy.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 fd00:1::1/64 ---------+-veth--+-- cli0 fe80::               |
#   |   pool "lan6" ::100-::1ff    |       |   dhcp6_send.py              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

cleanup_test() { dhcp_lib_cleanup; }


ensure_module
dhcp6_pair
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff

behaviour good_solicit_gets_an_advertise
n2 "${DHCP6_SEND[@]}" --dev cli0 solicit >"$WORK/good.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good.json" | json_query 'j["type"]')"

# kind counter: each defect and the one counter it must move.
cases=(
	"bad-payload-length dhcp6_drop_bad_length"
	"bad-udp-length dhcp6_drop_bad_length"
	"ext-header dhcp6_drop_ext_header"
	"bad-checksum dhcp6_drop_bad_checksum"
	"zero-checksum dhcp6_drop_bad_checksum"
	"truncated dhcp6_drop_malformed"
	"bad-option dhcp6_drop_malformed"
	"foreign-server-id dhcp6_drop_not_ours"
)
counters=$(printf '%s\n' "${cases[@]}" | awk '{ print $2 }' | sort -u)

# all_counters: "name=value ..." of the drop counters and the replies sent.
all_counters() {
	# shellcheck disable=SC2086
	counters_of "$ns1" $counters dhcp6_tx_advertise dhcp6_tx_reply
}

for entry in "${cases[@]}"; do
	read -r kind counter <<<"$entry"
	behaviour "${kind//-/_}_is_dropped_and_counted"
	before=$(all_counters)
	n2 "${DHCP6_SEND[@]}" --dev cli0 "$kind" --timeout 2 --expect-none
	expect_moved "$before" "$(all_counters)" "$counter"
done

# Not for the server, whatever it asks: a reply would go to the source.
for kind in multicast-source unspecified-source; do
	behaviour "${kind//-/_}_is_left_to_the_stack"
	before=$(all_counters)
	n2 "${DHCP6_SEND[@]}" --dev cli0 "$kind" --timeout 2 --expect-none
	expect_moved "$before" "$(all_counters)" none
done

# snmp6_of NS NAME...: "name=value ..." of the stack's /proc/net/snmp6.
snmp6_of() {
	local ns=$1
	shift
	ip netns exec "$ns" "$PYTHON" -c '
import sys
snmp = dict(line.split() for line in open("/proc/net/snmp6"))
print(" ".join(f"{c}={snmp[c]}" for c in sys.argv[1:]))' "$@"
}

# A server's message is left to the stack as it came: a Relay-Repl with
# bytes after its UDP datagram reaches UDP (no socket: Udp6NoPorts), not
# cut to its UDP length and then dropped as truncated by ip6_rcv().
behaviour padded_relay_reply_reaches_the_stack_whole
before=$(snmp6_of "$ns1" Udp6NoPorts Ip6InTruncatedPkts)
n2 "${DHCP6_SEND[@]}" --dev cli0 padded-relay-reply --timeout 1 --expect-none
expect_moved "$before" "$(snmp6_of "$ns1" Udp6NoPorts Ip6InTruncatedPkts)" \
	Udp6NoPorts

behaviour server_still_answers_after_bad_input
n2 "${DHCP6_SEND[@]}" --dev cli0 solicit >"$WORK/good2.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good2.json" | json_query 'j["type"]')"

behaviour link_without_an_ipv6_pool_leaves_dhcp6_to_the_stack
pxe1 pool del lan6
before=$(all_counters)
n2 "${DHCP6_SEND[@]}" --dev cli0 bad-checksum --timeout 1 --expect-none
n2 "${DHCP6_SEND[@]}" --dev cli0 solicit --timeout 1 --expect-none
expect_eq "counters without a pool" "$before" "$(all_counters)"
