#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A reservation's IPv6 address (`pxectl host add MAC ip6 ADDR6`) goes to
# the DHCPv6 client with that MAC whatever its DUID: a DUID-UUID client on
# the link (the MAC of its frames), a relayed one (the relay's Client
# Link-Layer Address, option 79); never to another MAC, not when the pool
# is otherwise full, not when it asks for the address.  A reservation out
# of every IPv6 pool, or of a multicast or link-local address, is refused
# with the reason; `host del` frees the address; a reservation made later
# moves the client at its next Solicit.  Frames crafted by dhcp6_send.py.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients)               |
#   |   srv0: bridge, pxe link     |       |                              |
#   |     10.0.1.1/24 fd00:1::1/64 |       |                              |
#   |     port p0 ---------------- +-veth--+-- cli0 (the reserved MAC)    |
#   |     ports p1..p4 ----------- +-veth--+-- o1..o4 (other MACs)        |
#   |   pool "lan6" ::100-::103    |       |                              |
#   |   pool "lan" .100-.150       |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

cleanup_test() { dhcp_lib_cleanup; }

# send6 DEV KIND: one KIND of dhcp6_send.py from DEV in $ns2, its replies
# as JSON lines.
send6() {
	n2 "$PYTHON" "$SELFTESTS/dhcp6_send.py" --frames "$WORK/frames6/$1" \
		--dev "$1" "$2" --timeout 3
}

# ia_of REPLY [relayed]: the IA Address of a reply's IA_NA ("None" when
# it has none), of the relayed message for a Relay-Repl.
ia_of() {
	if [ "${2:-}" = relayed ]; then
		json_query 'j["relayed"].get("ia_address")' <<<"$1"
	else
		json_query 'j.get("ia_address")' <<<"$1"
	fi
}

hosts_json() { pxe1 -j host show | json_query j; }

# host_json MAC: MAC's reservation as `pxectl -j host show` prints it.
host_json() {
	pxe1 -j host show |
		json_query "[h for h in j if h[\"mac\"] == \"$1\"]"
}

ensure_module
dhcp6_netns
# No multicast snooping: the Solicits to ff02::1:2 reach the bridge itself.
ip1 link add srv0 type bridge forward_delay 0 mcast_snooping 0
ip1 addr add 10.0.1.1/24 dev srv0
ip1 -6 addr add fd00:1::1/64 dev srv0 nodad
ip1 link set srv0 up
veth_add "$ns1" p0 "" "$ns2" cli0
ip1 link set p0 master srv0
for i in 1 2 3 4; do
	veth_add "$ns1" "p$i" "" "$ns2" "o$i"
	ip1 link set "p$i" master srv0
done
wait_until 10 has_link_local "$ns1" srv0
for dev in cli0 o1 o2 o3 o4; do
	wait_until 10 has_link_local "$ns2" "$dev"
done
mac=$(mac_of "$ns2" cli0)
pxe1 link add dev srv0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.150
# Four addresses: three for other clients once fd00:1::102 is reserved.
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::103
reserved=fd00:1::102
# Every device's frames with one import of scapy; option 79 names cli0.
n2 "$PYTHON" "$SELFTESTS/dhcp6_send.py" --dev cli0,o1,o2,o3,o4 \
	--build "$WORK/frames6" --client-mac "$mac" uuid-solicit hint-solicit \
	solicit relayed-uuid-solicit relayed-uuid-solicit-no-79

behaviour ip6_outside_every_ipv6_pool_is_refused
expect_error "pxectl: host add $mac: ip6 reservation is outside every IPv6 pool" \
	pxe1 host add "$mac" ip6 fd00:2::5
# In lan's IPv4 subnet as a v4-mapped address is no IPv6 pool either.
expect_error "pxectl: host add $mac: ip6 must be a global or unique local unicast address" \
	pxe1 host add "$mac" ip6 ::ffff:10.0.1.5
expect_error "pxectl: host add $mac: missing argument 'ip ADDR' or 'ip6 ADDR6'" \
	pxe1 host add "$mac" name nothing
expect_eq "hosts after the refusals" "[]" "$(hosts_json)"

behaviour multicast_link_local_loopback_unspecified_ip6_are_refused
for bad in ff02::1:2 fe80::5054:ff:fe00:1 ::1 :: fec0::1 ::10.0.1.100 ::ffff:10.0.1.100; do
	expect_error "pxectl: host add $mac: ip6 must be a global or unique local unicast address" \
		pxe1 host add "$mac" ip6 "$bad"
done
expect_eq "hosts after the refusals" "[]" "$(hosts_json)"

behaviour host_show_prints_ip6_in_text_and_json
pxe1 host add "$mac" ip6 "$reserved" name res6
pxe1 host add 02:00:00:00:0a:01 ip 10.0.1.120 ip6 fd00:1::120
expect_eq "host of $mac" "[{\"mac\": \"$mac\", \"ip6\": \"$reserved\", \"name\": \"res6\"}]" \
	"$(host_json "$mac")"
expect_eq "host with both" '[{"mac": "02:00:00:00:0a:01", "ip": "10.0.1.120", "ip6": "fd00:1::120"}]' \
	"$(host_json 02:00:00:00:0a:01)"
expect_eq "host show of $mac" "mac $mac ip6 $reserved name res6" \
	"$(pxe1 host show | grep "^mac $mac ")"
expect_error "pxectl: host add 02:00:00:00:0a:02: ip6 address is reserved for another MAC" \
	pxe1 host add 02:00:00:00:0a:02 ip6 "$reserved"
