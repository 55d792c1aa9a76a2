#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A link on a device with IPv4's smallest MTU (68) works within it: a
# DHCP reply (at least 300 bytes, sent with DF) cannot fit, so a DISCOVER
# gets no reply and the refused reply counts in tx_errors; TFTP grants a
# blksize of 36 (68 - 20 - 8 - 4) to a client asking for more, and a
# download with it arrives intact, every frame within the MTU.  Raising the
# MTU brings DHCP back.  (pxe_tx_max_payload(): an MTU below 68 counts as
# 68, the payload is never below 40 -- no underflow.)
#
# The device is a bridge: its own MTU is 68 while its port takes full
# frames, so a client's full-size DISCOVER still reaches the hook.
#
#   +----------------------------------------+       +---------------------------+
#   | $ns1 (server)                          |       | $ns2 (client)             |
#   |   br0 10.0.1.1/24 mtu 68, pxe link     |       |                           |
#   |    `- srv0 (port, mtu 1500) -----------+-veth--+-- cli0 10.0.1.2/24        |
#   +----------------------------------------+       +---------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" srv0 "" "$ns2" cli0 10.0.1.2/24
ip1 link add br0 type bridge forward_delay 0
ip1 link set srv0 master br0
ip1 addr add 10.0.1.1/24 dev br0
ip1 link set br0 up
ip1 link set br0 mtu 68

behaviour link_on_a_68_byte_mtu_device_is_added
pxe1 link add dev br0
expect_eq "links" br0 "$(link_devs "$ns1")"
pxe1 pool add lan dev br0 range 10.0.1.100 10.0.1.199
head -c 1000 /dev/urandom >"$WORK/img"
pxe1 image load img "$WORK/img" >/dev/null

behaviour discover_gets_no_reply_and_counts_a_tx_error
tx_errors=$(stat_of "$ns1" tx_errors)
discovers=$(stat_of "$ns1" dhcp_rx_discover)
n2 "${DHCP_SEND[@]}" --dev cli0 discover --timeout 2 --expect-none
expect_eq "dhcp_rx_discover" $((discovers + 1)) "$(stat_of "$ns1" dhcp_rx_discover)"
expect_eq "tx_errors" $((tx_errors + 1)) "$(stat_of "$ns1" tx_errors)"

behaviour tftp_blksize_is_capped_to_the_mtu
# RRQ "img" octet blksize 1468
rrq=$("$PYTHON" -c 'print((b"\0\x01img\0octet\0blksize\x001468\0").hex())')
got=$(n2 "$PYTHON" "$SELFTESTS/tftp_client.py" send 10.0.1.1 "$rrq" --abort | head -n 1)
expect_eq "answer" "OACK blksize=36" "$got"

behaviour tftp_download_within_the_mtu_is_intact
n2 "$PYTHON" "$SELFTESTS/tftp_client.py" get 10.0.1.1 img "$WORK/got" \
	--blksize 1468 >"$WORK/get.log"
expect_eq "download" "$(sha256sum <"$WORK/img")" "$(sha256sum <"$WORK/got")"
# 1000 bytes in blocks of 36: 27 full ones and one of 28.
expect_eq "blocks" "blocks 28 bytes 1000" "$(cut -d' ' -f1-4 "$WORK/get.log")"

behaviour raising_the_mtu_brings_dhcp_back
ip1 link set br0 mtu 1500
n2 "${DHCP_SEND[@]}" --dev cli0 discover >"$WORK/good.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/good.json" | json_query 'j["type"]')"
