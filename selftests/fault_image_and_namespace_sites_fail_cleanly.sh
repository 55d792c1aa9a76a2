#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control path's allocations for images, for replies and for a new
# network namespace fail once each, on their own: the command fails with
# its message, nothing is stored or charged, the retry works, nothing
# leaks (lib.sh's kmemleak check).  The configuration objects' sites are
# fault_control_path_each_site_fails_cleanly.sh's (as one test the two
# took over ten minutes on the debug kernel); how a site is failed
# and the table of sites: lib_fault.sh, docs/fault-injection.md.  Runs on
# the debug kernel only (selftests/debug-kernel.tests).
#
#   +---------------------------+
#   | $ns1                      |
#   |   (no device: images and  |
#   |    counters only)         |
#   +---------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_image.sh"
source "$(dirname "$0")/lib_fault.sh"

cleanup_test() {
	fault_lib_cleanup
	cleanup_image_tmpdir
}

ensure_module
netns_add "$ns1"
image_tmpdir
fault_need_machine

NOMEM="Cannot allocate memory"

# pxe_nl_image_new_doit allocates the upload, the SHA-256 transform (in the
# crypto API) and its state, the image's entry, its page array, then its
# pages (fail_page_alloc), then the reply (whose loss leaves an upload that
# goes with pxectl's socket).
behaviour image_load_fails_at_each_of_its_allocations
image_file a.bin 300000
for n in 1 2 3 4 6; do
	log "image load, allocation $n fails"
	fault_nth slab pxe_nl_image_new_doit
	expect_error "pxectl: image load a.bin: $NOMEM" \
		failing $n "$PXECTL" image load a.bin "$IMG_DIR/a.bin"
	fault_fired slab
	expect_eq "images after the failed load" 0 "$(count_of image show)"
done
for what in "slab 5" "page 1" "page 74"; do
	log "image load, $what fails"
	read -r point n <<<"$what"
	fault_nth "$point" pxe_nl_image_new_doit
	expect_error "pxectl: image load a.bin: out of memory for the image (the memory cgroup's limit or the machine's); nothing was stored" \
		failing "$n" "$PXECTL" image load a.bin "$IMG_DIR/a.bin"
	fault_fired "$point"
	expect_eq "images after the failed load" 0 "$(count_of image show)"
done
expect_eq "image memory after the failed loads" 0 "$(stat_of "$ns1" image_memory_used)"
expect_eq "image load output" "a.bin 300000 $(sha_of a.bin)" \
	"$(pxe1 image load a.bin "$IMG_DIR/a.bin")"

# A load that fails leaves the images already there as they were: a new
# name beside them, and a replacement of one (the old bytes stay served).
behaviour failed_load_leaves_the_other_images_and_a_replaced_one_intact
image_file c.bin 300000
PAGES_MSG="out of memory for the image (the memory cgroup's limit or the machine's); nothing was stored"
fault_nth page pxe_nl_image_new_doit
expect_error "pxectl: image load b.bin: $PAGES_MSG" \
	failing 1 "$PXECTL" image load b.bin "$IMG_DIR/c.bin"
fault_fired page
expect_eq "images after the failed load" a.bin "$(image_names "$ns1")"
fault_nth page pxe_nl_image_new_doit
expect_error "pxectl: image load a.bin: $PAGES_MSG" \
	failing 74 "$PXECTL" image load a.bin "$IMG_DIR/c.bin"
fault_fired page
expect_eq "a.bin after the failed replacement" \
	"name a.bin size 300000 sha256 $(sha_of a.bin) active 0 downloads 0" "$(pxe1 image show a.bin)"
expect_eq "image load output" "b.bin 300000 $(sha_of c.bin)" \
	"$(pxe1 image load b.bin "$IMG_DIR/c.bin")"

behaviour image_show_fails_when_the_reply_cannot_be_allocated
fault_nth slab pxe_nl_image_get_doit
expect_error "pxectl: image show a.bin: $NOMEM" failing 1 "$PXECTL" image show a.bin
fault_fired slab
expect_eq "image show a.bin again" "name a.bin size 300000 sha256 $(sha_of a.bin) active 0 downloads 0" \
	"$(pxe1 image show a.bin)"

behaviour stats_fail_when_the_reply_cannot_be_allocated
before=$(pxe1 stats)
fault_nth slab reply_with
expect_error "pxectl: stats: $NOMEM" failing 1 "$PXECTL" stats
fault_fired slab
expect_eq "stats again" "$before" "$(pxe1 stats)"

# A new namespace gets the module's state in pxe_net_init(); unshare(1)
# makes one in its own task (ip netns add would do it the same way).
behaviour new_namespace_fails_when_the_image_store_cannot_be_allocated
fault_nth slab pxe_image_net_init
expect_error "unshare: unshare failed: $NOMEM" failing_root 1 unshare --net true
fault_fired slab
links=$(unshare --net "$PXECTL" link show)
expect_eq "links of a new namespace" "" "$links"

behaviour new_namespace_fails_when_the_dhcp_state_cannot_be_allocated
fault_nth slab pxe_dhcp_net_init
expect_error "unshare: unshare failed: $NOMEM" failing_root 1 unshare --net true
fault_fired slab
links=$(unshare --net "$PXECTL" link show)
expect_eq "links of a new namespace" "" "$links"

behaviour module_keeps_serving
expect_eq "images" "a.bin b.bin" "$(image_names "$ns1")"
expect_eq "image show a.bin" "name a.bin size 300000 sha256 $(sha_of a.bin) active 0 downloads 0" \
	"$(pxe1 image show a.bin)"
