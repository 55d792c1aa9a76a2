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
import math
import os
import random
import re
import resource
import shutil
import statistics
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


TFTP_MB = env_int("BENCH_TFTP_MB", 32)
MANY_MB = env_int("BENCH_MANY_MB", 32)
MANY_CLIENTS = env_int("BENCH_MANY_CLIENTS", 64)
IMAGE_MB = env_int("BENCH_IMAGE_MB", 256)
DHCP_SECS = env_int("BENCH_DHCP_SECS", 3)
DHCP_SERVERS = os.environ.get("BENCH_DHCP_SERVERS", "pxe,dnsmasq,kea").split(",")
# The rate search probes with shorter trials; the chosen rate is measured
# again TRIALS times at DHCP_SECS each.
DHCP_PROBE_SECS = env_int("BENCH_DHCP_PROBE_SECS", 2)
DHCP_CLIENTS = env_int("BENCH_DHCP_CLIENTS", 3000)
LATENCY_RATE = env_int("BENCH_LATENCY_RATE", 50)
LATENCY_SECS = env_int("BENCH_LATENCY_SECS", 1)
IPERF_SECS = env_int("BENCH_IPERF_SECS", 3)
TFTP_CAP = env_int("BENCH_TFTP_CAP", 2)
MANY_CAP = env_int("BENCH_MANY_CAP", 4)
MANY_PROCS = env_int("BENCH_MANY_PROCS", 2)
# Every figure is the median of TRIALS runs (min and max beside it).
TRIALS = env_int("BENCH_TRIALS", 5)
# Single-client TFTP runs, pinned (client and server on vCPU 0, see pin())
# and unpinned: "1,0" runs both, the goals are judged on the unpinned ones.
PINS = [bool(int(x)) for x in os.environ.get("BENCH_PINS", "0,1").split(",")]
# The cases run pinned too (indexes into TFTP_CASES; "all" for all): to save
# time, lock-step 1468 and windowed 64 by default.
PINNED_CASES = os.environ.get("BENCH_PINNED_CASES", "1,3")
# The real clients of the single-client runs: client:blksize, unpinned.
REAL_CLIENTS = [(c, int(b)) for c, b in
                (x.split(":") for x in os.environ.get("BENCH_REAL_CLIENTS",
                                                      "curl:1468").split(",") if x)]
# The boot storm: clients, image, and the time one trial may take.
STORM_CLIENTS = env_int("BENCH_STORM_CLIENTS", 64)
STORM_MB = env_int("BENCH_STORM_MB", 32)
STORM_CAP = env_int("BENCH_STORM_CAP", 120)
SECTIONS = os.environ.get("BENCH_SECTIONS",
                          "image,dhcp,dhcp6,tftp,many,storm,iperf").split(",")
FULL_FRACTION = 0.9

out_file = None
failures = []
RECORDED = []
LOGDIR = WORK
CONFIGS = set()


def log(msg):
    print(f"# bench: {msg}", flush=True)


def record(**fields):
    RECORDED.append(fields)
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
        ANCHORS[ns] = subprocess.Popen(["ip", "netns", "exec", ns, "sleep", "infinity"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


# Every daemon runs in a cgroup v2 of its own, so that its CPU time counts
# its threads and every child it forks (tftpd-hpa forks one per transfer),
# dead or alive: cpu.stat's usage_usec, which exists without the cpu
# controller.  The guest's /sys/fs/cgroup when it is cgroup2, else one
# mounted here.
CGROUP_ROOT = None


def cgroup_root():
    global CGROUP_ROOT
    if CGROUP_ROOT is None:
        root = "/sys/fs/cgroup"
        if run(["stat", "-fc", "%T", root], check=False).stdout.strip() != "cgroup2fs":
            root = f"{WORK}/cgroup"
            os.makedirs(root, exist_ok=True)
            run(["mount", "-t", "cgroup2", "none", root])
        CGROUP_ROOT = root
    return CGROUP_ROOT


# The daemons running now (their main processes).
LIVE = set()


class Daemon:
    """A peer server in NS_S; `ip netns exec` execs it, so the pid is its.
    Its stdout and stderr go to LOGDIR/NAME.log (kept in the run directory),
    and it is moved into the cgroup bench-NAME as soon as it is ready, before
    any load."""

    def __init__(self, name, cmd, ready, env=None):
        self.name = name
        # The report's method section prints every command line that ran.
        if (name, tuple(cmd)) not in CONFIGS:
            CONFIGS.add((name, tuple(cmd)))
            record(section="config", server=name, cmd=cmd)
        self.log_path = os.path.join(LOGDIR, f"{name}.log")
        with open(self.log_path, "a") as f:
            f.write(f"=== {' '.join(cmd)}\n")
        self.log_start = os.path.getsize(self.log_path)
        log_f = open(self.log_path, "a")
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_S] + cmd,
                                     stdout=log_f, stderr=log_f, env=env)
        log_f.close()
        LIVE.add(self.proc.pid)
        deadline = time.time() + 60
        while not ready(self):
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited {self.proc.returncode}: "
                                   f"{self.log_text()[-400:]}")
            if time.time() > deadline:
                self.stop()
                raise RuntimeError(f"{name} not ready after 60 s")
            time.sleep(0.1)
        self.cgroup = os.path.join(cgroup_root(), f"bench-{name}")
        os.makedirs(self.cgroup, exist_ok=True)
        with open(os.path.join(self.cgroup, "cgroup.procs"), "w") as f:
            f.write(str(self.proc.pid))

    def log_text(self, start=None):
        with open(self.log_path, errors="replace") as f:
            f.seek(self.log_start if start is None else start)
            return f.read()

    def log_mark(self):
        return os.path.getsize(self.log_path)

    def log_issues(self, mark):
        """The warnings and errors the daemon logged since mark: a count and
        the first few lines, for the report's drop reasons."""
        # The client's own ERROR 8 after a tsize probe is no fault of the
        # server's (dnsmasq logs it whatever --quiet-tftp says).
        lines = [ln for ln in self.log_text(mark).splitlines()
                 if re.search(r"warn|error|fail|drop|refus|exhaust|full", ln, re.I)
                 and "error 8 " not in ln]
        return {"count": len(lines), "sample": [ln[:200] for ln in lines[:3]]}

    def cpu_seconds(self):
        """User + system time of the daemon, its threads and its children."""
        with open(os.path.join(self.cgroup, "cpu.stat")) as f:
            for line in f:
                k, v = line.split()
                if k == "usage_usec":
                    return int(v) / 1e6
        return 0.0

    def kill_children(self):
        """Children still serving a capped transfer (tftpd-hpa forks one per
        transfer): they would compete with the next measurement."""
        keep = LIVE | {a.pid for a in ANCHORS.values()}
        for pid in run(["ip", "netns", "pids", NS_S]).stdout.split():
            if int(pid) not in keep:
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
        LIVE.discard(self.proc.pid)
        self.kill_children()


