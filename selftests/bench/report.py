#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs/BENCHMARKS.md from the results.jsonl of selftests/bench/guest.py.

    report.py [--started DATE] [--seconds N] [--command CMD] [--contended NOTE]
              [--host-load LOADAVG] RESULTS.jsonl...

One section per kernel (one results file each), markdown on stdout.  Every
figure guest.py measured several times is recorded as {median, min, max, n}:
the tables print the median with [min-max] beside it, and every ratio is of
medians.
"""
import argparse
import json

PEERS_DHCP = ("dnsmasq", "kea")
PEERS_TFTP = ("tftpd-hpa", "dnsmasq", "atftpd")
PEERS_STORM = ("dnsmasq", "kea+tftpd-hpa")
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


def med(rec, key):
    """The median of a figure (or the figure, when it was measured once)."""
    if not rec:
        return None
    v = rec.get(key)
    return v.get("median") if isinstance(v, dict) else v


def mm(rec, key, digits=1):
    """median [min-max] of a figure."""
    v = rec.get(key) if rec else None
    if not isinstance(v, dict):
        return fmt(v, digits)
    if v.get("median") is None:
        return "--"
    if v.get("n", 1) < 2:
        return fmt(v["median"], digits)
    return (f"{fmt(v['median'], digits)} [{fmt(v['min'], digits)}–"
            f"{fmt(v['max'], digits)}]")


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


def counters(d):
    """A drop summary's counters, the ones that moved."""
    return ", ".join(f"{k} {v:,}" for k, v in sorted(d.items())) or "none moved"


class Run:
    def __init__(self, recs):
        self.recs = recs
        self.meta = next((r for r in recs if r["section"] == "meta"), {})
        self.end = next((r for r in recs if r["section"] == "end"), None)

    def all(self, section, **match):
        return [r for r in self.recs
                if r["section"] == section and all(r.get(k) == v for k, v in match.items())]

    def get(self, section, **match):
        found = self.all(section, **match)
        return found[0] if found else None

    def tftp(self, server, case, client="tftp_load", pinned=False):
        return self.get("tftp", server=server, case=case, client=client, pinned=pinned)

    def best_peer(self, section, peers, key, lower=False, **match):
        """(peer, its record) of the peer best at this figure's median:
        the highest, or with lower=True the lowest."""
        best = None
        for p in peers:
            r = self.get(section, server=p, **match)
            v = med(r, key)
            if not v:
                continue
            if best is None or (v < med(best[1], key) if lower else v > med(best[1], key)):
                best = (p, r)
        return best


def peer_cell(best, key, digits=1, note=""):
    return f"{best[0]} {mm(best[1], key, digits)}{note}" if best else "--"


def over_drops(rec):
    """A DHCP figure whose median drops passed 2.5 %: the probe that chose
    its rate was lucky, and the figure is above what the server sustains."""
    d = med(rec, "drop_pct")
    return f" (median drops {d:.1f} %: over 2.5 %)" if d and d > 2.5 else ""


