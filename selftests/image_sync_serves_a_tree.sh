#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl image sync DIR` serves a directory tree the way a TFTP root is
# served.  Debian's netboot tree (about 300 files, 55 MB, symlinks at its
# top leading into it) loads as one image per file, named by its path,
# with the SHA-256 sha256sum gives; a second sync uploads nothing; a file
# changed and one deleted change exactly their two images; a prefix keeps
# trees apart.  Every refusal (the memory limit, a symlink out of the
# tree, a name no image can have) and a failure part way (a memory cgroup
# too small for the next image) leaves every image as it was.
#
#   +----------------------------------------------------------------+
#   | $ns1  the Debian tree at the top, a small one under d-i/        |
#   | $ns2  refusals: memory, symlinks, names; the batch file         |
#   | $ns3  syncs run in cgroup pxe-sync-$$ (memory.max 32M)          |
#   +----------------------------------------------------------------+
#
# The trees are copies in a scratch directory (the VM sees the host's
# files read-only); the expected image list of a tree is what `find -L`
# and sha256sum say of it.
set -e
set -o pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_image.sh"
source "$(dirname "$0")/lib_cgroup.sh"

cleanup_test() {
	cleanup_image_tmpdir
	cgroup_lib_cleanup
}

DI=/usr/lib/debian-installer/images/12/amd64/text
[ -d "$DI" ] ||
	skip_test "no Debian netboot tree at $DI (package debian-installer-12-netboot-amd64)"

# listing NS: "NAME SHA256" of NS's images, one a line, in byte order.
listing() {
	ip netns exec "$1" "$PXECTL" -j image show |
		json_query "'\n'.join('%s %s' % (i['name'], i['sha256']) for i in j)" |
		LC_ALL=C sort
}

# tree_listing DIR [PREFIX]: the same for the files under DIR, symlinks
# followed, as images under PREFIX/.
tree_listing() {
	(cd "$1" && find -L . -type f -printf '%P\0' | xargs -0 -r sha256sum) |
		sed -E "s|^([0-9a-f]{64})  (.*)\$|${2:+$2/}\\2 \\1|" | LC_ALL=C sort
}

tree_files() { (cd "$1" && find -L . -type f | wc -l); }
tree_bytes() {
	(cd "$1" && find -L . -type f -printf '%s\n') | awk '{ s += $1 } END { print s + 0 }'
}

# only_in A B: the lines of A that B has not, in byte order.
only_in() {
	LC_ALL=C comm -23 <(LC_ALL=C sort <<<"$1") <(LC_ALL=C sort <<<"$2")
}

# sent_requests FILE: the pxe requests a `pxectl -d` run sent (its stderr
# in FILE), in order, by their names in <linux/pxe.h>; a run of
# IMAGE_WRITEs counts as one.
sent_requests() {
	awk -v header="$TOP/include/uapi/linux/pxe.h" '
	BEGIN {
		while ((getline line <header) > 0) {
			if (line ~ /PXE_CMD_LINK_NEW = 1/)
				n = 1
			if (n && line ~ /^\tPXE_CMD_[A-Z_]+( =|,)/) {
				sub(/^\tPXE_CMD_/, "", line)
				sub(/[ ,=].*/, "", line)
				name[n++] = line
			}
		}
	}
	/Debug: Sent Message/ { sent = 1; ctrl = 0; next }
	sent && /\.type = / { ctrl = /nlctrl/ }
	sent && /\.cmd = / {
		sent = 0
		if (ctrl)
			next
		cmd = ($3 in name) ? name[$3] : "cmd-" $3
		if (cmd == "IMAGE_WRITE" && last == cmd)
			next
		printf "%s%s", sep, cmd
		sep = " "
		last = cmd
	}
	END { print "" }' "$1"
}

ensure_module
netns_add "$ns1"
netns_add "$ns2"
netns_add "$ns3"
image_tmpdir
TREE=$IMG_DIR/text
cp -a "$DI" "$TREE"

# A small tree, and the files of the refusals.
SMALL=$IMG_DIR/small
mkdir -p "$SMALL/sub"
head -c 100 /dev/urandom >"$SMALL/a.cfg"
head -c 70001 /dev/urandom >"$SMALL/sub/b.bin"
image_file keep.bin 1000
D200=$(printf '%*s' 200 '' | tr ' ' d)
F60=$(printf '%*s' 60 '' | tr ' ' f)
F51=$(printf '%*s' 51 '' | tr ' ' f)

