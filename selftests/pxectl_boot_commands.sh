#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl boot`: rules are added (the new id printed), shown in the order
# they are tried (text and JSON, every field) and deleted by id; every
# mistake is refused with exit 1 and a message naming the cause.  Arch
# names are IANA's codes and come back from `boot show` as they were given;
# the kernel's second code (BOOT_ARCH_ALT, behind "efi-x64") is checked
# with netlink requests pxectl never makes, from boot_nl.py (through the
# kernel's YNL library).
#
#   +-----------------------------------------+
#   | $ns1                                    |
#   |   d1 10.0.1.1/24, pxe link, pool "lan"  |
#   +-----------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24
pxe1 link add dev d1
pxe1 pool add lan dev d1 range 10.0.1.100 10.0.1.199

behaviour boot_add_prints_the_id_and_show_lists_in_prio_order
id1=$(pxe1 boot add file pxelinux.0)
id2=$(pxe1 boot add arch efi-x64 vendor PXEClient user-class iPXE \
	mac 52:54:00:00:00:00/24 pool lan file ipxe.efi server 10.0.1.2 prio 10)
[[ $id1 =~ ^[0-9]+$ && $id2 =~ ^[0-9]+$ && $id1 != "$id2" ]] ||
	{ log "ids printed: '$id1' '$id2'"; false; }
expect_eq "boot show" "id $id2 prio 10 arch efi-x64 vendor PXEClient user-class iPXE mac 52:54:00:00:00:00/24 pool lan file ipxe.efi server 10.0.1.2 hits 0
id $id1 prio 100 file pxelinux.0 hits 0" "$(pxe1 boot show)"
expect_eq "boot show -j" \
	"[{\"id\":$id2,\"prio\":10,\"arch\":\"efi-x64\",\"vendor\":\"PXEClient\",\"user_class\":\"iPXE\",\"mac\":\"52:54:00:00:00:00/24\",\"pool\":\"lan\",\"file\":\"ipxe.efi\",\"server\":\"10.0.1.2\",\"hits\":0},{\"id\":$id1,\"prio\":100,\"file\":\"pxelinux.0\",\"hits\":0}]" \
	"$(pxe1 -j boot show)"
expect_eq "boot add -j" '["id"]' "$(pxe1 -j boot add arch 7 file x.efi | json_query 'list(j)')"

behaviour errors_name_the_cause
expect_error "pxectl: boot del 4000000000: no boot rule with this id" \
	pxe1 boot del 4000000000
expect_error "pxectl: boot add: no such pool" pxe1 boot add pool nosuch file x
expect_error "pxectl: boot add: missing argument 'file PATH'" pxe1 boot add arch bios
expect_error "pxectl: boot add: invalid arch 'foo' (expected bios, efi-ia32, efi-x64, efi-bc, efi-arm32, efi-arm64, efi-ia32-http, efi-x64-http, efi-arm64-http, rpi or a number from 0 to 65535)" \
	pxe1 boot add arch foo file x
expect_error "pxectl: boot add: invalid arch '65536' (expected a number from 0 to 65535)" \
	pxe1 boot add arch 65536 file x
expect_error "pxectl: boot add: invalid prio 'high' (expected a number from 0 to 4294967295)" \
	pxe1 boot add file x prio high
expect_error "pxectl: boot add: invalid mac '52:54:00/8' (expected a MAC address like 52:54:00:12:34:56, optionally /LEN)" \
	pxe1 boot add mac 52:54:00/8 file x
expect_error "pxectl: boot del: invalid ID '0' (expected a number from 1 to 4294967295)" \
	pxe1 boot del 0
expect_error "pxectl: boot del: missing rule ID" pxe1 boot del
expect_error "pxectl: boot del: unexpected argument after the rule ID" \
	pxe1 boot del "$id1" "$id2"
expect_error "pxectl: boot show: unexpected argument 'all'" pxe1 boot show all
expect_eq "rules after the refusals" 3 "$(pxe1 -j boot show | json_query 'len(j)')"

behaviour boot_del_removes_the_rule
pxe1 boot del "$id2"
expect_eq "ids after del" "$id1" "$(pxe1 -j boot show | json_query '" ".join(str(r["id"]) for r in j if r["file"] != "x.efi")')"
expect_error "pxectl: boot del $id2: no boot rule with this id" pxe1 boot del "$id2"

