#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages as an admin uses them (docs/packaging.md): both .deb
# files of `make deb` install, DKMS builds pxe.ko for the running kernel,
# and pxe.service's commands load it, apply /etc/pxe/pxe.conf, serve a
# udhcpc client and a TFTP download, apply a changed file on reload, keep
# the lease file current (the writer, its last write at stop), unload the
# module at stop, and bring the leases back at the next start, also after
# the writer was killed and the module removed without a stop.
#
# The unit's commands run as lib_unit.sh says;
# service_lifecycle_in_place.sh runs the same behaviours (unit_lifecycle)
# with the tree's unit, pxectl and module in `make check`.
#
# Not in `make check` (selftests/Makefile leaves it out): it needs the
# packages in build/deb/, and DKMS's build of the module under emulation
# takes 15 to 20 minutes.  By hand:
#
#   make deb && selftests/vm-run -k KVER --no-module --timeout 2400 -- \
#	selftests/package_installs_and_serves.sh
set -e
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dhcp.sh"
source "$(dirname "$0")/lib_unit.sh"

UNIT=/lib/systemd/system/pxe.service
VERSION=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
DEBS=("$TOP/build/deb/pxe-dkms_${VERSION}_all.deb"
	"$TOP/build/deb/pxectl_${VERSION}_$(dpkg --print-architecture).deb")
IMAGES=/srv/pxe-test
STATE=/var/lib/pxe
CONF=/etc/pxe/pxe.conf
UNIT_SED=(-e 's|%S|/var/lib|g')

cleanup_test() {
	unit_cleanup
	dpkg --purge pxectl pxe-dkms
	dhcp_lib_cleanup
}

for deb in "${DEBS[@]}"; do
	[ -f "$deb" ] || { log "no $deb: run make deb on the host first"; exit 1; }
done
[ ! -d /sys/module/pxe ] || rmmod pxe
unit_topology

behaviour both_packages_install
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${DEBS[@]}" \
	>"$WORK/apt.log" 2>&1 || { sed 's/^/#   /' "$WORK/apt.log" | tail -n 40; false; }
expect_eq "installed" "ii ii" "$(dpkg-query -W -f='${db:Status-Abbrev}' pxe-dkms pxectl | tr -s ' ' | sed 's/ $//')"
# From here on the packaged pxectl, not the checkout's.
PXECTL=/usr/sbin/pxectl

behaviour dkms_built_the_module_for_the_running_kernel
dkms status -m pxe -v "$VERSION" -k "$(uname -r)" | tee "$WORK/dkms" | sed 's/^/# /'
grep -q ': installed' "$WORK/dkms"
[[ $(modinfo -n pxe) == */updates/dkms/pxe.ko* ]] || { log "modprobe finds $(modinfo -n pxe)"; false; }

behaviour config_is_a_conffile
dpkg-query -W -f='${Conffiles}\n' pxectl | grep -q '^ /etc/pxe/pxe.conf '

unit_lifecycle

behaviour purge_removes_the_module
dpkg --purge pxectl pxe-dkms >"$WORK/purge.log" 2>&1 || { sed 's/^/#   /' "$WORK/purge.log"; false; }
! modinfo pxe >/dev/null 2>&1 || { log "modinfo still finds $(modinfo -n pxe)"; false; }
[ ! -e /etc/pxe/pxe.conf ]
