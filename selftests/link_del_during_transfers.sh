#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/tftp.md "Teardown": deleting a link ends every session on it before
# the call returns -- timers shut down, nothing sent on the link afterwards,
# no event for the sessions it ends.  Eight slow downloads run
# (tftp_client.py, 10 ms before each ACK, so they are mid-transfer); then
# `pxectl link del`: the sessions are gone when it returns, no DATA leaves
# afterwards (tftp_tx_data and tftp_retransmits stand still while the
# clients keep acknowledging and retrying, and no DATA frame reaches
# peer0), no tftp-done/tftp-timeout/tftp-error event, none of the clients
# completes, and a new link serves again.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
image_random boot.img $((4 * 1024 * 1024))
monitor_start "$ns1" "$TFTP_DIR/monitor.json"

# data_frames_seen SECS: DATA frames from the server arriving at peer0
# during SECS seconds.
data_frames_seen() {
	n2 "$PYTHON" "$SELFTESTS/tftp_probe.py" count-data peer0 $SERVER "$1"
}

behaviour link_del_ends_eight_running_transfers_before_it_returns
clients=()
for i in $(seq 1 8); do
	py_get boot.img "$TFTP_DIR/out.$i" --ack-delay 0.01 --retries 3 \
		--started "$TFTP_DIR/started.$i" >/dev/null 2>&1 &
	clients+=($!)
done
for i in $(seq 1 8); do
	wait_until 300 test -e "$TFTP_DIR/started.$i"
done
expect_eq "tftp_sessions_active with 8 clients" 8 "$(stat1 tftp_sessions_active)"
pxe1 link del dev pxe0
expect_eq "tftp_sessions_active right after link del" 0 "$(stat1 tftp_sessions_active)"
links=$(pxe1 -j link show)
expect_eq "links after link del" "[]" "$links"

behaviour nothing_is_sent_after_link_del
data=$(stat1 tftp_tx_data)
retransmits=$(stat1 tftp_retransmits)
expect_eq "DATA frames at peer0 in the 3 s after link del" 0 "$(data_frames_seen 3)"
expect_eq "tftp_tx_data 3 s after link del" "$data" "$(stat1 tftp_tx_data)"
expect_eq "tftp_retransmits 3 s after link del" "$retransmits" "$(stat1 tftp_retransmits)"

behaviour no_client_completes
finished=0
for pid in "${clients[@]}"; do
	wait "$pid" && finished=$((finished + 1))
done
expect_eq "clients that completed their download" 0 "$finished"

behaviour the_ended_sessions_are_not_announced
monitor_stop
expect_eq "tftp-start events" 8 "$(json_lines_count "$TFTP_DIR/monitor.json" "j.get('event') == 'tftp-start'")"
expect_eq "tftp-done, -timeout, -error events" 0 "$(json_lines_count "$TFTP_DIR/monitor.json" \
	"j.get('event') in ('tftp-done', 'tftp-timeout', 'tftp-error')")"
expect_eq "tftp_timeouts" 0 "$(stat1 tftp_timeouts)"
expect_eq "tftp_completed" 0 "$(stat1 tftp_completed)"

behaviour a_new_link_serves_again
pxe1 link add dev pxe0
image_random small.img 100000
busybox_get small.img "$TFTP_DIR/out"
expect_same "busybox after link del and add" "$(src_of small.img)" "$TFTP_DIR/out"
expect_eq "boot.img downloads in flight" 0 \
	"$(pxe1 -j image show boot.img | json_query 'j[0]["active"]')"
