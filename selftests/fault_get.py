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

from pxe_ynl import Genl

# The operation and the attribute naming its object, as the spec names them.
WHAT = {
    "pool": ("pool-get", "pool-name"),
    "link": ("link-get", "ifname"),
}


def main():
    op, name_attr = WHAT[sys.argv[1]]
    nl = Genl()
    err, text, _ = nl.request(op, {name_attr: sys.argv[2]})
    print(errno.errorcode.get(err, str(err)) if err else "OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
