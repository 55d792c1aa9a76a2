#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl apply FILE` makes the server hold what FILE says and changes
# nothing else: applied twice it sends nothing; applied with a changed
# lease time, a boot rule more, a reservation less and a replaced image
# while 20 clients hold leases and a 40 MB download of that image runs,
# the download ends with the bytes it started with, every lease is still
# there with its address, and `show` equals the file.  --dry-run prints
# the same changes and makes none; a file with an error names its line and
# changes nothing.
#
#   +------------------------------+       +------------------------------+
#   | $ns1 (server)                |       | $ns2 (clients)               |
#   |   pxe0 10.0.1.1/24 ----------+-veth--+-- peer0 10.0.1.2/24 (TFTP)   |
#   |   srv1 10.0.2.1/24 ----------+-veth--+-- cli1 (udhcpc, 20 MACs)     |
#   |   pool "lan" 10.0.2.100-199  |       |                              |
#   +------------------------------+       +------------------------------+
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_tftp.sh"

EXPECT=("$PYTHON" "$SELFTESTS/examples_expect.py")

cleanup_test() {
	tftp_lib_cleanup
	dhcp_lib_cleanup
}

# conf NAME LEASE HOSTS BOOT BIG: a configuration file $WORK/NAME.conf.
conf() {
	local f=$WORK/$1.conf
	cat >"$f" <<-EOF
	# the test's server
	settings set image-memory 512M tftp-sessions 64 tftp-per-client 8
	link add dev pxe0
	link add dev srv1
	pool add lan dev srv1 range 10.0.2.100 10.0.2.199 dns 10.0.2.1 lease $2
	EOF
	[ "$3" -lt 1 ] || echo "host add 02:00:00:00:99:01 ip 10.0.2.10 name fixed1" >>"$f"
	[ "$3" -lt 2 ] || echo "host add 02:00:00:00:99:02 ip 10.0.2.11 name fixed2" >>"$f"
	cat >>"$f" <<-EOF
	boot add user-class iPXE file boot.ipxe prio 10
	boot add arch bios file pxelinux.0
	EOF
	[ "$4" -lt 2 ] || echo "boot add arch efi-x64 file ipxe.efi" >>"$f"
	cat >>"$f" <<-EOF
	image load big $TFTP_DIR/$5
	image load small "$TFTP_DIR/small file"   # quoted: a blank in the path
	EOF
}

# as_written CONF: every kind of object equals CONF (examples_expect.py).
as_written() {
	local what rc=0
	for what in settings links pools hosts boot images; do
		n1 env PXECTL="$PXECTL" "${EXPECT[@]}" "$1" "$what" || rc=1
	done
	return $rc
}

# applied NAME [ARGS]: pxectl apply [ARGS] NAME.conf; stdout in $WORK/out,
# nothing on stderr.
applied() {
	local rc=0 f=$WORK/$1.conf
	shift
	pxe1 apply "$@" "$f" >"$WORK/out" 2>"$WORK/err" || rc=$?
	if [ $rc -ne 0 ] || [ -s "$WORK/err" ]; then
		log "pxectl apply $* $f: exit $rc, stderr:"
		sed 's/^/#   /' "$WORK/err"
		return 1
	fi
}

# leases_key: the bound leases, as MAC IP pairs, sorted.
leases_key() {
	pxe1 -j lease show |
		jq -er '[.[] | select(.state == "bound") | "\(.mac) \(.ip)"] | sort | join(",")'
}

tftp_topology
veth_add "$ns1" srv1 10.0.2.1/24 "$ns2" cli1
dhcp_scripts
head -c $((40 << 20)) /dev/urandom >"$TFTP_DIR/big.v1"
head -c $((40 << 20)) /dev/urandom >"$TFTP_DIR/big.v2"
head -c 5000 /dev/urandom >"$TFTP_DIR/small file"
# tftp_topology set up what the first file also says; apply starts afresh.
pxe1 link del dev pxe0
conf first 600 2 1 big.v1
conf second 1200 1 2 big.v2