class Daemons:
    """Several daemons serving as one (kea-dhcp4 and in.tftpd in the storm)."""

    def __init__(self, *daemons):
        self.daemons = daemons

    def cpu_seconds(self):
        return sum(d.cpu_seconds() for d in self.daemons)

    def log_mark(self):
        return [d.log_mark() for d in self.daemons]

    def log_issues(self, marks):
        out = {"count": 0, "sample": []}
        for d, m in zip(self.daemons, marks):
            i = d.log_issues(m)
            out["count"] += i["count"]
            out["sample"] += [f"{d.name}: {ln}" for ln in i["sample"]]
        out["sample"] = out["sample"][:3]
        return out

    def kill_children(self):
        for d in self.daemons:
            d.kill_children()

    def stop(self):
        for d in self.daemons:
            d.stop()


# A process that lives in each namespace for the whole run: its
# /proc/PID/net/ is the namespace's /proc/net/, read without starting a
# program in the namespace at every trial (under TCG that costs time).
ANCHORS = {}


def ns_read(ns, name):
    with open(f"/proc/{ANCHORS[ns].pid}/net/{name}") as f:
        return f.read()


def udp_counters(ns):
    """Why datagrams were lost in a namespace: the UDP error counters nstat
    shows (UdpRcvbufErrors: a socket's buffer was full; UdpInErrors;
    UdpNoPorts: no socket bound; the same for Udp6), read where nstat
    reads them (/proc/net/snmp and snmp6), and the drops column of
    /proc/net/udp and udp6, summed over the sockets open now."""
    out = {}
    lines = [ln.split() for ln in ns_read(ns, "snmp").splitlines() if ln.startswith("Udp:")]
    for k, v in zip(lines[0][1:], lines[1][1:]):
        out["Udp" + k] = int(v)
    for line in ns_read(ns, "snmp6").splitlines():
        f = line.split()
        if len(f) == 2 and f[0].startswith("Udp6"):
            out[f[0]] = int(f[1])
    out = {k: v for k, v in out.items() if re.search(r"Err|NoPorts|Drop", k)}
    drops = 0
    for table in ("udp", "udp6"):
        try:
            text = ns_read(ns, table)
        except OSError:
            continue
        for line in text.splitlines()[1:]:
            f = line.split()
            if f and f[-1].isdigit():
                drops += int(f[-1])
    out["socket_drops"] = drops
    return out


def counters_diff(before, after):
    """The counters that moved."""
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


def spread(values):
    """The median of a figure's trials, with min and max."""
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def udp_listening(port):
    def check(_daemon):
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

def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - t


def bench_image():
    """TRIALS loads of one file, each beside a `cat` of it and a `sha256sum`
    (the hash alone, in user space: the module hashes the same bytes, as
    they arrive, with the crypto API's fastest "sha256" for this CPU)."""
    path = f"{WORK}/image.bin"
    random_file(path, IMAGE_MB)
    pxectl("settings", "set", "image-memory", f"{IMAGE_MB * 2}M")
    mb = IMAGE_MB * (1 << 20) / 1e6
    t = {k: [] for k in ("cat", "load", "sha", "user", "sys")}
    timed(["cat", path])                    # into the page cache
    for _ in range(TRIALS):
        t["cat"].append(timed(["cat", path]))
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t["load"].append(timed(["ip", "netns", "exec", NS_S, PXECTL, "image", "load",
                                "big.bin", path]))
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # pxectl's CPU: reading the file (user), netlink and the module's
        # SHA-256 and copy into pages, done in pxectl's context (system).
        t["user"].append(cpu1.ru_utime - cpu0.ru_utime)
        t["sys"].append(cpu1.ru_stime - cpu0.ru_stime)
        pxectl("image", "del", "big.bin")
        t["sha"].append(timed(["sha256sum", path]))
    os.unlink(path)
    record(section="image", server="pxe", mb=mb, trials=TRIALS,
           load_seconds=spread(t["load"]), load_mbps=spread([mb / x for x in t["load"]]),
           cat_seconds=spread(t["cat"]), cat_mbps=spread([mb / x for x in t["cat"]]),
           pxectl_user_s=spread(t["user"]), pxectl_sys_s=spread(t["sys"]),
           sha256sum_seconds=spread(t["sha"]), sha256sum_mbps=spread([mb / x for x in t["sha"]]))


