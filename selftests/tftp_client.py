#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TFTP client for the pxe selftests: it does on purpose what real clients
never do (ACK slowly, open thousands of sessions and never ACK, send broken
packets) and says exactly what came back.

  tftp_client.py get HOST NAME OUT [--blksize N] [--tsize] [--windowsize N]
                 [--mode octet|netascii] [--ack-delay SECS] [--started FILE]
                 [--pause-at N --paused FILE --resume FILE]
      Download NAME (RFC 1350 + 2347/2348/2349/7440) into OUT; exit 0 once
      the last block is received and acknowledged.  --ack-delay sleeps before
      each ACK (a slow client); --started FILE is created when the first
      DATA arrives.  --pause-at holds the ACK of block N: FILE --paused is
      created then, and the download goes on once FILE --resume exists (the
      server resends block N meanwhile: keep the pause under its give-up
      time).  Prints "blocks N bytes N dups N".

  tftp_client.py send HOST HEX [--port P] [--wait SECS]
      Send one datagram (hex bytes) from a fresh port and print the first
      answer: "ERROR code message", "OACK k=v ...", "DATA block len", "ACK n"
      or "none" when nothing came within --wait seconds; also "rtt SECS" and
      "from ADDR:PORT".  --abort ends a session the datagram started.

  tftp_client.py hold HOST NAME COUNT --ready FILE --release FILE [--rto S]
                 [--ack0] [--ports FILE]
      Open COUNT sessions from COUNT source ports (RRQ each, with option
      "timeout S" when --rto is given: the server waits that long before it
      resends), read the first packet of every one without acknowledging it
      (with --ack0, acknowledge an OACK with ACK 0 and nothing after: the
      server holds a half-open session only 3 s), create FILE --ready with
      the number answered (and FILE --ports with the server port of each
      session, one a line), wait for --release to exist, then end every
      session with an ERROR 0 and exit.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6


def rrq(name, mode="octet", options=()):
    pkt = struct.pack("!H", RRQ) + name.encode() + b"\0" + mode.encode() + b"\0"
    for key, value in options:
        pkt += key.encode() + b"\0" + str(value).encode() + b"\0"
    return pkt


def describe(pkt):
    if len(pkt) < 2:
        return "short %d" % len(pkt)
    op = struct.unpack("!H", pkt[:2])[0]
    if op == ERROR and len(pkt) >= 4:
        code = struct.unpack("!H", pkt[2:4])[0]
        msg = pkt[4:].split(b"\0")[0].decode(errors="replace")
        return "ERROR %d %s" % (code, msg)
    if op == OACK:
        fields = pkt[2:].split(b"\0")[:-1]
        pairs = ["%s=%s" % (fields[i].decode().lower(), fields[i + 1].decode())
                 for i in range(0, len(fields) - 1, 2)]
        return "OACK " + " ".join(pairs)
    if op == DATA and len(pkt) >= 4:
        return "DATA %d %d" % (struct.unpack("!H", pkt[2:4])[0], len(pkt) - 4)
    if op == ACK and len(pkt) >= 4:
        return "ACK %d" % struct.unpack("!H", pkt[2:4])[0]
    return "opcode %d" % op


