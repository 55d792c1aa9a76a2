#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Packet fuzzer for the pxe hook, run in the client namespace.

    fuzz_packets.py --dev IF --server-mac MAC --server-ll ADDR --seconds N
                    --seed S --image NAME=FILE... [--count N]

Sends frames out of IF (an AF_PACKET socket) for N seconds, or exactly
--count iterations: mutated DHCP and TFTP messages from the codec corpora
(selftests/fuzz/corpus/*) under mutated Ethernet, VLAN, IPv4 and UDP
headers, mutated DHCPv6 messages (corpus fuzz_dhcp6_msg) under sound
IPv6/UDP headers and under broken ones, interleaved with valid DORA,
Solicit/Request and RRQ/ACK exchanges from several clients (MACs, DUIDs,
addresses) so that leases, sessions and windows exist.

Every frame of an iteration is drawn from random.Random(seed + iteration),
so `--seed S` replays a run (what a reply contains does not change what
is sent, except the REQUEST of a DORA and the Request of a Solicit, which
name the offered address and the server).

Every reply the server sends is checked:
  - it answers no frame whose IPv4/UDP or IPv6/UDP headers are broken
    (lengths that disagree, a bad or, over IPv6, zero checksum, a
    fragment or extension headers, a multicast or unspecified IPv6
    source, another host's MAC): the hook leaves those to the stack,
    which drops them (each fuzzed DHCP frame has an xid, each DHCPv6
    frame a transaction id, each TFTP frame a client port, of its own);
  - a DHCP reply's options 82, 97, 12 and 61, a DHCPv6 reply's client id
    (1), IAID and, in each Relay-Repl, the relay header and interface-id
    (18) carry only bytes that a frame with its transaction id carried (an
    echo of bytes never sent is memory read past a packet); a DHCPv6
    reply parses, names the server's DUID-LL and leases only addresses
    of the pool;
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

T_IMPORT = time.monotonic()
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
# The layers used, not scapy.all (a third of the import's time and files
# less: tens of seconds on the debug kernel).
from scapy.config import conf
from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Raw
from scapy.layers.dhcp6 import (DUID_EN, DUID_LL, DUID_LLT, USER_CLASS_DATA,
                                VENDOR_CLASS_DATA, DHCP6_Confirm, DHCP6_Decline,
                                DHCP6_InfoRequest, DHCP6_Rebind,
                                DHCP6_RelayForward, DHCP6_Release, DHCP6_Renew,
                                DHCP6_Request, DHCP6_Solicit,
                                DHCP6OptClientArchType, DHCP6OptClientId,
                                DHCP6OptClientNetworkInterId,
                                DHCP6OptElapsedTime, DHCP6OptIA_NA,
                                DHCP6OptIAAddress, DHCP6OptIfaceId,
                                DHCP6OptOptReq, DHCP6OptRapidCommit,
                                DHCP6OptIA_PD, DHCP6OptIA_TA,
                                DHCP6OptRelayMsg, DHCP6OptServerId,
                                DHCP6OptStatusCode, DHCP6OptUserClass,
                                DHCP6OptVendorClass)
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Jumbo)
from scapy.utils6 import in6_mactoifaceid

conf.verb = 0

ETH_P_ALL = 3
PACKET_OUTGOING = 4
SERVER = "10.0.1.1"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "fuzz", "corpus")
ECHOED = (82, 97, 12, 61)          # DHCP options whose bytes come from a client

# DHCPv6 (RFC 8415): All_DHCP_Relay_Agents_and_Servers, its MAC; the
# server's global address on the link (the test gives it srv0).
ALL_DHCP6 = "ff02::1:2"
ALL_DHCP6_MAC = "33:33:00:01:00:02"
SERVER6 = "fd00:1::1"
RELAY_FORW, RELAY_REPL = 12, 13
ADVERTISE, REPLY = 2, 7
# Options a DHCPv6 reply of this server may carry (kmod/dhcp6_msg.c,
# build_message): server and client id, IA_NA, status, preference, rapid
# commit, DNS servers, vendor class, boot file URL and parameters.
REPLY6_OPTIONS = {1, 2, 3, 7, 13, 14, 23, 16, 59, 60}
INTERESTING6 = (0, 1, 2, 3, 5, 9, 12, 13, 18, 0x7f, 0x80, 0xff)
# The client messages message6() builds.
MESSAGES6 = (DHCP6_Solicit, DHCP6_Request, DHCP6_Confirm, DHCP6_Renew,
             DHCP6_Rebind, DHCP6_Release, DHCP6_Decline, DHCP6_InfoRequest)
# How a DHCPv6 frame's headers are broken (fuzz_dhcp6_headers).
BREAKS6 = ("payload_length_long", "payload_length_short", "udp_length",
           "bad_checksum", "zero_checksum", "truncated", "ext_headers",
           "multicast_source", "unspecified_source", "dst_mac", "group_src_mac",
           "ip_version", "next_header", "not_our_address", "not_port_547", "vlan")


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


def link_local(mac):
    """The EUI-64 link-local address of a MAC."""
    return "fe80::" + in6_mactoifaceid(mac).lower()


def udp6_checksum(saddr, daddr, udp):
    """The UDP checksum of `udp` (its checksum field ignored) between the
    IPv6 addresses `saddr` and `daddr` (16 bytes each)."""
    udp = udp[:6] + b"\0\0" + udp[8:]
    pseudo = saddr + daddr + struct.pack("!I3xB", len(udp), 17)
    return (0xffff - inet_csum(pseudo + udp)) or 0xffff


def options6(buf, start, end):
    """The DHCPv6 options in buf[start:end] as (code, value start, value
    end), and whether they fill it exactly."""
    out = []
    i = start
    while i < end:
        if end - i < 4:
            return out, False
        code, ln = struct.unpack_from("!HH", buf, i)
        if ln > end - i - 4:
            return out, False
        out.append((code, i + 4, i + 4 + ln))
        i += 4 + ln
    return out, True


def inner6(msg):
    """Where the client's message sits in a DHCPv6 message: (start, end)
    behind the Relay-Forw/Relay-Repl chain (the first option 9 of each
    level, as the server takes it), or None when the chain breaks off."""
    s, e = 0, len(msg)
    for _ in range(64):
        if e - s < 1 or msg[s] not in (RELAY_FORW, RELAY_REPL):
            return s, e
        if e - s < 34:
            return None
        opts, _ = options6(msg, s + 34, e)
        nxt = next(((vs, ve) for code, vs, ve in opts if code == 9), None)
        if nxt is None:
            return None
        s, e = nxt
    return None


def read_file(path):
    """The bytes of `path`: open, read, close, no more (under emulation,
    over 9p, open()'s stat and terminal checks cost seconds a corpus)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def load_corpus(name):
    d = os.path.join(CORPUS, name)
    return [read_file(os.path.join(d, f)) for f in sorted(os.listdir(d))]


class LazyCorpus:
    """A corpus whose seeds are read when first drawn: the DHCPv6 kinds pay
    for their seeds from the fuzzing time they share, not before it (on
    the debug kernel a seed file costs a tenth of a second over 9p).  What
    is drawn is the same as from the list load_corpus() returns."""

    def __init__(self, name):
        self.dir = os.path.join(CORPUS, name)
        self.names = sorted(os.listdir(self.dir))
        self.seeds = {}

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        if i not in self.seeds:
            self.seeds[i] = read_file(os.path.join(self.dir, self.names[i]))
        return self.seeds[i]


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
        # DUID-LL of the link's MAC: the server's DUID (kmod/dhcp6.c).
        self.server_duid = b"\0\3\0\1" + self.server_mac_bytes
        self.server_ll = args.server_ll
        # Where DHCPv6 is ours (hook.c: dhcp6_dest_ours): ff02::1:2 and
        # the addresses of the server's device.
        self.ours6 = {socket.inet_pton(socket.AF_INET6, a)
                      for a in (ALL_DHCP6, SERVER6, args.server_ll)}
        self.pool6 = tuple(socket.inet_pton(socket.AF_INET6, a) for a in args.pool6)
        self.hostnames = set()
        self.broken = {}                # frame -> why the stack drops it
        self.by_tid = {}                # (client, port) -> [why broken]
        self.dhcp_corpus = load_corpus("fuzz_dhcp_msg")
        self.tftp_corpus = load_corpus("fuzz_tftp_msg")
        self.dhcp6_corpus = LazyCorpus("fuzz_dhcp6_msg")
        self.images = {}
        for spec in args.image:
            name, path = spec.split("=", 1)
            self.images[name] = open(path, "rb").read()
        # Several clients: MACs for DHCP, addresses (not configured on IF,
        # so the stack stays quiet) for TFTP.
        self.macs = [f"02:fa:00:00:00:{i:02x}" for i in range(1, 25)]
        self.tftp_clients = [f"10.0.1.{i}" for i in range(10, 18)]
        self.sent = collections.deque(maxlen=20000)     # frames, newest last
        self.sent6 = collections.deque(maxlen=20000)    # (DHCPv6 frame, why broken)
        # Transaction ids: iteration i's n-th is ((i << 5) | n) ^ mask,
        # unique in a run (2^19 iterations) and the same in its replay.
        self.xid6_mask = random.Random(f"{args.seed}:xid6").getrandbits(24)
        self.iteration_no = 0
        self.xid6_n = 0
        self.by_xid = {}                                # xid -> [frame]
        self.session_ports = collections.deque(maxlen=64)
        self.verified = set()
        self.findings = []
        self.frames = 0
        self.replies = 0
        self.replies6 = 0               # DHCPv6 replies checked
        self.last_frame = b""
        self.kinds = collections.Counter()

    # -- the wire ---------------------------------------------------------

    def send(self, frame):
        raw = bytes(frame) if not isinstance(frame, bytes) else frame
        self.last_frame = raw
        self.sent.append(raw)
        if len(raw) >= 14 + 20 + 8 + 8 and raw[12:14] != b"\x86\xdd":
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
        self.transmit(raw)

    def send6(self, raw, why):
        """A DHCPv6 frame; `why` its headers are broken, or None."""
        self.last_frame = raw
        self.sent6.append((raw, why))
        self.transmit(raw)

    def transmit(self, raw):
        """Puts one frame on the wire and counts it."""
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
            if len(data) >= 62 and data[12:14] == b"\x86\xdd":
                if data[20] != 17:                  # ICMPv6, ND, MLD: the stack's
                    continue
                sport, dport, ulen = struct.unpack_from("!HHH", data, 54)
                r = (socket.inet_ntop(socket.AF_INET6, data[22:38]),
                     socket.inet_ntop(socket.AF_INET6, data[38:54]),
                     sport, dport, data[62:54 + ulen], data)
                plen = struct.unpack_from("!H", data, 18)[0]
                if sport == 547 and (ulen < 8 or plen != ulen or 54 + ulen > len(data)):
                    self.finding(f"DHCPv6 reply with UDP length {ulen}, IPv6 payload "
                                 f"length {plen}, in {len(data)} bytes", data)
                elif sport == 547:
                    self.check6(r[4], data)
                out.append(r)
                continue
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

    def check6(self, msg, data):
        """A DHCPv6 reply parses, answers a frame whose headers are sound,
        and echoes only bytes of that frame."""
        self.replies6 += 1
        echoes = []                     # (what, bytes the request carried)
        s, e = 0, len(msg)
        depth = 0
        while e - s >= 1 and msg[s] == RELAY_REPL:
            if e - s < 34:
                self.finding(f"Relay-Repl of {e - s} bytes", data)
                return
            echoes.append(("the relay header", msg[s + 1:s + 34]))
            opts = self.reply_options6(msg, s + 34, e, data)
            if opts is None:
                return
            inner = None
            for code, vs, ve in opts:
                if code == 18:
                    echoes.append(("interface-id (18)", msg[vs:ve]))
                elif code == 9 and inner is None:
                    inner = (vs, ve)
                else:
                    self.finding(f"Relay-Repl with option {code}", data)
                    return
            if inner is None:
                self.finding("Relay-Repl without a relay message", data)
                return
            s, e = inner
            depth += 1
            if depth > 32:
                self.finding("Relay-Repl chain deeper than 32", data)
                return
        if e - s < 4 or msg[s] not in (ADVERTISE, REPLY):
            self.finding(f"DHCPv6 reply of type {msg[s] if e > s else None}, "
                         f"{e - s} bytes", data)
            return
        xid = msg[s + 1:s + 4]
        opts = self.reply_options6(msg, s + 4, e, data)
        if opts is None:
            return
        for code, vs, ve in opts:
            val = msg[vs:ve]
            if code not in REPLY6_OPTIONS:
                self.finding(f"DHCPv6 reply (xid {xid.hex()}) with option {code}, "
                             f"which the server never writes", data)
            elif code == 1:
                echoes.append(("client id (1)", val))
            elif code == 2 and val != self.server_duid:
                self.finding(f"DHCPv6 reply (xid {xid.hex()}) names server "
                             f"{val.hex()}, not the link's DUID-LL", data)
            elif code == 3:
                if len(val) < 12:
                    self.finding(f"DHCPv6 reply with an IA_NA of {len(val)} bytes", data)
                    return
                echoes.append(("the IAID of IA_NA (3)", val[:4]))
                sub = self.reply_options6(msg, vs + 12, ve, data)
                for c, a, b in sub or ():
                    if c == 5 and (b - a < 24 or not
                                   self.pool6[0] <= msg[a:a + 16] <= self.pool6[1]):
                        self.finding(f"DHCPv6 reply (xid {xid.hex()}) leases "
                                     f"{msg[a:b].hex()}, not an address of the pool", data)

        cands = [(f, why) for f, why in self.sent6 if f.find(xid, 54) >= 0]
        if not cands:
            self.finding(f"DHCPv6 reply to xid {xid.hex()}, which no frame carried", data)
            return
        good = [f for f, why in cands if not why]
        if not good:
            self.finding(f"DHCPv6 reply to a frame the hook must leave to the stack "
                         f"({cands[-1][1]}); the frame: {cands[-1][0].hex()}", data)
            return
        if any(all(v in f for _, v in echoes) for f in good):
            return
        missing = [(what, v) for what, v in echoes if not any(v in f for f in good)]
        for what, v in missing or echoes:
            self.finding(f"DHCPv6 reply (xid {xid.hex()}) carries {what}, "
                         f"{len(v)} bytes no frame with that xid carried"
                         f"{'' if missing else ' with the rest'}: {v[:64].hex()}", data)

    def reply_options6(self, msg, start, end, data):
        """The options of a reply's area; None (and a finding) when they
        run past it."""
        opts, whole = options6(msg, start, end)
        if not whole:
            self.finding(f"DHCPv6 reply with an option past its end (at byte "
                         f"{opts[-1][2] if opts else start})", data)
            return None
        return opts

    def broken_headers6(self, raw):
        """Why the Ethernet/IPv6/UDP headers of a DHCPv6 frame make it the
        stack's (hook.c: frame_may_be_ours, hook_ipv6), or None."""
        if len(raw) < 14:
            return "shorter than an Ethernet header"
        if not raw[0] & 1 and raw[0:6] != self.server_mac_bytes:
            return "frame for another host"
        if raw[6] & 1:
            return "group source MAC"
        off = 14
        if raw[12:14] == b"\x81\x00":
            if len(raw) < 18:
                return "a VLAN tag cut short"
            vid = struct.unpack_from("!H", raw, 14)[0] & 0xfff
            if vid:
                return f"VLAN {vid} on the parent device"
            if raw[16:18] in (b"\x81\x00", b"\x88\xa8"):
                return "two VLAN tags"
            off = 18                    # 802.1p priority tag: the device's
        if raw[off - 2:off] != b"\x86\xdd":
            return f"ethertype {raw[off - 2:off].hex()}"
        ip = raw[off:]
        if len(ip) < 40:
            return f"IPv6 header cut at {len(ip)} bytes"
        if ip[0] >> 4 != 6:
            return f"IP version {ip[0] >> 4}"
        plen, nh = struct.unpack_from("!HB", ip, 4)
        if nh != 17:
            return f"next header {nh}, not UDP"
        if len(ip) < 48:
            return f"UDP header cut at {len(ip) - 40} bytes"
        dport, ulen, csum = struct.unpack_from("!HHH", ip, 42)
        if dport != 547:
            return f"to port {dport}"
        if ip[24:40] not in self.ours6:
            return f"to {socket.inet_ntop(socket.AF_INET6, ip[24:40])}, not the server"
        if ip[8] == 0xff:
            return "multicast source"
        if ip[8:24] == bytes(16):
            return "unspecified source"
        if plen < 8 or 40 + plen > len(ip):
            return f"IPv6 payload length {plen} in {len(ip) - 40} bytes"
        if ulen < 8 or ulen > plen:
            return f"UDP length {ulen} in an IPv6 payload of {plen}"
        if not csum:
            return "UDP checksum 0"
        if udp6_checksum(ip[8:24], ip[24:40], ip[40:40 + ulen]) != csum:
            return "bad UDP checksum"
        return None

    # -- frames -----------------------------------------------------------

    def dhcp_frame(self, rnd, payload, mac, dst=BCAST_MAC, daddr="255.255.255.255",
                   saddr="0.0.0.0", sport=68, dport=67):
        return (Ether(src=mac, dst=dst) / IP(src=saddr, dst=daddr)
                / UDP(sport=sport, dport=dport) / Raw(payload))

    def option4(self, rnd):
        """A DHCP option, any length byte."""
        code = rnd.choice((12, 53, 52, 55, 60, 61, 77, 82, 93, 97, 255, 0, rnd.randrange(256)))
        ln = rnd.choice((0, 1, 2, 4, 16, 255, rnd.randrange(256)))
        return bytes([code, ln]) + bytes(rnd.randrange(256) for _ in range(min(ln, rnd.randrange(300))))

    def option6(self, rnd):
        """A DHCPv6 option, any length: one the server reads, often."""
        code = rnd.choice((1, 2, 3, 5, 6, 8, 9, 13, 14, 15, 16, 18, 25, 61, 62, 0,
                           0xffff, rnd.randrange(65536)))
        if code == 2 and rnd.random() < 0.5:                # ours: a Request passes
            return struct.pack("!HH", 2, len(self.server_duid)) + self.server_duid
        ln = rnd.choice((0, 1, 2, 3, 4, 10, 12, 24, 130, 131, 0xffff, rnd.randrange(65536)))
        body = bytes(rnd.randrange(256) for _ in range(min(ln, rnd.randrange(300))))
        return struct.pack("!HH", code, ln) + body

    def mutate_bytes(self, rnd, data, option=None, splice=None,
                     interesting=(0, 1, 0x7f, 0x80, 0xff, 52, 53, 255)):
        """Byte mutations of `data`; `option` makes an option to insert
        (DHCP's by default), `splice` the seeds to splice in (DHCP's and
        TFTP's)."""
        data = bytearray(data)
        for _ in range(rnd.choice((1, 1, 2, 3, 8))):
            op = rnd.randrange(9)
            if op == 0 and data:                            # bit flip
                i = rnd.randrange(len(data))
                data[i] ^= 1 << rnd.randrange(8)
            elif op == 1 and data:                          # interesting byte
                data[rnd.randrange(len(data))] = rnd.choice(interesting)
            elif op == 2:                                   # insert
                i = rnd.randrange(len(data) + 1)
                data[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 32)))
            elif op == 3 and data:                          # delete
                i = rnd.randrange(len(data))
                del data[i:i + rnd.randrange(1, 32)]
            elif op == 4 and data:                          # truncate
                del data[rnd.randrange(len(data)):]
            elif op == 5:                                   # an option, any length
                i = rnd.randrange(len(data) + 1)
                data[i:i] = (option or self.option4)(rnd)
            elif op == 6 and data:                          # splice another seed
                other = rnd.choice(splice or self.dhcp_corpus + self.tftp_corpus)
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
                    behind = (acked - block) & 0xffff
                    if 0 < behind < min(acked, 0x8000):
                        # A block before the ones ACKed: the server's
                        # retransmission (its timer fired before our ACK
                        # came) crossed the ACK.  Its bytes still count.
                        n = acked - behind
                        if data[4:] != image[(n - 1) * blksize:n * blksize]:
                            self.finding(f"DATA block {block} of {name} (blksize {blksize}), "
                                         f"sent again, differs from the image", r[5])
                            return
                        continue
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

    # -- DHCPv6 -----------------------------------------------------------

    def new_xid6(self):
        """A transaction id no other frame of the run carries."""
        n = ((self.iteration_no << 5) | (self.xid6_n & 31)) & 0xffffff
        self.xid6_n += 1
        return n ^ self.xid6_mask

    def duid6(self, rnd, mac):
        """A client's DUID: of its MAC (LL, LLT) or of nothing (EN, UUID)."""
        r = rnd.random()
        if r < 0.5:
            return DUID_LL(lladdr=mac)
        if r < 0.7:
            return DUID_LLT(lladdr=mac, timeval=rnd.getrandbits(32))
        if r < 0.85:
            return DUID_EN(enterprisenum=rnd.choice((343, 9, rnd.getrandbits(32))),
                           id=rnd.randbytes(rnd.randrange(1, 17)))
        return Raw(b"\0\4" + rnd.randbytes(16))             # DUID-UUID

    def pool_addr6(self, rnd):
        return f"fd00:1::{0x100 + rnd.randrange(256):x}"

    def client_msg6(self, rnd, cls, xid, duid, iaid=1, server_duid=None,
                    addr=None, rapid=False):
        """A client's message, the options a PXE client sends drawn."""
        m = cls(trid=xid)
        if duid is not None:
            m /= DHCP6OptClientId(duid=duid)
        if server_duid is not None:
            m /= DHCP6OptServerId(duid=Raw(server_duid))
        if cls is not DHCP6_InfoRequest:
            ia = [DHCP6OptIAAddress(addr=addr, preflft=0, validlft=0)] if addr else []
            m /= DHCP6OptIA_NA(iaid=iaid, T1=0, T2=0, ianaopts=ia)
        m /= DHCP6OptElapsedTime(elapsedtime=rnd.choice((0, 0, 100, 0xffff)))
        m /= DHCP6OptOptReq(reqopts=[23, 59, 60])
        if rnd.random() < 0.3:
            m /= DHCP6OptVendorClass(enterprisenum=343, vcdata=[
                VENDOR_CLASS_DATA(data=b"PXEClient:Arch:00007:UNDI:003016")])
        if rnd.random() < 0.1:
            m /= DHCP6OptUserClass(userclassdata=[USER_CLASS_DATA(data=b"iPXE")])
        if rnd.random() < 0.2:
            m /= (DHCP6OptClientArchType(archtypes=[rnd.choice((7, 9, 16))])
                  / DHCP6OptClientNetworkInterId(iitype=1, iimajor=3, iiminor=16))
        if rapid:
            m /= DHCP6OptRapidCommit()
        return m

    def message6(self, rnd, cls, xid, mac):
        """A well-formed client message of type `cls` from a client of
        `mac`: ids, server id and address as that type wants them, mostly."""
        duid = self.duid6(rnd, mac)
        if cls is DHCP6_InfoRequest and rnd.random() < 0.5:
            duid = None
        sid = None
        if cls in (DHCP6_Request, DHCP6_Renew, DHCP6_Release, DHCP6_Decline) \
                or rnd.random() < 0.05:
            sid = self.server_duid if rnd.random() < 0.9 else b"\0\3\0\1\2\0\0\0\0\x99"
        addr = None
        if cls is DHCP6_Confirm or (cls is not DHCP6_Solicit and rnd.random() < 0.7):
            addr = self.pool_addr6(rnd) if rnd.random() < 0.8 else "fd00:2::150"
        return self.client_msg6(rnd, cls, xid, duid, rnd.choice((1, 2, rnd.getrandbits(32))),
                                sid, addr, rapid=cls is DHCP6_Solicit and rnd.random() < 0.2)

    def retarget6(self, rnd, msg, mac):
        """A corpus seed made to reach further: often the server's own DUID
        as server id, sometimes a known client's DUID as client id."""
        if len(msg) < 4 or msg[0] in (RELAY_FORW, RELAY_REPL):
            return msg
        opts, whole = options6(msg, 4, len(msg))
        if not whole:
            return msg
        out = bytearray(msg[:4])
        has_sid = False
        for code, vs, ve in opts:
            val = bytes(msg[vs:ve])
            if code == 2:
                has_sid = True
                if rnd.random() < 0.6:
                    val = self.server_duid
            elif code == 1 and rnd.random() < 0.4:
                val = bytes(DUID_LL(lladdr=mac))
            out += struct.pack("!HH", code, len(val)) + val
        if not has_sid and msg[0] in (3, 5, 8, 9) and rnd.random() < 0.5:
            out += bytes(DHCP6OptServerId(duid=Raw(self.server_duid)))
        return out

    def odd_option6(self, rnd):
        """(code, value) of an option the server reads, odd in some way:
        IAs with several addresses or none, too short, nested options;
        values of the wrong length."""
        r = rnd.randrange(11)
        if r < 3:
            addrs = [DHCP6OptIAAddress(addr=rnd.choice((self.pool_addr6(rnd), "fd00:2::150", "::")),
                                       preflft=rnd.getrandbits(32), validlft=rnd.getrandbits(32),
                                       iaaddropts=([DHCP6OptStatusCode(statuscode=rnd.randrange(7))]
                                                   if rnd.random() < 0.3 else []))
                     for _ in range(rnd.choice((0, 1, 1, 2, 3)))]
            opt = bytes(DHCP6OptIA_NA(iaid=rnd.choice((1, 2, rnd.getrandbits(32))),
                                      T1=rnd.getrandbits(32), T2=rnd.getrandbits(32),
                                      ianaopts=addrs))
        elif r == 3:
            opt = bytes(rnd.choice((DHCP6OptIA_TA, DHCP6OptIA_PD))(iaid=rnd.getrandbits(32)))
        elif r == 4:
            opt = bytes(DHCP6OptStatusCode(statuscode=rnd.randrange(7), statusmsg="x"))
        else:
            code, lens = rnd.choice(((3, (0, 4, 11)), (5, (0, 16, 23)), (6, (1, 3)),
                                     (8, (0, 1, 3)), (14, (1, 2)), (15, (1, 2, 5)),
                                     (16, (0, 3, 4, 5)), (61, (0, 1, 3)), (62, (0, 2, 4))))
            return code, rnd.randbytes(rnd.choice(lens))
        return struct.unpack_from("!H", opt)[0], opt[4:]

    def mutate_options6(self, rnd, msg):
        """Mutations of a client message that keep its options whole:
        one dropped, repeated, given another value or length, an odd one
        added, their order shuffled."""
        if len(msg) < 4 or msg[0] in (RELAY_FORW, RELAY_REPL):
            return msg
        found, whole = options6(msg, 4, len(msg))
        if not whole:
            return msg
        opts = [(code, bytes(msg[vs:ve])) for code, vs, ve in found]
        for _ in range(rnd.choice((1, 1, 2, 3))):
            op = rnd.randrange(5)
            if op == 0 and opts:
                del opts[rnd.randrange(len(opts))]
            elif op == 1 and opts:
                opts.insert(rnd.randrange(len(opts) + 1), rnd.choice(opts))
            elif op == 2 and opts:
                i = rnd.randrange(len(opts))
                opts[i] = (opts[i][0], rnd.randbytes(rnd.choice((0, 1, 2, 3, 4, 11, 12, 23, 24,
                                                                 130, 131, rnd.randrange(300)))))
            elif op == 3:
                opts.insert(rnd.randrange(len(opts) + 1), self.odd_option6(rnd))
            elif op == 4:
                rnd.shuffle(opts)
        return bytes(msg[:4]) + b"".join(struct.pack("!HH", c, len(v)) + v for c, v in opts)

    def relay6(self, rnd, msg, mac, depth):
        """`msg` inside `depth` Relay-Forw messages, the first from the
        client's link (a link-address the pool's or another), the others
        from relays further out."""
        for level in range(depth):
            link = (rnd.choice(("fd00:1::", "fd00:1::2", "fd00:1::ffff", "fd00:2::1", "::"))
                    if level == 0 else "::")
            hop = level if rnd.random() < 0.8 else rnd.randrange(256)
            r = DHCP6_RelayForward(hopcount=hop, linkaddr=link,
                                   peeraddr=link_local(mac) if level == 0 else "fe80::99")
            if rnd.random() < 0.6:
                r /= DHCP6OptIfaceId(ifaceid=rnd.randbytes(rnd.choice((0, 1, 5, 32, 200))))
            r /= DHCP6OptRelayMsg(message=Raw(msg))
            msg = bytes(r)
        return bytearray(msg)

    def set_xid6(self, msg, xid):
        """`msg` with `xid` in its client message (behind its relays)."""
        msg = bytearray(msg)
        span = inner6(msg)
        at = span[0] if span and span[1] - span[0] >= 4 else 0
        if len(msg) >= at + 4:
            msg[at + 1:at + 4] = xid.to_bytes(3, "big")
        return bytes(msg)

    def shape6(self, rnd, mac, xid):
        """A DHCPv6 message to mutate: a corpus seed or a well-formed
        message, sometimes relayed, with a transaction id of its own."""
        if rnd.random() < 0.25:
            msg = bytes(self.message6(rnd, rnd.choice(MESSAGES6), xid, mac))
        else:
            msg = self.retarget6(rnd, rnd.choice(self.dhcp6_corpus), mac)
        if rnd.random() < 0.4:
            msg = self.mutate_options6(rnd, msg)
        if rnd.random() < 0.15 and msg[:1] != bytes([RELAY_FORW]):
            msg = self.relay6(rnd, bytes(msg), mac, rnd.choice((1, 1, 1, 2, 3, 31, 32, 33)))
        return self.set_xid6(msg, xid)

    def fuzz_dhcp6(self, rnd):
        """A mutated DHCPv6 message under sound Ethernet/IPv6/UDP headers."""
        mac = rnd.choice(self.macs)
        payload = self.shape6(rnd, mac, self.new_xid6())
        if rnd.random() < 0.6:
            payload = self.mutate_bytes(rnd, payload, self.option6, self.dhcp6_corpus,
                                        INTERESTING6)
        src, daddr, dmac = link_local(mac), ALL_DHCP6, ALL_DHCP6_MAC
        to = rnd.random()
        if to < 0.1:                    # multicast under another group MAC
            dmac = rnd.choice((BCAST_MAC, self.server_mac, "33:33:00:00:00:01"))
        elif to < 0.25:                 # a relay's (or a client's) unicast
            daddr, dmac = SERVER6, self.server_mac
            src = rnd.choice((src, "fd00:1::2", "fd00:1::150"))
        elif to < 0.35:
            daddr, dmac = self.server_ll, self.server_mac
        sport = 547 if payload[:1] == bytes([RELAY_FORW]) else 546
        if rnd.random() < 0.05:
            sport = rnd.randrange(65536)
        ip = IPv6(src=src, dst=daddr, hlim=rnd.choice((1, 1, 1, 64, 255)))
        if rnd.random() < 0.2:
            ip.tc, ip.fl = rnd.randrange(256), rnd.randrange(1 << 20)
        eth = Ether(src=mac, dst=dmac)
        if rnd.random() < 0.05:         # 802.1p: still the device's own
            eth = eth / Dot1Q(vlan=0, prio=rnd.randrange(8))
        shape = rnd.random()
        if shape < 0.06:
            # UDP length short of the IPv6 payload (the server reads the
            # datagram, the rest is the IPv6 payload's), its checksum over
            # the datagram.
            extra = rnd.randbytes(rnd.randrange(1, 17))
            raw = bytearray(bytes(eth / ip / UDP(sport=sport, dport=547, len=8 + len(payload))
                                  / Raw(payload + extra)))
            u = len(raw) - len(extra) - len(payload) - 8
            csum = udp6_checksum(bytes(raw[u - 32:u - 16]), bytes(raw[u - 16:u]),
                                 bytes(raw[u:u + 8 + len(payload)]))
            raw[u + 6:u + 8] = struct.pack("!H", csum)
            raw = bytes(raw)
        else:
            raw = bytes(eth / ip / UDP(sport=sport, dport=547) / Raw(payload))
            if shape < 0.16:            # Ethernet padding after the IPv6 payload
                raw += rnd.randbytes(rnd.choice((1, 2, 46, 64)))
        why = self.broken_headers6(raw)
        self.send6(raw, why)
        self.kinds["dhcp6_mutated"] += 1
        if why:                         # not meant to be: the count shows it
            self.kinds["dhcp6_mutated_broken"] += 1

    def ext_headers6(self, rnd, ip, l4):
        """`ip` / extension headers / `l4`: a chain scapy builds, or a
        header the hook does not walk with the UDP datagram behind it."""
        if rnd.random() < 0.2:
            udp = bytes(IPv6(src=ip.src, dst=ip.dst) / l4)[40:]
            ip.nh = rnd.choice((50, 51, 59, 135, 139, 140, 253, 254))
            return ip / Raw(bytes([17, 0]) + bytes(6) + udp)
        pkt = ip
        for _ in range(rnd.choice((1, 1, 2, 3))):
            h = rnd.randrange(6)
            if h == 0:
                pkt = pkt / IPv6ExtHdrHopByHop()
            elif h == 1:                # a jumbogram: payload length 0
                pkt.plen = 0
                pkt = pkt / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=len(l4) + 8)])
            elif h == 2:
                pkt = pkt / IPv6ExtHdrDestOpt()
            elif h == 3:
                pkt = pkt / IPv6ExtHdrRouting(type=rnd.choice((0, 2, 4)), segleft=rnd.choice((0, 1)),
                                              addresses=[SERVER6])
            else:                       # atomic, first, later fragment
                pkt = pkt / IPv6ExtHdrFragment(id=rnd.getrandbits(32),
                                               offset=rnd.choice((0, 0, 1, 185)),
                                               m=rnd.choice((0, 1)))
        return pkt / l4

    def fuzz_dhcp6_headers(self, rnd):
        """A DHCPv6 message the server would answer, mostly, under broken
        headers (one or two breaks): the stack's, no reply may come."""
        mac = rnd.choice(self.macs)
        xid = self.new_xid6()
        if rnd.random() < 0.7:
            cls = rnd.choice((DHCP6_Solicit, DHCP6_Solicit, DHCP6_InfoRequest,
                              DHCP6_Rebind, DHCP6_Confirm))
            payload = bytes(self.message6(rnd, cls, xid, mac))
        else:
            payload = self.set_xid6(rnd.choice(self.dhcp6_corpus), xid)
        breaks = set(rnd.sample(BREAKS6, rnd.choice((1, 1, 1, 2))))
        smac, dmac = mac, ALL_DHCP6_MAC
        src, dst = link_local(mac), ALL_DHCP6
        if "multicast_source" in breaks:
            src = rnd.choice(("ff02::1", "ff02::2", "ff02::1:2", "ff05::1:3", "ff0e::1"))
        if "unspecified_source" in breaks:
            src = "::"
        if "not_our_address" in breaks:
            dst = rnd.choice(("ff02::1", "ff02::1:3", "ff05::1:3", "fd00:1::2", "fd00:2::1",
                              "fe80::99"))
            dmac = ("33:33:00:00:00:01" if dst.startswith("ff") else self.server_mac)
        if "dst_mac" in breaks:
            dmac = rnd.choice(("02:00:00:00:00:99", self.mac, self.macs[0]))
        if "group_src_mac" in breaks:
            smac = rnd.choice(("01:00:5e:00:00:01", "33:33:00:00:00:01", BCAST_MAC))
        eth = Ether(src=smac, dst=dmac)
        if "vlan" in breaks:
            if rnd.random() < 0.7:
                eth = eth / Dot1Q(vlan=rnd.randrange(1, 4096))
            else:
                eth = eth / Dot1Q(vlan=rnd.choice((0, 5))) / Dot1Q(vlan=rnd.randrange(4096))
        ip = IPv6(src=src, dst=dst, hlim=1)
        if "ip_version" in breaks:
            ip.version = rnd.choice((0, 4, 5, 7, 15))
        udp = UDP(sport=546, dport=547)
        if "not_port_547" in breaks:
            udp.dport = rnd.choice((546, 548, 0, 67, 4011))
        l4 = udp / Raw(payload)
        if "ext_headers" in breaks:
            pkt = eth / self.ext_headers6(rnd, ip, l4)
        else:
            if "next_header" in breaks:
                ip.nh = rnd.choice((6, 58, 132, 136))
            pkt = eth / ip / l4
        n = len(bytes(pkt[IPv6].payload))
        if "payload_length_long" in breaks:
            pkt[IPv6].plen = min(0xffff, n + rnd.choice((1, 2, 8, 64, 1000, 0xffff)))
        if "payload_length_short" in breaks:
            pkt[IPv6].plen = rnd.choice((0, 1, 7, n - 1, rnd.randrange(n)))
        if pkt.haslayer(UDP):
            if "udp_length" in breaks:
                pkt[UDP].len = rnd.choice((0, 1, 7, 9 + len(payload), 16 + len(payload), 0xffff))
            if "zero_checksum" in breaks:
                pkt[UDP].chksum = 0
        raw = bytes(pkt)
        if pkt.haslayer(UDP) and "bad_checksum" in breaks and "zero_checksum" not in breaks:
            # The checksum scapy computed, wrong.  (Not by dissecting the
            # frame: scapy's DHCPv6 dissector runs out of memory on some seeds.)
            at = len(raw) - len(payload) - 2
            good = struct.unpack_from("!H", raw, at)[0]
            raw = raw[:at] + struct.pack("!H", good ^ rnd.randrange(1, 65536)) + raw[at + 2:]
        if "truncated" in breaks:
            raw = raw[:rnd.randrange(14, len(raw))]
        why = self.broken_headers6(raw)
        self.send6(raw, why)
        if why:
            self.kinds["dhcp6_broken_headers"] += 1
        else:                           # a break that broke nothing: the count shows it
            self.kinds["dhcp6_headers_left_sound"] += 1

    def reply_xid6(self, msg):
        span = inner6(msg)
        if not span or span[1] - span[0] < 4:
            return None
        return msg[span[0] + 1:span[0] + 4]

    def reply_ids6(self, msg):
        """The server id and the IA Address (text) of a reply, or None."""
        span = inner6(msg)
        sid = addr = None
        if not span or span[1] - span[0] < 4:
            return None, None
        opts, _ = options6(msg, span[0] + 4, span[1])
        for code, vs, ve in opts:
            if code == 2:
                sid = msg[vs:ve]
            elif code == 3 and ve - vs >= 12:
                for c, a, b in options6(msg, vs + 12, ve)[0]:
                    if c == 5 and b - a >= 24:
                        addr = socket.inet_ntop(socket.AF_INET6, msg[a:a + 16])
        return sid, addr

    def solicit_request(self, rnd):
        """A valid Solicit, Advertise, Request, Reply (or a rapid commit)
        from a client of a known MAC with a DUID drawn, sometimes through a
        relay; then, at times, Renew, Release, Decline, Rebind or Confirm."""
        mac = rnd.choice(self.macs)
        duid = self.duid6(rnd, mac)
        iaid = rnd.choice((1, 1, 2, rnd.getrandbits(32)))
        relayed = rnd.random() < 0.15
        relay_mac = f"02:fb:00:00:00:{rnd.randrange(1, 9):02x}"
        iface = rnd.randbytes(rnd.choice((0, 4, 16)))

        def exchange(m, xid, wait=0.5):
            data = bytes(m)
            if relayed:
                data = bytes(DHCP6_RelayForward(hopcount=0, linkaddr="fd00:1::",
                                                peeraddr=link_local(mac))
                             / DHCP6OptIfaceId(ifaceid=iface)
                             / DHCP6OptRelayMsg(message=Raw(data)))
                pkt = (Ether(src=relay_mac, dst=self.server_mac)
                       / IPv6(src="fd00:1::2", dst=SERVER6, hlim=64)
                       / UDP(sport=547, dport=547) / Raw(data))
            else:
                pkt = (Ether(src=mac, dst=ALL_DHCP6_MAC)
                       / IPv6(src=link_local(mac), dst=ALL_DHCP6, hlim=1)
                       / UDP(sport=546, dport=547) / Raw(data))
            raw = bytes(pkt)
            self.send6(raw, self.broken_headers6(raw))
            want = xid.to_bytes(3, "big")
            mine = lambda r: r[2] == 547 and self.reply_xid6(r[4]) == want
            return next((r[4] for r in self.recv_all(wait, mine) if mine(r)), None)

        self.kinds["solicit_request"] += 1
        rapid = rnd.random() < 0.1
        xid = self.new_xid6()
        got = exchange(self.client_msg6(rnd, DHCP6_Solicit, xid, duid, iaid, rapid=rapid), xid)
        if got is None:
            return
        sid, addr = self.reply_ids6(got)
        if sid is None or addr is None:
            return                      # NoAddrsAvail: the pool is full
        if not rapid:
            if rnd.random() < 0.1:
                return                  # the offer stays held
            xid = self.new_xid6()
            if exchange(self.client_msg6(rnd, DHCP6_Request, xid, duid, iaid, sid, addr),
                        xid) is None:
                return
        r = rnd.random()
        then = (DHCP6_Renew if r < 0.12 else DHCP6_Release if r < 0.24
                else DHCP6_Decline if r < 0.3 else DHCP6_Rebind if r < 0.36
                else DHCP6_Confirm if r < 0.42 else None)
        if then is not None:
            xid = self.new_xid6()
            with_sid = then in (DHCP6_Renew, DHCP6_Release, DHCP6_Decline)
            exchange(self.client_msg6(rnd, then, xid, duid, iaid, sid if with_sid else None,
                                      addr), xid, 0.3)
        self.recv_all(0.02)

    def iteration(self, i):
        rnd = random.Random(f"{self.args.seed}:{i}")
        self.iteration_no, self.xid6_n = i, 0
        # The v6 kinds take a third of the iterations from the v4 ones.
        r = rnd.random()
        if r < 0.3:
            self.fuzz_dhcp(rnd)
        elif r < 0.53:
            self.fuzz_tftp(rnd)
        elif r < 0.62:
            self.dora(rnd)
        elif r < 0.68:
            self.download(rnd)
        elif r < 0.81:
            self.fuzz_dhcp6(rnd)
        elif r < 0.91:
            self.fuzz_dhcp6_headers(rnd)
        else:
            self.solicit_request(rnd)
        self.recv_all(0)



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", required=True)
    ap.add_argument("--server-mac", required=True)
    ap.add_argument("--server-ll", required=True,
                    help="the server device's link-local address")
    ap.add_argument("--pool6", nargs=2, default=("fd00:1::100", "fd00:1::1ff"),
                    metavar=("START", "END"), help="the IPv6 pool's range")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--image", action="append", default=[])
    args = ap.parse_args()
    args.server_mac = args.server_mac.lower()

    t_init = time.monotonic()
    fz = Fuzzer(args)
    t_ready = time.monotonic()
    # Where a start goes under emulation: the interpreter (from the
    # process's start, /proc/self/stat), scapy's import, the corpora.
    try:
        with open("/proc/self/stat") as f:
            started = int(f.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime") as f:
            up = float(f.read().split()[0]) - (t_ready - T_IMPORT) - started
    except (OSError, ValueError, IndexError):
        up = float("nan")
    print(f"# fuzz_packets: python {up:.1f} s, imports {t_init - T_IMPORT:.1f} s, "
          f"corpora and socket {t_ready - t_init:.1f} s", flush=True)
    print(f"# fuzz_packets: seed {args.seed}, "
          + (f"{args.count} iterations" if args.count else f"{args.seconds:g} s"),
          flush=True)
    end = time.monotonic() + args.seconds
    i = 0
    while (i < args.count) if args.count else (time.monotonic() < end):
        fz.iteration(i)
        i += 1
    t_end = time.monotonic()
    fz.recv_all(1.0)
    print(f"# fuzz_packets: {t_end - t_ready:.1f} s of fuzzing; "
          f"{i} iterations, {fz.frames} frames sent, "
          f"{fz.replies} replies ({fz.replies6} DHCPv6), {dict(fz.kinds)}; "
          f"replay: FUZZ_SEED={args.seed} "
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
