#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module unloads with a link attached, its generic netlink family goes
# away with it, and a second insmod brings everything back.
#
#   +---------------------------+
#   | $ns1                      |
#   |   dummy0 10.0.1.1/24      |
#   |   (pxe link, then rmmod)  |
#   +---------------------------+
#
# pxectl run while the module is out must say so plainly.
set -e
source "$(dirname "$0")/lib.sh"

behaviour module_is_loaded
ensure_module
[ -d /sys/module/pxe ]
pxe0 link show >/dev/null

netns_add "$ns1"
dummy_add "$ns1" dummy0 10.0.1.1/24

behaviour rmmod_with_a_link_attached_succeeds
pxe1 link add dev dummy0
expect_eq "links in $ns1" dummy0 "$(link_devs "$ns1")"
rmmod pxe
[ ! -d /sys/module/pxe ]

behaviour pxectl_says_module_not_loaded_while_unloaded
expect_error 'pxectl: pxe module not loaded (generic netlink family "pxe" not found)' \
	pxe0 link show
expect_error 'pxectl: pxe module not loaded (generic netlink family "pxe" not found)' \
	pxe1 link add dev dummy0

behaviour device_still_works_after_unload
ip1 link set dummy0 down
ip1 link set dummy0 up
ip1 addr show dev dummy0 | grep -q 10.0.1.1

behaviour insmod_again_restores_the_family
insmod "$PXE_KO"
[ -d /sys/module/pxe ]
pxe0 link show >/dev/null

behaviour links_do_not_survive_a_reload
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1 after reload" "" "$got"
got=$(pxe1 link show)	# fails the test when the query fails
expect_eq "pxectl link show output" "" "$got"

behaviour link_add_works_after_reload
pxe1 link add dev dummy0
expect_eq "server of dummy0" 10.0.1.1 "$(link_field "$ns1" dummy0 server)"
pxe1 link del dev dummy0
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"

behaviour second_unload_and_load_cycle_is_clean
pxe1 link add dev dummy0
rmmod pxe
insmod "$PXE_KO"
pxe0 link show >/dev/null