behaviour tree_loads_one_image_per_file_with_its_sha256
files=$(tree_files "$TREE")
bytes=$(tree_bytes "$TREE")
log "the tree: $files files through symlinks, $bytes bytes"
out=$(pxe1 image sync "$TREE")
expect_eq "summary" "$files loaded, 0 unchanged, 0 deleted, $bytes bytes loaded" "$out"
expect_eq "images and SHA-256s" "$(tree_listing "$TREE")" "$(listing "$ns1")"
expect_eq "image_memory_used" "$bytes" "$(stat_of "$ns1" image_memory_used)"

behaviour symlinks_inside_the_tree_are_followed
# Each found again under the link's own name, with the target's bytes.
got=$(listing "$ns1")
for link in pxelinux.0 ldlinux.c32 splash.png pxelinux.cfg/default \
	debian-installer/amd64/pxelinux.cfg/default; do
	expect_eq "$link" "$link $(sha256sum "$TREE/$link" | cut -d' ' -f1)" \
		"$(awk -v name="$link" '$1 == name' <<<"$got")"
done

behaviour second_sync_uploads_nothing
# Any upload would now be refused; -d shows every request sent.
used=$(stat_of "$ns1" image_memory_used)
pxe1 settings set image-memory "$used"
pxe1 -d -j image sync "$TREE" >"$IMG_DIR/out" 2>"$IMG_DIR/debug"
expect_eq "summary" "{\"loaded\":0,\"unchanged\":$files,\"deleted\":0,\"bytes_loaded\":0}" \
	"$(cat "$IMG_DIR/out")"
expect_eq "requests sent" "IMAGE_GET" "$(sent_requests "$IMG_DIR/debug")"
expect_eq "images and SHA-256s" "$(tree_listing "$TREE")" "$(listing "$ns1")"
expect_eq "image_memory_used" "$used" "$(stat_of "$ns1" image_memory_used)"
pxe1 settings set image-memory 64M

behaviour changed_and_deleted_files_change_exactly_their_images
before=$(listing "$ns1")
gone=debian-installer/amd64/boot-screens/f1.txt
gone_size=$(stat -c %s "$TREE/$gone")
old_size=$(stat -c %s "$TREE/version.info")
echo "changed by $TEST_NAME" >>"$TREE/version.info"
rm "$TREE/$gone"
new_size=$(stat -c %s "$TREE/version.info")
out=$(pxe1 image sync "$TREE" --delete)
expect_eq "summary" "1 loaded, $((files - 2)) unchanged, 1 deleted, $new_size bytes loaded" "$out"
after=$(listing "$ns1")
expect_eq "images gone or replaced" \
	"$(grep -E "^($gone|version\\.info) " <<<"$before")" "$(only_in "$before" "$after")"
expect_eq "images new" "version.info $(sha256sum "$TREE/version.info" | cut -d' ' -f1)" \
	"$(only_in "$after" "$before")"
expect_eq "images and SHA-256s" "$(tree_listing "$TREE")" "$after"
poll_memory_used "$ns1" $((used - gone_size - old_size + new_size))

behaviour prefix_puts_a_tree_under_a_path_and_show_filters_it
pxe1 image load d-ix/keep "$IMG_DIR/keep.bin" >/dev/null
out=$(pxe1 image sync "$SMALL" prefix d-i)
expect_eq "summary" "2 loaded, 0 unchanged, 0 deleted, 70101 bytes loaded" "$out"
out=$(pxe1 image show prefix /d-i/)
expect_eq "image show prefix d-i" \
	"name d-i/a.cfg size 100 sha256 $(sha256sum "$SMALL/a.cfg" | cut -d' ' -f1) active 0 downloads 0
name d-i/sub/b.bin size 70001 sha256 $(sha256sum "$SMALL/sub/b.bin" | cut -d' ' -f1) active 0 downloads 0" \
	"$(head -n -1 <<<"$out" | LC_ALL=C sort)"
expect_eq "totals" "total 2 images 70101 bytes" "$(tail -n 1 <<<"$out")"
expect_eq "-j image show prefix d-i" '["d-i/a.cfg", "d-i/sub/b.bin"]' \
	"$(pxe1 -j image show prefix d-i | json_query 'sorted(i["name"] for i in j)')"

