#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lease expiry work of a namespace runs (once a second) only while the
# namespace has a pool: not after module load or namespace creation, from
# the first `pool add` on, and no more once the last pool is deleted or
# goes with its link.  Seen through the workqueue_execute_start tracepoint,
# which names the function run (expiry_work).
#
# The "does not run" checks watch 3 s, three periods of the work.
#
#   +--------------------------+
#   | $ns1                     |
#   |   d1 10.0.1.1/24         |
#   +--------------------------+
set -e
source "$(dirname "$0")/lib.sh"

TRACING=/sys/kernel/tracing
EVENT=$TRACING/events/workqueue/workqueue_execute_start
cleanup_test() {
	echo 0 >"$EVENT/enable"
	echo >"$TRACING/trace"
}

ensure_module
mountpoint -q "$TRACING" || mount -t tracefs nodev "$TRACING"
[ -e "$EVENT/enable" ]
echo 1 >"$EVENT/enable"

# expiry_runs_in SECONDS: how many times expiry_work ran in that window.
expiry_runs_in() {
	echo >"$TRACING/trace"
	sleep "$1"
	grep -c 'function expiry_work' "$TRACING/trace" || true
}

expiry_ran() { grep -q 'function expiry_work' "$TRACING/trace"; }

# wait_until SECONDS CMD...: polls CMD until it succeeds.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $deadline ] || { log "timed out: $*"; return 1; }
		sleep 0.2
	done
}

netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24
pxe1 link add dev d1

behaviour expiry_work_idle_without_pools
expect_eq "expiry runs in 3 s without a pool" 0 "$(expiry_runs_in 3)"

behaviour expiry_work_runs_once_a_pool_exists
echo >"$TRACING/trace"
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199
wait_until 10 expiry_ran

behaviour expiry_work_stops_with_the_last_pool
pxe1 pool add boot dev d1 proxy
pxe1 pool del lan
echo >"$TRACING/trace"
wait_until 10 expiry_ran
pxe1 pool del boot
# A run already queued may still come; the next window sees none.
sleep 1.5
expect_eq "expiry runs in 3 s after the last pool went" 0 "$(expiry_runs_in 3)"

behaviour expiry_work_stops_when_the_link_takes_the_pools
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199
echo >"$TRACING/trace"
wait_until 10 expiry_ran
pxe1 link del dev d1
sleep 1.5
expect_eq "expiry runs in 3 s after the link went" 0 "$(expiry_runs_in 3)"
