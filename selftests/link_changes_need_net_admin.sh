#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Changing links needs CAP_NET_ADMIN over the network namespace; reading
# them does not.  The root of a user namespace owns the network namespaces
# it creates, so a container's root can run its own server.
#
#   +--------------------------------------------------+
#   | $ns1 (owned by the initial user namespace)       |
#   |   pxe0 10.0.1.1/24                               |
#   |                                                  |
#   |   unshare -U -r pxectl ...      root in a child  |
#   |                                 userns: refused  |
#   |   setpriv --reuid 65534 ...     nobody: refused  |
#   +--------------------------------------------------+
#   +--------------------------------------------------+
#   | unshare -U -r -n (netns owned by the new userns) |
#   |   dummy0 10.0.7.1/24 ... link add: allowed       |
#   +--------------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" pxe0 10.0.1.1/24

behaviour root_of_child_userns_cannot_add_link
expect_error_containing "Operation not permitted" \
	n1 unshare -U -r "$PXECTL" link add dev pxe0
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"

behaviour unprivileged_user_cannot_add_link
expect_error_containing "Operation not permitted" \
	n1 "${NOBODY[@]}" "$PXECTL" link add dev pxe0
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in $ns1" "" "$got"

behaviour unprivileged_user_cannot_delete_link
pxe1 link add dev pxe0
expect_error_containing "Operation not permitted" \
	n1 "${NOBODY[@]}" "$PXECTL" link del dev pxe0
expect_error_containing "Operation not permitted" \
	n1 unshare -U -r "$PXECTL" link del dev pxe0
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"

behaviour unprivileged_user_can_show_links
out=$(n1 "${NOBODY[@]}" "$PXECTL" -j link show)
expect_eq "links seen by nobody" pxe0 "$(json_query "' '.join(l['dev'] for l in j)" <<<"$out")"
out=$(n1 unshare -U -r "$PXECTL" -j link show)
expect_eq "links seen by a child userns' root" pxe0 "$(json_query "' '.join(l['dev'] for l in j)" <<<"$out")"

behaviour root_of_userns_configures_its_own_netns
# shellcheck disable=SC2016
out=$(unshare -U -r -n sh -ec '
	ip link set lo up
	ip link add dummy0 type dummy
	ip addr add 10.0.7.1/24 dev dummy0
	ip link set dummy0 up
	"$1" link add dev dummy0
	"$1" -j link show
	"$1" link del dev dummy0
	"$1" link add dev dummy0 server 10.0.7.9
	"$1" -j link show' sh "$PXECTL")
log "$out"
expect_eq "first link show in the owned netns" '[{"dev":"dummy0","server":"10.0.7.1"}]' \
	"$(head -n1 <<<"$out" | json_query "[{'dev': l['dev'], 'server': l['server']} for l in j]" | tr -d ' ')"
expect_eq "second link show in the owned netns" '[{"dev":"dummy0","server":"10.0.7.9"}]' \
	"$(tail -n1 <<<"$out" | json_query "[{'dev': l['dev'], 'server': l['server']} for l in j]" | tr -d ' ')"

behaviour unprivileged_user_configures_own_userns_netns
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 1 ]; then
	skip_behaviour "machine: kernel.unprivileged_userns_clone is 0"
else
	# shellcheck disable=SC2016
	out=$("${NOBODY[@]}" unshare -U -r -n sh -ec '
		ip link add dummy0 type dummy
		ip addr add 10.0.8.1/24 dev dummy0
		"$1" link add dev dummy0
		"$1" -j link show' sh "$PXECTL")
	expect_eq "link show in nobody's netns" dummy0:10.0.8.1 \
		"$(json_query "' '.join(l['dev'] + ':' + l['server'] for l in j)" <<<"$out")"
fi

behaviour ns1_links_untouched_by_the_other_namespaces
expect_eq "links in $ns1" pxe0 "$(link_devs "$ns1")"
