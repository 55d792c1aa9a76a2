#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every command that changes pools, reservations, boot rules, leases,
# images or settings needs CAP_NET_ADMIN over the network namespace
# (docs/links.md, docs/images.md: GENL_UNS_ADMIN_PERM).  Run as nobody and
# as the root of a child user namespace, each fails with pxectl's exact
# message and exit 1, and nothing was left behind: each `show` is run as
# root, must succeed, and must print exactly what was there before.
#
#   +--------------------------------------------------+
#   | $ns1 (owned by the initial user namespace)       |
#   |   d1 10.0.1.1/24, pxe link                       |
#   |   setpriv --reuid 65534 ... pxectl: refused      |
#   |   unshare -U -r pxectl ...:         refused      |
#   +--------------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d /tmp/pxe-net-admin.XXXXXX)
chmod 755 "$WORK"
cleanup_test() { rm -rf "$WORK"; }

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24
pxe1 link add dev d1

# Files nobody can read.
head -c 5000 /dev/urandom >"$WORK/img"
echo '[{"mac":"52:54:00:00:00:09","ip":"10.0.1.109","expires":600,"state":"bound","pool":"lan"}]' \
	>"$WORK/leases.json"
chmod 644 "$WORK/img" "$WORK/leases.json"

# show_is OBJECT EXPECTED: `pxectl -j OBJECT show` as root exits 0 and,
# reduced to its stable fields, prints EXPECTED.
show_is() {
	local out rc=0 what=$1 want=$2 keys
	out=$(pxe1 -j "$what" show) || rc=$?
	if [ $rc -ne 0 ]; then
		log "pxectl -j $what show failed (exit $rc)"
		return 1
	fi
	case $what in
	pool) keys="'name','dev','start','end'" ;;
	host) keys="'mac','ip','name'" ;;
	boot) keys="'id','file','mac','pool'" ;;
	lease) keys="'mac','ip','state','pool'" ;;
	image) keys="'name','size'" ;;
	esac
	expect_eq "pxectl -j $what show" "$want" \
		"$(json_query "[{k: e[k] for k in ($keys) if k in e} for e in j]" <<<"$out")"
}

# settings_now: `pxectl -j settings show` as root; fails unless it succeeds
# and names the session limit.
settings_now() {
	local out
	out=$(pxe1 -j settings show) || return 1
	[[ $out == *tftp* ]] || { log "settings show printed: $out"; return 1; }
	printf '%s\n' "$out"
}

EPERM="Operation not permitted (needs CAP_NET_ADMIN over this network namespace)"

# refused WHAT ARGS...: pxectl ARGS as nobody and as a child userns' root
# exits 1 with "pxectl: WHAT: $EPERM".
# A mismatch is logged and remembered; refusals_checked fails the behaviour.
refusal_mismatches=0
refused() {
	local what=$1
	shift
	expect_error "pxectl: $what: $EPERM" n1 "${NOBODY[@]}" "$PXECTL" "$@" ||
		refusal_mismatches=$((refusal_mismatches + 1))
	expect_error "pxectl: $what: $EPERM" n1 unshare -U -r "$PXECTL" "$@" ||
		refusal_mismatches=$((refusal_mismatches + 1))
}

refusals_checked() {
	expect_eq "refusals not as expected" 0 "$refusal_mismatches"
}

behaviour unprivileged_adds_are_refused_and_leave_nothing
settings_before=$(settings_now)
refused "pool add lan" pool add lan dev d1 range 10.0.1.100 10.0.1.199
show_is pool '[]'
refused "host add 52:54:00:00:00:01" host add 52:54:00:00:00:01 ip 10.0.1.50
show_is host '[]'
refused "boot add" boot add file pxelinux.0
show_is boot '[]'
refused "image load boot.img" image load boot.img "$WORK/img"
show_is image '[]'
refused "settings set" settings set tftp-sessions 7
settings_after=$(settings_now)
expect_eq "settings after the refusal" "$settings_before" "$settings_after"
refusals_checked

behaviour unprivileged_lease_changes_are_refused_and_leave_nothing
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199
refused "lease add 52:54:00:00:00:02" lease add 52:54:00:00:00:02 ip 10.0.1.102
show_is lease '[]'
refused "lease restore: $WORK/leases.json: entry 0 (52:54:00:00:00:09)" lease restore "$WORK/leases.json"
show_is lease '[]'
refusals_checked

behaviour unprivileged_deletes_are_refused_and_leave_everything
pxe1 host add 52:54:00:00:00:01 ip 10.0.1.50
id=$(pxe1 boot add file pxelinux.0)
pxe1 lease add 52:54:00:00:00:02 ip 10.0.1.102
pxe1 image load boot.img "$WORK/img" >/dev/null
refused "host del 52:54:00:00:00:01" host del 52:54:00:00:00:01
refused "boot del $id" boot del "$id"
refused "lease del 52:54:00:00:00:02" lease del 52:54:00:00:00:02
refused "lease flush" lease flush
refused "image del boot.img" image del boot.img
refused "pool del lan" pool del lan
show_is pool '[{"name": "lan", "dev": "d1", "start": "10.0.1.100", "end": "10.0.1.199"}]'
show_is host '[{"mac": "52:54:00:00:00:01", "ip": "10.0.1.50"}]'
show_is boot "[{\"id\": $id, \"file\": \"pxelinux.0\"}]"
show_is lease '[{"mac": "52:54:00:00:00:02", "ip": "10.0.1.102", "state": "bound", "pool": "lan"}]'
show_is image '[{"name": "boot.img", "size": 5000}]'
refusals_checked

behaviour unprivileged_user_can_show_everything
for what in pool host boot lease image; do
	out=$(n1 "${NOBODY[@]}" "$PXECTL" -j "$what" show)
	expect_eq "$what show as nobody" 1 "$(json_query 'len(j)' <<<"$out")"
done
