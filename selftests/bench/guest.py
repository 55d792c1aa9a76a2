#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The guest side of `make bench`: every measurement, one server at a time.

    selftests/bench/guest.py OUTDIR

Runs inside the VM (selftests/vm-run, module loaded) and appends one JSON
object per figure to OUTDIR/results.jsonl; selftests/bench/report.py turns
that into docs/BENCHMARKS.md.  Every server gets the same topology and
nothing else runs beside it:

  +--------------------------------+        +--------------------------------+
  | bench-srv (the server)         |        | bench-cli (the clients)        |
  |   srv0 10.1.0.1/16 ------------+--veth--+-- cli0 10.1.0.2/16             |
  |   pxe link, dnsmasq, kea,      |        |   perfdhcp, tftp_load, tftp,   |
  |   in.tftpd, atftpd, iperf3 -s  |        |   curl, iperf3 -c              |
  +--------------------------------+        +--------------------------------+

Sizes and durations come from the environment (scripts/bench documents
them).  A download whose SHA-256 differs is a failure: it is recorded, the
run goes on, and the exit status is 1.
"""
import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PXECTL = os.path.join(TOP, "ctl/pxectl")
LOAD = os.path.join(TOP, "selftests/bench/tftp_load")
ATFTPD = os.environ.get("BENCH_ATFTPD", "")
KEA_DHCP6 = os.environ.get("BENCH_KEA_DHCP6", "kea-dhcp6")
NS_S, NS_C = "bench-srv", "bench-cli"
SERVER, CLIENT = "10.1.0.1", "10.1.0.2"
POOL = ("10.1.0.10", "10.1.255.250")
# DHCPv6: srv0 also has SERVER6/64 while the DHCPv6 runs go on.
SERVER6, POOL6_NET, POOL6 = "fd00:1::1", "fd00:1::/64", ("fd00:1::1:0", "fd00:1::1:ffff")
WORK = "/tmp/bench"
HZ = os.sysconf("SC_CLK_TCK")


def env_int(name, default):
    return int(os.environ.get(name, default))


TFTP_MB = env_int("BENCH_TFTP_MB", 64)
MANY_MB = env_int("BENCH_MANY_MB", 32)
MANY_CLIENTS = env_int("BENCH_MANY_CLIENTS", 64)
IMAGE_MB = env_int("BENCH_IMAGE_MB", 256)
DHCP_SECS = env_int("BENCH_DHCP_SECS", 3)
DHCP_CLIENTS = env_int("BENCH_DHCP_CLIENTS", 3000)
LATENCY_RATE = env_int("BENCH_LATENCY_RATE", 50)
IPERF_SECS = env_int("BENCH_IPERF_SECS", 3)
TFTP_CAP = env_int("BENCH_TFTP_CAP", 15)
MANY_CAP = env_int("BENCH_MANY_CAP", 30)
MANY_PROCS = env_int("BENCH_MANY_PROCS", 2)
# Single-client runs put client and server on one vCPU (see pin()).
PIN = env_int("BENCH_PIN", 1)
SECTIONS = os.environ.get("BENCH_SECTIONS", "image,dhcp,dhcp6,tftp,many,iperf").split(",")
FULL_FRACTION = 0.9

out_file = None
failures = []


def log(msg):
    print(f"# bench: {msg}", flush=True)


def record(**fields):
    out_file.write(json.dumps(fields) + "\n")
    out_file.flush()
    log(json.dumps(fields))


def fail(what, msg):
    failures.append(f"{what}: {msg}")
    record(section="failure", what=what, error=msg)


def run(cmd, ns=None, timeout=600, check=True, **kw):
    if ns:
        cmd = ["ip", "netns", "exec", ns] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: "
                           f"{(p.stderr or p.stdout).strip()[-400:]}")
    return p


def pxectl(*args, **kw):
    return run([PXECTL] + list(args), ns=NS_S, **kw)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def random_file(path, mb):
    with open(path, "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1 << 20))
    return sha256_file(path)


# ---------------------------------------------------------------------------
# Topology and servers.

def topology():
    for ns in (NS_S, NS_C):
        run(["ip", "netns", "add", ns])
        run(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
             "net.ipv6.conf.default.disable_ipv6=1"], ns=ns)
        run(["ip", "-n", ns, "link", "set", "lo", "up"])
    run(["ip", "-n", NS_S, "link", "add", "srv0", "type", "veth", "peer", "name", "cli0",
         "netns", NS_C])
    run(["ip", "-n", NS_S, "addr", "add", SERVER + "/16", "dev", "srv0"])
    run(["ip", "-n", NS_C, "addr", "add", CLIENT + "/16", "dev", "cli0"])
    run(["ip", "-n", NS_S, "link", "set", "srv0", "up"])
    run(["ip", "-n", NS_C, "link", "set", "cli0", "up"])
    # Room in every socket, the servers' and the clients' alike: a window of
    # big blocks, and perfdhcp's socket, which overflowed first otherwise
    # (the client, not the server, set the DHCP ceiling).  Global sysctls.
    run(["sysctl", "-qw", "net.core.rmem_max=16777216", "net.core.wmem_max=16777216",
         "net.core.rmem_default=4194304"])
    with open("/proc/sys/net/core/rmem_default") as f:
        record(section="net", rmem_default=int(f.read()))


class Daemon:
    """A peer server in NS_S; `ip netns exec` execs it, so the pid is its."""

    def __init__(self, name, cmd, ready, env=None):
        self.name = name
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_S] + cmd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env)
        deadline = time.time() + 60
        while not ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited {self.proc.returncode}: "
                                   f"{self.proc.stderr.read().decode()[-400:]}")
            if time.time() > deadline:
                self.stop()
                raise RuntimeError(f"{name} not ready after 60 s")
            time.sleep(0.1)

    def cpu_seconds(self):
        """User + system time of the daemon, its threads and its children."""
        ticks = 0
        pids = run(["ip", "netns", "pids", NS_S]).stdout.split()
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
            if int(pid) == self.proc.pid:
                ticks += int(fields[13]) + int(fields[14])
        return ticks / HZ

    def kill_children(self):
        """Children still serving a capped transfer (tftpd-hpa forks one per
        transfer): they would compete with the next measurement."""
        for pid in run(["ip", "netns", "pids", NS_S]).stdout.split():
            if int(pid) != self.proc.pid:
                try:
                    os.kill(int(pid), 9)
                except OSError:
                    pass

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.kill_children()


def udp_listening(port):
    def check():
        out = run(["ss", "-Hnlu", f"sport = :{port}"], ns=NS_S, check=False).stdout
        return out.strip() != ""
    return check


def vm_softirq_seconds():
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[7]) / HZ


def vm_busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle, iowait
    return (sum(fields[:8]) - fields[3] - fields[4]) / HZ


# ---------------------------------------------------------------------------
# 4. image load against cat.

def bench_image():
    path = f"{WORK}/image.bin"
    random_file(path, IMAGE_MB)
    pxectl("settings", "set", "image-memory", f"{IMAGE_MB * 2}M")
    t = time.monotonic()
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
    cat_s = time.monotonic() - t
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    pxectl("image", "load", "big.bin", path)
    load_s = time.monotonic() - t
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Where the time goes: pxectl's user time (its own SHA-256, reading the
    # file) against system time (netlink, the module's copy and SHA-256).
    user_s, sys_s = cpu1.ru_utime - cpu0.ru_utime, cpu1.ru_stime - cpu0.ru_stime
    t = time.monotonic()
    subprocess.run(["sha256sum", path], stdout=subprocess.DEVNULL, check=True)
    sha_s = time.monotonic() - t
    t = time.monotonic()
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
    cat_s = min(cat_s, time.monotonic() - t)
    pxectl("image", "del", "big.bin")
    os.unlink(path)
    mb = IMAGE_MB * (1 << 20) / 1e6
    record(section="image", server="pxe", mb=mb, load_seconds=load_s, load_mbps=mb / load_s,
           cat_seconds=cat_s, cat_mbps=mb / cat_s, pxectl_user_s=user_s, pxectl_sys_s=sys_s,
           sha256sum_seconds=sha_s, sha256sum_mbps=mb / sha_s)


# ---------------------------------------------------------------------------
# 1. DHCP: perfdhcp.

def child_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def udp_rcvbuf_errors(ns):
    """Datagrams a namespace's sockets dropped for want of room: a client
    that does not read fast enough."""
    lines = [ln.split() for ln in run(["cat", "/proc/net/snmp"], ns=ns).stdout.splitlines()
             if ln.startswith("Udp:")]
    return int(dict(zip(lines[0], lines[1]))["RcvbufErrors"])


PXE_DHCP_COUNTERS = ("dhcp_rx_discover", "dhcp_rx_request", "dhcp_tx_offer", "dhcp_tx_ack",
                     "dhcp_tx_nak", "tx_errors")
PXE_DHCP6_COUNTERS = ("dhcp6_rx_solicit", "dhcp6_rx_request", "dhcp6_tx_advertise",
                      "dhcp6_tx_reply", "tx_errors")
# perfdhcp's option, its two exchanges (recorded as "do" and "ra" alike),
# the module's counters and the prefix of its drop counters, per family.
FAMILIES = {4: ("-4", ("DISCOVER-OFFER", "REQUEST-ACK"), PXE_DHCP_COUNTERS, "dhcp_drop_"),
            6: ("-6", ("SOLICIT-ADVERTISE", "REQUEST-REPLY"), PXE_DHCP6_COUNTERS,
                "dhcp6_drop_")}


def pxe_dhcp_counters(family=4):
    """The module's own view: did it answer everything that reached it?"""
    _, _, counters, drop = FAMILIES[family]
    try:
        j = json.loads(pxectl("-j", "stats").stdout)[0]
    except (RuntimeError, ValueError, IndexError):
        return None
    out = {k: j.get(k, 0) for k in counters}
    out["dhcp_drops"] = sum(v for k, v in j.items() if k.startswith(drop))
    return out


