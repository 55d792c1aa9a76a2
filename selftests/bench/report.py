#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs/BENCHMARKS.md from the results.jsonl of selftests/bench/guest.py.

    report.py [--started DATE] [--seconds N] [--command CMD] [--contended NOTE]
              [--host-load LOADAVG] RESULTS.jsonl...

One section per kernel (one results file each), markdown on stdout.
"""
import argparse
import json

PEERS_DHCP = ("dnsmasq", "kea")
PEERS_TFTP = ("tftpd-hpa", "dnsmasq", "atftpd")
CASES = ("lock-step blksize 512", "lock-step blksize 1468",
         "windowed blksize 1468 windowsize 16", "windowed blksize 1468 windowsize 64")


def load(path):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    return recs


def fmt(v, digits=1):
    if v is None:
        return "--"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def xfmt(r):
    return "--" if r is None else f"{r:.2f}x"


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def verdict(ok):
    return "--" if ok is None else ("met" if ok else "**not met**")


class Run:
    def __init__(self, recs):
        self.recs = recs
        self.meta = next((r for r in recs if r["section"] == "meta"), {})
        self.end = next((r for r in recs if r["section"] == "end"), None)

    def get(self, section, **match):
        for r in self.recs:
            if r["section"] == section and all(r.get(k) == v for k, v in match.items()):
                return r
        return None

    def tftp(self, server, case, client="tftp_load"):
        return self.get("tftp", server=server, case=case, client=client)

    def best_peer(self, section, peers, key, **match):
        best = None
        for p in peers:
            r = self.get(section, server=p, **match)
            if r and r.get(key) and (best is None or r[key] > best[1]):
                best = (p, r[key])
        return best


# Per family: the messages (plural) of perfdhcp's two exchanges, each with
# the module's counter for it (guest.py's PXE_DHCP_COUNTERS and
# PXE_DHCP6_COUNTERS).
MESSAGES = {"dhcp": (("DISCOVERs", "dhcp_rx_discover"), ("REQUESTs", "dhcp_rx_request"),
                     ("OFFERs", "dhcp_tx_offer"), ("ACKs", "dhcp_tx_ack")),
            "dhcp6": (("Solicits", "dhcp6_rx_solicit"), ("Requests", "dhcp6_rx_request"),
                      ("Advertises", "dhcp6_tx_advertise"), ("Replies", "dhcp6_tx_reply"))}


def pxe_answered(rec, section="dhcp"):
    """At pxe's first failing trial: did the module answer all it got?"""
    if not rec:
        return ""
    failing = [x for x in rec["runs"] if x["drop_pct"] > 2.5 and "pxe" in x]
    if not failing:
        return ""
    x = min(failing, key=lambda x: x["requested"])
    c = x["pxe"]
    (m1, c1), (m2, c2), (m3, c3), (m4, c4) = MESSAGES[section]
    return (f"at -r {x['requested']}, {x['drop_pct']:.1f} % dropped: the module got "
            f"{c[c1]} {m1} and {c[c2]} {m2}, sent "
            f"{c[c3]} {m3} and {c[c4]} {m4}, dropped "
            f"{c['dhcp_drops']}, send errors {c['tx_errors']}; perfdhcp's socket "
            f"overflowed {x.get('client_rcvbuf_drops', '?')} times; perfdhcp sent "
            f"{x['do_sent']} {m1}")


