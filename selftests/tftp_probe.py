#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TFTP probes for the pxe selftests that need exact answers and the times
they arrived at (kernel receive timestamps, SO_TIMESTAMPNS).

  tftp_probe.py stall HOST NAME OUT [--opt KEY=VALUE ...] [--monitor CMD]
                [--quiet-after SECS]
      Start a download, acknowledge the OACK (if any) and DATA 1, then
      acknowledge nothing more.  Records every DATA 2 that arrives (the
      first send and the resends) and, with --monitor (a shell command
      printing `pxectl -j monitor` lines), the time of the tftp-timeout
      event for this session.  Once the event came (or, without --monitor,
      when nothing arrived for --quiet-after seconds) and then nothing for
      --quiet-after more seconds, sends ACK 2 to the session's port and
      notes whether DATA 3 or an ICMP port unreachable came back.  Writes
      OUT as JSON: sends (seconds after the first DATA 2), timeout (the
      event's time on the same clock, or null), event (the event),
      after_end ("refused", "none" or the answer) and other (anything
      else that arrived, described).

  tftp_probe.py first HOST NAME [--opt KEY=VALUE ...] [--quiet SECS]
                [--bind ADDR]
      Send an RRQ and print its first answer (as tftp_client.py describes
      it).  After an OACK, ACK 0 and print every DATA that comes ("DATA n
      len") until nothing arrived for --quiet seconds; then end the session
      with an ERROR 0.  --bind: the client's source address.

  tftp_probe.py hold HOST NAME COUNT --ready FILE --release FILE
                [--bind ADDR] [--opt KEY=VALUE ...]
      Open COUNT sessions (with the options, an OACK is acknowledged),
      acknowledge DATA 1 of each, so they are established; create FILE
      --ready with the answers (one line each), wait for --release to
      exist, end every session with ERROR 0.

  tftp_probe.py gaps FILE "G1 G2 ..." END [--early S] [--late S]
      Check a stall run (FILE): the resends of DATA 2 came G1, G2, ...
      seconds apart and the timeout event END seconds after the last one,
      each gap no less than nominal - early and no more than nominal +
      nominal/8 (the timer wheel's rounding) + late.  Exit 1 otherwise.

  tftp_probe.py count-data DEV SOURCE SECS
      Print how many TFTP DATA frames from address SOURCE arrive at DEV
      during SECS seconds (an AF_PACKET socket: no capture tools).
"""
import argparse
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

from tftp_client import ACK, DATA, ERROR, OACK, describe, rrq

SO_TIMESTAMPNS = 35


def options(pairs):
    out = []
    for pair in pairs or ():
        key, value = pair.split("=", 1)
        out.append((key, value))
    return out


def udp_socket(bind="0.0.0.0"):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind((bind, 0))
    return sock


def recv_stamped(sock, timeout):
    """(packet, peer, kernel receive time as CLOCK_REALTIME seconds) or None."""
    if not select.select([sock], [], [], max(timeout, 0))[0]:
        return None
    pkt, anc, _, peer = sock.recvmsg(70000, socket.CMSG_SPACE(16))
    stamp = time.time()
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack("qq", data[:16])
            stamp = sec + nsec / 1e9
    return pkt, peer, stamp


def opcode(pkt):
    return struct.unpack("!H", pkt[:2])[0] if len(pkt) >= 2 else -1


def block_of(pkt):
    return struct.unpack("!H", pkt[2:4])[0]


def ack(sock, block, server):
    sock.sendto(struct.pack("!HH", ACK, block), server)


def cmd_stall(args):
    sock = udp_socket()
    sock.sendto(rrq(args.name, options=options(args.opt)), (args.host, 69))
    server = None
    sends = []
    other = []
    t0 = None
    monitor = None
    lines = []
    event = None
    timeout_at = None
    buf = b""
    if args.monitor:
        monitor = subprocess.Popen(args.monitor, shell=True, stdout=subprocess.PIPE)
        os.set_blocking(monitor.stdout.fileno(), False)

    def read_monitor():
        nonlocal event, timeout_at, buf
        try:
            chunk = os.read(monitor.stdout.fileno(), 65536)
        except BlockingIOError:
            return
        now = time.time()
        buf += chunk
        *complete, buf = buf.split(b"\n")
        for line in complete:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            lines.append(ev)
            if ev.get("event") == "tftp-timeout" and event is None and \
                    ev.get("port") == sock.getsockname()[1]:
                event = ev
                timeout_at = now

    quiet_since = time.time()
    deadline = time.time() + args.limit
    while time.time() < deadline:
        fds = [sock] + ([monitor.stdout] if monitor else [])
        ready = select.select(fds, [], [], 0.05)[0]
        if monitor and monitor.stdout in ready:
            read_monitor()
        if sock in ready:
            got = recv_stamped(sock, 0)
            pkt, peer, stamp = got
            if server is None:
                server = peer
            op = opcode(pkt)
            if peer == server and op == OACK and t0 is None and not sends:
                ack(sock, 0, server)
            elif peer == server and op == DATA and block_of(pkt) == 1 and not sends:
                ack(sock, 1, server)
            elif peer == server and op == DATA and block_of(pkt) == 2:
                if t0 is None:
                    t0 = stamp
                sends.append(stamp)
                quiet_since = time.time()
            else:
                other.append(describe(pkt))
        if t0 is None:
            continue
        if monitor and event is None:
            continue
        if time.time() - max(quiet_since, timeout_at or 0) >= args.quiet_after:
            break
    after_end = "none"
    if server:
        sock.connect(server)
        ack(sock, 2, server)
        try:
            got = recv_stamped(sock, 1.0)
            if got:
                after_end = describe(got[0])
        except ConnectionRefusedError:
            after_end = "refused"
    if monitor:
        monitor.terminate()
        monitor.wait()
    result = {
        "sends": [round(s - t0, 4) for s in sends] if t0 else [],
        "timeout": round(timeout_at - t0, 4) if timeout_at and t0 else None,
        "event": event,
        "after_end": after_end,
        "other": other,
    }
    with open(args.out, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))
    return 0


def cmd_first(args):
    sock = udp_socket(args.bind)
    sock.sendto(rrq(args.name, options=options(args.opt)), (args.host, 69))
    got = recv_stamped(sock, 3)
    if not got:
        print("none")
        return 0
    pkt, server, _ = got
    print(describe(pkt))
    if opcode(pkt) == OACK:
        ack(sock, 0, server)
        while True:
            got = recv_stamped(sock, args.quiet)
            if not got:
                break
            print(describe(got[0]))
    if opcode(pkt) in (OACK, DATA):
        sock.sendto(struct.pack("!HH", ERROR, 0) + b"probe done\0", server)
    return 0


def cmd_hold(args):
    socks = []
    servers = []
    answers = []
    for _ in range(args.count):
        sock = udp_socket(args.bind)
        sock.sendto(rrq(args.name, options=options(args.opt)), (args.host, 69))
        got = recv_stamped(sock, 3)
        if got and opcode(got[0]) == OACK:
            ack(sock, 0, got[1])
            got = recv_stamped(sock, 3)
        if not got:
            answers.append("none")
            continue
        pkt, server, _ = got
        answers.append(describe(pkt))
        if opcode(pkt) == DATA and block_of(pkt) == 1:
            ack(sock, 1, server)
            socks.append(sock)
            servers.append(server)
    with open(args.ready + ".tmp", "w") as f:
        f.write("".join(a + "\n" for a in answers))
    os.rename(args.ready + ".tmp", args.ready)
    deadline = time.monotonic() + args.timeout
    while not os.path.exists(args.release) and time.monotonic() < deadline:
        time.sleep(0.1)
    for sock, server in zip(socks, servers):
        sock.sendto(struct.pack("!HH", ERROR, 0) + b"client gives up\0", server)
    return 0


def cmd_gaps(args):
    run = json.load(open(args.file))
    want = [float(g) for g in args.gaps.split()]
    sends = run["sends"]
    print("# sends at", sends, "timeout event at", run["timeout"])
    if len(sends) != len(want) + 1:
        print("# %d sends of DATA 2, expected %d" % (len(sends), len(want) + 1))
        return 1
    if run["timeout"] is None:
        print("# no tftp-timeout event for this session")
        return 1
    gaps = [b - a for a, b in zip(sends, sends[1:])]
    gaps.append(run["timeout"] - sends[-1])
    want.append(args.end)
    ok = True
    for i, (got, nominal) in enumerate(zip(gaps, want)):
        low = nominal - args.early
        high = nominal + nominal / 8 + args.late
        if not low <= got <= high:
            print("# gap %d: %.3f s, expected %g s (%.3f..%.3f)"
                  % (i + 1, got, nominal, low, high))
            ok = False
    return 0 if ok else 1


def cmd_count_data(args):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    sock.bind((args.dev, 0))
    sock.settimeout(0.1)
    server = socket.inet_aton(args.source)
    end = time.monotonic() + args.seconds
    count = 0
    while time.monotonic() < end:
        try:
            ip = sock.recv(65535)
        except socket.timeout:
            continue
        hl = (ip[0] & 15) * 4
        if ip[9] == socket.IPPROTO_UDP and ip[12:16] == server and \
                len(ip) >= hl + 10 and opcode(ip[hl + 8:]) == DATA:
            count += 1
    print(count)
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    stall = sub.add_parser("stall")
    stall.add_argument("host")
    stall.add_argument("name")
    stall.add_argument("out")
    stall.add_argument("--opt", action="append")
    stall.add_argument("--monitor")
    stall.add_argument("--quiet-after", type=float, default=2.0)
    stall.add_argument("--limit", type=float, default=60)
    first = sub.add_parser("first")
    first.add_argument("host")
    first.add_argument("name")
    first.add_argument("--opt", action="append")
    first.add_argument("--quiet", type=float, default=0.5)
    first.add_argument("--bind", default="0.0.0.0")
    hold = sub.add_parser("hold")
    hold.add_argument("host")
    hold.add_argument("name")
    hold.add_argument("count", type=int)
    hold.add_argument("--ready", required=True)
    hold.add_argument("--release", required=True)
    hold.add_argument("--timeout", type=float, default=60)
    hold.add_argument("--bind", default="0.0.0.0")
    hold.add_argument("--opt", action="append")
    gaps = sub.add_parser("gaps")
    gaps.add_argument("file")
    gaps.add_argument("gaps")
    gaps.add_argument("end", type=float)
    gaps.add_argument("--early", type=float, default=0.05)
    gaps.add_argument("--late", type=float, default=0.3)
    count = sub.add_parser("count-data")
    count.add_argument("dev")
    count.add_argument("source")
    count.add_argument("seconds", type=float)
    args = parser.parse_args()
    return {"stall": cmd_stall, "first": cmd_first, "hold": cmd_hold,
            "gaps": cmd_gaps, "count-data": cmd_count_data}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
