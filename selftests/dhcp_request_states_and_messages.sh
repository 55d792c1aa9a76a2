#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The server answers each client state and message of RFC 2131 as
# docs/dhcp.md says: INIT-REBOOT (NAK off-subnet, silence for a stranger),
# SELECTING for another server (silence, counted), INFORM (options, no
# lease), DECLINE (quarantine, another address next time), RENEWING (same
# address), a relay's DISCOVER (OFFER to giaddr:67, option 82 echoed) and
# lease expiry (gone, monitor event).  Messages are hand-made
# (selftests/dhcp_client.py) so every field is exact.
#
#   +------------------------------+       +--------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                  |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (10.0.1.2/24 for INFORM,|
#   |   pool "lan"                 |       |    the lease for RENEWING)     |
#   |   10.0.1.100..10.0.1.199     |       +--------------------------------+
#   |                              |       +--------------------------------+
#   |   srv1 10.0.3.1/24 ----------+-veth--+-- r-srv 10.0.3.2/24            |
#   |   pool "remote"              |       | $ns3 (relay agent)             |
#   |   10.0.2.100..10.0.2.150     |       |   down0 10.0.2.1/24 (giaddr)   |
#   +------------------------------+       +--------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
netns_add "$ns3"
veth_add "$ns1" srv1 10.0.3.1/24 "$ns3" r-srv 10.0.3.2/24
dummy_add "$ns3" down0 10.0.2.1/24
pxe1 link add dev srv1
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
pxe1 pool add remote dev srv1 range 10.0.2.100 10.0.2.150 netmask 255.255.255.0
monitor_start "$ns1" "$WORK/monitor.json"
ours=0a000101	# 10.0.1.1, option 54 as hex

behaviour init_reboot_off_subnet_is_naked_stranger_gets_silence
naks=$(stat_of "$ns1" dhcp_tx_nak)
reply=$(msg_client "$ns2" --dev cli0 --mac 02:00:00:00:01:01 request --requested 10.0.9.9)
log "$reply"
expect_eq "reply type" 6 "$(reply_field "$reply" 'j["type"]')"
expect_eq "server id" $ours "$(reply_field "$reply" 'j["options"].get("54")')"
expect_eq "NAK sent to" 255.255.255.255:68 "$(reply_field "$reply" 'j["to"]')"
expect_eq "message" "address not on this network" \
	"$(reply_field "$reply" 'bytes.fromhex(j["options"]["56"]).decode()')"
expect_eq "dhcp_tx_nak" $((naks + 1)) "$(stat_of "$ns1" dhcp_tx_nak)"
msg_client "$ns2" --dev cli0 --mac 02:00:00:00:01:02 request --requested 10.0.1.120 \
	--expect-none
lease_gone "$ns1" 02:00:00:00:01:02

behaviour selecting_for_another_server_is_silent_and_counted
mac=02:00:00:00:02:01
offer=$(msg_client "$ns2" --dev cli0 --mac $mac discover)
addr=$(reply_field "$offer" 'j["yiaddr"]')
expect_eq "lease state after the OFFER" offered "$(lease_field "$ns1" $mac state)"
drops=$(stat_of "$ns1" dhcp_drop_not_ours)
msg_client "$ns2" --dev cli0 --mac $mac request --requested "$addr" --server-id 10.0.1.99 \
	--expect-none
expect_eq "dhcp_drop_not_ours" $((drops + 1)) "$(stat_of "$ns1" dhcp_drop_not_ours)"
lease_gone "$ns1" $mac

