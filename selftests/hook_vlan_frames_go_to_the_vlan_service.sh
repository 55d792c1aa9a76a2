#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VLAN's frames belong to the VLAN device: with both srv0 and srv0.10
# attached, each with its own pool, a client on the VLAN gets its address
# from the VLAN's pool (the parent's hook leaves tagged frames alone; the
# VLAN's hook answers, and the reply goes out tagged), a client on the
# untagged wire from the parent's.  A tagged DISCOVER crafted with scapy
# gets exactly one answer, tagged, from the VLAN's pool; one tagged for a
# VLAN nobody serves gets none; a priority-tagged one (VLAN id 0, 802.1p)
# is the parent's, as it is for the stack.
#
#   +------------------------------------+       +------------------------------+
#   | $ns1 (server)                      |       | $ns2 (clients)               |
#   |   srv0     10.0.1.1/24  "lan"  ----+-veth--+-- cli0      (udhcpc)         |
#   |   srv0.10  10.0.10.1/24 "vlan10"   |       |   cli0.10   (udhcpc, own MAC) |
#   +------------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

ensure_module
dhcp_pair
ip1 link add link srv0 name srv0.10 type vlan id 10
ip1 addr add 10.0.10.1/24 dev srv0.10
ip1 link set srv0.10 up
ip2 link add link cli0 name cli0.10 type vlan id 10
ip2 link set cli0.10 address 02:00:00:00:10:10
ip2 link set cli0.10 up
pxe1 link add dev srv0.10
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199
pxe1 pool add vlan10 dev srv0.10 range 10.0.10.100 10.0.10.199
dhcp_scripts

behaviour vlan_client_gets_the_vlans_address
udhcpc_once "$ns2" cli0.10 "$WORK/vlan"
ip_in "$(env_of "$WORK/vlan.bound" ip)" 10.0.10.100 10.0.10.199
expect_eq "lease pool" vlan10 "$(lease_field "$ns1" 02:00:00:00:10:10 pool)"

behaviour untagged_client_gets_the_parents_address
mac=$(mac_of "$ns2" cli0)
udhcpc_once "$ns2" cli0 "$WORK/lan"
ip_in "$(env_of "$WORK/lan.bound" ip)" 10.0.1.100 10.0.1.199
expect_eq "lease pool" lan "$(lease_field "$ns1" "$mac" pool)"

behaviour parents_pool_never_leased_to_the_vlan_client
expect_eq "leases of the VLAN client" 1 \
	"$(pxe1 -j lease show | json_query "len([l for l in j if l['mac'] == '02:00:00:00:10:10'])")"

# tagged_discover VLAN MAC XID: a DISCOVER sent raw on cli0 with an 802.1Q
# tag in the frame (VLAN id VLAN, priority 5); prints every UDP reply from
# the server within 3 s as "TAG YIADDR XID" (TAG "untagged" for none).
cat >"$WORK/tagged.py" <<-'EOF'
	import select, socket, struct, sys, time
	from scapy.layers.dhcp import BOOTP, DHCP
	from scapy.layers.inet import IP, UDP
	from scapy.layers.l2 import Dot1Q, Ether
	dev, srv, vlan, mac, xid = sys.argv[1:6]
	vlan, xid = int(vlan), int(xid, 0)
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
	s.setsockopt(263, 8, 1)  # SOL_PACKET, PACKET_AUXDATA: the stripped tag
	s.bind((dev, 0))
	s.send(bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / Dot1Q(vlan=vlan, prio=5)
	             / IP(src="0.0.0.0", dst="255.255.255.255")
	             / UDP(sport=68, dport=67)
	             / BOOTP(xid=xid, flags=0x8000,
	                     chaddr=bytes.fromhex(mac.replace(":", "")))
	             / DHCP(options=[("message-type", "discover"), "end"])))
	end = time.monotonic() + 3
	while (left := end - time.monotonic()) > 0:
	    if not select.select([s], [], [], left)[0]:
	        continue
	    frame, anc, _, addr = s.recvmsg(65535, 256)
	    if addr[2] == socket.PACKET_OUTGOING:
	        continue
	    p = Ether(frame)
	    tag = p[Dot1Q].vlan if Dot1Q in p else "untagged"
	    for level, kind, data in anc:
	        if level == 263 and kind == 8:
	            status, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", data[:20])
	            if status & 0x10:  # TP_STATUS_VLAN_VALID
	                tag = tci & 0xfff
	    if p.src != srv or UDP not in p or BOOTP not in p:
	        continue
	    print(tag, p[BOOTP].yiaddr, hex(p[BOOTP].xid))
EOF
tagged_discover() {
	n2 "$PYTHON" "$WORK/tagged.py" cli0 "$(mac_of "$ns1" srv0)" "$@" >"$WORK/tagged"
	log "replies: $(tr '\n' ';' <"$WORK/tagged")"
}

behaviour tagged_discover_at_the_parent_answered_only_by_the_vlan
tagged_discover 10 02:00:00:00:10:77 0x1010
expect_eq "replies" 1 "$(wc -l <"$WORK/tagged")"
read -r tag yiaddr xid <"$WORK/tagged"
expect_eq "reply tag" 10 "$tag"
expect_eq "reply xid" 0x1010 "$xid"
ip_in "$yiaddr" 10.0.10.100 10.0.10.199

behaviour priority_tagged_discover_answered_by_the_parent
# VLAN id 0 carries only a priority (802.1p): the frame is srv0's own.
tagged_discover 0 02:00:00:00:00:77 0x0077
expect_eq "replies" 1 "$(wc -l <"$WORK/tagged")"
read -r tag yiaddr xid <"$WORK/tagged"
expect_eq "reply tag" untagged "$tag"
expect_eq "reply xid" 0x77 "$xid"
ip_in "$yiaddr" 10.0.1.100 10.0.1.199

behaviour discover_tagged_for_a_vlan_without_service_is_not_answered
tagged_discover 20 02:00:00:00:20:77 0x2020
expect_eq "replies" 0 "$(wc -l <"$WORK/tagged")"
