#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The image upload protocol spoken directly (generic netlink through the
# kernel's YNL library, pxe_ynl.py), for what pxectl never does on purpose:
# writes out of order or past the end, commits too early or with the wrong
# SHA-256, another socket's upload, a socket closed mid-upload.  Every
# request is well-formed netlink; the errors are the protocol's.  Used by
# image_upload_protocol_errors.sh:
#
#	image_nl.py CASE	exit 0 when CASE behaves, 1 (and why) if not
#
# Commands and attributes are named as docs/netlink/pxe.yaml names them, so
# the script follows the contract instead of copying it.
import errno
import hashlib
import sys
import time

from pxe_ynl import Genl


def expect(what, got, want):
    if got != want:
        print(f"# {what}: expected {want!r}, got {got!r}")
        sys.exit(1)


def expect_error(what, result, err, message):
    expect(what, (errno.errorcode.get(result[0], result[0]), result[1]),
           (errno.errorcode[err], message))


def new_upload(nl, name, size):
    err, text, reply = nl.request("image-new", {
        "image-name": name, "image-size": size})
    expect(f"IMAGE_NEW {name} {size}", (err, text), (0, ""))
    return reply["image-upload"]


def write(nl, upload, offset, data):
    return nl.request("image-write", {
        "image-upload": upload, "image-offset": offset, "image-data": data})


def commit(nl, upload, sha):
    return nl.request("image-commit", {
        "image-upload": upload, "image-sha256": sha})


def abort(nl, upload):
    return nl.request("image-abort", {"image-upload": upload})


def image_get(nl, name):
    return nl.request("image-get", {"image-name": name})


def memory_used(nl):
    _, _, reply = nl.request("limits-get", {})
    return reply["image-memory-used"]


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
    expect("name", reply["image-name"], "good/one")
    expect("sha256", reply["image-sha256"],
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
    _, _, reply = nl.request("limits-get", {})
    limit = reply["limit-image-memory"]
    used = memory_used(nl)
    expect_error("an image as big as the limit plus one",
                 nl.request("image-new", {
                     "image-name": "huge", "image-size": limit - used + 1}),
                 errno.ENOSPC,
                 "image memory limit reached; raise it with 'pxectl settings set image-memory BYTES'")
    expect_error("an absurd size",
                 nl.request("image-new", {
                     "image-name": "huge", "image-size": 1 << 63}),
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