def section_goals(run):
    rows, ratios = [], []
    goals = []

    # DHCP.
    pxe = run.get("dhcp", server="pxe")
    best = run.best_peer("dhcp", PEERS_DHCP, "dora_rate")
    r = ratio(pxe and pxe["dora_rate"], best and best[1])
    ratios.append(("DHCP DORA/s at <= 2.5 % drops", fmt(pxe and pxe["dora_rate"]),
                   f"{best[0]} {fmt(best[1])}" if best else "--", xfmt(r)))
    limited = pxe and pxe.get("client_limited")
    note = ""
    if limited:
        note = " (perfdhcp could not send faster: a floor)"
    answered = pxe_answered(pxe)
    if answered:
        note += f" ({answered})"
    goals.append(("DHCP DORA/s at <= 2.5 % drops", ">= 10x best peer", xfmt(r),
                  verdict(None if r is None else r >= 10) + note))
    full = run.get("dhcp", server="pxe-90%-full")
    if pxe and full:
        ratios.append(("pxe, /16 pool 90 % full vs empty (DORA/s)", fmt(full["dora_rate"]),
                       f"pxe empty {fmt(pxe['dora_rate'])}",
                       xfmt(ratio(full["dora_rate"], pxe["dora_rate"]))))
    lat = run.best_peer("dhcp", PEERS_DHCP, "dora_rate")
    if pxe and lat:
        peer = run.get("dhcp", server=lat[0])
        ratios.append((f"OFFER latency avg at {pxe['latency_rate']}/s (ms, lower is better)",
                       fmt(pxe["offer_avg_ms"], 3), f"{lat[0]} {fmt(peer['offer_avg_ms'], 3)}",
                       xfmt(ratio(pxe["offer_avg_ms"], peer["offer_avg_ms"]))))
    pxe6 = run.get("dhcp6", server="pxe")
    best6 = run.best_peer("dhcp6", PEERS_DHCP, "dora_rate")
    if pxe6 or best6:
        floor = " (perfdhcp-bound: a floor)" if pxe6 and pxe6.get("client_limited") else ""
        ratios.append(("DHCPv6 SARR/s at <= 2.5 % drops",
                       fmt(pxe6 and pxe6["dora_rate"]) + floor,
                       f"{best6[0]} {fmt(best6[1])}" if best6 else "--",
                       xfmt(ratio(pxe6 and pxe6["dora_rate"], best6 and best6[1]))))

    # TFTP single client, tftp_load.
    lock_ok, win_ok, best_win = [], [], None
    for case in CASES:
        p = run.tftp("pxe", case)
        b = run.best_peer("tftp", PEERS_TFTP, "mbps", case=case, client="tftp_load")
        r = ratio(p and p["mbps"], b and b[1])
        note = ""
        if b and run.tftp(b[0], case).get("unsupported"):
            note = " (no windowsize: ran lock-step)"
        ratios.append((f"TFTP 1 client, {case} (MB/s)", fmt(p and p["mbps"]),
                       f"{b[0]} {fmt(b[1])}{note}" if b else "--", xfmt(r)))
        if r is not None:
            (lock_ok if case.startswith("lock-step") else win_ok).append(r)
        if p and case.startswith("windowed") and (best_win is None or p["mbps"] > best_win):
            best_win = p["mbps"]
    for client, case in (("tftp-hpa", CASES[0]), ("curl", CASES[0]), ("curl", CASES[1])):
        p = run.tftp("pxe", case, client)
        b = run.best_peer("tftp", PEERS_TFTP, "mbps", case=case, client=client)
        ratios.append((f"TFTP 1 client, {client} {case} (MB/s)", fmt(p and p["mbps"]),
                       f"{b[0]} {fmt(b[1])}" if b else "--",
                       xfmt(ratio(p and p["mbps"], b and b[1]))))
    goals.append(("TFTP lock-step MB/s (tftp_load, 512 and 1468)", ">= 2x best peer",
                  " / ".join(xfmt(r) for r in lock_ok) or "--",
                  verdict(min(lock_ok) >= 2 if lock_ok else None)))
    goals.append(("TFTP windowed MB/s (tftp_load, windowsize 16 and 64)", ">= 3x best peer",
                  " / ".join(xfmt(r) for r in win_ok) or "--",
                  verdict(min(win_ok) >= 3 if win_ok else None)))

    # Many clients.
    p = run.get("many", server="pxe")
    b = run.best_peer("many", PEERS_TFTP, "mbps")
    peer = run.get("many", server=b[0]) if b else None
    agg = ratio(p and p["mbps"], b and b[1])
    cpu = ratio(p and p["cpu_s_per_gb"], peer and peer["cpu_s_per_gb"])
    if p:
        ratios.append((f"TFTP {p['clients']:.0f} clients, aggregate MB/s", fmt(p["mbps"]),
                       f"{b[0]} {fmt(b[1])}" if b else "--", xfmt(agg)))
        ratios.append(("TFTP many clients, server CPU s/GB (lower is better)",
                       fmt(p["cpu_s_per_gb"], 2),
                       f"{b[0]} {fmt(peer['cpu_s_per_gb'], 2)}" if peer else "--", xfmt(cpu)))
    goals.append(("64 clients: aggregate", ">= 3x best peer", xfmt(agg),
                  verdict(None if agg is None else agg >= 3)))
    goals.append(("64 clients: server CPU per GB", "<= 1/3 of that peer's", xfmt(cpu),
                  verdict(None if cpu is None else cpu <= 1 / 3)))

    # The link.
    ip = run.get("iperf")
    r = ratio(best_win, ip and ip["mbps"])
    if ip:
        ratios.append(("pxe windowed TFTP / iperf3 UDP limit", fmt(best_win),
                       f"iperf3 {fmt(ip['mbps'])}", f"{r * 100:.0f} %" if r else "--"))
    goals.append(("Windowed TFTP vs iperf3 UDP (1468 B, < 1 % loss)", ">= 50 %",
                  f"{r * 100:.0f} %" if r else "--", verdict(None if r is None else r >= 0.5)))

    img = run.get("image")
    if img:
        ratios.append((f"`image load` {img['mb']:.0f} MB vs `cat FILE > /dev/null` (MB/s)",
                       fmt(img["load_mbps"]), f"cat {fmt(img['cat_mbps'])}",
                       xfmt(ratio(img["load_mbps"], img["cat_mbps"]))))

    out = ["### Goals and where we stand", "",
           table(("goal", "target", "measured (pxe / best peer)", "status"), goals), "",
           "### Ratios, pxe / best peer", "",
           table(("row", "pxe", "best peer", "ratio"), ratios)]
    return "\n".join(out)


