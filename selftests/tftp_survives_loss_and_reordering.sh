#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Through netem on both veth ends (10% loss, 5% duplicates, 25% reordered,
# 1 ms delay), windowed (tftp_client.py, windowsize 16) and lock-step
# (busybox, tftp-hpa) downloads still arrive intact, and the server had to
# retransmit.  Topology: lib_tftp.sh.
#
# atftp is not among them: when its ACK of a window is lost it ignores the
# window the server sends again ("got wrong block") instead of acknowledging
# anew, and gives up after a few of those: at this loss rate it failed in 2
# of about 6 runs.  Its windowed download is tested without loss in
# tftp_serves_real_clients.sh.
#
# Sizes: a lost DATA in lock-step costs the server's 1 s timeout (the
# client's repeated ACK is a duplicate, rightly not answered), and about one
# round trip in five loses a packet here: lock-step gets 160 KB (~110 blocks
# of 1468, ~320 of 512), windowed transfers 2 MB.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
modprobe sch_netem
netem="loss 10% duplicate 5% reorder 25% 50% delay 1ms"
# shellcheck disable=SC2086
n1 tc qdisc add dev pxe0 root netem $netem
# shellcheck disable=SC2086
n2 tc qdisc add dev peer0 root netem $netem
image_random lossy.bin $((2 * 1024 * 1024 + 333))
image_random step.bin $((160 * 1024 + 7))
src=$(src_of lossy.bin)
out=$TFTP_DIR/out
retrans0=$(stat1 tftp_retransmits)

behaviour python_windowed_download_survives_loss
py_get lossy.bin "$out" --blksize 1468 --windowsize 16 --tsize --retries 20 --linger 2
expect_same "tftp_client.py windowsize 16 through netem" "$src" "$out"
rm -f "$out"

behaviour busybox_lockstep_download_survives_loss
busybox_get step.bin "$out" || log "busybox exited $?"
expect_same "busybox through netem" "$(src_of step.bin)" "$out"
rm -f "$out"

behaviour hpa_lockstep_download_survives_loss
hpa_get step.bin "$out" || log "tftp-hpa exited $?"
expect_same "tftp-hpa through netem" "$(src_of step.bin)" "$out"
rm -f "$out"

behaviour server_retransmitted
retrans=$(stat1 tftp_retransmits)
log "tftp_retransmits $retrans0 -> $retrans, tftp_rx_dup_ack $(stat1 tftp_rx_dup_ack)"
expect_ge "tftp_retransmits" $((retrans0 + 1)) "$retrans"
