#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl image load` draws a progress bar (percent, MB done of total,
# MB/s) on stderr when stderr is a terminal, redrawn at most about ten
# times a second, and nothing when it is not; either way it ends by
# printing the image's name, size and SHA-256.  The terminal is a pty from
# util-linux script(1).
#
#   +-------------+
#   | $ns1        |
#   +-------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
pxe1 settings set image-memory 128M
dir=$(mktemp -d)
cleanup_test() { rm -rf "$dir"; }
head -c 32M /dev/urandom >"$dir/big"
sha=$(sha256sum "$dir/big" | cut -d' ' -f1)

behaviour progress_bar_on_a_terminal
start=$(date +%s%N)
n1 script -qec "'$PXECTL' image load big '$dir/big'" /dev/null >"$dir/tty"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
# The pty turns "\n" into "\r\n"; each redraw starts with a bare "\r".
tr '\r' '\n' <"$dir/tty" | grep -v '^$' >"$dir/lines"
log "load took ${elapsed_ms} ms; last lines:"
tail -n 3 "$dir/lines" | sed 's/^/#   /'
grep -Eq '^big \[#{30}\] 100% 32\.0/32\.0 MB [0-9]+\.[0-9] MB/s$' "$dir/lines" ||
	{ log "no complete progress bar"; false; }
expect_eq "last line" "big 33554432 $sha" "$(tail -n 1 "$dir/lines")"
draws=$(grep -c '%' "$dir/lines")
[ "$draws" -le $((elapsed_ms / 100 + 2)) ] ||
	{ log "$draws redraws in $elapsed_ms ms: more than 10 a second"; false; }

behaviour nothing_but_the_result_without_a_terminal
pxe1 image load big2 "$dir/big" >"$dir/out" 2>"$dir/err"
got=$(cat "$dir/err")	# fails the test when the query fails
expect_eq "stderr without a terminal" "" "$got"
expect_eq "stdout without a terminal" "big2 33554432 $sha" "$(cat "$dir/out")"
expect_eq "-j image load" "{\"name\":\"big3\",\"size\":33554432,\"sha256\":\"$sha\"}" \
	"$(pxe1 -j image load big3 "$dir/big" 2>&1)"
expect_eq "sha256 the kernel keeps" "$sha $sha $sha" \
	"$(pxe1 -j image show | json_query '" ".join(i["sha256"] for i in sorted(j, key=lambda i: i["name"]))')"
