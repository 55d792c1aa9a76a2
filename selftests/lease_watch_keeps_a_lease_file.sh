#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl lease watch FILE [every SECONDS]` keeps FILE equal to what
# `pxectl -j lease show` prints: written at start, again within SECONDS of a
# lease change (a burst of exchanges costs a few writes, not one each), a
# last time on SIGTERM or SIGINT.  After a crash (kill -9, then the module
# unloaded) `lease restore FILE` brings back every lease written before,
# and the clients get their addresses again.  A file that cannot be written
# at start is an error; one that fails later (a full disk) is retried
# until it works, the watch running on.  The module unloaded under the watch
# ends it with status 1, FILE untouched.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients)               |
#   |   srv0 10.0.1.1/24 ----------+-veth--+-- cli0 (udhcpc, one MAC     |
#   |   pxe link, pool "lan"       |       |    after the other;          |
#   |   10.0.1.100..10.0.1.249     |       |    perfdhcp from 10.0.1.2)   |
#   |   pxectl lease watch         |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

WATCH_PIDS=()
MOUNTS=()

cleanup_test() {
	local pid mnt
	for pid in "${WATCH_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	for mnt in "${MOUNTS[@]}"; do
		umount "$mnt" 2>/dev/null
	done
	dhcp_lib_cleanup
}

server_config() {
	pxe1 link add dev srv0
	pxe1 pool add lan dev srv0 range 10.0.1.100 10.0.1.249 lease 600
}

# The fields that must match, per lease, sorted by MAC.
key='sorted((l["mac"], l["ip"], l["state"], l["pool"], l.get("client_id"), l.get("hostname")) for l in j)'

# watch_start FILE [ARGS...]: `pxectl lease watch FILE ARGS` in $ns1 in the
# background (pid in WATCH_PID, stderr in the file WATCH_ERR, in $WORK:
# not on the file system a test fills), returns once FILE is there:
# subscribed to events and written once.
watch_count=0
watch_start() {
	local file=$1
	shift
	rm -f "$file"
	watch_count=$((watch_count + 1))
	WATCH_ERR=$WORK/watch$watch_count.err
	# Not pxe1: $! must be pxectl's own pid, for kill -9.
	"$PXECTL" -n "$ns1" lease watch "$file" "$@" 2>"$WATCH_ERR" &
	WATCH_PID=$!
	WATCH_PIDS+=("$WATCH_PID")
	wait_until 30 test -e "$file" || {
		log "no $file; pxectl said: $(cat "$WATCH_ERR")"
		return 1
	}
}

# watch_end PID: waits for it (not in a subshell: only the parent can),
# its exit status in WATCH_RC.
watch_end() {
	WATCH_RC=0
	wait "$1" || WATCH_RC=$?
}

# within SECONDS CMD...: CMD succeeds within SECONDS (to the tenth) from
# now, polled every 0.1 s.
within() {
	local limit=$(($1 * 1000000)) start=${EPOCHREALTIME/./} now
	shift
	until "$@"; do
		now=${EPOCHREALTIME/./}
		if [ $((now - start)) -gt "$limit" ]; then
			log "not within $((limit / 1000000)) s: $*"
			return 1
		fi
		sleep 0.1
	done
	log "took $(( (${EPOCHREALTIME/./} - start) / 1000 )) ms: $*"
}

# holds FILE MAC...: FILE is a JSON array with a bound lease of each MAC.
holds() {
	"$PYTHON" -c '
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    sys.exit(1)
have = {l["mac"] for l in j if l.get("state") == "bound"}
sys.exit(0 if set(sys.argv[2:]) <= have else 1)' "$@"
}

# lacks FILE MAC: FILE is a JSON array without MAC.
lacks() {
	"$PYTHON" -c '
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(1 if sys.argv[2] in {l["mac"] for l in j} else 0)' "$@"
}

# matches_show FILE: FILE has the leases `lease show` has, field for field.
matches_show() {
	[ "$(json_query "$key" <"$1")" = "$(pxe1 -j lease show | json_query "$key")" ]
}

# client N: udhcpc with MAC 02:00:00:00:00:0N; prints the address it got.
client() {
	ip2 link set cli0 address "02:00:00:00:00:0$1"
	udhcpc_once "$ns2" cli0 "$WORK/client$1" >&2 || return 1
	env_of "$WORK/client$1.bound" ip
}
mac() { echo "02:00:00:00:00:0$1"; }

