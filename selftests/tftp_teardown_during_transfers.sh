#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The server goes away under 8 running transfers, twice: its network
# namespace is deleted, then (in a new one) the module is unloaded.  The
# commands succeed, the clients fail or stop, the kernel log stays clean
# (lib_exit and vm-run check it), and the module loads again and serves.
# The clients are tftp_client.py, 10 ms before each ACK, so they are still
# running when the server goes.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology

# start_eight: 8 slow downloads of boot.img, returned once each has its
# first block; their pids in $clients.
start_eight() {
	local i
	clients=()
	for i in $(seq 1 8); do
		rm -f "$TFTP_DIR/started.$i"
		py_get boot.img "$TFTP_DIR/out.$i" --ack-delay 0.01 --retries 3 \
			--started "$TFTP_DIR/started.$i" >/dev/null 2>&1 &
		clients+=($!)
	done
	for i in $(seq 1 8); do
		wait_until 300 test -e "$TFTP_DIR/started.$i"
	done
	expect_eq "tftp_sessions_active with 8 clients" 8 "$(stat1 tftp_sessions_active)"
}

# clients_stop: every client ends (none can finish: the image is too long).
clients_stop() {
	local pid finished=0
	for pid in "${clients[@]}"; do
		wait "$pid" && finished=$((finished + 1))
	done
	expect_eq "clients that completed their download" 0 "$finished"
}

behaviour netns_delete_with_8_transfers_running
image_random boot.img $((4 * 1024 * 1024))
start_eight
ip netns del "$ns1"
clients_stop

behaviour a_new_netns_serves_again
netns_add "$ns1"
tftp_link
image_random boot.img $((4 * 1024 * 1024))
busybox_get boot.img "$TFTP_DIR/out"
expect_same "busybox after the netns came back" "$(src_of boot.img)" "$TFTP_DIR/out"

behaviour rmmod_with_8_transfers_running
start_eight
rmmod pxe
[ ! -d /sys/module/pxe ]
clients_stop

behaviour insmod_again_serves
insmod "$PXE_KO"
pxe0 link show >/dev/null
tftp_link
image_random boot.img 100000
busybox_get boot.img "$TFTP_DIR/out"
expect_same "busybox after the reload" "$(src_of boot.img)" "$TFTP_DIR/out"
