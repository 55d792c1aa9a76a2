#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DHCPv6 leases come back: what `pxectl -j lease show` saved of ISC
# dhclient -6's lease is put back by `lease restore` and by `lease add ...
# ip6 ADDR6 duid HEX iaid N` after a flush, with the same address, DUID,
# IAID and MAC, and the client's Renew keeps the address; `pxectl apply`
# re-making the IPv6 pool (another dns) keeps the lease too.  Every
# mistake is refused with the message pxectl prints.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (client)                |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (dhclient -6)         |
#   |        fd00:1::1/64          |       |                              |
#   |   pxe link, pool "lan6"      |       |                              |
#   |   fd00:1::100..fd00:1::1ff   |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_dhcp6.sh"

cleanup_test() {
	[ ! -e "$WORK/dhclient6.pid" ] || kill "$(cat "$WORK/dhclient6.pid")" 2>/dev/null || true
	dhcp_lib_cleanup
}

# lease_key: MAC's lease as "ip6 duid iaid state pool" ("" fields if none).
lease_key() {
	local field out=''
	for field in ip6 duid iaid state pool; do
		out+="$(lease_field "$ns1" "$mac" "$field") "
	done
	echo "${out% }"
}

# renew_keeps_the_address WHAT: the next Renew dhclient sends (T1: half
# the pool's lease time of 40 s) gets the address it had.
renew_keeps_the_address() {
	local renews
	renews=$(stat_of "$ns1" dhcp6_rx_renew)
	rm -f "$WORK/dhclient6.RENEW6"
	wait_until 60 test -e "$WORK/dhclient6.RENEW6" ||
		{ log "$1: no RENEW6"; tail -n 20 "$WORK/dhclient6.log" | sed 's/^/#   /'; false; }
	expect_ge "renews seen by the server" $((renews + 1)) "$(stat_of "$ns1" dhcp6_rx_renew)"
	expect_eq "address after the renew, $1" "$addr" \
		"$(env_of "$WORK/dhclient6.RENEW6" new_ip6_address)"
	expect_eq "lease after the renew, $1" "$key" "$(lease_key)"
}

ensure_module
# Real clients only: no frames of dhcp6_send.py.
DHCP6_KINDS=()
dhcp6_pair
mac=$(mac_of "$ns2" cli0)
pool_line='pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff dns fd00:1::53 lease 40'
printf 'link add dev srv0\n%s\n' "$pool_line" >"$WORK/first.conf"
pxe1 apply "$WORK/first.conf" >"$WORK/apply.out"
expect_eq "first apply's output" "+ $pool_line" "$(cat "$WORK/apply.out")"

behaviour dhclient6_lease_is_saved_with_its_duid_and_iaid
dhclient6 -1 cli0 || { sed 's/^/#   /' "$WORK/dhclient6.log"; false; }
addr=$(env_of "$WORK/dhclient6.BOUND6" new_ip6_address)
log "dhclient -6: $addr"
ip_in "$addr" fd00:1::100 fd00:1::1ff
duid=$(lease_field "$ns1" "$mac" duid)
iaid=$(lease_field "$ns1" "$mac" iaid)
[ -n "$duid" ] && [ -n "$iaid" ]
key="$addr $duid $iaid bound lan6"
expect_eq "lease of $mac" "$key" "$(lease_key)"
pxe1 -j lease show >"$WORK/saved.json"

behaviour restore_after_flush_puts_the_ipv6_lease_back
# Flushed just after a Renew: the next is T1 (20 s) away.  A Renew of a
# flushed lease gets NoBinding, dhclient's Request then binds it again
# (on the debug kernel that came within the wait for the flush once).
rm -f "$WORK/dhclient6.RENEW6"
wait_until 60 test -e "$WORK/dhclient6.RENEW6" || { log "no RENEW6 before the flush"; false; }
pxe1 lease flush
wait_until 5 lease6_gone "$ns1" "$mac"
expect_eq "restore output" "restored 1 lease" "$(pxe1 lease restore "$WORK/saved.json")"
expect_eq "lease after restore" "$key" "$(lease_key)"
expect_eq "pool used after restore" 1 "$(pxe1 -j pool show lan6 | json_query 'j[0]["used"]')"
renew_keeps_the_address "restored"

behaviour lease_add_ip6_with_the_saved_duid_and_iaid
pxe1 lease flush
wait_until 5 lease6_gone "$ns1" "$mac"
t0=$SECONDS
pxe1 lease add "$mac" ip6 "$addr" duid "$duid" iaid "$iaid"
expect_eq "lease after lease add" "$key" "$(lease_key)"
left=$(lease_field "$ns1" "$mac" expires)
# The pool's 40 s, less the seconds since the add (the debug kernel took
# 12 between the two commands once) and one for rounding.
if [ "$left" -gt 40 ] || [ "$left" -lt $((40 - (SECONDS - t0) - 1)) ]; then
	log "added lease expires in $left s, $((SECONDS - t0)) s after the add; expected the pool's 40 less that"
	false
