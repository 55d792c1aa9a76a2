#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted frames for the hook's selftests: each case is one frame (or a
few) broken in one way or addressed in one way, with the outcome it must
have; the frames are made with scapy.

    frames.py sink FILE PORT...
        (in the server's namespace) binds UDP 0.0.0.0:PORT for each PORT and
        appends "PORT HEX" to FILE for each datagram the stack delivers;
        prints "listening PID" once bound.  Never imports scapy (fast start).

    frames.py run --dev IF --server ADDR --server-mac MAC --stack-pid PID
                  --sink FILE --results FILE CASE...
        (in the client's namespace) sends each CASE out of IF and checks its
        outcome: whether a UDP reply came from the server's MAC, which
        counters of the server namespace's stack moved (/proc/PID/net/snmp,
        netstat; PID is a process in that namespace), and whether the sink
        received the payload.  Writes "ok CASE" or "not ok CASE: why" per
        case to --results; exit 0 when every case passed.

    frames.py cases
        prints the case names, one a line.
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SIOCGIFHWADDR = 0x8927
NONE_WAIT = 1.5		# seconds a case waits for a reply that must not come
REPLY_WAIT = 8.0	# seconds a case waits for one that must


def sink(path, ports):
    socks = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(port)))
        socks.append((int(port), s))
    out = open(path, "a")
    # Its pid names its network namespace to stack_counters().
    print("listening", os.getpid(), flush=True)
    while True:
        ready, _, _ = select.select([s for _, s in socks], [], [])
        for port, s in socks:
            if s in ready:
                data = s.recv(65535)
                out.write(f"{port} {data.hex()}\n")
                out.flush()


def stack_counters(pid):
    """{"Ip.InHdrErrors": n, "Udp.InErrors": n, "IpExt.InCsumErrors": n...}"""
    counters = {}
    for name in ("snmp", "netstat"):
        with open(f"/proc/{pid}/net/{name}") as f:
            lines = f.read().splitlines()
        for head, values in zip(lines[::2], lines[1::2]):
            group, keys = head.split(":", 1)
            _, vals = values.split(":", 1)
            for k, v in zip(keys.split(), vals.split()):
                counters[f"{group}.{k}"] = int(v)
    return counters


class Case:
    """frames: what to send; reply: a UDP reply must come (True) or not;
    stack: counters that move by exactly these amounts; sink: the UDP
    payload the stack must deliver to the sink."""

    def __init__(self, frames, reply=False, stack=None, sink=None, check=None):
        self.frames = frames
        self.reply = reply
        self.stack = stack or {}
        self.sink = sink
        self.check = check


