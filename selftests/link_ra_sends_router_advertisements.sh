#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `link add ... ra` (issue 14, item 3): the link sends Router
# Advertisements for its IPv6 pools, with M and O set, router lifetime 0,
# each pool's /64 on-link and not autonomous, and answers Router
# Solicitations.  Real clients read them: rdisc6 (ndisc6) prints every
# field, the Linux stack of the client namespace learns the on-link route
# and no default route.  Broken solicitations are counted and not
# answered; the stack still gets every solicitation (radvd beside the
# module answers too); a link without an IPv6 pool, or without `ra`,
# sends none.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 fd00:1::1/64 ---------+-veth--+-- cli0 fe80:: accept_ra     |
#   |   pxe link ra, pool "lan6"   |       |   rdisc6, scapy              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

DHCP6_KINDS=()
RADVD_PID=

cleanup_test() {
	[ -z "$RADVD_PID" ] || kill "$RADVD_PID" 2>/dev/null || true
	dhcp_lib_cleanup
}

# rdisc6 in the client: one solicitation (no retry: each one sent is
# counted), the answers printed.  The answer may wait 3 s after the last
# RA, plus up to 0.5 s; on the debug kernel a 3 s wait once saw rdisc6
# send a second one, so it waits 6 s.
solicit() { n2 timeout 20 rdisc6 -1 -w 6000 -r 1 cli0; }

# field NAME: the value rdisc6 printed for NAME (first one).
field() {
	sed -n "s/^ *$1 *: *//p" "$WORK/rdisc6.out" | head -n 1 | sed 's/ *(.*//; s/ *$//'
}

# rs_send KIND...: Router Solicitations crafted with scapy from cli0, one
# per KIND: good, code1, zero-option, slla-from-unspecified, hop64,
# bad-checksum, plen-past-frame (the IPv6 payload length 8 bytes past the
# frame's end) and longer-than-256 (a 264-byte option after the SLLA).
rs_send() {
	n2 "$PYTHON" -c '
import logging, sys, time
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IPv6, Raw, sendp, get_if_hwaddr, in6_getifaddr
from scapy.layers.inet6 import ICMPv6ND_RS
dev = sys.argv[1]
mac = get_if_hwaddr(dev)
ll = [a[0] for a in in6_getifaddr() if a[2] == dev and a[0].startswith("fe80")][0]
slla = bytes([1, 1]) + bytes.fromhex(mac.replace(":", ""))
for kind in sys.argv[2:]:
    src, hlim, code, opts, cksum, extra = ll, 255, 0, slla, None, 0
    if kind == "code1":
        code = 1
    elif kind == "zero-option":
        opts = bytes([99, 0]) + bytes(6)
    elif kind == "slla-from-unspecified":
        src = "::"
    elif kind == "hop64":
        hlim = 64
    elif kind == "bad-checksum":
        cksum = 0x1234
    elif kind == "plen-past-frame":
        extra = 8
    elif kind == "longer-than-256":
        opts = slla + bytes([99, 33]) + bytes(262)
    rs = ICMPv6ND_RS(code=code, cksum=cksum) / Raw(opts)
    sendp(Ether(src=mac, dst="33:33:00:00:00:02") /
          IPv6(src=src, dst="ff02::2", hlim=hlim, plen=len(rs) + extra) / rs,
          iface=dev, verbose=False)
    time.sleep(0.3)
' cli0 "$@"
}

ensure_module
dhcp6_pair
ip netns exec "$ns2" sysctl -qw net.ipv6.conf.cli0.accept_ra=1
pxe1 link del dev srv0
pxe1 link add dev srv0 ra
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff
srv_mac=$(mac_of "$ns1" srv0)

behaviour link_show_says_ra
expect_eq "ra" true "$(pxe1 -j link show dev srv0 | jq -r '.[0].ra')"

behaviour link_joins_all_routers_while_it_sends_ras
# A NIC's multicast filter passes solicitations (to ff02::2) only to a
# host that joined it; the veth here would pass them anyway.
ip1 -6 maddr show dev srv0 | grep -Eq 'inet6 ff02::2( |$)' ||
	{ ip1 -6 maddr show dev srv0 | sed 's/^/#   /'; false; }

behaviour rdisc6_reads_m_o_and_the_on_link_prefix
solicit >"$WORK/rdisc6.out" 2>&1 || { sed 's/^/#   /' "$WORK/rdisc6.out"; false; }
sed 's/^/#   /' "$WORK/rdisc6.out"
# Hop limit 0: the clients keep their own.
expect_eq "hop limit" undefined "$(field 'Hop limit')"
expect_eq "M" Yes "$(field 'Stateful address conf.')"
expect_eq "O" Yes "$(field 'Stateful other conf.')"
expect_eq "router lifetime" 0 "$(field 'Router lifetime')"
expect_eq "prefix" fd00:1::/64 "$(field 'Prefix')"
expect_eq "on-link" Yes "$(field 'On-link')"
expect_eq "autonomous" No "$(field 'Autonomous address conf.')"
expect_eq "valid" 86400 "$(field 'Valid time')"
expect_eq "preferred" 14400 "$(field 'Pref. time')"
expect_eq "mtu" "1500 bytes" "$(field 'MTU')"
# (rdisc6 prints it in capitals.)
expect_eq "source link-layer address" "${srv_mac^^}" "$(field 'Source link-layer address')"

