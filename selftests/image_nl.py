#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The image upload protocol spoken directly (generic netlink through the
# kernel's YNL library, pxe_ynl.py), for what pxectl never does on purpose:
# writes out of order or past the end, commits too early or with the wrong
# SHA-256, another socket's upload, a socket closed mid-upload; uploads
# committed with image-stage and published together (image-publish).  Every
# request is well-formed netlink; the errors are the protocol's.  Used by
# image_upload_protocol_errors.sh:
#
#	image_nl.py CASE...	runs each CASE on a socket of its own, in one
#				process (under emulation each python that
#				loads the spec costs seconds): prints
#				"case CASE", why it failed ("# ..."), then
#				"ok CASE" or "not ok CASE"; exit 1 if any failed
#
# Commands and attributes are named as docs/netlink/pxe.yaml names them, so
# the script follows the contract instead of copying it.
import errno
import hashlib
import sys
import time
import traceback

from pxe_ynl import Genl


class CaseFailed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise CaseFailed(f"{what}: expected {want!r}, got {got!r}")


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


def stage(nl, upload, sha):
    return nl.request("image-commit", {
        "image-upload": upload, "image-sha256": sha, "image-stage": True})


def publish(nl):
    return nl.request("image-publish", {})


def staged_upload(nl, name, data):
    """An upload of DATA committed with image-stage; returns its id."""
    up = new_upload(nl, name, len(data))
    if data:
        expect(f"write {name}", write(nl, up, 0, data)[0], 0)
    expect(f"stage {name}", stage(nl, up, hashlib.sha256(data).digest()),
           (0, "", {"image-sha256": hashlib.sha256(data).digest()}))
    return up


def sha_of(nl, name):
    err, text, reply = image_get(nl, name)
    expect(f"IMAGE_GET {name}", (err, text), (0, ""))
    return reply["image-sha256"]


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


def case_commit_without_sha256_answers_the_kernels(nl):
    """pxectl image load sends none: the kernel's own hash, of what it got
    in writes of odd sizes, is the answer and the stored image's."""
    up = new_upload(nl, "unverified", len(DATA))
    for off in range(0, len(DATA), 3333):
        expect(f"write at {off}", write(nl, up, off, DATA[off:off + 3333])[0], 0)
    err, text, reply = nl.request("image-commit", {"image-upload": up})
    expect("commit without image-sha256", (err, text, reply),
           (0, "", {"image-sha256": hashlib.sha256(DATA).digest()}))
    expect("stored sha256", sha_of(nl, "unverified"), hashlib.sha256(DATA).digest())


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


OLD = b"old bytes\n" * 100
NEW = DATA[:5000]


def case_staged_images_wait_for_publish(nl):
    before = memory_used(nl)
    up = new_upload(nl, "tree/a", len(OLD))
    write(nl, up, 0, OLD)
    expect("commit tree/a", commit(nl, up, hashlib.sha256(OLD).digest())[0], 0)
    staged_upload(nl, "tree/a", NEW)
    staged_upload(nl, "/tree\\b", DATA)
    staged_upload(nl, "tree/empty", b"")
    expect("tree/a before the publish", sha_of(nl, "tree/a"),
           hashlib.sha256(OLD).digest())
    expect_error("tree/b before the publish", image_get(nl, "tree/b"),
                 errno.ENOENT, "no such image")
    expect("memory with the staged images", memory_used(nl),
           before + len(OLD) + len(NEW) + len(DATA))
    expect("publish", publish(nl), (0, "", {}))
    expect("tree/a after", sha_of(nl, "tree/a"), hashlib.sha256(NEW).digest())
    expect("tree/b after", sha_of(nl, "tree/b"), hashlib.sha256(DATA).digest())
    expect("tree/empty after", sha_of(nl, "tree/empty"),
           hashlib.sha256(b"").digest())
    # The replaced tree/a is freed after a grace period.
    poll_memory_used(nl, before + len(NEW) + len(DATA))
    expect("publish again: nothing staged", publish(nl), (0, "", {}))
    expect("tree/a unchanged", sha_of(nl, "tree/a"), hashlib.sha256(NEW).digest())
    for name in ("tree/a", "tree/b", "tree/empty"):
        expect(f"del {name}", nl.request("image-del", {"image-name": name})[0], 0)
    poll_memory_used(nl, before)