def perfdhcp(rate, secs, family=4):
    option, exchanges, _, _ = FAMILIES[family]
    cpu0, soft0, busy0 = child_cpu_seconds(), vm_softirq_seconds(), vm_busy_seconds()
    rcvbuf0, pxe0 = udp_rcvbuf_errors(NS_C), pxe_dhcp_counters(family)
    p = run(["perfdhcp", option, "-l", "cli0", "-r", str(rate), "-R", str(DHCP_CLIENTS),
             "-p", str(secs)], ns=NS_C, timeout=secs + 60, check=False, cwd=WORK)
    if p.returncode not in (0, 3):
        raise RuntimeError(f"perfdhcp exit {p.returncode}: {(p.stderr + p.stdout)[-400:]}")
    text = p.stdout
    # perfdhcp's own CPU against the whole VM's: which side is the bottleneck.
    res = {"requested": rate, "perfdhcp_cpu_s": round(child_cpu_seconds() - cpu0, 2),
           "softirq_s": round(vm_softirq_seconds() - soft0, 2),
           "vm_busy_s": round(vm_busy_seconds() - busy0, 2),
           "client_rcvbuf_drops": udp_rcvbuf_errors(NS_C) - rcvbuf0}
    pxe1 = pxe_dhcp_counters(family)
    if pxe0 and pxe1 and pxe1 != pxe0:
        res["pxe"] = {k: pxe1[k] - pxe0[k] for k in pxe1}
    m = re.search(r"^Rate: ([\d.]+) 4-way exchanges/second", text, re.M)
    res["rate"] = float(m.group(1)) if m else 0.0
    for key, name in zip(exchanges, ("do", "ra")):
        part = text.split(f"***Statistics for: {key}***")
        if len(part) < 2:
            res[name + "_sent"] = res[name + "_received"] = 0
            continue
        part = part[1].split("***")[0]

        def num(label, part=part):
            m = re.search(rf"^{label}: ([\d.]+)", part, re.M)
            return float(m.group(1)) if m else 0.0
        res[name + "_sent"] = int(num("sent packets"))
        res[name + "_received"] = int(num("received packets"))
        res[name + "_avg_ms"] = num("avg delay")
        res[name + "_max_ms"] = num("max delay")
    sent = res["do_sent"]
    # ISC's drop rate: DORA exchanges that did not complete, of those begun.
    res["drop_pct"] = 100.0 * (1 - res["ra_received"] / sent) if sent else 100.0
    return res


