#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DHCP messages built with scapy, and a listener that shows what reached
the stack (pxe selftests: what the module leaves alone must arrive there).

  dhcp_stack.py listen --port N OUT [--dev IF]
      Bind UDP :N (on IF), print "listening" and append one JSON line per
      datagram to OUT: from (addr:port), xid, type (option 53), giaddr,
      vendor (option 60, text or null).

  dhcp_stack.py send --dev IF TYPE --mac MAC [--vendor TEXT] [--arch N]
                [--user-class NAME] [--ipxe] [--prl CODE,...]
                [--giaddr A] [--ciaddr A] [--requested A] [--server-id A]
                [--sport N] [--to ADDR] [--no-bind-dev] [--timeout S]
                [--name NAME]
      Send one BOOTREQUEST of TYPE (discover, request, inform) from
      0.0.0.0 (or the device's address):SPORT (default 68) to ADDR:67
      (default 255.255.255.255), then print {"xid": N} and every
      BOOTREPLY with that xid arriving within --timeout seconds as a JSON
      line: name (with --name), to (addr:port), type, yiaddr, siaddr,
      file, options (code -> hex, as dhcp_send.py prints them).
      --arch adds 93 and 94, --user-class 77, --ipxe 175 (iPXE's
      features), --prl replaces option 55 (default 1,3,6,51,54,60,66,67,43).
      --no-bind-dev: the socket is not bound to IF (for a relay's reply to
      giaddr).

  dhcp_stack.py batch
      Each line of standard input holds the arguments of one `send`; they
      are sent in turn, each printing as `send` does (one process: scapy
      is imported once).

  dhcp_stack.py files --dev IF MAC... [--timeout S]
      For each MAC in turn, a DISCOVER out of IF; print "MAC FILE" with the
      boot file of the OFFER (the file field; "-" when empty), or
      "MAC none" when no OFFER came within --timeout seconds.  One process
      for many clients: scapy is imported once.
"""
import argparse
import json
import random
import select
import shlex
import socket
import struct
import sys
import time

from dhcp_send import decode

# scapy takes seconds to import on a TCG guest: listen binds first.
BOOTP = DHCP = None


def load_scapy():
    global BOOTP, DHCP
    from scapy.layers.dhcp import BOOTP, DHCP  # noqa: F811

SO_BINDTODEVICE = 25
IP_PKTINFO = 8


def options_of(pkt):
    out = {}
    if DHCP in pkt:
        for opt in pkt[DHCP].options:
            if isinstance(opt, tuple) and len(opt) >= 2:
                out[opt[0]] = opt[1]
    return out


def cmd_listen(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.dev:
        sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.dev.encode())
    sock.bind(("", args.port))
    print("listening", flush=True)     # datagrams queue from here on
    load_scapy()
    with open(args.out, "a", buffering=1) as out:
        while True:
            data, peer = sock.recvfrom(65536)
            pkt = BOOTP(data)
            opts = options_of(pkt)
            vendor = opts.get("vendor_class_id")
            out.write(json.dumps({
                "from": "%s:%d" % peer,
                "xid": pkt.xid,
                "type": opts.get("message-type"),
                "giaddr": pkt.giaddr,
                "vendor": vendor.decode(errors="replace") if vendor else None,
            }) + "\n")


def discover_socket(dev, sport=68, bind_dev=True):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    if bind_dev:
        sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, dev.encode())
    sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    sock.bind(("", sport))
    return sock


def cmd_files(args):
    load_scapy()
    sock = discover_socket(args.dev)
    for text in args.macs:
        xid = random.getrandbits(32)
        mac = bytes.fromhex(text.replace(":", ""))
        msg = BOOTP(op=1, xid=xid, flags=0x8000, chaddr=mac + bytes(10)) / \
            DHCP(options=[("message-type", "discover"),
                          ("param_req_list", [1, 3, 6, 51, 54, 66, 67]), "end"])
        sock.sendto(bytes(msg), ("255.255.255.255", 67))
        answer = "none"
        deadline = time.monotonic() + args.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                break
            reply = BOOTP(sock.recv(65536))
            if reply.op == 2 and reply.xid == xid and \
                    options_of(reply).get("message-type") == 2:
                answer = reply.file.rstrip(b"\0").decode(errors="replace") or "-"
                break
        print(text, answer, flush=True)
    return 0


def cmd_batch(args):
    for line in sys.stdin:
        if line.strip():
            cmd_send(args.send_parser.parse_args(shlex.split(line)))
    return 0


def cmd_send(args):
    load_scapy()
    mac = bytes.fromhex(args.mac.replace(":", ""))
    xid = random.getrandbits(32)
    opts = [("message-type", args.type)]
    if args.vendor:
        opts.append(("vendor_class_id", args.vendor.encode()))
    if args.arch is not None:
        opts.append((93, struct.pack("!H", args.arch)))
        opts.append((94, b"\x01\x02\x01"))
    if args.user_class:
        opts.append((77, args.user_class.encode()))
    if args.ipxe:
        opts.append((175, b"\xb1\x05\x01\x80\x86\x10\x0e"))
    if args.requested:
        opts.append(("requested_addr", args.requested))
    if args.server_id:
        opts.append(("server_id", args.server_id))
    opts.append(("param_req_list", [int(c) for c in args.prl.split(",")]))
    opts.append("end")
    msg = BOOTP(op=1, htype=1, hlen=6, xid=xid, flags=0x8000,
                hops=1 if args.giaddr != "0.0.0.0" else 0,
                ciaddr=args.ciaddr, giaddr=args.giaddr,
                chaddr=mac + bytes(10)) / DHCP(options=opts)

    sock = discover_socket(args.dev, args.sport, not args.no_bind_dev)
    sock.sendto(bytes(msg), (args.to, 67))
    print(json.dumps({"xid": xid}), flush=True)

    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return 0
        data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(12))
        reply = BOOTP(data)
        if reply.op != 2 or reply.xid != xid:
            continue
        dst = "?"
        for level, kind, cdata in anc:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                dst = socket.inet_ntoa(cdata[8:12])
        out = {"name": args.name} if args.name else {}
        out.update({
            "to": "%s:%d" % (dst, sock.getsockname()[1]),
            "type": options_of(reply).get("message-type"),
            "yiaddr": reply.yiaddr,
            "siaddr": reply.siaddr,
            "file": reply.file.rstrip(b"\0").decode(errors="replace"),
            "options": decode(data)["options"],
        })
        print(json.dumps(out), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    listen = sub.add_parser("listen")
    listen.add_argument("--port", type=int, required=True)
    listen.add_argument("--dev")
    listen.add_argument("out")
    send = sub.add_parser("send")
    add_send_arguments(send)
    batch = sub.add_parser("batch")
    batch.set_defaults(send_parser=add_send_arguments(argparse.ArgumentParser()))
    files = sub.add_parser("files")
    files.add_argument("--dev", required=True)
    files.add_argument("--timeout", type=float, default=3.0)
    files.add_argument("macs", nargs="+")
    args = p.parse_args()
    return {"listen": cmd_listen, "send": cmd_send, "files": cmd_files,
            "batch": cmd_batch}[args.cmd](args)


def add_send_arguments(send):
    send.add_argument("type", choices=["discover", "request", "inform"])
    send.add_argument("--dev", required=True)
    send.add_argument("--mac", required=True)
    send.add_argument("--vendor")
    send.add_argument("--arch", type=int)
    send.add_argument("--user-class")
    send.add_argument("--ipxe", action="store_true")
    send.add_argument("--prl", default="1,3,6,51,54,60,66,67,43")
    send.add_argument("--name")
    send.add_argument("--giaddr", default="0.0.0.0")
    send.add_argument("--ciaddr", default="0.0.0.0")
    send.add_argument("--requested")
    send.add_argument("--server-id")
    send.add_argument("--sport", type=int, default=68)
    send.add_argument("--to", default="255.255.255.255")
    send.add_argument("--no-bind-dev", action="store_true")
    send.add_argument("--timeout", type=float, default=1.5)
    return send


if __name__ == "__main__":
    sys.exit(main())
