#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# proxyDHCP: dnsmasq hands out the addresses, a proxy pool adds the boot
# information for PXE clients only.  A plain client sees dnsmasq alone; a
# PXE client gets two OFFERs, dnsmasq's with an address and ours with
# yiaddr 0.0.0.0, the boot file, siaddr and the PXE options; a REQUEST to
# :4011 gets an ACK with the boot file, unicast back to the client.
#
#   +----------------------------------+       +------------------------------+
#   | $ns1 (server)                    |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 --------------+-veth--+-- cli0                       |
#   |   dnsmasq 10.0.1.50-10.0.1.80    |       |   udhcpc, dhcp_send.py       |
#   |   pxe link, pool "px" proxy      |       |                              |
#   +----------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

PXE_ARGS=(--vendor PXEClient:Arch:00000:UNDI:002001 --arch 0)

ensure_module
dhcp_pair
dhcp_scripts
mac=$(mac_of "$ns2" cli0)

dnsmasq_start "$ns1" srv0 10.0.1.50 10.0.1.80

behaviour proxy_pool_shows_as_proxy
pxe1 pool add px dev srv0 proxy
expect_eq "proxy flag" True "$(pxe1 -j pool show px | json_query 'j[0]["proxy"]')"
expect_error "pxectl: pool add px2: proxy pools take no range or lease options" \
	pxe1 pool add px2 dev srv0 proxy lease 60
pxe1 boot add arch bios vendor PXEClient file pxelinux.0 >/dev/null
capture_start "$ns2" cli0 "$WORK/proxy.pcap"

behaviour plain_client_gets_dnsmasq_lease_and_no_boot_file
udhcpc_once "$ns2" cli0 "$WORK/plain"
ip_in "$(env_of "$WORK/plain.bound" ip)" 10.0.1.50 10.0.1.80
got=$(env_of "$WORK/plain.bound" boot_file)	# fails the test when the query fails
expect_eq "plain boot_file" "" "$got"
expect_eq "leases of the proxy" "[]" "$(pxe1 -j lease show)"

behaviour pxe_discover_gets_dnsmasq_offer_and_proxy_offer
n2 "${DHCP_SEND[@]}" --dev cli0 discover "${PXE_ARGS[@]}" >"$WORK/offers.json"
log "$(cat "$WORK/offers.json")"
offers=$("$PYTHON" -c 'import json, sys; print(json.dumps([json.loads(l) for l in sys.stdin]))' \
	<"$WORK/offers.json")
expect_eq "OFFERs" 2 "$(json_query 'len([o for o in j if o["type"] == 2])' <<<"$offers")"
ours=$(json_query '[o for o in j if o["yiaddr"] == "0.0.0.0"]' <<<"$offers")
theirs=$(json_query '[o for o in j if o["yiaddr"] != "0.0.0.0"]' <<<"$offers")
expect_eq "proxy OFFERs" 1 "$(json_query 'len(j)' <<<"$ours")"
expect_eq "proxy file" pxelinux.0 "$(json_query 'j[0]["file"]' <<<"$ours")"
expect_eq "proxy siaddr" 10.0.1.1 "$(json_query 'j[0]["siaddr"]' <<<"$ours")"
# 60 "PXEClient", 43 present, 54 ours, and no lease time.
expect_eq "proxy option 60" 505845436c69656e74 "$(json_query 'j[0]["options"].get("60")' <<<"$ours")"
expect_eq "proxy has option 43" True "$(json_query '"43" in j[0]["options"]' <<<"$ours")"
expect_eq "proxy option 54" 0a000101 "$(json_query 'j[0]["options"].get("54")' <<<"$ours")"
expect_eq "proxy option 51" None "$(json_query 'j[0]["options"].get("51")' <<<"$ours")"
ip_in "$(json_query 'j[0]["yiaddr"]' <<<"$theirs")" 10.0.1.50 10.0.1.80

# busybox udhcpc takes whichever OFFER comes first and cannot merge a
# proxyDHCP OFFER (yiaddr 0) with the address OFFER as PXE firmware does;
# the OFFERs themselves are checked above.  The :4011 step needs an
# address: a plain lease from dnsmasq.
udhcpc_once "$ns2" cli0 "$WORK/pxe"
ip2 addr add "$(env_of "$WORK/pxe.bound" ip)/24" dev cli0

behaviour request_to_4011_gets_ack_with_boot_file
client=$(env_of "$WORK/pxe.bound" ip)
n2 "${DHCP_SEND[@]}" --dev cli0 request --to 10.0.1.1 --port 4011 --ciaddr "$client" \
	"${PXE_ARGS[@]}" >"$WORK/ack.json"
log "$(cat "$WORK/ack.json")"
expect_eq "4011 reply type" 5 "$(head -n 1 "$WORK/ack.json" | json_query 'j["type"]')"
expect_eq "4011 reply file" pxelinux.0 "$(head -n 1 "$WORK/ack.json" | json_query 'j["file"]')"
expect_eq "4011 reply siaddr" 10.0.1.1 "$(head -n 1 "$WORK/ack.json" | json_query 'j["siaddr"]')"

behaviour proxy_replies_pass_tshark
capture_stop
ours=$(capture_count "$WORK/proxy.pcap" "p['dhcp.type'] == '2' and \
	p['dhcp.ip.your'] == '0.0.0.0' and p['dhcp.file'] == 'pxelinux.0'")
[ "$ours" -ge 2 ] || { log "proxy replies with the boot file captured: $ours"; false; }
capture_clean "$WORK/proxy.pcap" 4