def build_cases(a):
    # scapy only here: importing it takes seconds under emulation.
    from scapy.layers.dhcp import BOOTP, DHCP
    from scapy.layers.inet import IP, UDP, IPOption_Router_Alert, fragment
    from scapy.layers.l2 import Dot1Q, Ether

    mac = a.mac
    srv_mac = a.server_mac
    bcast = "ff:ff:ff:ff:ff:ff"

    def bootp(op=1, xid=None):
        xid = xid if xid is not None else random.getrandbits(32)
        kind = "discover" if op == 1 else "offer"
        return (BOOTP(op=op, xid=xid, flags=0x8000,
                      chaddr=bytes.fromhex(mac.replace(":", "")) + b"\0" * 10)
                / DHCP(options=[("message-type", kind),
                                ("param_req_list", [1, 3, 6, 66, 67]),
                                "end"]))

    def discover(ether_dst=bcast, ether_src=mac, ip_dst="255.255.255.255",
                 ip_src="0.0.0.0", ip_kw=None, udp_kw=None, op=1,
                 dport=67):
        return (Ether(dst=ether_dst, src=ether_src)
                / IP(src=ip_src, dst=ip_dst, **(ip_kw or {}))
                / UDP(sport=68, dport=dport, **(udp_kw or {}))
                / bootp(op))

    def payload_of(pkt):
        return bytes(pkt[UDP].payload)

    def raw(pkt):
        return bytes(pkt)

    def attack(tot_len):
        # The frame of the report: header checksum valid for this total
        # length, UDP length 0xffff, UDP checksum 0.
        return [raw(discover(ip_kw={"len": tot_len},
                             udp_kw={"len": 0xffff, "chksum": 0}))]

    def udp_len(n):
        return [raw(discover(udp_kw={"len": n, "chksum": 0}))]

    def plen():
        return len(payload_of(discover()))

    cases = {}
    cases["discover_is_answered"] = Case([raw(discover())], reply=True)
    cases["discover_with_ip_options_is_answered"] = Case(
        [raw(discover(ip_kw={"options": [IPOption_Router_Alert()]}))],
        reply=True)
    for n in (0, 16, 19):
        cases[f"total_length_{n}_goes_to_the_stack"] = Case(
            attack(n), stack={"Ip.InHdrErrors": 1})
    cases["total_length_27_goes_to_the_stack"] = Case(
        attack(27), stack={"Udp.InErrors": 1})
    cases["total_length_past_the_frame_goes_to_the_stack"] = Case(
        [raw(discover(ip_kw={"len": 20 + 8 + plen() + 1}))],
        stack={"IpExt.InTruncatedPkts": 1})
    cases["udp_length_7_goes_to_the_stack"] = Case(
        udp_len(7), stack={"Udp.InErrors": 1})
    cases["udp_length_ffff_goes_to_the_stack"] = Case(
        udp_len(0xffff), stack={"Udp.InErrors": 1})
    cases["udp_length_past_the_payload_goes_to_the_stack"] = Case(
        udp_len(8 + plen() + 1), stack={"Udp.InErrors": 1})
    cases["bad_ip_checksum_goes_to_the_stack"] = Case(
        [raw(discover(ip_kw={"chksum": 0x1234}))],
        stack={"Ip.InHdrErrors": 1, "IpExt.InCsumErrors": 1})
    good = Ether(raw(discover()))[UDP].chksum
    cases["bad_udp_checksum_goes_to_the_stack"] = Case(
        [raw(discover(udp_kw={"chksum": (good ^ 0x00ff) or 1}))],
        stack={"Udp.InCsumErrors": 1})
    frag = discover(ether_dst=srv_mac, ip_dst=a.server,
                    ip_src=a.client)
    pieces = [raw(p) for p in fragment(frag[IP], fragsize=128)]
    eth = raw(Ether(dst=srv_mac, src=mac, type=0x0800))
    cases["first_fragment_goes_to_the_stack"] = Case(
        [eth + pieces[0]], stack={"Ip.ReasmReqds": 1})
    cases["fragmented_discover_is_reassembled_by_the_stack"] = Case(
        [eth + p for p in pieces], stack={"Ip.ReasmOKs": 1},
        sink=payload_of(frag))
    other = discover(ether_dst="02:00:00:00:00:99")
    cases["frame_for_another_host_goes_to_the_stack"] = Case([raw(other)])
    cases["vlan_tagged_discover_is_left_to_the_vlan"] = Case(
        [raw(Ether(dst=bcast, src=mac) / Dot1Q(vlan=20)
             / discover()[IP])])
    group = discover(ether_src="01:00:5e:00:00:01")
    cases["group_source_mac_goes_to_the_stack"] = Case(
        [raw(group)], sink=payload_of(group))
    reply_uni = discover(ether_dst=srv_mac, ip_dst=a.server, ip_src=a.client,
                         op=2)
    cases["bootreply_to_the_server_goes_to_the_stack"] = Case(
        [raw(reply_uni)], sink=payload_of(reply_uni))
    reply_bc = discover(op=2)
    cases["bootreply_broadcast_goes_to_the_stack"] = Case(
        [raw(reply_bc)], sink=payload_of(reply_bc))
    reply_4011 = discover(ether_dst=srv_mac, ip_dst=a.server,
                          ip_src=a.client, op=2, dport=4011)
    cases["bootreply_to_4011_goes_to_the_stack"] = Case(
        [raw(reply_4011)], sink=payload_of(reply_4011))
    other_port = (Ether(dst=srv_mac, src=mac)
                  / IP(src=a.client, dst=a.server)
                  / UDP(sport=40000, dport=5000) / b"not tftp")
    cases["udp_to_another_port_reaches_a_socket"] = Case(
        [raw(other_port)], sink=b"not tftp")
    closed = (Ether(dst=srv_mac, src=mac)
              / IP(src=a.client, dst=a.server)
              / UDP(sport=40000, dport=5001) / b"nobody")
    cases["udp_to_a_closed_port_goes_to_the_stack"] = Case(
        [raw(closed)], stack={"Udp.NoPorts": 1})

    # A small RRQ: its frame is shorter than Ethernet's 60 bytes, so the
    # sender pads it; the padding (here not zeros) is not part of it.
    def rrq(sport):
        return raw(Ether(dst=srv_mac, src=mac)
                   / IP(src=a.client, dst=a.server)
                   / UDP(sport=sport, dport=69) / b"\0\x01p\0octet\0")
    cases["padded_rrq_is_answered_as_unpadded"] = Case(
        None, check=lambda sock: padded_rrq(sock, a, rrq))
    # One send of three DISCOVERs with UDP_SEGMENT: veth carries it to the
    # server as one GSO skb (one IPv4 and UDP header for all three).
    cases["gso_super_packet_goes_to_the_stack"] = Case(
        None, check=lambda sock: gso_discovers(
            sock, a, payload_of(discover(ether_dst=srv_mac, ip_dst=a.server,
                                         ip_src=a.client)), 3))
    return cases


