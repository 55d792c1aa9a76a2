#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A BOOT_NEW request spoken directly (generic netlink through the kernel's
# YNL library, pxe_ynl.py), for attribute
# combinations pxectl never sends: BOOT_ARCH_ALT alone, or with a code no
# pxectl name stands for.  Used by pxectl_boot_commands.sh:
#
#	boot_nl.py new [arch=N] [arch-alt=N] file=PATH
#
# Prints "OK ID" when the rule was added, else the errno name and the
# kernel's extack message ("EINVAL: ..."); exits 0 either way.
import errno
import sys

from pxe_ynl import Genl

# The spec's u16 attributes, by their name here.
U16 = {"arch": "boot-arch", "arch-alt": "boot-arch-alt"}


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "new":
        print("usage: boot_nl.py new [arch=N] [arch-alt=N] file=PATH")
        return 2
    attrs = {}
    for arg in sys.argv[2:]:
        key, _, value = arg.partition("=")
        if key in U16:
            attrs[U16[key]] = int(value)
        elif key == "file":
            attrs["boot-file"] = value
        else:
            print(f"boot_nl.py: unknown attribute '{key}'")
            return 2
    nl = Genl()
    err, text, reply = nl.request("boot-new", attrs)
    nl.close()
    if err:
        print(f"{errno.errorcode.get(err, str(err))}: {text}")
    else:
        print("OK %u" % reply["boot-id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
