#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own netlink CLI, tools/net/ynl/cli.py of linux-source-6.12
# (extracted into .ynl/ by `make -C selftests all`), drives the module from
# docs/netlink/pxe.yaml alone, as docs/netlink/README.md tells a user to:
#  - the operations the spec lists, with their do and dump and their
#    permission, are the commands the kernel registered for the family (as
#    the kernel's controller reports them, read with cli.py and the kernel's
#    nlctrl spec);
#  - every object is made by a cli.py `do`, then pxectl -j shows it with
#    what was given, and cli.py's `do` (where the operation has one) and
#    `dump` read back what pxectl shows; images, which only an upload on one
#    socket makes, are loaded by pxectl and read back by cli.py;
#  - cli.py deletes what it made, and a refused request prints the errno
#    and the module's extack message.
#
#   +-----------------------------------------+
#   | $ns1                                    |
#   |   d1 10.0.1.1/24                        |
#   +-----------------------------------------+
set -e
source "$(dirname "$0")/lib.sh"

YNL_DIR=$TOP/.ynl/tools/net/ynl
SPEC=$TOP/docs/netlink/pxe.yaml
[ -f "$YNL_DIR/cli.py" ] ||
	{ log "$YNL_DIR/cli.py is missing: make -C selftests all extracts it"; exit 1; }

# cli1 ARGS...: cli.py with the pxe spec in $ns1, replies as JSON.  The
# spec stage validates the spec with the schema on the host; here the first
# behaviour does once more, the rest load it without.
cli1() {
	n1 "$PYTHON" "$YNL_DIR/cli.py" --spec "$SPEC" --no-schema \
		--output-json "$@"
}

# cli_reads_back OP ROW WANT [DO_JSON]: cli.py's dump of OP, and its do
# with DO_JSON when given, as rows (ROW: a Python expression over one
# object, `o`), are WANT.
cli_reads_back() {
	local op=$1 row=$2 want=$3 do_json=${4:-}

	expect_eq "cli.py --dump $op" "$want" \
		"$(cli1 --dump "$op" | json_query "[$row for o in j]")"
	[ -z "$do_json" ] || expect_eq "cli.py --do $op" "$want" \
		"$(cli1 --do "$op" --json "$do_json" | json_query "[$row for o in [j]]")"
}

# ip_int ADDR: an IPv4 address as the integer cli.py takes for a u32.
ip_int() {
	"$PYTHON" -c 'import ipaddress, sys; print(int(ipaddress.IPv4Address(sys.argv[1])))' "$1"
}

WORK=$(mktemp -d /tmp/pxe-ynl-cli.XXXXXX)
cleanup_test() { rm -rf "$WORK"; }

ensure_module
netns_add "$ns1"
dummy_add "$ns1" d1 10.0.1.1/24

behaviour list_ops_are_the_commands_the_kernel_registered
# With the schema, as a user runs it first.
ops=$(n1 "$PYTHON" "$YNL_DIR/cli.py" --spec "$SPEC" \
	--schema "$TOP/.ynl/Documentation/netlink/genetlink-legacy.yaml" --list-ops)
