#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every refused link command exits 1 and says, in one line a sysadmin can
# act on, what was wrong -- and leaves nothing behind.
#
#   +-----------------------------+
#   | $ns1                        |
#   |   pxe0   10.0.1.1/24        |
#   |   noaddr0 (no IPv4 address) |
#   +-----------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" pxe0 10.0.1.1/24
dummy_add "$ns1" noaddr0

behaviour unknown_device_is_named
expect_error "pxectl: link add dev nosuch0: no such network device" \
	pxe1 link add dev nosuch0
expect_error "pxectl: link del dev nosuch0: no such network device" \
	pxe1 link del dev nosuch0

behaviour duplicate_link_is_refused
pxe1 link add dev pxe0
expect_error "pxectl: link add dev pxe0: device already has a pxe link" \
	pxe1 link add dev pxe0
expect_error "pxectl: link add dev pxe0: device already has a pxe link" \
	pxe1 link add dev pxe0 server 10.0.1.99
expect_eq "server of pxe0 (unchanged)" 10.0.1.1 "$(link_field "$ns1" pxe0 server)"

behaviour missing_dev_argument_is_named
expect_error "pxectl: link add: missing argument 'dev IFNAME'" pxe1 link add
expect_error "pxectl: link del: missing argument 'dev IFNAME'" pxe1 link del

behaviour del_without_link_is_refused
expect_error "pxectl: link del dev noaddr0: no pxe link on this device" \
	pxe1 link del dev noaddr0

behaviour device_without_ipv4_needs_server
expect_error "pxectl: link add dev noaddr0: device has no IPv4 address; give one with 'server ADDR'" \
	pxe1 link add dev noaddr0

behaviour multicast_server_is_refused
expect_error "pxectl: link add dev noaddr0: server address must be a unicast IPv4 address" \
	pxe1 link add dev noaddr0 server 224.0.0.1

behaviour broadcast_and_zero_server_are_refused
expect_error "pxectl: link add dev noaddr0: server address must be a unicast IPv4 address" \
	pxe1 link add dev noaddr0 server 255.255.255.255
expect_error "pxectl: link add dev noaddr0: server address must be a unicast IPv4 address" \
	pxe1 link add dev noaddr0 server 0.0.0.0

behaviour refused_commands_leave_no_link
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"

behaviour device_without_ipv4_accepts_explicit_server
pxe1 link add dev noaddr0 server 10.0.9.1
expect_eq "server of noaddr0" 10.0.9.1 "$(link_field "$ns1" noaddr0 server)"