def dhcp_search(server, reset, family=4):
    """The highest perfdhcp rate with <= 2.5 % drops."""
    runs = []

    def trial(rate):
        reset()
        # Deferred work of the reset (RCU frees of a flush, a daemon's start)
        # ends before the clock starts, for every server alike.
        time.sleep(1)
        r = perfdhcp(rate, DHCP_SECS, family)
        r["client_limited"] = r["rate"] < 0.6 * rate and r["drop_pct"] <= 2.5
        runs.append(r)
        log(f"{server}{'' if family == 4 else ' DHCPv6'}: -r {rate}: {r['rate']:.0f}/s, "
            f"{r['drop_pct']:.2f} % drops")
        return r["drop_pct"] <= 2.5 and not r["client_limited"]

    def passes(rate):
        # A failed trial runs once more: one noisy trial (the host busy
        # elsewhere for a moment, under TCG) must not end the search.
        return trial(rate) or trial(rate)

    # From 100/s: down by halves until a rate passes, up by doubling until
    # one fails, then two bisection steps between the two.
    good, bad, rate = None, None, 100
    while good is None and rate >= 12:
        if passes(rate):
            good = rate
        else:
            bad, rate = rate, rate // 2
    if good is not None and bad is None:
        rate = 2 * good
        while rate <= 64000:
            if not passes(rate):
                bad = rate
                break
            good, rate = rate, 2 * rate
    if good is not None and bad is not None:
        for _ in range(2):
            mid = (good + bad) // 2
            if mid in (good, bad):
                break
            if passes(mid):
                good = mid
            else:
                bad = mid
    passing = [r for r in runs if r["drop_pct"] <= 2.5]
    best = max(passing, key=lambda r: r["rate"]) if passing else None
    reset()
    time.sleep(1)
    lat = perfdhcp(LATENCY_RATE, 2 * DHCP_SECS, family)
    record(section="dhcp" if family == 4 else "dhcp6", server=server,
           dora_rate=best["rate"] if best else 0.0,
           at_requested=best["requested"] if best else 0,
           drop_pct=best["drop_pct"] if best else None,
           client_limited=any(r["client_limited"] for r in runs),
           latency_rate=LATENCY_RATE, offer_avg_ms=lat.get("do_avg_ms"),
           offer_max_ms=lat.get("do_max_ms"), latency_drop_pct=lat["drop_pct"],
           runs=runs)


