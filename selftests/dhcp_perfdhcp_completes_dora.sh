#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kea's perfdhcp (200 simulated clients at 50 exchanges per second, as a
# relay: giaddr = its own address) completes DISCOVER-OFFER and
# REQUEST-ACK exchanges with few drops and no malformed packet.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (perfdhcp)              |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 10.0.1.2/24           |
#   |   pool "lan" .10-.250        |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
ip2 addr add 10.0.1.2/24 dev cli0
pxe1 pool add lan dev srv0 range 10.0.1.10 10.0.1.250

behaviour perfdhcp_completes_dora_exchanges
# perfdhcp exits 3 when any packet was dropped: the report below judges.
rc=0
(cd "$WORK" && n2 timeout 60 perfdhcp -4 -l cli0 -r 50 -R 200 -p 5) >"$WORK/perfdhcp.txt" 2>&1 || rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
	sed 's/^/#   /' "$WORK/perfdhcp.txt"
	false
fi
grep -E '^(Rate|Malformed|\*\*\*Statistics|sent|received|drops)' "$WORK/perfdhcp.txt" | sed 's/^/# /'
"$PYTHON" - "$WORK/perfdhcp.txt" <<-'EOF'
import re, sys
text = open(sys.argv[1]).read()
assert re.search(r"^Malformed packets: 0$", text, re.M), "malformed packets"
for exchange in ("DISCOVER-OFFER", "REQUEST-ACK"):
    part = text.split(f"***Statistics for: {exchange}***")[1].split("***")[0]
    sent = int(re.search(r"^sent packets: (\d+)", part, re.M).group(1))
    received = int(re.search(r"^received packets: (\d+)", part, re.M).group(1))
    print(f"# {exchange}: sent {sent}, received {received}")
    assert sent > 0 and received > 0, f"{exchange}: nothing exchanged"
    # Emulated CPUs are slow; a server that works loses almost nothing.
    assert received >= 0.9 * sent, f"{exchange}: more than 10% dropped"
EOF

behaviour leases_of_perfdhcp_clients_are_bound
used=$(pxe1 -j pool show lan | json_query 'j[0]["used"]')
bound=$(pxe1 -j lease show | json_query 'len([l for l in j if l["state"] == "bound"])')
log "pool used $used, bound $bound"
[ "$bound" -gt 0 ]
expect_eq "tx offers counted" 1 "$(( $(stat_of "$ns1" dhcp_tx_offer) > 0 ))"
