#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of IPv6 reply the module sends decodes in tshark with no
# malformed mark and no expert item of warning or worse (issue 14).  One
# capture on the server's device (selftests/dhcp_capture.py --ipv6) holds,
# from the module: Advertise and Reply to ISC dhclient -6 (Solicit,
# Request, Renew, Release), an Advertise with NoAddrsAvail while the
# one-address pool is taken, an Advertise with a boot file URL (option
# 59) to EDK2's Solicit, Replies to Information-Request and to Confirm
# (Success and NotOnLink), a Relay-Repl, Router Advertisements, and TFTP
# over IPv6: an OACK of blksize, tsize and windowsize to atftp, DATA, and
# ERROR 1 to tftp-hpa.  tshark (selftests/dhcp_pcap.py --ipv6) then reads
# each kind at least once, and flags none of the server's packets.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 fd00:1::1/64 ---------+-veth--+-- cli0 fd00:1::2/64         |
#   |   link ra, pool "lan6" ::100 |       |   dhclient -6, dhcp6_send.py |
#   |   capture of srv0            |       |   atftp, tftp -6             |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

DHCP6_KINDS=(solicit edk2-solicit information-request confirm-onlink
	confirm-offlink relayed-solicit)
SERVER6=fd00:1::1
PCAP=$WORK/srv0.pcap

cleanup_test() {
	[ ! -e "$WORK/dhclient6.pid" ] || kill "$(cat "$WORK/dhclient6.pid")" 2>/dev/null || true
	dhcp_lib_cleanup
}

# send6 KIND: one of the frames dhcp6_pair built, its replies printed.
# dhcp6_send.py waits for replies the whole --timeout; the module's
# comes at once.
send6() { n2 "${DHCP6_SEND[@]}" --dev cli0 "$@" --timeout 2; }

ra_sent() { [ "$(stat_of "$ns1" ra_tx)" -gt 0 ]; }

# kinds: for each kind of reply, "KIND COUNT": how many of the packets
# srv0 sent are of it.  A DHCPv6 Reply's kind is the message it answers
# (the client's with the same transaction ID).
kinds() {
	capture_summary "$PCAP" --ipv6 | "$PYTHON" -c '
import json, sys
packets = json.load(sys.stdin)
mine = [p for p in packets if p.get("eth.src") == [sys.argv[1]]]
asked = {p["dhcpv6.xid"][0]: p["dhcpv6.msgtype"][-1]
         for p in packets if p not in mine and "dhcpv6.xid" in p}


def f(p, key):
    return p.get(key, [])


def reply_to(p, msgtype):
    xid = f(p, "dhcpv6.xid")
    return f(p, "dhcpv6.msgtype") == ["7"] and asked.get(xid[0] if xid else None) == msgtype


def advertise(p):
    return f(p, "dhcpv6.msgtype") == ["2"]


KINDS = {
    "advertise-with-an-address": lambda p: advertise(p) and f(p, "dhcpv6.iaaddr.ip"),
    "advertise-no-addrs-avail": lambda p: advertise(p) and "2" in f(p, "dhcpv6.status_code"),
    "advertise-with-a-boot-file-url": lambda p: advertise(p) and "59" in f(p, "dhcpv6.option.type"),
    "reply-to-request": lambda p: reply_to(p, "3") and f(p, "dhcpv6.iaaddr.ip"),
    "reply-to-renew": lambda p: reply_to(p, "5") and f(p, "dhcpv6.iaaddr.ip"),
    "reply-to-release": lambda p: reply_to(p, "8"),
    "reply-to-information-request": lambda p: reply_to(p, "11"),
    "reply-to-confirm-success": lambda p: reply_to(p, "4") and f(p, "dhcpv6.status_code") == ["0"],
    "reply-to-confirm-not-on-link": lambda p: reply_to(p, "4") and f(p, "dhcpv6.status_code") == ["4"],
    "relay-repl": lambda p: f(p, "dhcpv6.msgtype")[:1] == ["13"],
    "router-advertisement": lambda p: f(p, "icmpv6.type") == ["134"],
    "tftp-oack-blksize-tsize-windowsize": lambda p: f(p, "tftp.opcode") == ["6"] and
        {"blksize", "tsize", "windowsize"} <= set(f(p, "tftp.option.name")),
    "tftp-data": lambda p: f(p, "tftp.opcode") == ["3"],
    "tftp-error-file-not-found": lambda p: f(p, "tftp.opcode") == ["5"] and
        f(p, "tftp.error.code") == ["1"],
}
for kind, test in KINDS.items():
    print(kind, sum(1 for p in mine if test(p)))' "$srv_mac"
}

# sent KIND...: srv0 sent at least one packet of each KIND (see kinds);
# each one it did not is named.
sent() {
	local kind rc=0
	for kind in "$@"; do
		expect_ge "packets of kind $kind from the server" 1 \
			"$(sed -n "s/^$kind //p" "$WORK/kinds")" || rc=1
	done
	return $rc
}

