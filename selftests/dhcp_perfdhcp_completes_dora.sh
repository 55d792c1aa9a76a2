#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kea's perfdhcp (200 simulated clients at 50 exchanges per second, as a
# relay: giaddr = its own address) completes 200 DISCOVER-OFFER and
# REQUEST-ACK exchanges: every message answered, none malformed, and every
# client it simulated ends with a bound lease.
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
# 200 exchanges, then up to 3 s for the last answers (-W, in us); a request
# unanswered after 2 s (-d) counts as a drop.  perfdhcp exits 3 when any
# packet was dropped: the report below judges, and it allows no drop.
perfdhcp_run -r 50 -R 200 -n 200 -d 2 -W 3000000
grep -E '^(Rate|Malformed|\*\*\*Statistics|sent|received|drops)' "$WORK/perfdhcp.txt" | sed 's/^/# /'
"$PYTHON" - "$WORK/perfdhcp.txt" >"$WORK/exchanges" <<-'EOF'
import re, sys
text = open(sys.argv[1]).read()
assert re.search(r"^Malformed packets: 0$", text, re.M), "malformed packets"
for exchange in ("DISCOVER-OFFER", "REQUEST-ACK"):
    part = text.split(f"***Statistics for: {exchange}***")[1].split("***")[0]
    sent = int(re.search(r"^sent packets: (\d+)", part, re.M).group(1))
    received = int(re.search(r"^received packets: (\d+)", part, re.M).group(1))
    print(exchange, sent, received)
EOF
sed 's/^/# /' "$WORK/exchanges"
# Every DISCOVER answered, every OFFER requested, every REQUEST acked.
read -r _ discovers offers < <(sed -n 1p "$WORK/exchanges")
read -r _ requests acks < <(sed -n 2p "$WORK/exchanges")
expect_eq "DISCOVERs sent" 200 "$discovers"
expect_eq "OFFERs received (one per DISCOVER)" "$discovers" "$offers"
expect_eq "REQUESTs sent (one per OFFER)" "$offers" "$requests"
expect_eq "ACKs received (one per REQUEST)" "$requests" "$acks"
expect_eq "dhcp_rx_discover" "$discovers" "$(stat_of "$ns1" dhcp_rx_discover)"
expect_eq "dhcp_tx_offer" "$offers" "$(stat_of "$ns1" dhcp_tx_offer)"
expect_eq "dhcp_rx_request" "$requests" "$(stat_of "$ns1" dhcp_rx_request)"
expect_eq "dhcp_tx_ack" "$acks" "$(stat_of "$ns1" dhcp_tx_ack)"
expect_eq "dhcp_tx_nak" 0 "$(stat_of "$ns1" dhcp_tx_nak)"

behaviour every_perfdhcp_client_is_bound
# Each client that asked holds one lease, bound; no lease is left offered.
leases=$(pxe1 -j lease show)
used=$(pxe1 -j pool show lan | json_query 'j[0]["used"]')
states=$(json_query '" ".join(sorted(set(l["state"] for l in j)))' <<<"$leases")
bound=$(json_query 'len([l for l in j if l["state"] == "bound"])' <<<"$leases")
macs=$(json_query 'len(set(l["mac"] for l in j))' <<<"$leases")
log "pool used $used, leases bound $bound, clients $macs"
expect_eq "lease states" bound "$states"
expect_eq "bound leases (one per client)" "$macs" "$bound"
expect_eq "pool used" "$bound" "$used"
[ "$bound" -gt 0 ]