behaviour delete_with_a_prefix_leaves_other_images_alone
rm "$SMALL/a.cfg"
out=$(pxe1 image sync "$SMALL" prefix d-i --delete)
expect_eq "summary" "0 loaded, 1 unchanged, 1 deleted, 0 bytes loaded" "$out"
expect_eq "images and SHA-256s" \
	"$( { tree_listing "$TREE"; tree_listing "$SMALL" d-i;
	      echo "d-ix/keep $(sha_of keep.bin)"; } | LC_ALL=C sort)" \
	"$(listing "$ns1")"

behaviour show_lists_end_with_totals_json_stays_an_array
count=$(pxe1 -j image show | json_query 'len(j)')
total=$(pxe1 -j image show | json_query 'sum(i["size"] for i in j)')
expect_eq "last line of image show" "total $count images $total bytes" \
	"$(pxe1 image show | tail -n 1)"
expect_eq "lines of image show" $((count + 1)) "$(pxe1 image show | wc -l)"
expect_eq "-j image show" list "$(pxe1 -j image show | json_query 'type(j).__name__')"
expect_eq "image show NAME" "name d-ix/keep size 1000 sha256 $(sha_of keep.bin) active 0 downloads 0" \
	"$(pxe1 image show d-ix/keep)"

behaviour tree_over_the_memory_limit_is_refused_before_any_change
pxe2 image load keep "$IMG_DIR/keep.bin" >/dev/null
pxe2 settings set image-memory 1M
before=$(listing "$ns2")
bytes=$(tree_bytes "$TREE")
expect_error "pxectl: image sync $TREE: not enough image memory: loading $bytes bytes beside the 1000 in use needs a limit of at least $((bytes + 1000)), it is 1048576 (replaced images are freed only once the new ones are published); raise it with 'pxectl settings set image-memory BYTES'" \
	pxe2 image sync "$TREE"
expect_eq "images and SHA-256s" "$before" "$(listing "$ns2")"
expect_eq "image_memory_used" 1000 "$(stat_of "$ns2" image_memory_used)"
pxe2 settings set image-memory 64M

behaviour symlink_out_of_the_tree_is_refused_by_name
LINKS=$IMG_DIR/links
mkdir -p "$LINKS/sub"
cp "$IMG_DIR/keep.bin" "$LINKS/a.cfg"
head -c 5000 /dev/urandom >"$LINKS/sub/b.bin"
ln -s sub/b.bin "$LINKS/in"
ln -s sub "$LINKS/indir"
ln -s /etc/passwd "$LINKS/out"
ln -s ../small "$LINKS/outdir"
expect_error "pxectl: image sync $LINKS: symlink 'out' -> '/etc/passwd' points outside the directory
pxectl: image sync $LINKS: symlink 'outdir' -> '../small' points outside the directory
pxectl: image sync $LINKS: 2 problems in the tree: nothing was changed" \
	pxe2 image sync "$LINKS"
expect_eq "images and SHA-256s" "$before" "$(listing "$ns2")"
expect_eq "image_memory_used" 1000 "$(stat_of "$ns2" image_memory_used)"

behaviour links_inside_are_followed_loops_and_fifos_skipped
rm "$LINKS/out" "$LINKS/outdir"
ln -s .. "$LINKS/sub/up"
mkfifo "$LINKS/pipe"
out=$(pxe2 image sync "$LINKS" 2>"$IMG_DIR/err")
expect_eq "summary" "4 loaded, 0 unchanged, 0 deleted, 16000 bytes loaded" "$out"
expect_eq "stderr" "pxectl: image sync $LINKS: skipping 'indir/up': it leads back into a directory above it (a loop)
pxectl: image sync $LINKS: skipping 'pipe': a fifo, not a regular file
pxectl: image sync $LINKS: skipping 'sub/up': it leads back into a directory above it (a loop)" \
	"$(cat "$IMG_DIR/err")"
b_sha=$(sha256sum "$LINKS/sub/b.bin" | cut -d' ' -f1)
expect_eq "images and SHA-256s" "a.cfg $(sha_of keep.bin)
in $b_sha
indir/b.bin $b_sha
keep $(sha_of keep.bin)
sub/b.bin $b_sha" "$(listing "$ns2")"

