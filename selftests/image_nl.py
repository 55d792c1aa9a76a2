#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The image upload protocol spoken directly (raw generic netlink), for what
# pxectl never does on purpose: writes out of order or past the end, commits
# too early or with the wrong SHA-256, another socket's upload, a socket
# closed mid-upload.  Used by image_upload_protocol_errors.sh:
#
#	image_nl.py CASE	exit 0 when CASE behaves, 1 (and why) if not
#
# Numbers come from include/uapi/linux/pxe.h, parsed here, so the script
# follows the contract instead of copying it.
import errno
import hashlib
import os
import re
import socket
import struct
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLMSGERR_ATTR_MSG = 1


def uapi_enum(name):
    """NAME: value of each member of enum NAME, counting from 0 or from
    an explicit "= N" (the generated header starts pxe_cmd at 1); aliases
    (PXE_CMD_MAX = (__PXE_CMD_MAX - 1)) are left out."""
    text = open(os.path.join(TOP, "include/uapi/linux/pxe.h")).read()
    body = re.search(r"enum " + name + r" \{(.*?)\};", text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    values, value = {}, 0
    for item in filter(None, (w.strip() for w in body.split(","))):
        ident, _, explicit = (s.strip() for s in item.partition("="))
        if explicit and not explicit.isdigit():
            continue
        value = int(explicit) if explicit else value
        values[ident] = value
        value += 1
    return values


CMD = uapi_enum("pxe_cmd")
ATTR = uapi_enum("pxe_attr")


def attr(kind, value):
    if isinstance(value, str):
        value = value.encode() + b"\0"
    elif isinstance(value, tuple):          # ("u32" | "u64", n)
        value = struct.pack("=I" if value[0] == "u32" else "=Q", value[1])
    hdr = struct.pack("=HH", 4 + len(value), kind)
    return hdr + value + b"\0" * (-len(value) % 4)


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("=HH", data)
        if length < 4:
            break
        out[kind & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    """One generic netlink socket: a portid of its own."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0
        self.family = GENL_ID_CTRL
        _, _, reply = self.request(CTRL_CMD_GETFAMILY,
                                   [attr(CTRL_ATTR_FAMILY_NAME, "pxe")])
        self.family = struct.unpack("=H", reply[CTRL_ATTR_FAMILY_ID][:2])[0]

    def close(self):
        self.sock.close()

    def request(self, cmd, attrs):
        """Returns (errno, extack message, attributes of the reply)."""
        self.seq += 1
        payload = struct.pack("=BBH", cmd, 1, 0) + b"".join(attrs)
        hdr = struct.pack("=IHHII", 16 + len(payload), self.family,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(hdr + payload)
        reply = {}
        while True:
            data = self.sock.recv(1 << 20)
            while data:
                length, kind, flags, seq, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[16:length], data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", msg)[0]
                    # The echoed request header, its payload unless capped.
                    orig_len = struct.unpack_from("=I", msg, 4)[0]
                    skip = 4 + (16 if flags & 0x100 else orig_len)
                    ext = parse_attrs(msg[skip:]) if flags & 0x200 else {}
                    text = ext.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0")
                    return err, text.decode(), reply
                if kind == NLMSG_DONE:
                    return 0, "", reply
                reply = parse_attrs(msg[4:])


def expect(what, got, want):
    if got != want:
        print(f"# {what}: expected {want!r}, got {got!r}")
        sys.exit(1)


def expect_error(what, result, err, message):
    expect(what, (errno.errorcode.get(result[0], result[0]), result[1]),
           (errno.errorcode[err], message))


def new_upload(nl, name, size):
    err, text, reply = nl.request(CMD["PXE_CMD_IMAGE_NEW"], [
        attr(ATTR["PXE_A_IMAGE_NAME"], name),
        attr(ATTR["PXE_A_IMAGE_SIZE"], ("u64", size))])
    expect(f"IMAGE_NEW {name} {size}", (err, text), (0, ""))
    return struct.unpack("=I", reply[ATTR["PXE_A_IMAGE_UPLOAD"]])[0]


def write(nl, upload, offset, data):
    return nl.request(CMD["PXE_CMD_IMAGE_WRITE"], [
        attr(ATTR["PXE_A_IMAGE_UPLOAD"], ("u32", upload)),
        attr(ATTR["PXE_A_IMAGE_OFFSET"], ("u64", offset)),
        attr(ATTR["PXE_A_IMAGE_DATA"], data)])


def commit(nl, upload, sha):
    return nl.request(CMD["PXE_CMD_IMAGE_COMMIT"], [
        attr(ATTR["PXE_A_IMAGE_UPLOAD"], ("u32", upload)),
        attr(ATTR["PXE_A_IMAGE_SHA256"], sha)])


def abort(nl, upload):
    return nl.request(CMD["PXE_CMD_IMAGE_ABORT"], [
        attr(ATTR["PXE_A_IMAGE_UPLOAD"], ("u32", upload))])


def image_get(nl, name):
    return nl.request(CMD["PXE_CMD_IMAGE_GET"],
                      [attr(ATTR["PXE_A_IMAGE_NAME"], name)])


def memory_used(nl):
    _, _, reply = nl.request(CMD["PXE_CMD_LIMITS_GET"], [])
    return struct.unpack("=Q", reply[ATTR["PXE_A_IMAGE_MEMORY_USED"]])[0]


def poll_memory_used(nl, want):
    for _ in range(100):
        if memory_used(nl) == want:
            return
        time.sleep(0.1)
    expect("image memory used", memory_used(nl), want)


DATA = bytes(range(256)) * 40 + b"\r\n\n"          # 10243 bytes


def case_write_out_of_order_is_refused(nl):
    up = new_upload(nl, "ooo", len(DATA))
    expect_error("write at 5 of an empty upload", write(nl, up, 5, DATA[5:9]),
                 errno.EINVAL, "write is not at the end of the upload")
    expect("write at 0", write(nl, up, 0, DATA[:100])[0], 0)
    expect_error("write at 0 again", write(nl, up, 0, DATA[:100]),
                 errno.EINVAL, "write is not at the end of the upload")
    expect_error("write skipping a byte", write(nl, up, 101, DATA[101:200]),
                 errno.EINVAL, "write is not at the end of the upload")
    expect("abort", abort(nl, up)[0], 0)


def case_write_past_size_is_refused(nl):
    up = new_upload(nl, "past", 10)
    expect_error("11 bytes into 10", write(nl, up, 0, DATA[:11]),
                 errno.EINVAL, "write past the image's size")
    expect("10 bytes into 10", write(nl, up, 0, DATA[:10])[0], 0)
    expect_error("1 byte more", write(nl, up, 10, b"x"),
                 errno.EINVAL, "write past the image's size")
    expect("abort", abort(nl, up)[0], 0)


def case_commit_of_incomplete_upload_is_refused(nl):
    up = new_upload(nl, "incomplete", len(DATA))
    write(nl, up, 0, DATA[:1000])
    expect_error("commit after 1000 bytes",
                 commit(nl, up, hashlib.sha256(DATA).digest()),
                 errno.EINVAL, "upload is incomplete")
    # The upload survives: finish it.
    expect("rest", write(nl, up, 1000, DATA[1000:])[0], 0)
    expect("commit", commit(nl, up, hashlib.sha256(DATA).digest())[0], 0)
    expect("get", image_get(nl, "incomplete")[0], 0)


def case_sha256_mismatch_stores_nothing(nl):
    before = memory_used(nl)
    up = new_upload(nl, "bad-sha", len(DATA))
    expect("memory while uploading", memory_used(nl), before + len(DATA))
    write(nl, up, 0, DATA)
    expect_error("commit with the SHA-256 of other bytes",
                 commit(nl, up, hashlib.sha256(DATA + b"x").digest()),
                 errno.EBADMSG, "SHA-256 mismatch: the image was not stored")
    expect_error("get", image_get(nl, "bad-sha"), errno.ENOENT,
                 "no such image")
    expect_error("the upload is gone", write(nl, up, len(DATA), b""),
                 errno.ENOENT, "no such upload")
    poll_memory_used(nl, before)


def case_commit_publishes_verified_image(nl):
    up = new_upload(nl, "/good\\one", len(DATA))
    for off in range(0, len(DATA), 4000):
        expect(f"write at {off}", write(nl, up, off, DATA[off:off + 4000])[0], 0)
    expect_error("not visible before commit", image_get(nl, "good/one"),
                 errno.ENOENT, "no such image")
    expect("commit", commit(nl, up, hashlib.sha256(DATA).digest())[0], 0)
    err, _, reply = image_get(nl, "good/one")
    expect("get", err, 0)
    expect("name", reply[ATTR["PXE_A_IMAGE_NAME"]], b"good/one\0")
    expect("sha256", reply[ATTR["PXE_A_IMAGE_SHA256"]],
           hashlib.sha256(DATA).digest())
    expect("the upload is gone", commit(nl, up, b"\0" * 32)[0], errno.ENOENT)


def case_other_socket_cannot_touch_an_upload(nl):
    up = new_upload(nl, "mine", len(DATA))
    other = Genl()
    expect_error("write from another socket", write(other, up, 0, DATA),
                 errno.ENOENT, "no such upload")
    expect_error("commit from another socket",
                 commit(other, up, hashlib.sha256(DATA).digest()),
                 errno.ENOENT, "no such upload")
    expect_error("abort from another socket", abort(other, up),
                 errno.ENOENT, "no such upload")
    other.close()
    expect("the owner writes on", write(nl, up, 0, DATA)[0], 0)
    expect("abort", abort(nl, up)[0], 0)
    expect_error("abort twice", abort(nl, up), errno.ENOENT, "no such upload")


def case_abort_returns_memory(nl):
    before = memory_used(nl)
    up = new_upload(nl, "aborted", 1 << 20)
    expect("memory while uploading", memory_used(nl), before + (1 << 20))
    expect("abort", abort(nl, up)[0], 0)
    expect("memory after abort", memory_used(nl), before)


def case_closed_socket_drops_its_uploads(nl):
    before = memory_used(nl)
    owner = Genl()
    new_upload(owner, "orphan", 1 << 20)
    new_upload(owner, "orphan2", 12345)
    expect("memory while uploading", memory_used(nl),
           before + (1 << 20) + 12345)
    owner.close()
    poll_memory_used(nl, before)
    expect_error("get", image_get(nl, "orphan"), errno.ENOENT, "no such image")


def case_size_over_limit_is_refused(nl):
    _, _, reply = nl.request(CMD["PXE_CMD_LIMITS_GET"], [])
    limit = struct.unpack("=Q", reply[ATTR["PXE_A_LIMIT_IMAGE_MEMORY"]])[0]
    used = memory_used(nl)
    expect_error("an image as big as the limit plus one",
                 nl.request(CMD["PXE_CMD_IMAGE_NEW"], [
                     attr(ATTR["PXE_A_IMAGE_NAME"], "huge"),
                     attr(ATTR["PXE_A_IMAGE_SIZE"], ("u64", limit - used + 1))]),
                 errno.ENOSPC,
                 "image memory limit reached; raise it with 'pxectl settings set image-memory BYTES'")
    expect_error("an absurd size",
                 nl.request(CMD["PXE_CMD_IMAGE_NEW"], [
                     attr(ATTR["PXE_A_IMAGE_NAME"], "huge"),
                     attr(ATTR["PXE_A_IMAGE_SIZE"], ("u64", 1 << 63))]),
                 errno.EFBIG, "image is too large")
    expect("memory", memory_used(nl), used)


def main():
    case = globals().get("case_" + sys.argv[1]) if len(sys.argv) == 2 else None
    if not case:
        cases = [n[5:] for n in globals() if n.startswith("case_")]
        print("usage: image_nl.py CASE; CASE is one of: " + " ".join(cases))
        return 2
    nl = Genl()
    case(nl)
    nl.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
