#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# What a pxectl batch file configures, derived from the file itself, compared
# with what `pxectl -j ... show` reports.  Used by examples_load_and_apply.sh,
# run inside the namespace the file was applied to:
#
#   examples_expect.py CONF WHAT [STDOUT]
#
# WHAT is links, pools, hosts, boot, images, settings, or output (the batch's
# standard output, saved in STDOUT: one rule id per "boot add", one "NAME
# SIZE SHA256" line per "image load").  Defaults the file leaves out are
# worked out independently of pxectl: a link's server is the device's first
# IPv4 address (from ip(8)), a pool's netmask the prefix of the device's
# address holding its range, lease 3600, prio 100.  Prints what differs and
# exits 1, or exits 0.
import hashlib
import ipaddress
import json
import os
import subprocess
import sys

PXECTL = os.environ.get("PXECTL", "pxectl")
# pxectl's names with IANA's codes.  `boot show` prints a rule's arch as
# the name that means exactly its codes: a name as given, a number as the
# name of that code alone where one exists (9 is efi-bc; 7 has none, since
# efi-x64 is 7 and 9), else as the number.
ARCH_CODES = {"bios": 0, "efi-ia32": 6, "efi-x64": 7, "efi-bc": 9,
              "efi-arm32": 10, "efi-arm64": 11, "efi-ia32-http": 15,
              "efi-x64-http": 16, "efi-arm64-http": 19, "rpi": 41}
ARCH_ALONE = {code: name for name, code in ARCH_CODES.items()
              if name != "efi-x64"}


def arch_shown(text):
    if text in ARCH_CODES:
        return text
    return ARCH_ALONE.get(int(text), int(text))
SIZE_SHIFT = {"k": 10, "m": 20, "g": 30}


def split_words(line):
    """As pxectl's batch mode: blanks, '#' comments, double quotes."""
    words, word, quoted, started, i = [], "", False, False, 0
    while i < len(line):
        c = line[i]
        if not quoted and c.isspace():
            if started:
                words.append(word)
            word, started = "", False
        elif not quoted and not started and c == "#":
            break
        elif c == '"':
            quoted, started = not quoted, True
        elif quoted and c == "\\" and i + 1 < len(line):
            i += 1
            word += line[i]
        else:
            word, started = word + c, True
        i += 1
    if started:
        words.append(word)
    return words


def commands(path):
    with open(path) as f:
        for line in f:
            words = split_words(line)
            if words:
                yield words


def keywords(words, flags=()):
    """'key value' pairs (and bare flags) into a dict."""
    out, i = {}, 0
    while i < len(words):
        if words[i] in flags:
            out[words[i]] = True
            i += 1
        else:
            out[words[i]] = words[i + 1]
            i += 2
    return out


def ipv4_addrs(dev):
    info = json.loads(subprocess.check_output(
        ["ip", "-j", "-4", "addr", "show", "dev", dev]))
    return [ipaddress.IPv4Interface(f"{a['local']}/{a['prefixlen']}")
            for a in info[0]["addr_info"]]


def image_name(name):
    return name.replace("\\", "/").lstrip("/")


def mac_text(text):
    mac, _, length = text.partition("/")
    mac = mac.replace("-", ":").lower()
    return mac if length in ("", "48") else f"{mac}/{int(length)}"


def size_bytes(text):
    shift = SIZE_SHIFT.get(text[-1].lower(), 0)
    return int(text[:-1] if shift else text) << shift


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def expect_links(conf):
    links = {}
    for w in conf:
        if w[:2] == ["link", "add"]:
            k = keywords(w[2:])
            links[k["dev"]] = k.get("server") or str(ipv4_addrs(k["dev"])[0].ip)
    return links, {l["dev"]: l.get("server") for l in show("link")}