def section_goals(run):
    ratios, goals = [], []

    # DHCP: rate (higher is better), latency (lower is better).
    for section, label, unit in (("dhcp", "DHCP", "DORA/s"), ("dhcp6", "DHCPv6", "SARR/s")):
        pxe = run.get(section, server="pxe")
        best = run.best_peer(section, PEERS_DHCP, "dora_rate")
        if not pxe and not best:
            continue
        r = ratio(med(pxe, "dora_rate"), best and med(best[1], "dora_rate"))
        floor = " (perfdhcp-bound: a floor)" if pxe and pxe.get("client_limited") else ""
        row = f"{label} {unit} (median of the trials at the chosen -r)"
        ratios.append((row, mm(pxe, "dora_rate") + floor + over_drops(pxe),
                       peer_cell(best, "dora_rate", 1, best and over_drops(best[1])),
                       xfmt(r)))
        cpu = run.best_peer(section, PEERS_DHCP, "server_us_per_exchange", lower=True)
        if pxe and cpu and med(pxe, "server_us_per_exchange"):
            ratios.append((f"{label} server CPU per {unit[:-2]} at that rate (µs, lower is "
                           "better; pxe: the VM's softirq)",
                           mm(pxe, "server_us_per_exchange", 0),
                           peer_cell(cpu, "server_us_per_exchange", 0),
                           xfmt(ratio(med(pxe, "server_us_per_exchange"),
                                      med(cpu[1], "server_us_per_exchange")))))
        if section == "dhcp":
            over = pxe and (med(pxe, "drop_pct") or 0) > 2.5
            goals.append(("DHCP DORA/s at <= 2.5 % drops", ">= 10x best peer", xfmt(r),
                          verdict(None if r is None else r >= 10 and not over) + floor))
        lat = run.best_peer(section, PEERS_DHCP, "offer_avg_ms", lower=True)
        if pxe and lat:
            first = "OFFER" if section == "dhcp" else "ADVERTISE"
            ratios.append((f"{label} {first} latency avg at {pxe['latency_rate']}/s "
                           "(ms, lower is better)", mm(pxe, "offer_avg_ms", 3),
                           peer_cell(lat, "offer_avg_ms", 3),
                           xfmt(ratio(med(pxe, "offer_avg_ms"), med(lat[1], "offer_avg_ms")))))
        if section == "dhcp":
            full = run.get("dhcp", server="pxe-90%-full")
            if pxe and full:
                ratios.append(("pxe, /16 pool 90 % full vs empty, same -r (DORA/s)",
                               mm(full, "dora_rate"), f"pxe empty {mm(pxe, 'dora_rate')}",
                               xfmt(ratio(med(full, "dora_rate"), med(pxe, "dora_rate")))))

    # TFTP single client, tftp_load; the goals are judged on unpinned runs.
    lock_ok, win_ok, best_win = [], [], None
    for pinned in (False, True):
        for case in CASES:
            p = run.tftp("pxe", case, pinned=pinned)
            b = run.best_peer("tftp", PEERS_TFTP, "mbps", case=case, client="tftp_load",
                              pinned=pinned)
            if not p and not b:
                continue
            r = ratio(med(p, "mbps"), b and med(b[1], "mbps"))
            note = " (no windowsize: ran lock-step)" if b and b[1].get("unsupported") else ""
            ratios.append((f"TFTP 1 client, {case}, {'pinned' if pinned else 'unpinned'} "
                           "(MB/s)", mm(p, "mbps"), peer_cell(b, "mbps", 1, note), xfmt(r)))
            if pinned:
                continue
            if r is not None:
                (lock_ok if case.startswith("lock-step") else win_ok).append(r)
            if p and case.startswith("windowed") and (best_win is None or
                                                      med(p, "mbps") > best_win):
                best_win = med(p, "mbps")
    for client in sorted({r["client"] for r in run.all("tftp") if r["client"] != "tftp_load"}):
        for case in CASES[:2]:
            p = run.tftp("pxe", case, client)
            b = run.best_peer("tftp", PEERS_TFTP, "mbps", case=case, client=client,
                              pinned=False)
            if p or b:
                ratios.append((f"TFTP 1 client, {client} {case}, unpinned (MB/s)",
                               mm(p, "mbps"), peer_cell(b, "mbps"),
                               xfmt(ratio(med(p, "mbps"), b and med(b[1], "mbps")))))
    goals.append(("TFTP lock-step MB/s (tftp_load, 512 and 1468, unpinned)",
                  ">= 2x best peer", " / ".join(xfmt(r) for r in lock_ok) or "--",
                  verdict(min(lock_ok) >= 2 if lock_ok else None)))
    goals.append(("TFTP windowed MB/s (tftp_load, windowsize 16 and 64, unpinned)",
                  ">= 3x best peer", " / ".join(xfmt(r) for r in win_ok) or "--",
                  verdict(min(win_ok) >= 3 if win_ok else None)))

    # Many clients: aggregate (higher), CPU per GB (lower, against the same
    # peer the goal names, and against the lowest).
    p = run.get("many", server="pxe")
    b = run.best_peer("many", PEERS_TFTP, "mbps")
    agg = ratio(med(p, "mbps"), b and med(b[1], "mbps"))
    cpu = ratio(med(p, "cpu_s_per_gb"), b and med(b[1], "cpu_s_per_gb"))
    if p:
        n = f"{med(p, 'clients'):.0f}"
        ratios.append((f"TFTP {n} clients, aggregate MB/s", mm(p, "mbps"),
                       peer_cell(b, "mbps"), xfmt(agg)))
        low = run.best_peer("many", PEERS_TFTP, "cpu_s_per_gb", lower=True)
        ratios.append((f"TFTP {n} clients, server CPU s/GB (lower is better)",
                       mm(p, "cpu_s_per_gb", 2), peer_cell(low, "cpu_s_per_gb", 2),
                       xfmt(ratio(med(p, "cpu_s_per_gb"), low and med(low[1], "cpu_s_per_gb")))))
    goals.append(("64 clients: aggregate", ">= 3x best peer", xfmt(agg),
                  verdict(None if agg is None else agg >= 3)))
    goals.append(("64 clients: server CPU per GB", "<= 1/3 of that peer's",
                  xfmt(cpu) + (f" (vs {b[0]})" if b else ""),
                  verdict(None if cpu is None else cpu <= 1 / 3)))

    # The boot storm: time until the last client finishes (lower is better);
    # the goal's ratio is how many times sooner pxe finishes.
    p = run.get("storm", server="pxe")
    b = run.best_peer("storm", PEERS_STORM, "seconds", lower=True)
    sooner = ratio(b and med(b[1], "seconds"), med(p, "seconds"))
    over = "> " if b and storm_cut(b[1]) else ""
    if p or b:
        ratios.append(("Boot storm, seconds until the last client is done (lower is better)",
                       mm(p, "seconds", 2), f"{b[0]} {storm_seconds(b[1])}" if b else "--",
                       ("< " if over else "") +
                       xfmt(ratio(med(p, "seconds"), b and med(b[1], "seconds")))))
    goals.append(("Boot storm: the last client done", ">= 3x sooner than best peer",
                  (f"{over}{sooner:.2f}x sooner" if sooner else "--") +
                  (f" (vs {b[0]})" if b else ""),
                  verdict(None if sooner is None else sooner >= 3)))

    # The link.
    ip = run.get("iperf")
    r = ratio(best_win, ip and ip["mbps"])
    if ip:
        ratios.append(("pxe windowed TFTP (unpinned) / iperf3 UDP limit", fmt(best_win),
                       f"iperf3 {fmt(ip['mbps'])}", f"{r * 100:.0f} %" if r else "--"))
    goals.append(("Windowed TFTP vs iperf3 UDP (1468 B, < 1 % loss)", ">= 50 %",
                  f"{r * 100:.0f} %" if r else "--", verdict(None if r is None else r >= 0.5)))

    img = run.get("image")
    r = ratio(med(img, "load_mbps"), med(img, "cat_mbps"))
    if img:
        ratios.append((f"`image load` {img['mb']:.0f} MB vs `cat FILE > /dev/null` (MB/s)",
                       mm(img, "load_mbps"), f"cat {mm(img, 'cat_mbps')}", xfmt(r)))
    goals.append(("`image load` vs `cat FILE > /dev/null`", ">= 25 %",
                  f"{r * 100:.0f} %" if r else "--", verdict(None if r is None else r >= 0.25)))

    out = ["### Goals and where we stand", "",
           "Each measured figure is the median of the trials (ratios are of medians).", "",
           table(("goal", "target", "measured (pxe / best peer, medians)", "status"), goals),
           "", "### Ratios, pxe / the best peer for that row", "",
           "Higher-is-better rows name the peer with the highest median, lower-is-better "
           "rows the one with the lowest; `[min–max]` of the trials beside each median.", "",
           table(("row", "pxe", "best peer", "ratio"), ratios)]
    return "\n".join(out)