behaviour inform_gets_options_and_no_lease
mac=02:00:00:00:03:01
ip2 addr add 10.0.1.2/24 dev cli0
reply=$(msg_client "$ns2" --dev cli0 --mac $mac inform --ciaddr 10.0.1.2 --unicast)
log "$reply"
expect_eq "reply type" 5 "$(reply_field "$reply" 'j["type"]')"
expect_eq "yiaddr" 0.0.0.0 "$(reply_field "$reply" 'j["yiaddr"]')"
expect_eq "ciaddr" 10.0.1.2 "$(reply_field "$reply" 'j["ciaddr"]')"
expect_eq "ACK sent to" 10.0.1.2:68 "$(reply_field "$reply" 'j["to"]')"
expect_eq "lease time options" "[]" \
	"$(reply_field "$reply" '[c for c in ("51", "58", "59") if c in j["options"]]')"
expect_eq "netmask" ffffff00 "$(reply_field "$reply" 'j["options"].get("1")')"
lease_gone "$ns1" $mac

behaviour decline_quarantines_the_address
mac=02:00:00:00:04:01
declined=$(stat_of "$ns1" dhcp_declined)
addr=$(msg_dora "$ns2" cli0 $mac)
msg_client "$ns2" --dev cli0 --mac $mac decline --requested "$addr" --server-id 10.0.1.1 \
	--timeout 0.5 --expect-none
expect_eq "dhcp_declined" $((declined + 1)) "$(stat_of "$ns1" dhcp_declined)"
expect_eq "leases on $addr" '["declined"]' \
	"$(pxe1 -j lease show | json_query "[l['state'] for l in j if l['ip'] == '$addr']")"
offer=$(msg_client "$ns2" --dev cli0 --mac $mac discover)
next=$(reply_field "$offer" 'j["yiaddr"]')
log "declined $addr, next offer $next"
[ "$next" != "$addr" ] || { log "the declined address was offered again"; false; }
ip_in "$next" 10.0.1.100 10.0.1.199

behaviour renewing_keeps_the_address
mac=$(mac_of "$ns2" cli0)
addr=$(msg_dora "$ns2" cli0 "$mac")
ip2 addr add "$addr/24" dev cli0
reply=$(msg_client "$ns2" --dev cli0 request --ciaddr "$addr" --unicast --to 10.0.1.1)
log "$reply"
expect_eq "reply type" 5 "$(reply_field "$reply" 'j["type"]')"
expect_eq "yiaddr" "$addr" "$(reply_field "$reply" 'j["yiaddr"]')"
expect_eq "ACK sent to" "$addr:68" "$(reply_field "$reply" 'j["to"]')"
expect_eq "lease of $mac" "$addr bound" \
	"$(lease_field "$ns1" "$mac" ip) $(lease_field "$ns1" "$mac" state)"

behaviour relayed_discover_is_offered_to_giaddr_with_option_82
opt82=010465746837020602000000aa01	# circuit-id "eth7", remote-id (6 bytes)
reply=$(msg_client "$ns3" --dev r-srv --mac 02:00:00:00:06:01 discover --giaddr 10.0.2.1 \
	--option82 $opt82 --sport 67 --to 10.0.3.1)
log "$reply"
expect_eq "reply type" 2 "$(reply_field "$reply" 'j["type"]')"
expect_eq "OFFER sent to" 10.0.2.1:67 "$(reply_field "$reply" 'j["to"]')"
expect_eq "giaddr" 10.0.2.1 "$(reply_field "$reply" 'j["giaddr"]')"
expect_eq "option 82" $opt82 "$(reply_field "$reply" 'j["options"].get("82")')"
ip_in "$(reply_field "$reply" 'j["yiaddr"]')" 10.0.2.100 10.0.2.150

behaviour lease_expires_and_the_monitor_says_so
pxe1 pool del lan
pxe1 pool add short dev srv0 range 10.0.1.100 10.0.1.109 lease 2
mac=02:00:00:00:07:01
addr=$(msg_dora "$ns2" cli0 $mac)
wait_until 10 lease_gone "$ns1" $mac
wait_until 5 grep -q '"lease-expire"' "$WORK/monitor.json"
expect_eq "address in the lease-expire event for $mac" "$addr" \
	"$(monitor_event "$WORK/monitor.json" lease-expire $mac addr)"
