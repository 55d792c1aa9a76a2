#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The upload protocol (IMAGE_NEW, IMAGE_WRITE..., IMAGE_COMMIT, IMAGE_ABORT,
# IMAGE_COMMIT with IMAGE_STAGE and IMAGE_PUBLISH)
# refuses what pxectl never sends, with the kernel's own words: each case
# is a generic netlink client in image_nl.py (through the kernel's YNL
# library and the spec).
#
#   +--------------------------------+
#   | $ns1                           |
#   |   image_nl.py (one socket, or  |
#   |   two: owner and stranger)     |
#   +--------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"

CASES=(
	write_out_of_order_is_refused
	write_past_size_is_refused
	commit_of_incomplete_upload_is_refused
	sha256_mismatch_stores_nothing
	commit_publishes_verified_image
	commit_without_sha256_answers_the_kernels
	other_socket_cannot_touch_an_upload
	abort_returns_memory
	closed_socket_drops_its_uploads
	size_over_limit_is_refused
	staged_images_wait_for_publish
	staged_upload_is_aborted_not_rewritten
	publish_takes_only_the_callers_staged_images
	closed_socket_drops_its_staged_images
	staged_images_are_capped_at_4096
)
# One python for all of them (each start costs seconds under emulation);
# each case's lines, from "case NAME" to its verdict, are its behaviour's.
results=$(n1 "$PYTHON" "$SELFTESTS/image_nl.py" "${CASES[@]}") || true
for case in "${CASES[@]}"; do
	behaviour "$case"
	block=$(awk -v c="$case" '$0 == "case " c { on = 1 } on { print }
		on && ($0 == "ok " c || $0 == "not ok " c) { exit }' <<<"$results")
	grep '^# ' <<<"$block" || true
	[ "$(tail -n 1 <<<"$block")" = "ok $case" ] || {
		log "image_nl.py gave $case no \"ok\" (its output above)"
		false
	}
done

behaviour only_the_committed_images_remain
expect_eq "images" "good/one incomplete unverified" \
	"$(pxe1 -j image show | json_query "' '.join(sorted(i['name'] for i in j))")"
