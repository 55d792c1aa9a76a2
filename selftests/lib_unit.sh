# SPDX-License-Identifier: GPL-2.0
#
# pxe.service run the way systemd runs it, for the tests of the unit:
# service_lifecycle_in_place.sh (the tree's unit with the tree's pxectl and
# module) and package_installs_and_serves.sh (the packaged ones).  The
# guests' PID 1 is selftests/vm-init, not systemd, so unit_run runs the
# unit's commands in its order, with its Environment=, STATE_DIRECTORY,
# "-" prefixes, capability bounding set and no new privileges, and its
# main process (the lease writer) in the background; the rest of its
# sandbox is left to systemd.  Source it after lib.sh and lib_dhcp.sh, and
# set:
#
#   UNIT      the unit file
#   UNIT_SED  sed arguments applied to each of its lines (an array: at
#             least %S, the state directories' root)
#   STATE     the unit's state directory (%S/pxe)
#   CONF      the configuration file it applies
#   IMAGES    a directory for the image the configuration loads
#
#   +------------------------------+       +------------------------------+
#   | init namespace: pxe.service  |       | $ns2 (client)                |
#   |   srv0 10.0.5.1/24 ----------+-veth--+-- cli0  udhcpc, busybox tftp |
#   |   link, pool lan .100-.199,  |       |                              |
#   |   image hello.bin            |       |                              |
#   +------------------------------+       +------------------------------+

# unit_keys KEY: the values of the unit's KEY= lines, in order, with
# UNIT_SED applied.
unit_keys() { sed -n "s/^$1=//p" "$UNIT" | sed "${UNIT_SED[@]}"; }

# unit_exec [--main] KEY...: each KEY= command of the unit, in order, as
# systemd runs it: "$$" is a "$", an unbraced $VAR is
# split into words (eval does both), a failure ends the phase unless the
# command starts with "-".  --main: the service's main process (Type=exec),
# left running in the background as $MAIN_PID.
MAIN_PID=""
unit_exec() {
	local key cmd ignore caps main=0
	[ "$1" != --main ] || { main=1; shift; }
	caps=$(unit_keys CapabilityBoundingSet | tr 'A-Z ' 'a-z\n' |
		sed 's/^cap_/+/' | paste -sd, -)
	for key in "$@"; do
		while IFS= read -r cmd; do
			ignore=0
			[ "${cmd#-}" = "$cmd" ] || { ignore=1; cmd=${cmd#-}; }
			log "$key=$cmd"
			if [ $main = 1 ]; then
				(umask 077; eval exec setpriv --bounding-set "-all,$caps" \
					--no-new-privs "${cmd//\$\$/\$}") &
				MAIN_PID=$!
			elif ! (umask 077; eval setpriv --bounding-set "-all,$caps" --no-new-privs \
				"${cmd//\$\$/\$}"); then
				[ $ignore = 1 ] || return 1
			fi
		done < <(unit_keys "$key")
	done
}

# unit_run start|stop|reload: that phase of the unit; a failed start runs
# ExecStopPost= as systemd does.  Start waits for the lease writer's first
# write; stop is systemd's SIGTERM to it, which must end it with status 0.
unit_run() {
	local rc=0
	install -d -m 0700 "$STATE"
	eval "export $(unit_keys Environment)"
	export STATE_DIRECTORY=$STATE
	case $1 in
	start)
		rm -f "$WORK/started"
		touch "$WORK/started"
		unit_exec ExecStartPre || { unit_exec ExecStopPost; return 1; }
		unit_exec --main ExecStart
		wait_until 30 test "$STATE/leases.json" -nt "$WORK/started" || {
			log "the lease writer wrote no $STATE/leases.json"
			return 1
		}
		kill -0 "$MAIN_PID" || { log "the lease writer ended"; return 1; } ;;
	stop)
		if [ -n "$MAIN_PID" ]; then
			kill -TERM "$MAIN_PID"
			wait "$MAIN_PID" || rc=$?
			MAIN_PID=""
		fi
		unit_exec ExecStopPost
		[ $rc = 0 ] || { log "the lease writer ended with $rc at SIGTERM"; return 1; } ;;
	reload) unit_exec ExecReload ;;
	esac
}

# lease_ip MAC: the address of MAC's lease ("" if none).
lease_ip() { pxe0 -j lease show | json_query "next((l['ip'] for l in j if l['mac'] == '$1'), '')"; }

# unit_topology: the veth, the client's namespace, the image file.
unit_topology() {
	netns_add "$ns2"
	ip link add srv0 type veth peer name cli0 netns "$ns2"
	ip addr add 10.0.5.1/24 dev srv0
	ip link set srv0 up
	ip2 link set cli0 up
	mkdir -p "$IMAGES"
	head -c 300000 /dev/urandom >"$IMAGES/hello.bin"
	dhcp_scripts
}

# unit_cleanup: the service stopped if it runs, the veth and files gone.
unit_cleanup() {
	[ ! -d /sys/module/pxe ] || unit_run stop
	ip link del srv0 2>/dev/null
	rm -rf "$IMAGES" "$STATE"
}