fi
# The same IA again: its lease is replaced, not doubled.
renews=$(stat_of "$ns1" dhcp6_rx_renew)
t0=$SECONDS
pxe1 lease add "$mac" ip6 "$addr" duid "$duid" iaid "$iaid" expires 1000
expect_eq "leases after adding the same IA twice" 1 "$(pxe1 -j lease show | json_query 'len(j)')"
left=$(lease_field "$ns1" "$mac" expires)
# dhclient renews at T1 (20 s), and a Renew sets the pool's 40 s again: on
# the debug kernel one came between the add and the show.
if [ "$(stat_of "$ns1" dhcp6_rx_renew)" = "$renews" ]; then
	expect_ge "expires after the second add" $((1000 - (SECONDS - t0) - 1)) "$left"
else
	log "a Renew came after the second add: expires $left, the pool's 40 s again"
	expect_ge "expires after the Renew" $((40 - (SECONDS - t0) - 1)) "$left"
	[ "$left" -le 40 ] || { log "expires $left after a Renew, more than the pool's 40"; false; }
fi
renew_keeps_the_address "added"

behaviour kernel_refusals_name_the_cause
other=52:54:00:00:00:31
expect_error "pxectl: lease add $other: lease address is outside every IPv6 pool" \
	pxe1 lease add "$other" ip6 fd00:9::100 duid 00030001525400000031 iaid 1
expect_error "pxectl: lease add $other: lease address is outside every IPv6 pool" \
	pxe1 lease add "$other" ip6 fd00:1::200 duid 00030001525400000031 iaid 1
expect_error "pxectl: lease add $other: address is leased to another client" \
	pxe1 lease add "$other" ip6 "$addr" duid 00030001525400000031 iaid "$iaid"
expect_error "pxectl: lease add $other: address is leased to another client" \
	pxe1 lease add "$other" ip6 "$addr" duid "$duid" iaid $(((iaid + 1) % 4294967296))
for bad in fe80::1 ff02::1:2 ::1 :: ::ffff:10.0.1.100 fec0::1 ::10.0.1.100; do
	expect_error "pxectl: lease add $other: lease address must be a global or unique local unicast IPv6 address" \
		pxe1 lease add "$other" ip6 "$bad" duid 00030001525400000031 iaid 1
done
# An address another MAC reserved: the allocator never gives it, nor may
# a lease; the reserving MAC itself may hold it.
pxe1 host add 52:54:00:00:00:32 ip6 fd00:1::160
expect_error "pxectl: lease add $other: address is reserved for another MAC" \
	pxe1 lease add "$other" ip6 fd00:1::160 duid 00030001525400000031 iaid 1
pxe1 lease add 52:54:00:00:00:32 ip6 fd00:1::160 duid 00030001525400000032 iaid 1
expect_eq "lease of the reserving MAC" fd00:1::160 "$(lease_field "$ns1" 52:54:00:00:00:32 ip6)"
pxe1 lease del 52:54:00:00:00:32
pxe1 host del 52:54:00:00:00:32
expect_eq "lease after the refusals" "$key" "$(lease_key)"
expect_eq "leases after the refusals" 1 "$(pxe1 -j lease show | json_query 'len(j)')"

behaviour argument_errors_are_named
expect_error "pxectl: lease add $other: invalid duid '0g' (expected 3 to 130 bytes in hex)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 0g iaid 1
expect_error "pxectl: lease add $other: invalid duid '000' (expected 3 to 130 bytes in hex)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 000 iaid 1
expect_error "pxectl: lease add $other: invalid duid '0001' (expected 3 to 130 bytes in hex)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 0001 iaid 1
long=$(printf '00%.0s' {1..131})
expect_error "pxectl: lease add $other: invalid duid '$long' (expected 3 to 130 bytes in hex)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid "$long" iaid 1
expect_error "pxectl: lease add $other: missing argument 'iaid N' (an ip6 lease needs the client's duid and iaid, as '-j lease show' prints them)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 00030001525400000031
expect_error "pxectl: lease add $other: missing argument 'duid HEX' (an ip6 lease needs the client's duid and iaid, as '-j lease show' prints them)" \
	pxe1 lease add "$other" ip6 fd00:1::150 iaid 1
expect_error "pxectl: lease add $other: invalid iaid '4294967296' (expected a number from 0 to 4294967295)" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 00030001525400000031 iaid 4294967296
expect_error "pxectl: lease add $other: invalid ip6 'fd00:1::g' (expected an IPv6 address)" \
	pxe1 lease add "$other" ip6 fd00:1::g duid 00030001525400000031 iaid 1
expect_error "pxectl: lease add $other: 'hostname' is for IPv4 leases: an ip6 lease takes duid and iaid" \
	pxe1 lease add "$other" ip6 fd00:1::150 duid 00030001525400000031 iaid 1 hostname pc31
expect_error "pxectl: lease add $other: 'duid' is for IPv6 leases: give ip6 ADDR6, not ip" \
	pxe1 lease add "$other" ip 10.0.1.100 duid 00030001525400000031
