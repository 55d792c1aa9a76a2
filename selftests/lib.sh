# SPDX-License-Identifier: GPL-2.0
#
# Shared by the pxe shell selftests.  Source it right after `set -e`:
#
#	set -e
#	source "$(dirname "$0")/lib.sh"
#
# It names the test's namespaces ($ns1, $ns2, $ns3: unique per run), gives
# the WireGuard netns.sh helpers (n1 CMD = ip netns exec $ns1 CMD, ip1 ARGS =
# ip -n $ns1 ARGS, pxe1 ARGS = pxectl in $ns1) and reports KTAP: each
# `behaviour NAME` ends the previous one as "ok" and starts NAME; when the
# script exits, a non-zero status makes the running one "not ok", and the
# kernel log since the start is checked for splats.  A test that defines
# cleanup_test() gets it called at exit, before the namespaces are deleted.
#
# Sourced with PXE_LIB_DEFS_ONLY=1 it only defines (selftests/vm-run uses
# SPLAT_RE from here).

# What a healthy kernel never prints.
SPLAT_RE='WARNING:|BUG:|BUG |kernel BUG|Oops|general protection|refcount_t:|list_add corruption|list_del corruption|KASAN|UBSAN|unreferenced object|rcu: INFO|detected stall|rcu_sched self-detected|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|scheduling while atomic|soft lockup|hard LOCKUP|blocked for more than|Call Trace:|double free|use-after-free|slab-out-of-bounds|Kernel panic|ODEBUG:|DEBUG_LOCKS_WARN_ON|ref_tracker:|unregister_netdevice: waiting|kmemleak: scan failed'

# The one splat that is the emulator's, not the kernel's: under TCG, QEMU can
# deliver a #DB with DR_STEP while the guest runs kernel code (a trap flag the
# kernel never set), and exc_debug_kernel() answers with WARN_ON_ONCE (it is
# inlined: the warning names exc_debug); its comment names QEMU as the known
# cause.  It fires at most once a boot and its trace names none of our code
# (seen once, in p9_fid_create).
EMULATOR_WARN_RE='WARNING: CPU: [0-9]+ PID: [0-9]+ at arch/x86/kernel/traps\.c:[0-9]+ exc_debug(_kernel)?\+'
EMULATOR_WARN_NOTE='selftests: left out the emulator'"'"'s #DB warning in exc_debug'

