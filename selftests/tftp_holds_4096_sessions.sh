#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 4,096 sessions at once: tftp_client.py hold sends 4,096 RRQs from 4,096
# source ports (limits raised to 4096, option timeout 120 so that the
# server does not resend while the client is still opening the others),
# acknowledges the OACK of each (a session never acknowledged ends after
# 3 s) and nothing more; the server counts 4,096 active sessions, then the
# client's ERRORs end them all.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
pxe1 settings set tftp-sessions 4096 tftp-per-client 4096
image_random boot.img 100000
ulimit -n 8192

behaviour server_holds_4096_sessions
ready=$TFTP_DIR/ready
release=$TFTP_DIR/release
n2 "$PYTHON" "$CLIENT_PY" hold "$SERVER" boot.img 4096 --ready "$ready" \
	--release "$release" --timeout 300 --rto 120 --ack0 &
holder=$!
wait_until 300 test -e "$ready"
expect_eq "sessions the server answered" 4096 "$(cat "$ready")"
expect_eq "tftp_sessions_active" 4096 "$(stat1 tftp_sessions_active)"
expect_eq "tftp_drop_limit" 0 "$(stat1 tftp_drop_limit)"
expect_eq "tftp_half_open_expired" 0 "$(stat1 tftp_half_open_expired)"

behaviour one_more_is_refused_by_the_limit
reply=$(tftp_send "$(hexof '\000\001boot.img\000octet\000')" --wait 2 | head -n 1)
expect_eq "answer to session 4097" "ERROR 0 too many transfers; try again later" "$reply"
expect_eq "tftp_drop_limit" 1 "$(stat1 tftp_drop_limit)"

behaviour client_errors_end_every_session
touch "$release"
wait $holder
wait_until 60 sessions_are 0
expect_ge "tftp_rx_error" 4096 "$(stat1 tftp_rx_error)"

behaviour server_serves_after
busybox_get boot.img "$TFTP_DIR/out"
expect_same "busybox after 4096 sessions" "$(src_of boot.img)" "$TFTP_DIR/out"
