#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one DHCP message in any client state and print the reply (pxe selftests).

    dhcp_client.py --dev IF TYPE [--mac MAC] [--ciaddr A] [--giaddr A]
                   [--requested A] [--server-id A] [--option82 HEX]
                   [--unicast] [--to ADDR] [--sport N] [--timeout S]
                   [--expect-none]

TYPE is discover, request, decline, release or inform.  The fields and
options given make the RFC 2131 state: --requested alone is INIT-REBOOT,
with --server-id SELECTING, --ciaddr RENEWING (with --to SERVER) or
REBINDING; --giaddr with --option82 (raw bytes, hex) and --sport 67 is a
relay agent forwarding a client's message.  The broadcast flag is set
unless --unicast.

The message goes from 0.0.0.0 (or the device's address) :SPORT (default
68) to ADDR:67 (default 255.255.255.255) out of IF.  The first reply with
the message's xid that arrives within --timeout seconds is printed as one
JSON line: to (the reply's destination address:port), type, yiaddr,
ciaddr, siaddr, giaddr, options (code -> hex bytes, as on the wire).
Exit 0 when a reply came, 1 when none did; --expect-none inverts that.
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
IP_PKTINFO = 8
TYPES = {"discover": 1, "request": 3, "decline": 4, "release": 7,
         "inform": 8}


def mac_of(dev):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16s16x", dev.encode())
        return fcntl.ioctl(s.fileno(), SIOCGIFHWADDR, req)[18:24]


def option(code, data):
    return bytes([code, len(data)]) + data


def build(args, xid, mac):
    addr = socket.inet_aton
    flags = 0 if args.unicast else 0x8000
    msg = struct.pack("!BBBBIHH", 1, 1, 6, 1 if args.giaddr else 0, xid, 0,
                      flags)
    msg += addr(args.ciaddr) + bytes(8) + addr(args.giaddr)
    msg += mac.ljust(16, b"\0") + bytes(64 + 128)
    msg += struct.pack("!I", 0x63825363)
    msg += option(53, bytes([TYPES[args.type]]))
    if args.requested:
        msg += option(50, addr(args.requested))
    if args.server_id:
        msg += option(54, addr(args.server_id))
    msg += option(55, bytes([1, 3, 6, 15, 28, 51, 54, 66, 67]))
    if args.option82:
        # Relay agents append 82 last (RFC 3046 2.1).
        msg += option(82, bytes.fromhex(args.option82))
    return msg + b"\xff"


def decode(data, to):
    ciaddr, yiaddr, siaddr, giaddr = (socket.inet_ntoa(data[i:i + 4])
                                      for i in (12, 16, 20, 24))
    options = {}
    i = 240
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        code, length = data[i], data[i + 1]
        options[str(code)] = data[i + 2:i + 2 + length].hex()
        i += 2 + length
    return {"to": to, "type": int(options.get("53", "00"), 16),
            "yiaddr": yiaddr, "ciaddr": ciaddr, "siaddr": siaddr,
            "giaddr": giaddr, "options": options}


def receive(sock, xid, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return None
        data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(12))
        if len(data) < 240 or data[0] != 2 or \
                struct.unpack("!I", data[4:8])[0] != xid:
            continue
        dst = "?"
        for level, kind, cdata in anc:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                dst = socket.inet_ntoa(cdata[8:12])
        return decode(data, f"{dst}:{sock.getsockname()[1]}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("type", choices=list(TYPES))
    p.add_argument("--dev", required=True)
    p.add_argument("--mac")
    p.add_argument("--ciaddr", default="0.0.0.0")
    p.add_argument("--giaddr", default="0.0.0.0")
    p.add_argument("--requested")
    p.add_argument("--server-id")
    p.add_argument("--option82")
    p.add_argument("--unicast", action="store_true")
    p.add_argument("--to", default="255.255.255.255")
    p.add_argument("--sport", type=int, default=68)
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--expect-none", action="store_true")
    args = p.parse_args()

    mac = bytes.fromhex(args.mac.replace(":", "")) if args.mac \
        else mac_of(args.dev)
    xid = random.getrandbits(32)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.dev.encode())
    sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    sock.bind(("", args.sport))
    sock.sendto(build(args, xid, mac), (args.to, 67))

    reply = receive(sock, xid, args.timeout)
    if reply:
        print(json.dumps(reply), flush=True)
    if args.expect_none:
        return 1 if reply else 0
    return 0 if reply else 1


if __name__ == "__main__":
    sys.exit(main())
