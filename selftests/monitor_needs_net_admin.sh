#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Events name clients, their addresses and the files they boot: only who
# may change the server (CAP_NET_ADMIN over the network namespace's user
# namespace) may subscribe to them.  What dumps show stays readable by
# everyone, as `ip neigh` is.
#
#   +---------------------------------------------------+
#   | $ns1 (owned by the initial user namespace)        |
#   |   pxe0 10.0.1.1/24, pool, host, boot rule, image  |
#   |                                                   |
#   |   pxectl monitor as nobody            refused     |
#   |   pxectl monitor as a child userns' root refused  |
#   |   pxectl monitor as root              events      |
#   |   show commands as nobody             allowed     |
#   +---------------------------------------------------+
#   +---------------------------------------------------+
#   | unshare -U -r -n by nobody (a container)          |
#   |   its root monitors its own netns: events         |
#   +---------------------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

MSG="pxectl: monitor: events need CAP_NET_ADMIN over the network namespace (Operation not permitted)"
# Written by root and by the container's root (nobody on the host).
MDIR=$(mktemp -d /tmp/pxe-monitor.XXXXXX)
chmod 1777 "$MDIR"
OUT=$MDIR/events

cleanup_test() {
	rm -rf "$MDIR"
	[ -z "${saved_userns_clone:-}" ] ||
		echo "$saved_userns_clone" >/proc/sys/kernel/unprivileged_userns_clone
}

ensure_module
if [ -f /proc/sys/kernel/unprivileged_userns_clone ] &&
   [ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" = 0 ]; then
	saved_userns_clone=0
	echo 1 >/proc/sys/kernel/unprivileged_userns_clone
fi
netns_add "$ns1"
dummy_add "$ns1" pxe0 10.0.1.1/24

behaviour unprivileged_user_cannot_subscribe
expect_error "$MSG" n1 "${NOBODY[@]}" "$PXECTL" monitor
expect_error "$MSG" n1 "${NOBODY[@]}" "$PXECTL" -j monitor lease

behaviour root_of_a_child_userns_cannot_subscribe
expect_error "$MSG" n1 unshare -U -r "$PXECTL" monitor

behaviour root_subscribes_and_sees_events
monitor_start "$ns1" "$OUT"
pxe1 link add dev pxe0
pxe1 link del dev pxe0
monitor_stop
expect_eq "events seen by root" "link-add pxe0 link-del pxe0" \
	"$("$PYTHON" -c '
import json, sys
print(" ".join("%s %s" % (e["event"], e["dev"]) for e in map(json.loads, open(sys.argv[1]))))' "$OUT")"

behaviour container_root_subscribes_in_its_own_netns
# shellcheck disable=SC2016 # expanded by the inner shell
out=$("${NOBODY[@]}" unshare -U -r -n sh -ec '
	ip link add dummy0 type dummy
	ip addr add 10.0.7.1/24 dev dummy0
	ip link set dummy0 up
	"$1" -j monitor link >"$2" 2>&1 &
	sleep 1
	"$1" link add dev dummy0
	sleep 0.5
	kill $!
	wait $! 2>/dev/null || true
	cat "$2"' sh "$PXECTL" "$MDIR/container-events")
expect_eq "events seen by the container's root" "link-add dummy0" \
	"$("$PYTHON" -c '
import json, sys
print(" ".join("%s %s" % (e["event"], e["dev"]) for e in map(json.loads, sys.stdin)))' <<<"$out")"

behaviour dumps_stay_readable_by_everyone
pxe1 link add dev pxe0
pxe1 pool add lan dev pxe0 range 10.0.1.100 10.0.1.110
pxe1 host add 52:54:00:00:00:01 ip 10.0.1.50
pxe1 lease add 52:54:00:00:00:02 ip 10.0.1.101
pxe1 boot add file pxelinux.0 >/dev/null
printf 'default\n' >"$MDIR/default"
pxe1 image load pxelinux.cfg/default "$MDIR/default" >/dev/null
for what in link pool host boot image settings stats; do
	got=$(n1 "${NOBODY[@]}" "$PXECTL" -j $what show)
	expect_eq "$what show as nobody" "$(pxe1 -j $what show)" "$got"
done
# Seconds left change while we look: compare the leases themselves.
expect_eq "lease show as nobody" "52:54:00:00:00:02 10.0.1.101" \
	"$(n1 "${NOBODY[@]}" "$PXECTL" -j lease show | json_query "' '.join(l['mac'] + ' ' + l['ip'] for l in j)")"
expect_eq "images seen by nobody" pxelinux.cfg/default \
	"$(n1 "${NOBODY[@]}" "$PXECTL" -j image show | json_query "' '.join(i['name'] for i in j)")"
