#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/tftp.md "Limits" and "Options" as a client sees them: a request over
# `tftp-per-client` or `tftp-sessions` gets ERROR 0 "too many transfers;
# try again later" (counted in tftp_drop_limit and tftp_tx_error_0,
# announced as a tftp-error event) while another client, or the same one
# once a session ended, is served; the OACK grants blksize min(asked,
# MTU - 32, tftp-blksize) and windowsize min(asked, tftp-windowsize), and
# the DATA that follows has that size and comes that many blocks at a
# time.  The sessions held are established (DATA 1 acknowledged;
# selftests/tftp_probe.py hold).
#
#   $ns1: pxe0 10.0.1.1/24 --veth-- peer0 10.0.1.2/24, 10.0.1.3/24 :$ns2
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

PROBE=("$PYTHON" "$SELFTESTS/tftp_probe.py")
REFUSED="ERROR 0 too many transfers; try again later"

tftp_topology
ip2 addr add 10.0.1.3/24 dev peer0
image_random boot.img 100000
monitor_start "$ns1" "$TFTP_DIR/monitor.json"

# hold NAME FROM COUNT: COUNT established sessions from address FROM, in
# the background, until release NAME; each answered with DATA 1.
hold() {
	n2 "${PROBE[@]}" hold $SERVER boot.img "$3" --bind "$2" \
		--ready "$TFTP_DIR/ready.$1" --release "$TFTP_DIR/release.$1" &
	wait_until 20 test -e "$TFTP_DIR/ready.$1"
	expect_eq "answers to $1's requests" "$3" \
		"$(grep -c '^DATA 1 512$' "$TFTP_DIR/ready.$1")"
}

release() { touch "$TFTP_DIR/release.$1"; }

# first_from ADDR [OPT...]: the first answer to an RRQ for boot.img from ADDR.
first_from() {
	local from=$1 opt args=()
	shift
	for opt in "$@"; do
		args+=(--opt "$opt")
	done
	n2 "${PROBE[@]}" first $SERVER boot.img --bind "$from" "${args[@]}"
}

behaviour third_session_of_a_client_over_per_client_2_is_refused
pxe1 settings set tftp-per-client 2 tftp-sessions 64
drops=$(stat1 tftp_drop_limit)
errors=$(stat1 tftp_tx_error_0)
hold a 10.0.1.2 2
expect_eq "tftp_sessions_active" 2 "$(stat1 tftp_sessions_active)"
expect_eq "third request from 10.0.1.2" "$REFUSED" "$(first_from 10.0.1.2 | head -n 1)"
expect_eq "tftp_drop_limit" $((drops + 1)) "$(stat1 tftp_drop_limit)"
expect_eq "tftp_tx_error_0" $((errors + 1)) "$(stat1 tftp_tx_error_0)"
wait_until 5 grep -q '"tftp-error"' "$TFTP_DIR/monitor.json"
expect_eq "tftp-error events" 1 "$(json_lines_count "$TFTP_DIR/monitor.json" \
	"j.get('event') == 'tftp-error' and j.get('client') == '10.0.1.2' and j.get('error') == 0 and j.get('message') == 'too many transfers; try again later'")"

behaviour another_client_is_served_beside_them
expect_eq "first request from 10.0.1.3" "DATA 1 512" "$(first_from 10.0.1.3 | head -n 1)"

behaviour the_client_is_served_again_once_its_sessions_ended
release a
wait_until 10 sessions_are 0
expect_eq "request from 10.0.1.2 after the release" "DATA 1 512" \
	"$(first_from 10.0.1.2 | head -n 1)"
wait_until 10 sessions_are 0

behaviour fourth_session_over_tftp_sessions_3_is_refused_for_everyone
pxe1 settings set tftp-per-client 8 tftp-sessions 3
drops=$(stat1 tftp_drop_limit)
hold b 10.0.1.2 2
hold c 10.0.1.3 1
expect_eq "tftp_sessions_active" 3 "$(stat1 tftp_sessions_active)"
expect_eq "fourth request from 10.0.1.3" "$REFUSED" "$(first_from 10.0.1.3 | head -n 1)"
expect_eq "fourth request from 10.0.1.2" "$REFUSED" "$(first_from 10.0.1.2 | head -n 1)"
expect_eq "tftp_drop_limit" $((drops + 2)) "$(stat1 tftp_drop_limit)"
release b
release c
wait_until 10 sessions_are 0
pxe1 settings set tftp-sessions 64

behaviour blksize_is_capped_by_tftp_blksize_and_the_mtu
pxe1 settings set tftp-blksize 1024
expect_eq "blksize 1468 under tftp-blksize 1024" "OACK blksize=1024
DATA 1 1024" "$(first_from 10.0.1.2 blksize=1468)"
expect_eq "blksize 512 under tftp-blksize 1024" "OACK blksize=512
DATA 1 512" "$(first_from 10.0.1.2 blksize=512)"
pxe1 settings set tftp-blksize 65464
expect_eq "blksize 8192 on a 1500-byte MTU" "OACK blksize=1468
DATA 1 1468" "$(first_from 10.0.1.2 blksize=8192)"

behaviour windowsize_is_capped_by_tftp_windowsize
pxe1 settings set tftp-windowsize 4
expect_eq "windowsize 16 under tftp-windowsize 4" "OACK windowsize=4
DATA 1 512
DATA 2 512
DATA 3 512
DATA 4 512" "$(first_from 10.0.1.2 windowsize=16)"
expect_eq "windowsize 2 under tftp-windowsize 4" "OACK windowsize=2
DATA 1 512
DATA 2 512" "$(first_from 10.0.1.2 windowsize=2)"
wait_until 10 sessions_are 0