# ---------------------------------------------------------------------------
# 1. DHCP: perfdhcp.

def child_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def udp_rcvbuf_errors(ns):
    """Datagrams a namespace's sockets dropped for want of room: a client
    that does not read fast enough."""
    return udp_counters(ns).get("UdpRcvbufErrors", 0)


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
    # DHCPv4 as a relay sends it: unicast to the server's address (perfdhcp
    # sets giaddr to cli0's); DHCPv6 to ff02::1:2 from cli0's link-local
    # address.
    target = [SERVER] if family == 4 else []
    p = run(["perfdhcp", option, "-l", "cli0", "-r", str(rate), "-R", str(DHCP_CLIENTS),
             "-p", str(secs)] + target, ns=NS_C, timeout=secs + 60, check=False, cwd=WORK)
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
    # perfdhcp stops at -p and counts what is still on its way as dropped.
    # How many exchanges were in flight then (Little's law: the rate times
    # the time an exchange takes, from its two average delays), of all
    # begun: a trial must be long enough for this to stay under 0.5 %.
    in_flight = res["rate"] * (res.get("do_avg_ms", 0) + res.get("ra_avg_ms", 0)) / 1000
    res["in_flight_pct"] = 100.0 * in_flight / sent if sent else 0.0
    return res


def dhcp_trial(server, reset, rate, secs, family, fresh=True):
    """One perfdhcp run, from a fresh server state unless fresh is False.
    reset() returns the peer's Daemon (None for pxe): its log and the server
    namespace's UDP counters are read around the run."""
    t0 = time.monotonic()
    daemon = reset() if fresh else DHCP_DAEMON.get("d")
    DHCP_DAEMON["d"] = daemon
    # Deferred work of the reset (RCU frees of a flush, a daemon's start)
    # ends before the clock starts, for every server alike.
    time.sleep(0.5)
    udp0 = udp_counters(NS_S)
    mark = daemon.log_mark() if daemon else None
    proc0 = daemon.cpu_seconds() if daemon else 0.0
    r = perfdhcp(rate, secs, family)
    # The server's own CPU (pxe: the VM's softirq time, which also holds
    # perfdhcp's receive path), whatever bounded the rate.
    r["server_cpu_s"] = round(daemon.cpu_seconds() - proc0, 3) if daemon else r["softirq_s"]
    r["server_udp"] = counters_diff(udp0, udp_counters(NS_S))
    if daemon:
        r["log_issues"] = daemon.log_issues(mark)
    r["client_limited"] = r["rate"] < 0.6 * rate and r["drop_pct"] <= 2.5
    r["wall_s"] = round(time.monotonic() - t0, 1)
    log(f"{server}{'' if family == 4 else ' DHCPv6'}: -r {rate} for {secs} s: "
        f"{r['rate']:.0f}/s, {r['drop_pct']:.2f} % drops ({r['wall_s']} s)")
    return r


# The daemon of the last dhcp_trial, for the trials that do not restart it.
DHCP_DAEMON = {}


def dhcp_search(server, reset, family=4):
    """The highest perfdhcp rate with <= 2.5 % drops, probed with short
    trials; returns the rate asked (-r) and the probes."""
    runs = []

    def passes(rate):
        # The probes only choose the rate (the figure is measured
        # afterwards, TRIALS times): one probe a rate.
        r = dhcp_trial(server, reset, rate, DHCP_PROBE_SECS, family)
        runs.append(r)
        return r["drop_pct"] <= 2.5 and not r["client_limited"]

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
    # The rate asked of the passing probe that achieved the most (a
    # perfdhcp-bound probe achieves less than it asked).
    passing = [r for r in runs if r["drop_pct"] <= 2.5]
    chosen = max(passing, key=lambda r: r["rate"])["requested"] if passing else 0
    return chosen, runs


