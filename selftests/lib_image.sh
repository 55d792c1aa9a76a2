# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the image store tests (selftests/image_*.sh); source after
# lib.sh.

# A scratch directory for the test's files, removed at exit.
image_tmpdir() {
	IMG_DIR=$(mktemp -d /tmp/pxe-image.XXXXXX)
}

cleanup_image_tmpdir() {
	[ -z "${IMG_DIR:-}" ] || rm -rf "$IMG_DIR"
}

# image_file NAME BYTES: random bytes, newlines and CRs included.
image_file() {
	head -c "$2" /dev/urandom >"$IMG_DIR/$1"
}

sha_of() { sha256sum "$IMG_DIR/$1" | cut -d' ' -f1; }

# image_field NS NAME FIELD: one field of image NAME in NS ("" if absent).
image_field() {
	local out
	out=$("$PXECTL" -n "$1" -j image show) || return 1
	json_pick name "$2" "$3" <<<"$out"
}

# image_names NS: the names of NS's images, sorted, space-separated.
image_names() {
	local out
	out=$("$PXECTL" -n "$1" -j image show) || return 1
	json_names name <<<"$out"
}

# poll_memory_used NS BYTES: image memory reaches BYTES within 10 s (a
# replaced or deleted image is freed after an RCU grace period).
poll_memory_used() {
	local i got
	for i in $(seq 100); do
		got=$(stat_of "$1" image_memory_used)
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	log "image_memory_used in $1: expected $2, got $got"
	return 1
}

cleanup_test() {
	cleanup_image_tmpdir
}