# kernel_log_splats: read a kernel log, print each SPLAT_RE line with the 12
# after it.  A "cut here" ... "end trace" block is replaced by
# EMULATOR_WARN_NOTE (printed alone when nothing else is found; a caller
# tells it apart by that line) only when it is the emulator's warning and
# nothing else: its first line after "cut here" is EMULATOR_WARN_RE, it has
# one "Call Trace:" and no other SPLAT_RE line, and at most 150 lines.
# Another CPU's report printed into it (a KASAN or lockdep report, a
# sleeping-in-atomic BUG, our WARNING whose "cut here" came first) keeps
# the whole block.  The regexes go through ENVIRON: awk -v would take
# their backslashes as string escapes.
kernel_log_splats() {
	local log
	log=$(EMU_RE=$EMULATOR_WARN_RE SPLATS=$SPLAT_RE \
	      awk -v note="$EMULATOR_WARN_NOTE" '
		BEGIN { re = ENVIRON["EMU_RE"]; splat = ENVIRON["SPLATS"] }
		function reset() { n = 0; emu = 0; other = 0; traces = 0 }
		function flush() { for (i = 1; i <= n; i++) print blk[i]; reset() }
		/-\[ cut here \]-/ { flush(); blk[n = 1] = $0; next }
		n { blk[++n] = $0
		    if (n == 2 && $0 ~ re) emu = 1
		    else if ($0 ~ /Call Trace:/ && !traces) traces = 1
		    else if ($0 ~ splat) other = 1
		    if ($0 ~ /---\[ end trace/) {
			if (emu && !other) { print note; reset() } else flush()
		    } else if (n > 150) flush()
		    next }
		{ print }
		END { flush() }')
	printf '%s\n' "$log" | grep -E -A 12 "$SPLAT_RE" ||
		printf '%s\n' "$log" | grep -F -m 1 "$EMULATOR_WARN_NOTE" || true
}

# kmemleak_leaks AGE: on a kernel with kmemleak (the debug kernel), wait
# AGE seconds (an object younger than 5 s is never reported), scan twice
# (one scan can miss a pointer that was moving) and print what it reports
# as leaked since the last `clear`; nothing elsewhere.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_leaks() {
	[ -e "$KMEMLEAK" ] || return 0
	sleep "${1:-0}"
	if ! { echo scan >"$KMEMLEAK" && echo scan >"$KMEMLEAK"; } 2>/dev/null; then
		echo "kmemleak: scan failed (kmemleak disabled itself?)"
		dmesg | grep -i kmemleak | tail -n 5
		return 0
	fi
	cat "$KMEMLEAK"
}

[ "${PXE_LIB_DEFS_ONLY:-0}" = 1 ] && return 0

SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$SELFTESTS/.." && pwd)
PXECTL=${PXECTL:-$TOP/ctl/pxectl}
PXE_KO=${PXE_KO:-$TOP/build/$(uname -r)/kmod/pxe.ko}
PYTHON=${PYTHON:-/usr/bin/python3}
TEST_NAME=$(basename "$0" .sh)

# Unique names: a test can run beside another, or after one that crashed.
ns1="pxe-$TEST_NAME-$$-1"
ns2="pxe-$TEST_NAME-$$-2"
ns3="pxe-$TEST_NAME-$$-3"

n1() { ip netns exec "$ns1" "$@"; }
n2() { ip netns exec "$ns2" "$@"; }
n3() { ip netns exec "$ns3" "$@"; }
ip1() { ip -n "$ns1" "$@"; }
ip2() { ip -n "$ns2" "$@"; }
ip3() { ip -n "$ns3" "$@"; }
pxe0() { "$PXECTL" "$@"; }
# pxectl -n NS: what ip netns exec NS pxectl does, one program fewer (under
# emulation with KASAN each program started costs about a second).
pxe1() { "$PXECTL" -n "$ns1" "$@"; }
pxe2() { "$PXECTL" -n "$ns2" "$@"; }
pxe3() { "$PXECTL" -n "$ns3" "$@"; }

# A namespace with lo up and no IPv6: no autoconfiguration chatter, so every
# packet a test counts is one it sent.
netns_add() {
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" link set lo up
}

# veth_add NS DEV ADDR PEER_NS PEER [PEER_ADDR]: a veth pair from DEV in NS
# to PEER in PEER_NS, both ends up; ADDR "" for none.
veth_add() {
	local ns=$1 dev=$2 addr=$3 peer_ns=$4 peer=$5 peer_addr=${6:-}
	ip -n "$ns" link add "$dev" type veth peer name "$peer" netns "$peer_ns"
	[ -z "$addr" ] || ip -n "$ns" addr add "$addr" dev "$dev"
	[ -z "$peer_addr" ] || ip -n "$peer_ns" addr add "$peer_addr" dev "$peer"
	ip -n "$ns" link set "$dev" up
	ip -n "$peer_ns" link set "$peer" up
}

# dummy_add NS DEV [ADDR/LEN...]: a dummy device in NS, with its addresses, up.
dummy_add() {
	local ns=$1 dev=$2 addr
	shift 2
	ip -n "$ns" link add "$dev" type dummy
	for addr in "$@"; do
		ip -n "$ns" addr add "$addr" dev "$dev"
	done
	ip -n "$ns" link set "$dev" up
}

# Daemons a test started in its namespaces (dhcrelay, dnsmasq, clients)
# die with them: a survivor would keep the test's output open and outlive
# its topology.
netns_del_all() {
	local ns pids
	for ns in "$ns1" "$ns2" "$ns3"; do
		pids=$(ip netns pids "$ns" 2>/dev/null) || true
		if [ -n "$pids" ]; then
			# shellcheck disable=SC2086 # one word per pid
			kill $pids 2>/dev/null || true
			sleep 0.2
			# shellcheck disable=SC2086
			kill -9 $pids 2>/dev/null || true
		fi
		ip netns del "$ns" 2>/dev/null || true
	done
}

log() {	# no program started: a fork costs about a second under KASAN
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# busybox's ping: busybox-static is a dependency, iputils-ping is not.
ping_from() { local ns=$1; shift; ip netns exec "$ns" busybox ping "$@"; }

# Runs CMD as nobody with no capabilities and no groups: use as `n1 "${NOBODY[@]}" CMD`.
# shellcheck disable=SC2034
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)

# Debian's switch for user namespaces made by unprivileged users: on for the
# test (userns_clone_allow), back as it was from cleanup_test
# (userns_clone_restore).
USERNS_CLONE=/proc/sys/kernel/unprivileged_userns_clone
userns_clone_allow() {
	if [ -f $USERNS_CLONE ] && [ "$(cat $USERNS_CLONE)" = 0 ]; then
		saved_userns_clone=0
		echo 1 >$USERNS_CLONE
	fi
}
userns_clone_restore() {
	[ -z "${saved_userns_clone:-}" ] || echo "$saved_userns_clone" >$USERNS_CLONE
}

# ---------------------------------------------------------------------------
# KTAP: one result per behaviour.

ktap_count=0
ktap_current=""
ktap_skip_reason=""
echo "TAP version 13"

# Ends the running behaviour as passed and starts NAME.
behaviour() {
	ktap_end_current 0
	ktap_current=$1
	log "--- $1"
	# The console's timestamps then time each behaviour, too.
	echo "pxe selftest $TEST_NAME: $1" >/dev/kmsg 2>/dev/null || true
}

# Marks the running behaviour skipped: the reason is required.  A skip
# fails `make check` unless the reason starts with "machine:" (this machine
# cannot do it; see docs/testing-harness.md).
skip_behaviour() {
	[ -n "${1:-}" ] || { log "skip_behaviour needs a reason"; return 1; }
	ktap_skip_reason=$1
}

# skip_test REASON: the whole test cannot run here; the runner reports it as
# SKIP with REASON.  The only way to exit 4 (kselftest's "skip"): any other
# exit status 4, e.g. from a setup command under `set -e`, is a failure.
ktap_skipping=0 ktap_test_skip_reason=""
skip_test() {
	[ -n "${1:-}" ] || { log "skip_test needs a reason"; exit 1; }
	ktap_skipping=1 ktap_test_skip_reason=$1
	exit 4
}

ktap_end_current() {
	local rc=$1
	[ -n "$ktap_current" ] || return 0
	ktap_count=$((ktap_count + 1))
	if [ "$rc" -ne 0 ]; then
		echo "not ok $ktap_count $ktap_current"
	elif [ -n "$ktap_skip_reason" ]; then
		echo "ok $ktap_count $ktap_current # SKIP $ktap_skip_reason"
	else
		echo "ok $ktap_count $ktap_current"
	fi
	ktap_current="" ktap_skip_reason=""
}

# ---------------------------------------------------------------------------
# Assertions that say what they expected.

# expect_error MESSAGE CMD...: CMD exits 1 and prints exactly MESSAGE on
# stderr.
expect_error() {
	local want=$1; shift
	local err rc=0
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if [ $rc -ne 1 ] || [ "$err" != "$want" ]; then
		log "command: $*"
		log "expected: exit 1, stderr: $want"
		log "got:      exit $rc, stderr: $err"
		return 1
	fi
}

# expect_error_containing TEXT CMD...: CMD exits 1, stderr contains TEXT.
expect_error_containing() {
	local want=$1; shift
	local err rc=0
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if [ $rc -ne 1 ] || [[ $err != *"$want"* ]]; then
		log "command: $*"
		log "expected: exit 1, stderr containing: $want"
		log "got:      exit $rc, stderr: $err"
		return 1
	fi
}

# expect_eq WHAT EXPECTED GOT
expect_eq() {
	if [ "$2" != "$3" ]; then
		log "$1: expected '$2', got '$3'"
		return 1
	fi
}

# expect_ge WHAT MIN GOT
expect_ge() {
	[ "$3" -ge "$2" ] 2>/dev/null && return 0
	log "$1: expected at least $2, got '$3'"
	return 1
}

# json_query EXPR < JSON: evaluates the Python expression EXPR over the
# parsed document `j` and prints the result (lists and dicts as JSON).
json_query() {
	"$PYTHON" -c '
import json, sys
j = json.load(sys.stdin)
r = eval(sys.argv[1])
print(json.dumps(r) if isinstance(r, (list, dict)) else r)' "$1"
}

# links_json NS: the links of a namespace, as pxectl -j prints them.
links_json() { "$PXECTL" -n "$1" -j link show; }

# json_pick KEY VALUE FIELD < JSON_ARRAY: FIELD of the first object whose KEY
# is VALUE ("" if none); fails on input that is not JSON.
json_pick() {
	jq -er --arg k "$1" --arg v "$2" --arg f "$3" \
		'[.[] | select(.[$k] == $v)][0][$f] // "" | tostring'
}

# json_names KEY < JSON_ARRAY: every object's KEY, sorted, space-separated.
json_names() { jq -er --arg k "$1" '[.[][$k]] | sort | join(" ")'; }

# link_field NS DEV FIELD: one field of DEV's link in NS ("" if no link);
# fails when pxectl does.
link_field() {
	local out
	out=$(links_json "$1") || return 1
	json_pick dev "$2" "$3" <<<"$out"
}

# mac_of NS DEV: DEV's MAC address in NS.
mac_of() {
	local out
	out=$(ip -n "$1" -j link show dev "$2") || return 1
	jq -er '.[0].address' <<<"$out"
}

# link_devs NS: the devices with a link in NS, sorted, space-separated.
link_devs() {
	local out
	out=$(links_json "$1") || return 1
	json_names dev <<<"$out"
}

# stat_of NS NAME: one counter of NS's server (see pxectl stats).
stat_of() {
	"$PXECTL" -n "$1" -j stats | jq -er --arg k "$2" '.[0][$k]'
}

# monitor_start NS FILE: `pxectl -j monitor` in NS writing to FILE, in the
# background, subscribed before this returns; monitor_stop ends it.
monitor_start() {
	"$PXECTL" -n "$1" -j monitor >"$2" 2>&1 &
	MONITOR_PID=$!
	# The subscription is made before the first event can be missed:
	# wait until the socket has joined (pxectl prints nothing until then).
	sleep 1
}

monitor_stop() {
	[ -n "${MONITOR_PID:-}" ] || return 0
	kill "$MONITOR_PID" 2>/dev/null || true
	wait "$MONITOR_PID" 2>/dev/null || true
	MONITOR_PID=
}

ensure_module() {
	[ -d /sys/module/pxe ] || insmod "$PXE_KO"
}

# ---------------------------------------------------------------------------
# Start and end.

if [ "$(id -u)" -ne 0 ]; then
	echo "# SKIP: needs root (network namespaces, insmod, the kernel log)"
	echo "1..0"
	exit 4
fi

# Leaks from before this test are not its own.
[ ! -e "$KMEMLEAK" ] || echo clear >"$KMEMLEAK" || true
KMSG_MARKER="pxe selftest $TEST_NAME.$$ starts"
echo "$KMSG_MARKER" >/dev/kmsg 2>/dev/null || true

lib_exit() {
	local rc=$?
	set +e
	if [ $rc -eq 4 ] && [ "$ktap_skipping" = 0 ]; then
		log "exit status 4 without skip_test: a failure, not a skip"
		rc=1
	fi
	if [ "$ktap_skipping" = 1 ]; then
		ktap_current=""	# not run: the test as a whole is the skip
	fi
	ktap_end_current $rc
	monitor_stop
	if declare -F cleanup_test >/dev/null; then
		cleanup_test >/dev/null 2>&1
	fi
	netns_del_all
	# Namespaces die in a workqueue; give their exit a moment to run (and
	# to splat) before reading the log.
	sleep 1
	local bad slice leaks
	# The test's last allocations must be 5 s old to be reported.
	leaks=$(kmemleak_leaks 4)
	slice=$(dmesg | sed -n "/$KMSG_MARKER/,\$p")
	bad=$(printf '%s\n' "$slice" | kernel_log_splats)
	# The emulator's own warning is no fault of the test's.
	[ "$bad" != "$EMULATOR_WARN_NOTE" ] || { echo "# $bad"; bad=; }
	# The log buffer can wrap: without its start the slice proves nothing.
	[ -n "$slice" ] || bad="the kernel log lost this test's start marker (log buffer wrapped?)"
	[ -z "$leaks" ] || bad+=${bad:+$'\n'}$leaks
	ktap_count=$((ktap_count + 1))
	if [ -z "$bad" ]; then
		echo "ok $ktap_count kernel_log_clean"
	else
		printf '%s\n' "$bad" | head -n 100 | sed 's/^/# /'
		echo "not ok $ktap_count kernel_log_clean"
		rc=1
	fi
	echo "1..$ktap_count"
	# The reason of the runner's SKIP: the last line before it.
	[ "$ktap_skipping" = 0 ] || echo "# SKIP: $ktap_test_skip_reason"
	exit $rc
}
trap lib_exit EXIT

if [ ! -x "$PXECTL" ]; then
	behaviour pxectl_is_built
	log "$PXECTL not found: build it with make -C $TOP ctl"
	false
fi