spec_ops=$("$PYTHON" - "$SPEC" "$YNL_DIR" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from lib import SpecFamily
for op in SpecFamily(sys.argv[1], '').ops.values():
    modes = sorted(op.modes & {'do', 'dump'})
    if modes:
        print(op.name, op.req_value, ','.join(modes),
              ','.join(op.yaml.get('flags', [])) or '-')
PY
)
# cli.py lists each operation with its modes ("link-get  [ do, dump ]"); the
# controller gives each command's id and flags.
kernel_ops=$(n1 "$PYTHON" "$YNL_DIR/cli.py" --no-schema --output-json \
	--spec "$TOP/.ynl/Documentation/netlink/specs/nlctrl.yaml" \
	--do getfamily --json '{"family-name": "pxe"}' | "$PYTHON" -c '
import json, sys
fam = json.load(sys.stdin)
for entry in fam["ops"]:
    for op in entry.values():
        f = op["flags"]
        modes = [m for m, c in (("do", "cmd-cap-do"), ("dump", "cmd-cap-dump")) if c in f]
        perm = [p for p in ("admin-perm", "uns-admin-perm") if p in f]
        print(op["id"], ",".join(modes), ",".join(perm) or "-")')
expect_eq "operations cli.py lists (name and modes)" \
	"$(awk '{ print $1, $3 }' <<<"$spec_ops" | sort)" \
	"$("$PYTHON" -c '
import re, sys
for line in sys.stdin:
    m = re.fullmatch(r"([a-z-]+)  \[ (.*) \]\n?", line)
    modes = sorted(m[2].split(", ")) if m and m[2] else []
    if modes:
        print(m[1], ",".join(modes))' <<<"$ops" | sort)"
expect_eq "the spec's commands (value, modes, permission) and the kernel's" \
	"$(awk '{ print $2, $3, $4 }' <<<"$spec_ops" | sort -n)" \
	"$(sort -n <<<"$kernel_ops")"

behaviour link_new_by_cli_shows_in_pxectl_and_reads_back
expect_eq "link-new reply" null "$(cli1 --do link-new --json '{"ifname": "d1"}')"
ifindex=$(ip1 -j link show d1 | json_query 'j[0]["ifindex"]')
want=$(pxe1 -j link show | json_query '[[l["dev"], l["ifindex"], l["server"], l["rx_packets"]] for l in j]')
expect_eq "pxectl link show" "[[\"d1\", $ifindex, \"10.0.1.1\", 0]]" "$want"
cli_reads_back link-get '[o["ifname"], o["ifindex"], o["link-server"], o["link-rx-packets"]]' \
	"$want" "{\"ifindex\": $ifindex}"

behaviour pool_new_by_cli_shows_in_pxectl_and_reads_back
expect_eq "pool-new reply" null "$(cli1 --do pool-new --json "{
	\"pool-name\": \"lan\", \"ifname\": \"d1\",
	\"pool-start\": $(ip_int 10.0.1.100), \"pool-end\": $(ip_int 10.0.1.149),
	\"pool-netmask\": $(ip_int 255.255.255.0), \"pool-router\": $(ip_int 10.0.1.254),
	\"pool-dns\": \"0a0001010a000102\", \"pool-domain\": \"lab.example\",
	\"pool-lease-time\": 600}")"
want=$(pxe1 -j pool show | json_query '[[p["name"], p["dev"], p["start"], p["end"], p["netmask"], p["router"], p["dns"], p["domain"], p["lease"], p["size"], p["used"], p["proxy"]] for p in j]')
expect_eq "pxectl pool show" \
	'[["lan", "d1", "10.0.1.100", "10.0.1.149", "255.255.255.0", "10.0.1.254", "10.0.1.1,10.0.1.2", "lab.example", 600, 50, 0, false]]' \
	"$want"
cli_reads_back pool-get '[o["pool-name"], o["ifname"], o["pool-start"], o["pool-end"], o["pool-netmask"], o["pool-router"], ",".join(str(__import__("ipaddress").IPv4Address(bytes.fromhex(o["pool-dns"][i:i + 8]))) for i in range(0, len(o["pool-dns"]), 8)), o["pool-domain"], o["pool-lease-time"], o["pool-size"], o["pool-used"], "pool-proxy" in o]' \
	"$want" '{"pool-name": "lan"}'

behaviour host_new_by_cli_shows_in_pxectl_and_reads_back
expect_eq "host-new reply" null "$(cli1 --do host-new --json "{
	\"host-mac\": \"525400aa0001\", \"host-addr\": $(ip_int 10.0.1.10),
	\"host-name\": \"rack1\"}")"
want=$(pxe1 -j host show | json_query '[[h["mac"], h["ip"], h["name"]] for h in j]')
expect_eq "pxectl host show" '[["52:54:00:aa:00:01", "10.0.1.10", "rack1"]]' "$want"
cli_reads_back host-get '[":".join(o["host-mac"][i:i + 2] for i in range(0, 12, 2)), o["host-addr"], o["host-name"]]' \
	"$want"

behaviour boot_new_by_cli_answers_the_id_pxectl_shows
id=$(cli1 --do boot-new --json "{
	\"boot-arch\": 7, \"boot-arch-alt\": 9, \"boot-vendor\": \"PXEClient\", \"boot-user-class\": \"iPXE\",
	\"boot-mac\": \"525400000000\", \"boot-mac-len\": 24, \"boot-pool\": \"lan\",
	\"boot-file\": \"ipxe.efi\", \"boot-server\": $(ip_int 10.0.1.2),
	\"boot-prio\": 10}" | json_query 'j["boot-id"]')
want=$(pxe1 -j boot show | json_query '[[b["id"], b["prio"], b["arch"], b["vendor"], b["user_class"], b["mac"], b["pool"], b["file"], b["server"], b["hits"]] for b in j]')
expect_eq "pxectl boot show" \
	"[[$id, 10, \"efi-x64\", \"PXEClient\", \"iPXE\", \"52:54:00:00:00:00/24\", \"lan\", \"ipxe.efi\", \"10.0.1.2\", 0]]" \
	"$want"
cli_reads_back boot-get '[o["boot-id"], o["boot-prio"], o["boot-arch"], o["boot-arch-alt"], o["boot-vendor"], o["boot-user-class"], o["boot-mac"], o["boot-mac-len"], o["boot-pool"], o["boot-file"], o["boot-server"], o["boot-hits"]]' \
	"[[$id, 10, 7, 9, \"PXEClient\", \"iPXE\", \"525400000000\", 24, \"lan\", \"ipxe.efi\", \"10.0.1.2\", 0]]"

behaviour lease_new_by_cli_shows_in_pxectl_and_reads_back
t0=$SECONDS
expect_eq "lease-new reply" null "$(cli1 --do lease-new --json "{
	\"lease-mac\": \"525400bb0002\", \"lease-addr\": $(ip_int 10.0.1.120),
	\"lease-expires\": 500, \"lease-hostname\": \"node2\"}")"
shown=$(pxe1 -j lease show)
got=$(cli1 --dump lease-get)
elapsed=$((SECONDS - t0 + 1))
want=$(json_query '[[l["mac"], l["ip"], l["pool"], l["state"], l["client_id"], l["hostname"]] for l in j]' <<<"$shown")
expect_eq "pxectl lease show" \
	'[["52:54:00:bb:00:02", "10.0.1.120", "lan", "bound", "01525400bb0002", "node2"]]' "$want"
expect_eq "cli.py --dump lease-get" "$want" \
	"$(json_query '[[":".join(l["lease-mac"][i:i + 2] for i in range(0, 12, 2)), l["lease-addr"], l["lease-pool"], l["lease-state"], l["lease-client-id"], l["lease-hostname"]] for l in j]' <<<"$got")"
# Seconds left count down between the two reads: pxectl's read comes
# first, and both within the seconds this behaviour has taken.
shown_exp=$(json_query 'j[0]["expires"]' <<<"$shown")
got_exp=$(json_query 'j[0]["lease-expires"]' <<<"$got")
if ! [ $((500 - elapsed)) -le "$got_exp" ] || ! [ "$got_exp" -le "$shown_exp" ] ||
   ! [ "$shown_exp" -le 500 ]; then
	log "expires: pxectl $shown_exp, then cli.py $got_exp; expected 500 - $elapsed <= cli.py <= pxectl <= 500"
	false
fi

behaviour image_loaded_by_pxectl_reads_back_through_cli
head -c 70000 /dev/urandom >"$WORK/img"
pxe1 image load boot/x.efi "$WORK/img" >/dev/null
sha=$(sha256sum "$WORK/img" | cut -d' ' -f1)
want=$(pxe1 -j image show | json_query '[[i["name"], i["size"], i["sha256"], i["active"], i["downloads"]] for i in j]')
expect_eq "pxectl image show" "[[\"boot/x.efi\", 70000, \"$sha\", 0, 0]]" "$want"
cli_reads_back image-get '[o["image-name"], o["image-size"], o["image-sha256"], o["image-active"], o["image-downloads"]]' \
	"$want" '{"image-name": "boot/x.efi"}'

behaviour limits_set_by_cli_shows_in_pxectl_and_reads_back
expect_eq "limits-set reply" null "$(cli1 --do limits-set --json '{
	"limit-tftp-sessions": 77, "limit-tftp-blksize": 1400,
	"limit-tftp-port-min": 20000, "limit-tftp-port-max": 20999}')"