def dhcp_measure(server, reset, rate, trials=None, family=4, probes=()):
    """TRIALS runs at the chosen rate (unless given) and TRIALS latency runs
    at LATENCY_RATE: the figures are their medians, min and max, every trial
    counted (no second tries here)."""
    if trials is None:
        trials = [dhcp_trial(server, reset, rate, DHCP_SECS, family)
                  for _ in range(TRIALS)] if rate else []
    # Latency at a low rate: a few hundred leases of a 65k pool, no need to
    # start afresh between these trials.
    lat = [dhcp_trial(server, reset, LATENCY_RATE, LATENCY_SECS, family, fresh=i == 0)
           for i in range(TRIALS)]
    issues = [t["log_issues"]["count"] for t in trials if "log_issues" in t]
    udp = {}
    for t in trials:
        for k, v in t["server_udp"].items():
            udp[k] = udp.get(k, 0) + v
    record(section="dhcp" if family == 4 else "dhcp6", server=server,
           at_requested=rate, secs=DHCP_SECS,
           dora_rate=spread([t["rate"] for t in trials]),
           drop_pct=spread([t["drop_pct"] for t in trials]),
           in_flight_pct=spread([t["in_flight_pct"] for t in trials]),
           client_limited=any(t["client_limited"] for t in trials),
           perfdhcp_cpu_s=spread([t["perfdhcp_cpu_s"] for t in trials]),
           server_cpu_s=spread([t["server_cpu_s"] for t in trials]),
           server_us_per_exchange=spread([1e6 * t["server_cpu_s"] / t["ra_received"]
                                          for t in trials if t["ra_received"]]),
           vm_busy_s=spread([t["vm_busy_s"] for t in trials]),
           client_rcvbuf_drops=sum(t["client_rcvbuf_drops"] for t in trials),
           server_udp=udp, log_issues=sum(issues) if issues else None,
           log_sample=next((t["log_issues"]["sample"] for t in trials
                            if t.get("log_issues", {}).get("sample")), []),
           latency_rate=LATENCY_RATE,
           offer_avg_ms=spread([t["do_avg_ms"] for t in lat if "do_avg_ms" in t]),
           offer_max_ms=spread([t["do_max_ms"] for t in lat if "do_max_ms" in t]),
           latency_drop_pct=spread([t["drop_pct"] for t in lat]),
           trials=trials, probes=list(probes))


def dhcp_server(server, reset, family=4):
    rate, probes = dhcp_search(server, reset, family)
    # Short probes can pass a rate the server does not sustain: when the
    # median of the measured trials drops more than 2.5 %, the rate goes
    # down by a quarter and is measured again (twice at the most); the
    # figure is the last measurement, the earlier ones stay in the record.
    trials = []
    for attempt in range(3):
        if not rate:
            break
        trials = [dhcp_trial(server, reset, rate, DHCP_SECS, family) for _ in range(TRIALS)]
        if statistics.median(t["drop_pct"] for t in trials) <= 2.5 or attempt == 2:
            break
        probes = list(probes) + trials
        rate = rate * 3 // 4
    dhcp_measure(server, reset, rate, trials, family, probes)
    if not rate:
        fail(f"dhcp{'' if family == 4 else '6'} {server}",
             "no rate passed (<= 2.5 % drops): see its log in the run directory")
    return rate


# dnsmasq at its best for a DHCP benchmark: no ping before an offer, no
# lease file, authoritative (it answers at once), and nothing logged per
# packet (--quiet-dhcp*); what it does log goes to LOGDIR/dnsmasq.log.
DNSMASQ_COMMON = ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
                  "--interface=srv0", "--bind-interfaces", "--user=root",
                  f"--pid-file={WORK}/dnsmasq.pid", "--log-facility=-"]
DNSMASQ_DHCP = ["--no-ping", "--leasefile-ro", "--dhcp-authoritative",
                "--dhcp-lease-max=70000"]


def dnsmasq_dhcp(family=4):
    if family == 4:
        dhcp = [f"--dhcp-range={POOL[0]},{POOL[1]},255.255.0.0,1h", "--quiet-dhcp"]
    else:
        dhcp = [f"--dhcp-range={POOL6[0]},{POOL6[1]},64,1h", "--quiet-dhcp6"]
    return Daemon("dnsmasq", DNSMASQ_COMMON + DNSMASQ_DHCP + dhcp,
                  udp_listening(67 if family == 4 else 547))


# Kea's multi-threading: a thread per vCPU, and a packet queue of 64 per
# thread (64 is Kea's default packet-queue-size).  ISC's example of a
# memfile server has 28 for 4 threads (7 per thread): under TCG that queue
# overflows at once (kea-dhcp4 reached 87 DORA/s with 14, 290 with 128, in
# the same VM).  BENCH_KEA_MT=0 runs Kea single-threaded instead.
KEA_MT = env_int("BENCH_KEA_MT", 1)
KEA_QUEUE_PER_THREAD = {4: env_int("BENCH_KEA_QUEUE4_PER_THREAD", 64),
                        6: env_int("BENCH_KEA_QUEUE6_PER_THREAD", 64)}


