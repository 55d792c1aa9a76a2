# SPDX-License-Identifier: GPL-2.0
#
# Shared by the DHCPv6 selftests (selftests/dhcp6_*.sh).  Source it after
# lib.sh and lib_dhcp.sh.  The namespaces lib.sh makes have IPv6 off (no
# autoconfiguration chatter); these tests turn it on for their veth pair,
# without duplicate address detection, so that link-local addresses are
# usable at once and a reply can be sent from one.

# Sends the frame dhcp6_pair built for a KIND (dhcp6_send.py --frames).
DHCP6_SEND=("$PYTHON" "$SELFTESTS/dhcp6_send.py" --frames "$WORK/frames6")
# The KINDs built once: all but decline (dhcp6_send.py --help).
DHCP6_KINDS=(solicit rapid-commit information-request confirm-onlink
	confirm-offlink relayed-solicit bad-payload-length bad-udp-length
	ext-header bad-checksum zero-checksum truncated bad-option
	foreign-server-id multicast-source unspecified-source padded-relay-reply)

# ipv6_on NS...: IPv6 on in each namespace, for the devices made after it:
# link-local addresses usable at once (no duplicate address detection), no
# router solicitations.
ipv6_on() {
	local ns
	for ns in "$@"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 \
			net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0
	done
}

# dhcp6_netns: $ns1 and $ns2, IPv6 on.
dhcp6_netns() {
	netns_add "$ns1"
	netns_add "$ns2"
	ipv6_on "$ns1" "$ns2"
}

# dhcp6_pair: $ns1 with srv0 (10.0.1.1/24, fd00:1::1/64, a pxe link) and
# $ns2 with cli0, both with a usable link-local address.
dhcp6_pair() {
	dhcp6_netns
	veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0
	ip1 -6 addr add fd00:1::1/64 dev srv0 nodad
	wait_until 10 has_link_local "$ns1" srv0
	wait_until 10 has_link_local "$ns2" cli0
	pxe1 link add dev srv0
	dhcp6_scripts
	# cli0's frames, with one import of scapy (none when a test set
	# DHCP6_KINDS=(): it sends none).
	mkdir -p "$WORK/frames6"
	[ ${#DHCP6_KINDS[@]} -eq 0 ] ||
		n2 "$PYTHON" "$SELFTESTS/dhcp6_send.py" --dev cli0 --build "$WORK/frames6" "${DHCP6_KINDS[@]}"
}

# has_link_local NS DEV: DEV has a link-local address that is not tentative.
has_link_local() {
	ip -n "$1" -6 addr show dev "$2" scope link | grep -q 'inet6 fe80' &&
		! ip -n "$1" -6 addr show dev "$2" scope link | grep -q tentative
}

# dhcp6_scripts: dhclient -6's hook script in $WORK; it applies the lease
# and writes its environment to $WORK/dhclient6.REASON (BOUND6, RENEW6...).
dhcp6_scripts() {
	cat >"$WORK/dhclient6.sh" <<-EOF
	#!/bin/sh
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	case "\$reason" in
	BOUND6|RENEW6|REBIND6|REBOOT6)
		ip -6 addr replace "\$new_ip6_address/128" dev "\$interface" nodad ;;
	RELEASE6|EXPIRE6|STOP6)
		[ -z "\$old_ip6_address" ] ||
			ip -6 addr del "\$old_ip6_address/128" dev "\$interface" ;;
	esac
	env >"$WORK/dhclient6.\$reason"
	EOF
	chmod +x "$WORK/dhclient6.sh"
}

# dhclient6 ARGS... DEV: ISC dhclient -6 in $ns2 with the test's script,
# lease and pid files; its output appends to $WORK/dhclient6.log.
dhclient6() {
	n2 timeout 60 dhclient -6 -v -sf "$WORK/dhclient6.sh" \
		-lf "$WORK/dhclient6.leases" -pf "$WORK/dhclient6.pid" "$@" \
		>>"$WORK/dhclient6.log" 2>&1
}

# hex_bytes: "0:3:0:1:2:aa" or "02:aa" on stdin as "0003000102aa" or "02aa":
# each byte two digits, no separators (dhclient drops leading zeros).
hex_bytes() {
	"$PYTHON" -c '
import sys
print("".join("%02x" % int(b, 16) for b in sys.stdin.read().strip().split(":")))'
}

# lease6_gone NS MAC: MAC has no DHCPv6 lease in NS.
lease6_gone() {
	local ip
	ip=$(lease_field "$1" "$2" ip6) || return 1
	[ -z "$ip" ]
}

# capture6_flagged FILE MAC WHICH: the packets MAC sent in FILE (made by
# capture_start ... --ipv6) that tshark finds wrong, one JSON line each
# (fields as in selftests/dhcp_pcap.py --ipv6): WHICH is "malformed"
# (tshark's malformed mark), "expert" (an expert item of warning or worse)
# or "undecoded" (neither DHCPv6, TFTP nor a Router Advertisement to it,
# or DHCPv6 whose options tshark read do not take up its bytes: "gaps").
capture6_flagged() {
	capture_summary "$1" --ipv6 | "$PYTHON" -c '
import json, sys
mac, which = sys.argv[1:3]
# tshark gives every TFTP ERROR packet this expert item of severity
# warning (packet-tftp.c, ei_tftp_error): it marks the packet as an error
# answer, not as a wrong one, and a missing file must get its ERROR.
TFTP_ERROR = "TFTP ERROR packet"
for p in json.load(sys.stdin):
    if p.get("eth.src") != [mac]:
        continue
    if which == "malformed":
        bad = "malformed" in p["problems"]
    elif which == "expert":
        bad = [m for m in p["problems"] if m != "malformed" and
               not (m == TFTP_ERROR and p.get("tftp.opcode") == ["5"])]
    else:
        bad = p["gaps"] or not ("dhcpv6.msgtype" in p or "tftp.opcode" in p or
                                p.get("icmpv6.type") == ["134"])
    if bad:
        print(json.dumps(p))' "$2" "$3"
}
