#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DISCOVERs whose client ids share one bucket of an unkeyed hash (pxe selftests).

    dhcp_colliding_ids.py DEV COUNT BUCKETS [LEASES_JSON]

Finds COUNT client ids (option 61, 7 bytes) whose jhash(id, 7, 0) modulo
BUCKETS is the same, as the module's lease table hashed them before its
hash got a random key, and sends one DISCOVER per id (each with its own
MAC) out of DEV, skipping the ids that already have a lease in
LEASES_JSON (`pxectl -j lease show`), as a client retransmits.  Prints the
ids, as a JSON list.
"""
import json
import sys

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf, sendp


def rol32(x, k):
    return ((x << k) | (x >> (32 - k))) & 0xffffffff


def mix(a, b, c):
    a = (a - c) & 0xffffffff; a ^= rol32(c, 4); c = (c + b) & 0xffffffff
    b = (b - a) & 0xffffffff; b ^= rol32(a, 6); a = (a + c) & 0xffffffff
    c = (c - b) & 0xffffffff; c ^= rol32(b, 8); b = (b + a) & 0xffffffff
    a = (a - c) & 0xffffffff; a ^= rol32(c, 16); c = (c + b) & 0xffffffff
    b = (b - a) & 0xffffffff; b ^= rol32(a, 19); a = (a + c) & 0xffffffff
    c = (c - b) & 0xffffffff; c ^= rol32(b, 4); b = (b + a) & 0xffffffff
    return a, b, c


def final(a, b, c):
    c ^= b; c = (c - rol32(b, 14)) & 0xffffffff
    a ^= c; a = (a - rol32(c, 11)) & 0xffffffff
    b ^= a; b = (b - rol32(a, 25)) & 0xffffffff
    c ^= b; c = (c - rol32(b, 16)) & 0xffffffff
    a ^= c; a = (a - rol32(c, 4)) & 0xffffffff
    b ^= a; b = (b - rol32(a, 14)) & 0xffffffff
    c ^= b; c = (c - rol32(b, 24)) & 0xffffffff
    return c


def jhash(key, initval=0):
    """include/linux/jhash.h, for a little-endian CPU."""
    length = len(key)
    a = b = c = (0xdeadbeef + length + initval) & 0xffffffff
    while length > 12:
        a = (a + int.from_bytes(key[0:4], "little")) & 0xffffffff
        b = (b + int.from_bytes(key[4:8], "little")) & 0xffffffff
        c = (c + int.from_bytes(key[8:12], "little")) & 0xffffffff
        a, b, c = mix(a, b, c)
        key, length = key[12:], length - 12
    if length == 0:
        return c
    tail = key.ljust(12, b"\0")
    a = (a + int.from_bytes(tail[0:4], "little")) & 0xffffffff
    b = (b + int.from_bytes(tail[4:8], "little")) & 0xffffffff
    c = (c + int.from_bytes(tail[8:12], "little")) & 0xffffffff
    return final(a, b, c)


def main():
    dev, count, buckets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ids, n = [], 0
    while len(ids) < count:
        cid = b"\xff" + n.to_bytes(6, "big")
        n += 1
        if jhash(cid) % buckets == 0:
            ids.append(cid)
    have = set()
    if len(sys.argv) > 4:
        have = {l["client_id"] for l in json.load(open(sys.argv[4]))}
    conf.verb = 0
    frames = []
    for i, cid in enumerate(ids):
        if cid.hex() in have:
            continue
        mac = bytes([0x52, 0x54, 0x01, 0, i >> 8, i & 0xff])
        frames.append(
            Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
            / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67)
            / BOOTP(chaddr=mac, xid=0x10000 + i, flags=0x8000)
            / DHCP(options=[("message-type", "discover"),
                            ("client_id", cid), "end"]))
    if frames:
        sendp(frames, iface=dev, inter=0.02)
    print(json.dumps([c.hex() for c in ids]))

if __name__ == "__main__":
    main()
