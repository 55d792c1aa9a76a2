#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing at the hook: selftests/fuzz-vm/fuzz_packets.py sends
# mutated DHCP and TFTP frames (the codec corpora under mutated Ethernet,
# VLAN, IPv4 and UDP headers, truncated and oversized) and mutated DHCPv6
# frames (corpus fuzz_dhcp6_msg under sound IPv6/UDP headers, and under
# broken ones: lengths, checksums, extension headers, sources, MACs),
# interleaved with valid DORAs, Solicit/Request exchanges and windowed
# downloads from several clients, for FUZZ_SECONDS (default 60) in all;
# every reply is checked for bytes no request carried, and no frame with
# broken headers may be answered.  Then real clients are still served:
# busybox udhcpc gets a lease, dhclient -6 an address of the IPv6 pool,
# tftp-hpa and busybox tftp download an image intact; and the kernel log
# is clean.
#
#   FUZZ_SEED=S      replay a run (the seed is printed); default: random
#   FUZZ_COUNT=N     with FUZZ_SEED: exactly the N iterations that run did
#
#   +-------------------------------+       +-------------------------------+
#   | $ns1 (the server)             |       | $ns2 (fuzzer, real clients)   |
#   |   srv0 10.0.1.1/24 mtu 9000 --+-veth--+-- cli0 10.0.1.2/24 mtu 9000   |
#   |        fd00:1::1/64, fe80::   |       |        fe80::                 |
#   |   pool .100-.199, lease 30 s  |       |   fuzz_packets.py (AF_PACKET) |
#   |   pool6 fd00:1::100-1ff, 30 s |       |   udhcpc, dhclient -6,        |
#   |   images small.bin, mid.bin   |       |   tftp, busybox tftp          |
#   +-------------------------------+       +-------------------------------+
set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dhcp.sh
source "$(dirname "$0")/lib_dhcp.sh"
# shellcheck source=lib_dhcp6.sh
source "$(dirname "$0")/lib_dhcp6.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FUZZ_COUNT=${FUZZ_COUNT:-0}
cleanup_test() {
	[ ! -e "$WORK/dhclient6.pid" ] || kill "$(cat "$WORK/dhclient6.pid")" 2>/dev/null || true
	dhcp_lib_cleanup
}

log "seed $FUZZ_SEED (replay: FUZZ_SEED=$FUZZ_SEED FUZZ_COUNT=N selftests/fuzz-vm/run)"

ensure_module
netns_add "$ns1"
netns_add "$ns2"
ipv6_on "$ns1" "$ns2"
veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0 10.0.1.2/24
ip1 link set srv0 mtu 9000
ip2 link set cli0 mtu 9000
ip1 -6 addr add fd00:1::1/64 dev srv0 nodad
pxe1 link add dev srv0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 lease 30
pxe1 pool add lan6 dev srv0 range6 fd00:1::100 fd00:1::1ff lease 30
pxe1 boot add vendor PXEClient file small.bin >/dev/null
pxe1 settings set tftp-sessions 4096 tftp-per-client 64 tftp-windowsize 16
head -c 3000 /dev/urandom >"$WORK/small.bin"
head -c 300000 /dev/urandom >"$WORK/mid.bin"
pxe1 image load small.bin "$WORK/small.bin" >/dev/null
pxe1 image load mid.bin "$WORK/mid.bin" >/dev/null
server_mac=$(mac_of "$ns1" srv0)
# srv0's link-local address, once the carrier brought it (cli0's, which
# only dhclient -6 uses, comes at the same time).  ip -j lists the
# addresses its scope filter left out as {}.
server_ll=
for _ in $(seq 50); do
	server_ll=$(ip -n "$ns1" -j -6 addr show dev srv0 scope link |
		jq -r '[.[].addr_info[] | select(.tentative | not) | .local // empty][0] // ""')
	[ -z "$server_ll" ] || break
	sleep 0.2
done
[ -n "$server_ll" ] || { log "srv0 has no link-local address after 10 s"; false; }

# The fuzzer's verdict is given last: the real clients are tried after
# findings too.
behaviour fuzzer_runs_to_the_end
fuzz_rc=0
n2 "$PYTHON" "$SELFTESTS/fuzz-vm/fuzz_packets.py" --dev cli0 \
	--server-mac "$server_mac" --server-ll "$server_ll" \
	--pool6 fd00:1::100 fd00:1::1ff --seconds "$FUZZ_SECONDS" \
	--count "$FUZZ_COUNT" --seed "$FUZZ_SEED" \
	--image "small.bin=$WORK/small.bin" --image "mid.bin=$WORK/mid.bin" || fuzz_rc=$?
