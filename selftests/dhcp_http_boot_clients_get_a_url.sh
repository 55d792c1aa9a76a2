#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UEFI HTTP Boot (docs/boot.md): a client whose option 60 starts
# "HTTPClient" (EDK2's HttpBootDxe sends "HTTPClient:Arch:00016:UNDI:003000"
# and option 93 = 16) and that a rule written the README way, `boot add arch
# efi-x64-http file http://10.0.1.1/ipxe.efi`, matches gets an OFFER and an
# ACK with option 60 "HTTPClient", the URL in the file field and in option 67
# (asked for or not) and no option 43; from a proxy pool beside dnsmasq the
# same OFFER with yiaddr 0.  One list of rules serves PXE firmware too: a
# rule whose file is a URL passes over it (iPXE takes it), one whose file
# is a TFTP path passes over HTTP clients.  What only looks like HTTP Boot
# ("HTTPClien", "httpclient") is an ordinary client; an HTTP client sending
# no option 93, or 7, matches no rule and gets a plain lease.  Then the
# URL is fetched from busybox httpd (the admin's HTTP server) and the PXE
# client's file from the module by TFTP.  The messages are made with scapy
# (selftests/dhcp_stack.py).
#
#   +----------------------------------+       +------------------------------+
#   | $ns1 (server)                    |       | $ns2 (the clients)           |
#   |   srv0 10.0.1.1/24 --------------+-veth--+-- cli0 (DHCP from 0.0.0.0,   |
#   |   pool "lan" .100-.199, later    |       |   then 10.0.1.9/24)          |
#   |   proxy pool "px" and dnsmasq    |       |   dhcp_stack.py, curl        |
#   |   .50-.80; busybox httpd :80     |       |                              |
#   +----------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

STACK=("$PYTHON" "$SELFTESTS/dhcp_stack.py")
URL=http://10.0.1.1/ipxe.efi
IPXE_URL=http://10.0.1.1/boot.ipxe
# What EDK2's HTTP Boot DISCOVER asks for in option 55 (HttpBootDhcp4.c).
EDK2_HTTP_PRL=1,2,3,4,5,6,12,13,15,17,18,22,23,28,40,41,42,43,50,51,54,58,59,60,67,97
EDK2_HTTP="--vendor HTTPClient:Arch:00016:UNDI:003000 --arch 16 --prl $EDK2_HTTP_PRL"
EDK2_PXE="--vendor PXEClient:Arch:00007:UNDI:003016 --arch 7"
BIOS_PXE="--vendor PXEClient:Arch:00000:UNDI:002001 --arch 0"
PXE_43=060108ff

# ask LINE...: each LINE the arguments of one `dhcp_stack.py send` after
# "--dev cli0" (give each a --name), sent in turn from $ns2 by one process
# (scapy loads once: on the debug kernel that is most of a minute); prints
# the replies, one JSON line each, and logs them.
ask() {
	local out
	out=$(printf -- '--dev cli0 %s\n' "$@" | n2 "${STACK[@]}" batch) || return 1
	out=$(grep -v '^{"xid"' <<<"$out" || true)
	log "$out" >&2
	echo "$out"
}

# answers REPLIES: each reply as one line "NAME TYPE YIADDR FILE 60 43 67",
# options 60 and 67 as text, 43 in hex, "-" for an empty file or an
# absent option (one python for all: each costs seconds on the debug kernel).
answers() {
	"$PYTHON" -c '
import json, sys
for line in filter(str.strip, sys.stdin):
    j = json.loads(line)
    o = j["options"]
    text = lambda c: bytes.fromhex(o[c]).decode() if c in o else "-"
    print(j["name"], j["type"], j["yiaddr"], j["file"] or "-", text("60"),
          o.get("43", "-"), text("67"))' <<<"$1"
}

# answer_is FILE NAME EXPECTED: NAME's line of answers in FILE.
answer_is() {
	expect_eq "$2's answer" "$2 $3" "$(grep "^$2 " "$1")"
}

# hits: the rules' hits in the order boot show lists them.
hits() { pxe1 -j boot show | json_query '[r["hits"] for r in j]'; }

ensure_module
dhcp_pair
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 dns 10.0.1.1
head -c 30000 /dev/urandom >"$WORK/ipxe.efi"
pxe1 image load ipxe.efi "$WORK/ipxe.efi" >/dev/null
capture_start "$ns2" cli0 "$WORK/http.pcap"

