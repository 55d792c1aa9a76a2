#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A pool, reservation, boot rule or lease that cannot work is refused with
# exit 1 and a message that says why, and changes nothing.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2                         |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                       |
#   |   dummy0 10.5.0.1/8 (link)   |       |                              |
#   |   dummy1 10.6.0.1/24 no link |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
dummy_add "$ns1" dummy0 10.5.0.1/8
dummy_add "$ns1" dummy1 10.6.0.1/24
pxe1 link add dev dummy0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
pools_before=$(pxe1 -j pool show)

behaviour pool_with_inverted_range_is_refused
expect_error "pxectl: pool add p1: range start is after range end" \
	pxe1 pool add p1 dev srv0 range 10.0.1.50 10.0.1.40

behaviour pool_range_outside_netmask_is_refused
expect_error "pxectl: pool add p1: range is outside the pool's subnet" \
	pxe1 pool add p1 dev srv0 range 10.0.1.10 10.0.2.10 netmask 255.255.255.0

behaviour overlapping_pools_are_refused
expect_error "pxectl: pool add p1: range overlaps another pool" \
	pxe1 pool add p1 dev srv0 range 10.0.1.150 10.0.1.220

behaviour duplicate_pool_name_is_refused
expect_error "pxectl: pool add lan: pool name already in use" \
	pxe1 pool add lan dev srv0 range 10.0.1.10 10.0.1.20

behaviour pool_on_device_without_link_is_refused
expect_error "pxectl: pool add p1: no pxe link on this device" \
	pxe1 pool add p1 dev dummy1 range 10.6.0.10 10.6.0.20

behaviour pool_outside_every_device_subnet_needs_netmask
expect_error "pxectl: pool add p1: no subnet of the device holds the range; give 'netmask MASK'" \
	pxe1 pool add p1 dev srv0 range 10.9.0.10 10.9.0.20

behaviour pool_larger_than_65536_addresses_is_refused
expect_error "pxectl: pool add big: pool has more than 65536 addresses" \
	pxe1 pool add big dev dummy0 range 10.1.0.0 10.2.0.1
pxe1 pool add big dev dummy0 range 10.1.0.0 10.1.255.255
expect_eq "size of a 65536-address pool" 65536 \
	"$(pxe1 -j pool show big | json_query 'j[0]["size"]')"
pxe1 pool del big

behaviour pool_needs_range_or_proxy
expect_error "pxectl: pool add p1: a pool needs 'range START END', 'range6 START END' or 'proxy'" \
	pxe1 pool add p1 dev srv0
expect_error "pxectl: pool add p1: proxy pools take no range or lease options" \
	pxe1 pool add p1 dev srv0 proxy range 10.0.1.10 10.0.1.20

behaviour ipv6_pool_ranges_are_refused_with_reason
# Addresses no client can use beyond its link, or at all.
for bad in "fe80::10 fe80::20" "ff05::10 ff05::20" ":: ::5" "::1 ::1" \
	"::ffff:10.0.1.10 ::ffff:10.0.1.20" "fec0::10 fec0::20" "::10.0.1.10 ::10.0.1.20"; do
	# shellcheck disable=SC2086 # START END, two words
	expect_error "pxectl: pool add p6: range6 must hold global or unique local unicast addresses" \
		pxe1 pool add p6 dev srv0 range6 $bad
done
expect_error "pxectl: pool add p6: range6 start and end differ before their last 32 bits" \
	pxe1 pool add p6 dev srv0 range6 fd00:1::100 fd00:2::100
expect_error "pxectl: pool add p6: range start is after range end" \
	pxe1 pool add p6 dev srv0 range6 fd00:1::200 fd00:1::100
expect_error "pxectl: pool add p6: pool has more than 65536 addresses" \
	pxe1 pool add p6 dev srv0 range6 fd00:1::0:0 fd00:1::1:0
expect_error "pxectl: pool add p6: an IPv6 pool takes no IPv4 range or options" \
	pxe1 pool add p6 dev srv0 range6 fd00:1::100 fd00:1::1ff router 10.0.1.1
pxe1 pool add a6 dev srv0 range6 fd00:1::100 fd00:1::1ff
expect_error "pxectl: pool add p6: range overlaps another pool" \
	pxe1 pool add p6 dev srv0 range6 fd00:1::180 fd00:1::280
pxe1 pool del a6
expect_eq "pools after the refusals" "$pools_before" "$(pxe1 -j pool show)"

