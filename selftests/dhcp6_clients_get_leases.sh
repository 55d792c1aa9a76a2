#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real DHCPv6 clients (ISC dhclient -6, WIDE dhcp6c) get an address from an
# IPv6 pool with the DNS servers and lifetimes configured; the lease shows
# the client's DUID, IAID and MAC; the renewal at T1 keeps the address; a
# release frees it; the monitor reports the offer and the ack; the
# server's DUID is the link's DUID-LL.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (fe80::, from DHCPv6) |
#   |        fd00:1::1/64          |       |                              |
#   |   pxe link, pool "lan6"      |       |                              |
#   |   fd00:1::100..fd00:1::1ff   |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

DHCP6C_PID=
cleanup_test() {
	[ ! -e "$WORK/dhclient6.pid" ] || kill "$(cat "$WORK/dhclient6.pid")" 2>/dev/null || true
	[ ! -e "$WORK/dhcp6c.pid" ] || kill "$(cat "$WORK/dhcp6c.pid")" 2>/dev/null || true
	[ -z "$DHCP6C_PID" ] || kill "$DHCP6C_PID" 2>/dev/null || true
	dhcp_lib_cleanup
}
gone() { ! kill -0 "$1" 2>/dev/null; }

# dhcp6c_addr: the address dhcp6c put on cli0 from the pool ("" if none).
dhcp6c_addr() {
	ip -n "$ns2" -j -6 addr show dev cli0 scope global |
		jq -r '[.[].addr_info[]? | .local // "" | select(startswith("fd00:1::"))][0] // ""'
}
dhcp6c_has_addr() { [ -n "$(dhcp6c_addr)" ]; }

ensure_module
# Real clients only: no frames of dhcp6_send.py.
DHCP6_KINDS=()
dhcp6_pair
mac=$(mac_of "$ns2" cli0)
srv_mac=$(mac_of "$ns1" srv0)
# T1 = 10 s: dhclient renews within the test.
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff \
	dns fd00:1::53,fd00:1::54 lease 20
monitor_start "$ns1" "$WORK/monitor.json"

behaviour pool_show_prints_the_ipv6_range_and_dns
expect_eq "pool start6" fd00:1::100 "$(pxe1 -j pool show lan6 | json_query 'j[0]["start6"]')"
expect_eq "pool end6" fd00:1::1ff "$(pxe1 -j pool show lan6 | json_query 'j[0]["end6"]')"
expect_eq "pool dns6" fd00:1::53,fd00:1::54 "$(pxe1 -j pool show lan6 | json_query 'j[0]["dns6"]')"
expect_eq "pool size" 256 "$(pxe1 -j pool show lan6 | json_query 'j[0]["size"]')"

behaviour dhclient6_gets_address_dns_and_lifetimes
dhclient6 -1 cli0 || { sed 's/^/#   /' "$WORK/dhclient6.log"; false; }
addr=$(env_of "$WORK/dhclient6.BOUND6" new_ip6_address)
log "dhclient -6: $addr"
ip_in "$addr" fd00:1::100 fd00:1::1ff
expect_eq "dhclient dns" "fd00:1::53 fd00:1::54" \
	"$(env_of "$WORK/dhclient6.BOUND6" new_dhcp6_name_servers)"
expect_eq "dhclient valid lifetime" 20 "$(env_of "$WORK/dhclient6.BOUND6" new_max_life)"
expect_eq "dhclient preferred lifetime" 20 "$(env_of "$WORK/dhclient6.BOUND6" new_preferred_life)"
expect_eq "lease state of $mac" bound "$(lease_field "$ns1" "$mac" state)"
expect_eq "lease ip6 of $mac" "$addr" "$(lease_field "$ns1" "$mac" ip6)"
expect_eq "lease pool of $mac" lan6 "$(lease_field "$ns1" "$mac" pool)"
expect_eq "lease iaid of $mac" "$(env_of "$WORK/dhclient6.BOUND6" new_iaid | hex_bytes 4)" \
	"$(printf '%08x' "$(lease_field "$ns1" "$mac" iaid)")"
duid=$(lease_field "$ns1" "$mac" duid)
log "client DUID: $duid"
[ -n "$duid" ]
expect_eq "pool used" 1 "$(pxe1 -j pool show lan6 | json_query 'j[0]["used"]')"

behaviour server_duid_is_the_links_duid_ll
# DUID-LL (RFC 8415 11.4): type 3, hardware type 1, the MAC.
expect_eq "server id" "00030001$(hex_bytes <<<"$srv_mac")" \
	"$(env_of "$WORK/dhclient6.BOUND6" new_dhcp6_server_id | hex_bytes)"

