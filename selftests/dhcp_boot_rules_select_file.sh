#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot rules pick the boot file and next server by what the client says
# about itself: BIOS PXE (option 93 = 0) gets pxelinux.0, x64 UEFI gets
# ipxe.efi from another server whether it sends 7 (IANA, EDK2) or 9 (RFC
# 4578 before its erratum), iPXE (user class "iPXE", bare or in RFC 3004
# form) gets its script, a plain client gets no boot file.  An arch given
# as a number matches that code alone.  The clients are busybox udhcpc
# speaking like the firmware.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                       |
#   |   pool "lan" .100-.199       |       |   udhcpc -V PXEClient... -x  |
#   |   boot rules 1, 2, 3 (4, 5)  |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

BIOS=(-V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000)
EFI_X64=(-V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007)
# x64 UEFI firmware written to RFC 4578's uncorrected table (older iPXE).
EFI_X64_OLD=(-V PXEClient:Arch:00009:UNDI:003010 -x 0x5d:0009)

ensure_module
dhcp_pair
dhcp_scripts
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
capture_start "$ns2" cli0 "$WORK/boot.pcap"

behaviour boot_add_prints_the_new_rule_id
expect_eq "first rule's id" 1 "$(pxe1 boot add arch bios vendor PXEClient file pxelinux.0)"
expect_eq "second rule's id" 2 \
	"$(pxe1 boot add arch efi-x64 vendor PXEClient file ipxe.efi server 10.0.1.9)"
expect_eq "third rule's id (-j)" '{"id":3}' \
	"$(pxe1 -j boot add user-class iPXE file boot.ipxe prio 10)"

behaviour boot_show_lists_rules_in_matching_order
rules=$(pxe1 -j boot show)
log "$rules"
expect_eq "ids in order" "[3, 1, 2]" "$(json_query '[r["id"] for r in j]' <<<"$rules")"
expect_eq "arch names" '[null, "bios", "efi-x64"]' \
	"$(json_query '[r.get("arch") for r in j]' <<<"$rules")"
expect_eq "no arch_alt beside a name" '[]' \
	"$(json_query '[r for r in j if "arch_alt" in r]' <<<"$rules")"
expect_eq "rule 3" '["iPXE", 10, "boot.ipxe"]' \
	"$(json_query '[j[0]["user_class"], j[0]["prio"], j[0]["file"]]' <<<"$rules")"
expect_eq "rule 2 server" 10.0.1.9 "$(json_query 'j[2]["server"]' <<<"$rules")"
expect_eq "boot show" "id 3 prio 10 user-class iPXE file boot.ipxe hits 0
id 1 prio 100 arch bios vendor PXEClient file pxelinux.0 hits 0
id 2 prio 100 arch efi-x64 vendor PXEClient file ipxe.efi server 10.0.1.9 hits 0" \
	"$(pxe1 boot show)"

behaviour bios_client_gets_pxelinux_and_next_server
udhcpc_once "$ns2" cli0 "$WORK/bios" "${BIOS[@]}"
expect_eq "BIOS boot_file" pxelinux.0 "$(env_of "$WORK/bios.bound" boot_file)"
expect_eq "BIOS siaddr" 10.0.1.1 "$(env_of "$WORK/bios.bound" siaddr)"
ip_in "$(env_of "$WORK/bios.bound" ip)" 10.0.1.100 10.0.1.199

behaviour efi_x64_client_sending_7_gets_the_efi_file_from_its_server
udhcpc_once "$ns2" cli0 "$WORK/efi" "${EFI_X64[@]}"
expect_eq "EFI (7) boot_file" ipxe.efi "$(env_of "$WORK/efi.bound" boot_file)"
expect_eq "EFI (7) siaddr" 10.0.1.9 "$(env_of "$WORK/efi.bound" siaddr)"

behaviour efi_x64_client_sending_9_gets_the_same_file
udhcpc_once "$ns2" cli0 "$WORK/efi9" "${EFI_X64_OLD[@]}"
expect_eq "EFI (9) boot_file" ipxe.efi "$(env_of "$WORK/efi9.bound" boot_file)"
expect_eq "EFI (9) siaddr" 10.0.1.9 "$(env_of "$WORK/efi9.bound" siaddr)"