behaviour url_rules_are_added_and_shown_as_written
pxe1 boot add arch bios file pxelinux.0 >/dev/null
pxe1 boot add arch efi-x64 file ipxe.efi >/dev/null
pxe1 boot add arch efi-x64-http file $URL >/dev/null
pxe1 boot add arch efi-x64 user-class iPXE file $IPXE_URL prio 10 >/dev/null
# Every PXE client's first match: firmware passes over it, iPXE would not.
pxe1 boot add vendor PXEClient file http://10.0.1.1/not-for-firmware.efi prio 50 >/dev/null
expect_eq "boot show" "id 4 prio 10 arch efi-x64 user-class iPXE file $IPXE_URL hits 0
id 5 prio 50 vendor PXEClient file http://10.0.1.1/not-for-firmware.efi hits 0
id 1 prio 100 arch bios file pxelinux.0 hits 0
id 2 prio 100 arch efi-x64 file ipxe.efi hits 0
id 3 prio 100 arch efi-x64-http file $URL hits 0" "$(pxe1 boot show)"
# A URL may take all of option 67: 255 bytes.
long=http://10.0.1.1/$(printf 'x%.0s' {1..239})
id=$(pxe1 boot add arch 16 file "$long")
expect_eq "255-byte file" "$long" \
	"$(pxe1 -j boot show | json_query "[r['file'] for r in j if r['id'] == $id][0]")"
pxe1 boot del "$id"
expect_error "pxectl: boot add: invalid file '${long}y' (1 to 255 characters)" \
	pxe1 boot add arch 16 file "${long}y"

behaviour http_pxe_and_look_alike_clients_each_get_an_offer
# In this order, each takes the pool's next address.
r=$(ask "discover --mac 02:00:00:00:0c:01 $EDK2_HTTP --name http" \
	"discover --mac 02:00:00:00:0c:02 $EDK2_HTTP --prl 1,3,6 --name no67" \
	"discover --mac 02:00:00:00:0c:03 $EDK2_PXE --name efi" \
	"discover --mac 02:00:00:00:0c:04 $BIOS_PXE --name bios" \
	"discover --mac 02:00:00:00:0c:05 $EDK2_PXE --user-class iPXE --ipxe --name ipxe" \
	"discover --mac 02:00:00:00:0c:06 --vendor HTTPClien --arch 16 --name cut" \
	"discover --mac 02:00:00:00:0c:07 --vendor httpclient:Arch:00016:UNDI:003000 --arch 16 --name lower" \
	"discover --mac 02:00:00:00:0c:08 --vendor HTTPClient --arch 16 --name bare" \
	"discover --mac 02:00:00:00:0c:09 --vendor HTTPClient:Arch:00016:UNDI:003000 --name no93" \
	"discover --mac 02:00:00:00:0c:0a --vendor HTTPClient:Arch:00007:UNDI:003000 --arch 7 --name arch7")
offers=$r
answers "$r" >"$WORK/pool"
expect_eq "OFFERs" 10 "$(grep -c ' 2 10\.0\.1\.1[0-9][0-9] ' "$WORK/pool")"

behaviour http_client_gets_httpclient_and_the_url_in_offer_and_ack
answer_is "$WORK/pool" http "2 10.0.1.100 $URL HTTPClient - $URL"
expect_eq "option 54" 0a000101 "$(named_option "$offers" http 54)"
expect_eq "option 51" 00000e10 "$(named_option "$offers" http 51)"
r=$(ask "request --mac 02:00:00:00:0c:01 $EDK2_HTTP --requested 10.0.1.100 --server-id 10.0.1.1 --name ack")
answers "$r" >"$WORK/ack"
answer_is "$WORK/ack" ack "5 10.0.1.100 $URL HTTPClient - $URL"
expect_eq "lease" bound "$(lease_field "$ns1" 02:00:00:00:0c:01 state)"

behaviour http_client_not_asking_for_67_still_gets_it
answer_is "$WORK/pool" no67 "2 10.0.1.101 $URL HTTPClient - $URL"

behaviour pxe_firmware_on_the_same_link_gets_its_tftp_files
answer_is "$WORK/pool" efi "2 10.0.1.102 ipxe.efi PXEClient $PXE_43 ipxe.efi"
answer_is "$WORK/pool" bios "2 10.0.1.103 pxelinux.0 PXEClient $PXE_43 pxelinux.0"