def drop_reason(rec):
    """Why a server lost what it lost, over all measured trials: the server
    namespace's UDP counters and its own log."""
    parts = [f"server namespace: {counters(rec.get('server_udp') or {})}"]
    if rec.get("log_issues") is not None:
        parts.append(f"{rec['log_issues']} warning/error lines in its log")
        if rec.get("log_sample"):
            parts.append("e.g. `" + rec["log_sample"][0].replace("`", "'") + "`")
    return "; ".join(parts)


# Per family: the messages (plural) of perfdhcp's two exchanges.
MESSAGES = {"dhcp": ("DISCOVERs", "REQUESTs", "OFFERs", "ACKs"),
            "dhcp6": ("Solicits", "Requests", "Advertises", "Replies")}


def dhcp_table(run, section, servers):
    """The raw figures of one family's perfdhcp runs, as markdown lines."""
    m = run.meta
    v4 = section == "dhcp"
    rows, reasons = [], []
    for s in servers:
        r = run.get(section, server=s)
        if not r:
            continue
        rows.append((s, mm(r, "dora_rate"), fmt(r["at_requested"]), mm(r, "drop_pct", 2),
                     mm(r, "in_flight_pct", 3) +
                     (" **over 0.5 %**" if (med(r, "in_flight_pct") or 0) > 0.5 else ""),
                     "yes" if r["client_limited"] else "no",
                     fmt(r.get("client_rcvbuf_drops")), mm(r, "perfdhcp_cpu_s", 2),
                     mm(r, "server_cpu_s", 2), mm(r, "server_us_per_exchange", 0),
                     mm(r, "vm_busy_s", 2), mm(r, "offer_avg_ms", 3),
                     mm(r, "offer_max_ms", 3), mm(r, "latency_drop_pct", 2),
                     " ".join(f"{x['requested']}:{x['rate']:.0f}/{x['drop_pct']:.1f}%"
                              for x in r.get("probes", []))))
        tr = r.get("trials", [])
        m1, m2, m3, m4 = MESSAGES[section]
        where = (f"{m3} for {sum(t['do_received'] for t in tr):,} of "
                 f"{sum(t['do_sent'] for t in tr):,} {m1}, {m4} for "
                 f"{sum(t['ra_received'] for t in tr):,} of {sum(t['ra_sent'] for t in tr):,} "
                 f"{m2}") if tr else "no trials"
        reasons.append(f"- {s}: median {fmt(med(r, 'drop_pct'), 2)} % dropped ({where}); "
                       f"{drop_reason(r)}; perfdhcp's own socket overflowed "
                       f"{fmt(r.get('client_rcvbuf_drops'))} times.")
    if not rows:
        return []
    rate, first = ("DORA/s", "OFFER") if v4 else ("SARR/s", "ADVERTISE")
    n = m.get("trials")
    out = [f"**{'DHCP' if v4 else 'DHCPv6'}** (perfdhcp {'-4' if v4 else '-6'} -R "
           f"{m.get('dhcp_clients')}; {n} trials of {m.get('dhcp_secs')} s at the chosen -r, "
           f"probes of {m.get('dhcp_probe_secs')} s; {first} latency: {n} trials of "
           f"{m.get('latency_secs')} s at -r {m.get('latency_rate')})", "",
           table(("server", rate, "at -r", "drops %", "in flight at the end %",
                  "perfdhcp-bound", "perfdhcp socket overflows (all trials)",
                  "perfdhcp CPU s", "server CPU s", f"server CPU µs per {rate[:-2]}",
                  "VM busy s", f"{first} avg ms", f"{first} max ms",
                  "drops % (latency runs)", "probes (-r:achieved/drops)"), rows), "",
           "Drops and their reasons (UDP counters of the server's namespace and the "
           "server's own log, summed over the measured trials):", ""] + reasons + [""]
    return out