expect_error "pxectl: lease add $other: missing argument 'ip ADDR' or 'ip6 ADDR6'" \
	pxe1 lease add "$other" expires 10

behaviour netlink_policy_bounds_the_duid
# What pxectl never sends, by the kernel's cli.py (tools/net/ynl of
# linux-source-6.12, extracted by `make -C selftests all`): the policy
# holds a DUID to 3..130 bytes.
cli_refusal() {	# ERRNO_LINE EXTACK_MSG JSON
	local out rc=0
	out=$(n1 "$PYTHON" "$TOP/.ynl/tools/net/ynl/cli.py" \
		--spec "$TOP/docs/netlink/pxe.yaml" --no-schema --output-json \
		--do lease-new --json "$3") || rc=$?
	expect_eq "cli.py exit status" 1 "$rc"
	expect_eq "cli.py's first line" "$1" "$(head -n 1 <<<"$out")"
	[ -z "$2" ] || expect_eq "the module's extack message" "$2" \
		"$(sed -n "s/^[[:space:]]*extack: .*'msg': '\([^']*\)'.*/\1/p" <<<"$out")"
}
# fd00:1::150, as cli.py takes a binary attribute: hex.
lease6_json='"lease-mac": "525400000031", "lease-addr6": "fd000001000000000000000000000150"'
cli_refusal "Netlink error: Numerical result out of range" "binary attribute size out of range" \
	"{$lease6_json, \"lease-duid\": \"\", \"lease-iaid\": 1}"
cli_refusal "Netlink error: Numerical result out of range" "binary attribute size out of range" \
	"{$lease6_json, \"lease-duid\": \"$long\", \"lease-iaid\": 1}"
cli_refusal "Netlink error: Invalid argument" "" \
	"{$lease6_json, \"lease-duid\": \"000300\"}"
cli_refusal "Netlink error: Invalid argument" "an IPv6 lease takes no IPv4 address, client id or host name" \
	"{$lease6_json, \"lease-duid\": \"000300\", \"lease-iaid\": 1, \"lease-hostname\": \"pc31\"}"
# Shorter than any DUID a client can send (the packet path's 3 bytes).
cli_refusal "Netlink error: Numerical result out of range" "binary attribute size out of range" \
	"{$lease6_json, \"lease-duid\": \"0001\", \"lease-iaid\": 1}"
# An IPv4 lease (lease-addr 10.0.1.100) with an IA's attributes.
cli_refusal "Netlink error: Invalid argument" "an IPv4 lease takes no duid or iaid" \
	'{"lease-mac": "525400000031", "lease-addr": 167772516, "lease-duid": "000300"}'
cli_refusal "Netlink error: Invalid argument" "an IPv4 lease takes no duid or iaid" \
	'{"lease-mac": "525400000031", "lease-addr": 167772516, "lease-iaid": 1}'
expect_eq "leases after the refusals by netlink" 1 "$(pxe1 -j lease show | json_query 'len(j)')"

behaviour restore_names_a_bad_ipv6_entry
entry='"mac":"52:54:00:00:00:31","expires":30,"state":"bound","pool":"lan6"'
printf '[{%s,"ip6":"fd00:1::150","iaid":1}]' "$entry" >"$WORK/bad.json"
expect_error "pxectl: lease restore: $WORK/bad.json: entry 0: missing field 'duid'" \
	pxe1 lease restore "$WORK/bad.json"
printf '[{%s,"ip6":"fd00:1::150","duid":"000300"}]' "$entry" >"$WORK/bad.json"
expect_error "pxectl: lease restore: $WORK/bad.json: entry 0: missing field 'iaid'" \
	pxe1 lease restore "$WORK/bad.json"
printf '[{%s,"ip6":"fd00:9::150","duid":"000300","iaid":1}]' "$entry" >"$WORK/bad.json"
expect_error "pxectl: lease restore: $WORK/bad.json: entry 0 (52:54:00:00:00:31): lease address is outside every IPv6 pool" \
	pxe1 lease restore "$WORK/bad.json"
expect_eq "leases after the bad files" 1 "$(pxe1 -j lease show | json_query 'len(j)')"

behaviour apply_remaking_the_ipv6_pool_keeps_the_lease
sed -i 's/dns fd00:1::53 /dns fd00:1::53,fd00:1::54 /' "$WORK/first.conf"
pxe1 apply "$WORK/first.conf" >"$WORK/apply.out"
expect_eq "apply's output" "~ ${pool_line/dns fd00:1::53 /dns fd00:1::53,fd00:1::54 }" \
	"$(cat "$WORK/apply.out")"
expect_eq "pool dns6 after the apply" fd00:1::53,fd00:1::54 \
	"$(pxe1 -j pool show lan6 | json_query 'j[0]["dns6"]')"
expect_eq "lease after the apply" "$key" "$(lease_key)"
renew_keeps_the_address "after the apply"
