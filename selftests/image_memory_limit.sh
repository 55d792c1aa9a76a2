#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Images take at most the namespace's image-memory limit: a load that
# would pass it fails with the message naming the setting, leaves no image
# and no memory behind; a pxectl killed mid-upload loses its upload, and
# the memory comes back.
#
#   +----------------------------------------------+
#   | $ns1                                         |
#   |   settings set image-memory 1M, then 512M    |
#   +----------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_image.sh"

ensure_module
netns_add "$ns1"
image_tmpdir

behaviour load_over_the_limit_fails_naming_the_setting
pxe1 settings set image-memory 1M
image_file small 100000
pxe1 image load small "$IMG_DIR/small" >/dev/null
used=$(stat_of "$ns1" image_memory_used)
expect_eq "image_memory_used" 100000 "$used"
image_file two-mb $((2 << 20))
expect_error "pxectl: image load big: image memory limit reached; raise it with 'pxectl settings set image-memory BYTES'" \
	pxe1 image load big "$IMG_DIR/two-mb"

behaviour refused_load_leaves_no_image_and_no_memory
expect_eq "images" small "$(image_names "$ns1")"
expect_eq "image_memory_used" "$used" "$(stat_of "$ns1" image_memory_used)"

behaviour limit_counts_every_image_together
image_file one-million 1000000
expect_error_containing "image memory limit reached" \
	pxe1 image load big "$IMG_DIR/one-million"
pxe1 image del small
poll_memory_used "$ns1" 0
pxe1 image load big "$IMG_DIR/one-million" >/dev/null
expect_eq "sha256" "$(sha_of one-million)" "$(image_field "$ns1" big sha256)"

behaviour raising_the_limit_lets_the_load_through
pxe1 settings set image-memory 512M
pxe1 image load big "$IMG_DIR/two-mb" >/dev/null
expect_eq "sha256" "$(sha_of two-mb)" "$(image_field "$ns1" big sha256)"
poll_memory_used "$ns1" $((2 << 20))

behaviour killed_pxectl_mid_upload_returns_its_memory
used=$(stat_of "$ns1" image_memory_used)
image_file huge $((192 << 20))
# Not through pxe1: $! must be pxectl itself (ip netns exec execs it).
ip netns exec "$ns1" "$PXECTL" image load huge "$IMG_DIR/huge" >/dev/null 2>&1 &
pid=$!
# Once the upload holds its memory, it is under way: kill it there.
for i in $(seq 300); do
	[ "$(stat_of "$ns1" image_memory_used)" -gt "$used" ] && break
	sleep 0.05
done
kill -9 "$pid"
rc=0
wait "$pid" 2>/dev/null || rc=$?
expect_eq "exit status of the killed pxectl (128 + SIGKILL)" 137 "$rc"
poll_memory_used "$ns1" "$used"
expect_eq "images" big "$(image_names "$ns1")"
