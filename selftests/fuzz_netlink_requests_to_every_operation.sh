#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing of every operation of the pxe family
# (selftests/fuzz-vm/fuzz_netlink.py) for FUZZ_SECONDS (default 60) in
# all: half as root of a namespace, a quarter as root of a user namespace
# (`unshare -Urn`, its own network namespace and dummy device), a quarter
# as nobody, who changes nothing (every object and setting the same
# before and after).  Then every dump still answers, pxectl still works,
# `rmmod` is clean with the fuzzed namespace's state still there, and the
# kernel log is clean.
#
#   FUZZ_SEED=S      replay a run (the seed is printed); default: random
#   FUZZ_COUNT=N     with FUZZ_SEED: N iterations in each of the three modes
#
#   $ns1: d0 10.0.1.1/24 (dummy), pxe link, pool, image; the fuzzer
#   a user namespace's own network namespace: d0 10.0.1.1/24; the fuzzer
set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FUZZ_COUNT=${FUZZ_COUNT:-0}
FUZZ=("$PYTHON" "$SELFTESTS/fuzz-vm/fuzz_netlink.py" --seed "$FUZZ_SEED" --count "$FUZZ_COUNT" --dev d0)
DIR=$(mktemp -d /tmp/pxe-fuzz-netlink.XXXXXX)
chmod 755 "$DIR"
cleanup_test() { rm -rf "$DIR"; }

log "seed $FUZZ_SEED (replay: FUZZ_SEED=$FUZZ_SEED FUZZ_COUNT=N selftests/fuzz-vm/run fuzz_netlink_requests_to_every_operation)"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d0 10.0.1.1/24
pxe1 link add dev d0
pxe1 pool add lan dev d0 range 10.0.1.100 10.0.1.199
head -c 5000 /dev/urandom >"$DIR/small.bin"
pxe1 image load small.bin "$DIR/small.bin" >/dev/null

# state NS: every object and setting of NS's server, as pxectl prints them
# (leases without their remaining time); fails when a query fails.
state() {
	local o
	for o in link pool host boot image settings; do
		echo "$o: $("$PXECTL" -n "$1" -j $o show)"
	done
	echo "lease: $("$PXECTL" -n "$1" -j lease show |
		jq -c 'map(del(.expires))')"
}

behaviour root_fuzzing_finds_nothing
n1 "${FUZZ[@]}" --mode root --seconds $((FUZZ_SECONDS / 2))

behaviour user_namespace_root_fuzzing_finds_nothing
unshare -Urn sh -c '
	set -e
	ip link set lo up
	ip link add d0 type dummy
	ip addr add 10.0.1.1/24 dev d0
	ip link set d0 up
	exec "$@"' sh "${FUZZ[@]}" --mode userns --seconds $((FUZZ_SECONDS / 4))

behaviour nobody_fuzzing_finds_nothing_and_changes_nothing
# Leases the root phase restored would expire under nobody's run, and the
# uploads its sockets left are freed after a grace period: start from no
# leases and a state that holds still.
pxe1 lease flush
before=$(state "$ns1")
for _ in $(seq 20); do
	sleep 0.5
	now=$(state "$ns1")
	[ "$now" != "$before" ] || break
	before=$now
done
n1 "${NOBODY[@]}" "${FUZZ[@]}" --mode nobody --seconds $((FUZZ_SECONDS / 4))
after=$(state "$ns1")
if [ "$before" != "$after" ]; then
	log "the server's state changed under nobody's requests:"
	diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed 's/^/#   /'
	false
fi

behaviour every_dump_still_answers
n1 "$PYTHON" "$SELFTESTS/fuzz-vm/fuzz_netlink.py" --dumps
n1 "${NOBODY[@]}" "$PYTHON" "$SELFTESTS/fuzz-vm/fuzz_netlink.py" --dumps
state "$ns1" >/dev/null

behaviour pxectl_still_works
# Back to a known state, whatever the fuzzing left: the link, no pools,
# room for images.
ip1 link show dev d0 >/dev/null
# (the fuzzer may have moved the link to lo, or dropped it)
[ -n "$(link_field "$ns1" d0 dev)" ] || pxe1 link add dev d0
for p in $(pxe1 -j pool show | json_query "' '.join(p['name'] for p in j)"); do
	pxe1 pool del "$p"
done
pxe1 settings set image-memory 64M
pxe1 pool add lan2 dev d0 range 10.0.1.100 10.0.1.109
expect_eq "pool lan2 size" 10 "$(pxe1 -j pool show | json_query "next(p['size'] for p in j if p['name'] == 'lan2')")"
pxe1 image load again.bin "$DIR/small.bin" >/dev/null
expect_eq "image again.bin sha256" "$(sha256sum <"$DIR/small.bin" | cut -d' ' -f1)" \
	"$(pxe1 -j image show | json_query "next(i['sha256'] for i in j if i['name'] == 'again.bin')")"

behaviour module_unloads_with_the_fuzzed_state_and_loads_again
rmmod pxe
[ ! -d /sys/module/pxe ]
insmod "$PXE_KO"
