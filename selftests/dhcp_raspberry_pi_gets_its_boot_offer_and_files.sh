#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Raspberry Pi network-boots from a rule written the README way,
# `boot add arch rpi file bootcode.bin`.  The Pi's firmware sends option 93
# = 0 like a PC BIOS; the module knows it for a Pi by its option 97 (the
# Pi 3B ROM's constant, the Pi 4/5 EEPROM's "RPi4"/"RPi5"), or by its
# vendor class "PXEClient:Arch:00000:UNDI:002001" from a Raspberry Pi MAC,
# takes it for architecture 41 ("rpi") and answers with the option 43 the
# Pi looks for ("Raspberry Pi Boot", sub-options 6, 10 and 9) and the TFTP
# server in option 66.  Clients that only look like a Pi in part get the
# usual PXE answer.  Then the Pi's TFTP: the Pi 4 asks for
# <serial>/start4.elf (ERROR 1, so it falls back to the root), probes
# start4.elf with tsize and aborts with ERROR 0 "Early terminate", asks
# again and downloads it; the Pi 3B ROM fetches bootcode.bin lock-step and
# is told bootsig.bin is missing.  The frames are made with scapy in the
# shape of the Raspberry Pi documentation's captures (selftests/rpi_boot.py).
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (the "Pis")             |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (DHCP from Pi MACs;   |
#   |   pool "lan" .100-.199       |       |   10.0.1.50/24 for TFTP)     |
#   |   boot: bios, rpi rules      |       |   rpi_boot.py                |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { monitor_stop; dhcp_lib_cleanup; }

PI3_MAC=b8:27:eb:28:f6:6d	# the Pi documentation's capture
PI4_MAC=dc:a6:32:2e:f8:ed
SERIAL=5b154510			# rpi_boot.py's Pi 4 serial
# Option 43 for a Pi: discovery control 3; menu prompt, timeout 0, "PXE";
# boot menu, type 0, "Raspberry Pi Boot" and three spaces; end.
PI_43=0601030a0400505845091700001452617370626572727920506920426f6f74202020ff
PXE_43=060108ff				# anyone else's: discovery control 8
TFTP_66=31302e302e312e31		# "10.0.1.1"
PXECLIENT_60=505845436c69656e74		# "PXEClient"

# pi_dhcp LINE...: each LINE one message (see rpi_boot.py dhcp); prints
# the replies, one JSON line each.
pi_dhcp() {
	printf '%s\n' "$@" |
		n2 "$PYTHON" "$SELFTESTS/rpi_boot.py" dhcp --dev cli0
}

stat1() { stat_of "$ns1" "$1"; }

pi_tftp() { n2 "$PYTHON" "$SELFTESTS/rpi_boot.py" tftp 10.0.1.1 "$@"; }

ensure_module
dhcp_pair
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
head -c 52000 /dev/urandom >"$WORK/bootcode.bin"
head -c 100000 /dev/urandom >"$WORK/start4.elf"
pxe1 image load bootcode.bin "$WORK/bootcode.bin" >/dev/null
pxe1 image load start4.elf "$WORK/start4.elf" >/dev/null
# The bios rule comes first: a Pi sending arch 0 must not take it.
pxe1 boot add arch bios file pxelinux.0 >/dev/null
pxe1 boot add arch rpi file bootcode.bin >/dev/null

behaviour rpi_rule_is_shown_by_its_name
expect_eq "boot show" "id 1 prio 100 arch bios file pxelinux.0 hits 0
id 2 prio 100 arch rpi file bootcode.bin hits 0" "$(pxe1 boot show)"

behaviour pi3_rom_discover_gets_the_pi_offer
r=$(pi_dhcp "pi3 pi3 $PI3_MAC discover")
log "$r"
expect_eq "reply" 2 "$(named_reply "$r" pi3 'j.get("type")')"
expect_eq "file" bootcode.bin "$(named_reply "$r" pi3 'j["file"]')"
expect_eq "siaddr" 10.0.1.1 "$(named_reply "$r" pi3 'j["siaddr"]')"
ip_in "$(named_reply "$r" pi3 'j["yiaddr"]')" 10.0.1.100 10.0.1.199
expect_eq "option 43" $PI_43 "$(named_option "$r" pi3 43)"
expect_eq "option 66" $TFTP_66 "$(named_option "$r" pi3 66)"
expect_eq "option 60" $PXECLIENT_60 "$(named_option "$r" pi3 60)"
expect_eq "option 97 echoed" "00$(printf '44%.0s' {1..16})" "$(named_option "$r" pi3 97)"

behaviour pi4_eeprom_discover_and_request_get_the_pi_offer_and_ack
r=$(pi_dhcp "offer pi4 $PI4_MAC discover")
log "$r"
addr=$(named_reply "$r" offer 'j["yiaddr"]')
expect_eq "offer" 2 "$(named_reply "$r" offer 'j.get("type")')"
expect_eq "offer's 43" $PI_43 "$(named_option "$r" offer 43)"
expect_eq "offer's 66" $TFTP_66 "$(named_option "$r" offer 66)"
expect_eq "offer's 97 echoed" \
	00525069341131a000322ef8ed1045155b "$(named_option "$r" offer 97)"
r=$(pi_dhcp "ack pi4 $PI4_MAC request $addr 10.0.1.1")
log "$r"
expect_eq "ack" 5 "$(named_reply "$r" ack 'j.get("type")')"
expect_eq "ack's address" "$addr" "$(named_reply "$r" ack 'j["yiaddr"]')"
expect_eq "ack's file" bootcode.bin "$(named_reply "$r" ack 'j["file"]')"
expect_eq "ack's 43" $PI_43 "$(named_option "$r" ack 43)"
expect_eq "ack's 66" $TFTP_66 "$(named_option "$r" ack 66)"
expect_eq "bound lease" bound "$(lease_field "$ns1" $PI4_MAC state)"

behaviour pi_vendor_class_from_each_pi_oui_gets_the_pi_offer
# Option 97 of the Pi 3B+ (its serial four times) says nothing: the vendor
# class and the MAC do.
lines=()
for oui in b8:27:eb dc:a6:32 e4:5f:01 28:cd:c1 d8:3a:dd 2c:cf:67; do
	lines+=("$oui serial97 $oui:01:02:03 discover")
done
r=$(pi_dhcp "${lines[@]}")
log "$r"
for oui in b8:27:eb dc:a6:32 e4:5f:01 28:cd:c1 d8:3a:dd 2c:cf:67; do
	expect_eq "$oui: file" bootcode.bin "$(named_reply "$r" $oui 'j["file"]')"
	expect_eq "$oui: option 43" $PI_43 "$(named_option "$r" $oui 43)"
	expect_eq "$oui: option 66" $TFTP_66 "$(named_option "$r" $oui 66)"
done

behaviour pi_vendor_class_from_another_mac_gets_the_pxe_offer
# The same frame from a MAC no Pi has (b8:27:ea: one bit off): a PC BIOS.
r=$(pi_dhcp "qemu serial97 52:54:00:01:02:03 discover" \
	"near serial97 b8:27:ea:01:02:03 discover")
log "$r"
for who in qemu near; do
	expect_eq "$who: file" pxelinux.0 "$(named_reply "$r" $who 'j["file"]')"
	expect_eq "$who: option 43" $PXE_43 "$(named_option "$r" $who 43)"
done

behaviour pi_mac_without_vendor_class_or_97_gets_no_pi_option
r=$(pi_dhcp "bare arch0 b8:27:eb:0a:0b:0c discover")
log "$r"
expect_eq "file" pxelinux.0 "$(named_reply "$r" bare 'j["file"]')"
expect_eq "option 43" absent "$(named_option "$r" bare 43)"
expect_eq "option 60" absent "$(named_option "$r" bare 60)"

behaviour rpi_rule_counted_every_pi_answer
# rpi: pi3's offer, pi4's offer and ack, one offer per OUI; bios: the
# three clients that are no Pi.
expect_eq "hits (bios, rpi)" "[3, 9]" "$(pxe1 -j boot show | json_query '[r["hits"] for r in j]')"

behaviour pi_without_an_rpi_rule_gets_no_pi_option
pxe1 boot del 2
r=$(pi_dhcp "norule pi3 $PI3_MAC discover")
log "$r"
expect_eq "reply" 2 "$(named_reply "$r" norule 'j.get("type")')"
expect_eq "file" "" "$(named_reply "$r" norule 'j["file"]')"
expect_eq "option 43" $PXE_43 "$(named_option "$r" norule 43)"
pxe1 boot add arch rpi file bootcode.bin >/dev/null

# The Pis' TFTP, from an address of the pool's subnet.
ip2 addr add 10.0.1.50/24 dev cli0
monitor_start "$ns1" "$WORK/monitor.json"

behaviour pi4_serial_prefixed_start4_elf_gets_file_not_found
errors=$(stat1 tftp_tx_error_1)
expect_eq "answer" "probe $SERIAL/start4.elf: ERROR 1 File not found" \
	"$(pi_tftp probe $SERIAL/start4.elf)"
expect_eq "tftp_tx_error_1" $((errors + 1)) "$(stat1 tftp_tx_error_1)"
expect_eq "sessions" 0 "$(stat1 tftp_sessions_active)"

behaviour pi4_tsize_probe_gets_oack_and_its_abort_ends_the_session
rx_errors=$(stat1 tftp_rx_error)
expect_eq "answers" "probe start4.elf: OACK blksize=1024 tsize=100000
after abort: refused" "$(pi_tftp probe start4.elf)"
expect_eq "tftp_rx_error" $((rx_errors + 1)) "$(stat1 tftp_rx_error)"
expect_eq "sessions" 0 "$(stat1 tftp_sessions_active)"
wait_until 5 grep -q '"tftp-error"' "$WORK/monitor.json"
expect_eq "tftp-error event" 1 "$("$PYTHON" -c '
import json, sys
print(sum(1 for line in open(sys.argv[1]) if line.startswith("{")
          for j in [json.loads(line)]
          if j.get("event") == "tftp-error" and j.get("file") == "start4.elf"
          and j.get("error") == 0 and j.get("message") == "Early terminate"))' \
	"$WORK/monitor.json")"

behaviour pi4_then_downloads_start4_elf_from_the_root
expect_eq "download" "get start4.elf: OACK blksize=1024 tsize=100000 blocks 98 bytes 100000" \
	"$(pi_tftp get start4.elf "$WORK/got.start4.elf")"
expect_eq "start4.elf" "$(sha256sum <"$WORK/start4.elf")" \
	"$(sha256sum <"$WORK/got.start4.elf")"

behaviour pi3_rom_downloads_bootcode_bin_lock_step
expect_eq "steps" "get512 bootcode.bin: blocks 102 bytes 52000
probe bootsig.bin: ERROR 1 File not found" \
	"$(pi_tftp get512 bootcode.bin "$WORK/got.bootcode.bin" probe bootsig.bin)"
expect_eq "bootcode.bin" "$(sha256sum <"$WORK/bootcode.bin")" \
	"$(sha256sum <"$WORK/got.bootcode.bin")"

behaviour tftp_counters_tell_the_pis_story
expect_eq "tftp_completed" 2 "$(stat1 tftp_completed)"
expect_eq "tftp_tx_error_1" 2 "$(stat1 tftp_tx_error_1)"
expect_eq "tftp_rx_error" 1 "$(stat1 tftp_rx_error)"
expect_eq "tftp_drop_malformed" 0 "$(stat1 tftp_drop_malformed)"
expect_eq "sessions" 0 "$(stat1 tftp_sessions_active)"
