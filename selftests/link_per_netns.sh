#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each network namespace is its own server: its links are its own, named by
# its own devices, and the ingress hook of one sees only that device's
# traffic.
#
#   +------------------------------+       +------------------------------+
#   | $ns1                         |       | $ns3 (the clients' side)     |
#   |   pxe0 10.0.1.1/24 ----------+-veth--+-- peer1 10.0.1.2/24          |
#   |   dummy0 10.0.3.1/24         |       |                              |
#   |          10.0.3.2/24         |       |                              |
#   +------------------------------+       |                              |
#   +------------------------------+       |                              |
#   | $ns2                         |       |                              |
#   |   pxe0 10.0.2.1/24 ----------+-veth--+-- peer2 10.0.2.2/24          |
#   +------------------------------+       +------------------------------+
#
# Both servers' devices are called pxe0 on purpose.
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
netns_add "$ns2"
netns_add "$ns3"
veth_add "$ns1" pxe0 10.0.1.1/24 "$ns3" peer1 10.0.1.2/24
veth_add "$ns2" pxe0 10.0.2.1/24 "$ns3" peer2 10.0.2.2/24
dummy_add "$ns1" dummy0 10.0.3.1/24 10.0.3.2/24

behaviour new_netns_has_no_links
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"
expect_eq "pxectl -j link show in $ns1" "[]" "$(pxe1 -j link show)"

behaviour link_add_in_ns1_shows_in_ns1
pxe1 link add dev pxe0
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"
expect_eq "ifindex of pxe0 in $ns1" \
	"$(ip1 -j link show dev pxe0 | json_query 'j[0]["ifindex"]')" \
	"$(link_field "$ns1" pxe0 ifindex)"

behaviour server_defaults_to_first_ipv4_address
expect_eq "server of pxe0 in $ns1" 10.0.1.1 "$(link_field "$ns1" pxe0 server)"
pxe1 link add dev dummy0
expect_eq "server of dummy0 (10.0.3.1 then 10.0.3.2)" 10.0.3.1 \
	"$(link_field "$ns1" dummy0 server)"

behaviour link_show_prints_one_line_per_link
out=$(pxe1 link show)
log "$out"
expect_eq "lines of link show" 2 "$(printf '%s\n' "$out" | wc -l)"
printf '%s\n' "$out" | grep -q '^dev pxe0 .*server 10\.0\.1\.1'
printf '%s\n' "$out" | grep -q '^dev dummy0 .*server 10\.0\.3\.1'
pxe1 link del dev dummy0

behaviour link_in_ns1_is_invisible_in_ns2
got=$(link_devs "$ns2")	# fails the test when the query fails
expect_eq "links in $ns2" "" "$got"
got=$(pxe2 link show)	# fails the test when the query fails
expect_eq "pxectl link show in $ns2" "" "$got"

behaviour ns2_cannot_delete_ns1_link_through_same_ifname
expect_error "pxectl: link del dev pxe0: no pxe link on this device" \
	pxe2 link del dev pxe0
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"

behaviour server_option_overrides_default
pxe2 link add dev pxe0 server 10.0.2.100
expect_eq "server of pxe0 in $ns2" 10.0.2.100 "$(link_field "$ns2" pxe0 server)"

behaviour each_netns_keeps_its_own_link
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"
expect_eq "links in $ns2" pxe0 "$(link_devs "$ns2")"
expect_eq "server of pxe0 in $ns1" 10.0.1.1 "$(link_field "$ns1" pxe0 server)"
got=$(link_devs "$ns3")	# fails the test when the query fails
expect_eq "links in $ns3" "" "$got"

behaviour rx_packets_counts_ingress_of_its_device_only
rx1=$(link_field "$ns1" pxe0 rx_packets)
rx2=$(link_field "$ns2" pxe0 rx_packets)
ping_from "$ns3" -q -c 5 -i 0.2 -W 2 10.0.1.1 >/dev/null
rx1_after=$(link_field "$ns1" pxe0 rx_packets)
rx2_after=$(link_field "$ns2" pxe0 rx_packets)
log "pxe0 in $ns1: rx_packets $rx1 -> $rx1_after; pxe0 in $ns2: $rx2 -> $rx2_after"
[ "$rx1_after" -ge $((rx1 + 5)) ] || { log "5 pings did not count on $ns1's pxe0"; false; }
expect_eq "rx_packets of $ns2's pxe0 (no traffic sent to it)" "$rx2" "$rx2_after"

behaviour ns2_traffic_counts_on_ns2_link
ping_from "$ns3" -q -c 3 -i 0.2 -W 2 10.0.2.1 >/dev/null
rx2_after=$(link_field "$ns2" pxe0 rx_packets)
[ "$rx2_after" -ge $((rx2 + 3)) ] || { log "3 pings did not count on $ns2's pxe0"; false; }
# ns1's pxe0 may see an ARP probe refreshing ns3's neighbour entry, never
# the 3 pings.
rx1_now=$(link_field "$ns1" pxe0 rx_packets)
[ "$rx1_now" -lt $((rx1_after + 3)) ] || { log "pings to $ns2 counted on $ns1's pxe0: $rx1_after -> $rx1_now"; false; }

behaviour link_del_in_ns1_leaves_ns2_alone
pxe1 link del dev pxe0
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"
expect_eq "links in $ns2" pxe0 "$(link_devs "$ns2")"
pxe2 link del dev pxe0
got=$(link_devs "$ns2")	# fails the test when the query fails
expect_eq "links in $ns2" "" "$got"

behaviour device_forwards_traffic_after_link_del
ping_from "$ns3" -q -c 1 -W 2 10.0.1.1 >/dev/null
