#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DHCP routed through the box is not the module's: a client behind the
# router renews with a unicast REQUEST to an upstream server two hops away;
# the router, with a pxe link and a pool on the client's side, forwards it,
# the upstream server receives it and its ACK comes back to the client.  A
# BOOTREPLY to the router's own address on :67 reaches a socket there.  DHCP
# to another address of the attached device is still answered.
#
#   +----------------+        +--------------------------------+        +-----------------+
#   | $ns2 (client)  |        | $ns1 (router, ip_forward)      |        | $ns3 (upstream) |
#   |  cli0 10.0.1.2 +--veth--+ srv0 10.0.1.1, 10.0.1.254      |        |                 |
#   |  via 10.0.1.1  |        |   pxe link, pool .100-.199     |        |                 |
#   |                |        | up0 10.0.2.1 ------------------+--veth--+ up1 10.0.2.2    |
#   +----------------+        |   sink :67                     |        | responder :67   |
#                             +--------------------------------+        +-----------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

PIDS=()
cleanup_test() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	dhcp_lib_cleanup
}

ensure_module
dhcp_pair
netns_add "$ns3"
ip1 addr add 10.0.1.254/24 dev srv0
ip2 addr add 10.0.1.2/24 dev cli0
ip2 route add default via 10.0.1.1
veth_add "$ns1" up0 10.0.2.1/24 "$ns3" up1 10.0.2.2/24
ip3 route add 10.0.1.0/24 via 10.0.2.1
n1 sysctl -qw net.ipv4.ip_forward=1
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199

# The upstream server: records each REQUEST's xid and ACKs it to its
# sender (unicast, routed back through the router).
n3 "$PYTHON" - "$WORK/upstream" >"$WORK/upstream.log" 2>&1 <<-'EOF' &
	import socket, sys
	from scapy.layers.dhcp import BOOTP, DHCP
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("10.0.2.2", 67))
	print("listening", flush=True)
	while True:
	    data, peer = s.recvfrom(2048)
	    req = BOOTP(data)
	    with open(sys.argv[1], "a") as f:
	        f.write(f"{peer[0]} {req.op} {req.xid:#x}\n")
	    ack = (BOOTP(op=2, xid=req.xid, ciaddr=req.ciaddr, yiaddr=req.ciaddr,
	                 siaddr="10.0.2.2", chaddr=req.chaddr)
	           / DHCP(options=[("message-type", "ack"),
	                           ("server_id", "10.0.2.2"),
	                           ("lease_time", 600), "end"]))
	    s.sendto(bytes(ack), (peer[0], 68))
EOF
PIDS+=($!)
n1 "$PYTHON" "$SELFTESTS/frames.py" sink "$WORK/sink" 67 >"$WORK/sink.log" 2>&1 &
PIDS+=($!)
wait_until 60 grep -q listening "$WORK/upstream.log"
wait_until 30 grep -q listening "$WORK/sink.log"
rx_request_before=$(stat_of "$ns1" dhcp_rx_request)

# client_send OP DST XID: one BOOTP message (op 1 REQUEST, op 2 ACK) from
# 10.0.1.2:68 to DST:67; prints the reply's "op type xid" or "none" (3 s).
client_send() {
	n2 "$PYTHON" - "$@" <<-'EOF'
	import select, socket, sys
	from scapy.layers.dhcp import BOOTP, DHCP
	op, dst, xid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3], 0)
	kind = "request" if op == 1 else "ack"
	msg = (BOOTP(op=op, xid=xid, ciaddr="10.0.1.2",
	             chaddr=bytes.fromhex("020000000102"))
	       / DHCP(options=[("message-type", kind), "end"]))
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("10.0.1.2", 68))
	s.sendto(bytes(msg), (dst, 67))
	if not select.select([s], [], [], 3)[0]:
	    print("none")
	    sys.exit(0)
	r = BOOTP(s.recv(2048))
	t = dict(o for o in r[DHCP].options if isinstance(o, tuple))
	print(r.op, t.get("message-type"), f"{r.xid:#x}")
	EOF
}

behaviour unicast_request_to_an_upstream_server_is_routed
got=$(client_send 1 10.0.2.2 0xc0ffee)
expect_eq "upstream received" "10.0.1.2 1 0xc0ffee" "$(cat "$WORK/upstream" 2>/dev/null)"

behaviour upstream_ack_reaches_the_client
expect_eq "client received (op type xid)" "2 5 0xc0ffee" "$got"

behaviour routed_request_not_counted_by_the_module
expect_eq "dhcp_rx_request" "$rx_request_before" "$(stat_of "$ns1" dhcp_rx_request)"

behaviour bootreply_to_the_routers_address_reaches_its_socket
got=$(client_send 2 10.0.1.1 0xb007)
expect_eq "reply to the BOOTREPLY" none "$got"
# The sink writes "PORT HEX"; op 2 and the xid open the payload.
wait_until 5 grep -q "^67 0201060000" "$WORK/sink"
expect_eq "sink datagrams" 1 "$(grep -c '^67 02010600' "$WORK/sink")"
expect_eq "sink xid" 0000b007 "$(cut -d' ' -f2 "$WORK/sink" | cut -c9-16)"

behaviour dhcp_to_another_address_of_the_device_is_answered
n2 "${DHCP_SEND[@]}" --dev cli0 discover --to 10.0.1.254 >"$WORK/other.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/other.json" | json_query 'j["type"]')"

behaviour dhcp_to_the_server_address_is_answered
n2 "${DHCP_SEND[@]}" --dev cli0 discover --to 10.0.1.1 >"$WORK/server.json"
expect_eq "reply type" 2 "$(head -n 1 "$WORK/server.json" | json_query 'j["type"]')"
