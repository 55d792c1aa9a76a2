#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DHCPv6 messages real clients rarely send in a test, each crafted by
# selftests/dhcp6_send.py, get the answer RFC 8415 asks for: Rapid Commit
# binds at once; Information-Request gets the DNS servers and no address;
# Confirm says Success on the link and NotOnLink off it; a Relay-Forw is
# answered with a Relay-Repl echoing the Interface-ID, and one from a
# lightweight relay (RFC 6221) from the pool of the link it came in on;
# Decline holds the address back.
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

send6() { n2 "${DHCP6_SEND[@]}" --dev cli0 "$@"; }

# status_of JSON [OPTION_PATH]: the Status Code (option 13) of a reply, as
# a number (0 when absent).
status_of() {
	json_query 'int(j["options"].get("13", "0000")[:4], 16)' <<<"$1"
}

ensure_module
dhcp6_pair
mac=$(mac_of "$ns2" cli0)
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff dns fd00:1::53

behaviour rapid_commit_solicit_gets_a_reply_and_a_bound_lease
reply=$(send6 rapid-commit | head -n 1)
expect_eq "reply type" 7 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "rapid commit echoed" "" "$(json_query 'j["options"]["14"]' <<<"$reply")"
expect_eq "lease state" bound "$(lease_field "$ns1" "$mac" state)"
expect_eq "replies counted" 1 "$(stat_of "$ns1" dhcp6_tx_reply)"

behaviour information_request_gets_dns_and_no_address
reply=$(send6 information-request | head -n 1)
expect_eq "reply type" 7 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "dns" fd000001000000000000000000000053 \
	"$(json_query 'j["options"]["23"]' <<<"$reply")"
expect_eq "no IA" False "$(json_query '"3" in j["options"]' <<<"$reply")"

behaviour confirm_on_the_link_says_success
reply=$(send6 confirm-onlink | head -n 1)
expect_eq "reply type" 7 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "status" 0 "$(status_of "$reply")"
expect_eq "status present" True "$(json_query '"13" in j["options"]' <<<"$reply")"

behaviour confirm_off_the_link_says_not_on_link
reply=$(send6 confirm-offlink | head -n 1)
expect_eq "status NotOnLink" 4 "$(status_of "$reply")"

behaviour relay_forw_gets_relay_repl_with_interface_id
reply=$(send6 relayed-solicit | head -n 1)
log "relay reply: $reply"
expect_eq "reply type" 13 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "interface-id echoed" "$(printf port7 | od -An -tx1 | tr -d ' \n')" \
	"$(json_query 'j["options"]["18"]' <<<"$reply")"
expect_eq "relayed message" 2 "$(json_query 'j["relayed"]["type"]' <<<"$reply")"
expect_eq "relayed IA present" True "$(json_query '"3" in j["relayed"]["options"]' <<<"$reply")"

behaviour lightweight_relay_gets_the_arrival_links_pool
# A lightweight relay (RFC 6221) says link-address ::: a switch, one relay
# deep on the link the message came in on.  Behind a relay, that relay's
# link-address names the link.
for kind in relayed-ldra-solicit relayed-ldra-in-relay-solicit; do
	reply=$(send6 "$kind" | head -n 1)
	log "$kind: $reply"
	expect_eq "$kind: reply type" 13 "$(json_query 'j["type"]' <<<"$reply")"
	path='j["relayed"]'
	[ "$kind" != relayed-ldra-in-relay-solicit ] || path+='["relayed"]'
	expect_eq "$kind: message inside" 2 "$(json_query "$path[\"type\"]" <<<"$reply")"
	ip_in "$(json_query "$path.get(\"ia_address\")" <<<"$reply")" fd00:1::100 fd00:1::1ff
done

behaviour lightweight_relay_behind_another_link_gets_nothing
# Behind a relay of a link no pool serves, behind a second lightweight
# relay, or from a routing relay with only a link-local link-address (its
# client is on a link of its own, not ours): no pool, no answer.
no_pool=$(stat_of "$ns1" dhcp6_drop_no_pool)
send6 relayed-offlink-ldra-solicit --timeout 2 --expect-none
send6 relayed-ldra-twice-solicit --timeout 2 --expect-none
send6 relayed-linklocal-solicit --timeout 2 --expect-none
expect_eq "dhcp6_drop_no_pool" $((no_pool + 3)) "$(stat_of "$ns1" dhcp6_drop_no_pool)"

behaviour decline_holds_the_address_back
pxe1 lease flush
declined_before=$(stat_of "$ns1" dhcp6_declined)
send6 decline >"$WORK/decline.json"
expect_eq "replies: advertise, reply, reply" "2 7 7" \
	"$(jq -r .type "$WORK/decline.json" | xargs)"
expect_eq "decline answered with Success" 0 "$(status_of "$(sed -n 3p "$WORK/decline.json")")"
expect_eq "dhcp6_declined" $((declined_before + 1)) "$(stat_of "$ns1" dhcp6_declined)"
expect_eq "lease state" declined "$(lease_field "$ns1" "$mac" state)"
# The next Solicit of the same client gets another address.
declined=$(lease_field "$ns1" "$mac" ip6)
reply=$(send6 solicit | head -n 1)
addr=$("$PYTHON" -c 'import json, sys; sys.path.insert(0, sys.argv[2])
import dhcp6_send; print(dhcp6_send.ia_address(json.loads(sys.argv[1])))' "$reply" "$SELFTESTS")
log "declined $declined, now offered $addr"
[ "$addr" != "$declined" ]
