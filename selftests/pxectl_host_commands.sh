#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl host`: reservations are added, shown (text and JSON) and deleted;
# every mistake is refused with exit 1 and a message naming the MAC and
# the cause, whether pxectl or the kernel finds it.
#
#   +-----------------------------------------+
#   | $ns1                                    |
#   |   d1 10.0.1.1/24, pxe link, pool "lan"  |
#   +-----------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24
pxe1 link add dev d1
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199

behaviour host_add_then_show_lists_it
pxe1 host add 52:54:00:00:00:01 ip 10.0.1.50 name pc1
pxe1 host add 52-54-00-00-00-02 ip 10.0.1.51
expect_eq "host show" "mac 52:54:00:00:00:01 ip 10.0.1.50 name pc1
mac 52:54:00:00:00:02 ip 10.0.1.51" "$(pxe1 host show | sort)"
expect_eq "host show -j" '[["52:54:00:00:00:01", "10.0.1.50", "pc1"], ["52:54:00:00:00:02", "10.0.1.51", null]]' \
	"$(pxe1 -j host show | json_query 'sorted([h["mac"], h["ip"], h.get("name")] for h in j)')"
expect_eq "host alone shows" "$(pxe1 host show)" "$(pxe1 host)"

behaviour kernel_refusals_name_the_cause
expect_error "pxectl: host add 52:54:00:00:00:01: MAC already has a reservation" \
	pxe1 host add 52:54:00:00:00:01 ip 10.0.1.60
expect_error "pxectl: host add 52:54:00:00:00:03: address is reserved for another MAC" \
	pxe1 host add 52:54:00:00:00:03 ip 10.0.1.50
expect_error "pxectl: host add 52:54:00:00:00:03: reservation is outside every pool" \
	pxe1 host add 52:54:00:00:00:03 ip 10.9.9.9
expect_error "pxectl: host del 52:54:00:00:00:09: no reservation for this MAC" \
	pxe1 host del 52:54:00:00:00:09

behaviour argument_errors_are_named
expect_error "pxectl: host add: missing MAC" pxe1 host add
expect_error "pxectl: host add 52:54:00:00:00:03: missing argument 'ip ADDR' or 'ip6 ADDR6'" \
	pxe1 host add 52:54:00:00:00:03
expect_error "pxectl: host add: invalid MAC 'zz' (expected a MAC address like 52:54:00:12:34:56)" \
	pxe1 host add zz ip 10.0.1.60
expect_error "pxectl: host add 52:54:00:00:00:03: invalid ip '10.0.1' (expected an IPv4 address)" \
	pxe1 host add 52:54:00:00:00:03 ip 10.0.1
expect_error "pxectl: host add 52:54:00:00:00:03: invalid name '' (1 to 31 characters)" \
	pxe1 host add 52:54:00:00:00:03 ip 10.0.1.60 name ""
expect_error "pxectl: host add 52:54:00:00:00:03: unknown argument 'color'" \
	pxe1 host add 52:54:00:00:00:03 ip 10.0.1.60 color red
expect_error "pxectl: host add 52:54:00:00:00:03: 'ip' given twice" \
	pxe1 host add 52:54:00:00:00:03 ip 10.0.1.60 ip 10.0.1.61
expect_error "pxectl: host del: missing MAC" pxe1 host del
expect_error "pxectl: host del: unexpected argument after the MAC" \
	pxe1 host del 52:54:00:00:00:01 now
expect_error "pxectl: host show: unexpected argument 'pc1'" pxe1 host show pc1
expect_eq "hosts after the refusals" 2 "$(pxe1 -j host show | json_query 'len(j)')"

behaviour host_del_removes_it
pxe1 host del 52:54:00:00:00:01
pxe1 host delete 52:54:00:00:00:02
expect_eq "host show -j after del" "[]" "$(pxe1 -j host show)"
