#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespaces holding several links die cleanly, even with traffic hitting
# the hooks, and the module then unloads; a fresh insmod leaves the module
# loaded for whatever runs next.
#
#   +----------------------------+        +----------------------------+
#   | $ns1                       |        | $ns3                       |
#   |   pxe0 10.0.1.1/24 --------+--veth--+-- peer1 10.0.1.2/24        |
#   |   pxe1 10.0.4.1/24 --------+--veth--+-- peer4 10.0.4.2/24        |
#   |   dummy0..2 10.0.5.x/24    |        |   (pings pxe0 and pxe1     |
#   +----------------------------+        |    while $ns1 is deleted)  |
#   +----------------------------+        |                            |
#   | $ns2                       |        |                            |
#   |   pxe0 10.0.2.1/24 --------+--veth--+-- peer2 10.0.2.2/24        |
#   |   dummy0 10.0.6.1/24       |        |                            |
#   +----------------------------+        +----------------------------+
set -e
source "$(dirname "$0")/lib.sh"

cleanup_test() {
	[ ${#ping_pids[@]} -eq 0 ] || kill "${ping_pids[@]}" 2>/dev/null
	ensure_module
}

ping_pids=()
ensure_module
netns_add "$ns1"
netns_add "$ns2"
netns_add "$ns3"
veth_add "$ns1" pxe0 10.0.1.1/24 "$ns3" peer1 10.0.1.2/24
veth_add "$ns1" pxe1 10.0.4.1/24 "$ns3" peer4 10.0.4.2/24
veth_add "$ns2" pxe0 10.0.2.1/24 "$ns3" peer2 10.0.2.2/24
for i in 0 1 2; do
	dummy_add "$ns1" "dummy$i" "10.0.5.$((i + 1))/24"
done
dummy_add "$ns2" dummy0 10.0.6.1/24

behaviour links_in_two_netns
for dev in pxe0 pxe1 dummy0 dummy1 dummy2; do pxe1 link add dev "$dev"; done
pxe2 link add dev pxe0
pxe2 link add dev dummy0 server 10.0.6.100
expect_eq "links in $ns1" "dummy0 dummy1 dummy2 pxe0 pxe1" "$(link_devs "$ns1")"
expect_eq "links in $ns2" "dummy0 pxe0" "$(link_devs "$ns2")"

behaviour deleting_netns_under_traffic_is_clean
rx0=$(link_field "$ns1" pxe0 rx_packets)
rx1=$(link_field "$ns1" pxe1 rx_packets)
ip netns exec "$ns3" busybox ping -q -i 0.01 10.0.1.1 >/dev/null 2>&1 &
ping_pids=("$!")
ip netns exec "$ns3" busybox ping -q -i 0.01 10.0.4.1 >/dev/null 2>&1 &
ping_pids+=("$!")
sleep 2
# The hooks are busy: the counters move.
[ "$(link_field "$ns1" pxe0 rx_packets)" -gt "$rx0" ]
[ "$(link_field "$ns1" pxe1 rx_packets)" -gt "$rx1" ]
ip netns del "$ns1"
sleep 1
kill "${ping_pids[@]}" 2>/dev/null || true
wait "${ping_pids[@]}" 2>/dev/null || true
ping_pids=()
expect_eq "links in $ns2" "dummy0 pxe0" "$(link_devs "$ns2")"

behaviour deleting_second_netns_with_links_is_clean
ip netns del "$ns2"
ip netns del "$ns3"

behaviour rmmod_after_netns_deletion_succeeds
# Namespace teardown runs in a workqueue; rmmod has to wait for it or
# refuse, never crash.
for _ in 1 2 3 4 5; do
	rmmod pxe && break
	sleep 1
done
[ ! -d /sys/module/pxe ]

behaviour insmod_after_unload_starts_empty
insmod "$PXE_KO"
netns_add "$ns1"
got=$(link_devs "$ns1")	# fails the test when the query fails
expect_eq "links in a fresh $ns1" "" "$got"
got=$(pxe0 -j link show | json_query "' '.join(l['dev'] for l in j)")	# fails the test when the query fails
expect_eq "links in the initial netns" "" "$got"