def kea_dhcp(family=4, socket_type="udp", pool=POOL, boot=None):
    """kea-dhcp4 or kea-dhcp6 at its best: multi-threaded, memfile leases not
    persisted, logging at WARN (and INFO for the start message) to
    LOGDIR/kea-dhcpN.log.  perfdhcp's DHCPv4 traffic is relayed (unicast to
    srv0's address), which a UDP socket serves; directly connected clients
    (the boot storm) need raw sockets.  boot: (file, next server)."""
    if family == 4:
        subnet = {"id": 1, "subnet": "10.1.0.0/16",
                  "pools": [{"pool": f"{pool[0]} - {pool[1]}"}]}
        if boot:
            subnet.update({"boot-file-name": boot[0], "next-server": boot[1]})
        conf = {"Dhcp4": {
            "interfaces-config": {"interfaces": ["srv0"], "dhcp-socket-type": socket_type},
            "subnet4": [subnet]}}
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
    threads = os.cpu_count()
    (top,) = conf.values()
    top.update({
        "multi-threading": {"enable-multi-threading": bool(KEA_MT),
                            "thread-pool-size": threads,
                            "packet-queue-size": threads * KEA_QUEUE_PER_THREAD[family]},
        "lease-database": {"type": "memfile", "persist": False, "lfc-interval": 0},
        "valid-lifetime": 3600,
        "loggers": [{"name": name, "severity": "WARN",
                     "output_options": [{"output": "stdout"}]},
                    {"name": f"{name}.dhcp{family}", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}]})
    path = f"{LOGDIR}/{name}.json"
    with open(path, "w") as f:
        json.dump(conf, f, indent=1)
    if json.dumps(conf) not in CONFIGS:
        CONFIGS.add(json.dumps(conf))
        record(section="config", server=name, conf=conf)
    env = dict(os.environ, KEA_PIDFILE_DIR=WORK, KEA_LOCKFILE_DIR="none")
    return Daemon(name, [prog, "-c", path], lambda d: started in d.log_text(), env=env)


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


def pxe_flush():
    pxectl("lease", "flush")


def bench_dhcp():
    if "pxe" not in DHCP_SERVERS:
        dhcp_peers()
        return
    # pxe, empty pool, then 90 % full.
    pxectl("link", "add", "dev", "srv0")
    pxectl("pool", "add", "lan", "dev", "srv0", "range", POOL[0], POOL[1],
           "netmask", "255.255.0.0", "lease", "3600")
    rate = dhcp_server("pxe", pxe_flush)
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
    # The full pool at the empty pool's chosen rate: does it keep up?
    dhcp_measure("pxe-90%-full", refill, rate)
    pxectl("lease", "flush")
    pxectl("pool", "del", "lan")
    pxectl("link", "del", "dev", "srv0")

    dhcp_peers()


def dhcp_peers(family=4):
    """dnsmasq and Kea, each restarted before every trial."""
    for name, start in (("dnsmasq", dnsmasq_dhcp), ("kea", kea_dhcp)):
        if name not in DHCP_SERVERS:
            continue
        state = {"d": None}

        def restart(start=start, state=state):
            if state["d"]:
                state["d"].stop()
            state["d"] = None
            state["d"] = start(family)
            return state["d"]
        try:
            dhcp_server(name, restart, family)
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
        if "pxe" not in DHCP_SERVERS:
            dhcp_peers(6)
            return
        pxectl("link", "add", "dev", "srv0")
        pxectl("pool", "add", "lan6", "dev", "srv0", "range6", POOL6[0], POOL6[1],
               "lease", "3600")
        dhcp_server("pxe", pxe_flush, 6)
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


def pin(daemon, pinned):
    """Pinned single-client runs keep client and server on vCPU 0.  Under TCG
    a wakeup that crosses to the other vCPU waits for the host to schedule
    that vCPU's thread (milliseconds on a loaded host, microseconds on
    hardware): a lock-step transfer pays it twice per block.  Unpinned runs,
    and the many-clients runs, get both vCPUs."""
    if daemon:
        for d in getattr(daemon, "daemons", (daemon,)):
            run(["taskset", "-a", "-p", "-c", "0" if pinned else f"0-{os.cpu_count() - 1}",
                 str(d.proc.pid)])


def settle(daemon):
    """After a capped transfer: the server's half of it ends now."""
    if daemon:
        daemon.kill_children()
    else:
        # Sessions belong to the link: removing it ends them.
        pxectl("link", "del", "dev", "srv0")
        pxectl("link", "add", "dev", "srv0")


# The peers' TFTP servers, each at its best: tftpd-hpa allows blocks up to
# what the link carries (MTU 1500 less 32 bytes of headers, its manual's
# advice); dnsmasq logs no transfer (--quiet-tftp); atftpd 0.8 grants
# windowsize (RFC 7440) unless --no-windowsize, and logs warnings and errors
# only (--verbose=4: no line per transfer).  tftpd-hpa logs to syslog, which
# the VM does not run: its log stays empty.
def tftpd_hpa_cmd(root):
    return ["in.tftpd", "-L", "-u", "root", "-a", f"{SERVER}:69", "-B", "1468", "-s", root]


DNSMASQ_TFTP = ["--enable-tftp", "--tftp-max=1024", "--quiet-tftp"]


def tftp_server(name, root):
    if name == "pxe":
        pxectl("link", "add", "dev", "srv0")
        pxectl("settings", "set", "image-memory", "512M", "tftp-sessions", "4096",
               "tftp-per-client", "4096")
        for f in sorted(os.listdir(root)):
            pxectl("image", "load", f, os.path.join(root, f))
        return None
    if name == "tftpd-hpa":
        cmd = tftpd_hpa_cmd(root)
    elif name == "dnsmasq":
        cmd = DNSMASQ_COMMON + DNSMASQ_TFTP + [f"--tftp-root={root}"]
    elif name == "atftpd":
        cmd = [ATFTPD, "--daemon", "--no-fork", "--user", "root.root", "--port", "69",
               "--bind-address", SERVER, "--maxthread", "1024", "--verbose=4",
               "--logfile", "-", root]
    return Daemon(name, cmd, udp_listening(69))