def dnsmasq_dhcp(family=4):
    if family == 4:
        dhcp = [f"--dhcp-range={POOL[0]},{POOL[1]},255.255.0.0,1h", "--no-ping",
                "--quiet-dhcp"]
    else:
        dhcp = [f"--dhcp-range={POOL6[0]},{POOL6[1]},64,1h", "--quiet-dhcp6"]
    cmd = ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
           "--interface=srv0", "--bind-interfaces", "--user=root",
           f"--pid-file={WORK}/dnsmasq.pid"] + dhcp + [
           "--dhcp-lease-max=70000", "--leasefile-ro", "--log-facility=-"]
    return Daemon("dnsmasq", cmd, udp_listening(67 if family == 4 else 547))


def kea_dhcp(family=4):
    if family == 4:
        conf = {"Dhcp4": {
            "interfaces-config": {"interfaces": ["srv0"], "dhcp-socket-type": "raw"},
            "subnet4": [{"id": 1, "subnet": "10.1.0.0/16",
                         "pools": [{"pool": f"{POOL[0]} - {POOL[1]}"}]}]}}
        prog, started = "kea-dhcp4", "DHCP4_STARTED"
    else:
        # Kea's DHCPv6 sockets are UDP ones.  Its server DUID (DUID-LL of
        # srv0) is not kept on disk.
        conf = {"Dhcp6": {
            "interfaces-config": {"interfaces": ["srv0"]},
            "server-id": {"type": "LL", "persist": False}, "data-directory": WORK,
            "preferred-lifetime": 3600,
            "subnet6": [{"id": 1, "subnet": POOL6_NET, "interface": "srv0",
                         "pools": [{"pool": f"{POOL6[0]} - {POOL6[1]}"}]}]}}
        prog, started = KEA_DHCP6, "DHCP6_STARTED"
    name = "kea-dhcp" + str(family)
    (top,) = conf.values()
    top.update({
        "lease-database": {"type": "memfile", "persist": False, "lfc-interval": 0},
        "valid-lifetime": 3600,
        "loggers": [{"name": name, "severity": "WARN",
                     "output_options": [{"output": f"{WORK}/kea.log"}]},
                    {"name": f"{name}.dhcp{family}", "severity": "INFO",
                     "output_options": [{"output": f"{WORK}/kea.log"}]}]})
    path = f"{WORK}/kea.json"
    with open(path, "w") as f:
        json.dump(conf, f)
    log_path = f"{WORK}/kea.log"
    if os.path.exists(log_path):
        os.unlink(log_path)
    env = dict(os.environ, KEA_PIDFILE_DIR=WORK, KEA_LOCKFILE_DIR="none")

    def ready():
        try:
            return started in open(log_path).read()
        except OSError:
            return False
    return Daemon(name, [prog, "-c", path], ready, env=env)


def ip_add(base, n):
    a = [int(x) for x in base.split(".")]
    v = (a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3]) + n
    return f"{v >> 24}.{v >> 16 & 255}.{v >> 8 & 255}.{v & 255}"