def case_staged_upload_is_aborted_not_rewritten(nl):
    before = memory_used(nl)
    up = staged_upload(nl, "staged", DATA)
    expect_error("write to a staged upload", write(nl, up, len(DATA), b""),
                 errno.ENOENT, "no such upload")
    expect_error("commit a staged upload again",
                 commit(nl, up, hashlib.sha256(DATA).digest()),
                 errno.ENOENT, "no such upload")
    other = Genl()
    expect_error("abort from another socket", abort(other, up),
                 errno.ENOENT, "no such upload")
    other.close()
    expect("abort", abort(nl, up)[0], 0)
    expect_error("abort twice", abort(nl, up), errno.ENOENT, "no such upload")
    expect("memory after abort", memory_used(nl), before)
    expect("publish", publish(nl)[0], 0)
    expect_error("nothing was published", image_get(nl, "staged"),
                 errno.ENOENT, "no such image")


def case_publish_takes_only_the_callers_staged_images(nl):
    other = Genl()
    staged_upload(other, "theirs", DATA)
    expect("my publish", publish(nl)[0], 0)
    expect_error("theirs after my publish", image_get(nl, "theirs"),
                 errno.ENOENT, "no such image")
    expect("their publish", publish(other)[0], 0)
    expect("theirs after their publish", sha_of(nl, "theirs"),
           hashlib.sha256(DATA).digest())
    other.close()
    expect("del", nl.request("image-del", {"image-name": "theirs"})[0], 0)


def case_closed_socket_drops_its_staged_images(nl):
    before = memory_used(nl)
    owner = Genl()
    staged_upload(owner, "orphan-staged", DATA)
    staged_upload(owner, "orphan-staged2", DATA[:777])
    expect("memory while staged", memory_used(nl), before + len(DATA) + 777)
    owner.close()
    poll_memory_used(nl, before)
    expect_error("get", image_get(nl, "orphan-staged"), errno.ENOENT,
                 "no such image")


def case_staged_images_are_capped_at_4096(nl):
    before = memory_used(nl)
    owner = Genl()
    empty = hashlib.sha256(b"").digest()
    for i in range(4096):
        up = new_upload(owner, f"many/{i}", 0)
        err = stage(owner, up, empty)[0]
        if err:
            expect(f"stage many/{i}", errno.errorcode.get(err, err), "0")
    up = new_upload(owner, "many/4096", 0)
    expect_error("the 4097th staged image", stage(owner, up, empty),
                 errno.EBUSY, "too many staged images; publish or abort them first")
    # Refused, it is still an upload: a plain commit publishes it.
    expect("plain commit of the refused one", commit(owner, up, empty)[0], 0)
    expect("many/4096", sha_of(nl, "many/4096"), empty)
    expect_error("many/0 is not published", image_get(nl, "many/0"),
                 errno.ENOENT, "no such image")
    owner.close()
    expect("del many/4096", nl.request("image-del", {"image-name": "many/4096"})[0], 0)
    poll_memory_used(nl, before)
    # The closed socket's 4096 are gone: a new socket may stage again.
    again = Genl()
    staged_upload(again, "many/again", b"")
    again.close()


def run_case(name, case):
    print(f"case {name}", flush=True)
    nl = Genl()
    try:
        case(nl)
    except CaseFailed as e:
        print(f"# {e}")
        return False
    except Exception:
        for line in traceback.format_exc().splitlines():
            print(f"# {line}")
        return False
    finally:
        nl.close()
    return True


def main():
    cases = [(n, globals().get("case_" + n)) for n in sys.argv[1:]]
    if not cases or not all(case for _, case in cases):
        names = [n[5:] for n in globals() if n.startswith("case_")]
        print("usage: image_nl.py CASE...; CASE is one of: " + " ".join(names))
        return 2
    failed = 0
    for name, case in cases:
        ok = run_case(name, case)
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {name}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
