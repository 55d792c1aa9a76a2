#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/tftp.md "Timers": with no progress the server resends the window
# after `timeout` seconds (1 s without the option), doubling each time up
# to max(timeout, 4 s); after 5 resends it ends the session 4 s later with
# a `tftp-timeout` event and `tftp_timeouts`; every frame sent again counts
# in `tftp_retransmits`.  Two established sessions (DATA 1 acknowledged,
# then silence; selftests/tftp_probe.py stall), one without options and one
# with `timeout 3`, run side by side:
#
#   default:   DATA 2 at 0, resent at +1 +2 +4 +4 +4, end +4 (19 s)
#   timeout 3: DATA 2 at 0, resent at +3 +4 +4 +4 +4, end +4 (23 s)
#
# The times are the kernel's receive stamps of the frames at the client.
# Each gap must be at least the documented one (less 50 ms: one jiffy and
# the frames' way through the veth) and at most the documented one plus
# the timer wheel's rounding (up to 1/8 late for timers of seconds) plus
# 300 ms for a loaded TCG guest to run the timer and the client.  After the
# end, an ACK to the session's port gets no DATA but the stack's ICMP port
# unreachable (nothing holds the port any more).  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

PROBE=("$PYTHON" "$SELFTESTS/tftp_probe.py")

tftp_topology
image_random boot.img 100000

# check_run NAME "GAPS" END: the stall run NAME's resend gaps are GAPS
# (seconds), its timeout event came END s after the last send.
check_run() {
	n2 "${PROBE[@]}" gaps "$TFTP_DIR/$1.json" "$2" "$3"
}

retransmits=$(stat1 tftp_retransmits)
timeouts=$(stat1 tftp_timeouts)
monitor_cmd="ip netns exec $ns1 $PXECTL -j monitor"
n2 "${PROBE[@]}" stall $SERVER boot.img "$TFTP_DIR/default.json" \
	--monitor "$monitor_cmd" >/dev/null &
default_pid=$!
n2 "${PROBE[@]}" stall $SERVER boot.img "$TFTP_DIR/timeout3.json" --opt timeout=3 \
	--monitor "$monitor_cmd" >/dev/null &
timeout3_pid=$!
wait $default_pid
wait $timeout3_pid

behaviour default_session_resends_after_1_2_4_4_4_and_ends_4_s_later
check_run default "1 2 4 4 4" 4

behaviour timeout_3_resends_after_3_4_4_4_4_and_ends_4_s_later
check_run timeout3 "3 4 4 4 4" 4

behaviour timeout_event_names_the_session
for run in default timeout3; do
	expect_eq "$run: tftp-timeout event" "boot.img 10.0.1.2 512 1" \
		"$(json_query '" ".join(str(j["event"].get(k)) for k in ("file", "client", "blksize", "windowsize"))' \
		<"$TFTP_DIR/$run.json")"
done

behaviour nothing_is_sent_after_the_end
for run in default timeout3; do
	expect_eq "$run: answer to an ACK after the end" refused \
		"$(json_query 'j["after_end"]' <"$TFTP_DIR/$run.json")"
	expect_eq "$run: other frames" "[]" "$(json_query 'j["other"]' <"$TFTP_DIR/$run.json")"
done

behaviour counters_count_each_resend_and_each_timeout
expect_eq "tftp_retransmits" $((retransmits + 10)) "$(stat1 tftp_retransmits)"
expect_eq "tftp_timeouts" $((timeouts + 2)) "$(stat1 tftp_timeouts)"
expect_eq "tftp_sessions_active" 0 "$(stat1 tftp_sessions_active)"
