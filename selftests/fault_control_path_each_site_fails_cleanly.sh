#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every allocation the module makes for a configuration object (link,
# pool, reservation, lease, boot rule) fails once on its own: the command
# fails with its message, nothing is left half-made, the retry works,
# nothing leaks (lib.sh's kmemleak check).  Images, replies and new
# namespaces: fault_image_and_namespace_sites_fail_cleanly.sh.  lib_fault.sh narrows the fault points' stack
# filter to one function of the module and fails the N-th allocation made
# below it by the command's task (/proc/self/fail-nth); N counts the
# function's allocations in the order the code makes them.  The table of
# sites and the behaviour that fails each: docs/fault-injection.md.  Runs
# on the debug kernel only (selftests/debug-kernel.tests).
#
#   +---------------------------+
#   | $ns1                      |
#   |   srv0  10.0.1.1/24       |
#   +---------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_fault.sh"

cleanup_test() {
	fault_lib_cleanup
}

ensure_module
netns_add "$ns1"
dummy_add "$ns1" srv0 10.0.1.1/24
fault_need_machine

POOL_ADD=(pool add lan dev srv0 range 10.0.1.100 10.0.1.199 domain example.org)
NOMEM="Cannot allocate memory"

behaviour link_add_fails_when_the_link_cannot_be_allocated
fault_nth slab pxe_link_add
expect_error "pxectl: link add dev srv0: $NOMEM" failing 1 "$PXECTL" link add dev srv0
fault_fired slab
expect_eq "links after the failed add" 0 "$(count_of link show)"

behaviour link_add_fails_when_the_ingress_hook_cannot_be_allocated
fault_nth slab nf_register_net_hook -
expect_error "pxectl: link add dev srv0: cannot attach the ingress hook to this device" \
	failing 1 "$PXECTL" link add dev srv0
fault_fired slab
expect_eq "links after the failed add" 0 "$(count_of link show)"
pxe1 link add dev srv0
expect_eq "links after the retry" srv0 "$(link_devs "$ns1")"

behaviour link_event_without_memory_is_counted_and_the_change_made
lost=$(stat_of "$ns1" monitor_drop_nomem)
fault_nth slab pxe_netlink_notify_link
failing 1 "$PXECTL" link del dev srv0
fault_fired slab
expect_eq "links after the delete" 0 "$(count_of link show)"
expect_eq "monitor_drop_nomem" $((lost + 1)) "$(stat_of "$ns1" monitor_drop_nomem)"
pxe1 link add dev srv0
expect_eq "monitor_drop_nomem after a good add" $((lost + 1)) \
	"$(stat_of "$ns1" monitor_drop_nomem)"

# pxe_nl_pool_new_doit allocates the pool, its domain, the address bitmap and
# the two hash tables, in this order.
behaviour pool_add_fails_at_each_of_its_five_allocations
for n in 1 2 3 4 5; do
	log "pool add, allocation $n fails"
	fault_nth slab pxe_nl_pool_new_doit
	expect_error "pxectl: pool add lan: $NOMEM" failing $n "$PXECTL" "${POOL_ADD[@]}"
	fault_fired slab
	expect_error "pxectl: pool show lan: no such pool" pxe1 pool show lan
done
pxe1 "${POOL_ADD[@]}"
expect_eq "pools after the retry" 1 "$(count_of pool show)"

# pxectl's show commands dump; a GET of one object comes from fault_get.py.
behaviour pool_get_fails_when_the_reply_cannot_be_allocated
fault_nth slab pxe_nl_pool_get_doit
expect_eq "POOL_GET lan" ENOMEM "$(failing 1 "$PYTHON" "$SELFTESTS/fault_get.py" pool lan)"
fault_fired slab
expect_eq "POOL_GET lan again" OK "$(n1 "$PYTHON" "$SELFTESTS/fault_get.py" pool lan)"

behaviour link_get_fails_when_the_reply_cannot_be_allocated
fault_nth slab pxe_nl_link_get_doit
expect_eq "LINK_GET srv0" ENOMEM "$(failing 1 "$PYTHON" "$SELFTESTS/fault_get.py" link srv0)"
fault_fired slab
expect_eq "LINK_GET srv0 again" OK "$(n1 "$PYTHON" "$SELFTESTS/fault_get.py" link srv0)"

behaviour host_add_fails_when_the_reservation_cannot_be_allocated
fault_nth slab pxe_nl_host_new_doit
expect_error "pxectl: host add 52:54:00:00:00:01: $NOMEM" \
	failing 1 "$PXECTL" host add 52:54:00:00:00:01 ip 10.0.1.150
fault_fired slab
expect_eq "reservations after the failed add" 0 "$(count_of host show)"
pxe1 host add 52:54:00:00:00:01 ip 10.0.1.150
expect_eq "reservations after the retry" 1 "$(count_of host show)"

behaviour lease_add_fails_when_the_lease_cannot_be_allocated
fault_nth slab pxe_nl_lease_new_doit
expect_error "pxectl: lease add 52:54:00:00:00:02: $NOMEM" \
	failing 1 "$PXECTL" lease add 52:54:00:00:00:02 ip 10.0.1.120
fault_fired slab
expect_eq "leases after the failed add" 0 "$(count_of lease show)"
pxe1 lease add 52:54:00:00:00:02 ip 10.0.1.120
expect_eq "leases after the retry" 1 "$(count_of lease show)"

# pxe_nl_boot_new_doit makes its reply first (the skb's head, then its data),
# then the rule; boot_replace the new rule table.  A rule is added only
# when its id can be answered.
behaviour boot_add_fails_at_its_reply_its_rule_and_its_table
for n in 1 2 3; do
	log "boot add, allocation $n fails"
	fault_nth slab pxe_nl_boot_new_doit
	expect_error "pxectl: boot add: $NOMEM" \
		failing $n "$PXECTL" boot add arch efi-x64 file ipxe.efi
	fault_fired slab
	expect_eq "rules after the failed add" 0 "$(count_of boot show)"
done
fault_nth slab boot_replace
expect_error "pxectl: boot add: $NOMEM" \
	failing 1 "$PXECTL" boot add arch efi-x64 file ipxe.efi
fault_fired slab
expect_eq "rules after the failed add" 0 "$(count_of boot show)"
id=$(pxe1 boot add arch efi-x64 file ipxe.efi)
expect_eq "rules after the retry" 1 "$(count_of boot show)"

behaviour boot_del_fails_when_the_new_table_cannot_be_allocated
fault_nth slab boot_replace
expect_error "pxectl: boot del $id: $NOMEM" failing 1 "$PXECTL" boot del "$id"
fault_fired slab
expect_eq "rules after the failed delete" 1 "$(count_of boot show)"
pxe1 boot del "$id"
expect_eq "rules after the retry" 0 "$(count_of boot show)"

behaviour module_keeps_serving
expect_eq "links" srv0 "$(link_devs "$ns1")"
expect_eq "pools" 1 "$(count_of pool show)"
expect_eq "reservations" 1 "$(count_of host show)"
expect_eq "leases" 1 "$(count_of lease show)"
