# SPDX-License-Identifier: GPL-2.0
#
# Shared by the tftp_*.sh selftests; source it after lib.sh:
#
#	set -e
#	source "$(dirname "$0")/lib.sh"
#	source "$(dirname "$0")/lib_tftp.sh"
#	tftp_topology
#
#   +-------------------------------+       +-------------------------------+
#   | $ns1 (the server)             |       | $ns2 (the clients)            |
#   |   pxe0 10.0.1.1/24 -----------+-veth--+-- peer0 10.0.1.2/24           |
#   |   pxe link, images in memory  |       |   tftp-hpa, busybox, atftp,   |
#   +-------------------------------+       |   curl, tftp_client.py        |
#                                           +-------------------------------+
#
# Files live in $TFTP_DIR (under /tmp, removed at exit); every download is
# compared by SHA-256 with the file the image was loaded from.

# shellcheck disable=SC2154 # ns1, ns2: lib.sh
SERVER=10.0.1.1
CLIENT_PY=$SELFTESTS/tftp_client.py
TFTP_DIR=$(mktemp -d /tmp/pxe-tftp.XXXXXX)

tftp_lib_cleanup() {
	local pid
	for pid in $(jobs -p); do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TFTP_DIR"
}

# A test's own cleanup_test should call tftp_lib_cleanup; this is the default.
if ! declare -F cleanup_test >/dev/null; then
	cleanup_test() { tftp_lib_cleanup; }
fi

# tftp_topology: the two namespaces, the link, room for big images and for
# many sessions per client.
tftp_topology() {
	ensure_module
	netns_add "$ns1"
	netns_add "$ns2"
	tftp_link
}

# tftp_link: the veth between $ns1 and $ns2 and the pxe link on it (again
# after $ns1 was deleted and made anew, or after a module reload).
tftp_link() {
	ip1 link show dev pxe0 >/dev/null 2>&1 ||
		veth_add "$ns1" pxe0 $SERVER/24 "$ns2" peer0 10.0.1.2/24
	pxe1 link add dev pxe0
	pxe1 settings set image-memory 512M tftp-sessions 4096 tftp-per-client 64
}

# image_random NAME BYTES: a file of random bytes, loaded as image NAME;
# the file is $TFTP_DIR/src.NAME (slashes in NAME become '_').
image_random() {
	local src
	src=$(src_of "$1")
	head -c "$2" /dev/urandom >"$src"
	pxe1 image load "$1" "$src" >/dev/null
}

# src_of NAME: the file image NAME was loaded from.
src_of() { printf '%s/src.%s' "$TFTP_DIR" "${1//\//_}"; }

# image_drop NAME: the image and its source file gone (memory back).
image_drop() {
	pxe1 image del "$1"
	rm -f "$(src_of "$1")"
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# expect_same WHAT SRC GOT: GOT exists and has SRC's SHA-256.
expect_same() {
	if [ ! -f "$3" ]; then
		log "$1: $3 was not written"
		return 1
	fi
	if [ "$(sha_of "$2")" != "$(sha_of "$3")" ]; then
		log "$1: $(stat -c %s "$3") bytes received, $(stat -c %s "$2") expected, SHA-256 differs"
		cmp "$2" "$3" 2>&1 | head -n 1 | sed 's/^/# /' || true
		return 1
	fi
}

# wait_until SECS CMD...: polls CMD every 0.2 s until it succeeds; fails
# after SECS.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		if [ $SECONDS -ge $end ]; then
			log "still false after the wait: $*"
			return 1
		fi
		sleep 0.2
	done
}

# stat1 COUNTER: a counter of the server's namespace.
stat1() { stat_of "$ns1" "$1"; }

sessions_are() { [ "$(stat1 tftp_sessions_active)" = "$1" ]; }

# The clients, each with the brief's options; OUT is written in $TFTP_DIR.
hpa_get() { n2 timeout 900 tftp -m "${3:-binary}" $SERVER -c get "$1" "$2"; }
busybox_get() { n2 timeout 900 busybox tftp -g -b 1468 -r "$1" -l "$2" $SERVER; }
atftp_get() {
	n2 timeout 900 atftp --option "blksize 1468" --option "tsize 0" \
		--option "windowsize 16" -g -r "$1" -l "$2" $SERVER >/dev/null
}
curl_get() { n2 timeout 900 curl -sS --tftp-blksize 1468 "tftp://$SERVER/$1" -o "$2"; }
py_get() { n2 timeout 900 "$PYTHON" "$CLIENT_PY" get $SERVER "$@"; }

# tftp_send HEX [ARGS]: one datagram to port 69 from a fresh port; prints
# the first answer (see tftp_client.py send).
tftp_send() { n2 "$PYTHON" "$CLIENT_PY" send $SERVER "$@"; }

# hexof STRING: printf-style STRING (\000 for NUL) as hex.
# shellcheck disable=SC2059
hexof() { printf "$1" | od -An -v -tx1 | tr -d ' \n'; }

# json_lines_count FILE EXPR: how many lines of FILE (one JSON object each,
# as pxectl -j monitor prints) make the Python expression EXPR over `j` true.
json_lines_count() {
	"$PYTHON" -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    try:
        j = json.loads(line)
    except ValueError:
        continue
    if isinstance(j, dict) and eval(sys.argv[2]):
        n += 1
print(n)' "$1" "$2"
}
