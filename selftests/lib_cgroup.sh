# SPDX-License-Identifier: GPL-2.0
#
# Shared by the selftests that run commands in a memory cgroup.  Source it
# after lib.sh; call cgroup_make once, cgroup_lib_cleanup from
# cleanup_test.
#
#   cgroup_make NAME     a cgroup v2 child NAME with the memory controller,
#                        in $CG: the guest's own hierarchy when it is v2,
#                        else one mounted for the test
#   in_cgroup CMD...     CMD run as a member of $CG
#   cgroup_stat FIELD    one field of $CG/memory.stat (bytes)
#   cgroup_event FIELD   one field of $CG/memory.events

CG_ROOT=""
CG=""
CG_MOUNTED=""

cgroup_lib_cleanup() {
	[ -z "$CG" ] || rmdir "$CG" 2>/dev/null
	[ -z "$CG_MOUNTED" ] || { umount "$CG_ROOT"; rmdir "$CG_ROOT"; }
}

cgroup_make() {
	if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
		CG_ROOT=/sys/fs/cgroup
	else
		CG_ROOT=$(mktemp -d /tmp/pxe-cgroup2.XXXXXX)
		mount -t cgroup2 none "$CG_ROOT"
		CG_MOUNTED=1
	fi
	grep -qw memory "$CG_ROOT/cgroup.controllers"
	grep -qw memory "$CG_ROOT/cgroup.subtree_control" ||
		echo +memory >"$CG_ROOT/cgroup.subtree_control"
	log "cgroup v2 at $CG_ROOT${CG_MOUNTED:+ (mounted by the test)}"
	CG=$CG_ROOT/$1
	mkdir "$CG"
}

in_cgroup() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" "$@"
}

cgroup_stat() { awk -v f="$1" '$1 == f { print $2 }' "$CG/memory.stat"; }
cgroup_event() { awk -v f="$1" '$1 == f { print $2 }' "$CG/memory.events"; }