pxe1 host del 02:00:00:00:0a:01

behaviour other_macs_never_get_the_reserved_address
# o1 asks for it by name, in its IA_NA: another address.
reply=$(send6 o1 hint-solicit | head -n 1)
expect_eq "o1's reply" 2 "$(json_query 'j["type"]' <<<"$reply")"
o1_addr=$(ia_of "$reply")
log "o1 (asked for $reserved): $o1_addr"
[ "$o1_addr" != "$reserved" ]
ip_in "$o1_addr" fd00:1::100 fd00:1::103
reply=$(send6 o2 solicit | head -n 1)
o2_addr=$(ia_of "$reply")
reply=$(send6 o3 solicit | head -n 1)
o3_addr=$(ia_of "$reply")
log "o2: $o2_addr, o3: $o3_addr"
expect_eq "the three others' addresses" "fd00:1::100 fd00:1::101 fd00:1::103" \
	"$(printf '%s\n' "$o1_addr" "$o2_addr" "$o3_addr" | sort | xargs)"
# The pool is full but for the reservation: o4 gets NoAddrsAvail.
exhausted=$(stat_of "$ns1" dhcp6_drop_exhausted)
reply=$(send6 o4 solicit | head -n 1)
expect_eq "o4's reply" 2 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "o4's address" None "$(ia_of "$reply")"
# IA_NA: IAID, T1, T2, then a Status Code (13) NoAddrsAvail (2).
expect_eq "o4's IA status" 000d0002 \
	"$(json_query 'j["options"]["3"][24:28] + j["options"]["3"][32:36]' <<<"$reply")"
expect_eq "dhcp6_drop_exhausted" $((exhausted + 1)) "$(stat_of "$ns1" dhcp6_drop_exhausted)"

behaviour duid_uuid_client_gets_its_reservation_in_advertise_and_reply
send6 cli0 uuid-request >"$WORK/uuid.json"
expect_eq "replies: advertise, reply" "2 7" "$(jq -r .type "$WORK/uuid.json" | xargs)"
expect_eq "advertised" "$reserved" "$(ia_of "$(sed -n 1p "$WORK/uuid.json")")"
expect_eq "replied" "$reserved" "$(ia_of "$(sed -n 2p "$WORK/uuid.json")")"
expect_eq "lease ip6 of $mac" "$reserved" "$(lease_field "$ns1" "$mac" ip6)"
expect_eq "lease state of $mac" bound "$(lease_field "$ns1" "$mac" state)"
expect_eq "lease DUID type of $mac" 0004 "$(lease_field "$ns1" "$mac" duid | cut -c1-4)"

behaviour relayed_solicit_with_option_79_gets_the_reservation
pxe1 lease flush
# Without option 79 and with a DUID-UUID the server knows no MAC: the
# Ethernet source is the relay's, even when it is the reserved MAC.
reply=$(send6 cli0 relayed-uuid-solicit-no-79 | head -n 1)
expect_eq "reply type" 13 "$(json_query 'j["type"]' <<<"$reply")"
addr=$(ia_of "$reply" relayed)
log "relayed, no option 79: $addr"
[ "$addr" != "$reserved" ]
ip_in "$addr" fd00:1::100 fd00:1::103
pxe1 lease flush
# From o1's port, option 79 naming cli0's MAC.
reply=$(send6 o1 relayed-uuid-solicit | head -n 1)
expect_eq "reply type" 13 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "relayed advertise" 2 "$(json_query 'j["relayed"]["type"]' <<<"$reply")"
expect_eq "relayed address" "$reserved" "$(ia_of "$reply" relayed)"
expect_eq "lease ip6 of $mac (option 79)" "$reserved" "$(lease_field "$ns1" "$mac" ip6)"

behaviour host_del_gives_the_address_back_to_the_pool
pxe1 lease flush
pxe1 host del "$mac"
expect_eq "hosts" "[]" "$(hosts_json)"
# Anyone may have it now: o2 asks for it and gets it.
reply=$(send6 o2 hint-solicit | head -n 1)
expect_eq "o2's address" "$reserved" "$(ia_of "$reply")"
# The DUID-UUID client gets a pool address.
reply=$(send6 cli0 uuid-solicit | head -n 1)
was=$(ia_of "$reply")
log "cli0 after host del: $was"
[ "$was" != "$reserved" ]
ip_in "$was" fd00:1::100 fd00:1::103

behaviour reservation_made_later_moves_the_client_at_its_next_solicit
later=$("$PYTHON" -c '
import sys
taken = set(sys.argv[1:])
print(next(a for a in ("fd00:1::100", "fd00:1::101", "fd00:1::103")
           if a not in taken))' "$was" "$reserved")
pxe1 host add "$mac" ip6 "$later"
send6 cli0 uuid-request >"$WORK/later.json"
expect_eq "advertised" "$later" "$(ia_of "$(sed -n 1p "$WORK/later.json")")"
expect_eq "replied" "$later" "$(ia_of "$(sed -n 2p "$WORK/later.json")")"
expect_eq "lease ip6 of $mac" "$later" "$(lease_field "$ns1" "$mac" ip6)"
# One lease for the MAC, at the new address: the old one is free again.
# (Not the pool's count: the others' Solicits only held an address for
# 60 s, which a slow kernel outlives.)
expect_eq "leases of $mac" "$later" \
	"$(pxe1 -j lease show | json_query "' '.join(l.get('ip6', '') for l in j if l['mac'] == '$mac')")"