def full_pool_batch():
    """`lease add` lines for 90 % of the pool, at random addresses."""
    size = 65536 - 10 - 5
    count = int(size * FULL_FRACTION)
    rng = random.Random(1)
    path = f"{WORK}/leases.batch"
    with open(path, "w") as f:
        for i, off in enumerate(rng.sample(range(size), count)):
            mac = f"02:00:{i >> 24 & 255:02x}:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
            f.write(f"lease add {mac} ip {ip_add(POOL[0], off)} expires 86400\n")
    return path, count, size


def bench_dhcp():
    # pxe, empty pool, then 90 % full.
    pxectl("link", "add", "dev", "srv0")
    pxectl("pool", "add", "lan", "dev", "srv0", "range", POOL[0], POOL[1],
           "netmask", "255.255.0.0", "lease", "3600")
    dhcp_search("pxe", lambda: pxectl("lease", "flush"))
    batch, count, size = full_pool_batch()
    load_times = []

    def refill():
        pxectl("lease", "flush")
        t = time.monotonic()
        pxectl("-b", batch, timeout=900)
        load_times.append(time.monotonic() - t)
    refill()
    used = json.loads(pxectl("-j", "pool", "show", "lan").stdout)[0].get("used")
    record(section="lease_load", server="pxe", leases=count, pool_size=size, used=used,
           seconds=load_times[0], per_second=count / load_times[0])
    dhcp_search("pxe-90%-full", refill)
    pxectl("lease", "flush")
    pxectl("pool", "del", "lan")
    pxectl("link", "del", "dev", "srv0")

    dhcp_peers()


def dhcp_peers(family=4):
    """dnsmasq and Kea, each restarted before every trial."""
    for name, start in (("dnsmasq", dnsmasq_dhcp), ("kea", kea_dhcp)):
        state = {"d": None}

        def restart(start=start, state=state):
            if state["d"]:
                state["d"].stop()
            state["d"] = start(family)
        try:
            dhcp_search(name, restart, family)
        except Exception as e:  # noqa: BLE001 -- a broken peer is reported
            fail(f"dhcp{'' if family == 4 else '6'} {name}", str(e))
        if state["d"]:
            state["d"].stop()


# ---------------------------------------------------------------------------
# 1b. DHCPv6: perfdhcp -6, the same search.

def ipv6(on):
    """IPv6 on srv0 and cli0 only for the DHCPv6 runs (the namespaces have it
    off): link-local addresses usable at once (no duplicate address
    detection), no router solicitations, and srv0's address in the pool's
    /64, which dnsmasq and Kea need to serve it."""
    for ns, dev in ((NS_S, "srv0"), (NS_C, "cli0")):
        if on:
            run(["sysctl", "-qw", f"net.ipv6.conf.{dev}.accept_dad=0",
                 f"net.ipv6.conf.{dev}.router_solicitations=0"], ns=ns)
        run(["sysctl", "-qw", f"net.ipv6.conf.{dev}.disable_ipv6={0 if on else 1}"], ns=ns)
    if on:
        run(["ip", "-n", NS_S, "-6", "addr", "add", SERVER6 + "/64", "dev", "srv0", "nodad"])


def bench_dhcp6():
    ipv6(True)
    try:
        pxectl("link", "add", "dev", "srv0")
        pxectl("pool", "add", "lan6", "dev", "srv0", "range6", POOL6[0], POOL6[1],
               "lease", "3600")
        dhcp_search("pxe", lambda: pxectl("lease", "flush"), 6)
        pxectl("lease", "flush")
        pxectl("pool", "del", "lan6")
        pxectl("link", "del", "dev", "srv0")
        dhcp_peers(6)
    finally:
        ipv6(False)


# ---------------------------------------------------------------------------
# 2. and 3. TFTP.

TFTP_CASES = [("lock-step", 512, 1), ("lock-step", 1468, 1),
              ("windowed", 1468, 16), ("windowed", 1468, 64)]


def pin(daemon, cpus):
    """Single-client runs keep client and server on vCPU 0.  Under TCG a wakeup
    that crosses to the other vCPU waits for the host to schedule that vCPU's
    thread (milliseconds on a loaded host, microseconds on hardware): a
    lock-step transfer pays it twice per block.  The many-clients runs get
    both vCPUs."""
    if PIN and daemon:
        run(["taskset", "-a", "-p", "-c", cpus, str(daemon.proc.pid)])


