#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing at the hook: selftests/fuzz-vm/fuzz_packets.py sends
# mutated DHCP and TFTP frames (the codec corpora under mutated Ethernet,
# VLAN, IPv4 and UDP headers, truncated and oversized), interleaved with
# valid DORAs and windowed downloads from several clients, for
# FUZZ_SECONDS (default 60); every reply is checked for bytes no request
# carried.  Then real clients are still served: busybox udhcpc gets a
# lease, tftp-hpa and busybox tftp download an image intact; and the
# kernel log is clean.
#
#   FUZZ_SEED=S      replay a run (the seed is printed); default: random
#   FUZZ_COUNT=N     with FUZZ_SEED: exactly the N iterations that run did
#
#   +-------------------------------+       +-------------------------------+
#   | $ns1 (the server)             |       | $ns2 (fuzzer, real clients)   |
#   |   srv0 10.0.1.1/24 mtu 9000 --+-veth--+-- cli0 10.0.1.2/24 mtu 9000   |
#   |   pool .100-.199, lease 30 s  |       |   fuzz_packets.py (AF_PACKET) |
#   |   images small.bin, mid.bin   |       |   udhcpc, tftp, busybox tftp  |
#   +-------------------------------+       +-------------------------------+
set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FUZZ_COUNT=${FUZZ_COUNT:-0}
DIR=$(mktemp -d /tmp/pxe-fuzz-packets.XXXXXX)
cleanup_test() { rm -rf "$DIR"; }

log "seed $FUZZ_SEED (replay: FUZZ_SEED=$FUZZ_SEED FUZZ_COUNT=N selftests/fuzz-vm/run)"

ensure_module
netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0 10.0.1.2/24
ip1 link set srv0 mtu 9000
ip2 link set cli0 mtu 9000
pxe1 link add dev srv0
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 lease 30
pxe1 boot add vendor PXEClient file small.bin >/dev/null
pxe1 settings set tftp-sessions 4096 tftp-per-client 64 tftp-windowsize 16
head -c 3000 /dev/urandom >"$DIR/small.bin"
head -c 300000 /dev/urandom >"$DIR/mid.bin"
pxe1 image load small.bin "$DIR/small.bin" >/dev/null
pxe1 image load mid.bin "$DIR/mid.bin" >/dev/null
server_mac=$(mac_of "$ns1" srv0)

# The fuzzer's verdict is given last: the real clients are tried after
# findings too.
behaviour fuzzer_runs_to_the_end
fuzz_rc=0
n2 "$PYTHON" "$SELFTESTS/fuzz-vm/fuzz_packets.py" --dev cli0 \
	--server-mac "$server_mac" --seconds "$FUZZ_SECONDS" \
	--count "$FUZZ_COUNT" --seed "$FUZZ_SEED" \
	--image "small.bin=$DIR/small.bin" --image "mid.bin=$DIR/mid.bin" || fuzz_rc=$?
[ "$fuzz_rc" -le 1 ]

behaviour counters_still_answer
# The counters, for the record; a query that fails fails the test.
stats=$(pxe1 -j stats)
printf '%s\n' "$stats" | json_query '", ".join(f"{k} {v}" for k, v in j[0].items() if v)' | fold -s -w 100 | sed 's/^/# /'

# pool_has_room: the fuzzer's clients (any chaddr a mutation made) may
# hold every address; their offers and 30 s leases run out.
pool_has_room() {
	pxe1 -j pool show | jq -ec '.[] | select(.name == "lan")' >"$DIR/pool.json" &&
		jq -e '.used < .size' "$DIR/pool.json" >/dev/null
}
wait_room() {
	for _ in $(seq 600); do
		pool_has_room && return 0
		sleep 0.2
	done
	log "pool lan still full 120 s after fuzzing: $(cat "$DIR/pool.json")"
	return 1
}

behaviour pool_frees_addresses_after_fuzzing
log "pool after fuzzing: $(pxe1 -j pool show)"
wait_room

behaviour udhcpc_still_gets_a_lease
cat >"$DIR/env.sh" <<-'EOS'
#!/bin/sh
env >"$DHCP_OUT.$1"
EOS
chmod +x "$DIR/env.sh"
ip2 addr flush dev cli0
# As a PXE BIOS client: the boot rule answers it with small.bin.
DHCP_OUT=$DIR/udhcpc ip netns exec "$ns2" busybox udhcpc -f -q -n -t 5 -T 1 \
	-i cli0 -s "$DIR/env.sh" -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000 \
	>"$DIR/udhcpc.log" 2>&1 || {
	log "udhcpc got no lease:"
	sed 's/^/#   /' "$DIR/udhcpc.log"
	false
}
got=$(sed -n 's/^ip=//p' "$DIR/udhcpc.bound")
"$PYTHON" -c '
import ipaddress, sys
a = ipaddress.IPv4Address(sys.argv[1])
sys.exit(0 if ipaddress.IPv4Address("10.0.1.100") <= a <= ipaddress.IPv4Address("10.0.1.199") else 1)' "$got" || {
	log "udhcpc bound '$got', not an address of the pool"
	false
}
expect_eq "boot file udhcpc was given" small.bin "$(sed -n 's/^boot_file=//p' "$DIR/udhcpc.bound")"
ip2 addr add 10.0.1.2/24 dev cli0

# expect_same WHAT SRC GOT: GOT has SRC's SHA-256.
expect_same() {
	[ -f "$3" ] || { log "$1: $3 was not written"; return 1; }
	expect_eq "$1: SHA-256" "$(sha256sum <"$2")" "$(sha256sum <"$3")"
}

behaviour tftp_hpa_still_downloads_intact
n2 timeout 120 tftp -m binary 10.0.1.1 -c get mid.bin "$DIR/hpa.out"
expect_same "tftp-hpa mid.bin" "$DIR/mid.bin" "$DIR/hpa.out"

behaviour busybox_tftp_still_downloads_intact
n2 timeout 120 busybox tftp -g -b 1468 -r mid.bin -l "$DIR/bb.out" 10.0.1.1
expect_same "busybox mid.bin" "$DIR/mid.bin" "$DIR/bb.out"

behaviour fuzzer_finds_nothing
if [ "$fuzz_rc" -ne 0 ]; then
	log "the fuzzer reported findings (FINDING lines above); replay with FUZZ_SEED=$FUZZ_SEED"
	false
fi
