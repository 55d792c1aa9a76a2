#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configurations in examples/ work as shipped: each one, applied with
# `pxectl -b` to a fresh namespace holding the interfaces it names, exits 0
# and leaves exactly what its lines say -- links, pools, reservations, boot
# rules in matching order, images (size and SHA-256 of the files), settings,
# and the batch's own output (rule ids, loaded images).  The expectations
# are derived from each file by examples_expect.py, plus a few values
# spelled out here.  The router's configuration then answers x64 UEFI
# clients (option 93 = 7 and = 9, as firmware and as iPXE) and boots a BIOS
# client: udhcpc gets pxelinux.0 and busybox tftp fetches it, byte for byte.
#
#   router.conf  $ns1: br-lan 192.168.1.1/24 <- lan0 ~veth~ cli0 ($ns2, udhcpc)
#   proxy.conf   $ns3: eth0 192.168.1.2/24
#   lab.conf     $ns4: eth1.10 10.10.0.1/24, eth1.20 10.20.0.1/24 + 10.21.0.1/24
#                      (VLANs on a dummy eth1; dummies if 8021q is missing)
#
# The admin's files under /srv/pxe that the examples load are made here
# (random bytes) where missing, and removed at exit; /srv is a scratch
# overlay in the test VM.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"

EXAMPLES=$TOP/examples
EXPECT=("$PYTHON" "$SELFTESTS/examples_expect.py")
ns4="pxe-$TEST_NAME-$$-4"
CREATED=()

