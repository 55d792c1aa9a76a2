#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What one ACK or one timer run may send is bounded whatever the client asks
# and the limit allows: the window granted is at most 256 blocks and at most
# 1 MiB of payload (1 MiB / blksize blocks).  With tftp-windowsize 65535, a
# request for windowsize 65535 gets 256 at blksize 1468 and 116 at blksize
# 8968 (MTU 9000), and a download at that window arrives intact.
# Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
pxe1 settings set tftp-windowsize 65535
image_random big.bin $((3 * 1024 * 1024 + 17))

first_answer() { tftp_send "$@" --abort | head -n 1; }

behaviour window_is_at_most_256_blocks
reply=$(first_answer "$(hexof '\000\001big.bin\000octet\000blksize\0001468\000windowsize\00065535\000')")
expect_eq "answer to blksize 1468 windowsize 65535" "OACK blksize=1468 windowsize=256" "$reply"
reply=$(first_answer "$(hexof '\000\001big.bin\000octet\000blksize\000512\000windowsize\000300\000')")
expect_eq "answer to blksize 512 windowsize 300" "OACK blksize=512 windowsize=256" "$reply"
reply=$(first_answer "$(hexof '\000\001big.bin\000octet\000windowsize\00064\000')")
expect_eq "answer to windowsize 64 (under both caps)" "OACK windowsize=64" "$reply"

behaviour window_is_at_most_1_MiB
ip1 link set dev pxe0 mtu 9000
ip2 link set dev peer0 mtu 9000
reply=$(first_answer "$(hexof '\000\001big.bin\000octet\000blksize\0008968\000windowsize\00065535\000')")
expect_eq "answer to blksize 8968 windowsize 65535" "OACK blksize=8968 windowsize=116" "$reply"
wait_until 10 sessions_are 0

behaviour capped_window_download_is_intact
py_get big.bin "$TFTP_DIR/out" --blksize 8968 --windowsize 65535 --tsize
expect_same "windowsize 116 at blksize 8968" "$(src_of big.bin)" "$TFTP_DIR/out"
