#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Leases saved with `pxectl -j lease show` come back after the module is
# unloaded and loaded again: `pxectl lease restore FILE` adds every bound
# lease with the seconds it had left, `lease show` then matches the saved
# one, and the clients keep their addresses.  The jq one-liner of
# `pxectl lease help` does the same through a batch.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients)               |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (two MACs in turn)    |
#   |   pxe link, pool "lan"       |       |                              |
#   |   10.0.1.100..10.0.1.199     |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

cleanup_test() { dhcp_lib_cleanup; }

server_config() {
	pxe1 link add dev srv0
	pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 lease 600
}

# The fields that must survive, per lease, sorted by MAC.
key='sorted((l["mac"], l["ip"], l["state"], l["pool"], l.get("client_id"), l.get("hostname")) for l in j)'

# expires_close SAVED NOW SECONDS: each lease of NOW expires at most
# SECONDS (the time since the save) plus 2 earlier than it did when SAVED:
# the restore counts the file's age, nothing more.
expires_close() {
	"$PYTHON" -c '
import json, sys
saved = {l["mac"]: l["expires"] for l in json.loads(sys.argv[1])}
now = {l["mac"]: l["expires"] for l in json.loads(sys.argv[2])}
most = int(sys.argv[3]) + 2
bad = [m for m in saved if m not in now or not 0 <= saved[m] - now[m] <= most]
for m in bad:
    print(f"# {m}: saved expires {saved[m]}, now {now.get(m)}, {most} s apart at most")
sys.exit(1 if bad else 0)' "$1" "$2" "$3"
}

ensure_module
netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0
server_config
dhcp_scripts

behaviour clients_get_leases
udhcpc_once "$ns2" cli0 "$WORK/first" -x hostname:first-pc
mac1=$(mac_of "$ns2" cli0)
addr1=$(env_of "$WORK/first.bound" ip)
ip2 link set cli0 address 02:00:00:00:00:02
udhcpc_once "$ns2" cli0 "$WORK/second"
addr2=$(env_of "$WORK/second.bound" ip)
pxe1 -j lease show >"$WORK/leases.json"
saved_at=$SECONDS
log "saved: $(cat "$WORK/leases.json")"
expect_eq "bound leases saved" 2 \
	"$(json_query "len([l for l in j if l['state'] == 'bound'])" <"$WORK/leases.json")"
expect_eq "hostname of $mac1" first-pc "$(lease_field "$ns1" "$mac1" hostname)"

behaviour leases_are_gone_after_module_reload
rmmod pxe
insmod "$PXE_KO"
server_config
expect_eq "leases after reload" "[]" "$(pxe1 -j lease show)"

behaviour restore_adds_every_bound_lease
expect_eq "lease restore output" "restored 2 leases" \
	"$(pxe1 lease restore "$WORK/leases.json")"
now=$(pxe1 -j lease show)
log "restored: $now"
expect_eq "leases after restore" "$(json_query "$key" <"$WORK/leases.json")" \
	"$(json_query "$key" <<<"$now")"
expires_close "$(cat "$WORK/leases.json")" "$now" $((SECONDS - saved_at))

behaviour clients_keep_their_addresses_after_restore
udhcpc_once "$ns2" cli0 "$WORK/second-again"
expect_eq "address of the second MAC" "$addr2" "$(env_of "$WORK/second-again.bound" ip)"
ip2 link set cli0 address "$mac1"
udhcpc_once "$ns2" cli0 "$WORK/first-again"
expect_eq "address of the first MAC" "$addr1" "$(env_of "$WORK/first-again.bound" ip)"

behaviour restore_from_stdin_replaces_existing_leases
expect_eq "lease restore - output" "restored 2 leases" \
	"$(pxe1 lease restore - <"$WORK/leases.json")"
expect_eq "leases after restore from stdin" "$(json_query "$key" <"$WORK/leases.json")" \
	"$(pxe1 -j lease show | json_query "$key")"

behaviour bad_file_adds_nothing
pxe1 lease flush
# The second entry lost its address: the first must not be added either.
json_query 'json.dumps([j[0], {k: v for k, v in j[1].items() if k != "ip"}])' \
	<"$WORK/leases.json" >"$WORK/bad.json"
expect_error "pxectl: lease restore: $WORK/bad.json: entry 1: missing field 'ip'" \
	pxe1 lease restore "$WORK/bad.json"
head -c 100 "$WORK/leases.json" >"$WORK/truncated.json"
expect_error "pxectl: lease restore: $WORK/truncated.json: entry 0: invalid JSON (unexpected end of data)" \
	pxe1 lease restore "$WORK/truncated.json"
expect_eq "leases after the bad files" "[]" "$(pxe1 -j lease show)"

behaviour kernel_refusal_names_the_entry
pxe1 pool del lan
pxe1 pool add lan dev srv0 range 10.0.1.10 10.0.1.19
first=$(json_query 'j[0]["mac"]' <"$WORK/leases.json")
expect_error "pxectl: lease restore: $WORK/leases.json: entry 0 ($first): lease address is outside every pool" \
	pxe1 lease restore "$WORK/leases.json"
pxe1 pool del lan
pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.199 lease 600

behaviour jq_one_liner_of_lease_help_replays_the_leases
oneliner=$(pxe0 lease help | sed -n '/^  jq /,/pxectl -b -$/p')
[ -n "$oneliner" ] || { log "no jq one-liner in 'pxectl lease help'"; false; }
log "one-liner: $oneliner"
(cd "$WORK" && n1 env PATH="$(dirname "$PXECTL"):$PATH" bash -e -o pipefail -c "$oneliner")
key3='sorted((l["mac"], l["ip"], l["state"], l["pool"]) for l in j)'
expect_eq "leases after the one-liner" "$(json_query "$key3" <"$WORK/leases.json")" \
	"$(pxe1 -j lease show | json_query "$key3")"