behaviour directory_swapped_for_a_link_out_after_the_walk_is_refused
# gdb stops pxectl where it opens the first file to upload, after the walk
# saw sub/ as a directory in the tree; there sub/ becomes a link to /etc,
# so the path the walk checked now leads to /etc/passwd.
SWAP=$IMG_DIR/swap
mkdir -p "$SWAP/sub"
head -c 3000 /dev/urandom >"$SWAP/sub/passwd"
before=$(listing "$ns2")
rc=0
ip netns exec "$ns2" gdb -q -batch -nx -ex 'break sync_map' -ex run \
	-ex "shell mv '$SWAP/sub' '$SWAP/sub.old' && ln -s /etc '$SWAP/sub'" \
	-ex continue --args "$PXECTL" image sync "$SWAP" >"$IMG_DIR/gdb" 2>&1 || rc=$?
grep -q '^Breakpoint 1, sync_map' "$IMG_DIR/gdb" || {
	log "gdb never stopped in sync_map; it printed:"
	tail -n 5 "$IMG_DIR/gdb" | sed 's/^/#   /'
	false
}
expect_eq "pxectl's error and exit" \
	"pxectl: image sync $SWAP: sub/passwd: cannot open '$SWAP/sub/passwd': it leads out of the directory now
pxectl: image sync $SWAP: nothing was changed
[Inferior 1 (process N) exited with code 01]" \
	"$(grep -E '^pxectl: |^\[Inferior' "$IMG_DIR/gdb" | sed -E 's/process [0-9]+/process N/')"
expect_eq "images and SHA-256s" "$before" "$(listing "$ns2")"

behaviour names_no_image_can_have_are_refused_by_name
before=$(listing "$ns2")
used=$(stat_of "$ns2" image_memory_used)
NAMES=$IMG_DIR/names
mkdir -p "$NAMES/$D200"
touch "$NAMES/ok" "$NAMES/a\\b" "$NAMES/$D200/$F60"
expect_error "pxectl: image sync $NAMES: 'a\\b': a '\\' in an image name stands for '/', so it would be the image 'a/b'
pxectl: image sync $NAMES: '$D200/$F60': its image name would be 261 bytes, at most 255 fit
pxectl: image sync $NAMES: 2 problems in the tree: nothing was changed" \
	pxe2 image sync "$NAMES"
# 252 bytes fit alone; with "d-i/" in front they are 256.
LONG=$IMG_DIR/long
mkdir -p "$LONG/$D200"
echo long >"$LONG/$D200/$F51"
expect_error "pxectl: image sync $LONG: '$D200/$F51': its image name would be 256 bytes with the prefix, at most 255 fit
pxectl: image sync $LONG: 1 problem in the tree: nothing was changed" \
	pxe2 image sync "$LONG" prefix d-i
expect_eq "images and SHA-256s" "$before" "$(listing "$ns2")"
expect_eq "image_memory_used" "$used" "$(stat_of "$ns2" image_memory_used)"
expect_eq "255 bytes with prefix d-" "1 loaded, 0 unchanged, 0 deleted, 5 bytes loaded" \
	"$(pxe2 image sync "$LONG" prefix d-)"
expect_eq "the 255-byte name" "d-/$D200/$F51 $(sha256sum "$LONG/$D200/$F51" | cut -d' ' -f1)" \
	"$(listing "$ns2" | grep '^d-/')"

behaviour progress_is_one_line_on_a_terminal
n2 script -qec "'$PXECTL' image sync '$SMALL' prefix tty" /dev/null >"$IMG_DIR/tty"
# The pty turns "\n" into "\r\n"; each redraw starts with a bare "\r".
tr '\r' '\n' <"$IMG_DIR/tty" | grep -v '^$' >"$IMG_DIR/lines"
sed 's/^/#   /' "$IMG_DIR/lines"
grep -Eq "^$SMALL 1/1 files 0\\.1/0\\.1 MB [0-9]+\\.[0-9] MB/s\$" "$IMG_DIR/lines" ||
	{ log "no final progress line"; false; }
expect_eq "lines that are neither progress nor the summary" "" \
	"$(grep -Ev "^$SMALL [01]/1 files " "$IMG_DIR/lines" | grep -v '^1 loaded, 0 unchanged, 0 deleted, 70001 bytes loaded$' || true)"