def dhcp_table(run, section, servers):
    """The raw figures of one family's perfdhcp runs, as markdown lines."""
    m = run.meta
    v4 = section == "dhcp"
    rows = []
    for s in servers:
        r = run.get(section, server=s)
        if not r:
            continue
        best = next((x for x in r["runs"] if x["requested"] == r["at_requested"]), {})
        cpu = best.get("perfdhcp_cpu_s")
        rows.append((s, fmt(r["dora_rate"]), fmt(r["at_requested"]), fmt(r["drop_pct"], 2),
                     "yes" if r["client_limited"] else "no",
                     fmt(sum(x["client_rcvbuf_drops"] for x in r["runs"]))
                     if all("client_rcvbuf_drops" in x for x in r["runs"]) else "--",
                     fmt(cpu, 2), fmt(best.get("vm_busy_s"), 2),
                     fmt(r["offer_avg_ms"], 3),
                     fmt(r["offer_max_ms"], 3), fmt(r["latency_drop_pct"], 2),
                     " ".join(f"{x['requested']}:{x['rate']:.0f}/{x['drop_pct']:.1f}%"
                              for x in r["runs"])))
    if not rows:
        return []
    rate, first = ("DORA/s", "OFFER") if v4 else ("SARR/s", "ADVERTISE")
    out = [f"**{'DHCP' if v4 else 'DHCPv6'}** (perfdhcp {'-4' if v4 else '-6'} -R "
           f"{m.get('dhcp_clients')}, {m.get('dhcp_secs')} s per trial; {first} latency "
           f"at -r {m.get('latency_rate')} for {2 * m.get('dhcp_secs', 0)} s)", "",
           table(("server", rate, "at -r", "drops %", "perfdhcp-bound",
                  "perfdhcp socket overflows (all trials)", "perfdhcp CPU s",
                  "VM busy s", f"{first} avg ms", f"{first} max ms", "drops % (latency run)",
                  "trials (-r:achieved/drops)"), rows), ""]
    answered = None if v4 else pxe_answered(run.get(section, server="pxe"), section)
    if answered:
        out += [f"pxe's first failing trial: {answered}.", ""]
    return out


