#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A client behind ISC dhcrelay gets its address from the pool whose subnet
# holds the relay's giaddr, not from the pool of the server's own subnet;
# the replies go back to the relay (giaddr:67) at the request's Ethernet
# source, so the server needs no route to the client's subnet.
#
#   +--------------------+     +-----------------------------+     +--------------------+
#   | $ns1 (server)      |     | $ns2 (router, dhcrelay)     |     | $ns3 (client)      |
#   |  srv0 10.0.1.1/24 -+-----+- r-srv 10.0.1.2/24          |     |                    |
#   |  pool "remote"     |     |   r-cli 10.0.2.1/24 --------+-----+- cli0 (udhcpc)     |
#   |   10.0.2.100-.150  |     |                             |     |                    |
#   |  pool "local"      |     +-----------------------------+     +--------------------+
#   |   10.0.1.100-.150  |
#   +--------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

RELAY_PID=
cleanup_test() {
	[ -z "$RELAY_PID" ] || kill "$RELAY_PID"
	dhcp_lib_cleanup
}

ensure_module
netns_add "$ns1"
netns_add "$ns2"
netns_add "$ns3"
veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" r-srv 10.0.1.2/24
veth_add "$ns2" r-cli 10.0.2.1/24 "$ns3" cli0
n2 sysctl -qw net.ipv4.ip_forward=1
dhcp_scripts
mac=$(mac_of "$ns3" cli0)

pxe1 link add dev srv0
pxe1 pool add local dev srv0 range 10.0.1.100 10.0.1.150
pxe1 pool add remote dev srv0 range 10.0.2.100 10.0.2.150 netmask 255.255.255.0 \
	router 10.0.2.1 dns 10.0.1.53 lease 900

n2 dhcrelay -4 -d -id r-cli -iu r-srv 10.0.1.1 >"$WORK/dhcrelay.log" 2>&1 &
RELAY_PID=$!
wait_until 20 grep -q "Sending on" "$WORK/dhcrelay.log"
capture_start "$ns3" cli0 "$WORK/client.pcap"
capture_start "$ns2" r-srv "$WORK/relay.pcap"

behaviour server_has_no_route_to_the_relayed_subnet
! ip1 route get 10.0.2.100 >/dev/null 2>&1 || false

behaviour relayed_client_gets_address_from_the_giaddr_pool
udhcpc_once "$ns3" cli0 "$WORK/relayed"
addr=$(env_of "$WORK/relayed.bound" ip)
log "relayed client: $addr"
ip_in "$addr" 10.0.2.100 10.0.2.150
expect_eq "mask" 24 "$(env_of "$WORK/relayed.bound" mask)"
expect_eq "router" 10.0.2.1 "$(env_of "$WORK/relayed.bound" router)"
expect_eq "dns" 10.0.1.53 "$(env_of "$WORK/relayed.bound" dns)"
expect_eq "lease" 900 "$(env_of "$WORK/relayed.bound" lease)"
expect_eq "serverid" 10.0.1.1 "$(env_of "$WORK/relayed.bound" serverid)"

behaviour lease_is_in_the_remote_pool
expect_eq "lease pool of $mac" remote "$(lease_field "$ns1" "$mac" pool)"
expect_eq "lease state of $mac" bound "$(lease_field "$ns1" "$mac" state)"
expect_eq "used addresses of local" 0 \
	"$(pxe1 -j pool show local | json_query 'j[0]["used"]')"

behaviour replies_go_to_giaddr_port_67_at_the_relays_mac
capture_stop
relay_mac=$(mac_of "$ns2" r-srv)
all=$(capture_count "$WORK/relay.pcap" 'p["dhcp.type"] == "2"')
to_relay=$(capture_count "$WORK/relay.pcap" "p['dhcp.type'] == '2' and \
	p['ip.src'] == '10.0.1.1' and p['ip.dst'] == '10.0.2.1' and \
	p['udp.srcport'] == '67' and p['udp.dstport'] == '67' and \
	p['dhcp.ip.relay'] == '10.0.2.1' and p['eth.dst'] == '$relay_mac'")
log "server replies: $all, addressed to giaddr:67 at the relay's MAC: $to_relay"
[ "$all" -ge 2 ]
expect_eq "replies addressed otherwise" 0 $((all - to_relay))

behaviour relayed_replies_pass_tshark
capture_clean "$WORK/relay.pcap" 2
capture_clean "$WORK/client.pcap" 2

behaviour direct_client_never_gets_an_address_of_a_relayed_subnet
# With the local pool gone only "remote" is on srv0, for relayed clients of
# 10.0.2.0/24; a client on srv0's own wire (r-srv) must get nothing from it.
kill "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true; RELAY_PID=
pxe1 pool del local
before=$(stat_of "$ns1" dhcp_drop_no_pool)
! udhcpc_once "$ns2" r-srv "$WORK/direct" 2>/dev/null || {
	log "direct client got $(env_of "$WORK/direct.bound" ip)"; false; }
after=$(stat_of "$ns1" dhcp_drop_no_pool)
[ "$after" -gt "$before" ] || { log "dhcp_drop_no_pool stayed $before"; false; }
