#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send DHCPv6 frames crafted with scapy and print the replies (pxe
selftests).

    dhcp6_send.py --dev IF [--frames DIR] KIND [--timeout S] [--expect-none]
    dhcp6_send.py --dev IF[,IF...] --build DIR [--client-mac MAC] KIND...

KIND is a good message:

    solicit             a Solicit with one IA_NA
    rapid-commit        the same with Rapid Commit (14)
    information-request an Information-Request, no IA
    confirm-onlink      a Confirm of fd00:1::150
    confirm-offlink     a Confirm of fd00:2::150
    relayed-solicit     the Solicit inside a Relay-Forw (link-address
                        fd00:1::, Interface-ID "port7") from :547, answered
                        on :547
    decline             Solicit, Request for the address advertised, then
                        Decline of it (each reply printed)
    hint-solicit        a Solicit whose IA_NA asks for fd00:1::102

a client whose DUID holds no MAC (reservations find it by its MAC):

    uuid-solicit        a Solicit with a DUID-UUID (type 4) client id
    uuid-request        the same, then a Request for the address
                        advertised (each reply printed)
    relayed-uuid-solicit  a Solicit with another DUID-UUID inside a
                        Relay-Forw (as relayed-solicit) that carries the
                        Client Link-Layer Address (79, RFC 6939):
                        Ethernet, --client-mac (default: IF's MAC)
    relayed-uuid-solicit-no-79  the same without option 79: the server
                        knows no MAC for it

a Solicit as network-boot firmware sends it (what boot rules match on):

    edk2-solicit        EDK2's PXEv6 (UefiPxeBcDxe): DUID-UUID, ORO 59 60
                        23 16, arch 7 (61), NII 1.3.0 (62), vendor class
                        343 "PXEClient:Arch:00007:UNDI:003000" (16)
    relayed-edk2-solicit  the same inside a Relay-Forw, as relayed-solicit
    ipxe-solicit        iPXE's EFI build: DUID-LL, ORO 59 23, arch 7,
                        vendor class "PXEClient:Arch:00007:UNDI:003010",
                        user class "iPXE" (15)
    http-solicit        UEFI HTTP Boot: DUID-UUID, ORO 59 23 16, arch 16,
                        vendor class "HTTPClient:Arch:00016:UNDI:003000"

or a frame broken in exactly one way:

    bad-payload-length  IPv6 payload length 8 bytes past the frame
    bad-udp-length      UDP length 8 bytes past the IPv6 payload
    ext-header          a hop-by-hop options header before UDP
    bad-checksum        a UDP checksum off by one bit
    zero-checksum       UDP checksum 0 (invalid over IPv6)
    truncated           a DHCPv6 message of 3 bytes
    bad-option          an option whose length runs past the message
    foreign-server-id   a Request naming another server's DUID
    multicast-source    a Solicit from ff02::1 (the stack drops it)
    unspecified-source  a Solicit from ::

or one the server must leave to the stack as it came:

    relayed-ldra-solicit  the Solicit inside a lightweight relay's
                        Relay-Forw (RFC 6221: link-address ::)
    relayed-ldra-in-relay-solicit  that inside relayed-solicit's Relay-Forw
    relayed-linklocal-solicit  relayed-solicit with link-address fe80::1234
    relayed-offlink-ldra-solicit  relayed-ldra-solicit inside a Relay-Forw
                        from fd00:2:: (a link no pool serves)
    relayed-ldra-twice-solicit  relayed-ldra-solicit inside another
                        lightweight relay's Relay-Forw
    padded-relay-reply  a Relay-Repl (a server's message) to fd00:1::1,
                        with 8 bytes after the UDP datagram inside the
                        IPv6 payload: the stack must see it whole

Everything else is a well-formed Solicit (or Request) from IF's
link-local address and MAC, port 546, to ff02::1:2 port 547, so the
server's drop counter for that one defect is what moves.  Each reply
arriving on :546 within --timeout seconds is printed as one JSON line:
type, xid, options (code -> hex).  Exit 0 when a reply came, 1 when none
did; --expect-none inverts that.

Each reply that has an IA_NA also gets "ia_address", its first IA
Address as text (null when it has none: a status instead).

Importing scapy takes seconds under emulation (a minute on the debug
kernel): --build writes each KIND's frame to DIR/KIND with one import
(to DIR/IF/KIND for each IF of a list), and --frames DIR sends DIR/KIND
when it is there, without scapy.  A decline's and a uuid-request's
frames carry what the server said, so they are always built.
"""
import argparse
import fcntl
import json
import os
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


IAID = 0x0a0b0c0d
TYPES = {"solicit": 1, "request": 3, "confirm": 4, "decline": 9,
         "information-request": 11}


EDK2_UUID = bytes.fromhex("8d6a1c4e120b4f3a9e417c502d660123")
# The client of uuid-solicit, and the relayed one of relayed-uuid-solicit.
UUID_DUID = struct.pack("!H", 4) + bytes.fromhex("5ec0a1d3c2b14f0e8a9d0f1e2d3c4b5a")
RELAYED_UUID_DUID = (struct.pack("!H", 4)
                     + bytes.fromhex("5ec0a1d3c2b14f0e8a9d0f1e2d3c4b5b"))
HINT = "fd00:1::102"


def vendor_class(text):
    return option(16, struct.pack("!IH", 343, len(text)) + text.encode())


def boot_options(kind):
    """The client id and what firmware sends for a boot (see --help)."""
    oro = {"edk2": (59, 60, 23, 16), "ipxe": (59, 23), "http": (59, 23, 16)}
    arch = {"edk2": 7, "ipxe": 7, "http": 16}
    duid = option(1, struct.pack("!H", 4) + EDK2_UUID)
    out = option(6, struct.pack(f"!{len(oro[kind])}H", *oro[kind]))
    out += option(61, struct.pack("!H", arch[kind]))
    if kind == "edk2":
        out += option(62, bytes([1, 3, 0]))
        out += vendor_class("PXEClient:Arch:00007:UNDI:003000")
    elif kind == "ipxe":
        out += vendor_class("PXEClient:Arch:00007:UNDI:003010")
        out += option(15, struct.pack("!H", 4) + b"iPXE")
        duid = None
    else:
        out += vendor_class("HTTPClient:Arch:00016:UNDI:003000")
    return duid, out


def client_message(msg_type, xid, mac, ia=True, ia_addr=None,
                   server_id=None, rapid=False, boot=None, duid=None):
    duid, extra = boot_options(boot) if boot else (duid, b"")
    msg = struct.pack("!I", (msg_type << 24) | xid)
    msg += duid or option(1, struct.pack("!HH", 3, 1) + mac)
    if server_id:
        msg += option(2, server_id)
    if ia:
        addr = b""
        if ia_addr:
            addr = option(5, socket.inet_pton(socket.AF_INET6, ia_addr)
                          + struct.pack("!II", 0, 0))
        msg += option(3, struct.pack("!III", IAID, 0, 0) + addr)
    msg += option(8, b"\0\0")
    msg += extra or option(6, struct.pack("!H", 23))
    if rapid:
        msg += option(14, b"")
    return msg


def relay_forw(msg, client_mac=None, link="fd00:1::"):
    """@msg in a Relay-Forw from fe80::1234 with link-address @link (the
    client's link fd00:1::/64 by default), Interface-ID "port7", with
    option 79 (Ethernet, @client_mac) when given."""
    link = socket.inet_pton(socket.AF_INET6, link)
    peer = socket.inet_pton(socket.AF_INET6, "fe80::1234")
    lladdr = option(79, struct.pack("!H", 1) + client_mac) if client_mac else b""
    return (bytes([12, 0]) + link + peer + option(18, b"port7") + lladdr
            + option(9, msg))


def message(kind, xid, mac, client_mac=None):
    if kind == "hint-solicit":
        return client_message(1, xid, mac, ia_addr=HINT)
    if kind == "uuid-solicit":
        return client_message(1, xid, mac, duid=option(1, UUID_DUID))
    if kind.startswith("relayed-uuid-solicit"):
        msg = client_message(1, xid, mac, duid=option(1, RELAYED_UUID_DUID))
        return relay_forw(msg, None if kind.endswith("-no-79")
                          else client_mac or mac)
    if kind == "foreign-server-id":
        return client_message(3, xid, mac, server_id=struct.pack("!HH", 3, 1)
                              + bytes.fromhex("020000000099"))
    if kind == "information-request":
        return client_message(11, xid, mac, ia=False)
    if kind.startswith("confirm-"):
        addr = "fd00:1::150" if kind == "confirm-onlink" else "fd00:2::150"
        return client_message(4, xid, mac, ia_addr=addr)
    boot = kind.split("-")[-2] if kind.endswith("-solicit") else None
    msg = client_message(1, xid, mac, rapid=kind == "rapid-commit",
                         boot=boot if boot in ("edk2", "ipxe", "http") else None)
    if kind == "truncated":
        return msg[:3]
    if kind == "bad-option":
        msg += struct.pack("!HH", 23, 32) + b"\0" * 4
    if kind in ("relayed-ldra-solicit", "relayed-ldra-in-relay-solicit"):
        msg = relay_forw(msg, link="::")
        if kind == "relayed-ldra-in-relay-solicit":
            msg = relay_forw(msg)
    elif kind == "relayed-linklocal-solicit":
        msg = relay_forw(msg, link="fe80::1234")
    elif kind == "relayed-offlink-ldra-solicit":
        msg = relay_forw(relay_forw(msg, link="::"), link="fd00:2::")
    elif kind == "relayed-ldra-twice-solicit":
        msg = relay_forw(relay_forw(msg, link="::"), link="::")
    elif kind.startswith("relayed-"):
        msg = relay_forw(msg)
    return msg


SOURCES = {"multicast-source": "ff02::1", "unspecified-source": "::"}


def padded_relay_reply(dev, xid):
    """A Relay-Repl to the server's address with padding after UDP."""
    from scapy.layers.dhcp6 import (DHCP6_RelayReply, DHCP6_Reply,
                                    DHCP6OptRelayMsg)
    from scapy.layers.inet import UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.packet import Padding

    udp = (UDP(sport=547, dport=547)
           / DHCP6_RelayReply(linkaddr="fd00:1::", peeraddr="fe80::1234")
           / DHCP6OptRelayMsg(message=DHCP6_Reply(trid=xid)))
    pad = 8
    return bytes(Ether(src=mac_of(dev), dst="33:33:00:01:00:02")
                 / IPv6(src=link_local_of(dev), dst="fd00:1::1",
                        plen=len(udp) + pad, hlim=1)
                 / udp / Padding(load=b"\0" * pad))


def frame(kind, dev, xid, msg=None, client_mac=None):
    from scapy.layers.inet import UDP
    from scapy.layers.inet6 import IPv6, IPv6ExtHdrHopByHop
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    if kind == "padded-relay-reply":
        return padded_relay_reply(dev, xid)
    mac = mac_of(dev)
    payload = Raw(msg if msg is not None
                  else message(kind, xid, mac, client_mac))
    eth = Ether(src=mac, dst="33:33:00:01:00:02")
    ip6 = IPv6(src=SOURCES.get(kind) or link_local_of(dev),
               dst=ALL_DHCP_SERVERS, hlim=1)
    udp = UDP(sport=547 if kind.startswith("relayed-") else 546, dport=547)
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
    """type, xid, options (code -> hex); a Relay-Repl's message as relayed."""
    if len(data) < 4:
        return {"type": None}
    msg_type = data[0]
    if msg_type == 13:
        out, off = {"type": msg_type, "hop_count": data[1]}, 34
    else:
        xid = struct.unpack("!I", b"\0" + data[1:4])[0]
        out, off = {"type": msg_type, "xid": xid}, 4
    options = {}
    while off + 4 <= len(data):
        code, length = struct.unpack("!HH", data[off:off + 4])
        options[str(code)] = data[off + 4:off + 4 + length].hex()
        off += 4 + length
    out["options"] = options
    if "3" in options:
        out["ia_address"] = ia_address(out)
    if msg_type == 13 and "9" in options:
        out["relayed"] = decode(bytes.fromhex(options["9"]))
    return out


def ia_address(reply):
    """The first IA Address of a reply's IA_NA, as text, or None."""
    ia = bytes.fromhex(reply["options"].get("3", ""))[12:]
    while len(ia) >= 4:
        code, length = struct.unpack("!HH", ia[:4])
        if code == 5 and length >= 24:
            return socket.inet_ntop(socket.AF_INET6, ia[4:20])
        ia = ia[4 + length:]
    return None


def exchange(rx, tx, data, timeout):
    """Sends @data, prints and returns the replies within @timeout s."""
    tx.send(data)
    replies = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([rx], [], [], left)[0]:
            return replies
        reply = decode(rx.recv(65536))
        print(json.dumps(reply), flush=True)
        replies.append(reply)


def decline(dev, rx, tx, timeout, kind="decline"):
    """Solicit, Request, Decline: the replies of all three; for a
    uuid-request, of the Solicit and the Request, with a DUID-UUID."""
    mac = mac_of(dev)
    uuid = kind == "uuid-request"
    duid = option(1, UUID_DUID) if uuid else None
    xid = random.getrandbits(24)
    got = exchange(rx, tx, frame("uuid-solicit" if uuid else "solicit", dev,
                                 xid), timeout)
    if not got or not ia_address(got[0]):
        return got
    server_id = bytes.fromhex(got[0]["options"]["2"])
    addr = ia_address(got[0])
    for msg_type in (3,) if uuid else (3, 9):
        xid = random.getrandbits(24)
        msg = client_message(msg_type, xid, mac, ia_addr=addr,
                             server_id=server_id, duid=duid)
        got += exchange(rx, tx, frame(kind, dev, xid, msg), timeout)
    return got


def build(devs, kinds, out, client_mac=None):
    """Each kind's frame (a new xid each) to out/kind; with several devs,
    to out/dev/kind."""
    for dev in devs.split(","):
        where = out if "," not in devs else f"{out}/{dev}"
        os.makedirs(where, exist_ok=True)
        for kind in kinds:
            if kind in ("decline", "uuid-request"):
                sys.exit(f"dhcp6_send.py: a {kind} is built as it goes")
            data = frame(kind, dev, random.getrandbits(24),
                         client_mac=client_mac)
            with open(f"{where}/{kind}", "wb") as f:
                f.write(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dev", required=True)
    p.add_argument("--build", metavar="DIR")
    p.add_argument("--frames", metavar="DIR")
    p.add_argument("--client-mac", metavar="MAC",
                   type=lambda m: bytes.fromhex(m.replace(":", "")))
    p.add_argument("kind", nargs="+", choices=[
        "solicit", "rapid-commit", "information-request", "confirm-onlink",
        "confirm-offlink", "relayed-solicit", "decline",
        "bad-payload-length", "bad-udp-length", "ext-header",
        "bad-checksum", "zero-checksum", "truncated", "bad-option",
        "foreign-server-id", "multicast-source", "unspecified-source",
        "padded-relay-reply", "edk2-solicit", "relayed-edk2-solicit",
        "ipxe-solicit", "http-solicit", "hint-solicit", "uuid-solicit",
        "uuid-request", "relayed-uuid-solicit",
        "relayed-uuid-solicit-no-79", "relayed-ldra-solicit",
        "relayed-ldra-in-relay-solicit", "relayed-linklocal-solicit",
        "relayed-offlink-ldra-solicit", "relayed-ldra-twice-solicit"])
    p.add_argument("--timeout", type=float, default=5)
    p.add_argument("--expect-none", action="store_true")
    args = p.parse_args()
    if args.build:
        build(args.dev, args.kind, args.build, args.client_mac)
        return
    if len(args.kind) != 1:
        p.error("one KIND to send")
    args.kind = args.kind[0]

    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.dev.encode())
    rx.bind(("::", 547 if args.kind.startswith("relayed-") else 546))
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((args.dev, 0))
    if args.kind in ("decline", "uuid-request"):
        got = decline(args.dev, rx, tx, args.timeout, args.kind)
    else:
        try:
            with open(f"{args.frames}/{args.kind}", "rb") as f:
                data = f.read()
        except (TypeError, FileNotFoundError):
            data = frame(args.kind, args.dev, random.getrandbits(24))
        got = exchange(rx, tx, data, args.timeout)
    sys.exit(0 if bool(got) != args.expect_none else 1)


if __name__ == "__main__":
    main()
