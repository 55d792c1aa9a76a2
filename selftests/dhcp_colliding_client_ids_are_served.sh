#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Clients whose ids (option 61) all fall into one bucket of the lease
# table as it was hashed before (jhash, seed 0; a 64-address pool has 16
# buckets) are each offered an address of their own: the lease table lists
# an offered lease for every one of them.  The table is now keyed with a random hsiphash
# key (docs/dhcp.md), so no client can aim at a bucket; how long a chain
# gets is not observable from outside without timing, so this test pins
# the outcome for such clients, not the chain length.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2                         |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                       |
#   |   pool "lan" .100-.163       |       |   dhcp_colliding_ids.py      |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.163

behaviour clients_with_colliding_ids_each_get_an_offer
# A DISCOVER lost on the way is sent again, as a client would: 3 rounds.
echo '[]' >"$WORK/leases.json"
for round in 1 2 3; do
	n2 "$PYTHON" "$SELFTESTS/dhcp_colliding_ids.py" cli0 48 16 \
		"$WORK/leases.json" >"$WORK/ids.json"
	pxe1 -j lease show >"$WORK/leases.json"
	[ "$(json_query 'len(j)' <"$WORK/leases.json")" -lt 48 ] || break
done
"$PYTHON" - "$WORK/ids.json" "$WORK/leases.json" <<-'PY'
import ipaddress, json, sys
ids = json.load(open(sys.argv[1]))
leases = json.load(open(sys.argv[2]))
offered = {l["client_id"]: l["ip"] for l in leases if l["state"] == "offered"}
missing = [i for i in ids if i not in offered]
assert not missing, f"{len(missing)} of {len(ids)} clients got no offer: {missing[:3]}"
assert len(leases) == len(ids), f"{len(leases)} leases for {len(ids)} clients"
addrs = list(offered.values())
assert len(set(addrs)) == len(ids), "two clients were offered the same address"
lo, hi = ipaddress.IPv4Address("10.0.1.100"), ipaddress.IPv4Address("10.0.1.163")
assert all(lo <= ipaddress.IPv4Address(a) <= hi for a in addrs), addrs
print(f"# {len(ids)} clients in one jhash bucket, {len(set(addrs))} addresses offered")
PY