behaviour unknown_pool_is_named
expect_error "pxectl: pool del nope: no such pool" pxe1 pool del nope
expect_error "pxectl: pool show nope: no such pool" pxe1 pool show nope
expect_error "pxectl: boot add: no such pool" pxe1 boot add pool nope file x

behaviour client_side_errors_quote_the_bad_word
expect_error "pxectl: pool add p1: invalid range start '10.0.1' (expected an IPv4 address)" \
	pxe1 pool add p1 dev srv0 range 10.0.1 10.0.1.20
expect_error "pxectl: pool add p1: invalid dns '10.0.1.x' (expected an IPv4 address)" \
	pxe1 pool add p1 dev srv0 range 10.0.1.10 10.0.1.20 dns 10.0.1.53,10.0.1.x
expect_error "pxectl: pool add p1: invalid lease '0' (expected a number from 1 to 4294967295)" \
	pxe1 pool add p1 dev srv0 range 10.0.1.10 10.0.1.20 lease 0
expect_error "pxectl: host add: invalid MAC '52:54:00:12:34' (expected a MAC address like 52:54:00:12:34:56)" \
	pxe1 host add 52:54:00:12:34 ip 10.0.1.5
expect_error "pxectl: boot add: invalid arch 'efi-x65' (expected bios, efi-ia32, efi-x64, efi-bc, efi-arm32, efi-arm64, efi-ia32-http, efi-x64-http, efi-arm64-http, rpi or a number from 0 to 65535)" \
	pxe1 boot add arch efi-x65 file x
expect_error "pxectl: boot add: missing argument 'file PATH'" pxe1 boot add arch bios
expect_error "pxectl: boot del: invalid ID 'x' (expected a number from 1 to 4294967295)" \
	pxe1 boot del x

behaviour failed_pool_changes_leave_pools_as_they_were
expect_eq "pools" "$pools_before" "$(pxe1 -j pool show)"

behaviour reservation_outside_every_pool_is_refused
expect_error "pxectl: host add 52:54:00:00:00:01: reservation is outside every pool" \
	pxe1 host add 52:54:00:00:00:01 ip 10.7.0.5
pxe1 host add 52:54:00:00:00:01 ip 10.0.1.5 name one
expect_error "pxectl: host add 52:54:00:00:00:01: MAC already has a reservation" \
	pxe1 host add 52:54:00:00:00:01 ip 10.0.1.6
expect_error "pxectl: host add 52:54:00:00:00:02: address is reserved for another MAC" \
	pxe1 host add 52:54:00:00:00:02 ip 10.0.1.5
expect_error "pxectl: host del 52:54:00:00:00:02: no reservation for this MAC" \
	pxe1 host del 52:54:00:00:00:02
expect_eq "hosts" '[{"mac": "52:54:00:00:00:01", "ip": "10.0.1.5", "name": "one"}]' \
	"$(pxe1 -j host show | json_query j)"

behaviour unknown_boot_id_is_refused
id=$(pxe1 boot add arch bios file pxelinux.0)
expect_error "pxectl: boot del 99: no boot rule with this id" pxe1 boot del 99
pxe1 boot del "$id"
expect_error "pxectl: boot del $id: no boot rule with this id" pxe1 boot del "$id"

behaviour bad_leases_are_refused
expect_error "pxectl: lease del 52:54:00:00:00:09: no lease for this MAC" \
	pxe1 lease del 52:54:00:00:00:09
expect_error "pxectl: lease add 52:54:00:00:00:09: lease address is outside every pool" \
	pxe1 lease add 52:54:00:00:00:09 ip 10.8.0.1
pxe1 lease add 52:54:00:00:00:09 ip 10.0.1.120 expires 300
expect_error "pxectl: lease add 52:54:00:00:00:0a: address is leased to another client" \
	pxe1 lease add 52:54:00:00:00:0a ip 10.0.1.120
expect_eq "lease" '["10.0.1.120", "bound", "lan"]' \
	"$(pxe1 -j lease show | json_query '[j[0]["ip"], j[0]["state"], j[0]["pool"]]')"
expires=$(pxe1 -j lease show | json_query 'j[0]["expires"]')
[ "$expires" -gt 250 ] && [ "$expires" -le 300 ] || { log "expires $expires, not 250..300"; false; }
pxe1 lease del 52:54:00:00:00:09
expect_eq "leases after del" "[]" "$(pxe1 -j lease show)"

behaviour pool_del_removes_the_pool
pxe1 pool del lan
expect_eq "pools after del" "$(pxe1 -j pool show | json_query '[p["name"] for p in j]')" "[]"
