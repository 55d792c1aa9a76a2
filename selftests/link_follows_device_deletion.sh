#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A link lives as long as its device: deleting the device (or moving it to
# another namespace) takes the link away; renaming it does not.
#
#   +-----------------------------+       +-----------------------------+
#   | $ns1                        |       | $ns2                        |
#   |   pxe0 10.0.1.1/24 ---------+-veth--+-- peer0 10.0.1.2/24         |
#   |   dummy0 10.0.2.1/24        |       |                             |
#   |   dummy1 10.0.3.1/24        |       |                             |
#   +-----------------------------+       +-----------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" pxe0 10.0.1.1/24 "$ns2" peer0 10.0.1.2/24
dummy_add "$ns1" dummy0 10.0.2.1/24
dummy_add "$ns1" dummy1 10.0.3.1/24
pxe1 link add dev pxe0
pxe1 link add dev dummy0
pxe1 link add dev dummy1

behaviour deleting_veth_removes_its_link
expect_eq "links in $ns1" "dummy0 dummy1 pxe0" "$(link_devs "$ns1")"
ip1 link del pxe0
expect_eq "links in $ns1" "dummy0 dummy1" "$(link_devs "$ns1")"

behaviour deleting_veth_peer_side_removes_the_link
veth_add "$ns1" pxe0 10.0.1.1/24 "$ns2" peer0
pxe1 link add dev pxe0
ip2 link del peer0
expect_eq "links in $ns1" "dummy0 dummy1" "$(link_devs "$ns1")"

behaviour recreated_device_has_no_link
veth_add "$ns1" pxe0 10.0.1.1/24 "$ns2" peer0
expect_eq "links in $ns1" "dummy0 dummy1" "$(link_devs "$ns1")"
expect_error "pxectl: link del dev pxe0: no pxe link on this device" \
	pxe1 link del dev pxe0

behaviour link_show_follows_device_rename
ip1 link set dummy1 down
ip1 link set dummy1 name renamed1
ip1 link set renamed1 up
expect_eq "links in $ns1" "dummy0 renamed1" "$(link_devs "$ns1")"
expect_eq "server of renamed1" 10.0.3.1 "$(link_field "$ns1" renamed1 server)"

behaviour moving_device_to_another_netns_removes_its_link
ip1 link set renamed1 netns "$ns2"
expect_eq "links in $ns1" dummy0 "$(link_devs "$ns1")"
got=$(link_devs "$ns2")	# fails the test when the query fails
expect_eq "links in $ns2" "" "$got"

behaviour deleting_last_device_leaves_link_show_empty
ip1 link del dummy0
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"
got=$(pxe1 link show)	# fails the test when the query fails
expect_eq "pxectl link show in $ns1" "" "$got"
expect_eq "pxectl -j link show in $ns1" "[]" "$(pxe1 -j link show)"
