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

# answered HEX WHAT ANSWER COUNTER...: the first answer to HEX is exactly
# ANSWER ("none": nothing within a second), as docs/tftp.md's table says;
# of tftp_drop_malformed, tftp_tx_error_4 and tftp_rx_rrq, exactly the
# COUNTERs went up, by one each, and the others stayed.
answered() {
	local hex=$1 what=$2 want=$3 c reply rc=0
	shift 3
	local -A was
	for c in tftp_drop_malformed tftp_tx_error_4 tftp_rx_rrq; do
		was[$c]=$(stat1 $c)
	done
	reply=$(first_answer "$hex" --wait 1)
	log "$what: $reply"
	expect_eq "answer to $what" "$want" "$reply" || rc=1
	for c in tftp_drop_malformed tftp_tx_error_4 tftp_rx_rrq; do
		local inc=0
		[[ " $* " != *" $c "* ]] || inc=1
		expect_eq "$c after $what" $((was[$c] + inc)) "$(stat1 $c)" || rc=1
	done
	return $rc
}

BADOP="ERROR 4 Illegal TFTP operation"
BADMODE="ERROR 4 Illegal TFTP operation: mode must be octet or netascii"

behaviour truncated_rrq_is_dropped_and_counted
answered "$(hexof '\000\001')" "RRQ with nothing after the opcode" none tftp_drop_malformed
answered "$(hexof '\000')" "one byte" none tftp_drop_malformed
answered "$(hexof '\000\001small.bin\000')" "RRQ without a mode" none tftp_drop_malformed

behaviour rrq_without_nul_terminator_is_dropped_and_counted
answered "$(hexof '\000\001small.bin')" "file name without NUL" none tftp_drop_malformed
answered "$(hexof '\000\001small.bin\000octet')" "mode without NUL" none tftp_drop_malformed
answered "$(hexof '\000\001small.bin\000octet\000blksize\000512')" "option value without NUL" \
	none tftp_drop_malformed

behaviour unknown_modes_are_error_4
answered "$(hexof '\000\001small.bin\000mail\000')" "mode mail" "$BADMODE" tftp_tx_error_4 tftp_rx_rrq
answered "$(hexof '\000\001small.bin\000foo\000')" "mode foo" "$BADMODE" tftp_tx_error_4 tftp_rx_rrq

behaviour other_opcodes_to_port_69_are_error_4
answered "$(hexof '\000\004\000\001')" "ACK to port 69" "$BADOP" tftp_tx_error_4 tftp_drop_malformed
answered "$(hexof '\000\011xyz\000')" "opcode 9" "$BADOP" tftp_tx_error_4 tftp_drop_malformed

behaviour blksize_0_is_error_8
before=$(stat1 tftp_tx_error_8)
reply=$(first_answer "$(hexof '\000\001small.bin\000octet\000blksize\0000\000')" --wait 1)
expect_eq "answer to blksize 0" "ERROR 8 option refused" "$reply"
expect_eq "tftp_tx_error_8" $((before + 1)) "$(stat1 tftp_tx_error_8)"

# An option value out of range, or not decimal digits that fit in 64 bits,
# is ignored (docs/tftp.md): with no other option, DATA 1 of 512 bytes
# follows at once.
behaviour absurd_option_values_are_ignored
for req in 'blksize\00099999999999999999999' 'blksize\000-5' 'blksize\000' \
	'tsize\000garbage' 'windowsize\0000' 'timeout\000999' 'timeout\0000'; do
	reply=$(first_answer "$(hexof "\\000\\001small.bin\\000octet\\000$req\\000")" --wait 1)
	expect_eq "answer to ${req//\\000/ }" "DATA 1 512" "$reply"
done
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