behaviour ipxe_takes_a_url_rule
answer_is "$WORK/pool" ipxe "2 10.0.1.104 $IPXE_URL PXEClient $PXE_43 $IPXE_URL"

behaviour look_alike_vendor_classes_are_ordinary_clients
# The rule's URL, as to any client that is not PXE firmware, and no 60.
answer_is "$WORK/pool" cut "2 10.0.1.105 $URL - - $URL"
answer_is "$WORK/pool" lower "2 10.0.1.106 $URL - - $URL"

behaviour bare_httpclient_is_an_http_client
answer_is "$WORK/pool" bare "2 10.0.1.107 $URL HTTPClient - $URL"

behaviour http_client_without_arch_16_gets_a_plain_lease
# No 93: no arch rule; 7: the efi-x64 rule's file is a TFTP path.
answer_is "$WORK/pool" no93 "2 10.0.1.108 - - - -"
answer_is "$WORK/pool" arch7 "2 10.0.1.109 - - - -"

behaviour url_rule_firmware_passes_over_keeps_no_hits
# 4 iPXE; 5 none (efi and bios passed over it); 1 bios; 2 efi; 3 http
# (offer and ack), no67, cut, lower, bare.
expect_eq "hits (4 5 1 2 3)" "[1, 0, 1, 1, 6]" "$(hits)"

behaviour replies_pass_tshark
capture_stop
capture_clean "$WORK/http.pcap" 11

behaviour proxy_pool_beside_dnsmasq_gives_http_client_the_url
pxe1 pool del lan
pxe1 pool add px dev srv0 proxy
dnsmasq_start "$ns1" srv0 10.0.1.50 10.0.1.80
r=$(ask "discover --mac 02:00:00:00:0c:0b $EDK2_HTTP --name http --timeout 3" \
	"discover --mac 02:00:00:00:0c:0c $EDK2_PXE --name efi --timeout 3" \
	"discover --mac 02:00:00:00:0c:0d --vendor HTTPClient:Arch:00007:UNDI:003000 --arch 7 --name arch7 --timeout 3")
# EDK2 takes its address from dnsmasq's OFFER and the URL from ours.
ours=$(grep '"yiaddr": "0.0.0.0"' <<<"$r" || true)
answers "$ours" >"$WORK/ours"
answers "$(grep -v '"yiaddr": "0.0.0.0"' <<<"$r" || true)" >"$WORK/theirs"
answer_is "$WORK/ours" http "2 0.0.0.0 $URL HTTPClient - $URL"
expect_eq "option 54" 0a000101 "$(named_option "$ours" http 54)"
expect_eq "option 51" absent "$(named_option "$ours" http 51)"
ip_in "$(grep '^http ' "$WORK/theirs" | cut -d' ' -f3)" 10.0.1.50 10.0.1.80
expect_eq "leases of the proxy" "[]" "$(pxe1 -j lease show)"

behaviour proxy_pool_gives_pxe_firmware_its_tftp_file
answer_is "$WORK/ours" efi "2 0.0.0.0 ipxe.efi PXEClient $PXE_43 ipxe.efi"

behaviour proxy_pool_leaves_http_client_without_a_rule_to_dnsmasq
expect_eq "OFFERs from us" "" "$(grep '^arch7 ' "$WORK/ours" || true)"
ip_in "$(grep '^arch7 ' "$WORK/theirs" | cut -d' ' -f3)" 10.0.1.50 10.0.1.80

behaviour the_url_and_the_tftp_file_download
mkdir "$WORK/http"
cp "$WORK/ipxe.efi" "$WORK/http/ipxe.efi"
n1 busybox httpd -f -p 10.0.1.1:80 -h "$WORK/http" &
DAEMON_PIDS+=($!)
ip2 addr add 10.0.1.9/24 dev cli0
wait_until 10 n2 curl -fsS -o "$WORK/got.http" $URL
expect_eq "over HTTP" "$(sha256sum <"$WORK/ipxe.efi")" "$(sha256sum <"$WORK/got.http")"
n2 curl -fsS -o "$WORK/got.tftp" tftp://10.0.1.1/ipxe.efi
expect_eq "over TFTP" "$(sha256sum <"$WORK/ipxe.efi")" "$(sha256sum <"$WORK/got.tftp")"
