# SPDX-License-Identifier: GPL-2.0
#
# Fault injection for the fault_*.sh selftests (docs/fault-injection.md).
# Source it after lib.sh; it needs the debug kernel's failslab and
# fail_page_alloc with the stack-trace filter, and skips the test as a
# machine's limit where they are missing.
#
# One allocation site at a time: a fault point's stack filter is narrowed
# to one function of the module (require-start/require-end = the
# function's [start, next text symbol) from /proc/kallsyms), so only
# allocations made from that function, or from what it calls, can fail.
# Allocations made while the slab allocator makes a new slab (its
# page, its memory cgroup vector) are rejected: whether they happen
# depends on the allocator's state, not on the module.  kmemleak makes
# one allocation of its own after each one it tracks (FAULT_STEP 2 where
# it runs): `failing N` counts the module's allocations, skipping those.
#
#   control path (process context, the caller's task):
#	fault_nth slab|page FUNC [MODULE]; failing N CMD...
#	  CMD in $ns1 fails its N-th allocation made below FUNC
#	  (/proc/self/fail-nth: per task, counted through the filter).
#   packet path (softirq, no task to mark):
#	fault_softirq slab|page FUNC [MODULE]
#	  the next allocation below FUNC, by anyone, fails once.
#   fault_fired slab|page: the armed failure happened.

# shellcheck disable=SC2154 # ns1: lib.sh
FAILSLAB=/sys/kernel/debug/failslab
FAILPAGE=/sys/kernel/debug/fail_page_alloc
FAULT_SYMS=$(mktemp /tmp/pxe-fault-syms.XXXXXX)
FAULT_REJECT=

fault_dir() {	# fault_dir slab|page: FAULT_DIR (no subshell: forks are dear)
	case $1 in
	slab) FAULT_DIR=$FAILSLAB ;;
	page) FAULT_DIR=$FAILPAGE ;;
	*) log "fault point '$1'?" >&2; return 1 ;;
	esac
}

# fault_off: both fault points idle, their filters matching nothing (a
# task with fail-nth set counts only through a filter that matches).
fault_off() {
	local f
	for f in "$FAILSLAB" "$FAILPAGE"; do
		[ -d "$f" ] || continue
		echo 0 >"$f/probability"
		echo 0 >"$f/times"
		echo 0 >"$f/space"
		echo 1 >"$f/interval"
		echo 0 >"$f/verbose"
		echo N >"$f/task-filter"
		echo N >"$f/ignore-gfp-wait"
		[ ! -e "$f/ignore-gfp-highmem" ] || echo N >"$f/ignore-gfp-highmem"
		[ ! -e "$f/min-order" ] || echo 0 >"$f/min-order"
		[ ! -e "$f/cache-filter" ] || echo N >"$f/cache-filter"
		echo 32 >"$f/stacktrace-depth"
		echo 1 >"$f/require-start"
		echo 1 >"$f/require-end"
		echo 0 >"$f/reject-start"
		echo 0 >"$f/reject-end"
	done
}

fault_lib_cleanup() {
	fault_off
	rm -f "$FAULT_SYMS"
}

fault_need_machine() {
	if [ ! -e "$FAILSLAB/require-start" ] || [ ! -d "$FAILPAGE" ] ||
	   [ ! -e /proc/self/fail-nth ]; then
		skip_test "machine: this kernel has no failslab/fail_page_alloc with a stack filter and fail-nth (the debug kernel has)"
	fi
	# Every text symbol, sorted by address: a function ends where the
	# next one starts.
	awk '$2 ~ /^[tT]$/ { print $1, $3, ($4 == "" ? "-" : $4) }' \
		/proc/kallsyms | LC_ALL=C sort >"$FAULT_SYMS"
	fault_off
	local reject
	for reject in allocate_slab new_slab; do
		FAULT_REJECT=$(sym_range "$reject" - 2>/dev/null) && break
	done
	fault_calibrate
}

# fault_calibrate: FAULT_STEP, the filtered allocations per allocation of
# the module's.  pxe_nl_host_new_doit makes one (the reservation; a request
# for an address outside every pool then fails): if a second is counted,
# it is kmemleak's, whose failure kmemleak survives (its own pool).
FAULT_STEP=1
fault_calibrate() {
	local left
	fault_target slab pxe_nl_host_new_doit
	echo 1 >"$FAILSLAB/times"
	n1 sh -c 'echo 2 >/proc/self/fail-nth && exec "$@"' sh \
		"$PXECTL" host add 52:54:00:fa:17:00 ip 192.0.2.1 2>/dev/null || true
	read -r left <"$FAILSLAB/times"
	fault_off
	if [ "$left" = 0 ]; then
		FAULT_STEP=2
	fi
	log "allocations counted per allocation of the module: $FAULT_STEP"
}

