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
# selftests/check runs it on 6.12 after `make deb` (the package stage), by
# hand:
#
#   make deb && selftests/package_check && \
#	selftests/vm-run -k KVER --timeout 2400 -- \
#	make -s -C selftests run_tests ONLY=package_installs_and_serves
#
# DKMS compiles through ccache (Debian's kernel headers use it when
# DEBIAN_KERNEL_USE_CCACHE is set) from build/dkms-ccache, which
# package_check's DKMS builds of the same source in the same place filled:
# gcc's objects, without the ten minutes gcc takes under emulation.  The
# rest of the build (modpost, link, BTF, signing) and the install run here.
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
	# The tree's module again, for vm-run's unload check.
	[ ! -e "$PXE_KO" ] || ensure_module
}

for deb in "${DEBS[@]}"; do
	[ -f "$deb" ] || { log "no $deb: run make deb on the host first"; exit 1; }
done
[ ! -d /sys/module/pxe ] || rmmod pxe
unit_topology

CCACHE=$TOP/build/dkms-ccache
# The locale as package_check's builds had it: ccache hashes it.
APT_ENV=(-u LC_ALL -u LC_CTYPE -u LC_MESSAGES LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
if [ -d "$CCACHE" ]; then
	mkdir -p "$WORK/ccache"
	APT_ENV+=(DEBIAN_KERNEL_USE_CCACHE=1 CCACHE_DIR="$CCACHE" CCACHE_READONLY=1
		CCACHE_TEMPDIR="$WORK/ccache" CCACHE_LOGFILE="$WORK/ccache.log")
fi
# This VM's man-db does not re-index every page at each install (minutes
# under emulation); the page itself is package_check's.
echo 'man-db man-db/auto-update boolean false' | debconf-set-selections

behaviour both_packages_install
t0=$SECONDS
env "${APT_ENV[@]}" apt-get install -y --no-install-recommends "${DEBS[@]}" \
	>"$WORK/apt.log" 2>&1 || { sed 's/^/#   /' "$WORK/apt.log" | tail -n 40; false; }
log "apt-get install took $((SECONDS - t0)) s; compiles from $CCACHE:" \
	"$(grep -c 'Result: direct_cache_hit$' "$WORK/ccache.log" 2>/dev/null) hits," \
	"$(grep -c 'Result: cache_miss$' "$WORK/ccache.log" 2>/dev/null) misses"
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