def tftp_tables(run):
    m = run.meta
    servers = ("pxe",) + PEERS_TFTP
    out = []
    rows = []
    clients = ["tftp_load"] + sorted({r["client"] for r in run.all("tftp")} - {"tftp_load"})
    for pinned in (False, True):
        for client in clients:
            for case in CASES if client == "tftp_load" else CASES[:2]:
                if client != "tftp_load" and pinned:
                    continue
                row = [client, case, "pinned" if pinned else "unpinned"]
                for s in servers:
                    r = run.tftp(s, case, client, pinned)
                    if r is None:
                        row.append("--")
                    elif r.get("unsupported"):
                        row.append(f"({mm(r, 'mbps', 2)} lock-step)")
                    else:
                        row.append(mm(r, "mbps", 2) + ("" if r.get("complete", True) else "*"))
                if any(c != "--" for c in row[3:]):
                    rows.append(row)
    if rows:
        out += [f"**TFTP, one client, {m.get('tftp_mb')} MiB image, MB/s**, median [min–max] "
                f"of {m.get('trials')} trials (10^6 bytes/s; `(x lock-step)`: the server "
                "ignored windowsize; `*`: some trial did not finish within the "
                f"{m.get('tftp_cap')} s cap, its rate is over what arrived)", "",
                table(("client", "case", "CPUs") + servers, rows), ""]
    rows = []
    for s in servers:
        for r in run.all("tftp", server=s):
            if r.get("unsupported"):
                continue
            rows.append((s, r["client"], r["case"], "pinned" if r.get("pinned") else "unpinned",
                         mm(r, "mbps", 2), mm(r, "seconds", 1),
                         "yes" if r.get("complete", True) else "no (cap)",
                         f"{sum(t.get('gaps', 0) for t in r['trials']):.0f} / "
                         f"{sum(t.get('retries', 0) for t in r['trials']):.0f}"
                         if r["client"] == "tftp_load" else "--",
                         mm(r, "server_cpu_s", 2) if r["client"] == "tftp_load" else "--",
                         mm(r, "vm_busy_s", 2) if r["client"] == "tftp_load" else "--"))
    if rows:
        out += ["Every single-client figure (tftp_load: gaps = blocks that arrived out of "
                "order, retries = its resends after 250 ms of silence, summed over the "
                "trials; server CPU: pxe's softirq time, a peer's cgroup usage):", "",
                table(("server", "client", "case", "CPUs", "MB/s", "s", "all complete",
                       "gaps / retries", "server CPU s", "VM busy s"), rows), ""]
    return out