behaviour monitor_reports_offer_and_ack_with_mac_and_address
for event in lease-offer lease-ack; do
	wait_until 5 grep -q "\"$event\"" "$WORK/monitor.json"
	expect_eq "address in the $event event for $mac" "$addr" \
		"$(monitor_event "$WORK/monitor.json" "$event" "$mac" addr6)"
done

behaviour dhclient6_renew_keeps_the_address
wait_until 30 test -e "$WORK/dhclient6.RENEW6"
expect_eq "address after renew" "$addr" "$(env_of "$WORK/dhclient6.RENEW6" new_ip6_address)"
expect_eq "lease state after renew" bound "$(lease_field "$ns1" "$mac" state)"
[ "$(stat_of "$ns1" dhcp6_rx_renew)" -ge 1 ]

behaviour dhclient6_release_frees_the_lease
dhclient6 -r cli0
rm -f "$WORK/dhclient6.pid"
wait_until 15 lease6_gone "$ns1" "$mac"
expect_eq "pool used after release" 0 "$(pxe1 -j pool show lan6 | json_query 'j[0]["used"]')"
wait_until 5 grep -q '"lease-release"' "$WORK/monitor.json"

behaviour counters_name_each_message
expect_eq "solicits" 1 "$(stat_of "$ns1" dhcp6_rx_solicit)"
expect_eq "advertises" 1 "$(stat_of "$ns1" dhcp6_tx_advertise)"
expect_eq "requests" 1 "$(stat_of "$ns1" dhcp6_rx_request)"
expect_eq "releases" 1 "$(stat_of "$ns1" dhcp6_rx_release)"
expect_eq "malformed" 0 "$(stat_of "$ns1" dhcp6_drop_malformed)"

behaviour dhcp6c_gets_an_address_in_the_pool
ip2 -6 addr flush dev cli0 scope global
cat >"$WORK/dhcp6c.conf" <<EOF
interface cli0 {
	send ia-na 7;
	request domain-name-servers;
	script "$WORK/dhcp6c.sh";
};
id-assoc na 7 { };
EOF
cat >"$WORK/dhcp6c.sh" <<EOF
#!/bin/sh
env >"$WORK/dhcp6c.env"
EOF
chmod +x "$WORK/dhcp6c.sh"
renews=$(stat_of "$ns1" dhcp6_rx_renew)
n2 dhcp6c -f -D -c "$WORK/dhcp6c.conf" -p "$WORK/dhcp6c.pid" cli0 \
	>"$WORK/dhcp6c.log" 2>&1 &
DHCP6C_PID=$!
wait_until 30 dhcp6c_has_addr || { sed 's/^/#   /' "$WORK/dhcp6c.log"; false; }
addr=$(dhcp6c_addr)
log "dhcp6c: $addr"
ip_in "$addr" fd00:1::100 fd00:1::1ff
expect_eq "lease ip6 of $mac" "$addr" "$(lease_field "$ns1" "$mac" ip6)"
expect_eq "lease iaid of $mac" 7 "$(lease_field "$ns1" "$mac" iaid)"
wait_until 10 test -e "$WORK/dhcp6c.env"
expect_eq "dhcp6c dns" "fd00:1::53 fd00:1::54" \
	"$(env_of "$WORK/dhcp6c.env" new_domain_name_servers | xargs)"

behaviour dhcp6c_renew_keeps_the_address
# dhcp6c raises T1 to at least 18 s (seen: "T1 (10) or T2 (16) is too small").
renewed() { [ "$(stat_of "$ns1" dhcp6_rx_renew)" -gt "$renews" ]; }
wait_until 60 renewed ||
	{ grep -v 'copy\|get DHCP option' "$WORK/dhcp6c.log" | sed 's/^/#   /'; false; }
sleep 1
expect_eq "address after renew" "$addr" "$(dhcp6c_addr)"
expect_eq "lease state after renew" bound "$(lease_field "$ns1" "$mac" state)"

behaviour dhcp6c_release_frees_the_lease
releases=$(stat_of "$ns1" dhcp6_rx_release)
# $DHCP6C_PID is the shell running n2; dhcp6c itself wrote its pid file.
dhcp6c_pid=$(cat "$WORK/dhcp6c.pid")
kill "$dhcp6c_pid"
wait_until 15 gone "$dhcp6c_pid"
wait "$DHCP6C_PID" 2>/dev/null || true
DHCP6C_PID=
wait_until 15 lease6_gone "$ns1" "$mac" || {
	log "releases: $releases -> $(stat_of "$ns1" dhcp6_rx_release)"
	pxe1 lease show | sed 's/^/#   /'
	grep -v 'copy\|get DHCP option' "$WORK/dhcp6c.log" | tail -n 30 | sed 's/^/#   /'
	false
}