def cmd_send(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", 0))
    start = time.monotonic()
    sock.sendto(bytes.fromhex(args.hex), (args.host, args.port))
    ready, _, _ = select.select([sock], [], [], args.wait)
    if not ready:
        print("none")
        return 0
    pkt, peer = sock.recvfrom(70000)
    print(describe(pkt))
    print("rtt %.3f" % (time.monotonic() - start))
    print("from %s:%d" % peer)
    if args.abort and pkt[:2] in (struct.pack("!H", DATA), struct.pack("!H", OACK)):
        # A session was started: end it rather than let it time out.
        sock.sendto(struct.pack("!HH", ERROR, 0) + b"test done\0", peer)
    return 0


def pause(args):
    open(args.paused, "w").close()
    end = time.monotonic() + 120
    while not os.path.exists(args.resume):
        if time.monotonic() > end:
            raise SystemExit("no %s after 120 s of pause" % args.resume)
        time.sleep(0.05)


def cmd_get(args):
    opts = []
    if args.blksize:
        opts.append(("blksize", args.blksize))
    if args.tsize:
        opts.append(("tsize", 0))
    if args.windowsize:
        opts.append(("windowsize", args.windowsize))
    blksize = 512
    window = 1
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", 0))
    request = rrq(args.name, args.mode, opts)
    sock.sendto(request, (args.host, 69))
    server = None
    expected = 1            # 64-bit block index of the next block wanted
    in_window = 0
    out = open(args.out, "wb")
    dups = 0
    silent_since = time.monotonic()
    retries = 0

    def ack(block):
        if args.ack_delay:
            time.sleep(args.ack_delay)
        sock.sendto(struct.pack("!HH", ACK, block & 0xFFFF), server)

    while True:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if not ready:
            if time.monotonic() - silent_since < 1.0:
                continue
            retries += 1
            if retries > args.retries:
                print("timeout waiting for block %d" % expected, file=sys.stderr)
                return 1
            silent_since = time.monotonic()
            if server is None:
                sock.sendto(request, (args.host, 69))
            else:
                ack(expected - 1)
            in_window = 0
            continue
        pkt, peer = sock.recvfrom(70000)
        if server is None:
            server = peer
        elif peer != server:
            sock.sendto(struct.pack("!HH", ERROR, 5) + b"Unknown transfer ID\0", peer)
            continue
        silent_since = time.monotonic()
        retries = 0
        op = struct.unpack("!H", pkt[:2])[0]
        if op == ERROR:
            print(describe(pkt), file=sys.stderr)
            return 1
        if op == OACK:
            if expected != 1:
                continue
            fields = pkt[2:].split(b"\0")[:-1]
            for i in range(0, len(fields) - 1, 2):
                key = fields[i].decode().lower()
                if key == "blksize":
                    blksize = int(fields[i + 1])
                elif key == "windowsize":
                    window = int(fields[i + 1])
            ack(0)
            continue
        if op != DATA:
            continue
        block = struct.unpack("!H", pkt[2:4])[0]
        if block != expected & 0xFFFF:
            # Out of order or a duplicate: RFC 7440 says to acknowledge
            # the last block received in order, once per window.
            dups += 1
            if in_window:
                ack(expected - 1)
                in_window = 0
            continue
        if expected == 1 and args.started:
            open(args.started, "w").close()
        payload = pkt[4:]
        out.write(payload)
        expected += 1
        in_window += 1
        if args.pause_at and expected - 1 == args.pause_at:
            pause(args)
        last = len(payload) < blksize
        if last or in_window >= window:
            ack(expected - 1)
            in_window = 0
        if last:
            out.close()
            # Linger a little: the server may resend the last block if
            # the final ACK got lost; answer it.
            end = time.monotonic() + args.linger
            while time.monotonic() < end:
                ready, _, _ = select.select([sock], [], [], 0.2)
                if ready:
                    pkt, peer = sock.recvfrom(70000)
                    if peer == server and pkt[:2] == struct.pack("!H", DATA):
                        sock.sendto(struct.pack("!HH", ACK, (expected - 1) & 0xFFFF), server)
            print("blocks %d bytes %d dups %d" % (expected - 1, os.path.getsize(args.out), dups))
            return 0


def cmd_hold(args):
    socks = []
    for _ in range(args.count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        socks.append(sock)
    poller = select.epoll()
    by_fd = {}
    for sock in socks:
        poller.register(sock.fileno(), select.EPOLLIN)
        by_fd[sock.fileno()] = sock
    servers = {}
    asked = {}
    request = rrq(args.name, options=[("timeout", args.rto)] if args.rto else ())

    def drain(timeout):
        for fd, _ in poller.poll(timeout):
            sock = by_fd[fd]
            try:
                while True:
                    pkt, peer = sock.recvfrom(70000)
                    if fd in servers:
                        continue
                    if pkt[:2] in (struct.pack("!H", DATA), struct.pack("!H", OACK)):
                        servers[fd] = peer
                        if args.ack0 and pkt[:2] == struct.pack("!H", OACK):
                            sock.sendto(struct.pack("!HH", ACK, 0), peer)
                    else:
                        servers[fd] = None
                        print("session %d: %s" % (len(servers), describe(pkt)), file=sys.stderr)
            except BlockingIOError:
                pass

    # In batches, so that no queue on the way overflows; an RRQ that got no
    # answer at all in 3 s is sent again (a lost DATA would have been
    # retransmitted by the server by then).
    deadline = time.monotonic() + args.timeout
    while len(servers) < len(socks) and time.monotonic() < deadline:
        now = time.monotonic()
        sent = 0
        for fd, sock in by_fd.items():
            if fd in servers or now - asked.get(fd, -10) < 3:
                continue
            sock.sendto(request, (args.host, 69))
            asked[fd] = now
            sent += 1
            if sent % 64 == 0:
                drain(0.02)
        drain(0.5)
    answered = sum(1 for p in servers.values() if p)
    if args.ports:
        with open(args.ports, "w") as f:
            for peer in servers.values():
                if peer:
                    f.write("%d\n" % peer[1])
    with open(args.ready + ".tmp", "w") as f:
        f.write("%d\n" % answered)
    os.rename(args.ready + ".tmp", args.ready)
    deadline = time.monotonic() + args.timeout
    while not os.path.exists(args.release) and time.monotonic() < deadline:
        time.sleep(0.2)
    for fd, peer in servers.items():
        if peer:
            by_fd[fd].sendto(struct.pack("!HH", ERROR, 0) + b"client gives up\0", peer)
    print("answered %d of %d" % (answered, len(socks)))
    return 0 if answered == len(socks) else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    get = sub.add_parser("get")
    get.add_argument("host")
    get.add_argument("name")
    get.add_argument("out")
    get.add_argument("--blksize", type=int)
    get.add_argument("--tsize", action="store_true")
    get.add_argument("--windowsize", type=int)
    get.add_argument("--mode", default="octet")
    get.add_argument("--ack-delay", type=float, default=0)
    get.add_argument("--started")
    get.add_argument("--retries", type=int, default=10)
    get.add_argument("--linger", type=float, default=0)
    get.add_argument("--pause-at", type=int, default=0)
    get.add_argument("--paused")
    get.add_argument("--resume")
    send = sub.add_parser("send")
    send.add_argument("host")
    send.add_argument("hex")
    send.add_argument("--port", type=int, default=69)
    send.add_argument("--wait", type=float, default=2)
    send.add_argument("--abort", action="store_true")
    hold = sub.add_parser("hold")
    hold.add_argument("host")
    hold.add_argument("name")
    hold.add_argument("count", type=int)
    hold.add_argument("--ready", required=True)
    hold.add_argument("--release", required=True)
    hold.add_argument("--timeout", type=float, default=120)
    hold.add_argument("--rto", type=int, default=0,
                      help="ask for this retransmit timeout (option timeout)")
    hold.add_argument("--ports", help="write the sessions' server ports here")
    hold.add_argument("--ack0", action="store_true",
                      help="acknowledge the OACK (ACK 0), nothing more")
    args = parser.parse_args()
    return {"get": cmd_get, "send": cmd_send, "hold": cmd_hold}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