# flagged WHICH: none of srv0's packets is flagged WHICH (capture6_flagged).
flagged() {
	local bad
	bad=$(capture6_flagged "$PCAP" "$srv_mac" "$1")
	[ -z "$bad" ] || { sed 's/^/# tshark flags: /' <<<"$bad"; return 1; }
}

ensure_module
dhcp6_pair
ip2 -6 addr add fd00:1::2/64 dev cli0 nodad
srv_mac=$(mac_of "$ns1" srv0)
capture_start "$ns1" srv0 "$PCAP" --ipv6
# The link again with `ra`: it advertises once it has an IPv6 pool.  One
# address: while dhclient holds it, another client gets NoAddrsAvail.
# T1 is 5 s: dhclient renews within the test.
pxe1 link del dev srv0
pxe1 link add dev srv0 ra
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::100 dns fd00:1::53 lease 10
pxe1 boot add arch efi-x64 vendor PXEClient file ipxe.efi >/dev/null
# Six blocks of 1400: a window of four, then one of two.
head -c 8000 /dev/urandom >"$WORK/src.boot.bin"
pxe1 image load boot.bin "$WORK/src.boot.bin" >/dev/null

behaviour dhclient6_binds_the_pools_one_address
dhclient6 -1 cli0 || { sed 's/^/#   /' "$WORK/dhclient6.log"; false; }
expect_eq "dhclient address" fd00:1::100 "$(env_of "$WORK/dhclient6.BOUND6" new_ip6_address)"

behaviour another_client_of_the_full_pool_gets_no_address
# dhclient's socket on :546 may get the Advertise instead of
# dhcp6_send.py's: the server's counters say that it went out.
exhausted=$(stat_of "$ns1" dhcp6_drop_exhausted)
advertised=$(stat_of "$ns1" dhcp6_tx_advertise)
send6 solicit >/dev/null || true
expect_eq "dhcp6_drop_exhausted" $((exhausted + 1)) "$(stat_of "$ns1" dhcp6_drop_exhausted)"
expect_eq "dhcp6_tx_advertise" $((advertised + 1)) "$(stat_of "$ns1" dhcp6_tx_advertise)"

behaviour dhclient6_renews_and_releases
wait_until 30 test -e "$WORK/dhclient6.RENEW6"
dhclient6 -r cli0
rm -f "$WORK/dhclient6.pid"
wait_until 15 lease6_gone "$ns1" "$(mac_of "$ns2" cli0)"

behaviour boot_firmware_gets_a_boot_file_url
reply=$(send6 edk2-solicit | head -n 1)
expect_eq "option 59 present" True "$(json_query '"59" in j["options"]' <<<"$reply")"

behaviour information_request_confirms_and_relay_forw_are_answered
for kind in information-request confirm-onlink confirm-offlink relayed-solicit; do
	send6 "$kind" >/dev/null || { log "no reply to $kind"; false; }
done

behaviour router_advertisements_go_out
wait_until 10 ra_sent

behaviour atftp_gets_an_oack_and_the_data_over_ipv6
n2 timeout 60 atftp --option "blksize 1400" --option "tsize 0" \
	--option "windowsize 4" -g -r boot.bin -l "$WORK/out" "$SERVER6" \
	>"$WORK/atftp.log" 2>&1 || { sed 's/^/#   /' "$WORK/atftp.log"; false; }
cmp "$WORK/src.boot.bin" "$WORK/out"

behaviour tftp_hpa_missing_file_gets_an_error
if n2 timeout 30 tftp -6 "$SERVER6" -c get nosuch.bin "$WORK/out" >"$WORK/hpa.log" 2>&1 &&
	! grep -qi error "$WORK/hpa.log"; then
	log "tftp -6 reported no error"
	false
fi
# The capture writes what it read before it is stopped.
sleep 1
capture_stop

behaviour server_sent_advertise_and_replies_to_dhclient6
kinds >"$WORK/kinds"
sed 's/^/# /' "$WORK/kinds"
sent advertise-with-an-address reply-to-request reply-to-renew reply-to-release

behaviour server_sent_each_answer_to_the_crafted_messages
sent advertise-no-addrs-avail advertise-with-a-boot-file-url \
	reply-to-information-request reply-to-confirm-success \
	reply-to-confirm-not-on-link relay-repl

behaviour server_sent_router_advertisements
sent router-advertisement

behaviour server_sent_tftp_oack_data_and_error
sent tftp-oack-blksize-tsize-windowsize tftp-data tftp-error-file-not-found

behaviour every_server_packet_decodes_as_dhcpv6_tftp_or_ra
flagged undecoded

behaviour no_server_packet_is_malformed
flagged malformed

behaviour no_server_packet_has_an_expert_warning_or_error
flagged expert
log "TFTP ERROR packets, whose expert warning is left out:" \
	"$(jq --arg m "$srv_mac" '[.[] | select(.["eth.src"] == [$m] and
	(.problems | index("TFTP ERROR packet")))] | length' "$PCAP.json")"
# What tshark only notes (below warning), for the record.
jq -r --arg m "$srv_mac" '[.[] | select(.["eth.src"] == [$m]) | .notes[]?] |
	unique[] | "# tshark notes on the server'"'"'s packets: " + .' "$PCAP.json"