def settle(daemon):
    """After a capped transfer: the server's half of it ends now."""
    if daemon:
        daemon.kill_children()
    else:
        # Sessions belong to the link: removing it ends them.
        pxectl("link", "del", "dev", "srv0")
        pxectl("link", "add", "dev", "srv0")


def tftp_server(name, root):
    if name == "pxe":
        pxectl("link", "add", "dev", "srv0")
        pxectl("settings", "set", "image-memory", "512M", "tftp-sessions", "4096",
               "tftp-per-client", "4096")
        for f in sorted(os.listdir(root)):
            pxectl("image", "load", f, os.path.join(root, f))
        return None
    if name == "tftpd-hpa":
        cmd = ["in.tftpd", "-L", "-u", "root", "-a", f"{SERVER}:69", "-s", root]
    elif name == "dnsmasq":
        cmd = ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
               "--interface=srv0", "--bind-interfaces", "--user=root",
               f"--pid-file={WORK}/dnsmasq.pid", "--enable-tftp", f"--tftp-root={root}",
               "--tftp-max=1024", "--quiet-tftp", "--log-facility=-"]
    elif name == "atftpd":
        cmd = [ATFTPD, "--daemon", "--no-fork", "--user", "root.root", "--port", "69",
               "--bind-address", SERVER, "--maxthread", "1024", "--logfile", "/dev/null", root]
    return Daemon(name, cmd, udp_listening(69))


def tftp_server_stop(name, daemon):
    if daemon:
        daemon.stop()
    else:
        for f in json.loads(pxectl("-j", "image", "show").stdout):
            pxectl("image", "del", f["name"])
        pxectl("link", "del", "dev", "srv0")


def tftp_load(name, sha, blksize, window, clients=1, cap=None, daemon=None):
    cap = cap or TFTP_CAP
    soft0, busy0 = vm_softirq_seconds(), vm_busy_seconds()
    proc0 = daemon.cpu_seconds() if daemon else 0.0
    # One generator per vCPU for the many-clients runs: a single one would
    # hold the clients (and pxe's softirq work, done in its context) to one.
    procs = MANY_PROCS if clients > 1 else 1
    taskset = ["taskset", "-c", "0"] if PIN and clients == 1 else []
    gens = []
    for i in range(procs):
        n = clients // procs + (1 if i < clients % procs else 0)
        gens.append(subprocess.Popen(
            ["ip", "netns", "exec", NS_C] + taskset +
            [LOAD, "-s", SERVER, "-f", name, "-e", sha, "-b", str(blksize), "-w", str(window),
             "-n", str(n), "-t", "250", "-T", str(cap)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = []
    for g in gens:
        out, err = g.communicate(timeout=cap + 120)
        if g.returncode != 0:
            raise RuntimeError(err.strip() or f"tftp_load exit {g.returncode}")
        outs.append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)})
    r = dict(outs[0])
    for k in ("clients", "bytes", "gaps", "retries"):
        r[k] = sum(o[k] for o in outs)
    r["seconds"] = max(o["seconds"] for o in outs)
    r["mbps"] = r["bytes"] / r["seconds"] / 1e6
    r["complete"] = all(o.get("complete") for o in outs)
    r["generators"] = procs
    # Children that served the last blocks exit and are reaped.
    time.sleep(0.3)
    r["softirq_s"] = vm_softirq_seconds() - soft0
    r["vm_busy_s"] = vm_busy_seconds() - busy0
    r["process_s"] = (daemon.cpu_seconds() if daemon else 0.0) - proc0
    if not r["complete"]:
        settle(daemon)
    return r


def real_client(client, blksize, name, sha, size, daemon):
    dst = f"{WORK}/download.bin"
    if os.path.exists(dst):
        os.unlink(dst)
    if client == "tftp-hpa":
        cmd = ["tftp", "-m", "binary", SERVER, "-c", "get", name, dst]
    else:
        cmd = ["curl", "-sS", "--tftp-blksize", str(blksize), f"tftp://{SERVER}/{name}",
               "-o", dst]
    if PIN:
        cmd = ["taskset", "-c", "0"] + cmd
    t = time.monotonic()
    p = run(["timeout", str(TFTP_CAP)] + cmd, ns=NS_C, timeout=TFTP_CAP + 60, check=False)
    secs = time.monotonic() - t
    got_size = os.path.getsize(dst) if os.path.exists(dst) else 0
    complete = p.returncode == 0
    if not complete:
        settle(daemon)
    if p.returncode not in (0, 124):
        raise RuntimeError(f"{client}: exit {p.returncode}: {(p.stderr or p.stdout)[-300:]}")
    if complete:
        got = sha256_file(dst)
        if got != sha or got_size != size:
            raise RuntimeError(f"{client}: SHA-256 MISMATCH ({got_size} bytes): got {got}, "
                               f"want {sha}")
    if os.path.exists(dst):
        os.unlink(dst)
    return {"bytes": got_size, "seconds": secs, "mbps": got_size / secs / 1e6,
            "complete": complete}


