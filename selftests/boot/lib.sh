# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by selftests/boot/run and scripts/demo: the client half of a
# firmware boot.  Source it; it defines functions only.
#
# A client is a plain qemu on the host, TCG, no disk, joining the server
# VM's second NIC through a qemu socket netdev on 127.0.0.1.  Its firmware
# is the real thing: SeaBIOS + iPXE's e1000 ROM (ipxe-qemu) for BIOS, OVMF
# with EDK2's own PXE (romfile= keeps iPXE's ROM off the NIC) for UEFI.

# shellcheck disable=SC2034 # used by the scripts that source this
BOOT_OVMF_CODE=/usr/share/OVMF/OVMF_CODE.fd
# shellcheck disable=SC2034
BOOT_OVMF_VARS=/usr/share/OVMF/OVMF_VARS.fd	# copied per client
# Secure Boot: Microsoft's keys enrolled, SMM (q35) guarding the variables.
# shellcheck disable=SC2034
BOOT_OVMF_CODE_MS=/usr/share/OVMF/OVMF_CODE_4M.ms.fd
# shellcheck disable=SC2034
BOOT_OVMF_VARS_MS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd	# copied per client
# ARM64: AAVMF, EDK2 for qemu's virt machine (qemu-efi-aarch64).
# shellcheck disable=SC2034
BOOT_AAVMF_CODE=/usr/share/AAVMF/AAVMF_CODE.fd
# shellcheck disable=SC2034
BOOT_AAVMF_VARS=/usr/share/AAVMF/AAVMF_VARS.fd	# copied per client
BOOT_BUSYBOX=/bin/busybox

# boot_free_port: a TCP port on 127.0.0.1 nobody listens on now.
boot_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# boot_mkinitrd MARKER OUT [PAD_MB]: a busybox-static initramfs (cpio, gzip)
# whose /init prints MARKER on the console and powers off.  PAD_MB adds an
# incompressible file that comes first in the archive, so /init exists only
# if the whole initrd arrived and unpacked.
boot_mkinitrd() {
	local marker=$1 out=$2 pad=${3:-0} dir
	dir=$(mktemp -d /tmp/boot-initrd.XXXXXX)
	mkdir -p "$dir/bin" "$dir/dev" "$dir/proc"
	cp "$BOOT_BUSYBOX" "$dir/bin/busybox"
	mknod "$dir/dev/console" c 5 1
	cat >"$dir/init" <<-EOF
	#!/bin/busybox sh
	/bin/busybox echo
	/bin/busybox echo "$marker"
	/bin/busybox poweroff -f
	EOF
	chmod 755 "$dir/init"
	[ "$pad" -eq 0 ] || head -c "${pad}M" /dev/urandom >"$dir/pad"
	(cd "$dir" && { [ "$pad" -eq 0 ] || echo pad; find . ! -name pad ! -name . | sed 's|^\./||'; } |
		cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	rm -rf "$dir"
}

# boot_client_cmd ARRAY FIRMWARE MAC PORT SERIAL_LOG [MEMORY_MB] [VARS_FILE]:
# the qemu command line of a client VM into ARRAY.  FIRMWARE is bios, uefi,
# uefi6 (its IPv4 PXE off: PXEv6 alone), uefi-http (UEFI HTTP Boot), uefi-sb
# (Secure Boot on) or arm64 (AAVMF on
# qemu-system-aarch64's virt machine); uefi needs a writable copy of
# OVMF_VARS.fd, uefi-sb one of OVMF_VARS_4M.ms.fd, arm64 one of
# AAVMF_VARS.fd (VARS_FILE).
boot_client_cmd() {
	local -n boot_cmd_out=$1
	local fw=$2 mac=$3 port=$4 serial=$5 mem=${6:-} vars=${7:-}
	local qemu=qemu-system-x86_64 cpu=qemu64
	[ "$fw" != arm64 ] || qemu=qemu-system-aarch64 cpu=cortex-a57
	boot_cmd_out=("$qemu" -nodefaults -cpu "$cpu" -smp 1
		-display none -monitor none -no-reboot
		-serial "file:$serial"
		-netdev "socket,id=n0,connect=127.0.0.1:$port")
	case $fw in
	arm64)
		boot_cmd_out+=(-machine virt -m "${mem:-1024}"
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$BOOT_AAVMF_CODE"
			-drive "if=pflash,format=raw,unit=1,file=$vars"
			-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
	bios)
		boot_cmd_out+=(-machine pc -m "${mem:-256}" -boot n
			-device "e1000,netdev=n0,mac=$mac") ;;
	uefi-sb)
		boot_cmd_out+=(-machine q35,smm=on -m "${mem:-512}"
			-global driver=cfi.pflash01,property=secure,value=on
			-global ICH9-LPC.disable_s3=1
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$BOOT_OVMF_CODE_MS"
			-drive "if=pflash,format=raw,unit=1,file=$vars"
			-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
	uefi|uefi6|uefi-http)
		# uefi-http: its PXE off (EDK2 tries PXEv4, PXEv6, then HTTPv4);
		# uefi6: PXEv4 off.
		[ "$fw" = uefi ] ||
			boot_cmd_out+=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no)
		[ "$fw" != uefi-http ] ||
			boot_cmd_out+=(-fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=no)
		boot_cmd_out+=(-machine pc -m "${mem:-512}"
			-drive "if=pflash,format=raw,readonly=on,file=$BOOT_OVMF_CODE"
			-drive "if=pflash,format=raw,file=$vars"
			-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
	*)
		return 1 ;;
	esac
}
