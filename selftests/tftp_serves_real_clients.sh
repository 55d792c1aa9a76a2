#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real TFTP clients download images intact: tftp-hpa (RFC 1350, 512-byte
# blocks, octet and netascii), busybox (blksize 1468), atftp (blksize, tsize,
# windowsize 16) and curl.  Topology: lib_tftp.sh.
#
# The big images cross block 65535: at 512 bytes, 41 MB is ~84,000 blocks;
# at 1468 bytes, 100 MB is ~71,000.  Images are loaded and dropped one at a
# time: the VM has 2 GB and each big one exists three times (file, image,
# download).
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
out=$TFTP_DIR/out

behaviour hpa_downloads_a_small_file
image_random small.bin 1000
hpa_get small.bin "$out"
expect_same "tftp-hpa small.bin" "$(src_of small.bin)" "$out"

behaviour hpa_downloads_a_multiple_of_512
# The transfer ends with an empty DATA block.
image_random m512.bin $((512 * 64))
hpa_get m512.bin "$out"
expect_same "tftp-hpa m512.bin (32768 bytes)" "$(src_of m512.bin)" "$out"

behaviour hpa_ascii_mode_gives_back_the_text
# LF, CR and CRLF line ends, a lone CR at a block's edge, no final newline:
# the server sends netascii (CR LF, CR NUL), tftp-hpa decodes it back.
text=$(src_of text.txt)
{
	for i in $(seq 1 400); do
		printf 'unix line %d\nold mac line %d\rdos line %d\r\n' "$i" "$i" "$i"
	done
	head -c 509 /dev/zero | tr '\0' x
	printf '\r\n\r\r\n\n'
	printf 'the end, no newline'
} >"$text"
pxe1 image load text.txt "$text" >/dev/null
hpa_get text.txt "$out" ascii
expect_same "tftp-hpa -m ascii text.txt" "$text" "$out"

behaviour netascii_tsize_counts_every_line_end
# The load counts CR and LF eight bytes at a time: the lines above put them
# at every offset within a word.  Each becomes two bytes on the wire.
ends=$(tr -cd '\r\n' <"$text" | wc -c)
reply=$(tftp_send "$(hexof '\000\001text.txt\000netascii\000tsize\0000\000')" --wait 2 --abort)
expect_eq "OACK to a netascii RRQ with tsize 0" \
	"OACK tsize=$(($(stat -c %s "$text") + ends))" "$(sed -n 1p <<<"$reply")"

behaviour hpa_downloads_41mb_past_block_65535
image_random big41.bin $((41 * 1024 * 1024))
hpa_get big41.bin "$out"
expect_same "tftp-hpa big41.bin" "$(src_of big41.bin)" "$out"
rm -f "$out"
image_drop big41.bin

behaviour busybox_downloads_a_small_file
busybox_get small.bin "$out"
expect_same "busybox small.bin" "$(src_of small.bin)" "$out"

behaviour busybox_downloads_100mb
image_random big100.bin $((100 * 1024 * 1024))
busybox_get big100.bin "$out"
expect_same "busybox big100.bin" "$(src_of big100.bin)" "$out"
rm -f "$out"
image_drop big100.bin

behaviour atftp_downloads_with_blksize_tsize_windowsize
image_random mid.bin $((3 * 1024 * 1024 + 77))
atftp_get mid.bin "$out"
expect_same "atftp mid.bin" "$(src_of mid.bin)" "$out"

behaviour atftp_downloads_a_multiple_of_the_window
# 16 blocks of 1468 times 10: the last window is full, an empty block follows.
image_random win.bin $((1468 * 16 * 10))
atftp_get win.bin "$out"
expect_same "atftp win.bin" "$(src_of win.bin)" "$out"

behaviour curl_downloads_with_blksize
curl_get mid.bin "$out"
expect_same "curl mid.bin" "$(src_of mid.bin)" "$out"

behaviour leading_slash_names_the_same_image
hpa_get /small.bin "$out"
expect_same "tftp-hpa /small.bin" "$(src_of small.bin)" "$out"

behaviour monitor_sees_start_and_done_with_all_bytes
events=$TFTP_DIR/events
monitor_start "$ns1" "$events"
busybox_get mid.bin "$out"
expect_same "busybox mid.bin" "$(src_of mid.bin)" "$out"
has_done() { grep -q '"tftp-done"' "$events"; }
wait_until 10 has_done
monitor_stop
log "$(cat "$events")"
size=$(stat -c %s "$(src_of mid.bin)")
expect_eq "tftp-start events for mid.bin" 1 \
	"$(json_lines_count "$events" "j.get('event') == 'tftp-start' and j.get('file') == 'mid.bin' and j.get('blksize') == 1468")"
expect_eq "tftp-done events for mid.bin with bytes == $size" 1 \
	"$(json_lines_count "$events" "j.get('event') == 'tftp-done' and j.get('file', 'mid.bin') == 'mid.bin' and j.get('bytes') == $size")"

behaviour counters_count_the_downloads
expect_ge "tftp_completed" 9 "$(stat1 tftp_completed)"
expect_ge "tftp_sessions" 9 "$(stat1 tftp_sessions)"
expect_eq "tftp_sessions_active" 0 "$(stat1 tftp_sessions_active)"
