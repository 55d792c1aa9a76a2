#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real DHCP clients (busybox udhcpc, ISC dhclient, dhcpcd) get an address
# from the pool with the router, DNS servers and lease time configured;
# a renew keeps the address, a release frees it, a reservation wins, an
# exhausted pool stays silent, leases survive a save / flush / replay, and
# the monitor reports the offer and the ack.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (from DHCP)           |
#   |   pxe link, pool "lan"       |       |                              |
#   |   10.0.1.100..10.0.1.199     |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

UDHCPC_PID=
gone() { ! kill -0 "$1" 2>/dev/null; }
cleanup_test() {
	[ -z "$UDHCPC_PID" ] || kill "$UDHCPC_PID"
	[ ! -e "$WORK/dhclient.pid" ] || kill "$(cat "$WORK/dhclient.pid")"
	rm -f /var/lib/dhcpcd/cli0.lease
	dhcp_lib_cleanup
}

ensure_module
dhcp_pair
dhcp_scripts
mac=$(mac_of "$ns2" cli0)
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 router 10.0.1.254 \
	dns 10.0.1.53,10.0.1.54 domain lab.example lease 600
monitor_start "$ns1" "$WORK/monitor.json"
capture_start "$ns2" cli0 "$WORK/udhcpc.pcap"

behaviour udhcpc_gets_address_router_dns_and_lease_time
DHCP_OUT=$WORK/udhcpc n2 busybox udhcpc -f -t 3 -T 1 -i cli0 -p "$WORK/udhcpc.pid" \
	-s "$WORK/udhcpc.sh" >"$WORK/udhcpc.log" 2>&1 &
wait_until 30 test -e "$WORK/udhcpc.bound"
UDHCPC_PID=$(cat "$WORK/udhcpc.pid")
addr=$(env_of "$WORK/udhcpc.bound" ip)
log "udhcpc: $addr"
ip_in "$addr" 10.0.1.100 10.0.1.199
expect_eq "udhcpc mask" 24 "$(env_of "$WORK/udhcpc.bound" mask)"
expect_eq "udhcpc router" 10.0.1.254 "$(env_of "$WORK/udhcpc.bound" router)"
expect_eq "udhcpc dns" "10.0.1.53 10.0.1.54" "$(env_of "$WORK/udhcpc.bound" dns)"
expect_eq "udhcpc domain" lab.example "$(env_of "$WORK/udhcpc.bound" domain)"
expect_eq "udhcpc lease" 600 "$(env_of "$WORK/udhcpc.bound" lease)"
expect_eq "udhcpc serverid" 10.0.1.1 "$(env_of "$WORK/udhcpc.bound" serverid)"
expect_eq "lease state of $mac" bound "$(lease_field "$ns1" "$mac" state)"
expect_eq "lease ip of $mac" "$addr" "$(lease_field "$ns1" "$mac" ip)"
expect_eq "lease pool of $mac" lan "$(lease_field "$ns1" "$mac" pool)"
expect_eq "pool used" 1 "$(pxe1 -j pool show lan | json_query 'j[0]["used"]')"

behaviour monitor_reports_offer_and_ack_with_mac_and_address
for event in lease-offer lease-ack; do
	wait_until 5 grep -q "\"$event\"" "$WORK/monitor.json"
	expect_eq "address in the $event event for $mac" "$addr" \
		"$(monitor_event "$WORK/monitor.json" "$event" "$mac" addr)"
done

behaviour udhcpc_renew_keeps_the_address
kill -USR1 "$UDHCPC_PID"
wait_until 15 test -e "$WORK/udhcpc.renew"
expect_eq "address after renew" "$addr" "$(env_of "$WORK/udhcpc.renew" ip)"
expect_eq "lease state after renew" bound "$(lease_field "$ns1" "$mac" state)"

behaviour udhcpc_release_frees_the_lease
kill -USR2 "$UDHCPC_PID"
wait_until 15 lease_gone "$ns1" "$mac"
kill "$UDHCPC_PID"
wait_until 10 gone "$UDHCPC_PID"
UDHCPC_PID=
expect_eq "pool used after release" 0 "$(pxe1 -j pool show lan | json_query 'j[0]["used"]')"

behaviour udhcpc_replies_pass_tshark
capture_stop
# OFFER, ACK, ACK of the renew.
capture_clean "$WORK/udhcpc.pcap" 3

behaviour dhclient_gets_address_router_dns_and_lease_time
ip2 addr flush dev cli0
n2 timeout 60 dhclient -1 -v -sf "$WORK/dhclient.sh" -lf "$WORK/dhclient.leases" \
	-pf "$WORK/dhclient.pid" cli0 >"$WORK/dhclient.log" 2>&1 || {
	sed 's/^/#   /' "$WORK/dhclient.log"; false; }
addr=$(env_of "$WORK/dhclient.BOUND" new_ip_address)
log "dhclient: $addr"
ip_in "$addr" 10.0.1.100 10.0.1.199
expect_eq "dhclient mask" 255.255.255.0 "$(env_of "$WORK/dhclient.BOUND" new_subnet_mask)"
expect_eq "dhclient routers" 10.0.1.254 "$(env_of "$WORK/dhclient.BOUND" new_routers)"
expect_eq "dhclient dns" "10.0.1.53 10.0.1.54" \
	"$(env_of "$WORK/dhclient.BOUND" new_domain_name_servers)"
expect_eq "dhclient lease" 600 "$(env_of "$WORK/dhclient.BOUND" new_dhcp_lease_time)"
expect_eq "lease ip of $mac" "$addr" "$(lease_field "$ns1" "$mac" ip)"

