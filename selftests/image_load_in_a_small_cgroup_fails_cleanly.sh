#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Image memory is charged to the memory cgroup of the process that loads
# the image, and running out of it fails the load with a message, not the
# OOM killer: a 128 MB image loaded from a cgroup with memory.max 64M is
# refused, nothing of it stays, nobody is killed, and the namespace keeps
# serving the image it had.
#
#   +----------------------------------+       +---------------------------+
#   | $ns1 (the server)                |       | $ns2 (the client)         |
#   |   pxe0 10.0.1.1/24 --------------+-veth--+-- peer0 10.0.1.2/24       |
#   |   image "other" (1 MB)           |       |   tftp-hpa get other      |
#   |   image-memory 512M              |       +---------------------------+
#   |                                  |
#   |   pxectl image load big (128 MB) |  run inside cgroup pxe-small-$$
#   |                                  |  (cgroup v2, memory.max 64M)
#   +----------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"
source "$(dirname "$0")/lib_cgroup.sh"

cleanup_test() {
	tftp_lib_cleanup
	cgroup_lib_cleanup
}

# Polled: images are freed after an RCU grace period.
memory_used_is() { [ "$(stat1 image_memory_used)" = "$1" ]; }
cgroup_below() { [ "$(cat "$CG/memory.current")" -lt "$1" ]; }

tftp_topology
image_random other $((1 << 20))
other_bytes=$(stat_of "$ns1" image_memory_used)

behaviour cgroup_with_64M_of_memory
cgroup_make "pxe-small-$$"
echo 64M >"$CG/memory.max"
expect_eq "memory.max" $((64 << 20)) "$(cat "$CG/memory.max")"

behaviour image_over_the_cgroup_limit_is_refused_with_a_message
# Written from outside the cgroup: its page cache is not the load's charge.
head -c $((128 << 20)) /dev/urandom >"$TFTP_DIR/big"
expect_error "pxectl: image load big: out of memory for the image (the memory cgroup's limit or the machine's); nothing was stored" \
	in_cgroup ip netns exec "$ns1" "$PXECTL" image load big "$TFTP_DIR/big"

behaviour the_oom_killer_was_not_called
expect_eq "oom_kill in $CG/memory.events" 0 "$(cgroup_event oom_kill)"
expect_eq "oom in $CG/memory.events" 0 "$(cgroup_event oom)"

behaviour refused_load_leaves_no_image_and_no_memory
expect_eq "images" other "$(pxe1 -j image show | json_query "' '.join(sorted(i['name'] for i in j))")"
wait_until 10 memory_used_is "$other_bytes"

behaviour other_image_still_served
hpa_get other "$TFTP_DIR/got.other"
expect_same "tftp-hpa get other" "$(src_of other)" "$TFTP_DIR/got.other"

# The cgroup has no process left once pxectl is gone: what it holds then
# is the image.  Its small rest (the earlier pxectl's slab, which comes
# and goes) is not compared.
behaviour image_under_the_cgroup_limit_loads_and_is_charged_to_it
head -c $((16 << 20)) /dev/urandom >"$TFTP_DIR/mid"
in_cgroup ip netns exec "$ns1" "$PXECTL" image load mid "$TFTP_DIR/mid" >/dev/null
expect_eq "sha256 of mid" "$(sha_of "$TFTP_DIR/mid")" \
	"$(pxe1 -j image show | json_query "next(i['sha256'] for i in j if i['name'] == 'mid')")"
loaded=$(cat "$CG/memory.current")
expect_ge "memory.current of $CG after loading 16 MB" $((16 << 20)) "$loaded"

behaviour deleted_image_uncharges_the_cgroup
pxe1 image del mid
wait_until 10 cgroup_below $((loaded - (15 << 20)))
