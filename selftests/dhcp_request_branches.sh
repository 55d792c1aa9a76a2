#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The REQUEST and DECLINE branches of docs/dhcp.md ("Messages") that
# dhcp_request_states_and_messages.sh does not take:
#
#   SELECTING, our server id, an address another client holds → NAK
#     "address not available", the holder's lease untouched;
#   INIT-REBOOT for the client's own lease → ACK; for another address while
#     it has one → NAK "address not available";
#   RENEWING another client's lease → NAK ("no lease for this address"
#     from a client without one, "address not available" from a client with
#     another), the holder's lease untouched; RENEWING an address in none
#     of our subnets → silence;
#   DECLINE naming another server → ignored (lease bound, not counted).
#
# Messages are hand-made (selftests/dhcp_client.py) so every field is exact.
#
#   +------------------------------+       +--------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients, by --mac)       |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                         |
#   |   pool "lan"                 |       |                                |
#   |   10.0.1.100..10.0.1.199     |       |                                |
#   +------------------------------+       +--------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

# expect_nak REPLY MESSAGE: REPLY is a NAK from us, broadcast, with MESSAGE.
expect_nak() {
	log "$1"
	expect_eq "reply type" 6 "$(reply_field "$1" 'j["type"]')"
	expect_eq "server id" 0a000101 "$(reply_field "$1" 'j["options"].get("54")')"
	expect_eq "NAK sent to" 255.255.255.255:68 "$(reply_field "$1" 'j["to"]')"
	expect_eq "NAK message" "$2" \
		"$(reply_field "$1" 'bytes.fromhex(j["options"].get("56", "")).decode()')"
}

# lease_is MAC "IP STATE": MAC's lease as `lease show` has it (query checked).
lease_is() {
	local out
	out=$(pxe1 -j lease show) || { log "lease show failed"; return 1; }
	expect_eq "lease of $1" "$2" \
		"$(json_query "' '.join(l['ip'] + ' ' + l['state'] for l in j if l['mac'] == '$1')" <<<"$out")"
}

ensure_module
dhcp_pair
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199

holder=02:00:00:00:0a:01
other=02:00:00:00:0a:02
held=$(msg_dora "$ns2" cli0 $holder)
lease_is $holder "$held bound"

behaviour selecting_an_address_another_client_holds_is_naked
naks=$(stat_of "$ns1" dhcp_tx_nak)
reply=$(msg_client "$ns2" --dev cli0 --mac $other request --requested "$held" \
	--server-id 10.0.1.1)
expect_nak "$reply" "address not available"
expect_eq "dhcp_tx_nak" $((naks + 1)) "$(stat_of "$ns1" dhcp_tx_nak)"
lease_is $holder "$held bound"
lease_is $other ""

behaviour init_reboot_for_its_own_lease_is_acked
reply=$(msg_client "$ns2" --dev cli0 --mac $holder request --requested "$held")
log "$reply"
expect_eq "reply type" 5 "$(reply_field "$reply" 'j["type"]')"
expect_eq "yiaddr" "$held" "$(reply_field "$reply" 'j["yiaddr"]')"
lease_is $holder "$held bound"

behaviour init_reboot_for_another_address_is_naked
mine=$(msg_dora "$ns2" cli0 $other)
reply=$(msg_client "$ns2" --dev cli0 --mac $other request --requested 10.0.1.150)
expect_nak "$reply" "address not available"
lease_is $other "$mine bound"
lease_is $holder "$held bound"
pxe1 lease del $other

behaviour renewing_another_clients_lease_without_one_is_naked
ip2 addr add "$held/24" dev cli0
naks=$(stat_of "$ns1" dhcp_tx_nak)
reply=$(msg_client "$ns2" --dev cli0 --mac $other request --ciaddr "$held" --unicast \
	--to 10.0.1.1)
expect_nak "$reply" "no lease for this address"
expect_eq "dhcp_tx_nak" $((naks + 1)) "$(stat_of "$ns1" dhcp_tx_nak)"
lease_is $holder "$held bound"
lease_is $other ""

behaviour renewing_another_clients_lease_with_one_is_naked
mine=$(msg_dora "$ns2" cli0 $other)
reply=$(msg_client "$ns2" --dev cli0 --mac $other request --ciaddr "$held" --unicast \
	--to 10.0.1.1)
expect_nak "$reply" "address not available"
lease_is $holder "$held bound"
lease_is $other "$mine bound"
ip2 addr del "$held/24" dev cli0

behaviour renewing_an_address_of_no_subnet_of_ours_is_silent
ip2 addr add 10.0.5.7/24 dev cli0
ip2 route add 10.0.1.0/24 dev cli0
naks=$(stat_of "$ns1" dhcp_tx_nak)
requests=$(stat_of "$ns1" dhcp_rx_request)
msg_client "$ns2" --dev cli0 --mac 02:00:00:00:0a:03 request --ciaddr 10.0.5.7 --unicast \
	--to 10.0.1.1 --expect-none
expect_eq "dhcp_rx_request" $((requests + 1)) "$(stat_of "$ns1" dhcp_rx_request)"
expect_eq "dhcp_tx_nak" "$naks" "$(stat_of "$ns1" dhcp_tx_nak)"
lease_is 02:00:00:00:0a:03 ""
ip2 route del 10.0.1.0/24 dev cli0
ip2 addr del 10.0.5.7/24 dev cli0

behaviour decline_naming_another_server_is_ignored
declined=$(stat_of "$ns1" dhcp_declined)
declines=$(stat_of "$ns1" dhcp_rx_decline)
msg_client "$ns2" --dev cli0 --mac $holder decline --requested "$held" --server-id 10.0.1.99 \
	--timeout 0.5 --expect-none
expect_eq "dhcp_rx_decline" $((declines + 1)) "$(stat_of "$ns1" dhcp_rx_decline)"
expect_eq "dhcp_declined" "$declined" "$(stat_of "$ns1" dhcp_declined)"
lease_is $holder "$held bound"
