#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a packet makes the module keep, a lease or a TFTP session, is
# allocated in softirq, where no task of the namespace's owner runs; it is
# charged to the memory cgroup of whoever made the pool (leases) or
# attached the link (sessions).  So the root of a user namespace, which may
# make pools of 65,536 addresses and have its own veth bind them all, grows
# memory only inside its cgroup: at the cgroup's limit, new clients go
# unanswered (dhcp_drop_nomem), nobody is OOM-killed, and deleting the pool
# gives the memory back.
#
#   cgroup pxe-userns-$$ (memory.max: see the last behaviours)
#   +---------------------------------------------+     +------------------+
#   | unshare -U -r -n by nobody (sleep holds it) |     | $ns2 (the LAN)   |
#   |   srv0 10.0.0.1/16 -------------------------+veth-+- cli0 10.0.0.2/16|
#   |   pool big 10.0.1.0 - 10.0.255.250          |     |   perfdhcp,      |
#   |   image boot.bin, 256 TFTP sessions allowed |     |   tftp_probe.py  |
#   |   (pxectl: nsenter -U -n, in the cgroup)    |     +------------------+
#   +---------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_cgroup.sh"

PROBE=("$PYTHON" "$SELFTESTS/tftp_probe.py")
# Lower bounds of what one object costs the cgroup: struct pxe_lease is
# 140 bytes with a 7-byte client id, struct tftp_session over 200.  The
# counts (256 sessions, 400 leases) are large beside what memory.stat may
# lag behind (a page per CPU in the charge caches); it is polled, as the
# kernel folds its per-CPU counts in every 2 s (or after many changes).
LEASE_MIN=128
SESSION_MIN=192
HOLDER=
HOLDER_JOB=
PROBER=

cleanup_test() {
	[ -z "$PROBER" ] || { touch "$WORK/release"; wait "$PROBER"; }
	[ -z "$HOLDER" ] || kill "$HOLDER"
	[ -z "$HOLDER_JOB" ] || wait "$HOLDER_JOB" 2>/dev/null
	userns_clone_restore
	dhcp_lib_cleanup
	cgroup_lib_cleanup
}