def tftp_server_stop(name, daemon):
    if daemon:
        daemon.stop()
    else:
        for f in json.loads(pxectl("-j", "image", "show").stdout):
            pxectl("image", "del", f["name"])
        pxectl("link", "del", "dev", "srv0")


def server_cpu(soft0, busy0, proc0, daemon):
    """The server's CPU since (soft0, busy0, proc0): pxe's is the softirq time
    of the whole VM (it has no process), a peer's the usage of its cgroup."""
    soft, busy = vm_softirq_seconds() - soft0, vm_busy_seconds() - busy0
    proc = (daemon.cpu_seconds() - proc0) if daemon else 0.0
    return {"softirq_s": soft, "vm_busy_s": busy, "process_s": proc,
            "server_cpu_s": proc if daemon else soft}


def generators(args, clients, procs, timeout, prefix=()):
    """procs tftp_load processes started together in the client netns, the
    clients shared among them: their figures summed, and the time of the
    last one to finish."""
    gens = []
    for i in range(procs):
        n = clients // procs + (1 if i < clients % procs else 0)
        gens.append(subprocess.Popen(["ip", "netns", "exec", NS_C, *prefix, LOAD, *args,
                                      "-n", str(n)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = []
    try:
        for g in gens:
            out, err = g.communicate(timeout=timeout)
            if g.returncode != 0:
                raise RuntimeError(f"tftp_load: exit {g.returncode}: "
                                   f"{(err or out).strip()[-300:]}")
            outs.append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)})
    finally:
        for g in gens:
            if g.poll() is None:
                g.kill()
                g.wait()
    r = dict(outs[0])
    for k in ("clients", "bytes", "gaps", "retries", "user_s", "sys_s"):
        r[k] = sum(o[k] for o in outs)
    for k in ("seconds", "dhcp_seconds"):
        if k in r:
            r[k] = max(o[k] for o in outs)
    r["complete"] = all(o.get("complete") for o in outs)
    r["generators"] = procs
    return r


def tftp_load(name, blksize, window, clients=1, cap=None, daemon=None, pinned=False,
              counters=False):
    cap = cap or TFTP_CAP
    if counters:
        udp0 = udp_counters(NS_S)
        mark = daemon.log_mark() if daemon else None
    soft0, busy0 = vm_softirq_seconds(), vm_busy_seconds()
    proc0 = daemon.cpu_seconds() if daemon else 0.0
    # One generator per vCPU for the many-clients runs: a single one would
    # hold the clients (and pxe's softirq work, done in its context) to one.
    procs = MANY_PROCS if clients > 1 else 1
    # -c: each block compared with the served file (memcmp); a SHA-256 of
    # every copy made the generator the limit.
    r = generators(["-s", SERVER, "-f", name, "-c", f"{WORK}/tftp/{name}", "-b", str(blksize),
                    "-w", str(window), "-t", "250", "-T", str(cap)],
                   clients, procs, cap + 120, ["taskset", "-c", "0"] if pinned else [])
    r["mbps"] = r["bytes"] / r["seconds"] / 1e6
    # Children that served the last blocks exit and are reaped.
    time.sleep(0.3)
    r.update(server_cpu(soft0, busy0, proc0, daemon))
    if counters:
        r["server_udp"] = counters_diff(udp0, udp_counters(NS_S))
        if daemon:
            r["log_issues"] = daemon.log_issues(mark)
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


def record_trials(section, trials, **fields):
    """One figure: its trials, and the median, min and max of each of the
    trials' numbers."""
    keys = [k for k, v in trials[0].items() if isinstance(v, (int, float))
            and not isinstance(v, bool)]
    stats = {k: spread([t[k] for t in trials]) for k in keys}
    record(section=section, trials=trials, complete=all(t.get("complete", True)
                                                         for t in trials),
           **fields, **stats)


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
                t = time.monotonic()
                tftp_single(server, daemon, sums)
                log(f"tftp {server}: {time.monotonic() - t:.0f} s")
            if "many" in SECTIONS:
                t = time.monotonic()
                pin(daemon, False)
                tftp_many(server, daemon)
                log(f"many {server}: {time.monotonic() - t:.0f} s")
        finally:
            tftp_server_stop(server, daemon)


