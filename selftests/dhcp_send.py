#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-made DHCP message and print the replies (pxe selftests).

    dhcp_send.py --dev IF KIND [--to ADDR] [--port N] [--timeout S]
                 [--mac MAC] [--vendor TEXT] [--arch N] [--expect-none]

KIND is a good message (discover, request) or one broken in exactly one
way (truncated, bad-cookie, bad-option, bad-overload, bad-hlen, bad-htype,
bad-op): everything else about it is a well-formed DISCOVER, so the
server's drop counter for that one defect is what moves.

The message goes from 0.0.0.0:68 (or the device's address with --to) to
ADDR:PORT (default 255.255.255.255:67) out of IF.  Each reply that arrives
on :68 (or on the sending socket for unicast) within --timeout seconds is
printed as one JSON line: op, type, xid, yiaddr, siaddr, ciaddr, giaddr,
file, flags, options (code -> hex).  Exit 0 when a reply came, 1 when none
did; --expect-none inverts that.
"""
import argparse
import fcntl
import json
import random
import select
import socket
import struct
import sys
import time

SO_BINDTODEVICE = 25
SIOCGIFHWADDR = 0x8927
COOKIE = 0x63825363


def mac_of(dev):
    # SIOCGIFHWADDR: /sys may show another namespace's devices.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16s16x", dev.encode())
        return fcntl.ioctl(s.fileno(), SIOCGIFHWADDR, req)[18:24]


def option(code, data):
    return bytes([code, len(data)]) + data


def header(op=1, htype=1, hlen=6, xid=0, flags=0x8000, ciaddr=b"\0" * 4,
           chaddr=b"", sname=b"", file=b""):
    return (struct.pack("!BBBBIHH", op, htype, hlen, 0, xid, 0, flags)
            + ciaddr + b"\0" * 12
            + chaddr.ljust(16, b"\0") + sname.ljust(64, b"\0")
            + file.ljust(128, b"\0"))


def build(kind, args, xid, mac):
    msg_type = 3 if kind == "request" else 1
    opts = option(53, bytes([msg_type]))
    if args.vendor:
        opts += option(60, args.vendor.encode())
    if args.arch is not None:
        opts += option(93, struct.pack("!H", args.arch))
        opts += option(94, bytes([1, 2, 1]))
    if args.user_class:
        opts += option(77, args.user_class.encode())
    if args.requested:
        opts += option(50, socket.inet_aton(args.requested))
    if args.server_id:
        opts += option(54, socket.inet_aton(args.server_id))
    opts += option(55, bytes([1, 3, 6, 51, 54, 60, 66, 67, 43]))
    fields = dict(xid=xid, chaddr=mac)
    if args.ciaddr:
        fields["ciaddr"] = socket.inet_aton(args.ciaddr)
        fields["flags"] = 0
    cookie = COOKIE

    if kind == "bad-op":
        # Neither BOOTREQUEST nor BOOTREPLY: a BOOTREPLY (op 2) is not
        # ours at all, the hook leaves it to the stack uncounted.
        fields["op"] = 3
    elif kind == "bad-htype":
        fields["htype"] = 6
    elif kind == "bad-hlen":
        fields["hlen"] = 17
    elif kind == "bad-cookie":
        cookie = 0x63825364
    elif kind == "bad-option":
        # Option 12 says 200 bytes follow; 4 do, and no END.
        opts += bytes([12, 200]) + b"host"
        return header(**fields) + struct.pack("!I", cookie) + opts
    elif kind == "bad-overload":
        # 52 says "file holds options", and file holds 52 again: a loop.
        opts = option(52, b"\x01") + opts
        fields["file"] = option(52, b"\x01") + b"\xff"
    msg = header(**fields) + struct.pack("!I", cookie) + opts + b"\xff"
    if kind == "truncated":
        return msg[:200]
    return msg


def decode(data):
    if len(data) < 240:
        return {"short": len(data)}
    op, _, _, _, xid, _, flags = struct.unpack("!BBBBIHH", data[:12])
    ciaddr, yiaddr, siaddr, giaddr = (socket.inet_ntoa(data[i:i + 4])
                                      for i in (12, 16, 20, 24))
    options = {}
    i = 240
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        code, length = data[i], data[i + 1]
        options.setdefault(str(code), data[i + 2:i + 2 + length].hex())
        i += 2 + length
    msg_type = int(options.get("53", "00"), 16)
    return {"op": op, "type": msg_type, "xid": xid, "flags": flags,
            "ciaddr": ciaddr, "yiaddr": yiaddr, "siaddr": siaddr,
            "giaddr": giaddr,
            "file": data[108:236].split(b"\0")[0].decode("latin-1"),
            "options": options}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kind", choices=["discover", "request", "truncated",
                                    "bad-cookie", "bad-option",
                                    "bad-overload", "bad-hlen", "bad-htype",
                                    "bad-op"])
    p.add_argument("--dev", required=True)
    p.add_argument("--to", default="255.255.255.255")
    p.add_argument("--port", type=int, default=67)
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--mac")
    p.add_argument("--vendor")
    p.add_argument("--arch", type=int)
    p.add_argument("--user-class")
    p.add_argument("--requested")
    p.add_argument("--server-id")
    p.add_argument("--ciaddr")
    p.add_argument("--expect-none", action="store_true")
    args = p.parse_args()

    mac = bytes.fromhex(args.mac.replace(":", "")) if args.mac \
        else mac_of(args.dev)
    xid = random.getrandbits(32)
    msg = build(args.kind, args, xid, mac)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.dev.encode())
    sock.bind(("", 68))
    sock.sendto(msg, (args.to, args.port))

    got = 0
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            break
        data = sock.recv(65536)
        reply = decode(data)
        if reply.get("xid") != xid:
            continue
        print(json.dumps(reply), flush=True)
        got += 1
    if args.expect_none:
        return 1 if got else 0
    return 0 if got else 1


if __name__ == "__main__":
    sys.exit(main())