def udp_replies(sock, srv_mac, until):
    """UDP frames from the server's MAC seen until @until (monotonic)."""
    got = []
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return got
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            continue
        frame, addr = sock.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if frame[6:12] != srv_mac or len(frame) < 42:
            continue
        off = 12
        if frame[off:off + 2] == b"\x81\x00":
            off += 4
        if frame[off:off + 2] != b"\x08\x00" or frame[off + 11] != 17:
            continue
        got.append(frame)


def udp_payload(frame):
    ihl = (frame[14] & 0x0f) * 4
    return frame[14 + ihl + 8:]


def udp_ports(frame):
    ihl = (frame[14] & 0x0f) * 4
    return struct.unpack("!HH", frame[14 + ihl:14 + ihl + 4])


def tftp_abort(sock, a, frame):
    """End the session a reply belongs to (ERROR 0 to its port)."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    sport, dport = udp_ports(frame)
    sock.send(bytes(Ether(dst=a.server_mac, src=a.mac)
                    / IP(src=a.client, dst=a.server)
                    / UDP(sport=dport, dport=sport)
                    / b"\0\x05\0\0done\0"))


def padded_rrq(sock, a, rrq):
    srv_mac = bytes.fromhex(a.server_mac.replace(":", ""))
    answers = []
    for sport, pad in ((41000, b""), (41001, bytes([0xa5] * 10))):
        frame = rrq(sport)
        if pad:
            frame = (frame + pad)[:60]
            if len(frame) != 60:
                return f"padded frame is {len(frame)} bytes"
        sock.send(frame)
        got = [f for f in udp_replies(sock, srv_mac,
                                      time.monotonic() + REPLY_WAIT / 2)
               if udp_ports(f)[1] == sport]
        if len(got) < 1:
            return f"no answer to the RRQ from port {sport}"
        tftp_abort(sock, a, got[0])
        answers.append(udp_payload(got[0]))
    if answers[0] != answers[1]:
        return (f"answers differ: unpadded {answers[0].hex()}, "
                f"padded {answers[1].hex()}")
    if answers[0][:4] != b"\0\x03\0\x01":
        return f"answer is not DATA block 1: {answers[0].hex()}"
    return None


UDP_SEGMENT = 103	# linux/udp.h


def gso_discovers(sock, a, payload, count):
    """Nothing answers a GSO super-packet of @count DISCOVERs unicast to
    the server; the stack splits it and its socket on :67 gets each; the
    same DISCOVERs sent one by one get @count replies."""
    srv_mac = bytes.fromhex(a.server_mac.replace(":", ""))
    want = payload.hex()
    before = sink_count(a.sink, want)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((a.client, 68))
    udp.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, len(payload))
    start = time.monotonic()
    udp.sendto(payload * count, (a.server, 67))
    udp.close()
    replies = udp_replies(sock, srv_mac, start + NONE_WAIT)
    if replies:
        return f"{len(replies)} replies, first {replies[0].hex()}"
    until = time.monotonic() + REPLY_WAIT
    while sink_count(a.sink, want) - before < count:
        if time.monotonic() >= until:
            got = sink_count(a.sink, want) - before
            return f"the stack's socket got {got} of the {count} datagrams"
        time.sleep(0.1)
    # The control: the same DISCOVERs one datagram each are the module's.
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((a.client, 68))
    start = time.monotonic()
    for _ in range(count):
        udp.sendto(payload, (a.server, 67))
    udp.close()
    replies = udp_replies(sock, srv_mac, start + REPLY_WAIT)
    if len(replies) != count:
        return (f"{len(replies)} replies to the {count} DISCOVERs sent "
                "one by one")
    return None


def sink_count(path, want):
    with open(path) as f:
        return sum(1 for line in f if line.split()[1:] == [want])


def sink_has(path, payload, until):
    want = payload.hex()
    while True:
        with open(path) as f:
            if any(line.split()[1] == want for line in f if " " in line):
                return True
        if time.monotonic() >= until:
            return False
        time.sleep(0.1)


def run_case(name, case, sock, a):
    srv_mac = bytes.fromhex(a.server_mac.replace(":", ""))
    if case.check:
        return case.check(sock)
    before = stack_counters(a.stack_pid)
    start = time.monotonic()
    for frame in case.frames:
        sock.send(frame)
    wait = REPLY_WAIT if case.reply else NONE_WAIT
    replies = udp_replies(sock, srv_mac, start + wait)
    if case.reply and not replies:
        return "no reply"
    if not case.reply and replies:
        return f"{len(replies)} replies, first {replies[0].hex()}"
    if case.sink is not None and not sink_has(a.sink, case.sink,
                                              time.monotonic() + REPLY_WAIT):
        return "the stack did not deliver it to the socket"
    after = stack_counters(a.stack_pid)
    moved = {k: after[k] - before.get(k, 0) for k in case.stack}
    if moved != case.stack:
        return f"stack counters: expected {case.stack}, got {moved}"
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sink")
    s.add_argument("file")
    s.add_argument("ports", nargs="+")
    r = sub.add_parser("run")
    for opt in ("dev", "server", "server-mac", "client", "mac", "sink",
                "results"):
        r.add_argument("--" + opt, required=opt not in ("mac",))
    r.add_argument("--stack-pid", required=True)
    r.add_argument("cases", nargs="+")
    sub.add_parser("cases")
    a = p.parse_args()

    if a.cmd == "sink":
        sink(a.file, a.ports)
        return 0
    if a.cmd == "cases":
        a.mac = a.server_mac = "02:00:00:00:00:01"
        a.server = a.client = "10.0.0.1"
        print("\n".join(build_cases(a)))
        return 0

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.bind((a.dev, 0))
    if not a.mac:
        a.mac = sock.getsockname()[4].hex(":")
    cases = build_cases(a)
    failed = 0
    with open(a.results, "w") as out:
        for name in a.cases:
            why = run_case(name, cases[name], sock, a)
            failed += why is not None
            out.write(f"ok {name}\n" if why is None
                      else f"not ok {name}: {why}\n")
            out.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