def section_raw(run):
    out = ["### Raw figures", ""]
    m = run.meta

    out += dhcp_table(run, "dhcp", ("pxe", "pxe-90%-full") + PEERS_DHCP)
    ll = run.get("lease_load")
    if ll:
        out += [f"Loading the 90 % full pool: {ll['leases']:,} `lease add` lines through "
                f"`pxectl -b` in {ll['seconds']:.1f} s ({ll['per_second']:,.0f} leases/s); "
                f"pool `used` afterwards: {ll['used']}. The leases sit at random addresses of "
                f"the {ll['pool_size']:,}-address pool; the pool is flushed and refilled "
                f"before every trial.", ""]

    out += dhcp_table(run, "dhcp6", ("pxe",) + PEERS_DHCP)

    # TFTP single.
    servers = ("pxe",) + PEERS_TFTP
    rows = []
    for client, cases in (("tftp_load", CASES), ("tftp-hpa", CASES[:1]),
                          ("curl", CASES[:2])):
        for case in cases:
            row = [client, case]
            for s in servers:
                r = run.tftp(s, case, client)
                if r is None:
                    row.append("--")
                elif r.get("unsupported"):
                    row.append(f"({fmt(r['mbps'], 2)} lock-step)")
                else:
                    row.append(fmt(r["mbps"], 2) + ("" if r.get("complete", True) else "*"))
            rows.append(row)
    out += [f"**TFTP, one client, {m.get('tftp_mb')} MiB image, MB/s** (10^6 bytes/s; "
            "`(x lock-step)`: the server ignored windowsize; `*`: not finished within "
            f"the {m.get('tftp_cap')} s cap, the rate of what arrived)", "",
            table(("client", "case") + servers, rows), ""]
    rows = []
    for s in servers:
        for r in run.recs:
            if r["section"] != "tftp" or r["server"] != s:
                continue
            rows.append((s, r["client"], r["case"], fmt(r["mbps"], 2),
                         fmt(r["bytes"] / 2**20, 1), fmt(r["seconds"], 1),
                         "yes" if r.get("complete", True) else "no (cap)",
                         f"{r.get('gaps', 0):.0f} / {r.get('retries', 0):.0f}"
                         if r["client"] == "tftp_load" else "--",
                         fmt(r.get("process_s"), 2), fmt(r.get("softirq_s"), 2),
                         fmt(r.get("vm_busy_s"), 2)))
    if rows:
        out += ["Every single-client transfer (tftp_load: gaps = blocks that arrived out of "
                "order, retries = its resends after 250 ms of silence):", "",
                table(("server", "client", "case", "MB/s", "MiB moved", "s", "complete",
                       "gaps / retries", "daemon CPU s", "softirq s", "VM busy s"), rows), ""]

    # Many.
    rows = []
    for s in servers:
        r = run.get("many", server=s)
        if r:
            rows.append((s, fmt(r["mbps"], 2), fmt(r["bytes"] / 2**20, 1),
                         fmt(r["seconds"], 1), "yes" if r.get("complete", True) else "no (cap)",
                         f"{r.get('gaps', 0):.0f} / {r.get('retries', 0):.0f}",
                         fmt(r["softirq_s"], 2), fmt(r["process_s"], 2),
                         fmt(r["cpu_s_per_gb"], 2), fmt(r["vm_busy_s_per_gb"], 2)))
    if rows:
        out += [f"**TFTP, {m.get('many_clients')} concurrent clients, {m.get('many_mb')} MiB "
                f"image, lock-step blksize 1468** (tftp_load, {m.get('many_procs', 1)} "
                "process(es), one per vCPU; capped at "
                f"{m.get('many_cap')} s: then the aggregate is over what arrived)", "",
                table(("server", "aggregate MB/s", "MiB moved", "wall s", "all complete",
                       "gaps / retries", "softirq s", "daemon CPU s", "server CPU s/GB",
                       "whole VM busy s/GB"), rows), ""]

    img = run.get("image")
    if img:
        line = (f"**image load**: {img['mb']:.0f} MB in {img['load_seconds']:.2f} s "
                f"({img['load_mbps']:.1f} MB/s); `cat` of the same file: "
                f"{img['cat_seconds']:.2f} s ({img['cat_mbps']:.1f} MB/s).")
        if "sha256sum_mbps" in img:
            line += (f" For scale, `sha256sum` of it: {img['sha256sum_mbps']:.1f} MB/s. "
                     f"pxectl's CPU during the load: {img['pxectl_user_s']:.2f} s user "
                     f"(reading the file, its own SHA-256), {img['pxectl_sys_s']:.2f} s "
                     "system (netlink, the module's copy into pages and its SHA-256).")
        out += [line, ""]
    ip = run.get("iperf")
    if ip:
        trials = ", ".join(f"{x['requested_mbit']} Mbit/s: {x['mbps']:.1f} MB/s "
                           f"{x['lost_pct']:.2f} % lost" for x in ip["runs"])
        out += [f"**iperf3 UDP, 1468-byte datagrams**: {ip['mbps']:.1f} MB/s received at "
                f"-b {ip['requested_mbit']}M with < 1 % loss. Trials: {trials}.", ""]
    fails = [r for r in run.recs if r["section"] == "failure"]
    if fails:
        out += ["**Failures** (each is also a non-zero exit of `make bench`):", ""]
        out += [f"- {r['what']}: `{r['error']}`" for r in fails]
        out.append("")
    if not run.end:
        out += ["**The run did not finish**: the figures above are what was measured "
                "before it stopped.", ""]
    return "\n".join(out)


