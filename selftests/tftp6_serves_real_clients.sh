#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TFTP over IPv6 (issue 14, item 4): on a link with an IPv6 pool the
# module serves its images at the device's IPv6 addresses, from the same
# image store and session table as over IPv4.  Real clients download them
# intact: tftp-hpa -6 (lock-step, 512-byte blocks, past block 65535), curl
# (blksize, clamped to what fits the link's MTU over IPv6) and atftp
# (blksize, tsize and windowsize 16).  Without an IPv6 pool the link's
# IPv6 traffic is the stack's.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 fd00:1::1/64 ---------+-veth--+-- cli0 fd00:1::2/64         |
#   |   pool "lan6", images        |       |   tftp -6, curl, atftp       |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

# No crafted DHCPv6 frames here: no scapy.
DHCP6_KINDS=()
SERVER6=fd00:1::1

cleanup_test() { dhcp_lib_cleanup; }

# image NAME BYTES: random bytes in $WORK/src.NAME, loaded as NAME.
image() {
	head -c "$2" /dev/urandom >"$WORK/src.$1"
	pxe1 image load "$1" "$WORK/src.$1" >/dev/null
}

# same NAME: $WORK/out is image NAME's bytes.
same() {
	[ -f "$WORK/out" ] || { log "$1: nothing written"; return 1; }
	cmp "$WORK/src.$1" "$WORK/out" || {
		log "$1: $(stat -c %s "$WORK/out") bytes, $(stat -c %s "$WORK/src.$1") sent"
		return 1
	}
}

# event_field EVENT FILE FIELD: FIELD of the latest monitor event EVENT
# for FILE, as the monitor printed it (JSON).
event_field() {
	jq -r --arg e "$1" --arg f "$2" --arg k "$3" \
		'select(.event == $e and .file == $f) | .[$k]' "$WORK/monitor.json" | tail -n 1
}

# done_count_is FILE N: the monitor printed N tftp-done events for FILE.
done_count_is() {
	[ "$(jq -r 'select(.event == "tftp-done") | .file' "$WORK/monitor.json" |
		grep -cx "$1")" = "$2" ]
}

# rrq_count_above N: the server counted more than N read requests.
rrq_count_above() { [ "$(stat_of "$ns1" tftp_rx_rrq)" -gt "$1" ]; }

ensure_module
dhcp6_pair
ip2 -6 addr add fd00:1::2/64 dev cli0 nodad
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff
pxe1 settings set tftp-windowsize 16
image small.bin 1000
image mid.bin $((3 * 1024 * 1024 + 77))
monitor_start "$ns1" "$WORK/monitor.json"

behaviour hpa_downloads_over_ipv6
n2 timeout 120 tftp -6 "$SERVER6" -c get small.bin "$WORK/out"
same small.bin
rm -f "$WORK/out"

behaviour curl_blksize_is_clamped_to_the_ipv6_mtu
# MTU 1500: 1500 - 40 (IPv6) - 8 (UDP) - 4 (TFTP) = 1448, not the 1468
# asked for (which fits over IPv4).
n2 timeout 300 curl -sS --tftp-blksize 1468 "tftp://[$SERVER6]/mid.bin" -o "$WORK/out"
same mid.bin
rm -f "$WORK/out"
wait_until 10 grep -q '"tftp-done".*mid.bin' "$WORK/monitor.json"
expect_eq "blksize granted" 1448 "$(event_field tftp-start mid.bin blksize)"

behaviour monitor_names_the_ipv6_client
expect_eq "client" fd00:1::2 "$(event_field tftp-done mid.bin client)"

behaviour atftp_downloads_with_tsize_and_windowsize_16
n2 timeout 300 atftp --option "blksize 1400" --option "tsize 0" \
	--option "windowsize 16" -g -r mid.bin -l "$WORK/out" "$SERVER6" >/dev/null
same mid.bin
rm -f "$WORK/out"
wait_until 10 done_count_is mid.bin 2
expect_eq "blksize granted" 1400 "$(event_field tftp-done mid.bin blksize)"
expect_eq "windowsize granted" 16 "$(event_field tftp-done mid.bin windowsize)"

behaviour hpa_downloads_past_block_65535
# 512-byte blocks: 34 MB is about 69,600 blocks; the block number rolls
# over to 0 and the transfer goes on.
image big.bin $((34 * 1024 * 1024))
n2 timeout 900 tftp -6 -m binary "$SERVER6" -c get big.bin "$WORK/out"
same big.bin
wait_until 10 grep -q '"tftp-done".*big.bin' "$WORK/monitor.json"
expect_eq "bytes" $((34 * 1024 * 1024)) "$(event_field tftp-done big.bin bytes)"
expect_eq "blksize" 512 "$(event_field tftp-done big.bin blksize)"
rm -f "$WORK/out" "$WORK/src.big.bin"
pxe1 image del big.bin

behaviour missing_file_gets_error_1
rrq_before=$(stat_of "$ns1" tftp_rx_rrq)
err1_before=$(stat_of "$ns1" tftp_tx_error_1)
if n2 timeout 60 tftp -6 "$SERVER6" -c get nosuch.bin "$WORK/out" >"$WORK/hpa.log" 2>&1 &&
	! grep -qi error "$WORK/hpa.log"; then
	log "tftp -6 reported no error"
	false
fi
expect_eq "tftp_tx_error_1" $((err1_before + 1)) "$(stat_of "$ns1" tftp_tx_error_1)"
expect_eq "tftp_rx_rrq" $((rrq_before + 1)) "$(stat_of "$ns1" tftp_rx_rrq)"

behaviour rrq_from_a_loopback_multicast_or_v4_mapped_source_is_the_stacks
# One RRQ (scapy) from each source, then the same from cli0's own address:
# only the last one is counted (so the frames themselves are good ones).
rrq_before=$(stat_of "$ns1" tftp_rx_rrq)
n2 "$PYTHON" -c '
import logging, sys, time
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import IPv6, UDP, Ether, Raw, sendp
dev, mac, server = sys.argv[1:]
rrq = Raw(b"\0\x01small.bin\0octet\0")
for src in ("::ffff:10.0.1.2", "::1", "ff02::1", "fd00:1::2"):
    sendp(Ether(dst=mac) / IPv6(src=src, dst=server) /
          UDP(sport=40000, dport=69) / rrq, iface=dev, verbose=False)
    time.sleep(0.2)
' cli0 "$(mac_of "$ns1" srv0)" "$SERVER6"
wait_until 10 rrq_count_above "$rrq_before"
sleep 1
expect_eq "tftp_rx_rrq" $((rrq_before + 1)) "$(stat_of "$ns1" tftp_rx_rrq)"

behaviour no_ipv6_pool_leaves_tftp_to_the_stack
pxe1 pool del lan6
rrq_before=$(stat_of "$ns1" tftp_rx_rrq)
rm -f "$WORK/out"
if n2 timeout 30 tftp -6 "$SERVER6" -c get small.bin "$WORK/out" >"$WORK/hpa.log" 2>&1 &&
	[ -s "$WORK/out" ]; then
	log "downloaded without an IPv6 pool"
	false
fi
expect_eq "tftp_rx_rrq" "$rrq_before" "$(stat_of "$ns1" tftp_rx_rrq)"
