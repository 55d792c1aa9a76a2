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

# hex_bytes [N]: "0:3:0:1:2:aa" or "02:aa" on stdin as "0003000102aa" or
# "02aa": each byte two digits, no separators (dhclient drops leading
# zeros).  dhclient writes a value whose bytes are all printable (or all
# but a last NUL, which it drops) as a quoted string instead, "6_Dg" for
# 36:5f:44:67: that is read as its bytes, padded with NULs to N bytes.
hex_bytes() {
	"$PYTHON" -c '
import sys
v = sys.stdin.read().strip()
if len(v) >= 2 and v[0] == v[-1] == "\"":
    b = v[1:-1].encode("latin-1")
    print((b + bytes(max(0, int(sys.argv[1]) - len(b)))).hex())
else:
    print("".join("%02x" % int(b, 16) for b in v.split(":")))' "${1:-0}"
}

# lease6_gone NS MAC: MAC has no DHCPv6 lease in NS.
lease6_gone() {
	local ip
	ip=$(lease_field "$1" "$2" ip6) || return 1
	[ -z "$ip" ]
}

# perfdhcp6_run ARGS...: Kea's perfdhcp -6 from cli0 in $ns2 (60 s at most),
# with -x l (the leases it got, listed after the statistics).  Its report
# goes to $WORK/perfdhcp6.txt and its exit status, which the caller judges
# (3: an exchange was not completed), to $PERFDHCP6_RC.
PERFDHCP6_RC=
perfdhcp6_run() {
	PERFDHCP6_RC=0
	(cd "$WORK" && n2 timeout 60 perfdhcp -6 -l cli0 -x l "$@") \
		>"$WORK/perfdhcp6.txt" 2>&1 || PERFDHCP6_RC=$?
	log "perfdhcp -6 $*: exit $PERFDHCP6_RC"
	grep -E '^(Rate|Malformed|\*\*\*Statistics|sent|received|drops:|orphans|rejected|non unique)' \
		"$WORK/perfdhcp6.txt" | sed 's/^/#   /'
}

# perfdhcp6_exchanges EXCHANGE...: "EXCHANGE SENT RECEIVED DROPS" of each
# named exchange (SOLICIT-ADVERTISE, REQUEST-REPLY) in perfdhcp6_run's
# report, one a line; fails when the report counts a malformed packet,
# an orphan, a rejected lease or an address given twice.
perfdhcp6_exchanges() {
	"$PYTHON" - "$WORK/perfdhcp6.txt" "$@" <<-'EOF'
	import re, sys
	text = open(sys.argv[1]).read()
	def count(part, label):
	    return int(re.search(rf"^{label}: (\d+)", part, re.M).group(1))
	bad = [] if re.search(r"^Malformed packets: 0$", text, re.M) else ["malformed packets"]
	for name in sys.argv[2:]:
	    part = text.split(f"***Statistics for: {name}***")[1].split("***")[0]
	    for label in ("orphans", "rejected leases", "non unique addresses"):
	        if count(part, label):
	            bad.append(f"{name}: {label} {count(part, label)}")
	    print(name, count(part, "sent packets"), count(part, "received packets"),
	          count(part, "drops"))
	for b in bad:
	    print("# perfdhcp counts", b, file=sys.stderr)
	sys.exit(1 if bad else 0)
	EOF
}

# perfdhcp6_leases: the leases perfdhcp6_run's client got in the Replies
# (its -x l list), "DUID ADDRESS" a line, the DUID in hex without colons
# as `pxectl -j lease show` prints it, sorted.
perfdhcp6_leases() {
	sed -n '/^\*\*\*Leases for REQUEST-REPLY\*\*\*/,/^$/p' "$WORK/perfdhcp6.txt" |
		awk -F, 'NR > 2 && NF >= 2 { gsub(":", "", $1); print tolower($1), $2 }' | sort
}

# leases6_of NS: NS's IPv6 leases as "DUID ADDRESS STATE POOL MAC" a line,
# sorted.
leases6_of() {
	"$PXECTL" -n "$1" -j lease show |
		jq -r '.[] | select(.ip6 != null and .ip6 != "") |
			"\(.duid) \(.ip6) \(.state) \(.pool) \(.mac)"' | sort
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
