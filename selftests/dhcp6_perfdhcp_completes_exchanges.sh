#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kea's perfdhcp -6 (200 simulated clients at 50 exchanges per second, -u:
# it checks that no address is given twice) completes 200
# SOLICIT-ADVERTISE and REQUEST-REPLY exchanges from the client's link:
# exit 0, every message answered, none malformed, the module's counters
# the same, and the module's lease table is exactly the leases perfdhcp
# got, bound, inside the pool.  Then perfdhcp -6 -A1 (as a relay:
# Relay-Forw from cli0's address fd00:1::2, which is also the
# link-address, so the pool's /64 serves it) completes 50 more, answered
# in Relay-Repl, each lease carrying the MAC of the client's DUID-LLT.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (perfdhcp -6)           |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 fe80::, then also     |
#   |        fd00:1::1/64          |       |        fd00:1::2/64          |
#   |   pool "lan6"                |       |                              |
#   |   fd00:1::100..fd00:1::1ff   |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

cleanup_test() { dhcp_lib_cleanup; }

COUNTERS=(dhcp6_rx_solicit dhcp6_tx_advertise dhcp6_rx_request dhcp6_tx_reply
	dhcp6_rx_renew dhcp6_rx_rebind dhcp6_rx_release dhcp6_drop_bad_length
	dhcp6_drop_ext_header dhcp6_drop_bad_checksum dhcp6_drop_malformed
	dhcp6_drop_no_pool dhcp6_drop_exhausted dhcp6_drop_not_ours
	dhcp6_drop_nomem tx_errors)

# expect_counters BEFORE SOLICITS REQUESTS: since BEFORE (counters_of), the
# module got SOLICITS Solicits and REQUESTS Requests, answered each, and
# dropped, failed or saw nothing else.
expect_counters() {
	local now
	now=$(counters_of "$ns1" "${COUNTERS[@]}")
	log "counters: $now"
	"$PYTHON" -c '
import sys
before = dict(kv.split("=") for kv in sys.argv[1].split())
after = dict(kv.split("=") for kv in sys.argv[2].split())
want = {k: 0 for k in before}
want.update(dhcp6_rx_solicit=int(sys.argv[3]), dhcp6_tx_advertise=int(sys.argv[3]),
            dhcp6_rx_request=int(sys.argv[4]), dhcp6_tx_reply=int(sys.argv[4]))
got = {k: int(after[k]) - int(before[k]) for k in before}
if got != want:
    print("# counters moved:   ", got)
    print("# expected them at: ", want)
    sys.exit(1)' "$1" "$now" "$2" "$3"
}

# expect_exchanges CLIENTS: perfdhcp exited 0, and of CLIENTS exchanges
# each Solicit got its Advertise and each Request its Reply, none dropped.
expect_exchanges() {
	expect_eq "perfdhcp exit status" 0 "$PERFDHCP6_RC"
	perfdhcp6_exchanges SOLICIT-ADVERTISE REQUEST-REPLY >"$WORK/exchanges"
	sed 's/^/# /' "$WORK/exchanges"
	read -r _ solicits advertises sa_drops < <(sed -n 1p "$WORK/exchanges")
	read -r _ requests replies rr_drops < <(sed -n 2p "$WORK/exchanges")
	expect_eq "Solicits sent" "$1" "$solicits"
	expect_eq "Advertises received (one per Solicit)" "$solicits" "$advertises"
	expect_eq "Requests sent (one per Advertise)" "$advertises" "$requests"
	expect_eq "Replies received (one per Request)" "$requests" "$replies"
	expect_eq "drops" "0 0" "$sa_drops $rr_drops"
}

# expect_leases CLIENTS: the module holds exactly the leases perfdhcp got
# (same DUID, same address), CLIENTS of them, all bound in "lan6", inside
# the pool; the pool counts them.  Their "DUID ADDRESS STATE POOL MAC"
# lines are left in $WORK/leases6.
expect_leases() {
	local got n states outside
	perfdhcp6_leases >"$WORK/perfdhcp6.leases"
	leases6_of "$ns1" >"$WORK/leases6"
	got=$(awk '{ print $1, $2 }' "$WORK/leases6")
	n=$(wc -l <"$WORK/leases6")
	log "$n IPv6 leases, from $(head -n 1 "$WORK/leases6") to $(tail -n 1 "$WORK/leases6")"
	expect_eq "leases perfdhcp got" "$1" "$(wc -l <"$WORK/perfdhcp6.leases")"
	expect_eq "the module's leases are perfdhcp's" "$(cat "$WORK/perfdhcp6.leases")" "$got"
	expect_eq "IPv6 leases" "$1" "$n"
	states=$(awk '{ print $3, $4 }' "$WORK/leases6" | sort -u)
	expect_eq "lease states and pools" "bound lan6" "$states"
	outside=$(awk '{ print $2 }' "$WORK/leases6" | "$PYTHON" -c '
import ipaddress, sys
lo, hi = ipaddress.ip_address("fd00:1::100"), ipaddress.ip_address("fd00:1::1ff")
print(" ".join(a for a in sys.stdin.read().split()
               if not lo <= ipaddress.ip_address(a) <= hi))')
	expect_eq "leases outside fd00:1::100..fd00:1::1ff" "" "$outside"
	expect_eq "distinct addresses" "$1" "$(awk '{ print $2 }' "$WORK/leases6" | sort -u | wc -l)"
	expect_eq "pool used" "$1" "$(pxe1 -j pool show lan6 | json_query 'j[0]["used"]')"
}

ensure_module
# perfdhcp only: no frames of dhcp6_send.py.
DHCP6_KINDS=()
dhcp6_pair
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff lease 3600

behaviour perfdhcp6_completes_200_exchanges
before=$(counters_of "$ns1" "${COUNTERS[@]}")
# 200 clients (DUID-LLTs of 200 MACs), one exchange each, then up to 3 s
# for the last answers (-W, in us); unanswered after 2 s (-d) is a drop.
perfdhcp6_run -r 50 -R 200 -n 200 -d 2 -W 3000000 -u
expect_exchanges 200
expect_counters "$before" 200 200

behaviour every_perfdhcp6_client_holds_its_lease
expect_leases 200
# On the client's link the lease's MAC is the frame's source: cli0's.
expect_eq "lease MACs" "$(mac_of "$ns2" cli0)" "$(awk '{ print $5 }' "$WORK/leases6" | sort -u)"

behaviour perfdhcp6_relayed_completes_exchanges
pxe1 lease flush
ip2 -6 addr add fd00:1::2/64 dev cli0 nodad
before=$(counters_of "$ns1" "${COUNTERS[@]}")
# -A1: each message in a Relay-Forw whose link-address and peer-address
# are cli0's source address, fd00:1::2; perfdhcp takes the Relay-Repl's
# inner message as the answer.
perfdhcp6_run -A1 -r 50 -R 50 -n 50 -d 2 -W 3000000 -u
expect_exchanges 50
expect_counters "$before" 50 50
expect_leases 50
# Relayed, the lease's MAC is the one in the client's DUID-LLT (type 1,
# hardware type 1, 4 bytes of time, then the MAC): perfdhcp's 00:0c:01:...
mismatched=$(awk '{ m = substr($1, 17); gsub(/../, "&:", m); sub(/:$/, "", m)
	if (substr($1, 1, 8) != "00010001" || m != $5) print $1, $5 }' "$WORK/leases6")
expect_eq "leases whose MAC is not their DUID-LLT's" "" "$mismatched"