DEFINITIONS = """\
## How it is measured

- **Topology**: two network namespaces joined by one veth pair in one VM
  (`srv0` 10.1.0.1/16 in the server namespace, `cli0` 10.1.0.2/16 in the client
  one). One server runs at a time; pxe's link is removed while a peer runs. The
  module is loaded throughout (vm-run), idle when not attached.
- **DHCP**: `perfdhcp -4 -l cli0 -r RATE -R CLIENTS -p SECS` (it relays: giaddr =
  10.1.0.2). Drops = DORA exchanges begun (DISCOVERs sent) that did not end in an
  ACK. ISC's method: raise `-r` until drops pass 2.5 % -- from 100/s, halving until a
  rate passes or doubling until one fails (or perfdhcp itself cannot reach the rate
  asked, "perfdhcp-bound"), then two bisection steps; a failed trial is run once
  more before it counts (one noisy trial must not end the search). The figure is
  perfdhcp's achieved `Rate:` of the best passing trial. "perfdhcp CPU s" is
  perfdhcp's own user + system time in that trial, "VM busy s" all CPU time but
  idle of the VM meanwhile (both over perfdhcp's whole run, a little longer than
  `-p`: start-up and the final wait). perfdhcp polls its socket without sleeping: it takes about one vCPU at any rate, and
  every server runs on what is left of the VM. "perfdhcp socket overflows" are
  datagrams the client's own socket dropped (`RcvbufErrors` of the client
  namespace). For pxe the module's counters (`pxectl -j stats`) are read around
  every trial, so a failing trial says whether the module answered everything
  that reached it; "VM busy" is all CPU
  time but idle over that of both vCPUs. Every trial starts, after a settling
  second, from the same state: pxe's leases flushed (and the 59k refilled for the full-pool
  row), dnsmasq and Kea restarted (their leases live only in memory). Configurations:
  pxe `pool add ... range 10.1.0.10 10.1.255.250 netmask 255.255.0.0`; dnsmasq
  `--no-ping --leasefile-ro --quiet-dhcp --dhcp-lease-max=70000` (same range);
  kea-dhcp4 memfile `persist: false`, `dhcp-socket-type: raw`, logging at WARN.
- **DHCPv6**: the same search with `perfdhcp -6 -l cli0 -r RATE -R CLIENTS -p SECS`
  (Solicit to ff02::1:2 from cli0's link-local address; SARR = a Solicit, Advertise,
  Request, Reply exchange; drops = Solicits sent that did not end in a Reply), the
  same clients and trials. IPv6 is on for srv0 and cli0 only during these runs,
  srv0 with fd00:1::1/64. Configurations: pxe `pool add lan6 dev srv0 range6
  fd00:1::1:0 fd00:1::1:ffff lease 3600`; dnsmasq
  `--dhcp-range=fd00:1::1:0,fd00:1::1:ffff,64,1h --quiet-dhcp6 --leasefile-ro
  --dhcp-lease-max=70000`; kea-dhcp6 the same pool in a `subnet6` fd00:1::/64 on
  srv0, memfile `persist: false`, server DUID not persisted, logging at WARN.
- **TFTP one client**: `selftests/bench/tftp_load` (C, epoll; asks tsize and, when
  not the RFC defaults, blksize and windowsize; hashes every copy with SHA-256 and
  fails on a mismatch or a size other than the announced tsize), and the real
  clients tftp-hpa `tftp` (blksize 512 only: it has no blksize option) and
  `curl --tftp-blksize`, checked by SHA-256 too. Every transfer is capped in time
  (BENCH_TFTP_CAP, BENCH_MANY_CAP) so that the whole run fits in about 20 minutes
  under TCG; a capped transfer's rate is over the bytes that arrived (marked; its
  SHA-256 cannot be checked, the finished ones' are). Servers: pxe (images loaded with
  `pxectl image load`), `in.tftpd -L` (tftpd-hpa), `dnsmasq --enable-tftp
  --tftp-max=1024 --quiet-tftp`, `atftpd --daemon --no-fork --maxthread 1024`
  (unpacked from its .deb: it conflicts with tftpd-hpa). Only pxe and atftpd grant
  windowsize; the others' windowed rows are what a windowed client gets from them
  (lock-step), shown in parentheses.
- **Pinning**: under TCG a wakeup that crosses to the other vCPU waits until the
  host schedules that vCPU's thread: microseconds on hardware, milliseconds on a
  loaded host, and a lock-step transfer with a daemon pays it twice per block. So
  every single-client run keeps the client and the daemon (threads and children)
  on vCPU 0 (BENCH_PIN=0 turns this off); pxe needs no pinning (it answers in the
  softirq of the client's own send), but its client is pinned alike.
- **TFTP many clients**: two tftp_load processes (one per vCPU, BENCH_MANY_PROCS)
  run all downloads at once, each download from its own socket, lock-step blksize 1468 (what every server supports and what PXE
  firmware asks for). Aggregate = all bytes / wall time from the first RRQ to the
  last block.
- **Server CPU per GB** = (softirq time of the whole VM, all CPUs, from `/proc/stat`
  + the daemon's user and system time, its threads and its children, from
  `/proc/PID/stat` of every process in the server namespace) / GB moved. pxe has
  no process, so its figure is softirq alone. The softirq time includes the
  client side's receive path for every server alike. This kernel has no
  IRQ_TIME_ACCOUNTING: softirq time is sampled per tick, and a tick that lands in
  softirq work run on a daemon's behalf is charged to both the softirq total and
  the daemon's system time, so a peer's figure is an upper bound by at most its
  softirq share. "Whole VM busy" (all CPU time but idle and iowait, client
  included) per GB has no such overlap and is given beside it.
- **The link**: iperf3 UDP, 1468-byte payloads (the payload of a blksize 1468 DATA
  block), `-b` doubling from 50 Mbit/s then bisecting; the limit is the received
  rate of the fastest trial with < 1 % loss. pxe's windowed figure is its better
  windowsize row.
- **image load**: `pxectl image load` of a random file (upload in chunks through
  generic netlink, SHA-256 verified by the module) against `cat FILE > /dev/null`
  of the same file from the page cache (the faster of two reads).
- MB = 10^6 bytes; image sizes are MiB. TCG figures are about 100x below bare
  metal: only the ratios within one run mean anything.
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--started", default="")
    ap.add_argument("--seconds", type=int, default=0)
    ap.add_argument("--command", default="make bench")
    ap.add_argument("--contended", default="")
    ap.add_argument("--host-load", default="")
    ap.add_argument("results", nargs="+")
    a = ap.parse_args()

    runs = [Run(load(p)) for p in a.results]
    out = ["# pxe benchmarks", "",
           "Generated by `make bench` (scripts/bench, selftests/bench/): do not edit by "
           "hand; run it again.", "",
           f"- Date: {a.started}", f"- Command: `{a.command}`",
           f"- Whole run: {a.seconds // 60} min {a.seconds % 60} s"]
    if a.host_load:
        out.append(f"- Host load average when the run ended: {a.host_load} (2 cores)")
    if a.contended:
        out.append(f"- **Contention**: {a.contended}")
    out += ["", "Goals (issue 7): DHCP DORA/s at <= 2.5 % drops >= 10x the best peer; TFTP "
            "lock-step MB/s >= 2x, windowed >= 3x the best peer; 64 clients: aggregate >= 3x "
            "the best peer at <= 1/3 of its CPU per GB; windowed TFTP >= 50 % of the iperf3 "
            "UDP limit on the same link.", ""]
    for run in runs:
        m = run.meta
        out += [f"## Linux {m.get('kernel')}: VM of {m.get('cpus')} vCPUs (qemu TCG), "
                f"{m.get('mem_mib')} MiB", ""]
        v = m.get("versions", {})
        out += ["Peers: " + "; ".join(f"{k}: {val}" for k, val in v.items() if val), ""]
        if run.end:
            out += [f"Measured in {run.end['seconds'] / 60:.1f} min inside the VM.", ""]
        net = run.get("net")
        if net:
            out += [f"Every socket, the servers' and the clients' alike, gets "
                    f"{net['rmem_default'] // 1024} KiB of receive buffer by default "
                    "(`net.core.rmem_default`).", ""]
        mit = m.get("mitigations") or {}
        if mit:
            out += ["Guest CPU mitigations in force (they make every syscall and context "
                    "switch dearer, and under TCG dearer still: this weighs on the daemons, "
                    "not on the module's softirq path): " +
                    "; ".join(f"{k}: {v}" for k, v in mit.items()), ""]
        if m.get("pinned"):
            out += ["Single-client TFTP runs: client and server process pinned to vCPU 0 "
                    "(BENCH_PIN=1, see below); the many-clients runs use both vCPUs.", ""]
        out += [section_goals(run), "", section_raw(run)]
    out.append(DEFINITIONS)
    print("\n".join(out))


if __name__ == "__main__":
    main()