behaviour ipxe_user_class_gets_the_script
# iPXE sends its name bare in option 77 ...
udhcpc_once "$ns2" cli0 "$WORK/ipxe" "${BIOS[@]}" -x 0x4d:69505845
expect_eq "iPXE boot_file" boot.ipxe "$(env_of "$WORK/ipxe.bound" boot_file)"

behaviour rfc3004_user_class_gets_the_script
# ... RFC 3004 clients length-prefix each class.
udhcpc_once "$ns2" cli0 "$WORK/rfc3004" "${EFI_X64[@]}" -x 0x4d:0469505845
expect_eq "RFC 3004 boot_file" boot.ipxe "$(env_of "$WORK/rfc3004.bound" boot_file)"

behaviour plain_client_gets_no_boot_file
udhcpc_once "$ns2" cli0 "$WORK/plain"
ip_in "$(env_of "$WORK/plain.bound" ip)" 10.0.1.100 10.0.1.199
got=$(env_of "$WORK/plain.bound" boot_file)	# fails the test when the query fails
expect_eq "plain boot_file" "" "$got"

behaviour rules_count_their_hits
hits=$(pxe1 -j boot show | json_query '[r["hits"] > 0 for r in j]')
expect_eq "every rule answered" "[true, true, true]" "$hits"

# x64_boot_file CODE OUT: the boot file an x64 UEFI client sending option
# 93 = CODE (7 or 9) is given; empty when it got none or no lease.
x64_boot_file() {
	if [ "$1" = 7 ]; then
		udhcpc_once "$ns2" cli0 "$WORK/$2" "${EFI_X64[@]}"
	else
		udhcpc_once "$ns2" cli0 "$WORK/$2" "${EFI_X64_OLD[@]}"
	fi
	env_of "$WORK/$2.bound" boot_file
}

behaviour arch_9_by_number_matches_9_alone
# Before the efi-x64 rule: a client sending 9 takes it, one sending 7 not.
expect_eq "rule arch 9's id" 4 "$(pxe1 boot add arch 9 file ebc.efi prio 50)"
expect_eq "arch 9 shown by its name" "id 4 prio 50 arch efi-bc file ebc.efi hits 0" \
	"$(pxe1 boot show | sed -n 2p)"
expect_eq "client sending 9" ebc.efi "$(x64_boot_file 9 num9)"
expect_eq "client sending 7" ipxe.efi "$(x64_boot_file 7 num9not7)"
pxe1 boot del 4

behaviour arch_7_by_number_matches_7_alone
expect_eq "rule arch 7's id" 5 "$(pxe1 boot add arch 7 file x64.efi prio 50)"
# 7 alone is not what efi-x64 means: shown as the number, in JSON too.
expect_eq "arch 7 shown as a number" "id 5 prio 50 arch 7 file x64.efi hits 0" \
	"$(pxe1 boot show | sed -n 2p)"
expect_eq "arch 7 in JSON" '{"id": 5, "prio": 50, "arch": 7, "file": "x64.efi", "hits": 0}' \
	"$(pxe1 -j boot show | json_query 'j[1]')"
expect_eq "client sending 7" x64.efi "$(x64_boot_file 7 num7)"
expect_eq "client sending 9" ipxe.efi "$(x64_boot_file 9 num7not9)"
pxe1 boot del 5

behaviour deleted_rule_stops_matching
pxe1 boot del 1
expect_eq "ids left" "[3, 2]" "$(pxe1 -j boot show | json_query '[r["id"] for r in j]')"
udhcpc_once "$ns2" cli0 "$WORK/bios2" "${BIOS[@]}"
got=$(env_of "$WORK/bios2.bound" boot_file)	# fails the test when the query fails
expect_eq "BIOS boot_file without its rule" "" "$got"
expect_eq "a new rule gets a new id" 6 "$(pxe1 boot add arch bios file lpxelinux.0)"

behaviour pxe_replies_pass_tshark
capture_stop
# Two replies (OFFER, ACK) for each of the eleven clients.
capture_clean "$WORK/boot.pcap" 22
