#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one DHCPv6 frame crafted with scapy and print the replies (pxe
selftests).

    dhcp6_send.py --dev IF KIND [--timeout S] [--expect-none]

KIND is a good Solicit (solicit) or a frame broken in exactly one way:

    bad-payload-length  IPv6 payload length 8 bytes past the frame
    bad-udp-length      UDP length 8 bytes past the IPv6 payload
    ext-header          a hop-by-hop options header before UDP
    bad-checksum        a UDP checksum off by one bit
    zero-checksum       UDP checksum 0 (invalid over IPv6)
    truncated           a DHCPv6 message of 3 bytes
    bad-option          an option whose length runs past the message
    foreign-server-id   a Request naming another server's DUID

Everything else is a well-formed Solicit (or Request) from IF's
link-local address and MAC, port 546, to ff02::1:2 port 547, so the
server's drop counter for that one defect is what moves.  Each reply
arriving on :546 within --timeout seconds is printed as one JSON line:
type, xid, options (code -> hex).  Exit 0 when a reply came, 1 when none
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
ALL_DHCP_SERVERS = "ff02::1:2"


def mac_of(dev):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16s16x", dev.encode())
        return fcntl.ioctl(s.fileno(), SIOCGIFHWADDR, req)[18:24]


def link_local_of(dev):
    # /proc/net is this namespace's.
    with open("/proc/net/if_inet6") as f:
        for line in f:
            addr, _, _, scope, _, name = line.split()
            if name == dev and scope == "20":
                return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(addr))
    sys.exit(f"dhcp6_send.py: {dev} has no link-local address")


def option(code, data):
    return struct.pack("!HH", code, len(data)) + data


def message(kind, xid, mac):
    duid = struct.pack("!HH", 3, 1) + mac
    msg_type = 3 if kind == "foreign-server-id" else 1
    msg = struct.pack("!I", (msg_type << 24) | xid)
    msg += option(1, duid)
    if kind == "foreign-server-id":
        msg += option(2, struct.pack("!HH", 3, 1) + bytes.fromhex("020000000099"))
    msg += option(3, struct.pack("!III", 0x0a0b0c0d, 0, 0))
    msg += option(8, b"\0\0")
    msg += option(6, struct.pack("!H", 23))
    if kind == "truncated":
        return msg[:3]
    if kind == "bad-option":
        msg += struct.pack("!HH", 23, 32) + b"\0" * 4
    return msg


def frame(kind, dev, xid):
    from scapy.layers.inet import UDP
    from scapy.layers.inet6 import IPv6, IPv6ExtHdrHopByHop
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    mac = mac_of(dev)
    payload = Raw(message(kind, xid, mac))
    eth = Ether(src=mac, dst="33:33:00:01:00:02")
    ip6 = IPv6(src=link_local_of(dev), dst=ALL_DHCP_SERVERS, hlim=1)
    udp = UDP(sport=546, dport=547)
    if kind == "ext-header":
        return bytes(eth / ip6 / IPv6ExtHdrHopByHop() / udp / payload)
    good = eth / ip6 / udp / payload
    if kind == "bad-payload-length":
        good[IPv6].plen = len(good[UDP]) + 8
    elif kind == "bad-udp-length":
        good[UDP].len = len(good[UDP]) + 8
    elif kind == "zero-checksum":
        good[UDP].chksum = 0
    elif kind == "bad-checksum":
        good[UDP].chksum = Ether(bytes(good))[UDP].chksum ^ 1
    return bytes(good)


def decode(data):
    if len(data) < 4:
        return {"type": None}
    msg_type, xid = data[0], struct.unpack("!I", b"\0" + data[1:4])[0]
    options, off = {}, 4
    while off + 4 <= len(data):
        code, length = struct.unpack("!HH", data[off:off + 4])
        options[str(code)] = data[off + 4:off + 4 + length].hex()
        off += 4 + length
    return {"type": msg_type, "xid": xid, "options": options}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dev", required=True)
    p.add_argument("kind", choices=[
        "solicit", "bad-payload-length", "bad-udp-length", "ext-header",
        "bad-checksum", "zero-checksum", "truncated", "bad-option",
        "foreign-server-id"])
    p.add_argument("--timeout", type=float, default=5)
    p.add_argument("--expect-none", action="store_true")
    args = p.parse_args()

    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.dev.encode())
    rx.bind(("::", 546))
    xid = random.getrandbits(24)
    data = frame(args.kind, args.dev, xid)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((args.dev, 0))
    tx.send(data)

    got = 0
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([rx], [], [], left)[0]:
            break
        reply = decode(rx.recv(65536))
        print(json.dumps(reply), flush=True)
        got += 1
    sys.exit(0 if bool(got) != args.expect_none else 1)


if __name__ == "__main__":
    main()