def tftp_single(server, daemon, sums):
    for pinned in PINS:
        pin(daemon, pinned)
        no_window = None
        for i, (mode, blksize, window) in enumerate(TFTP_CASES):
            if pinned and PINNED_CASES != "all" and str(i) not in PINNED_CASES.split(","):
                continue
            case = f"{mode} blksize {blksize}" + (f" windowsize {window}" if window > 1 else "")
            what = dict(server=server, client="tftp_load", case=case, pinned=pinned)
            if window > 1 and no_window:
                # It ignored the smaller window already: this would be the same run.
                record(section="tftp", unsupported=True, **what, **no_window)
                continue
            try:
                trials = []
                for _ in range(TRIALS):
                    trials.append(tftp_load("single.bin", blksize, window,
                                            daemon=daemon, pinned=pinned))
                    if window > 1 and trials[0].get("windowsize", 1) < 2:
                        break
            except Exception as e:  # noqa: BLE001
                fail(f"tftp {server} {case}{' pinned' if pinned else ''}", str(e))
                continue
            if window > 1 and trials[0].get("windowsize", 1) < 2:
                # The server ignored windowsize: a windowed client gets a
                # lock-step transfer from it, the lock-step blksize 1468
                # figure (shown in parentheses); one trial showed it.
                lock = next((r for r in RECORDED if r.get("section") == "tftp" and
                             r.get("server") == server and r.get("pinned") == pinned and
                             r.get("case") == f"lock-step blksize {blksize}"), None)
                no_window = {"mbps": lock["mbps"] if lock else spread([trials[0]["mbps"]]),
                             "trials": trials}
                record(section="tftp", unsupported=True, **what, **no_window)
                continue
            record_trials("tftp", trials, **what)
    pin(daemon, False)
    for client, blksize in REAL_CLIENTS:
        case = f"lock-step blksize {blksize}"
        try:
            trials = [real_client(client, blksize, "single.bin", sums["single.bin"],
                                  TFTP_MB << 20, daemon) for _ in range(TRIALS)]
        except Exception as e:  # noqa: BLE001
            fail(f"tftp {server} {client} {case}", str(e))
            continue
        record_trials("tftp", trials, server=server, client=client, case=case, pinned=False)


def tftp_many(server, daemon):
    try:
        trials = [tftp_load("many.bin", 1468, 1, MANY_CLIENTS,
                            cap=MANY_CAP, daemon=daemon, counters=True)
                  for _ in range(TRIALS)]
    except Exception as e:  # noqa: BLE001
        fail(f"tftp-many {server}", str(e))
        return
    for t in trials:
        gb = t["bytes"] / 1e9
        t["cpu_s_per_gb"] = t["server_cpu_s"] / gb
        t["vm_busy_s_per_gb"] = t["vm_busy_s"] / gb
    record_trials("many", trials, server=server,
                  case=f"{MANY_CLIENTS} clients lock-step blksize 1468")


# ---------------------------------------------------------------------------
# 4. The boot storm: STORM_CLIENTS firmware-like clients at once, each doing
# DHCP (DISCOVER/OFFER/REQUEST/ACK, broadcast), an EDK2-style tsize probe
# answered with ERROR 8, then the boot file lock-step at blksize 1432.

STORM_POOL = ("10.1.0.10", "10.1.0.250")
STORM_FILE = "storm.bin"


def storm_server(name, root):
    """DHCP handing out STORM_FILE to arch 0 (BIOS) clients from a pool of 241
    addresses on srv0, and TFTP serving it."""
    if name == "pxe":
        pxectl("link", "add", "dev", "srv0")
        pxectl("settings", "set", "image-memory", "512M", "tftp-sessions", "4096",
               "tftp-per-client", "4096")
        pxectl("pool", "add", "storm", "dev", "srv0", "range", *STORM_POOL,
               "netmask", "255.255.0.0", "lease", "3600")
        pxectl("boot", "add", "arch", "bios", "file", STORM_FILE)
        pxectl("image", "load", STORM_FILE, os.path.join(root, STORM_FILE))
        return None
    if name == "dnsmasq":
        return Daemon("dnsmasq", DNSMASQ_COMMON + DNSMASQ_DHCP + DNSMASQ_TFTP + [
            f"--dhcp-range={STORM_POOL[0]},{STORM_POOL[1]},255.255.0.0,1h", "--quiet-dhcp",
            f"--dhcp-boot={STORM_FILE},,{SERVER}", f"--tftp-root={root}"],
            udp_listening(69))
    # Kea + tftpd-hpa: the clients are directly connected and broadcast,
    # which Kea serves with raw sockets.
    tftpd = Daemon("tftpd-hpa", tftpd_hpa_cmd(root), udp_listening(69))
    try:
        kea = kea_dhcp(4, "raw", STORM_POOL, (STORM_FILE, SERVER))
    except Exception:
        tftpd.stop()
        raise
    return Daemons(kea, tftpd)


def storm_reset(name, daemon, root):
    """Every trial from the same state: no leases, no sessions."""
    if name == "pxe":
        pxectl("lease", "flush")
        return None
    daemon.stop()
    return storm_server(name, root)


def storm_stop(name, daemon):
    if daemon:
        daemon.stop()
    else:
        pxectl("lease", "flush")
        for b in json.loads(pxectl("-j", "boot", "show").stdout):
            pxectl("boot", "del", str(b["id"]))
        pxectl("pool", "del", "storm")
        for f in json.loads(pxectl("-j", "image", "show").stdout):
            pxectl("image", "del", f["name"])
        pxectl("link", "del", "dev", "srv0")


