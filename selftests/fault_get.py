#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# One GET request pxectl never sends (its show commands dump and filter),
# for the fault-injection selftest to fail the handler's reply:
#
#	fault_get.py pool NAME		POOL_GET of one pool
#	fault_get.py link IFNAME	LINK_GET of one link
#
# Prints the answer's errno name ("OK" when it succeeded) and exits 0.
import errno
import sys

from image_nl import ATTR, CMD, Genl, attr

WHAT = {
    "pool": ("PXE_CMD_POOL_GET", "PXE_A_POOL_NAME"),
    "link": ("PXE_CMD_LINK_GET", "PXE_A_IFNAME"),
}


def main():
    cmd, name_attr = WHAT[sys.argv[1]]
    nl = Genl()
    err, text, _ = nl.request(CMD[cmd], [attr(ATTR[name_attr], sys.argv[2])])
    print(errno.errorcode.get(err, str(err)) if err else "OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
