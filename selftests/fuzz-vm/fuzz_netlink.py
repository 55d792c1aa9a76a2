#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Netlink fuzzer for the pxe generic netlink family.

    fuzz_netlink.py --seconds N --seed S --mode root|userns|nobody
                    --dev IF [--count N]
    fuzz_netlink.py --dumps          every dump and GET answers (exit 0)

Sends mutated requests to every operation of the family (and to commands
it does not have): each built from a plausible request for the command
(commands, attributes and limits from docs/netlink/pxe.yaml, read by the
kernel's YNL library; values near the device IF and the names other
requests use), then mutated -- attributes dropped,
repeated, of the wrong length, unknown, with NLA_F_NESTED or
NLA_F_NET_BYTEORDER, nested, with lengths past the message, strings
without their NUL or too long; odd nlmsg flags (dump, echo, replace,
create), versions and lengths; several messages in one send; sockets
closed in the middle of uploads.

Each request is followed by a LIMITS_GET with NLM_F_ACK on the same
socket: its answer must come (the family still answers), and what came
before it is the fuzzed request's answer.  As nobody (--mode nobody), a
command that changes state must be refused with EPERM: success is a
finding.  Iteration i draws from random.Random("S:i"); `--seed S --count N`
replays a run.

The requests are packed here, not by YNL: nearly every one is malformed on
purpose, attribute by attribute, which YNL's encoder cannot produce.  What
is well-formed -- the family's id, the contract's numbers and which commands
need CAP_NET_ADMIN -- comes from the spec through tools/net/ynl/lib
(extracted into .ynl/ by `scripts/ksrc ynl`, which `make -C selftests all`
runs on the host).
"""
import argparse
import errno
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pxe_ynl import SPEC, GenlProtocol, SpecFamily  # noqa: E402  (the path above)

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO = 1, 2, 4, 8
NLM_F_DUMP = 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000


def contract():
    """From the spec: commands and attributes by their C names without the
    prefix (LINK_NEW, IFNAME), the constants by their C names
    (PXE_NAME_MAX), and the commands that need CAP_NET_ADMIN."""
    family = SpecFamily(SPEC, "")     # the spec stage validates it

    def c_name(name):
        return name.upper().replace("-", "_")

    cmds = {c_name(n): op.value for n, op in family.msgs.items()}
    attrs = {c_name(a.name): a.value for a in family.attr_sets["pxe"].attrs.values()}
    consts = {"PXE_" + c_name(n): c["value"] for n, c in family.consts.items()
              if c["type"] == "const"}
    admin = {op.value for op in family.msgs.values()
             if "uns-admin-perm" in op.yaml.get("flags", [])}
    return cmds, attrs, consts, admin


C, A, CONST, ADMIN = contract()
A_MAX = max(A.values())
C_MAX = max(C.values())
DUMPS = [C[c] for c in ("LINK_GET", "POOL_GET", "HOST_GET", "BOOT_GET",
                        "LEASE_GET", "IMAGE_GET")]
DOS = [C["STATS_GET"], C["LIMITS_GET"]]

# The attributes a plausible request for each command carries.
REQUEST = {
    "LINK_NEW": ["IFNAME", "IFINDEX", "LINK_SERVER"],
    "LINK_DEL": ["IFNAME"],
    "LINK_GET": ["IFNAME"],
    "POOL_NEW": ["POOL_NAME", "IFNAME", "POOL_START", "POOL_END", "POOL_NETMASK",
                 "POOL_ROUTER", "POOL_DNS", "POOL_DOMAIN", "POOL_LEASE_TIME"],
    "POOL_DEL": ["POOL_NAME"],
    "POOL_GET": ["POOL_NAME"],
    "HOST_NEW": ["HOST_MAC", "HOST_ADDR", "HOST_NAME", "HOST_ADDR6"],
    "HOST_DEL": ["HOST_MAC"],
    "HOST_GET": [],
    "BOOT_NEW": ["BOOT_FILE", "BOOT_ARCH", "BOOT_ARCH_ALT", "BOOT_VENDOR",
                 "BOOT_USER_CLASS", "BOOT_MAC", "BOOT_MAC_LEN", "BOOT_POOL",
                 "BOOT_SERVER", "BOOT_PRIO"],
    "BOOT_DEL": ["BOOT_ID"],
    "BOOT_GET": [],
    "LEASE_NEW": ["LEASE_MAC", "LEASE_ADDR", "LEASE_EXPIRES", "LEASE_CLIENT_ID",
                  "LEASE_HOSTNAME"],
    "LEASE_DEL": ["LEASE_MAC"],
    "LEASE_GET": [],
    "LEASE_FLUSH": [],
    "IMAGE_NEW": ["IMAGE_NAME", "IMAGE_SIZE"],
    "IMAGE_WRITE": ["IMAGE_UPLOAD", "IMAGE_OFFSET", "IMAGE_DATA"],
    "IMAGE_COMMIT": ["IMAGE_UPLOAD", "IMAGE_SHA256", "IMAGE_STAGE"],
    "IMAGE_ABORT": ["IMAGE_UPLOAD"],
    "IMAGE_DEL": ["IMAGE_NAME"],
    "IMAGE_GET": ["IMAGE_NAME"],
    "STATS_GET": [],
    "LIMITS_SET": ["LIMIT_IMAGE_MEMORY", "LIMIT_TFTP_SESSIONS",
                   "LIMIT_TFTP_PER_CLIENT", "LIMIT_TFTP_BLKSIZE",
                   "LIMIT_TFTP_WINDOWSIZE"],
    "LIMITS_GET": [],
    "IMAGE_PUBLISH": [],
}


def nla(kind, value):
    value = value[:0xffff - 4]
    return struct.pack("=HH", 4 + len(value), kind) + value + b"\0" * (-len(value) % 4)


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("=HH", data)
        if length < 4:
            break
        out[kind & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


class Finding(Exception):
    pass


class Sock:
    def __init__(self, family=None):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.settimeout(10)
        self.seq = 1000
        self.family = family or self.resolve()

    @staticmethod
    def resolve():
        try:
            return GenlProtocol("pxe").family_id
        except KeyError:
            raise SystemExit("# the pxe family is not registered")

    def close(self):
        self.sock.close()

    def msg(self, cmd, attrs, flags=NLM_F_REQUEST | NLM_F_ACK, version=1,
            reserved=0, family=None, seq=None):
        if seq is None:
            self.seq += 1
            seq = self.seq
        payload = struct.pack("=BBH", cmd, version, reserved) + attrs
        return struct.pack("=IHHII", 16 + len(payload),
                           self.family if family is None else family,
                           flags, seq, 0) + payload

    def recv_until(self, seq):
        """Messages (type, flags, payload) up to the ACK or DONE of seq."""
        out = []
        while True:
            data = self.sock.recv(1 << 22)
            while len(data) >= 16:
                length, kind, flags, s, _ = struct.unpack_from("=IHHII", data)
                if length < 16:
                    break
                body, data = data[16:length], data[(length + 3) & ~3:]
                out.append((kind, flags, body, s))
                if s == seq and kind in (NLMSG_ERROR, NLMSG_DONE):
                    return [(k, f, b) for k, f, b, _ in out]

    def exchange(self, raw):
        seq = struct.unpack_from("=I", raw, 8)[0]
        self.sock.send(raw)
        return self.recv_until(seq)


def error_of(msgs):
    for kind, _, body in msgs:
        if kind == NLMSG_ERROR:
            return -struct.unpack_from("=i", body)[0]
    return 0


def check_dumps(s):
    """Every dump and every plain GET answers, without error."""
    report = []
    for cmd in DUMPS:
        msgs = s.exchange(s.msg(cmd, b"", NLM_F_REQUEST | NLM_F_DUMP))
        err = next((-struct.unpack_from("=i", b)[0] for k, _, b in msgs if k == NLMSG_ERROR), 0)
        done = [b for k, _, b in msgs if k == NLMSG_DONE]
        if done:
            err = -struct.unpack_from("=i", done[0])[0] if len(done[0]) >= 4 else 0
        if err or not done:
            raise Finding(f"dump of command {cmd} answered errno {err}"
                          f"{'' if done else ' without NLMSG_DONE'}")
        report.append(f"{cmd}:{len(msgs) - 1}")
    for cmd in DOS:
        err = error_of(s.exchange(s.msg(cmd, b"")))
        if err:
            raise Finding(f"command {cmd} answered errno {err}")
    return " ".join(report)


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.socks = [Sock()]
        self.family = self.socks[0].family
        self.uploads = []
        self.boot_ids = [1, 2, 3]
        self.stats = {"requests": 0, "ok": 0, "eperm": 0, "other_errno": 0,
                      "sockets_closed": 0}
        self.by_errno = {}
        self.ifindex = socket.if_nametoindex(args.dev)

    # -- values -------------------------------------------------------------

    def addr(self, rnd):
        return socket.inet_aton(rnd.choice(("10.0.1.1", "10.0.1.100", "10.0.1.150",
                                            "10.0.1.199", "10.0.1.255", "0.0.0.0",
                                            "255.255.255.255", "10.0.9.1",
                                            f"10.0.1.{rnd.randrange(256)}")))

    def string(self, rnd, choices, limit):
        r = rnd.random()
        if r < 0.7:
            s = rnd.choice(choices).encode()
        elif r < 0.8:
            s = b"x" * rnd.choice((limit - 1, limit, limit + 1, 1000))
        elif r < 0.9:
            s = b""
        else:
            s = bytes(rnd.randrange(1, 256) for _ in range(rnd.randrange(1, 40)))
        return s + (b"\0" if rnd.random() < 0.9 else b"")

    def value(self, rnd, name):
        names = ("p0", "p1", "lan", "proxy")
        files = ("small.bin", "pxelinux.0", "a/b/c", "/x", "..", "fz.img")
        mac = bytes.fromhex(rnd.choice(("02fa00000001", "02fa00000002", "ffffffffffff",
                                        "000000000000")))
        u32 = lambda v: struct.pack("=I", v)
        u64 = lambda v: struct.pack("=Q", v)
        if name == "IFNAME":
            return self.string(rnd, (self.args.dev, "lo", "nothere", "d1"), 16)
        if name == "IFINDEX":
            return u32(rnd.choice((self.ifindex, 1, 0, 9999, 0xffffffff)))
        if name in ("LINK_SERVER", "POOL_START", "POOL_END", "POOL_ROUTER",
                    "HOST_ADDR", "BOOT_SERVER", "LEASE_ADDR"):
            return self.addr(rnd)
        if name == "HOST_ADDR6":
            return socket.inet_pton(socket.AF_INET6, rnd.choice((
                "fd00:1::10", "fd00:1::1", "fe80::1", "ff02::1:2", "::", "::1",
                "::ffff:10.0.1.100", "fd00:9::1")))
        if name == "POOL_NETMASK":
            return socket.inet_aton(rnd.choice(("255.255.255.0", "255.255.255.255",
                                                "0.0.0.0", "255.0.255.0")))
        if name == "POOL_DNS":
            return b"".join(self.addr(rnd) for _ in range(rnd.choice((0, 1, 8, 9))))
        if name in ("POOL_NAME", "HOST_NAME", "BOOT_VENDOR", "BOOT_USER_CLASS",
                    "BOOT_POOL", "LEASE_HOSTNAME"):
            return self.string(rnd, names, CONST.get("PXE_NAME_MAX", 32))
        if name == "POOL_DOMAIN":
            return self.string(rnd, ("example.org", ""), CONST.get("PXE_DOMAIN_MAX", 256))
        if name in ("POOL_LEASE_TIME", "LEASE_EXPIRES", "BOOT_PRIO"):
            return u32(rnd.choice((0, 1, 30, 3600, 0xffffffff)))
        if name in ("HOST_MAC", "BOOT_MAC", "LEASE_MAC"):
            return mac
        if name == "BOOT_ID":
            return u32(rnd.choice(self.boot_ids + [0, 0xffffffff]))
        if name in ("BOOT_ARCH", "BOOT_ARCH_ALT"):
            return struct.pack("=H", rnd.choice((0, 7, 9, 0xffff)))
        if name == "BOOT_MAC_LEN":
            return bytes([rnd.choice((0, 1, 24, 48, 49, 255))])
        if name == "BOOT_FILE":
            return self.string(rnd, files, CONST.get("PXE_FILE_MAX", 128))
        if name == "LEASE_CLIENT_ID":
            return bytes(rnd.randrange(256) for _ in range(rnd.choice((0, 1, 7, 255, 256))))
        if name == "IMAGE_NAME":
            return self.string(rnd, files, CONST.get("PXE_IMAGE_NAME_MAX", 256))
        if name == "IMAGE_SIZE":
            return u64(rnd.choice((0, 1, 100, 65000, 1 << 20, 64 << 20, 1 << 40,
                                   1 << 63, (1 << 64) - 1)))
        if name == "IMAGE_UPLOAD":
            return u32(rnd.choice(self.uploads[-8:] + [0, 1, 2, 0xffffffff]))
        if name == "IMAGE_OFFSET":
            return u64(rnd.choice((0, 0, 1, 100, 65000, 1 << 20, (1 << 64) - 1)))
        if name == "IMAGE_DATA":
            n = rnd.choice((0, 1, 100, 4096, 65000, 65001, 65500))
            return bytes([rnd.randrange(256)]) * n
        if name == "IMAGE_SHA256":
            return bytes(rnd.randrange(256) for _ in range(32))
        if name == "IMAGE_STAGE":                       # a flag: no payload
            return b""
        if name == "LIMIT_IMAGE_MEMORY":
            return u64(rnd.choice((0, 1, 1 << 20, 64 << 20, 256 << 20, (1 << 64) - 1)))
        if name.startswith("LIMIT_"):
            return u32(rnd.choice((0, 1, 8, 64, 512, 1468, 65464, 65465, 0xffffffff)))
        return self.random_value(rnd)

    def random_value(self, rnd):
        n = rnd.choice((0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 31, 32, 33, 255, 256, 4096))
        return bytes(rnd.randrange(256) for _ in range(n))

    # -- requests ----------------------------------------------------------

    def attrs(self, rnd, names, depth=0):
        out = []
        for name in names:
            if rnd.random() < 0.15:                     # missing
                continue
            kind = A[name]
            val = self.value(rnd, name)
            r = rnd.random()
            if r < 0.08:                                # wrong length / type
                val = self.random_value(rnd)
            elif r < 0.12:
                kind |= rnd.choice((NLA_F_NESTED, NLA_F_NET_BYTEORDER))
            elif r < 0.15 and depth < 3:                # nested
                kind |= NLA_F_NESTED if rnd.random() < 0.7 else 0
                val = b"".join(self.attrs(rnd, rnd.sample(names, min(len(names), 3)),
                                          depth + 1))
            out.append(nla(kind, val))
            if rnd.random() < 0.07:                     # repeated
                out.append(nla(kind, self.value(rnd, name)))
        if rnd.random() < 0.1:                          # unknown attributes
            out.insert(rnd.randrange(len(out) + 1),
                       nla(rnd.choice((0, A_MAX + 1, A_MAX + 7, 0x3fff, 1)),
                           self.random_value(rnd)))
        if rnd.random() < 0.1:                          # any attribute at all
            name = rnd.choice(list(A))
            out.insert(rnd.randrange(len(out) + 1), nla(A[name], self.value(rnd, name)))
        rnd.shuffle(out) if rnd.random() < 0.1 else None
        return out

    def request(self, rnd, s):
        r = rnd.random()
        if r < 0.9:
            name = rnd.choice(list(REQUEST))
            cmd = C[name]
            names = REQUEST[name]
        else:                                           # no such command
            cmd = rnd.choice((0, C_MAX + 1, 255, C["LINK_ADD_NTF"], C["LEASE_NTF"],
                              C["TFTP_NTF"]))
            names = rnd.sample(list(A), 4)
        body = b"".join(self.attrs(rnd, names))
        if rnd.random() < 0.05 and len(body) >= 4:      # an attribute past the end
            i = rnd.randrange(0, len(body) - 3, 4) if len(body) > 4 else 0
            body = body[:i] + struct.pack("=H", rnd.choice((0, 1, 3, 5, len(body) - i + 4, 0xffff))) + body[i + 2:]
        if rnd.random() < 0.03:
            body += bytes(rnd.randrange(1, 4))         # a ragged tail
        flags = NLM_F_REQUEST
        if rnd.random() < 0.7:
            flags |= NLM_F_ACK
        if rnd.random() < 0.15:
            flags |= rnd.choice((NLM_F_DUMP, NLM_F_ECHO, 0x100, 0x200, 0x400, 0x800,
                                 0x1000, NLM_F_MULTI, 0xffff & ~NLM_F_REQUEST))
        version = 1 if rnd.random() < 0.9 else rnd.choice((0, 2, 255))
        reserved = 0 if rnd.random() < 0.95 else rnd.randrange(1, 65536)
        raw = s.msg(cmd, body, flags, version, reserved)
        if rnd.random() < 0.03:                         # nlmsg_len lies
            raw = struct.pack("=I", rnd.choice((0, 15, 16, 19, len(raw) - 1, len(raw) + 4,
                                                0xffffffff))) + raw[4:]
        return cmd, flags, raw

    def iteration(self, i):
        rnd = random.Random(f"{self.args.seed}:{i}")
        if rnd.random() < 0.03 and len(self.socks) < 4:
            self.socks.append(Sock(self.family))
        if rnd.random() < 0.02 and len(self.socks) > 1:
            # A socket closed with its uploads in flight.
            self.socks.pop(rnd.randrange(len(self.socks))).close()
            self.stats["sockets_closed"] += 1
        s = rnd.choice(self.socks)
        cmd, flags, raw = self.request(rnd, s)
        if rnd.random() < 0.05:                         # two messages at once
            raw += self.request(rnd, s)[2]
        self.stats["requests"] += 1
        try:
            s.sock.send(raw)
        except OSError as e:
            self.count(e.errno)
            return
        # The sentinel: the family still answers, and ends the reply.
        sentinel = s.msg(C["LIMITS_GET"], b"")
        seq = struct.unpack_from("=I", sentinel, 8)[0]
        s.sock.send(sentinel)
        try:
            msgs = s.recv_until(seq)
        except socket.timeout:
            raise Finding(f"no answer to LIMITS_GET after request {raw[:64].hex()}")
        fuzz_seq = struct.unpack_from("=I", raw, 8)[0]
        err = None
        for kind, _, body in msgs:
            if kind == NLMSG_ERROR and len(body) >= 20:
                orig_seq = struct.unpack_from("=I", body, 12)[0]
                e = -struct.unpack_from("=i", body)[0]
                if orig_seq == seq:
                    if e:
                        raise Finding(f"LIMITS_GET answered errno {e} after "
                                      f"request {raw[:64].hex()}")
                    continue
                if orig_seq == fuzz_seq and err is None:
                    err = e
            elif kind == self.family and len(body) >= 4:
                a = parse_attrs(body[4:])
                if body[0] == C["IMAGE_NEW"] and A["IMAGE_UPLOAD"] in a:
                    self.uploads.append(struct.unpack("=I", a[A["IMAGE_UPLOAD"]][:4])[0])
                if body[0] == C["BOOT_NEW"] and A["BOOT_ID"] in a:
                    self.boot_ids.append(struct.unpack("=I", a[A["BOOT_ID"]][:4])[0])
                if err is None and body[0] == cmd:
                    err = 0
        if err is None:
            return
        self.count(err)
        if (self.args.mode == "nobody" and err == 0 and cmd in ADMIN
                and raw[4:6] == struct.pack("=H", self.family)
                and (flags & NLM_F_DUMP) != NLM_F_DUMP):
            raise Finding(f"as nobody, command {cmd} succeeded: {raw[:128].hex()}")

    def count(self, err):
        if err == 0:
            self.stats["ok"] += 1
        elif err == errno.EPERM:
            self.stats["eperm"] += 1
        else:
            self.stats["other_errno"] += 1
        name = errno.errorcode.get(err, str(err)) if err else "0"
        self.by_errno[name] = self.by_errno.get(name, 0) + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=("root", "userns", "nobody"), default="root")
    ap.add_argument("--dev", default="lo")
    ap.add_argument("--dumps", action="store_true")
    args = ap.parse_args()

    if args.dumps:
        try:
            print(f"# dumps answer: {check_dumps(Sock())}")
        except Finding as e:
            print(f"# FINDING {e}")
            return 1
        return 0

    fz = Fuzzer(args)
    print(f"# fuzz_netlink: {args.mode}, seed {args.seed}, "
          + (f"{args.count} iterations" if args.count else f"{args.seconds:g} s"),
          flush=True)
    end = time.monotonic() + args.seconds
    i = 0
    rc = 0
    try:
        while (i < args.count) if args.count else (time.monotonic() < end):
            fz.iteration(i)
            i += 1
        print(f"# dumps answer: {check_dumps(fz.socks[0])}")
    except Finding as e:
        print(f"# FINDING ({args.mode}, seed {args.seed}, iteration {i}): {e}", flush=True)
        rc = 1
    print(f"# fuzz_netlink: {args.mode}: {i} iterations, {fz.stats}, errnos {fz.by_errno}; "
          f"replay: FUZZ_SEED={args.seed} FUZZ_COUNT={i}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