# renames_start DIR NAME OUT: counts renames onto DIR/NAME (a line each in
# OUT, through inotify), from when this returns.
renames_start() {
	"$PYTHON" -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init()
IN_MOVED_TO = 0x80
if fd < 0 or libc.inotify_add_watch(fd, sys.argv[1].encode(), IN_MOVED_TO) < 0:
    sys.exit("inotify: " + os.strerror(ctypes.get_errno()))
print("listening", flush=True)
while True:
    buf = os.read(fd, 65536)
    off = 0
    while off < len(buf):
        _, _, _, length = struct.unpack_from("iIII", buf, off)
        name = buf[off + 16:off + 16 + length].rstrip(b"\0").decode()
        off += 16 + length
        if name == sys.argv[2]:
            print("renamed", flush=True)' "$1" "$2" >"$3" 2>&1 &
	DAEMON_PIDS+=($!)
	wait_until 30 grep -q listening "$3"
}

netns_add "$ns1"
netns_add "$ns2"
veth_add "$ns1" srv0 10.0.1.1/24 "$ns2" cli0
server_config
dhcp_scripts
file=$WORK/leases.json
declare -A addr

behaviour file_is_written_at_start_as_lease_show_prints_it
addr[1]=$(client 1)
watch_start "$file"
log "at start: $(cat "$file")"
matches_show "$file" || {
	log "file:       $(json_query "$key" <"$file")"
	log "lease show: $(pxe1 -j lease show | json_query "$key")"
	false
}
expect_eq "bound leases in the file" 1 \
	"$(json_query "len([l for l in j if l['state'] == 'bound'])" <"$file")"
expect_eq "mode of $file" 600 "$(stat -c %a "$file")"
expect_eq "temporary file left" no "$([ -e "$file.tmp" ] && echo yes || echo no)"

behaviour new_leases_are_in_the_file_within_every_plus_1_s
for i in 2 3 4; do
	addr[$i]=$(client "$i")
done
within 3 holds "$file" "$(mac 1)" "$(mac 2)" "$(mac 3)" "$(mac 4)" || {
	log "file: $(cat "$file")"
	log "stderr of the watch: $(cat "$WATCH_ERR")"
	false
}
within 3 matches_show "$file"
expect_eq "mode of the rewritten file" 600 "$(stat -c %a "$file")"
expect_eq "stderr of the watch" "" "$(cat "$WATCH_ERR")"

behaviour a_burst_of_exchanges_costs_a_few_writes
ip2 addr add 10.0.1.2/24 dev cli0
renames_start "$WORK" leases.json "$WORK/renames"
start=$SECONDS
perfdhcp_run -r 50 -R 100 -n 100 -d 2 -W 2000000
acks=$(stat_of "$ns1" dhcp_tx_ack)
expect_ge "ACKs sent" 100 "$acks"
within 3 matches_show "$file"
took=$((SECONDS - start))
writes=$(grep -c renamed "$WORK/renames" || true)
log "$acks ACKs in all, $writes writes in the $took s of the burst"
# One write per 2 s (and the last one); one per event would be hundreds.
[ "$writes" -le $((took / 2 + 2)) ] || {
	log "$writes writes in $took s with every 2: the writes are not coalesced"
	false
}
expect_ge "writes" 1 "$writes"
ip2 addr del 10.0.1.2/24 dev cli0

behaviour crash_keeps_every_lease_written_before_it
# Client 5 comes the moment before the crash: it may or may not be in.
ip2 link set cli0 address "$(mac 5)"
udhcpc_once "$ns2" cli0 "$WORK/client5"
kill -9 "$WATCH_PID"
rmmod pxe
watch_end "$WATCH_PID"
expect_eq "exit status of the killed watch" 137 "$WATCH_RC"
log "after the crash: $(wc -c <"$file") bytes, $(json_query 'len(j)' <"$file") leases"
holds "$file" "$(mac 1)" "$(mac 2)" "$(mac 3)" "$(mac 4)"
insmod "$PXE_KO"
server_config
bound=$(json_query "len([l for l in j if l['state'] == 'bound'])" <"$file")
expect_eq "lease restore output" "restored $bound leases" \
	"$(pxe1 lease restore "$file")"
restored=$(pxe1 -j lease show)
key4='sorted((l["mac"], l["ip"], l["state"]) for l in j if l["mac"].startswith("02:00:00:00:00:0") and l["mac"] <= "02:00:00:00:00:04")'
expect_eq "the four clients' leases" "$(json_query "$key4" <"$file")" \
	"$(json_query "$key4" <<<"$restored")"

behaviour clients_get_the_same_addresses_after_the_crash
# In reverse: without the restored leases each would get another address.
for i in 4 3 2 1; do
	expect_eq "address of $(mac "$i")" "${addr[$i]}" "$(client "$i")"
done

behaviour sigterm_writes_a_last_time_and_exits_0
watch_start "$file" every 3600
addr[6]=$(client 6)
# Written at most once an hour: not yet.
lacks "$file" "$(mac 6)"
kill -TERM "$WATCH_PID"
watch_end "$WATCH_PID"
expect_eq "exit status after SIGTERM" 0 "$WATCH_RC"
holds "$file" "$(mac 6)" || {
	log "no lease of $(mac 6) in the last write: $(cat "$file")"
	false
}
matches_show "$file"
expect_eq "stderr of the watch" "" "$(cat "$WATCH_ERR")"