def bench_tftp(servers, root, sums):
    for server in servers:
        if server == "atftpd" and not ATFTPD:
            fail("tftp atftpd", "BENCH_ATFTPD not set")
            continue
        try:
            daemon = tftp_server(server, root)
        except Exception as e:  # noqa: BLE001
            fail(f"tftp {server}", str(e))
            continue
        try:
            if "tftp" in SECTIONS:
                pin(daemon, "0")
                tftp_single(server, daemon, sums)
            if "many" in SECTIONS:
                pin(daemon, "0-1")
                tftp_many(server, daemon, sums)
        finally:
            tftp_server_stop(server, daemon)


def tftp_single(server, daemon, sums):
    no_window = None
    for mode, blksize, window in TFTP_CASES:
        case = f"{mode} blksize {blksize}" + (f" windowsize {window}" if window > 1 else "")
        if window > 1 and no_window:
            # It ignored the smaller window already: this would be the same run.
            record(section="tftp", server=server, client="tftp_load", case=case,
                   unsupported=True, **no_window)
            continue
        try:
            r = tftp_load("single.bin", sums["single.bin"], blksize, window, daemon=daemon)
        except Exception as e:  # noqa: BLE001
            fail(f"tftp {server} {case}", str(e))
            continue
        if window > 1 and r.get("windowsize", 1) < 2:
            # The server ignored windowsize: it ran lock-step, not a windowed figure.
            no_window = r
            record(section="tftp", server=server, client="tftp_load", case=case,
                   unsupported=True, **r)
            continue
        record(section="tftp", server=server, client="tftp_load", case=case, **r)
    for client, blksize in (("tftp-hpa", 512), ("curl", 512), ("curl", 1468)):
        case = f"lock-step blksize {blksize}"
        try:
            r = real_client(client, blksize, "single.bin", sums["single.bin"],
                            TFTP_MB << 20, daemon)
        except Exception as e:  # noqa: BLE001
            fail(f"tftp {server} {client} {case}", str(e))
            continue
        record(section="tftp", server=server, client=client, case=case, **r)


def tftp_many(server, daemon, sums):
    try:
        r = tftp_load("many.bin", sums["many.bin"], 1468, 1, MANY_CLIENTS, cap=MANY_CAP,
                      daemon=daemon)
    except Exception as e:  # noqa: BLE001
        fail(f"tftp-many {server}", str(e))
        return
    gb = r["bytes"] / 1e9
    record(section="many", server=server, case=f"{MANY_CLIENTS} clients lock-step blksize 1468",
           cpu_s_per_gb=(r["softirq_s"] + r["process_s"]) / gb,
           vm_busy_s_per_gb=r["vm_busy_s"] / gb, **r)


# ---------------------------------------------------------------------------
# 5. The link: iperf3 UDP, 1468-byte datagrams.