def many_table(run):
    m = run.meta
    rows, reasons = [], []
    for s in ("pxe",) + PEERS_TFTP:
        r = run.get("many", server=s)
        if r:
            rows.append((s, mm(r, "mbps", 2), mm(r, "seconds", 1),
                         "yes" if r.get("complete", True) else "no (cap)",
                         f"{sum(t.get('gaps', 0) for t in r['trials']):.0f} / "
                         f"{sum(t.get('retries', 0) for t in r['trials']):.0f}",
                         mm(r, "softirq_s", 2), mm(r, "server_cpu_s", 2),
                         mm(r, "cpu_s_per_gb", 2), mm(r, "vm_busy_s_per_gb", 2)))
            reasons.append(f"- {s}: {trial_reason(r)}")
    if not rows:
        return []
    return [f"**TFTP, {m.get('many_clients')} concurrent clients, {m.get('many_mb')} MiB "
            f"image, lock-step blksize 1468** (tftp_load, {m.get('many_procs', 1)} "
            f"process(es), one per vCPU; {m.get('trials')} trials capped at "
            f"{m.get('many_cap')} s: the aggregate is over what arrived)", "",
            table(("server", "aggregate MB/s", "wall s", "all complete", "gaps / retries",
                   "softirq s", "server CPU s", "server CPU s/GB", "whole VM busy s/GB"),
                  rows), "", "Losses and their reasons (all trials):", ""] + reasons + [""]


def trial_reason(rec):
    udp, issues, sample = {}, 0, None
    for t in rec["trials"]:
        for k, v in (t.get("server_udp") or {}).items():
            udp[k] = udp.get(k, 0) + v
        if "log_issues" in t:
            issues += t["log_issues"]["count"]
            sample = sample or (t["log_issues"]["sample"] or [None])[0]
    return drop_reason({"server_udp": udp,
                        "log_issues": issues if any("log_issues" in t for t in rec["trials"])
                        else None,
                        "log_sample": [sample] if sample else []})


def storm_cut(rec):
    """A storm figure whose median is over its trials' cut (3x pxe's
    median): most of its trials were stopped there."""
    if not rec or not rec.get("cap"):
        return False
    cut = sum(not t.get("complete", True) for t in rec["trials"])
    return cut > rec.get("trials_planned", len(rec["trials"])) // 2


def storm_seconds(rec):
    if storm_cut(rec):
        return (f"> {rec['cap']} ({len(rec['trials'])} of {rec['trials_planned']} trials "
                "run, the majority stopped at the cut)")
    return mm(rec, "seconds", 2)


def storm_table(run):
    m = run.meta
    rows, reasons = [], []
    for s in ("pxe",) + PEERS_STORM:
        r = run.get("storm", server=s)
        if r:
            rows.append((s, storm_seconds(r), mm(r, "dhcp_seconds", 2),
                         fmt(med(r, "bytes") / 2**20 if med(r, "bytes") else None, 1),
                         "yes" if r.get("complete") else "no",
                         f"{sum(t.get('retries', 0) for t in r['trials']):.0f} / "
                         f"{sum(t.get('gaps', 0) for t in r['trials']):.0f}",
                         mm(r, "server_cpu_s", 2), mm(r, "vm_busy_s", 2)))
            reasons.append(f"- {s}: {trial_reason(r)}")
    if not rows:
        return []
    return [f"**Boot storm**: {m.get('storm_clients')} clients at once, each DHCP "
            "DISCOVER/OFFER/REQUEST/ACK (broadcast, PXE options 60, 93 arch 0, 97), an "
            "EDK2-style tsize probe answered with ERROR 8, then the boot file lock-step at "
            f"blksize 1432; {m.get('storm_mb')} MiB boot file; {m.get('trials')} trials; "
            "seconds until the last client is done. A peer's trial is stopped at 3x pxe's "
            "median (the goal's threshold, rounded up to a second), and once most of its "
            "trials have stopped there its median is known to be over it: the rest are "
            "not run", "",
            table(("server", "s until the last is done", "s of DHCP", "MiB moved",
                   "all complete", "retries / gaps", "server CPU s", "VM busy s"), rows),
            "", "Losses and their reasons (all trials):", ""] + reasons + [""]