behaviour apply_on_an_empty_server_adds_every_line
applied first
expect_eq "apply's output" "$(grep -v '^#' "$WORK/first.conf" | sed 's/^/+ /')" \
	"$(cat "$WORK/out")"
as_written "$WORK/first.conf"

behaviour apply_of_the_same_file_changes_nothing
ids=$(pxe1 -j boot show | jq -c '[.[].id]')
applied first
expect_eq "apply's output" "" "$(cat "$WORK/out")"
applied first --dry-run
expect_eq "apply --dry-run's output" "" "$(cat "$WORK/out")"
expect_eq "boot rule ids" "$ids" "$(pxe1 -j boot show | jq -c '[.[].id]')"

behaviour twenty_clients_lease
for i in $(seq 10 29); do
	ip2 link set cli1 address "02:00:00:00:01:$i"
	udhcpc_once "$ns2" cli1 "$WORK/client$i"
done
before=$(leases_key)
expect_eq "bound leases" 20 "$(tr , '\n' <<<"$before" | grep -c .)"

behaviour dry_run_prints_the_changes_and_makes_none
applied second --dry-run
expect_eq "apply --dry-run's output" "- host del 02:00:00:00:99:02
~ pool add lan dev srv1 range 10.0.2.100 10.0.2.199 dns 10.0.2.1 lease 1200
+ boot add arch efi-x64 file ipxe.efi
~ image load big $TFTP_DIR/big.v2" "$(cat "$WORK/out")"
as_written "$WORK/first.conf"
expect_eq "leases after the dry run" "$before" "$(leases_key)"

behaviour apply_during_a_download_keeps_it_and_the_leases
# The download holds its ACK of block 100 until the apply has ended, so
# the image is replaced in the middle of it.
py_get big "$TFTP_DIR/got.v1" --blksize 1432 --windowsize 8 --pause-at 100 \
	--paused "$WORK/paused" --resume "$WORK/resume" >/dev/null &
get_pid=$!
wait_until 60 test -e "$WORK/paused"
applied second
touch "$WORK/resume"
expect_eq "apply's output" "$(cat <<-EOF
	- host del 02:00:00:00:99:02
	~ pool add lan dev srv1 range 10.0.2.100 10.0.2.199 dns 10.0.2.1 lease 1200
	+ boot add arch efi-x64 file ipxe.efi
	~ image load big $TFTP_DIR/big.v2
	EOF
)" "$(cat "$WORK/out")"
wait "$get_pid"
expect_same "download across the apply" "$TFTP_DIR/big.v1" "$TFTP_DIR/got.v1"
expect_eq "leases after the apply" "$before" "$(leases_key)"
expect_eq "pool lease time" 1200 "$(pxe1 -j pool show | jq -r '.[0].lease')"
as_written "$WORK/second.conf"
applied second
expect_eq "apply's output for the same file again" "" "$(cat "$WORK/out")"
# A lease kept its remaining time; a renewal gets the pool's new one.
expires=$(lease_field "$ns1" 02:00:00:00:01:10 expires)
expect_ge "seconds left of a kept lease" 1 "$expires"
[ "$expires" -le 600 ] || { log "kept lease expires in $expires s, more than the 600 it had"; false; }

behaviour clients_keep_their_addresses_and_the_new_image_is_served
addr=$(env_of "$WORK/client17.bound" ip)
ip2 link set cli1 address 02:00:00:00:01:17
udhcpc_once "$ns2" cli1 "$WORK/again17"
expect_eq "address of 02:00:00:00:01:17" "$addr" "$(env_of "$WORK/again17.bound" ip)"
expect_eq "lease time of the renewal" 1200 "$(env_of "$WORK/again17.bound" lease)"
curl_get big "$TFTP_DIR/got.v2"
expect_same "download after the apply" "$TFTP_DIR/big.v2" "$TFTP_DIR/got.v2"

