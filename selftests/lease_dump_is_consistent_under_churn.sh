#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A lease dump is the table of one moment, even while it changes.  The
# kernel flags a dump NLM_F_DUMP_INTR when a lease came, went or changed
# state between two of its parts; pxectl then asks again (5 times at most)
# and prints nothing of the interrupted dump.
#
# Under churn (perfdhcp binding up to 500 clients from softirq while the
# test deletes leases one by one), 22 `pxectl -j lease show` run back to
# back.  For each of the 20 in the middle:
#  - no MAC, address or client id appears twice;
#  - every lease that the dump before and the dump after both show (same
#    MAC, same address) and that the test never deleted is in it: perfdhcp
#    only adds leases (no RELEASE; offers are held 60 s, longer than the
#    test), so such a lease existed during the whole dump, and a dump that
#    skipped a row (what an unchecked dump does when an earlier lease is
#    deleted between two parts) misses it.
# The exact count "of the moment" is not compared with a separate
# `pool show`: two requests never read the same moment under churn; the
# bound above is the exact form of that check.
#
# pxectl's retry is pinned without racing: an LD_PRELOAD shim
# (preload/dump_intr.c) flags the parts of the first N dumps it reads.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (perfdhcp, a relay)     |
#   |   srv0 10.0.1.1/22 ----------+-veth--+-- cli0 10.0.1.2/22           |
#   |   pool "lan" 10.0.2.0-.3.250 |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

perfdhcp_pid=
deleter_pid=
cleanup_test() {
	[ -z "$deleter_pid" ] || kill "$deleter_pid"
	[ -z "$perfdhcp_pid" ] || kill "$perfdhcp_pid"
	wait
	dhcp_lib_cleanup
}

ensure_module
netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" srv0 10.0.1.1/22 "$ns2" cli0
ip2 addr add 10.0.1.2/22 dev cli0
pxe1 link add dev srv0
pxe1 pool add lan dev srv0 range 10.0.2.0 10.0.3.250

cc -Wall -Werror -shared -fPIC -o "$WORK/dump_intr.so" \
	"$TOP/selftests/preload/dump_intr.c" -ldl
# pxectl_intr N ARGS...: pxectl in $ns1, its first N dumps flagged interrupted.
pxectl_intr() {
	local n=$1; shift
	ip netns exec "$ns1" env PXE_TEST_DUMP_INTR="$n" \
		LD_PRELOAD="$WORK/dump_intr.so" "$PXECTL" "$@"
}

behaviour interrupted_dump_is_repeated_and_printed_once
pxe1 lease add 52:54:00:00:00:01 ip 10.0.2.1
pxe1 lease add 52:54:00:00:00:02 ip 10.0.2.2
# (seconds left may tick between the two: compared without them)
no_expiry() { sed 's/ expires [0-9]* / /'; }
want=$(pxe1 lease show | no_expiry)
got=$(pxectl_intr 4 lease show | no_expiry)
expect_eq "lease show after 4 interrupted dumps" "$want" "$got"

behaviour dump_interrupted_5_times_fails_with_a_message
expect_error "pxectl: lease show: the table changed while it was read, 5 times in a row; run the command again when it is quieter" \
	pxectl_intr 5 lease show
out=$(pxectl_intr 5 lease show 2>/dev/null) || true
expect_eq "stdout of a failed dump" "" "$out"
pxe1 lease flush

behaviour lease_dumps_under_churn_are_consistent
(cd "$WORK" && exec ip netns exec "$ns2" perfdhcp -4 -l cli0 -r 50 -R 500 -p 50) \
	>"$WORK/perfdhcp.txt" 2>&1 &
perfdhcp_pid=$!
used_at_least() {
	[ "$(pxe1 -j pool show lan | json_query 'j[0]["used"]')" -ge "$1" ]
}
wait_until 30 used_at_least 200
: >"$WORK/deleted"
pxe1 -j lease show >"$WORK/dump.latest"
(
	while [ ! -e "$WORK/stop" ]; do
		mac=$("$PYTHON" -c '
import json, random, sys
j = json.load(sys.stdin)
print(random.choice(j)["mac"] if j else "")' <"$WORK/dump.latest") || continue
		[ -n "$mac" ] || continue
		# Logged before the delete: every deleted MAC is in the file.
		echo "$mac" >>"$WORK/deleted"
		pxe1 lease del "$mac" >/dev/null 2>&1 || true
	done
) &
deleter_pid=$!
for k in $(seq 0 21); do
	pxe1 -j lease show >"$WORK/dump.$k"
	cp "$WORK/dump.$k" "$WORK/dump.latest.new"
	mv "$WORK/dump.latest.new" "$WORK/dump.latest"
done
touch "$WORK/stop"
wait "$deleter_pid"
deleter_pid=
kill "$perfdhcp_pid" 2>/dev/null || true
wait "$perfdhcp_pid" || true
perfdhcp_pid=
log "deleted $(wc -l <"$WORK/deleted") leases during the dumps"
"$PYTHON" - "$WORK" <<-'EOF'
import collections, json, sys
work = sys.argv[1]
deleted = set(open(f"{work}/deleted").read().split())
dumps = [json.load(open(f"{work}/dump.{k}")) for k in range(22)]
checked = 0
for k, dump in enumerate(dumps):
    for key in ("mac", "ip", "client_id"):
        twice = [v for v, n in collections.Counter(l[key] for l in dump).items() if n > 1]
        assert not twice, f"dump {k}: {key} listed twice: {twice}"
for k in range(1, 21):
    here = {(l["mac"], l["ip"]) for l in dumps[k]}
    before = {(l["mac"], l["ip"]) for l in dumps[k - 1]}
    after = {(l["mac"], l["ip"]) for l in dumps[k + 1]}
    must = {e for e in before & after if e[0] not in deleted}
    missing = must - here
    assert not missing, f"dump {k} misses leases that existed throughout: {sorted(missing)[:5]}"
    checked += len(must)
print(f"# 20 dumps of {min(len(d) for d in dumps[1:21])} to "
      f"{max(len(d) for d in dumps[1:21])} leases; {checked} presences checked")
assert checked > 0, "nothing to check: perfdhcp made no lease"
EOF