def section_raw(run):
    out = ["### Raw figures", ""]
    out += dhcp_table(run, "dhcp", ("pxe", "pxe-90%-full") + PEERS_DHCP)
    ll = run.get("lease_load")
    if ll:
        out += [f"Loading the 90 % full pool: {ll['leases']:,} `lease add` lines through "
                f"`pxectl -b` in {ll['seconds']:.1f} s ({ll['per_second']:,.0f} leases/s); "
                f"pool `used` afterwards: {ll['used']}. The leases sit at random addresses of "
                f"the {ll['pool_size']:,}-address pool; the pool is flushed and refilled "
                f"before every trial, which runs at the empty pool's chosen -r.", ""]
    out += dhcp_table(run, "dhcp6", ("pxe",) + PEERS_DHCP)
    out += tftp_tables(run)
    out += many_table(run)
    out += storm_table(run)

    img = run.get("image")
    if img:
        load, sha = med(img, "load_seconds"), med(img, "sha256sum_seconds")
        line = (f"**image load** ({img.get('trials', 1)} trials, median [min–max]): "
                f"{img['mb']:.0f} MB in {mm(img, 'load_seconds', 2)} s "
                f"({mm(img, 'load_mbps')} MB/s); `cat` of the same file: "
                f"{mm(img, 'cat_seconds', 2)} s ({mm(img, 'cat_mbps')} MB/s); `sha256sum` "
                f"of it: {mm(img, 'sha256sum_seconds', 2)} s ({mm(img, 'sha256sum_mbps')} "
                "MB/s). Where the time goes: pxectl's CPU is "
                f"{mm(img, 'pxectl_user_s', 2)} s user (reading the file) + "
                f"{mm(img, 'pxectl_sys_s', 2)} s system (netlink, and the module's SHA-256 "
                "and copy into pages, done in pxectl's context); the load takes "
                f"{ratio(load, sha) or 0:.2f}x the time `sha256sum` needs for the same "
                "bytes (the emulated CPU has neither SHA-NI nor AVX2).")
        out += [line, ""]
    ip = run.get("iperf")
    if ip:
        trials = ", ".join(f"{x['requested_mbit']} Mbit/s: {x['mbps']:.1f} MB/s "
                           f"{x['lost_pct']:.2f} % lost" for x in ip["runs"])
        out += [f"**iperf3 UDP, 1468-byte datagrams**: {ip['mbps']:.1f} MB/s received at "
                f"-b {ip['requested_mbit']}M with < 1 % loss. Trials: {trials}.", ""]
    times = run.all("timing")
    if times:
        out += ["**Time taken by each section** (inside the VM): " +
                ", ".join(f"{t['step']} {t['seconds'] / 60:.1f} min" for t in times) +
                ("; the whole guest run " f"{run.end['seconds'] / 60:.1f} min"
                 if run.end else "") + ".", ""]
    fails = run.all("failure")
    if fails:
        out += ["**Failures** (each is also a non-zero exit of `make bench`):", ""]
        out += [f"- {r['what']}: `{r['error']}`" for r in fails]
        out.append("")
    if not run.end:
        out += ["**The run did not finish**: the figures above are what was measured "
                "before it stopped.", ""]
    return "\n".join(out)