def iperf(mbit):
    srv = subprocess.Popen(["ip", "netns", "exec", NS_S, "iperf3", "-s", "-1", "-B", SERVER],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while not run(["ss", "-Hnlt", "sport = :5201"], ns=NS_S).stdout.strip():
            if time.time() > deadline:
                raise RuntimeError("iperf3 server did not start")
            time.sleep(0.1)
        p = run(["iperf3", "-c", SERVER, "-u", "-l", "1468", "-w", "4M", "-b", f"{mbit}M", "-t",
                 str(IPERF_SECS), "-J"], ns=NS_C, timeout=IPERF_SECS + 60, check=False)
        j = json.loads(p.stdout)
        if "error" in j:
            raise RuntimeError(j["error"])
    finally:
        srv.wait(30)
    s = j["end"]["sum"]
    lost = s.get("lost_percent", 0.0)
    got = s["bytes"] * (1 - lost / 100) / s["seconds"] / 1e6
    return {"requested_mbit": mbit, "lost_pct": lost, "mbps": got,
            "sent_mbps": s["bytes"] / s["seconds"] / 1e6}


def bench_iperf():
    runs = []

    def trial(mbit):
        r = iperf(mbit)
        runs.append(r)
        log(f"iperf3 -b {mbit}M: {r['mbps']:.1f} MB/s, {r['lost_pct']:.2f} % lost")
        return r["lost_pct"] < 1.0 and r["sent_mbps"] * 8 >= 0.8 * mbit

    good, bad, mbit = None, None, 50
    while mbit <= 100000:
        if trial(mbit):
            good, mbit = mbit, mbit * 2
        else:
            bad = mbit
            break
    # Lossy already at the start: halve until a rate passes.
    while good is None and bad > 1:
        mbit = bad // 2
        if trial(mbit):
            good = mbit
        else:
            bad = mbit
    if good is not None and bad is not None:
        for _ in range(3):
            mid = (good + bad) // 2
            if mid in (good, bad):
                break
            if trial(mid):
                good = mid
            else:
                bad = mid
    ok = [r for r in runs if r["lost_pct"] < 1.0]
    best = max(ok, key=lambda r: r["mbps"]) if ok else {"mbps": 0.0}
    record(section="iperf", server="iperf3", mbps=best["mbps"],
           requested_mbit=best.get("requested_mbit"), runs=runs)


def mitigations():
    """What the guest kernel does on every syscall and context switch."""
    d = "/sys/devices/system/cpu/vulnerabilities"
    out = {}
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        with open(os.path.join(d, name)) as f:
            v = f.read().strip()
        if not v.startswith("Not affected"):
            out[name] = v
    return out


def meta():
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    with open("/proc/cmdline") as f:
        cmdline = f.read().strip()
    record(section="meta", kernel=os.uname().release, cpus=os.cpu_count(), mem_mib=mem,
           tftp_mb=TFTP_MB, many_mb=MANY_MB, many_clients=MANY_CLIENTS, image_mb=IMAGE_MB,
           dhcp_secs=DHCP_SECS, dhcp_clients=DHCP_CLIENTS, latency_rate=LATENCY_RATE,
           cmdline=cmdline, pinned=bool(PIN), mitigations=mitigations(),
           iperf_secs=IPERF_SECS, tftp_cap=TFTP_CAP, many_cap=MANY_CAP,
           many_procs=MANY_PROCS, sections=SECTIONS,
           versions={"dnsmasq": version("dnsmasq", "--version"),
                     "kea-dhcp4": version("kea-dhcp4", "-v"),
                     "kea-dhcp6": version(KEA_DHCP6, "-v"),
                     "perfdhcp": "kea-admin " + version("perfdhcp", "-v").split(" ")[-1],
                     "tftpd-hpa": version("in.tftpd", "-V"),
                     "atftpd": version(ATFTPD, "-V") if ATFTPD else "",
                     "iperf3": version("iperf3", "-v")})


def version(*cmd):
    """The first line of a program's version, "" when it is not installed (its
    measurements then fail, each with its reason)."""
    if not shutil.which(cmd[0]):
        return ""
    return run(list(cmd), check=False).stdout.split("\n")[0].strip()


def main():
    global out_file
    outdir = sys.argv[1]
    os.makedirs(WORK, exist_ok=True)
    out_file = open(os.path.join(outdir, "results.jsonl"), "w")
    meta()
    topology()
    started = time.monotonic()
    steps = [("image", bench_image), ("dhcp", bench_dhcp), ("dhcp6", bench_dhcp6),
             ("iperf", bench_iperf)]
    for name, fn in steps:
        if name in SECTIONS:
            t = time.monotonic()
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                fail(name, str(e))
            log(f"{name}: {time.monotonic() - t:.0f} s")
    if "tftp" in SECTIONS or "many" in SECTIONS:
        t = time.monotonic()
        root = f"{WORK}/tftp"
        os.makedirs(root, exist_ok=True)
        sums = {}
        if "tftp" in SECTIONS:
            sums["single.bin"] = random_file(f"{root}/single.bin", TFTP_MB)
        if "many" in SECTIONS:
            sums["many.bin"] = random_file(f"{root}/many.bin", MANY_MB)
        servers = os.environ.get("BENCH_TFTP_SERVERS", "pxe,tftpd-hpa,dnsmasq,atftpd")
        bench_tftp(servers.split(","), root, sums)
        log(f"tftp: {time.monotonic() - t:.0f} s")
    record(section="end", seconds=time.monotonic() - started, failures=failures)
    for f in failures:
        print(f"# bench: FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