# sym_range FUNC [MODULE]: "0xSTART 0xEND" of FUNC (of MODULE, "[pxe]"
# style, or of the kernel when MODULE is "-"); fails unless exactly one
# symbol has that name there.
sym_range() {
	# One awk (each program started is about a second on the debug
	# kernel under emulation): the symbol's line, then the next address.
	awk -v f="$1" -v m="${2:--}" '
		$2 == f && $3 == m { hits++; start = $1; want = 1; next }
		want && $1 != start { end = $1; want = 0 }
		END {
			if (hits != 1 || end == "") {
				printf "# no single text symbol %s in %s\n", f,
					(m == "-" ? "the kernel" : m) > "/dev/stderr"
				exit 1
			}
			print "0x" start, "0x" end
		}' "$FAULT_SYMS"
}

# fault_range FUNC MODULE: sym_range's answer kept in FAULT_RANGES["FUNC
# MODULE"] (a test arms the same function many times; each look-up reads
# every symbol of the kernel).
declare -A FAULT_RANGES=()
fault_range() {
	local r
	[ -z "${FAULT_RANGES["$1 $2"]:-}" ] || return 0
	r=$(sym_range "$1" "$2") || return 1
	FAULT_RANGES["$1 $2"]=$r
}

# fault_target slab|page FUNC [MODULE]: DIR's filter requires FUNC on the
# stack and rejects new slabs; the other fault point's filter matches
# nothing.
fault_target() {
	local dir start end rstart=0 rend=0
	fault_dir "$1" || return 1
	dir=$FAULT_DIR
	fault_off
	fault_range "$2" "${3:-[pxe]}" || return 1
	read -r start end <<<"${FAULT_RANGES["$2 ${3:-[pxe]}"]}"
	[ -z "$FAULT_REJECT" ] || read -r rstart rend <<<"$FAULT_REJECT"
	echo "$start" >"$dir/require-start"
	echo "$end" >"$dir/require-end"
	echo "$rstart" >"$dir/reject-start"
	echo "$rend" >"$dir/reject-end"
}

# fault_nth slab|page FUNC [MODULE]: arms DIR for `failing N`: no failure
# by probability, one by a task's fail-nth (times goes 1 -> 0).
fault_nth() {
	local dir
	fault_dir "$1" || return 1
	dir=$FAULT_DIR
	fault_target "$@" || return 1
	echo 1 >"$dir/times"
	FAULT_ARMED=$1
}

# failing N CMD...: CMD in $ns1, the module's N-th allocation below the
# armed function fails.  failing_root N CMD...: the same in the initial
# namespace.
fault_nth_of() {	# fault_nth_of N: sets FAULT_N
	if [ "$FAULT_ARMED" = slab ]; then
		FAULT_N=$((($1 - 1) * FAULT_STEP + 1))
	else
		FAULT_N=$1
	fi
}

failing() {
	fault_nth_of "$1"
	shift
	# The subshell's task marks itself, then becomes ip, which becomes
	# CMD (ip netns exec does not fork): no shell started in between.
	(echo "$FAULT_N" >/proc/self/fail-nth && exec ip netns exec "$ns1" "$@")
}

failing_root() {
	fault_nth_of "$1"
	shift
	(echo "$FAULT_N" >/proc/self/fail-nth && exec "$@")
}

# fault_softirq slab|page FUNC [MODULE]: the next allocation below FUNC,
# in any context, fails (once).
fault_softirq() {
	local dir
	fault_dir "$1" || return 1
	dir=$FAULT_DIR
	fault_target "$@" || return 1
	echo 1 >"$dir/times"
	echo 100 >"$dir/probability"
}

# count_of JSON_ARRAY_COMMAND...: how many objects a `pxectl -j ... show`
# in $ns1 lists; fails when the command does.
count_of() {
	local out
	out=$(pxe1 -j "$@") || return 1
	jq -e length <<<"$out"
}

# fault_fired slab|page: the armed failure happened (times went to 0);
# the fault points go idle.
fault_fired() {
	local dir left
	fault_dir "$1" || return 1
	dir=$FAULT_DIR
	read -r left <"$dir/times"
	fault_off
	expect_eq "failures left to inject ($1)" 0 "$left"
}
