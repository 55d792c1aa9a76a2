#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 32 busybox clients download at once, from one client namespace (per-client
# limit raised to 64 by lib_tftp.sh), two images interleaved: every copy is
# intact and every session ends.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
image_random a.bin $((1024 * 1024 + 5))
image_random b.bin $((700 * 1024))

behaviour thirty_two_parallel_downloads_are_intact
pids=()
for i in $(seq 1 32); do
	name=a.bin
	[ $((i % 2)) -eq 0 ] && name=b.bin
	busybox_get $name "$TFTP_DIR/out.$i" &
	pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
	wait "$pid" || failed=$((failed + 1))
done
log "$failed of 32 busybox clients exited non-zero"
for i in $(seq 1 32); do
	name=a.bin
	[ $((i % 2)) -eq 0 ] && name=b.bin
	expect_same "client $i ($name)" "$(src_of $name)" "$TFTP_DIR/out.$i"
done
expect_eq "clients that failed" 0 "$failed"

behaviour all_sessions_end
wait_until 30 sessions_are 0
expect_ge "tftp_completed" 32 "$(stat1 tftp_completed)"