[ "$fuzz_rc" -le 1 ]

behaviour counters_still_answer
# The counters, for the record (those not 0; then DHCPv6's, zeros too:
# what the v6 frames reached); a query that fails fails the test.
stats=$(pxe1 -j stats)
jq -r '.[0] | to_entries | ([.[] | select(.value != 0)], [.[] | select(.key | startswith("dhcp6_"))])
	| map("\(.key) \(.value)") | join(", ")' <<<"$stats" | sed '2s/^/v6: /' | fold -s -w 100 | sed 's/^/# /'

# pools_have_room: the fuzzer's clients (any chaddr or DUID a mutation
# made) may hold every address of a pool; their offers (60 s for DHCPv6)
# and 30 s leases run out.
pools_have_room() {
	pxe1 -j pool show >"$WORK/pools.json" &&
		jq -e 'all(.[]; .used < .size)' "$WORK/pools.json" >/dev/null
}
wait_room() {
	for _ in $(seq 600); do
		pools_have_room && return 0
		sleep 0.2
	done
	log "a pool is still full 120 s after fuzzing: $(cat "$WORK/pools.json")"
	return 1
}

behaviour pool_frees_addresses_after_fuzzing
log "pools after fuzzing: $(pxe1 -j pool show)"
wait_room

behaviour udhcpc_still_gets_a_lease
cat >"$WORK/env.sh" <<-'EOS'
#!/bin/sh
env >"$DHCP_OUT.$1"
EOS
chmod +x "$WORK/env.sh"
ip2 -4 addr flush dev cli0
# As a PXE BIOS client: the boot rule answers it with small.bin.
DHCP_OUT=$WORK/udhcpc ip netns exec "$ns2" busybox udhcpc -f -q -n -t 5 -T 1 \
	-i cli0 -s "$WORK/env.sh" -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000 \
	>"$WORK/udhcpc.log" 2>&1 || {
	log "udhcpc got no lease:"
	sed 's/^/#   /' "$WORK/udhcpc.log"
	false
}
got=$(sed -n 's/^ip=//p' "$WORK/udhcpc.bound")
# 10.0.1.100-199, without starting a python (seconds on the debug kernel).
[[ $got =~ ^10\.0\.1\.1[0-9][0-9]$ ]] || {
	log "udhcpc bound '$got', not an address of the pool"
	false
}
expect_eq "boot file udhcpc was given" small.bin "$(sed -n 's/^boot_file=//p' "$WORK/udhcpc.bound")"
ip2 addr add 10.0.1.2/24 dev cli0

behaviour dhcp6_still_answers
# dhclient6 (lib_dhcp6.sh) with a script that only notes the address: no
# program started per event (seconds each on the debug kernel).
cat >"$WORK/dhclient6.sh" <<-EOS
#!/bin/sh
[ "\$reason" != BOUND6 ] || echo "\$new_ip6_address" >"$WORK/dhclient6.addr"
EOS
chmod +x "$WORK/dhclient6.sh"
if ! dhclient6 -1 cli0 || ! read -r addr6 2>/dev/null <"$WORK/dhclient6.addr"; then
	log "dhclient -6 got no address:"
	sed 's/^/#   /' "$WORK/dhclient6.log"
	false
fi
log "dhclient -6 bound $addr6"
# fd00:1::100-1ff (as ip_in would say, without its python).
[[ $addr6 =~ ^fd00:1::1[0-9a-f][0-9a-f]$ ]] || {
	log "dhclient -6 bound '$addr6', not an address of the pool"
	false
}

# expect_same WHAT SRC GOT: GOT has SRC's SHA-256.
expect_same() {
	[ -f "$3" ] || { log "$1: $3 was not written"; return 1; }
	expect_eq "$1: SHA-256" "$(sha256sum <"$2")" "$(sha256sum <"$3")"
}

behaviour tftp_hpa_still_downloads_intact
n2 timeout 120 tftp -m binary 10.0.1.1 -c get mid.bin "$WORK/hpa.out"
expect_same "tftp-hpa mid.bin" "$WORK/mid.bin" "$WORK/hpa.out"

behaviour busybox_tftp_still_downloads_intact
n2 timeout 120 busybox tftp -g -b 1468 -r mid.bin -l "$WORK/bb.out" 10.0.1.1
expect_same "busybox mid.bin" "$WORK/mid.bin" "$WORK/bb.out"

behaviour fuzzer_finds_nothing
if [ "$fuzz_rc" -ne 0 ]; then
	log "the fuzzer reported findings (FINDING lines above); replay with FUZZ_SEED=$FUZZ_SEED"
	false
fi
