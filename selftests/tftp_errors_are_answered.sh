#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the server answers to requests it cannot serve and to broken packets:
# a missing file is an ERROR 1 at once, a write an ERROR 2, a broken packet an
# ERROR 4/8 or a counted drop, and none of it stops the server.  The packets
# are crafted by tftp_client.py send.  Topology: lib_tftp.sh.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_tftp.sh"

tftp_topology
image_random small.bin 3000
out=$TFTP_DIR/out

# first_answer HEX: the first line tftp_client.py send prints.
first_answer() { tftp_send "$@" --abort | head -n 1; }

behaviour missing_file_is_error_1_within_one_round_trip
before=$(stat1 tftp_tx_error_1)
reply=$(tftp_send "$(hexof '\000\001no-such-file\000octet\000')" --wait 1)
log "$reply"
expect_eq "answer to RRQ no-such-file" "ERROR 1 File not found" "$(sed -n 1p <<<"$reply")"
port=$(sed -n 's/^from .*://p' <<<"$reply")
[ "$port" != 69 ] || { log "ERROR 1 came from port 69, not from a fresh port"; false; }
expect_eq "tftp_tx_error_1" $((before + 1)) "$(stat1 tftp_tx_error_1)"
expect_eq "tftp_sessions_active (none kept for a missing file)" 0 "$(stat1 tftp_sessions_active)"

behaviour missing_file_in_netascii_with_options_is_error_1
reply=$(first_answer "$(hexof '\000\001missing\000NetASCII\000blksize\0001468\000tsize\0000\000')" --wait 1)
expect_eq "answer to RRQ missing (netascii, options)" "ERROR 1 File not found" "$reply"

behaviour wrq_is_error_2
before=$(stat1 tftp_tx_error_2)
wrq_before=$(stat1 tftp_rx_wrq)
reply=$(first_answer "$(hexof '\000\002small.bin\000octet\000')" --wait 1)
expect_eq "answer to WRQ small.bin" "ERROR 2 Access violation: this server only reads" "$reply"
expect_eq "tftp_tx_error_2" $((before + 1)) "$(stat1 tftp_tx_error_2)"
expect_eq "tftp_rx_wrq" $((wrq_before + 1)) "$(stat1 tftp_rx_wrq)"

# broken HEX WHAT: the packet is answered with ERROR 4 or dropped, and
# tftp_tx_error_4 or tftp_drop_malformed (or both) went up.
broken() {
	local b4 bm reply
	b4=$(stat1 tftp_tx_error_4)
	bm=$(stat1 tftp_drop_malformed)
	reply=$(first_answer "$1" --wait 1)
	log "$2: $reply"
	case $reply in
	none | "ERROR 4"*) ;;
	*) log "$2: expected ERROR 4 or nothing, got: $reply"; return 1 ;;
	esac
	if [ $(($(stat1 tftp_tx_error_4) + $(stat1 tftp_drop_malformed))) -le $((b4 + bm)) ]; then
		log "$2: neither tftp_tx_error_4 ($b4) nor tftp_drop_malformed ($bm) went up"
		return 1
	fi
}

behaviour truncated_rrq_is_refused_and_counted
broken "$(hexof '\000\001')" "RRQ with nothing after the opcode"
broken "$(hexof '\000')" "one byte"
broken "$(hexof '\000\001small.bin\000')" "RRQ without a mode"

behaviour rrq_without_nul_terminator_is_refused_and_counted
broken "$(hexof '\000\001small.bin')" "file name without NUL"
broken "$(hexof '\000\001small.bin\000octet')" "mode without NUL"
broken "$(hexof '\000\001small.bin\000octet\000blksize\000512')" "option value without NUL"

behaviour unknown_modes_are_refused_and_counted
broken "$(hexof '\000\001small.bin\000mail\000')" "mode mail"
broken "$(hexof '\000\001small.bin\000foo\000')" "mode foo"

behaviour unknown_opcodes_to_port_69_are_refused
broken "$(hexof '\000\004\000\001')" "ACK to port 69"
broken "$(hexof '\000\011xyz\000')" "opcode 9"

behaviour blksize_0_is_error_8
before=$(stat1 tftp_tx_error_8)
reply=$(first_answer "$(hexof '\000\001small.bin\000octet\000blksize\0000\000')" --wait 1)
expect_eq "answer to blksize 0" "ERROR 8 option refused" "$reply"
expect_eq "tftp_tx_error_8" $((before + 1)) "$(stat1 tftp_tx_error_8)"

# absurd HEX WHAT: an option value out of range is refused (ERROR 8 or 4),
# dropped, or ignored: then the transfer starts without it (DATA 1 of 512
# bytes, or an OACK that does not carry the option).
absurd() {
	local reply
	reply=$(first_answer "$1" --wait 1)
	log "$2: $reply"
	case $reply in
	none | "ERROR 8"* | "ERROR 4"* | "DATA 1 512") ;;
	"OACK"*)
		case $reply in
		*"$3="*) log "$2: the OACK grants the absurd option"; return 1 ;;
		esac ;;
	*) log "$2: unexpected answer: $reply"; return 1 ;;
	esac
}

behaviour absurd_option_values_are_not_granted
absurd "$(hexof '\000\001small.bin\000octet\000blksize\00099999999999999999999\000')" \
	"blksize 99999999999999999999" blksize
absurd "$(hexof '\000\001small.bin\000octet\000blksize\000-5\000')" "blksize -5" blksize
absurd "$(hexof '\000\001small.bin\000octet\000blksize\000\000')" "blksize empty" blksize
absurd "$(hexof '\000\001small.bin\000octet\000tsize\000garbage\000')" "tsize garbage" tsize
absurd "$(hexof '\000\001small.bin\000octet\000windowsize\0000\000')" "windowsize 0" windowsize
absurd "$(hexof '\000\001small.bin\000octet\000timeout\000999\000')" "timeout 999" timeout
wait_until 30 sessions_are 0

behaviour big_blksize_is_clamped_to_the_mtu
reply=$(first_answer "$(hexof '\000\001small.bin\000octet\000blksize\00065464\000')" --wait 1)
expect_eq "answer to blksize 65464 on a 1500-byte MTU" "OACK blksize=1468" "$reply"

behaviour tsize_is_the_image_size
reply=$(first_answer "$(hexof '\000\001small.bin\000octet\000tsize\0000\000')" --wait 1)
expect_eq "answer to tsize 0" "OACK tsize=3000" "$reply"

behaviour unknown_options_are_ignored
reply=$(first_answer "$(hexof '\000\001small.bin\000octet\000frobnicate\0001\000')" --wait 1)
expect_eq "answer to an unknown option alone" "DATA 1 512" "$reply"
wait_until 30 sessions_are 0

behaviour server_still_serves_after_the_garbage
busybox_get small.bin "$out"
expect_same "busybox small.bin" "$(src_of small.bin)" "$out"
