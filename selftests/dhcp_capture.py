#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture a device's DHCP frames into a pcap file (pxe selftests).

    dhcp_capture.py [--ipv6] DEV FILE

Writes every IPv4/UDP frame to or from port 67, 68 or 4011 seen on DEV
(both directions) to FILE (pcap, Ethernet), flushing each one, until
SIGINT or SIGTERM.  Prints "listening" once the socket is bound.

With --ipv6, the IPv6 frames instead: every one whose next header is UDP
(DHCPv6, TFTP from :69 and from the sessions' own ports), and ICMPv6
Router Solicitations and Advertisements (types 133, 134).

tshark reads the file afterwards; capturing with tshark or dumpcap
itself inside a test namespace of the VM did not work (dumpcap: "There is
no device named ...") and tshark takes ~20 s to start under emulation.
"""
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PORTS = {67, 68, 4011}
ICMPV6_ROUTER = {133, 134}


def wanted(frame):
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return False
    ihl = (frame[14] & 0x0f) * 4
    sport, dport = struct.unpack("!HH", frame[14 + ihl:18 + ihl])
    return sport in PORTS or dport in PORTS


def wanted6(frame):
    if len(frame) < 58 or frame[12:14] != b"\x86\xdd":
        return False
    return frame[20] == 17 or (frame[20] == 58 and frame[54] in ICMPV6_ROUTER)


def main():
    args = sys.argv[1:]
    keep = wanted
    if args[0] == "--ipv6":
        keep = wanted6
        args = args[1:]
    dev, path = args[0], args[1]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.bind((dev, 0))
    out = open(path, "wb")
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    out.flush()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("listening", flush=True)
    try:
        while True:
            frame = sock.recv(65535)
            if not keep(frame):
                continue
            now = time.time()
            out.write(struct.pack("<IIII", int(now), int(now % 1 * 1e6),
                                  len(frame), len(frame)) + frame)
            out.flush()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
