#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An image replaced while a slow client downloads it: that download finishes
# with the old bytes, the next one gets the new.  The slow client is
# tftp_client.py, lock-step at 512 bytes, 20 ms before each ACK (400 blocks:
# at least 8 s).  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
old=$TFTP_DIR/old.bin
new=$TFTP_DIR/new.bin
head -c $((512 * 400 + 100)) /dev/urandom >"$old"
head -c $((512 * 300 + 7)) /dev/urandom >"$new"
pxe1 image load boot.img "$old" >/dev/null

behaviour running_download_keeps_the_old_bytes
started=$TFTP_DIR/started
py_get boot.img "$TFTP_DIR/slow" --ack-delay 0.02 --started "$started" &
slow=$!
wait_until 120 test -e "$started"
pxe1 image load boot.img "$new" >/dev/null
if ! kill -0 $slow 2>/dev/null; then
	log "the slow download ended before the image was replaced: nothing tested"
	false
fi
busybox_get boot.img "$TFTP_DIR/fast"
wait $slow
expect_same "slow download started before the replace" "$old" "$TFTP_DIR/slow"

behaviour next_download_gets_the_new_bytes
expect_same "download started after the replace" "$new" "$TFTP_DIR/fast"
hpa_get boot.img "$TFTP_DIR/again"
expect_same "another download after the replace" "$new" "$TFTP_DIR/again"

behaviour old_image_memory_is_released_after_the_download
wait_until 30 sessions_are 0
used=$(stat1 image_memory_used)
pages=$(( ($(stat -c %s "$new") + 4095) / 4096 * 4096 ))
if [ "$used" -lt "$(stat -c %s "$new")" ] || [ "$used" -gt $((pages + 65536)) ]; then
	log "image_memory_used $used: expected the new image's size ($(stat -c %s "$new"), $pages in pages) only"
	false
fi