# unit_lifecycle: the service starts, serves, applies a changed file on
# reload, keeps the lease file, stops, and brings the leases back at the
# next start, also after its writer was killed and the module removed
# without a stop; a start that fails unloads the module.
unit_lifecycle() {
	behaviour service_starts
	cat >"$CONF" <<EOF
link add dev srv0
pool add lan dev srv0 range 10.0.5.100 10.0.5.199 lease 600
boot add file hello.bin
image load hello.bin $IMAGES/hello.bin
EOF
	unit_run start
	[ -d /sys/module/pxe ]
	expect_eq "links" srv0 "$(pxe0 -j link show | json_query "' '.join(l['dev'] for l in j)")"

	behaviour serves_a_udhcpc_client
	udhcpc_once "$ns2" cli0 "$WORK/first"
	addr=$(env_of "$WORK/first.bound" ip)
	ip_in "$addr" 10.0.5.100 10.0.5.199
	expect_eq "boot file" hello.bin "$(env_of "$WORK/first.bound" boot_file)"
	mac=$(mac_of "$ns2" cli0)
	expect_eq "lease of $mac" "$addr" "$(lease_ip "$mac")"

	behaviour serves_a_tftp_download
	ip2 addr add "$addr/24" dev cli0
	n2 timeout 120 busybox tftp -g -b 1468 -r hello.bin -l "$WORK/hello.bin" 10.0.5.1
	cmp "$IMAGES/hello.bin" "$WORK/hello.bin"

	behaviour reload_applies_the_changed_file_in_place
	# `pxectl apply`: the pool's new lease time and a new hello.bin, in
	# the middle of a download of the old one (its ACK of block 50 held
	# until the reload ended), which ends with the old bytes; the lease
	# kept.
	cp "$IMAGES/hello.bin" "$WORK/hello.old"
	n2 timeout 300 "$PYTHON" "$TOP/selftests/tftp_client.py" get 10.0.5.1 hello.bin \
		"$WORK/during" --blksize 1432 --pause-at 50 \
		--paused "$WORK/paused" --resume "$WORK/resume" >/dev/null &
	get_pid=$!
	wait_until 60 test -e "$WORK/paused"
	sed -i 's/lease 600/lease 900/' "$CONF"
	head -c 200000 /dev/urandom >"$IMAGES/hello.bin"
	unit_run reload
	touch "$WORK/resume"
	wait "$get_pid"
	cmp "$WORK/hello.old" "$WORK/during"
	expect_eq "lease time after the reload" 900 "$(pxe0 -j pool show | jq -r '.[0].lease')"
	expect_eq "lease of $mac after the reload" "$addr" "$(lease_ip "$mac")"
	n2 timeout 120 busybox tftp -g -b 1468 -r hello.bin -l "$WORK/after" 10.0.5.1
	cmp "$IMAGES/hello.bin" "$WORK/after"

	behaviour stop_saves_the_leases_and_unloads
	unit_run stop
	[ ! -d /sys/module/pxe ] || { log "pxe is still loaded"; false; }
	expect_eq "saved lease of $mac" "$addr" \
		"$(json_query "next((l['ip'] for l in j if l['mac'] == '$mac'), '')" <"$STATE/leases.json")"
	expect_eq "lease file mode" 600 "$(stat -c %a "$STATE/leases.json")"
	[ ! -e "$STATE/leases.json.tmp" ]

	behaviour start_restores_the_leases
	unit_run start
	expect_eq "restored lease of $mac" "$addr" "$(lease_ip "$mac")"
	ip2 addr flush dev cli0
	udhcpc_once "$ns2" cli0 "$WORK/again"
	expect_eq "address of $mac after the restart" "$addr" "$(env_of "$WORK/again.bound" ip)"

	behaviour kill_rmmod_and_start_bring_the_leases_back
	# A reboot's worth of loss: the writer killed, the module gone, no stop.
	ip2 addr flush dev cli0
	ip2 link set cli0 address 02:00:00:00:05:02
	udhcpc_once "$ns2" cli0 "$WORK/new"
	addr2=$(env_of "$WORK/new.bound" ip)
	wait_until 10 grep -q '"02:00:00:00:05:02"' "$STATE/leases.json"
	kill -KILL "$MAIN_PID"
	wait "$MAIN_PID" 2>/dev/null || true
	MAIN_PID=""
	rmmod pxe
	unit_run start
	expect_eq "lease of 02:00:00:00:05:02 after kill, rmmod and start" "$addr2" \
		"$(lease_ip 02:00:00:00:05:02)"
	expect_eq "lease of $mac after kill, rmmod and start" "$addr" "$(lease_ip "$mac")"
	ip2 addr flush dev cli0
	udhcpc_once "$ns2" cli0 "$WORK/new-again"
	expect_eq "address of 02:00:00:00:05:02 after the restart" "$addr2" \
		"$(env_of "$WORK/new-again.bound" ip)"

	behaviour failed_start_unloads_the_module
	unit_run stop
	echo "link add dev no-such-dev" >"$CONF"
	! unit_run start || false
	[ ! -d /sys/module/pxe ] || { log "pxe is still loaded after a failed start"; false; }
}