expect_eq "last line" "1 loaded, 0 unchanged, 0 deleted, 70001 bytes loaded" \
	"$(tail -n 1 "$IMG_DIR/lines")"

behaviour batch_file_syncs_and_names_the_failing_line
batch=$IMG_DIR/pxe.conf
printf '# a tree\nimage sync %s prefix batch\n' "$SMALL" >"$batch"
expect_eq "batch output" "1 loaded, 0 unchanged, 0 deleted, 70001 bytes loaded" "$(pxe2 -b "$batch")"
expect_eq "batch/sub/b.bin" "batch/sub/b.bin $(sha256sum "$SMALL/sub/b.bin" | cut -d' ' -f1)" \
	"$(listing "$ns2" | grep '^batch/')"
printf 'image sync %s prefix batch2\nimage sync %s\nimage load never %s\n' \
	"$SMALL" "$NAMES" "$IMG_DIR/keep.bin" >"$batch"
expect_error "pxectl: $batch:2: image sync $NAMES: 'a\\b': a '\\' in an image name stands for '/', so it would be the image 'a/b'
pxectl: $batch:2: image sync $NAMES: '$D200/$F60': its image name would be 261 bytes, at most 255 fit
pxectl: $batch:2: image sync $NAMES: 2 problems in the tree: nothing was changed" \
	pxe2 -b "$batch"
expect_eq "line 1 applied, line 3 not run" "batch2/sub/b.bin" \
	"$(listing "$ns2" | cut -d' ' -f1 | grep -E '^(batch2/|never)')"

behaviour failure_part_way_leaves_every_image_as_it_was
cgroup_make "pxe-sync-$$"
echo 32M >"$CG/memory.max"
image_file old.efi 5000
pxe3 image load debian-installer/amd64/bootnetx64.efi "$IMG_DIR/old.efi" >/dev/null
pxe3 image load keep "$IMG_DIR/keep.bin" >/dev/null
before=$(listing "$ns3")
used=$(stat_of "$ns3" image_memory_used)
# Every file before initrd.gz (40 MB, more than the cgroup holds) is staged.
staged=$(cd "$TREE" && find -L . -type f -printf '%P\n' | LC_ALL=C sort |
	awk '$0 == "debian-installer/amd64/initrd.gz" { exit } { n++ } END { print n + 0 }')
log "$staged files are staged before initrd.gz"
expect_error "pxectl: image sync $TREE: debian-installer/amd64/initrd.gz: out of memory for the image (the memory cgroup's limit or the machine's); nothing was stored
pxectl: image sync $TREE: nothing was changed: the $staged images staged so far were dropped" \
	in_cgroup ip netns exec "$ns3" "$PXECTL" image sync "$TREE"
expect_eq "images and SHA-256s" "$before" "$(listing "$ns3")"
poll_memory_used "$ns3" "$used"
expect_eq "oom_kill in $CG/memory.events" 0 "$(cgroup_event oom_kill)"

behaviour staged_uploads_are_aborted_not_left_to_the_socket
ABORT=$IMG_DIR/abort
mkdir "$ABORT"
head -c 65536 /dev/urandom >"$ABORT/a.bin"
head -c 65536 /dev/urandom >"$ABORT/b.bin"
ln "$TREE/debian-installer/amd64/initrd.gz" "$ABORT/z.bin"
rc=0
in_cgroup ip netns exec "$ns3" "$PXECTL" -d image sync "$ABORT" \
	>/dev/null 2>"$IMG_DIR/debug" || rc=$?
expect_eq "exit status" 1 "$rc"
grep -Fx "pxectl: image sync $ABORT: nothing was changed: the 2 images staged so far were dropped" \
	"$IMG_DIR/debug" >/dev/null
expect_eq "requests sent" \
	"IMAGE_GET LIMITS_GET IMAGE_NEW IMAGE_WRITE IMAGE_COMMIT IMAGE_NEW IMAGE_WRITE IMAGE_COMMIT IMAGE_NEW IMAGE_ABORT IMAGE_ABORT" \
	"$(sent_requests "$IMG_DIR/debug")"
expect_eq "images and SHA-256s" "$before" "$(listing "$ns3")"
poll_memory_used "$ns3" "$used"