want=$(pxe1 -j settings show | json_query 'sorted(j[0].items())')
expect_eq "pxectl settings show (sessions, blksize, ports)" "77 1400 20000 20999" \
	"$(json_query '" ".join(str(dict(j)[k]) for k in ("tftp_sessions", "tftp_blksize", "tftp_port_min", "tftp_port_max"))' <<<"$want")"
expect_eq "cli.py --do limits-get" "$want" \
	"$(cli1 --do limits-get | json_query 'sorted([k.removeprefix("limit-").replace("-", "_"), v] for k, v in j.items())')"

behaviour stats_get_by_cli_is_what_pxectl_shows
# Nothing is sent on d1 (a dummy device): the counters stand still.  pxectl
# prints the two limits beside them, from limits-get.
want=$(pxe1 -j stats | json_query 'sorted([k, v] for k, v in j[0].items() if k not in ("image_memory_limit", "tftp_sessions_limit"))')
expect_ge "counters pxectl shows" 30 "$(json_query 'len(j)' <<<"$want")"
expect_eq "image memory used (pxectl)" 70000 \
	"$(pxe1 -j stats | json_query 'j[0]["image_memory_used"]')"
expect_eq "cli.py --do stats-get" "$want" "$(cli1 --do stats-get | json_query '
sorted([[k.replace("-", "_"), v] for k, v in j["stats"].items()] +
       [["image_memory_used", j["image-memory-used"]],
        ["tftp_sessions_active", j["tftp-sessions-active"]]])')"

behaviour del_by_cli_leaves_pxectl_nothing_to_show
cli1 --do lease-del --json '{"lease-mac": "525400bb0002"}' >/dev/null
cli1 --do image-del --json '{"image-name": "boot/x.efi"}' >/dev/null
cli1 --do boot-del --json "{\"boot-id\": $id}" >/dev/null
cli1 --do host-del --json '{"host-mac": "525400aa0001"}' >/dev/null
cli1 --do pool-del --json '{"pool-name": "lan"}' >/dev/null
cli1 --do link-del --json '{"ifname": "d1"}' >/dev/null
for what in lease image boot host pool link; do
	expect_eq "pxectl -j $what show after the deletes" "[]" "$(pxe1 -j "$what" show)"
done

behaviour refusal_prints_errno_and_extack
rc=0
out=$(cli1 --do link-new --json '{"ifname": "nothere"}') || rc=$?
expect_eq "cli.py exit status" 1 "$rc"
expect_eq "cli.py's first line" "Netlink error: No such device" "$(head -n 1 <<<"$out")"
expect_eq "the module's extack message" "no such network device" \
	"$(sed -n "s/^[[:space:]]*extack: .*'msg': '\([^']*\)'.*/\1/p" <<<"$out")"