def expect_pools(conf):
    pools = {}
    for w in conf:
        if w[:2] != ["pool", "add"]:
            continue
        name, rest = w[2], w[3:]
        if "range" in rest:
            i = rest.index("range")
            start, end = rest[i + 1], rest[i + 2]
            rest = rest[:i] + rest[i + 3:]
        k = keywords(rest, flags=("proxy",))
        pool = {"name": name, "dev": k["dev"], "proxy": "proxy" in k,
                "size": 0}
        if not pool["proxy"]:
            first = ipaddress.IPv4Address(start)
            if "netmask" in k:
                netmask = k["netmask"]
            else:
                netmask = next(str(a.netmask) for a in ipv4_addrs(k["dev"])
                               if first in a.network)
            pool.update(start=start, end=end, netmask=netmask,
                        lease=int(k.get("lease", 3600)),
                        size=int(ipaddress.IPv4Address(end)) - int(first) + 1)
            for key in ("router", "dns", "domain"):
                if key in k:
                    pool[key] = k[key]
        pools[name] = pool
    got = {}
    for p in show("pool"):
        p.pop("used", None)
        got[p["name"]] = p
    return pools, got


def expect_hosts(conf):
    hosts = {}
    for w in conf:
        if w[:2] == ["host", "add"]:
            k = keywords(w[3:])
            host = {"mac": mac_text(w[2]), "ip": k["ip"]}
            if "name" in k:
                host["name"] = k["name"]
            hosts[host["mac"]] = host
    return hosts, {h["mac"]: h for h in show("host")}


def expect_boot(conf):
    rules = []
    for w in conf:
        if w[:2] != ["boot", "add"]:
            continue
        k = keywords(w[2:])
        rule = {"id": len(rules) + 1, "prio": int(k.get("prio", 100)),
                "file": k["file"]}
        if "arch" in k:
            rule["arch"] = arch_shown(k["arch"])
        for key, field in (("vendor", "vendor"), ("user-class", "user_class"),
                           ("pool", "pool"), ("server", "server")):
            if key in k:
                rule[field] = k[key]
        if "mac" in k:
            rule["mac"] = mac_text(k["mac"])
        rules.append(rule)
    # The order they are tried in: prio, then the order added.
    rules.sort(key=lambda r: (r["prio"], r["id"]))
    got = show("boot")
    for r in got:
        r.pop("hits", None)
    return rules, got


def expect_images(conf):
    images = {}
    for w in conf:
        if w[:2] == ["image", "load"]:
            images[image_name(w[2])] = {"size": os.path.getsize(w[3]),
                                        "sha256": sha256_of(w[3])}
    return images, {i["name"]: {"size": i["size"], "sha256": i["sha256"]}
                    for i in show("image")}


def expect_settings(conf):
    settings = {}
    for w in conf:
        if w[:2] == ["settings", "set"]:
            for key, value in keywords(w[2:]).items():
                settings[key.replace("-", "_")] = (
                    size_bytes(value) if key == "image-memory" else int(value))
    got = show("settings")[0]
    return settings, {k: got.get(k) for k in settings}


def expect_output(conf, stdout):
    lines = []
    for w in conf:
        if w[:2] == ["boot", "add"]:
            lines.append(str(sum(1 for l in lines if l.isdigit()) + 1))
        elif w[:2] == ["image", "load"]:
            lines.append(f"{image_name(w[2])} {os.path.getsize(w[3])} "
                         f"{sha256_of(w[3])}")
    with open(stdout) as f:
        return lines, f.read().splitlines()


def show(obj):
    cmd = [PXECTL, "-j", obj] + ([] if obj == "stats" else ["show"])
    return json.loads(subprocess.check_output(cmd))


def main():
    conf = list(commands(sys.argv[1]))
    what = sys.argv[2]
    checks = {"links": expect_links, "pools": expect_pools,
              "hosts": expect_hosts, "boot": expect_boot,
              "images": expect_images, "settings": expect_settings}
    if what == "output":
        want, got = expect_output(conf, sys.argv[3])
    else:
        want, got = checks[what](conf)
    if want == got:
        print(f"# {what}: {len(want)} as the file says")
        return 0
    print(f"# {what} differ from {sys.argv[1]}:")
    print(f"#   expected: {json.dumps(want, sort_keys=True)}")
    print(f"#   got:      {json.dumps(got, sort_keys=True)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
