#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot rules answer DHCPv6 clients (issue 14, item 2): a rule is matched on
# option 61 (architecture), 16 (vendor class, its first item), 15 (user
# class) and the MAC of the frame, and its file goes out as option 59: a
# TFTP path as tftp://[the link's address]/path, a URL as it is, to the
# clients that take one (RFC 5970).  The Solicits are crafted by
# selftests/dhcp6_send.py as EDK2's PXEv6, iPXE and UEFI HTTP Boot send
# them; ISC dhclient -6, asking for dhcp6.bootfile-url, gets the URL too.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 fd00:1::1/64 ---------+-veth--+-- cli0 fe80::               |
#   |   pool "lan6" ::100-::1ff    |       |   dhcp6_send.py, dhclient -6 |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

DHCP6_KINDS=(solicit edk2-solicit relayed-edk2-solicit ipxe-solicit http-solicit)

cleanup_test() {
	[ ! -e "$WORK/dhclient6.pid" ] || kill "$(cat "$WORK/dhclient6.pid")" 2>/dev/null || true
	dhcp_lib_cleanup
}

send6() { n2 "${DHCP6_SEND[@]}" --dev cli0 "$@"; }

# url_of JSON: option 59 of a reply (a Relay-Repl's relayed message), as
# text; "none" when absent.
url_of() {
	json_query 'bytes.fromhex((j.get("relayed") or j)["options"].get("59", "6e6f6e65")).decode()' <<<"$1"
}

# hits ID: the boot rule's hit count.
hits() {
	pxe1 -j boot show | jq -er ".[] | select(.id == $1) | .hits"
}

ensure_module
dhcp6_pair
mac=$(mac_of "$ns2" cli0)
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff lease 60
efi=$(pxe1 boot add arch efi-x64 vendor PXEClient file ipxe.efi)
script=$(pxe1 boot add user-class iPXE file "http://[fd00:1::1]/boot.ipxe" prio 10)
http=$(pxe1 boot add vendor HTTPClient file "http://[fd00:1::1]/ipxe.efi" prio 20)

behaviour pxe_firmware_gets_a_tftp_url_of_the_links_address
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "reply type" 2 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "option 59" "tftp://[fd00:1::1]/ipxe.efi" "$(url_of "$reply")"
# RFC 5970 / EDK2: 60 absent (anything but a block count breaks the
# boot), and no 16 "PXEClient" (it would send the client on to :4011).
expect_eq "option 60 absent" False "$(json_query '"60" in j["options"]' <<<"$reply")"
expect_eq "option 16 absent" False "$(json_query '"16" in j["options"]' <<<"$reply")"
expect_eq "rule hits" 1 "$(hits "$efi")"

behaviour ipxe_gets_the_url_of_its_user_class_rule
reply=$(send6 ipxe-solicit | head -n 1)
expect_eq "option 59" "http://[fd00:1::1]/boot.ipxe" "$(url_of "$reply")"
expect_eq "rule hits" 1 "$(hits "$script")"

behaviour http_boot_client_gets_only_a_url
reply=$(send6 http-solicit | head -n 1)
expect_eq "option 59" "http://[fd00:1::1]/ipxe.efi" "$(url_of "$reply")"
expect_eq "rule hits" 1 "$(hits "$http")"

behaviour pxe_firmware_is_never_given_a_url
# Only URL rules for it: no option 59 at all.
pxe1 boot del "$efi"
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "reply type" 2 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "option 59" none "$(url_of "$reply")"
efi=$(pxe1 boot add arch efi-x64 vendor PXEClient file /ipxe.efi)

behaviour a_leading_slash_is_not_doubled
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "option 59" "tftp://[fd00:1::1]/ipxe.efi" "$(url_of "$reply")"

behaviour relayed_firmware_gets_the_url_in_the_relay_reply
reply=$(send6 relayed-edk2-solicit | head -n 1)
expect_eq "reply type" 13 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "option 59" "tftp://[fd00:1::1]/ipxe.efi" "$(url_of "$reply")"

behaviour mac_rule_matches_the_frames_source_for_a_duid_uuid_client
# EDK2's DUID-UUID holds no MAC: the rule matches the Ethernet source.
own=$(pxe1 boot add mac "$mac" file own.efi prio 1)
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "option 59" "tftp://[fd00:1::1]/own.efi" "$(url_of "$reply")"
expect_eq "rule hits" 1 "$(hits "$own")"
# Through a relay the frame's source is the relay's: the rule passes.
reply=$(send6 relayed-edk2-solicit | head -n 1)
expect_eq "relayed option 59" "tftp://[fd00:1::1]/ipxe.efi" "$(url_of "$reply")"
pxe1 boot del "$own"

behaviour a_client_not_booting_gets_no_url
# A plain Solicit asks for 23 only and names no firmware.
pxe1 boot add file any.efi prio 200 >/dev/null
reply=$(send6 solicit | head -n 1)
expect_eq "reply type" 2 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "option 59" none "$(url_of "$reply")"

behaviour dhclient6_asking_for_bootfile_url_gets_it
# ISC dhclient -6 as a user configures it: "also request".
printf 'also request dhcp6.bootfile-url;\n' >"$WORK/dhclient6.conf"
dhclient6 -1 -cf "$WORK/dhclient6.conf" cli0 || { sed 's/^/#   /' "$WORK/dhclient6.log"; false; }
expect_eq "dhclient bootfile-url" "tftp://[fd00:1::1]/any.efi" \
	"$(env_of "$WORK/dhclient6.BOUND6" new_dhcp6_bootfile_url)"
n2 dhclient -6 -r -sf "$WORK/dhclient6.sh" -lf "$WORK/dhclient6.leases" \
	-pf "$WORK/dhclient6.pid" -cf "$WORK/dhclient6.conf" cli0 >>"$WORK/dhclient6.log" 2>&1 || true

behaviour no_url_without_a_global_address_and_counted
# Only link-local left on srv0: a tftp:// URL could not name it.
ip1 -6 addr del fd00:1::1/64 dev srv0
before=$(stat_of "$ns1" dhcp6_no_boot_address)
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "reply type" 2 "$(json_query 'j["type"]' <<<"$reply")"
expect_eq "option 59" none "$(url_of "$reply")"
expect_eq "dhcp6_no_boot_address" $((before + 1)) "$(stat_of "$ns1" dhcp6_no_boot_address)"
# A URL rule needs no address of ours.
reply=$(send6 ipxe-solicit | head -n 1)
expect_eq "ipxe option 59" "http://[fd00:1::1]/boot.ipxe" "$(url_of "$reply")"
