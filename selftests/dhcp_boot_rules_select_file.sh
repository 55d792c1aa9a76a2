#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot rules pick the boot file and next server by what the client says
# about itself: BIOS PXE (option 93 = 0) gets pxelinux.0, EFI BC (93 = 7)
# gets ipxe.efi from another server, iPXE (user class "iPXE", bare or in
# RFC 3004 form) gets its script, a plain client gets no boot file.  The
# clients are busybox udhcpc speaking like the firmware.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0                       |
#   |   pool "lan" .100-.199       |       |   udhcpc -V PXEClient... -x  |
#   |   boot rules 1, 2, 3         |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

BIOS=(-V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000)
EFI_BC=(-V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007)

ensure_module
dhcp_pair
dhcp_scripts
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
capture_start "$ns2" cli0 "$WORK/boot.pcap"

behaviour boot_add_prints_the_new_rule_id
expect_eq "first rule's id" 1 "$(pxe1 boot add arch bios vendor PXEClient file pxelinux.0)"
expect_eq "second rule's id" 2 \
	"$(pxe1 boot add arch efi-bc vendor PXEClient file ipxe.efi server 10.0.1.9)"
expect_eq "third rule's id (-j)" '{"id":3}' \
	"$(pxe1 -j boot add user-class iPXE file boot.ipxe prio 10)"

behaviour boot_show_lists_rules_in_matching_order
rules=$(pxe1 -j boot show)
log "$rules"
expect_eq "ids in order" "[3, 1, 2]" "$(json_query '[r["id"] for r in j]' <<<"$rules")"
expect_eq "arch names" '[null, "bios", "efi-bc"]' \
	"$(json_query '[r.get("arch") for r in j]' <<<"$rules")"
expect_eq "rule 3" '["iPXE", 10, "boot.ipxe"]' \
	"$(json_query '[j[0]["user_class"], j[0]["prio"], j[0]["file"]]' <<<"$rules")"
expect_eq "rule 2 server" 10.0.1.9 "$(json_query 'j[2]["server"]' <<<"$rules")"
pxe1 boot show | grep -q '^id 3 prio 10 user-class iPXE file boot.ipxe'

behaviour bios_client_gets_pxelinux_and_next_server
udhcpc_once "$ns2" cli0 "$WORK/bios" "${BIOS[@]}"
expect_eq "BIOS boot_file" pxelinux.0 "$(env_of "$WORK/bios.bound" boot_file)"
expect_eq "BIOS siaddr" 10.0.1.1 "$(env_of "$WORK/bios.bound" siaddr)"
ip_in "$(env_of "$WORK/bios.bound" ip)" 10.0.1.100 10.0.1.199

behaviour efi_bc_client_gets_the_efi_file_from_its_server
udhcpc_once "$ns2" cli0 "$WORK/efi" "${EFI_BC[@]}"
expect_eq "EFI boot_file" ipxe.efi "$(env_of "$WORK/efi.bound" boot_file)"
expect_eq "EFI siaddr" 10.0.1.9 "$(env_of "$WORK/efi.bound" siaddr)"

behaviour ipxe_user_class_gets_the_script
# iPXE sends its name bare in option 77 ...
udhcpc_once "$ns2" cli0 "$WORK/ipxe" "${BIOS[@]}" -x 0x4d:69505845
expect_eq "iPXE boot_file" boot.ipxe "$(env_of "$WORK/ipxe.bound" boot_file)"

behaviour rfc3004_user_class_gets_the_script
# ... RFC 3004 clients length-prefix each class.
udhcpc_once "$ns2" cli0 "$WORK/rfc3004" "${EFI_BC[@]}" -x 0x4d:0469505845
expect_eq "RFC 3004 boot_file" boot.ipxe "$(env_of "$WORK/rfc3004.bound" boot_file)"

behaviour plain_client_gets_no_boot_file
udhcpc_once "$ns2" cli0 "$WORK/plain"
ip_in "$(env_of "$WORK/plain.bound" ip)" 10.0.1.100 10.0.1.199
expect_eq "plain boot_file" "" "$(env_of "$WORK/plain.bound" boot_file)"

behaviour rules_count_their_hits
hits=$(pxe1 -j boot show | json_query '[r["hits"] > 0 for r in j]')
expect_eq "every rule answered" "[true, true, true]" "$hits"

behaviour deleted_rule_stops_matching
pxe1 boot del 1
expect_eq "ids left" "[3, 2]" "$(pxe1 -j boot show | json_query '[r["id"] for r in j]')"
udhcpc_once "$ns2" cli0 "$WORK/bios2" "${BIOS[@]}"
expect_eq "BIOS boot_file without its rule" "" "$(env_of "$WORK/bios2.bound" boot_file)"
expect_eq "a new rule gets a new id" 4 "$(pxe1 boot add arch bios file lpxelinux.0)"

behaviour pxe_replies_pass_tshark
capture_stop
# Two replies (OFFER, ACK) for each of the six clients.
capture_clean "$WORK/boot.pcap" 12
