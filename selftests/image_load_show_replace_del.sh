#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The image store through pxectl: what is loaded is what is shown (size and
# SHA-256 equal sha256sum's), names are normalised, loading a name again
# replaces the image, del removes it, and the memory they take is counted.
#
#   +---------------------------+
#   | $ns1                      |
#   |   pxectl image load ...   |   (no devices needed: images belong
#   +---------------------------+    to the namespace, not to a link)
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_image.sh"

ensure_module
netns_add "$ns1"
netns_add "$ns2"
image_tmpdir

behaviour new_netns_has_no_images
expect_eq "pxectl -j image show" "[]" "$(pxe1 -j image show)"
expect_eq "image_memory_used" 0 "$(stat_of "$ns1" image_memory_used)"

behaviour load_prints_name_size_sha256
image_file a.bin 300000
out=$(pxe1 image load pxelinux.0 "$IMG_DIR/a.bin")
expect_eq "image load output" "pxelinux.0 300000 $(sha_of a.bin)" "$out"

behaviour show_reports_size_and_sha256_of_the_file
expect_eq "size" 300000 "$(image_field "$ns1" pxelinux.0 size)"
expect_eq "sha256" "$(sha_of a.bin)" "$(image_field "$ns1" pxelinux.0 sha256)"
expect_eq "active" 0 "$(image_field "$ns1" pxelinux.0 active)"
expect_eq "downloads" 0 "$(image_field "$ns1" pxelinux.0 downloads)"
pxe1 image show pxelinux.0 | grep -q "^name pxelinux.0 size 300000 sha256 $(sha_of a.bin) active 0 downloads 0\$"
expect_eq "image_memory_used" 300000 "$(stat_of "$ns1" image_memory_used)"

behaviour load_json_prints_one_object
image_file b.bin 70001
out=$(pxe1 -j image load b "$IMG_DIR/b.bin")
expect_eq "name" b "$(json_query "j['name']" <<<"$out")"
expect_eq "size" 70001 "$(json_query "j['size']" <<<"$out")"
expect_eq "sha256" "$(sha_of b.bin)" "$(json_query "j['sha256']" <<<"$out")"

behaviour name_is_normalised_leading_slash_and_backslashes
image_file c.bin 5000
pxe1 image load '/\boot\x86/grubx64.efi' "$IMG_DIR/c.bin" >/dev/null
expect_eq "sha256 under the normalised name" "$(sha_of c.bin)" \
	"$(image_field "$ns1" boot/x86/grubx64.efi sha256)"
expect_eq "names" "b boot/x86/grubx64.efi pxelinux.0" "$(image_names "$ns1")"
# Any spelling of the name finds the one image.
pxe1 image show '\boot\x86\grubx64.efi' | grep -q '^name boot/x86/grubx64.efi '

behaviour empty_file_loads_as_empty_image
: >"$IMG_DIR/empty"
expect_eq "image load output" "empty 0 $(sha_of empty)" \
	"$(pxe1 image load empty "$IMG_DIR/empty")"
expect_eq "size" 0 "$(image_field "$ns1" empty size)"

behaviour page_sized_and_chunk_sized_files_load_intact
for size in 4096 65000 130000 131072; do
	image_file "s$size" "$size"
	pxe1 image load "s$size" "$IMG_DIR/s$size" >/dev/null
	expect_eq "sha256 of s$size" "$(sha_of "s$size")" \
		"$(image_field "$ns1" "s$size" sha256)"
done

behaviour load_again_replaces_keeping_the_name
used=$(stat_of "$ns1" image_memory_used)
image_file a2.bin 100000
pxe1 image load pxelinux.0 "$IMG_DIR/a2.bin" >/dev/null
expect_eq "sha256 after replace" "$(sha_of a2.bin)" \
	"$(image_field "$ns1" pxelinux.0 sha256)"
expect_eq "size after replace" 100000 "$(image_field "$ns1" pxelinux.0 size)"
expect_eq "images named pxelinux.0" 1 \
	"$(pxe1 -j image show | json_query "sum(1 for i in j if i['name'] == 'pxelinux.0')")"
# The old image had no downloads: its memory is returned.
poll_memory_used "$ns1" $((used - 300000 + 100000))

behaviour del_removes_and_returns_memory
used=$(stat_of "$ns1" image_memory_used)
pxe1 image del /pxelinux.0
got=$(image_field "$ns1" pxelinux.0 size)	# fails the test when the query fails
expect_eq "pxelinux.0 in show" "" "$got"
poll_memory_used "$ns1" $((used - 100000))

behaviour del_unknown_image_names_the_cause
expect_error "pxectl: image del pxelinux.0: no such image" pxe1 image del pxelinux.0
expect_error "pxectl: image show nothing: no such image" pxe1 image show nothing

behaviour empty_name_is_refused
expect_error "pxectl: image load /: image name is empty (a name of only '/' or '\\' is empty too)" \
	pxe1 image load / "$IMG_DIR/b.bin"

behaviour missing_file_names_the_cause
expect_error "pxectl: image load x: cannot open '$IMG_DIR/nonexistent': No such file or directory" \
	pxe1 image load x "$IMG_DIR/nonexistent"

behaviour images_belong_to_their_netns
got=$(image_names "$ns2")	# fails the test when the query fails
expect_eq "images in $ns2" "" "$got"
expect_eq "image_memory_used in $ns2" 0 "$(stat_of "$ns2" image_memory_used)"
pxe2 image load b "$IMG_DIR/a.bin" >/dev/null
expect_eq "b in $ns1 keeps its bytes" "$(sha_of b.bin)" "$(image_field "$ns1" b sha256)"
expect_eq "b in $ns2" "$(sha_of a.bin)" "$(image_field "$ns2" b sha256)"

behaviour netns_delete_with_images_frees_them
# The kernel log check at exit catches a leak warning or a splat.
ip netns del "$ns2"

behaviour rmmod_with_images_loaded_is_clean
pxe1 image load a "$IMG_DIR/a.bin" >/dev/null
pxe0 image load "image-test-$$" "$IMG_DIR/b.bin" >/dev/null
# An upload whose socket is still open at rmmod goes with the module too.
ip netns exec "$ns1" "$PYTHON" -c '
import sys, time
sys.path.insert(0, sys.argv[1])
import image_nl
nl = image_nl.Genl()
image_nl.new_upload(nl, "open", 1 << 20)
open(sys.argv[2], "w").close()
time.sleep(60)' "$SELFTESTS" "$IMG_DIR/upload-open" &
holder=$!
for i in $(seq 100); do [ -e "$IMG_DIR/upload-open" ] && break; sleep 0.1; done
[ -e "$IMG_DIR/upload-open" ]
rmmod pxe
[ ! -d /sys/module/pxe ]
kill "$holder"
wait "$holder" 2>/dev/null || true
insmod "$PXE_KO"
got=$(image_names "$ns1")	# fails the test when the query fails
expect_eq "images after reload" "" "$got"
expect_eq "image_memory_used after reload" 0 "$(stat_of "$ns1" image_memory_used)"