behaviour sigint_writes_a_last_time_and_exits_0
watch_start "$file" every 3600
addr[7]=$(client 7)
lacks "$file" "$(mac 7)"
kill -INT "$WATCH_PID"
watch_end "$WATCH_PID"
expect_eq "exit status after SIGINT" 0 "$WATCH_RC"
holds "$file" "$(mac 7)" || {
	log "no lease of $(mac 7) in the last write: $(cat "$file")"
	false
}

behaviour file_that_cannot_be_written_at_start_is_an_error
expect_error "pxectl: lease watch: cannot write '$WORK/missing/leases.json.tmp': No such file or directory" \
	pxe1 lease watch "$WORK/missing/leases.json"
mkdir "$WORK/ro"
mount -t tmpfs -o ro,size=64k tmpfs "$WORK/ro"
MOUNTS+=("$WORK/ro")
expect_error "pxectl: lease watch: cannot write '$WORK/ro/leases.json.tmp': Read-only file system" \
	pxe1 lease watch "$WORK/ro/leases.json"
expect_eq "files in the read-only directory" "" "$(ls -A "$WORK/ro")"

behaviour full_disk_is_retried_while_the_watch_runs
mkdir "$WORK/small"
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$WORK/small"
MOUNTS+=("$WORK/small")
small=$WORK/small/leases.json
watch_start "$small" every 1
dd if=/dev/zero of="$WORK/small/fill" bs=4k 2>/dev/null || true
before=$(cat "$small")
addr[8]=$(client 8)
full="pxectl: lease watch: cannot write '$small.tmp': No space left on device"
within 3 grep -qxF "$full" "$WATCH_ERR" || {
	log "stderr of the watch: $(cat "$WATCH_ERR")"
	log "$(df -k "$WORK/small"; ls -la "$WORK/small")"
	false
}
sleep 2		# two more tries, or three
kill -0 "$WATCH_PID" || { log "the watch ended on a full disk"; false; }
expect_eq "the file while the disk is full" "$before" "$(cat "$small")"
expect_eq "temporary file left" no "$([ -e "$small.tmp" ] && echo yes || echo no)"
expect_eq "the error, printed once" 1 "$(grep -cxF "$full" "$WATCH_ERR")"
rm "$WORK/small/fill"
within 2 holds "$small" "$(mac 8)"
within 2 grep -q "^pxectl: lease watch: '$small' written again, after [0-9]* failed attempts$" "$WATCH_ERR"
log "stderr: $(cat "$WATCH_ERR")"
kill -TERM "$WATCH_PID"
watch_end "$WATCH_PID"
expect_eq "exit status after SIGTERM" 0 "$WATCH_RC"

behaviour bad_arguments_are_refused
expect_error "pxectl: lease watch: missing FILE" pxe1 lease watch
expect_error "pxectl: lease watch: invalid every '0' (expected a number from 1 to 3600)" \
	pxe1 lease watch "$WORK/x.json" every 0
expect_error "pxectl: lease watch: invalid every 'x' (expected a number from 1 to 3600)" \
	pxe1 lease watch "$WORK/x.json" every x
expect_error "pxectl: lease watch: invalid every '3601' (expected a number from 1 to 3600)" \
	pxe1 lease watch "$WORK/x.json" every 3601
expect_error "pxectl: lease watch: unknown argument 'now'" \
	pxe1 lease watch "$WORK/x.json" now
expect_error "pxectl: lease watch: 'every' needs a value" \
	pxe1 lease watch "$WORK/x.json" every
expect_error "pxectl: lease watch: invalid FILE '-' (the leases go to a file, which is replaced whole)" \
	pxe1 lease watch -
expect_error "pxectl: lease watch: events need CAP_NET_ADMIN over the network namespace (Operation not permitted)" \
	n1 "${NOBODY[@]}" "$PXECTL" lease watch "$WORK/x.json"
expect_eq "files written" no "$([ -e "$WORK/x.json" ] && echo yes || echo no)"

behaviour module_unload_ends_the_watch_and_keeps_the_file
watch_start "$file"
saved=$(cat "$file")
rmmod pxe
watch_end "$WATCH_PID"
expect_eq "exit status after rmmod" 1 "$WATCH_RC"
expect_eq "stderr of the watch" \
	"pxectl: lease watch: the pxe module went away (generic netlink family \"pxe\" removed); '$file' keeps the leases last written: add them back with 'pxectl lease restore $file' once it is loaded again" \
	"$(cat "$WATCH_ERR")"
expect_eq "the file after rmmod" "$saved" "$(cat "$file")"
insmod "$PXE_KO"