behaviour json_boot_add_in_a_batch_leaves_show_an_array
out=$(printf 'boot add file a.0\nboot show\n' | pxe1 -j -b -)
id=$(head -n 1 <<<"$out" | json_query 'j["id"]')
expect_eq "boot show after boot add in a -j batch" "[\"$id\"]" \
	"$(tail -n +2 <<<"$out" | json_query '[str(r["id"]) for r in j if r["file"] == "a.0"]')"

behaviour arch_names_are_ianas_codes_and_show_as_given
for r in $(pxe1 -j boot show | json_query '" ".join(str(r["id"]) for r in j)'); do
	pxe1 boot del "$r"
done
for a in bios efi-ia32 efi-x64 efi-bc efi-arm32 efi-arm64 efi-ia32-http \
	 efi-x64-http efi-arm64-http rpi 7 9 41 300; do
	pxe1 boot add arch "$a" file "$a.img" >/dev/null
done
expect_eq "names and numbers shown" "bios efi-ia32 efi-x64 efi-bc efi-arm32 efi-arm64 efi-ia32-http efi-x64-http efi-arm64-http rpi 7 efi-bc rpi 300" \
	"$(pxe1 boot show | sed 's/.* arch \([^ ]*\) .*/\1/' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "JSON: a name as a string, else a number" '["bios", "efi-ia32", "efi-x64", "efi-bc", "efi-arm32", "efi-arm64", "efi-ia32-http", "efi-x64-http", "efi-arm64-http", "rpi", 7, "efi-bc", "rpi", 300]' \
	"$(pxe1 -j boot show | json_query '[r["arch"] for r in j]')"

behaviour efi_x64_is_7_with_9_as_second_code
# What the kernel holds for "efi-x64", read back by raw netlink: the same
# pair added by hand shows as efi-x64.
raw=$(n1 "$PYTHON" "$SELFTESTS/boot_nl.py" new arch=7 arch-alt=9 file=raw.efi)
[[ $raw =~ ^OK\ ([0-9]+)$ ]] || { log "boot_nl.py: $raw"; false; }
expect_eq "7 + 9 by netlink" "id ${BASH_REMATCH[1]} prio 100 arch efi-x64 file raw.efi hits 0" \
	"$(pxe1 boot show | grep ' file raw.efi ')"
raw=$(n1 "$PYTHON" "$SELFTESTS/boot_nl.py" new arch=7 arch-alt=7 file=same.efi)
[[ $raw =~ ^OK\ ([0-9]+)$ ]] || { log "boot_nl.py: $raw"; false; }
expect_eq "7 + 7 is 7" "id ${BASH_REMATCH[1]} prio 100 arch 7 file same.efi hits 0" \
	"$(pxe1 boot show | grep ' file same.efi ')"

behaviour a_second_code_without_a_name_shows_as_numbers
raw=$(n1 "$PYTHON" "$SELFTESTS/boot_nl.py" new arch=6 arch-alt=10 file=odd.efi)
[[ $raw =~ ^OK\ ([0-9]+)$ ]] || { log "boot_nl.py: $raw"; false; }
id=${BASH_REMATCH[1]}
expect_eq "text" "id $id prio 100 arch 6 arch-alt 10 file odd.efi hits 0" \
	"$(pxe1 boot show | grep ' file odd.efi ')"
expect_eq "JSON" "{\"id\": $id, \"prio\": 100, \"arch\": 6, \"arch_alt\": 10, \"file\": \"odd.efi\", \"hits\": 0}" \
	"$(pxe1 -j boot show | json_query '[r for r in j if r["file"] == "odd.efi"][0]')"

behaviour a_second_code_without_arch_is_refused
before=$(pxe1 -j boot show | json_query 'len(j)')
expect_eq "BOOT_ARCH_ALT alone" "EINVAL: BOOT_ARCH_ALT is valid only with BOOT_ARCH" \
	"$(n1 "$PYTHON" "$SELFTESTS/boot_nl.py" new arch-alt=9 file=alone.efi)"
expect_eq "rules after the refusal" "$before" "$(pxe1 -j boot show | json_query 'len(j)')"