cleanup_test() {
	[ ${#CREATED[@]} -eq 0 ] || rm -f "${CREATED[@]}"
	ip netns del "$ns4" 2>/dev/null
	dhcp_lib_cleanup
}

# srv_files CONF: makes each /srv file CONF loads that does not exist, of
# a size of its own; a missing file elsewhere (Debian's firmware files) is
# an error: scripts/install-deps installs them.
srv_files() {
	local name path
	while read -r name path; do
		[ -e "$path" ] && continue
		if [[ $path != /srv/* ]]; then
			log "$1 loads $name from $path, which is missing"
			return 1
		fi
		mkdir -p "$(dirname "$path")"
		head -c $((1000 + ${#name} * 4099)) /dev/urandom >"$path"
		CREATED+=("$path")
	done < <(sed -n 's/^[[:space:]]*image[[:space:]]\{1,\}load[[:space:]]\{1,\}\([^[:space:]]\{1,\}\)[[:space:]]\{1,\}\([^[:space:]#]\{1,\}\).*/\1 \2/p' "$1")
}

# apply NS CONF: pxectl -b CONF in NS, its output kept in $WORK/CONF.out.
apply() {
	local ns=$1 conf=$EXAMPLES/$2 rc=0
	srv_files "$conf"
	ip netns exec "$ns" "$PXECTL" -b "$conf" >"$WORK/$2.out" 2>"$WORK/$2.err" || rc=$?
	if [ $rc -ne 0 ] || [ -s "$WORK/$2.err" ]; then
		log "pxectl -b $conf: exit $rc, stderr:"
		sed 's/^/#   /' "$WORK/$2.err"
		return 1
	fi
}

# configured_as_written NS CONF: every kind of object matches the file.
configured_as_written() {
	local ns=$1 conf=$EXAMPLES/$2 what rc=0
	for what in settings links pools hosts boot images; do
		ip netns exec "$ns" env PXECTL="$PXECTL" "${EXPECT[@]}" "$conf" "$what" || rc=1
	done
	"${EXPECT[@]}" "$conf" output "$WORK/$2.out" || rc=1
	return $rc
}

# json NS OBJECT EXPR: EXPR over `pxectl -j OBJECT show` in NS.
json() {
	ip netns exec "$1" "$PXECTL" -j "$2" show | json_query "$3"
}

ensure_module
dhcp_scripts

behaviour srv_is_writable_for_the_admin_files
mkdir -p /srv/pxe
touch "/srv/pxe/.$TEST_NAME.$$"
rm "/srv/pxe/.$TEST_NAME.$$"

# ---------------------------------------------------------------------------
behaviour router_conf_applies_to_a_fresh_namespace
netns_add "$ns1"
netns_add "$ns2"
ip1 link add br-lan type bridge
ip1 addr add 192.168.1.1/24 dev br-lan
ip1 link set br-lan up
veth_add "$ns1" lan0 "" "$ns2" cli0
ip1 link set lan0 master br-lan
apply "$ns1" router.conf

behaviour router_conf_configures_what_it_says
configured_as_written "$ns1" router.conf
expect_eq "server of br-lan" 192.168.1.1 "$(json "$ns1" link 'j[0]["server"]')"
expect_eq "pool lan" '["br-lan", "192.168.1.100", "192.168.1.199", "255.255.255.0", 100, 43200]' \
	"$(json "$ns1" pool '[j[0][k] for k in ("dev", "start", "end", "netmask", "size", "lease")]')"
expect_eq "rules in order" '[["efi-x64", "boot.ipxe"], ["bios", "pxelinux.0"], ["efi-x64", "ipxe.efi"]]' \
	"$(json "$ns1" boot '[[r["arch"], r["file"]] for r in j]')"
expect_eq "images" 7 "$(json "$ns1" image 'len(j)')"
expect_eq "image memory" $((512 << 20)) "$(json "$ns1" settings 'j[0]["image_memory"]')"

behaviour router_conf_gives_x64_uefi_ipxe_then_the_script
# One rule per purpose: x64 UEFI firmware sends 7 (EDK2) or 9 (written to
# RFC 4578 before its erratum; older iPXE), and both get the same files.
udhcpc_once "$ns2" cli0 "$WORK/uefi7" -V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007
expect_eq "arch 7 boot file" ipxe.efi "$(env_of "$WORK/uefi7.bound" boot_file)"
udhcpc_once "$ns2" cli0 "$WORK/uefi9" -V PXEClient:Arch:00009:UNDI:003010 -x 0x5d:0009
expect_eq "arch 9 boot file" ipxe.efi "$(env_of "$WORK/uefi9.bound" boot_file)"
udhcpc_once "$ns2" cli0 "$WORK/ipxe7" -V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007 \
	-x 0x4d:69505845
expect_eq "iPXE arch 7 boot file" boot.ipxe "$(env_of "$WORK/ipxe7.bound" boot_file)"
udhcpc_once "$ns2" cli0 "$WORK/ipxe9" -V PXEClient:Arch:00009:UNDI:003010 -x 0x5d:0009 \
	-x 0x4d:69505845
expect_eq "iPXE arch 9 boot file" boot.ipxe "$(env_of "$WORK/ipxe9.bound" boot_file)"

behaviour router_conf_boots_a_bios_client_with_pxelinux
udhcpc_once "$ns2" cli0 "$WORK/bios" -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000
expect_eq "boot file" pxelinux.0 "$(env_of "$WORK/bios.bound" boot_file)"
expect_eq "next server" 192.168.1.1 "$(env_of "$WORK/bios.bound" siaddr)"
addr=$(env_of "$WORK/bios.bound" ip)
ip_in "$addr" 192.168.1.100 192.168.1.199
ip2 addr add "$addr/24" dev cli0
n2 timeout 60 busybox tftp -g -b 1468 -r pxelinux.0 -l "$WORK/pxelinux.0" 192.168.1.1
expect_eq "pxelinux.0 received" "$(sha256sum </usr/lib/PXELINUX/pxelinux.0)" \
	"$(sha256sum <"$WORK/pxelinux.0")"

# ---------------------------------------------------------------------------
behaviour proxy_conf_applies_to_a_fresh_namespace
netns_add "$ns3"
dummy_add "$ns3" eth0 192.168.1.2/24
apply "$ns3" proxy.conf

behaviour proxy_conf_configures_what_it_says
configured_as_written "$ns3" proxy.conf
expect_eq "server of eth0" 192.168.1.2 "$(json "$ns3" link 'j[0]["server"]')"
expect_eq "one proxy pool, no range" '["pxe", "eth0", true, false]' \
	"$(json "$ns3" pool '[j[0]["name"], j[0]["dev"], j[0]["proxy"], "start" in j[0]] if len(j) == 1 else j')"
expect_eq "rules" '[[null, "boot.ipxe"], ["bios", "undionly.kpxe"], ["efi-x64", "ipxe.efi"]]' \
	"$(json "$ns3" boot '[[r.get("arch"), r["file"]] for r in j]')"
expect_eq "images" '["boot.ipxe", "initrd.img", "ipxe.efi", "undionly.kpxe", "vmlinuz"]' \
	"$(json "$ns3" image 'sorted(i["name"] for i in j)')"

# ---------------------------------------------------------------------------
behaviour lab_conf_applies_to_a_fresh_namespace
netns_add "$ns4"
dummy_add "$ns4" eth1
if modprobe 8021q 2>/dev/null &&
   ip -n "$ns4" link add link eth1 name eth1.10 type vlan id 10; then
	ip -n "$ns4" link add link eth1 name eth1.20 type vlan id 20
else
	log "no 802.1Q VLANs here: dummies named eth1.10 and eth1.20 instead"
	ip -n "$ns4" link add eth1.10 type dummy
	ip -n "$ns4" link add eth1.20 type dummy
fi
ip -n "$ns4" addr add 10.10.0.1/24 dev eth1.10
ip -n "$ns4" addr add 10.20.0.1/24 dev eth1.20
ip -n "$ns4" addr add 10.21.0.1/24 dev eth1.20
ip -n "$ns4" link set eth1.10 up
ip -n "$ns4" link set eth1.20 up
apply "$ns4" lab.conf

behaviour lab_conf_configures_what_it_says
configured_as_written "$ns4" lab.conf
expect_eq "links" "eth1.10 eth1.20" "$(link_devs "$ns4")"
expect_eq "pools and devices" '[["servers", "eth1.10"], ["desktops", "eth1.20"], ["overflow", "eth1.20"]]' \
	"$(json "$ns4" pool '[[p["name"], p["dev"]] for p in j]')"
expect_eq "overflow netmask from eth1.20's second address" 255.255.255.0 \
	"$(json "$ns4" pool '[p["netmask"] for p in j if p["name"] == "overflow"][0]')"
expect_eq "reservations" '["10.10.0.10", "10.10.0.11", "10.20.0.10"]' \
	"$(json "$ns4" host 'sorted(h["ip"] for h in j)')"
expect_eq "first rule: build1's iPXE script" '[5, "52:54:00:ab:cd:01", "iPXE", "build1.ipxe"]' \
	"$(json "$ns4" boot '[j[0][k] for k in ("prio", "mac", "user_class", "file")]')"
expect_eq "VM rule's MAC prefix" 52:54:00:00:00:00/24 \
	"$(json "$ns4" boot '[r["mac"] for r in j if r["prio"] == 50][0]')"
expect_eq "settings" "[1073741824, 1024, 16]" \
	"$(json "$ns4" settings '[j[0][k] for k in ("image_memory", "tftp_sessions", "tftp_per_client")]')"

behaviour the_check_sees_a_configuration_that_differs
ip netns exec "$ns4" "$PXECTL" boot del 1
rc=0
ip netns exec "$ns4" env PXECTL="$PXECTL" "${EXPECT[@]}" "$EXAMPLES/lab.conf" boot || rc=$?
expect_eq "examples_expect.py boot after a rule was deleted: exit" 1 "$rc"
