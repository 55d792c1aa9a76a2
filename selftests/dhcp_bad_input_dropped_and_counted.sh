#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each malformed DHCP message is dropped without a reply and counted once
# under its own reason; the server answers a good DISCOVER afterwards.
# selftests/dhcp_send.py makes messages broken in exactly one way.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 10.0.1.2/24           |
#   |   pool "lan" .100-.199       |       |   dhcp_send.py               |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
ip2 addr add 10.0.1.2/24 dev cli0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199

behaviour good_discover_gets_an_offer
n2 "${DHCP_SEND[@]}" --dev cli0 discover >"$WORK/good.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good.json" | json_query 'j["type"]')"

# kind counter: each defect and the one counter it must move.
cases=(
	"truncated dhcp_drop_truncated"
	"bad-cookie dhcp_drop_bad_cookie"
	"bad-option dhcp_drop_bad_option"
	"bad-overload dhcp_drop_bad_overload"
	"bad-hlen dhcp_drop_bad_hlen"
	"bad-htype dhcp_drop_bad_htype"
	"bad-op dhcp_drop_bad_op"
)
counters=$(printf '%s\n' "${cases[@]}" | awk '{ print $2 }')

# all_counters: "name=value ..." of the drop counters and dhcp_tx_offer.
all_counters() {
	# shellcheck disable=SC2086
	counters_of "$ns1" $counters dhcp_tx_offer
}

for entry in "${cases[@]}"; do
	read -r kind counter <<<"$entry"
	for to in broadcast unicast; do
		behaviour "${kind//-/_}_${to}_is_dropped_and_counted"
		before=$(all_counters)
		dest=255.255.255.255
		[ $to = broadcast ] || dest=10.0.1.1
		n2 "${DHCP_SEND[@]}" --dev cli0 "$kind" --to "$dest" --timeout 2 --expect-none
		expect_moved "$before" "$(all_counters)" "$counter"
	done
done

behaviour server_still_answers_after_bad_input
n2 "${DHCP_SEND[@]}" --dev cli0 discover >"$WORK/good2.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good2.json" | json_query 'j["type"]')"