# ctr CMD...: CMD as the container's root (uid 0 of its user namespace,
# nobody on the host: all capabilities over its namespaces, none over the
# host's), in its network namespace and cgroup.
ctr() { in_cgroup nsenter -t "$HOLDER" -U -n "$@"; }
# peek CMD...: the same outside the cgroup, for what must not be charged to
# it (reading state; deleting the pool once the cgroup is full).
peek() { nsenter -t "$HOLDER" -U -n "$@"; }
ctr_stat() { peek "$PXECTL" -j stats | json_query "j[0]['$1']"; }
lease_count() { peek "$PXECTL" -j lease show | json_query 'len(j)'; }
slab() { cgroup_stat slab_unreclaimable; }
slab_at_most() { [ "$(slab)" -le "$1" ]; }
slab_at_least() { [ "$(slab)" -ge "$1" ]; }
in_own_netns() { [ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }

# perfdhcp N RATE: N clients' DORA from the LAN; drops are expected.
perfdhcp_run() {
	(cd "$WORK" && n2 timeout 180 perfdhcp -4 -l cli0 -r "$2" -R "$1" \
		-n "$1" -d 2) >"$WORK/perfdhcp.txt" 2>&1 || true
	grep -E '^(sent|received|drops)' "$WORK/perfdhcp.txt" | sed 's/^/# /'
}

ensure_module
userns_clone_allow

behaviour container_runs_its_own_server_in_a_cgroup
cgroup_make "pxe-userns-$$"
in_cgroup "${NOBODY[@]}" unshare -U -r -n sleep 3600 &
HOLDER_JOB=$!
# The cgroup's one process: the sleep, which the shell that joined the
# cgroup became (the job is the function's subshell around it).
wait_until 10 grep -q . "$CG/cgroup.procs"
HOLDER=$(cat "$CG/cgroup.procs")
wait_until 10 in_own_netns
netns_add "$ns2"
ip -n "$ns2" link add cli0 type veth peer name srv0 netns "/proc/$HOLDER/ns/net"
ip2 addr add 10.0.0.2/16 dev cli0
ip2 link set cli0 up
ctr ip link set lo up
ctr ip addr add 10.0.0.1/16 dev srv0
ctr ip link set srv0 up
ctr "$PXECTL" link add dev srv0
ctr "$PXECTL" pool add big dev srv0 range 10.0.1.0 10.0.255.250
ctr "$PXECTL" settings set tftp-sessions 256 tftp-per-client 256
head -c 3000 /dev/urandom >"$WORK/boot.bin"
chmod a+rx "$WORK"
chmod a+r "$WORK/boot.bin"
ctr "$PXECTL" image load boot.bin "$WORK/boot.bin" >/dev/null
expect_eq "pools of the container" big \
	"$(peek "$PXECTL" -j pool show | json_query "' '.join(p['name'] for p in j)")"

# The sessions stay (timeout 255: the first resend is minutes away) until
# the prober ends them.
behaviour tftp_sessions_are_charged_to_the_links_cgroup
before=$(slab)
n2 "${PROBE[@]}" hold 10.0.0.1 boot.bin 256 --opt timeout=255 \
	--ready "$WORK/ready" --release "$WORK/release" --timeout 300 &
PROBER=$!
wait_until 120 test -e "$WORK/ready"
expect_eq "sessions established" 256 "$(grep -c '^DATA 1 512$' "$WORK/ready")"
expect_eq "tftp_sessions_active" 256 "$(ctr_stat tftp_sessions_active)"
wait_until 10 slab_at_least $((before + 256 * SESSION_MIN)) ||
	{ log "slab_unreclaimable of $CG with 256 sessions: $before -> $(slab)"; false; }
held=$(slab)

behaviour ended_sessions_uncharge_it
touch "$WORK/release"
wait "$PROBER"
PROBER=
wait_until 30 slab_at_most $((held - 256 * SESSION_MIN)) ||
	{ log "slab_unreclaimable $before -> $held -> $(slab), sessions $(ctr_stat tftp_sessions_active)"; false; }

behaviour leases_are_charged_to_the_pools_cgroup
before=$(slab)
perfdhcp_run 400 100
leases=$(lease_count)
expect_ge "leases bound by perfdhcp" 300 "$leases"
wait_until 10 slab_at_least $((before + leases * LEASE_MIN)) ||
	{ log "slab_unreclaimable of $CG with $leases leases: $before -> $(slab)"; false; }

# The per-CPU charge caches may hold up to 63 pages for the cgroup, so
# the limit is met within some 4,000 leases; 10,000 clients ask.
behaviour at_the_cgroups_limit_new_clients_are_dropped_and_counted
echo $(($(cat "$CG/memory.current") + (64 << 10))) >"$CG/memory.max"
nomem=$(ctr_stat dhcp_drop_nomem)
perfdhcp_run 10000 500
bound=$(lease_count)
dropped=$(($(ctr_stat dhcp_drop_nomem) - nomem))
log "$bound leases, $dropped dropped for memory; memory.current $(cat "$CG/memory.current"), memory.max $(cat "$CG/memory.max")"
expect_ge "dhcp_drop_nomem after 10,000 clients" 1 "$dropped"
expect_ge "memory.max of $CG" "$(cat "$CG/memory.current")" "$(cat "$CG/memory.max")"

behaviour nobody_was_oom_killed
expect_eq "oom_kill in $CG/memory.events" 0 "$(cgroup_event oom_kill)"
kill -0 "$HOLDER"

behaviour deleted_pool_uncharges_its_leases
peak=$(slab)
peek "$PXECTL" pool del big
wait_until 30 slab_at_most $((peak - bound * LEASE_MIN))