behaviour a_file_with_an_error_changes_nothing
# Each file is the first one with one line that cannot be; the error
# names the file and line, and the server stays as the second file says.
bad=$WORK/bad.conf
conf_bad() { sed "$1" "$WORK/first.conf" >"$bad"; }
conf_bad '5s/ lease 600/ lease x/'
expect_error "pxectl: $bad:5: pool add lan: invalid lease 'x' (expected a number from 1 to 4294967295)" pxe1 apply "$bad"
conf_bad '$a pool add lan dev srv1 proxy'
expect_error "pxectl: $bad:12: pool 'lan' is already at line 5" pxe1 apply "$bad"
conf_bad '$a host add 02:00:00:00:99:01 ip 10.0.2.12'
expect_error "pxectl: $bad:12: host '02:00:00:00:99:01' is already at line 6" pxe1 apply "$bad"
conf_bad "\$a image load big $TFTP_DIR/big.v1"
expect_error "pxectl: $bad:12: image 'big' is already at line 10" pxe1 apply "$bad"
conf_bad '$a image load other /nonexistent'
expect_error "pxectl: $bad:12: image load other: cannot open '/nonexistent': No such file or directory" \
	pxe1 apply "$bad"
conf_bad '3i lease add 02:00:00:00:01:99 ip 10.0.2.150'
expect_error "pxectl: $bad:3: 'lease add' is not a configuration line: an applied file holds only settings set, link add, pool add, host add, boot add and image load" \
	pxe1 apply "$bad"
conf_bad '2s/$/ "/'
expect_error "pxectl: $bad:2: unterminated double quote" pxe1 apply "$bad"
as_written "$WORK/second.conf"
expect_eq "leases after the bad files" "$before" "$(leases_key)"

behaviour usage_errors_are_named
expect_error "pxectl: apply: expected [--dry-run] FILE" pxe1 apply
expect_error "pxectl: apply: expected [--dry-run] FILE" pxe1 apply --dry-run
expect_error "pxectl: apply: unexpected 'more' after the FILE" pxe1 apply "$bad" more
expect_error "pxectl: apply: unknown option '--force'" pxe1 apply --force "$bad"
expect_error "pxectl: apply: cannot open '$WORK/none.conf': No such file or directory" \
	pxe1 apply "$WORK/none.conf"
echo "apply $WORK/second.conf" >"$WORK/batch"
expect_error "pxectl: $WORK/batch:1: apply: cannot run in a batch: apply is given the whole file" \
	pxe1 -b "$WORK/batch"

behaviour boot_rules_keep_their_order_and_the_unchanged_ones_stay
ids=$(pxe1 -j boot show | jq -c '[.[].id]')
# The second rule of prio 100 changes: the first stays, the rest are new.
sed 's/file pxelinux.0/file lpxelinux.0/' "$WORK/second.conf" >"$WORK/third.conf"
applied third
now=$(pxe1 -j boot show | jq -c '[.[].id]')
expect_eq "rules kept" "$(jq -c '.[0:1]' <<<"$ids")" "$(jq -c '.[0:1]' <<<"$now")"
expect_eq "rules re-added" "false" "$(jq -c --argjson old "$ids" '.[1:] | any(. as $i | $old | index($i))' <<<"$now")"
# examples_expect.py numbers rules from 1, as on a fresh server: the
# order and the rules themselves are checked here instead.
expect_eq "rules in order" \
	'[[10,"iPXE",null,"boot.ipxe"],[100,null,"bios","lpxelinux.0"],[100,null,"efi-x64","ipxe.efi"]]' \
	"$(pxe1 -j boot show | jq -c '[.[] | [.prio, .user_class, .arch, .file]]')"
for what in settings links pools hosts images; do
	n1 env PXECTL="$PXECTL" "${EXPECT[@]}" "$WORK/third.conf" "$what"
done

behaviour an_empty_file_removes_everything
: >"$WORK/empty.conf"
applied empty
expect_eq "links" "[]" "$(pxe1 -j link show)"
expect_eq "pools" "[]" "$(pxe1 -j pool show)"
expect_eq "hosts" "[]" "$(pxe1 -j host show)"
expect_eq "boot rules" "[]" "$(pxe1 -j boot show)"
expect_eq "images" "[]" "$(pxe1 -j image show)"
expect_eq "leases" "[]" "$(pxe1 -j lease show)"
