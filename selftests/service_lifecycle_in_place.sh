#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pxe.service's life, with the tree's unit (systemd/pxe.service), pxectl
# and module instead of the packaged ones: it starts (the module loaded,
# /etc/pxe/pxe.conf applied, the lease file restored, the lease writer
# running), serves a udhcpc client and a TFTP download, applies a changed
# file on reload without losing the lease, writes the lease file a last
# time at stop and unloads the module, restores the leases at the next
# start, also after the writer was killed and the module removed without
# a stop, and unloads the module when a start fails.  The behaviours are
# lib_unit.sh's unit_lifecycle, which package_installs_and_serves.sh runs
# on the installed packages.  The unit's paths are rewritten: the tree's
# pxectl for /usr/sbin/pxectl, insmod and rmmod for modprobe, a state
# directory and configuration file of the test's own.
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_unit.sh"

UNIT=$TOP/systemd/pxe.service
IMAGES=$WORK/images
STATE=$WORK/state/pxe
CONF=$WORK/pxe.conf
UNIT_SED=(-e "s|/usr/sbin/pxectl|$PXECTL|g"
	-e "s|/sbin/modprobe -r pxe|rmmod pxe|"
	-e "s|/sbin/modprobe pxe|insmod $PXE_KO|"
	-e "s|%S/pxe|$STATE|g"
	-e "s|/etc/pxe/pxe.conf|$CONF|g")

cleanup_test() {
	unit_cleanup
	dhcp_lib_cleanup
	# vm-run unloads the module after the test.
	ensure_module
}

[ ! -d /sys/module/pxe ] || rmmod pxe
unit_topology
unit_lifecycle
