#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/dhcp.md "Boot rules": `mac MAC/LEN` matches the first LEN bits of
# chaddr (48 without /LEN), `pool NAME` the pool serving the client; rules
# are tried by prio and the first whose every criterion holds wins; a rule
# naming a deleted pool stays and matches nobody until a pool of that name
# exists again; each answer counts in the rule's hits.  The OFFER's file
# field says which rule answered (selftests/dhcp_stack.py files).
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients, by --mac)     |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                       |
#   |   pool "a" 10.0.1.100..199   |       |                              |
#   |   srv1 10.0.3.1/24 ----------+-veth--+-- cli1                       |
#   |   pool "b" 10.0.3.100..199   |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

# expect_files DEV "MAC FILE"...: a DISCOVER from each MAC on DEV gets an
# OFFER whose file field is FILE (selftests/dhcp_stack.py files).
expect_files() {
	local dev=$1 pair macs=() want="" got
	shift
	for pair in "$@"; do
		macs+=("${pair% *}")
		want+="$pair"$'\n'
	done
	got=$(n2 "$PYTHON" "$SELFTESTS/dhcp_stack.py" files --dev "$dev" "${macs[@]}")
	expect_eq "boot files on $dev" "${want%$'\n'}" "$got"
}

ensure_module
dhcp_pair
veth_add "$ns1" srv1 10.0.3.1/24 "$ns2" cli1
pxe1 link add dev srv1
pxe1 pool add a dev srv0 range 10.0.1.100 10.0.1.199
pxe1 pool add b dev srv1 range 10.0.3.100 10.0.3.199

exact=$(pxe1 boot add mac 52:54:00:00:00:07 file exact.0 prio 5)
by_pool=$(pxe1 boot add pool b file b.efi prio 10)
mac28=$(pxe1 boot add mac 52:54:00:a0:00:00/28 file m28.0 prio 20)
mac24a=$(pxe1 boot add mac 52:54:01:00:00:00/24 pool a file m24a.0 prio 30)
fallback=$(pxe1 boot add file default.0)

behaviour mac_without_len_matches_that_mac_only
expect_files cli0 "52:54:00:00:00:07 exact.0" \
	"52:54:00:00:00:06 default.0" \
	"52:54:00:00:01:07 default.0"

behaviour mac_len_28_matches_the_first_28_bits
expect_files cli0 "52:54:00:a0:00:00 m28.0" \
	"52:54:00:af:12:34 m28.0" \
	"52:54:00:b0:12:34 default.0" \
	"52:54:00:9f:ff:ff default.0" \
	"56:54:00:a0:00:00 default.0"

behaviour mac_len_and_pool_must_both_hold
expect_files cli0 "52:54:01:33:44:55 m24a.0" \
	"52:54:01:ff:ff:ff m24a.0" \
	"52:54:02:33:44:55 default.0"

behaviour pool_rule_matches_the_clients_of_that_pool_first
expect_files cli1 "52:54:01:33:44:55 b.efi" \
	"52:54:00:af:12:34 b.efi" \
	"02:00:00:00:0c:01 b.efi" \
	"52:54:00:00:00:07 exact.0"

behaviour rule_of_a_deleted_pool_matches_nobody_until_it_is_back
pxe1 pool del b
pxe1 pool add b2 dev srv1 range 10.0.3.100 10.0.3.199
expect_eq "pool of rule $by_pool" b \
	"$(pxe1 -j boot show | json_query "next(r.get('pool', '') for r in j if r['id'] == $by_pool)")"
expect_files cli1 "02:00:00:00:0c:02 default.0"
pxe1 pool del b2
pxe1 pool add b dev srv1 range 10.0.3.100 10.0.3.199
expect_files cli1 "02:00:00:00:0c:03 b.efi"

behaviour each_answer_counts_in_its_rules_hits
out=$(pxe1 -j boot show)
expect_eq "hits (exact by_pool mac28 mac24a fallback)" "2 4 2 2 7" \
	"$(json_query "' '.join(str(next(r['hits'] for r in j if r['id'] == i)) for i in ($exact, $by_pool, $mac28, $mac24a, $fallback))" <<<"$out")"
