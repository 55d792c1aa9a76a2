#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A BOOT_NEW request spoken directly (raw generic netlink), for attribute
# combinations pxectl never sends: BOOT_ARCH_ALT alone, or with a code no
# pxectl name stands for.  Used by pxectl_boot_commands.sh:
#
#	boot_nl.py new [arch=N] [arch-alt=N] file=PATH
#
# Prints "OK ID" when the rule was added, else the errno name and the
# kernel's extack message ("EINVAL: ..."); exits 0 either way.
import errno
import struct
import sys

from image_nl import ATTR, CMD, Genl, attr

U16 = {"arch": "PXE_A_BOOT_ARCH", "arch-alt": "PXE_A_BOOT_ARCH_ALT"}


def u16_attr(kind, value):
    # A u16 payload padded to 4 bytes; the length field says 6.
    return struct.pack("=HHH", 6, kind, value) + b"\0\0"


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "new":
        print("usage: boot_nl.py new [arch=N] [arch-alt=N] file=PATH")
        return 2
    attrs = []
    for arg in sys.argv[2:]:
        key, _, value = arg.partition("=")
        if key in U16:
            attrs.append(u16_attr(ATTR[U16[key]], int(value)))
        elif key == "file":
            attrs.append(attr(ATTR["PXE_A_BOOT_FILE"], value))
        else:
            print(f"boot_nl.py: unknown attribute '{key}'")
            return 2
    nl = Genl()
    err, text, reply = nl.request(CMD["PXE_CMD_BOOT_NEW"], attrs)
    nl.close()
    if err:
        print(f"{errno.errorcode.get(err, str(err))}: {text}")
    else:
        print("OK %u" % struct.unpack("=I", reply[ATTR["PXE_A_BOOT_ID"]])[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
