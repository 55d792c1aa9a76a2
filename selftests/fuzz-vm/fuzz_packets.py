#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Packet fuzzer for the pxe hook, run in the client namespace.

    fuzz_packets.py --dev IF --server-mac MAC --seconds N --seed S
                    --image NAME=FILE... [--count N] [--out FILE]

Sends frames out of IF (an AF_PACKET socket) for N seconds, or exactly
--count iterations: mutated DHCP and TFTP messages from the codec corpora
(selftests/fuzz/corpus/*) under mutated Ethernet, VLAN, IPv4 and UDP
headers, interleaved with valid DORA and RRQ/ACK exchanges from several
clients (MACs, addresses) so that leases, sessions and windows exist.

Every frame of an iteration is drawn from random.Random(seed + iteration),
so `--seed S` replays a run (what a reply contains does not change what
is sent, except the REQUEST of a DORA, which names the offered address).

Every reply the server sends is checked:
  - it answers no frame whose IPv4/UDP headers are broken (lengths that
    disagree, a bad checksum, a fragment, another host's MAC): the hook
    leaves those to the stack, which drops them (each fuzzed DHCP frame
    has an xid, each TFTP frame a client port, of its own);
  - a DHCP reply's options 82, 97, 12 and 61 carry only bytes some frame
    sent to it carried (an echo of bytes never sent is memory read past a
    packet);
  - a DATA block of a valid download holds the image's bytes at its offset.
A finding is printed ("FINDING ...", with the frame that preceded it, as
hex) and the exit status is 1.  Exit 0: the time ran out without one;
2: the fuzzer itself failed.
"""
import argparse
import collections
import logging
import os
import random
import socket
import struct
import sys
import time

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import BOOTP, DHCP, IP, UDP, Dot1Q, Ether, Raw, conf

conf.verb = 0

ETH_P_ALL = 3
PACKET_OUTGOING = 4
SERVER = "10.0.1.1"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "fuzz", "corpus")
ECHOED = (82, 97, 12, 61)          # DHCP options whose bytes come from a client


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total


def broken_headers(raw, server_mac):
    """Why the IPv4/UDP headers of `raw` are broken (the frame is the
    stack's, which drops it: no reply may come), or None when they are
    sound or when it is not clear-cut (VLAN tags, IP options)."""
    if len(raw) < 14 or raw[12:14] != b"\x08\x00":
        return None
    if not raw[0] & 1 and raw[0:6] != server_mac:
        return "frame for another host"
    ip = raw[14:]
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 15) * 4
    if ihl != 20 or ip[9] != 17:
        return None
    tot, frag = struct.unpack_from("!H2xH", ip, 2)
    if inet_csum(ip[:20]) != 0xffff:
        return "bad IPv4 header checksum"
    if frag & 0x3fff:
        return "a fragment"
    if tot > len(ip):
        return f"IPv4 total length {tot} past the frame's {len(ip)} bytes"
    if tot < 28:
        return f"IPv4 total length {tot}, no room for a UDP header"
    ulen, csum = struct.unpack_from("!4xH H", ip, 20)
    if ulen < 8 or ulen > tot - 20:
        return f"UDP length {ulen} in an IPv4 total length of {tot}"
    if csum:
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, ulen)
        if inet_csum(pseudo + ip[20:20 + ulen]) != 0xffff:
            return "bad UDP checksum"
    return None


def load_corpus(name):
    d = os.path.join(CORPUS, name)
    return [open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))]


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        self.sock.bind((args.dev, 0))
        self.sock.setblocking(False)
        self.mac = ":".join(f"{b:02x}" for b in self.sock.getsockname()[4])
        self.server_mac = args.server_mac
        self.server_mac_bytes = bytes.fromhex(args.server_mac.replace(":", ""))
        self.hostnames = set()
        self.broken = {}                # frame -> why the stack drops it
        self.by_tid = {}                # (client, port) -> [why broken]
        self.dhcp_corpus = load_corpus("fuzz_dhcp_msg")
        self.tftp_corpus = load_corpus("fuzz_tftp_msg")
        self.images = {}
        for spec in args.image:
            name, path = spec.split("=", 1)
            self.images[name] = open(path, "rb").read()
        # Several clients: MACs for DHCP, addresses (not configured on IF,
        # so the stack stays quiet) for TFTP.
        self.macs = [f"02:fa:00:00:00:{i:02x}" for i in range(1, 25)]
        self.tftp_clients = [f"10.0.1.{i}" for i in range(10, 18)]
        self.sent = collections.deque(maxlen=20000)     # frames, newest last
        self.by_xid = {}                                # xid -> [frame]
        self.session_ports = collections.deque(maxlen=64)
        self.verified = set()
        self.findings = []
        self.frames = 0
        self.replies = 0
        self.last_frame = b""
        self.kinds = collections.Counter()

    # -- the wire ---------------------------------------------------------

    def send(self, frame):
        raw = bytes(frame) if not isinstance(frame, bytes) else frame
        self.last_frame = raw
        self.sent.append(raw)
        if len(raw) >= 14 + 20 + 8 + 8:
            # Wherever the BOOTP header is after mutations (ihl 5..15, two
            # VLAN tags), remember the frame under the xid it would carry.
            for off in range(14 + 20 + 8 + 4, min(len(raw) - 4, 14 + 8 + 60 + 8 + 4) + 1, 4):
                xid = raw[off:off + 4]
                lst = self.by_xid.setdefault(xid, [])
                lst.append(raw)
                if len(lst) > 8:
                    del lst[0]
            if len(self.by_xid) > 50000:
                self.by_xid.clear()
                self.broken.clear()
        try:
            self.sock.send(raw)
        except OSError:
            # Too big for the device, too short for the driver: the
            # kernel refused it before the hook, nothing to learn.
            self.kinds["refused_by_socket"] += 1
            return
        self.frames += 1

    def recv_all(self, wait, until=None):
        """The server's frames within `wait` seconds (or until one makes
        `until` true), checked; each as (saddr, daddr, sport, dport, UDP
        payload, frame)."""
        end = time.monotonic() + wait
        out = []
        while True:
            if until and any(until(r) for r in out[-8:]):
                return out + self.recv_all(0)
            try:
                data, addr = self.sock.recvfrom(65535)
            except BlockingIOError:
                if time.monotonic() >= end:
                    return out
                time.sleep(0.002)
                continue
            if addr[2] == PACKET_OUTGOING or data[6:12] != self.server_mac_bytes:
                continue
            self.replies += 1
            if len(data) < 42 or data[12:14] != b"\x08\x00" or data[23] != 17:
                continue
            ihl = (data[14] & 15) * 4
            udp = 14 + ihl
            sport, dport, ulen = struct.unpack_from("!HHH", data, udp)
            r = (socket.inet_ntoa(data[26:30]), socket.inet_ntoa(data[30:34]),
                 sport, dport, data[udp + 8:udp + ulen], data)
            if sport in (67, 4011):
                self.check(r[4], data)
            else:
                whys = self.by_tid.get((r[1], dport))
                if whys and all(whys):
                    self.finding(f"TFTP reply to a frame the hook must leave to "
                                 f"the stack ({whys[-1]})", data)
            out.append(r)

    def finding(self, what, data):
        text = (f"FINDING {what}\n"
                f"  reply: {data.hex()}\n"
                f"  last frame sent: {self.last_frame.hex()}")
        print("# " + text.replace("\n", "\n# "), flush=True)
        self.findings.append(what)

    def check(self, msg, data):
        """A DHCP reply echoes only bytes of the request it answers."""
        if len(msg) < 240:
            self.finding(f"DHCP reply of {len(msg)} bytes", data)
            return
        xid = msg[4:8]
        frames = self.by_xid.get(xid)
        if not frames:
            self.finding(f"DHCP reply to xid {xid.hex()}, which no frame carried", data)
            return
        whys = [self.broken.get(f) for f in frames]
        if all(whys):
            self.finding(f"DHCP reply to a frame the hook must leave to the stack "
                         f"({whys[-1]}); the frame: {frames[-1].hex()}", data)
            return
        i = 240
        while i < len(msg) and msg[i] != 255:
            if msg[i] == 0:
                i += 1
                continue
            if i + 2 > len(msg) or i + 2 + msg[i + 1] > len(msg):
                self.finding("DHCP reply with an option past its end", data)
                return
            code, val = msg[i], msg[i + 2:i + 2 + msg[i + 1]]
            i += 2 + len(val)
            if code not in ECHOED or not val:
                continue
            if any(val in f for f in frames):
                continue
            # The host name is the lease's: an earlier request may have set it.
            if code == 12 and (val in self.hostnames or any(val in f for f in self.sent)):
                continue
            self.finding(f"DHCP reply (xid {xid.hex()}) carries option {code} "
                         f"with {len(val)} bytes no request with that xid carried: "
                         f"{val[:64].hex()}", data)

    # -- frames -----------------------------------------------------------

    def dhcp_frame(self, rnd, payload, mac, dst=BCAST_MAC, daddr="255.255.255.255",
                   saddr="0.0.0.0", sport=68, dport=67):
        return (Ether(src=mac, dst=dst) / IP(src=saddr, dst=daddr)
                / UDP(sport=sport, dport=dport) / Raw(payload))

    def mutate_bytes(self, rnd, data):
        data = bytearray(data)
        for _ in range(rnd.choice((1, 1, 2, 3, 8))):
            op = rnd.randrange(9)
            if op == 0 and data:                            # bit flip
                i = rnd.randrange(len(data))
                data[i] ^= 1 << rnd.randrange(8)
            elif op == 1 and data:                          # interesting byte
                data[rnd.randrange(len(data))] = rnd.choice((0, 1, 0x7f, 0x80, 0xff, 52, 53, 255))
            elif op == 2:                                   # insert
                i = rnd.randrange(len(data) + 1)
                data[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 32)))
            elif op == 3 and data:                          # delete
                i = rnd.randrange(len(data))
                del data[i:i + rnd.randrange(1, 32)]
            elif op == 4 and data:                          # truncate
                del data[rnd.randrange(len(data)):]
            elif op == 5:                                   # an option, any length byte
                i = rnd.randrange(len(data) + 1)
                code = rnd.choice((12, 53, 52, 55, 60, 61, 77, 82, 93, 97, 255, 0, rnd.randrange(256)))
                ln = rnd.choice((0, 1, 2, 4, 16, 255, rnd.randrange(256)))
                data[i:i] = bytes([code, ln]) + bytes(rnd.randrange(256) for _ in range(min(ln, rnd.randrange(300))))
            elif op == 6 and data:                          # splice another seed
                other = rnd.choice(self.dhcp_corpus + self.tftp_corpus)
                i = rnd.randrange(len(data))
                data[i:] = other[rnd.randrange(len(other)):]
            elif op == 7 and len(data) > 4:                 # duplicate a chunk
                i = rnd.randrange(len(data) - 2)
                j = rnd.randrange(i + 1, len(data))
                data[j:j] = data[i:j]
            elif op == 8:                                   # 16-bit boundary
                if len(data) >= 2:
                    i = rnd.randrange(len(data) - 1)
                    data[i:i + 2] = struct.pack("!H", rnd.choice((0, 1, 7, 8, 511, 512, 513, 0x7fff, 0xffff)))
        return bytes(data)

    def mutate_headers(self, rnd, pkt):
        """Mutations of the Ethernet/IPv4/UDP headers; returns bytes."""
        ip, udp = pkt[IP], pkt[UDP]
        payload_len = len(bytes(udp.payload))
        real_ip = 20 + 8 + payload_len
        p = 0.25
        if rnd.random() < p:                                # IP options
            n = rnd.randrange(1, 11)
            ip.options = [Raw(bytes(rnd.choice((0, 1, 7, 68, 130, 148, rnd.randrange(256)))
                                    for _ in range(4 * n)))]
            real_ip += 4 * n
        if rnd.random() < p:
            ip.ihl = rnd.choice((0, 1, 4, 5, 6, 15, rnd.randrange(16)))
        if rnd.random() < p:
            ip.len = rnd.choice((0, 1, 8, 19, 20, 21, 27, 28, 29, real_ip - 1,
                                 real_ip + 1, 0xffff, rnd.randrange(65536)))
        if rnd.random() < p:
            ip.flags = rnd.randrange(8)
            ip.frag = rnd.choice((0, 0, 1, 185, 8191))
        if rnd.random() < 0.1:
            ip.version = rnd.choice((0, 5, 6, 15))
        if rnd.random() < 0.05:
            ip.proto = rnd.choice((6, 1, 136, 255))
        if rnd.random() < 0.1:
            ip.chksum = rnd.randrange(65536)
        if rnd.random() < p:
            udp.len = rnd.choice((0, 1, 7, 8, 9, payload_len + 7, payload_len + 9,
                                  0x8000, 0xffff, rnd.randrange(65536)))
        # The UDP checksum: 0 (none: accepted unchecked), wrong, or right.
        c = rnd.random()
        if c < 0.4:
            udp.chksum = 0
        elif c < 0.5:
            udp.chksum = rnd.randrange(1, 65536)
        if rnd.random() < 0.15:                             # VLAN tags
            eth = pkt[Ether]
            inner = eth.payload
            eth.remove_payload()
            tags = Dot1Q(vlan=rnd.choice((0, 1, 4095)))
            if rnd.random() < 0.3:
                tags = tags / Dot1Q(vlan=rnd.randrange(4096))
            pkt = eth / tags / inner
        if rnd.random() < 0.1:                              # destination MAC
            pkt[Ether].dst = rnd.choice((BCAST_MAC, self.server_mac,
                                         "02:00:00:00:00:99", "01:00:5e:00:00:01"))
        raw = bytes(pkt)
        r = rnd.random()
        if r < 0.15:                                        # truncated frame
            raw = raw[:rnd.randrange(14, len(raw) + 1)]
        elif r < 0.22:                                      # oversized / trailer
            raw += bytes(rnd.randrange(256) for _ in range(rnd.choice((1, 64, 1500, 7000))))
        return raw

    def fuzz_dhcp(self, rnd):
        seed = rnd.choice(self.dhcp_corpus)
        # An xid of its own: a reply names the one frame it answers.
        seed = seed[:4] + struct.pack("!I", rnd.getrandbits(32)) + seed[8:]
        payload = self.mutate_bytes(rnd, seed) if rnd.random() < 0.9 else seed
        mac = rnd.choice(self.macs)
        if rnd.random() < 0.7 and len(payload) >= 34:       # chaddr: a known client
            payload = payload[:28] + bytes.fromhex(mac.replace(":", "")) + payload[34:]
        to = rnd.random()
        if to < 0.6:
            pkt = self.dhcp_frame(rnd, payload, mac)
        elif to < 0.85:
            pkt = self.dhcp_frame(rnd, payload, mac, self.server_mac, SERVER,
                                  "10.0.1.2")
        else:
            pkt = self.dhcp_frame(rnd, payload, mac, self.server_mac, SERVER,
                                  "10.0.1.2", 68, 4011)
        raw = self.mutate_headers(rnd, pkt)
        why = broken_headers(raw, self.server_mac_bytes)
        self.send(raw)
        if why:
            self.broken[raw] = why
            self.kinds["dhcp_broken_headers"] += 1
        self.kinds["dhcp_mutated"] += 1

    def fuzz_tftp(self, rnd):
        seed = rnd.choice(self.tftp_corpus)
        if rnd.random() < 0.3:
            name = rnd.choice(list(self.images) + ["nothere", "../x", ""]).encode()
            seed = (b"\0\1" + name + b"\0octet\0blksize\0" +
                    str(rnd.choice((8, 512, 1468, 65464, 0, 99999))).encode() +
                    b"\0windowsize\0" + str(rnd.choice((1, 4, 16, 64, 0, 65536))).encode() + b"\0")
        payload = self.mutate_bytes(rnd, seed) if rnd.random() < 0.8 else seed
        dport = 69
        if self.session_ports and rnd.random() < 0.4:
            dport = rnd.choice(self.session_ports)
        src = rnd.choice(self.tftp_clients)
        # A port of its own: a reply names the frame it answers.
        sport = rnd.randrange(1024, 65536)
        pkt = (Ether(src=self.mac, dst=self.server_mac) / IP(src=src, dst=SERVER)
               / UDP(sport=sport, dport=dport) / Raw(payload))
        raw = self.mutate_headers(rnd, pkt)
        self.send(raw)
        why = broken_headers(raw, self.server_mac_bytes)
        self.by_tid.setdefault((src, sport), []).append(why)
        if why:
            self.kinds["tftp_broken_headers"] += 1
        self.kinds["tftp_mutated"] += 1

    def dhcp_options(self, rnd, mac, kind, extra=()):
        opts = [("message-type", kind),
                ("param_req_list", [1, 3, 6, 12, 43, 51, 54, 60, 66, 67, 97])]
        if rnd.random() < 0.5:
            opts.append(("vendor_class_id", b"PXEClient:Arch:00007:UNDI:003016"))
            opts.append((97, b"\0" + bytes(rnd.randrange(256) for _ in range(16))))
        if rnd.random() < 0.5:
            opts.append(("hostname", f"fz{mac[-2:]}".encode()))
            self.hostnames.add(f"fz{mac[-2:]}".encode())
        if rnd.random() < 0.3:
            opts.append(("client_id", b"\1" + bytes.fromhex(mac.replace(":", ""))))
        opts.extend(extra)
        opts.append("end")
        return opts

    def dora(self, rnd):
        mac = rnd.choice(self.macs)
        chaddr = bytes.fromhex(mac.replace(":", ""))
        xid = rnd.randrange(1 << 32)
        giaddr = "0.0.0.0"
        extra = []
        if rnd.random() < 0.2:          # relayed, with option 82
            giaddr = "10.0.1.2"
            extra.append((82, b"\1\4" + bytes(rnd.randrange(256) for _ in range(4))))
        def frame(kind, more=()):
            return (Ether(src=mac, dst=BCAST_MAC) / IP(src="0.0.0.0", dst="255.255.255.255")
                    / UDP(sport=68, dport=67)
                    / BOOTP(chaddr=chaddr, xid=xid, flags=0x8000, giaddr=giaddr)
                    / DHCP(options=self.dhcp_options(rnd, mac, kind, list(extra) + list(more))))
        self.send(frame("discover"))
        self.kinds["dora"] += 1
        mine = lambda r: r[2] == 67 and r[4][4:8] == struct.pack("!I", xid)
        offer = next((r[4] for r in self.recv_all(0.5, mine) if mine(r)), None)
        if offer is None:
            return
        yiaddr = socket.inet_ntoa(offer[16:20])
        what = rnd.random()
        if what < 0.1:
            return                      # the offer stays held
        self.send(frame("request", [("requested_addr", yiaddr), ("server_id", SERVER)]))
        self.recv_all(0.5, mine)
        r = rnd.random()
        if r < 0.2:
            self.send(frame("release", [("server_id", SERVER)]))
        elif r < 0.3:
            self.send(frame("decline", [("requested_addr", yiaddr), ("server_id", SERVER)]))
        elif r < 0.4:
            self.send(frame("inform"))
        self.recv_all(0.02)

    def download(self, rnd):
        """A valid RRQ with options, ACKing windows; sometimes left unfinished."""
        name = rnd.choice(list(self.images))
        image = self.images[name]
        blksize = rnd.choice((512, 1024, 1468))
        windowsize = rnd.choice((1, 2, 4, 8, 16))
        src = rnd.choice(self.tftp_clients)
        sport = rnd.randrange(1024, 65536)
        self.by_tid.setdefault((src, sport), []).append(None)
        base = Ether(src=self.mac, dst=self.server_mac) / IP(src=src, dst=SERVER)
        rrq = (b"\0\1" + name.encode() + b"\0octet\0blksize\0" + str(blksize).encode()
               + b"\0windowsize\0" + str(windowsize).encode() + b"\0tsize\0" + b"0\0")
        self.send(base / UDP(sport=sport, dport=69) / Raw(rrq))
        self.kinds["download"] += 1
        # Blocks before giving up; only small.bin to the end (time).
        stop_after = rnd.choice((1, 3, 10, 40 if len(image) > 10000 else 1 << 30))
        port = None
        acked = 0
        rounds = 0
        while rounds < 400:
            rounds += 1
            mine = lambda r: r[1] == src and r[3] == sport
            got = [r for r in self.recv_all(0.5, mine) if mine(r)]
            if not got:
                return
            last = acked
            for r in got:
                data = r[4]
                op = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 0
                port = r[2]
                if port not in self.session_ports:
                    self.session_ports.append(port)
                if op == 3:
                    block = struct.unpack("!H", data[2:4])[0]
                    n = acked + ((block - acked) & 0xffff)
                    want = image[(n - 1) * blksize:n * blksize]
                    if data[4:] != want and n > acked:
                        self.finding(f"DATA block {block} of {name} (blksize {blksize}) "
                                     f"differs from the image", r[5])
                        return
                    if n == last + 1:
                        last = n
                    if len(data) - 4 < blksize and n == last:
                        self.send(base / UDP(sport=sport, dport=port)
                                  / Raw(struct.pack("!HH", 4, block)))
                        return
                elif op == 6:                               # OACK
                    last = 0
                elif op == 5:
                    return
            if last >= stop_after:
                if rnd.random() < 0.5:                      # an ERROR ends it
                    self.send(base / UDP(sport=sport, dport=port)
                              / Raw(b"\0\5\0\0bye\0"))
                return                                      # else: times out
            if port is None:
                return
            ack = last
            if rnd.random() < 0.05 and ack > 0:
                ack -= 1                                    # a duplicate, late ACK
            self.send(base / UDP(sport=sport, dport=port)
                      / Raw(struct.pack("!HH", 4, ack & 0xffff)))
            acked = last

    def iteration(self, i):
        rnd = random.Random(f"{self.args.seed}:{i}")
        r = rnd.random()
        if r < 0.45:
            self.fuzz_dhcp(rnd)
        elif r < 0.8:
            self.fuzz_tftp(rnd)
        elif r < 0.92:
            self.dora(rnd)
        else:
            self.download(rnd)
        self.recv_all(0)



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", required=True)
    ap.add_argument("--server-mac", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--image", action="append", default=[])
    args = ap.parse_args()
    args.server_mac = args.server_mac.lower()

    fz = Fuzzer(args)
    print(f"# fuzz_packets: seed {args.seed}, "
          + (f"{args.count} iterations" if args.count else f"{args.seconds:g} s"),
          flush=True)
    end = time.monotonic() + args.seconds
    i = 0
    while (i < args.count) if args.count else (time.monotonic() < end):
        fz.iteration(i)
        i += 1
    fz.recv_all(1.0)
    print(f"# fuzz_packets: {i} iterations, {fz.frames} frames sent, "
          f"{fz.replies} replies, {dict(fz.kinds)}; replay: FUZZ_SEED={args.seed} "
          f"FUZZ_COUNT={i}", flush=True)
    if fz.findings:
        print(f"# fuzz_packets: {len(fz.findings)} findings", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:                   # a crash of the fuzzer, not a finding
        import traceback
        traceback.print_exc()
        sys.exit(2)