def storm_trial(daemon, path, cap):
    time.sleep(1)
    udp0 = udp_counters(NS_S)
    mark = daemon.log_mark() if daemon else None
    soft0, busy0 = vm_softirq_seconds(), vm_busy_seconds()
    proc0 = daemon.cpu_seconds() if daemon else 0.0
    # As many generators as for the many-clients runs: one alone was the
    # limit (its system time was the trial's wall time).
    r = generators(["--storm", "-s", SERVER, "-c", path, "-b", "1432", "-t", "250",
                    "-T", str(cap), "-i", "cli0"], STORM_CLIENTS, MANY_PROCS, cap + 120)
    time.sleep(0.3)
    r.update(server_cpu(soft0, busy0, proc0, daemon))
    r["server_udp"] = counters_diff(udp0, udp_counters(NS_S))
    if daemon:
        r["log_issues"] = daemon.log_issues(mark)
    r["complete"] = bool(r.get("complete"))
    return r


def bench_storm(root):
    path = os.path.join(root, STORM_FILE)
    random_file(path, STORM_MB)
    servers = os.environ.get("BENCH_STORM_SERVERS", "pxe,dnsmasq,kea+tftpd-hpa").split(",")
    # The goal is to finish 3x sooner than each peer, so a peer's trial
    # need not go on past 3x pxe's median: one cut there is "> 3x".  Once
    # a majority of the TRIALS trials is cut, the median of all of them is
    # known to be over the cut, and the rest are not run.
    peer_cap = STORM_CAP
    for server in servers:
        t = time.monotonic()
        cap = STORM_CAP if server == "pxe" else peer_cap
        try:
            daemon = storm_server(server, root)
        except Exception as e:  # noqa: BLE001
            fail(f"storm {server}", str(e))
            continue
        try:
            trials = []
            for i in range(TRIALS):
                if i:
                    daemon = storm_reset(server, daemon, root)
                pin(daemon, False)
                trials.append(storm_trial(daemon, path, cap))
                log(f"storm {server}: {trials[-1]['seconds']:.1f} s")
                if sum(not x["complete"] for x in trials) > TRIALS // 2:
                    break
            record_trials("storm", trials, server=server, mb=STORM_MB, cap=cap,
                          trials_planned=TRIALS)
            if server == "pxe" and all(x["complete"] for x in trials):
                secs = statistics.median(x["seconds"] for x in trials)
                peer_cap = min(STORM_CAP, math.ceil(3 * secs))
        except Exception as e:  # noqa: BLE001
            fail(f"storm {server}", str(e))
        finally:
            storm_stop(server, daemon)
        log(f"storm {server}: {time.monotonic() - t:.0f} s")
    os.unlink(path)


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
           dhcp_secs=DHCP_SECS, dhcp_probe_secs=DHCP_PROBE_SECS, dhcp_clients=DHCP_CLIENTS,
           latency_rate=LATENCY_RATE, latency_secs=LATENCY_SECS, trials=TRIALS,
           cmdline=cmdline, pins=PINS, mitigations=mitigations(),
           iperf_secs=IPERF_SECS, tftp_cap=TFTP_CAP, many_cap=MANY_CAP,
           many_procs=MANY_PROCS, sections=SECTIONS, pinned_cases=PINNED_CASES,
           real_clients=[f"{c} blksize {b}" for c, b in REAL_CLIENTS],
           storm_clients=STORM_CLIENTS, storm_mb=STORM_MB, storm_cap=STORM_CAP,
           kea_queue_per_thread=KEA_QUEUE_PER_THREAD,
           cgroup=os.path.exists("/sys/fs/cgroup/cgroup.controllers"),
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
    global out_file, LOGDIR
    outdir = sys.argv[1]
    os.makedirs(WORK, exist_ok=True)
    # The peers' logs and configurations stay with the results.
    LOGDIR = os.path.join(outdir, "logs")
    shutil.rmtree(LOGDIR, ignore_errors=True)
    os.makedirs(LOGDIR)
    out_file = open(os.path.join(outdir, "results.jsonl"), "w")
    meta()
    topology()
    started = time.monotonic()
    root = f"{WORK}/tftp"
    os.makedirs(root, exist_ok=True)

    def tftp():
        sums = {}
        if "tftp" in SECTIONS:
            sums["single.bin"] = random_file(f"{root}/single.bin", TFTP_MB)
        if "many" in SECTIONS:
            sums["many.bin"] = random_file(f"{root}/many.bin", MANY_MB)
        servers = os.environ.get("BENCH_TFTP_SERVERS", "pxe,tftpd-hpa,dnsmasq,atftpd")
        bench_tftp(servers.split(","), root, sums)
        for f in sums:
            os.unlink(f"{root}/{f}")

    steps = [("image", bench_image), ("dhcp", bench_dhcp), ("dhcp6", bench_dhcp6),
             ("tftp", tftp), ("storm", lambda: bench_storm(root)), ("iperf", bench_iperf)]
    for name, fn in steps:
        if name in SECTIONS or (name == "tftp" and "many" in SECTIONS):
            t = time.monotonic()
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                fail(name, str(e))
            secs = time.monotonic() - t
            record(section="timing", step=name, seconds=secs)
            log(f"{name}: {secs:.0f} s")
    record(section="end", seconds=time.monotonic() - started, failures=failures)
    for f in failures:
        print(f"# bench: FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        status = main()
    finally:
        # The namespaces' anchors would outlive the run (and hold vm-run's
        # output open).
        for a in ANCHORS.values():
            a.kill()
    sys.exit(status)