behaviour dhclient_release_frees_the_lease
n2 dhclient -r -v -sf "$WORK/dhclient.sh" -lf "$WORK/dhclient.leases" \
	-pf "$WORK/dhclient.pid" cli0 >>"$WORK/dhclient.log" 2>&1
rm -f "$WORK/dhclient.pid"
wait_until 15 lease_gone "$ns1" "$mac"

behaviour dhcpcd_gets_address_router_dns_and_lease_time
ip2 addr flush dev cli0
rm -f /var/lib/dhcpcd/cli0.lease
dhcpcd_run() {
	n2 timeout 60 dhcpcd -4 -1 -B -f /dev/null --noipv6 -A -L \
		-o domain_name_servers -c "$WORK/dhcpcd.sh" cli0 \
		>"$WORK/dhcpcd.log" 2>&1 || { sed 's/^/#   /' "$WORK/dhcpcd.log"; false; }
}
dhcpcd_run
addr=$(env_of "$WORK/dhcpcd.BOUND" new_ip_address)
log "dhcpcd: $addr"
ip_in "$addr" 10.0.1.100 10.0.1.199
expect_eq "dhcpcd routers" 10.0.1.254 "$(env_of "$WORK/dhcpcd.BOUND" new_routers)"
expect_eq "dhcpcd dns" "10.0.1.53 10.0.1.54" \
	"$(env_of "$WORK/dhcpcd.BOUND" new_domain_name_servers)"
expect_eq "dhcpcd lease" 600 "$(env_of "$WORK/dhcpcd.BOUND" new_dhcp_lease_time)"
expect_eq "lease ip of $mac" "$addr" "$(lease_field "$ns1" "$mac" ip)"

behaviour dhcpcd_reboot_keeps_the_address
# dhcpcd kept its lease: it asks for it back (INIT-REBOOT, RFC 2131 3.2).
ip2 addr flush dev cli0
dhcpcd_run
expect_eq "address after reboot" "$addr" "$(env_of "$WORK/dhcpcd.REBOOT" new_ip_address)"
rm -f /var/lib/dhcpcd/cli0.lease
ip2 addr flush dev cli0

behaviour reservation_is_honoured
ip2 link set cli0 address 02:00:00:00:00:05
pxe1 host add 02:00:00:00:00:05 ip 10.0.1.50 name box1
expect_eq "host show" '[{"mac": "02:00:00:00:00:05", "ip": "10.0.1.50", "name": "box1"}]' \
	"$(pxe1 -j host show | json_query j)"
udhcpc_once "$ns2" cli0 "$WORK/reserved"
expect_eq "reserved address" 10.0.1.50 "$(env_of "$WORK/reserved.bound" ip)"
expect_eq "reserved hostname" box1 "$(env_of "$WORK/reserved.bound" hostname)"
pxe1 host del 02:00:00:00:00:05
ip2 link set cli0 address "$mac"

behaviour lease_show_json_replays_after_flush
# Two clients (the second with another MAC), one lease each.
pxe1 lease flush
udhcpc_once "$ns2" cli0 "$WORK/first-mac"
ip2 link set cli0 address 02:00:00:00:00:02
udhcpc_once "$ns2" cli0 "$WORK/second-mac"
saved=$(pxe1 -j lease show)
log "saved: $saved"
expect_eq "bound leases saved" 2 "$(json_query "len([l for l in j if l['state'] == 'bound'])" <<<"$saved")"
pxe1 lease flush
expect_eq "leases after flush" "[]" "$(pxe1 -j lease show)"
jq -r '.[] | select(.state == "bound") | "lease add \(.mac) ip \(.ip) expires \(.expires)"' \
	<<<"$saved" | pxe1 -b -
key='sorted((l["mac"], l["ip"], l["state"], l["pool"]) for l in j)'
expect_eq "leases after replay" "$(json_query "$key" <<<"$saved")" \
	"$(pxe1 -j lease show | json_query "$key")"
ip2 link set cli0 address "$mac"

behaviour exhausted_pool_offers_nothing_and_counts
pxe1 pool del lan
expect_eq "leases after pool del" "[]" "$(pxe1 -j lease show)"
pxe1 pool add one dev srv0 range 10.0.1.100 10.0.1.100
udhcpc_once "$ns2" cli0 "$WORK/first"
expect_eq "first client's address" 10.0.1.100 "$(env_of "$WORK/first.bound" ip)"
before=$(stat_of "$ns1" dhcp_drop_exhausted)
ip2 link set cli0 address 02:00:00:00:00:03
! udhcpc_once "$ns2" cli0 "$WORK/second-client" || false
grep -q "broadcasting discover" "$WORK/second-client.log"
! grep -q "obtained" "$WORK/second-client.log" || false
after=$(stat_of "$ns1" dhcp_drop_exhausted)
log "dhcp_drop_exhausted: $before -> $after"
[ "$after" -gt "$before" ]

behaviour reservation_wins_over_an_older_lease
# $mac holds a lease from the pool; "that MAC always gets ADDR".
ip2 link set cli0 address "$mac"
old=$(lease_field "$ns1" "$mac" ip)
log "older lease of $mac: $old"
pxe1 host add "$mac" ip 10.0.1.51
udhcpc_once "$ns2" cli0 "$WORK/reserved2"
expect_eq "reserved address" 10.0.1.51 "$(env_of "$WORK/reserved2.bound" ip)"
pxe1 host del "$mac"