def method(run):
    """How to repeat it: what runs where, trial counts, how each figure is
    computed, and the exact command line or configuration of every server
    (as guest.py ran them)."""
    m = run.meta
    n = m.get("trials", 1)
    pins = m.get("pins", [])
    rmem = (run.get("net") or {}).get("rmem_default", 0) // 1024
    pc = m.get("pinned_cases", "all")
    pinned_cases = "every case" if pc == "all" else ", ".join(
        CASES[int(i)] for i in pc.split(","))
    out = ["## Method", "", f"""\
- **Where**: one qemu VM (TCG, no KVM) of {m.get('cpus')} vCPUs and {m.get('mem_mib')} MiB
  per kernel, booted by `selftests/vm-run` with pxe.ko loaded; `selftests/bench/guest.py`
  runs inside it and writes `results.jsonl`, this file is `selftests/bench/report.py`'s
  rendering of it. Two network namespaces joined by one veth pair: `srv0` 10.1.0.1/16 in
  the server's, `cli0` 10.1.0.2/16 in the clients'. One server runs at a time; pxe's
  link is removed while a peer runs. Every socket, servers' and clients' alike, gets
  {rmem} KiB of receive buffer by default (`net.core.rmem_default`).
- **Trials**: every figure is the median of {n} trials, with min and max beside it in
  brackets; ratios are of medians. A ratio row names the peer best at that row: the
  highest median where higher is better, the lowest where lower is better.
- **DHCP rate**: `perfdhcp -4 -l cli0 -r RATE -R {m.get('dhcp_clients')} -p SECS 10.1.0.1`
  (relayed as a relay sends it: unicast to srv0's address, giaddr 10.1.0.2), and
  `perfdhcp -6` the same but for the address (to ff02::1:2 from cli0's link-local one). A probe search picks the rate:
  {m.get('dhcp_probe_secs')} s probes from -r 100, halving until one passes (<= 2.5 %
  drops) or doubling until one fails, then two bisection steps, one probe a rate. The
  chosen -r is the one of the passing probe that achieved the most. It is
  then measured {n} times for {m.get('dhcp_secs')} s each, every trial counted: the figure
  is the median of perfdhcp's achieved `Rate:`, and the drops its median. When that
  median drops more than 2.5 % (a short probe passed a rate the server does not
  sustain), -r goes down by a quarter and is measured {n} times again, twice at the
  most; those trials are listed with the probes. Drops = DORA
  (SARR) exchanges begun that did not end in an ACK (Reply). "In flight at the end" =
  achieved rate x (average DISCOVER-OFFER + REQUEST-ACK delay) / exchanges begun
  (Little's law from perfdhcp's counts and delays): what perfdhcp, stopping at `-p`,
  counts as dropped though still on its way; it must stay under 0.5 %. Latency: {n}
  trials of {m.get('latency_secs')} s at -r {m.get('latency_rate')}, the median of perfdhcp's average and maximum
  DISCOVER-OFFER (SOLICIT-ADVERTISE) delay. Each rate trial starts, after a settling half second,
  from the same state: pxe's leases flushed, dnsmasq and Kea restarted (the latency
  trials only before the first of them: they take a few hundred leases). The 90 % full
  pool row runs at the empty pool's chosen -r, the pool refilled before each trial.
  Server CPU per exchange = the server's CPU over a rate trial (a peer's cgroup; pxe's:
  the VM's softirq time, perfdhcp's receive path included) / the exchanges completed:
  what the server spends, whatever bounded the rate (perfdhcp's own CPU is not in it).
- **Drop reasons**: around every measured trial, the UDP counters `nstat -az` shows
  (UdpRcvbufErrors, UdpInErrors, UdpNoPorts, Udp6..., read from the server namespace's
  `/proc/net/snmp` and `snmp6`, where nstat reads them) and the drops column of
  `/proc/net/udp` and `udp6` (the sockets open at the time) in that namespace, and the warning/error lines the server logged (every peer's
  stdout and stderr go to `logs/NAME.log` in the run directory, kept). perfdhcp's own
  socket overflows are `RcvbufErrors` of the client namespace.
- **TFTP one client**: `selftests/bench/tftp_load` (C, epoll; asks tsize and, when not
  the RFC defaults, blksize and windowsize; every block compared byte for byte with the
  served file at its offset, a mismatch fails the run; `-c FILE`), {m.get('tftp_mb')} MiB random file, each transfer capped at
  {m.get('tftp_cap')} s (a capped transfer's rate is over the bytes that arrived). Runs
  {' and '.join('pinned' if p else 'unpinned' for p in pins)} (pinned: {pinned_cases}): pinned
  = the client and the server process (threads and children) on vCPU 0, unpinned = both
  vCPUs for both.
  Under TCG a wakeup crossing to the other vCPU waits for the host to schedule that
  vCPU's thread, which a lock-step transfer pays twice per block; the goals are judged
  on the unpinned runs. Real clients (unpinned, SHA-256 checked too):
  {', '.join(m.get('real_clients', [])) or 'none'}.
- **TFTP many clients**: {m.get('many_procs')} tftp_load processes (one per vCPU) run
  {m.get('many_clients')} downloads of a {m.get('many_mb')} MiB file at once, each from its
  own socket, lock-step blksize 1468; {n} trials capped at {m.get('many_cap')} s.
  Aggregate = all bytes / wall time.
- **Boot storm**: `tftp_load --storm -b 1432`, {m.get('many_procs')} processes sharing
  {m.get('storm_clients')} clients (one process was the limit): every client
  does DHCP on a socket bound to 0.0.0.0:68 with the broadcast flag (options 60
  `PXEClient:Arch:00000:UNDI:002001`, 93 arch 0, 97 UUID), takes the boot file from the
  ACK and the TFTP server from siaddr, sends an RRQ with tsize=0 blksize=1432, answers
  the OACK with ERROR 8, then downloads lock-step with blksize 1432 and compares the
  bytes with the file. Figure: seconds until the last client is done. Boot file
  {m.get('storm_mb')} MiB. A peer's trial stops at 3x pxe's median rounded up to a second
  (the goal's threshold; pxe's own trials at {m.get('storm_cap')} s), and a peer whose
  trials stopped there in a majority of {n} is known to have a median over it: its
  remaining trials are not run. Servers: pxe (pool of
  241 addresses, `boot add arch bios file storm.bin`); dnsmasq (DHCP and TFTP in one);
  Kea (raw sockets: the clients are directly connected and broadcast) with tftpd-hpa.
  pxe's leases are flushed, the peers restarted, before every trial.
- **Server CPU**: a peer runs in a cgroup v2 of its own (`bench-NAME`, created before any
  load), and its CPU is `usage_usec` of the cgroup's `cpu.stat` over the trial: its
  threads and every child it forked (tftpd-hpa forks per transfer), live or exited.
  pxe has no process: its CPU is the softirq time of the whole VM from `/proc/stat`
  (where the module runs). The guest kernel has no IRQ_TIME_ACCOUNTING: softirq work
  done while a daemon's task is interrupted is charged to that task too, so a peer's
  figure includes the softirq work it causes, like pxe's does. "VM busy" = all CPU time
  but idle and iowait of the VM, client included.
- **The link**: iperf3 UDP, 1468-byte payloads, `-b` doubling from 50 Mbit/s then
  bisecting; the limit is the received rate of the fastest trial with < 1 % loss.
- **image load**: `pxectl image load` of a {m.get('image_mb')} MiB random file against
  `cat FILE > /dev/null` of the same file from the page cache, and `sha256sum` of it
  (the hash alone), each {m.get('trials', 5)} times.
- MB = 10^6 bytes; image sizes are MiB. TCG figures are about 100x below bare metal:
  only the ratios within one run mean anything.
""", "**The servers exactly as they ran** (command lines; Kea's configuration files are "
        "in the run directory's `logs/`):", ""]
    seen = set()
    for c in run.all("config"):
        if "cmd" in c:
            if c["server"].startswith("kea"):
                continue  # kea-dhcpN -c FILE: its configuration is the next line
            line = " ".join(c["cmd"]).replace("/tmp/bench/tftp", "ROOT")
            key = (c["server"], line)
            if key not in seen:
                seen.add(key)
                out.append(f"- {c['server']}: `{line}`")
        else:
            top = next(iter(c["conf"].values()))
            keys = ("interfaces-config", "multi-threading", "lease-database")
            out.append(f"- {c['server']}: `" +
                       json.dumps({k: top[k] for k in keys if k in top}) +
                       "` (" + ", ".join(f"subnet {s.get('subnet')}"
                                         + (f" boot-file-name {s['boot-file-name']}"
                                            if "boot-file-name" in s else "")
                                         for s in top.get("subnet4", top.get("subnet6", [])))
                       + "; loggers at WARN, the start message at INFO)")
    out += ["- pxe: `pxectl link add dev srv0`; DHCP `pool add lan dev srv0 range 10.1.0.10 "
            "10.1.255.250 netmask 255.255.0.0 lease 3600` (DHCPv6 `range6 fd00:1::1:0 "
            "fd00:1::1:ffff`); TFTP `settings set image-memory 512M tftp-sessions 4096 "
            "tftp-per-client 4096` and `image load`.",
            "- Kea runs multi-threaded, a thread per vCPU, with a packet queue of 64 per "
            "thread (Kea's default packet-queue-size is 64). ISC's example of a memfile "
            "server sets 28 for 4 threads; 7 per thread overflowed at once under TCG "
            "(kea-dhcp4 reached 87 DORA/s with 14, 290 with 128, in the same VM). "
            "perfdhcp's DHCPv4 traffic is unicast to the server, so kea-dhcp4 uses UDP "
            "sockets; the boot storm's clients broadcast, so there it uses raw ones.",
            "- atftpd 0.8.0 supports windowsize (RFC 7440) and grants it unless started "
            "with `--no-windowsize`; tftpd-hpa and dnsmasq have no windowsize: their windowed "
            "rows are what a windowed client gets from them (lock-step). tftpd-hpa's `-B "
            "1468` lets blocks grow to what the 1500-byte link carries.", ""]
    return "\n".join(out)


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
    out += ["", "Goals (issues 7 and 16): DHCP DORA/s at <= 2.5 % drops >= 10x the best peer; "
            "TFTP lock-step MB/s >= 2x, windowed >= 3x the best peer (unpinned); 64 clients: "
            "aggregate >= 3x the best peer at <= 1/3 of its CPU per GB; windowed TFTP >= 50 % "
            "of the iperf3 UDP limit on the same link; `image load` >= 25 % of `cat`; a boot "
            "storm of 64 clients done >= 3x sooner than the best peer.", ""]
    for run in runs:
        m = run.meta
        out += [f"## Linux {m.get('kernel')}: VM of {m.get('cpus')} vCPUs (qemu TCG), "
                f"{m.get('mem_mib')} MiB", ""]
        v = m.get("versions", {})
        out += ["Peers: " + "; ".join(f"{k}: {val}" for k, val in v.items() if val), ""]
        if run.end:
            out += [f"Measured in {run.end['seconds'] / 60:.1f} min inside the VM.", ""]
        mit = m.get("mitigations") or {}
        if mit:
            out += ["Guest CPU mitigations in force (they make every syscall and context "
                    "switch dearer, and under TCG dearer still: this weighs on the daemons, "
                    "not on the module's softirq path): " +
                    "; ".join(f"{k}: {v}" for k, v in mit.items()), ""]
        out += [section_goals(run), "", section_raw(run)]
    if runs:
        out.append(method(runs[-1]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