behaviour solicitation_is_counted_and_answered
rs_before=$(stat_of "$ns1" rs_rx)
ra_before=$(stat_of "$ns1" ra_tx)
sleep 3.5	# past the 3 s between multicast RAs
solicit >"$WORK/rdisc6.out" 2>&1
expect_eq "rs_rx" $((rs_before + 1)) "$(stat_of "$ns1" rs_rx)"
[ "$(stat_of "$ns1" ra_tx)" -gt "$ra_before" ]

behaviour solicitation_within_3s_is_answered_when_they_are_up
# An RA just left: the next solicitation's answer waits for the 3 s
# between multicast RAs to pass, and comes then (one try of 4.5 s).
before=$(stat_of "$ns1" ra_tx)
n2 timeout 20 rdisc6 -1 -w 4500 -r 1 cli0 >"$WORK/rdisc6.out" 2>&1 ||
	{ sed 's/^/#   /' "$WORK/rdisc6.out"; false; }
expect_eq "ra_tx" $((before + 1)) "$(stat_of "$ns1" ra_tx)"

behaviour linux_client_learns_the_on_link_route_and_no_default
# The kernel's route for an RA's on-link prefix: proto kernel, with the
# prefix's valid time as its expiry (a manual one has none).
wait_until 20 sh -c "ip -n '$ns2' -6 route show fd00:1::/64 dev cli0 | grep -q expires" ||
	{ ip -n "$ns2" -6 route | sed 's/^/#   /'; false; }
expect_eq "default route" "" "$(ip -n "$ns2" -6 route show default)"

behaviour broken_solicitations_are_counted_not_answered
bad_before=$(stat_of "$ns1" rs_drop_malformed)
rs_before=$(stat_of "$ns1" rs_rx)
rs_send code1 zero-option slla-from-unspecified hop64 bad-checksum \
	plen-past-frame longer-than-256
# All but hop64 are counted; hop limit 64 is not a solicitation at all.
expect_eq "rs_drop_malformed" $((bad_before + 6)) "$(stat_of "$ns1" rs_drop_malformed)"
expect_eq "rs_rx" "$rs_before" "$(stat_of "$ns1" rs_rx)"
rs_send good
expect_eq "rs_rx after a good one" $((rs_before + 1)) "$(stat_of "$ns1" rs_rx)"

behaviour radvd_beside_it_still_gets_solicitations
# The module only reads a solicitation: radvd on the same device answers
# it too, and rdisc6 prints both (radvd's says autonomous on).
cat >"$WORK/radvd.conf" <<-EOF
interface srv0 {
	AdvSendAdvert on;
	MinRtrAdvInterval 30;
	MaxRtrAdvInterval 100;
	AdvDefaultLifetime 0;
	prefix fd00:9::/64 { AdvOnLink on; AdvAutonomous on; };
};
EOF
ip netns exec "$ns1" radvd -n -m stderr -C "$WORK/radvd.conf" \
	-p "$WORK/radvd.pid" >"$WORK/radvd.log" 2>&1 &
RADVD_PID=$!
sleep 2
kill -0 "$RADVD_PID" || { sed 's/^/#   /' "$WORK/radvd.log"; false; }
sleep 3.5
n2 timeout 20 rdisc6 -w 3000 -r 2 cli0 >"$WORK/rdisc6.out" 2>&1 || true
sed 's/^/#   /' "$WORK/rdisc6.out"
grep -q 'fd00:9::/64' "$WORK/rdisc6.out"
grep -q 'fd00:1::/64' "$WORK/rdisc6.out"
kill "$RADVD_PID"
wait "$RADVD_PID" 2>/dev/null || true
RADVD_PID=

behaviour no_ipv6_pool_no_advertisement
pxe1 pool del lan6
ra_before=$(stat_of "$ns1" ra_tx)
sleep 3.5
if solicit >"$WORK/rdisc6.out" 2>&1; then
	sed 's/^/#   /' "$WORK/rdisc6.out"
	false
fi
expect_eq "ra_tx" "$ra_before" "$(stat_of "$ns1" ra_tx)"

behaviour link_without_ra_sends_none
pxe1 link del dev srv0
pxe1 link add dev srv0
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff
expect_eq "ra" false "$(pxe1 -j link show dev srv0 | jq -r '.[0].ra')"
rs_before=$(stat_of "$ns1" rs_rx)
if solicit >"$WORK/rdisc6.out" 2>&1; then
	sed 's/^/#   /' "$WORK/rdisc6.out"
	false
fi
expect_eq "rs_rx" "$rs_before" "$(stat_of "$ns1" rs_rx)"
# Only a link with `ra` joins ff02::2 (the stack did not: no forwarding).
expect_eq "ff02::2 joined" "" "$(ip1 -6 maddr show dev srv0 | grep -E 'inet6 ff02::2( |$)' || true)"

behaviour link_del_with_its_timer_running_is_clean
pxe1 link del dev srv0
pxe1 link add dev srv0 ra
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff
sleep 1.5	# the first RA's timer has run
pxe1 link del dev srv0
