#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Judges one firmware boot of selftests/boot/run from what both sides saw.

    verify.py CASE MAC WORKDIR
    verify.py --finish CASE     the regex of CASE's finish line (selftests/boot/run
                                stops the client when its serial log matches)

WORKDIR holds the client's serial log (CASE.serial) and what the server
dumped after the boot: CASE.monitor (pxectl -j monitor), CASE.leases.json,
CASE.stats.json, CASE.images.json and, for the proxy case, CASE.dnsmasq.
Prints one "# " line per finding and exits 1 when the boot is not what a
PXE server must give: the client reached its init, holds a lease, fetched
every file of its chain whole, pxelinux's misses got error 1, nothing was
dropped.
"""
import ipaddress
import json
import os
import re
import sys

CHAINS = {
    'bios': ['pxelinux.0', 'ldlinux.c32', 'pxelinux.cfg/default', 'vmlinuz', 'initrd.img'],
    'proxy': ['pxelinux.0', 'ldlinux.c32', 'pxelinux.cfg/default', 'vmlinuz', 'initrd.img'],
    'uefi': ['ipxe.efi', 'boot.ipxe', 'vmlinuz', 'initrd.img'],
    # The same chain over IPv6: EDK2's PXEv6, then iPXE's DHCPv6.
    'uefi6': ['ipxe.efi', 'boot.ipxe', 'vmlinuz', 'initrd.img'],
    # ipxe.efi over HTTP (HTTP_FETCH below), then iPXE's TFTP chain.
    'http': ['boot.ipxe', 'vmlinuz', 'initrd.img'],
    # shim, which asks for grub beside itself; grub, which reads its
    # configuration from its prefix, /grub; the kernel shim verified.
    'secureboot': ['shimx64.efi', 'grubx64.efi', 'grub/grub.cfg', 'vmlinuz', 'initrd.img'],
    # pxelinux from the installer's tree, the menu (vesamenu and what its
    # configuration includes; without a display, no splash.png), then the
    # installer and its answers.
    'installer-bios': ['pxelinux.0', 'ldlinux.c32', 'pxelinux.cfg/default'] +
    ['debian-installer/amd64/boot-screens/' + f for f in (
        'vesamenu.c32', 'libcom32.c32', 'libutil.c32', 'menu.cfg', 'stdmenu.cfg',
        'txt.cfg', 'adtxt.cfg', 'rqtxt.cfg', 'drkmenu.cfg', 'drk.cfg', 'addrk.cfg',
        'rqdrk.cfg')] +
    ['debian-installer/amd64/linux', 'debian-installer/amd64/initrd.gz', 'preseed.cfg'],
    # shim, which loads grub from beside itself; grub's configuration; then
    # the installer, which the Secure Boot chain verified, and its answers.
    'installer-uefi-sb': ['debian-installer/amd64/' + f for f in (
        'bootnetx64.efi', 'grubx64.efi', 'grub/grub.cfg', 'linux', 'initrd.gz')] +
    ['preseed.cfg'],
    # The arm64 tree beside it: its shim, its grub beside it, grub's
    # configuration, the installer.
    'installer-arm64': ['debian-installer/arm64/' + f for f in (
        'bootnetaa64.efi', 'grubaa64.efi', 'grub/grub.cfg', 'linux', 'initrd.gz')],
}
# What the client's serial console shows at the end of a good boot; the
# installer cases end at the mirror step, which needs the internet; the
# arm64 one at its first question.
FINISH = {
    'installer-bios': 'Bad archive mirror',
    'installer-uefi-sb': 'Bad archive mirror',
    'installer-arm64': 'Select a language',
}
# What the firmware fetched over HTTP, as busybox httpd logged it
# (CASE.httpd), and the URL the module's offer gave for it.
HTTP_FETCH = {
    'http': ('/ipxe.efi', 'http://192.168.1.1/ipxe.efi'),
}
# What else the console must show: the kernel's word that the firmware
# booted it with Secure Boot on (shim and grub verified what they loaded).
SERIAL_ALSO = {
    'installer-uefi-sb': ['Secure boot enabled'],
    'secureboot': ['Secure boot enabled'],
}
PXELINUX_CASES = ('bios', 'proxy', 'installer-bios')
POOL = ('lan', '192.168.1.100', '192.168.1.199')
POOL6 = ('lan6', 'fd00:1::100', 'fd00:1::1ff')
IPV6_CASES = ('uefi6',)
DNSMASQ_RANGE = ('192.168.1.50', '192.168.1.80')
BIG_INITRD = 100 << 20
# Drops a correct exchange never causes (not_ours: a REQUEST for another
# server is normal beside dnsmasq).
DHCP_DROPS_ALLOWED = {'proxy': {'dhcp_drop_not_ours'}}
TFTP_DROPS = ['tftp_drop_malformed', 'tftp_drop_limit', 'tftp_drop_nomem', 'tx_errors']

problems = []


def note(msg):
    print('# %s' % msg)


def bad(msg):
    problems.append(msg)
    note('FAIL: ' + msg)


def load_json(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        bad('%s: %s' % (os.path.basename(path), e))
        return default


def load_events(path):
    events = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        events.append(json.loads(line))
                    except ValueError:
                        bad('monitor line is not JSON: %r' % line)
    except OSError as e:
        bad('monitor log: %s' % e)
    return events


def in_range(addr, lo, hi):
    a = ipaddress.ip_address(addr)
    return ipaddress.ip_address(lo) <= a <= ipaddress.ip_address(hi)


def stats_dict(stats):
    if isinstance(stats, list):
        merged = {}
        for row in stats:
            merged.update(row)
        return merged
    return stats


def client_addresses6(mac, leases, events):
    """The IPv6 addresses the client's firmware and iPXE were given (the
    monitor's lease-ack events): each has its own DUID or IAID, so each
    its own lease.  EDK2 releases its own before it starts the program it
    loaded; what is left in the table is bound in POOL6, and there is no
    IPv4 lease at all."""
    mine = [l for l in leases if l.get('mac', '').lower() == mac]
    v6 = [l for l in mine if l.get('ip6')]
    if len(v6) != len(mine):
        bad('IPv4 leases for %s: %s' % (mac, [l for l in mine if not l.get('ip6')]))
    if not v6:
        bad('no IPv6 lease for %s (%s)' % (mac, leases))
        return None
    for lease in v6:
        if lease.get('state') != 'bound' or lease.get('pool') != POOL6[0] or \
                not in_range(lease['ip6'], *POOL6[1:]):
            bad('lease not bound in pool %s %s-%s: %s' % (POOL6 + (lease,)))
        note('lease %s %s in pool %s (iaid %s)' % (lease['ip6'], lease.get('state'),
                                                   lease.get('pool'), lease.get('iaid')))
    acks = [e for e in events if e.get('event') == 'lease-ack' and
            e.get('mac', '').lower() == mac and e.get('addr6')]
    if not acks:
        bad('no lease-ack event with an IPv6 address for %s' % mac)
    for e in events:
        if e.get('event') == 'lease-release' and e.get('mac', '').lower() == mac:
            note('released %s (iaid %s)' % (e.get('addr6') or e.get('addr'), e.get('iaid')))
    return {str(ipaddress.ip_address(e['addr6'])) for e in acks}


def client_address(case, mac, leases, events, work):
    """The address the client booted with, from whoever handed it out (a
    set of them for an IPv6 case)."""
    if case in IPV6_CASES:
        return client_addresses6(mac, leases, events)
    mine = [l for l in leases if l.get('mac', '').lower() == mac]
    if case == 'proxy':
        if mine:
            bad('the proxy pool holds a lease for %s: %s' % (mac, mine))
        try:
            log = open(os.path.join(work, 'proxy.dnsmasq')).read()
        except OSError as e:
            bad('dnsmasq log: %s' % e)
            return None
        acks = re.findall(r'DHCPACK\(br-lan\) (\S+) %s' % re.escape(mac), log)
        if not acks:
            bad('dnsmasq acknowledged no address for %s' % mac)
            return None
        addr = acks[-1]
        if not in_range(addr, *DNSMASQ_RANGE):
            bad('dnsmasq address %s outside its range' % addr)
        note('address %s from dnsmasq' % addr)
        return addr
    if len(mine) != 1:
        bad('leases for %s: %d, want 1 (%s)' % (mac, len(mine), leases))
        return None
    lease = mine[0]
    if lease.get('state') != 'bound' or lease.get('pool') != POOL[0] or \
            not in_range(lease.get('ip', '0.0.0.0'), *POOL[1:]):
        bad('lease not bound in pool %s %s-%s: %s' % (POOL + (lease,)))
    acks = [e for e in events if e.get('event') == 'lease-ack' and
            e.get('mac', '').lower() == mac]
    if not acks:
        bad('no lease-ack event for %s' % mac)
    note('lease %s %s in pool %s' % (lease.get('ip'), lease.get('state'), lease.get('pool')))
    return lease.get('ip')


def check_transfers(case, addr, events, images):
    sizes = {i['name']: i['size'] for i in images}
    done = [e for e in events if e.get('event') == 'tftp-done']
    for name in CHAINS[case]:
        if name not in sizes:
            bad('image %s not loaded' % name)
            continue
        mine = [e for e in done if e.get('file') == name]
        whole = [e for e in mine if e.get('bytes') == sizes[name]]
        if not whole:
            bad('no tftp-done for %s with %d bytes (saw %s)' %
                (name, sizes[name], [e.get('bytes') for e in mine]))
            continue
        e = whole[-1]
        client = e.get('client')
        if isinstance(addr, set):
            try:
                client = str(ipaddress.ip_address(client))
            except ValueError:
                pass
            if client not in addr:
                bad('%s went to %s, the client was given %s' % (name, client, sorted(addr)))
        elif addr and client != addr:
            bad('%s went to %s, the client is %s' % (name, client, addr))
        secs = e.get('duration_ns', 0) / 1e9
        note('tftp %-22s %10d bytes blksize %s windowsize %s %.2fs' %
             (name, e['bytes'], e.get('blksize'), e.get('windowsize'), secs))
    if case == 'uefi':
        if sizes.get('initrd.img', 0) < BIG_INITRD:
            bad('initrd.img is %d bytes, want >= %d' % (sizes.get('initrd.img', 0), BIG_INITRD))
    for e in events:
        if e.get('event') == 'tftp-timeout':
            note('timeout event: %s' % e)
    # A file the client probes for and the server has not: error 1; EDK2
    # ends its tsize probe with error 8.  Nothing else.
    for e in events:
        if e.get('event') != 'tftp-error':
            continue
        if e.get('error') == 1 and e.get('file') not in sizes:
            continue
        if e.get('error') == 8:
            continue
        bad('unexpected TFTP error: %s' % e)


def check_http(case, mac, addr, events, work):
    if case not in HTTP_FETCH:
        return
    path, url = HTTP_FETCH[case]
    offers = [e for e in events if e.get('event') == 'lease-offer' and
              e.get('mac', '').lower() == mac]
    if not offers or offers[0].get('file') != url:
        bad('the first offer to %s does not give %s: %s' % (mac, url, offers[:1]))
    try:
        log = open(os.path.join(work, case + '.httpd'), errors='replace').read()
    except OSError as e:
        bad('httpd log: %s' % e)
        return
    # "ADDR:PORT: url:PATH": the server's own probe at start comes from
    # 192.168.1.1.
    if not addr or not re.search(r'^%s:\d+: url:%s$' % (re.escape(addr), re.escape(path)),
                                 log, re.M):
        bad('busybox httpd never served %s to %s (log: %r)' % (path, addr, log[-300:]))
    else:
        note('http %s served; the offer gave %s' % (path, url))


def check_misses(case, mac, events, stats):
    if case not in PXELINUX_CASES:
        return
    if stats.get('tftp_tx_error_1', 0) <= 0:
        bad('tftp_tx_error_1 is %s: pxelinux\'s misses were not answered' %
            stats.get('tftp_tx_error_1'))
    per_mac = 'pxelinux.cfg/01-' + mac.replace(':', '-')
    miss = [e for e in events if e.get('event') == 'tftp-error' and
            e.get('file') == per_mac]
    if not miss or any(e.get('error') != 1 for e in miss):
        bad('no error-1 answer to %s (events: %s)' % (per_mac, miss))
    note('pxelinux misses answered with error 1: %d' % stats.get('tftp_tx_error_1', 0))


def check_drops(case, stats):
    allowed = DHCP_DROPS_ALLOWED.get(case, set())
    for name, value in sorted(stats.items()):
        if name.startswith(('dhcp_drop_', 'dhcp6_drop_')) and value and \
                name not in allowed:
            bad('%s = %d' % (name, value))
    for name in TFTP_DROPS:
        if stats.get(name):
            bad('%s = %d' % (name, stats[name]))


def check_ra(case, stats):
    """An IPv6 case's Router Advertisements come from the module (`link add
    ... ra`): it sent some, and the client's solicitations reached it
    through a real NIC (the link joined ff02::2)."""
    if case not in IPV6_CASES:
        return
    note('ra_tx %d, rs_rx %d, rs_drop_malformed %d' % (
        stats.get('ra_tx', 0), stats.get('rs_rx', 0), stats.get('rs_drop_malformed', 0)))
    for name in ('ra_tx', 'rs_rx'):
        if not stats.get(name):
            bad('%s = %d' % (name, stats.get(name, 0)))
    if stats.get('rs_drop_malformed'):
        bad('rs_drop_malformed = %d' % stats['rs_drop_malformed'])


def finish(case):
    return FINISH.get(case, 'PXE-BOOT-OK %s' % case)


def main():
    if sys.argv[1] == '--finish':
        print(finish(sys.argv[2]))
        return 0
    case, mac, work = sys.argv[1], sys.argv[2].lower(), sys.argv[3]
    path = lambda suffix: os.path.join(work, case + suffix)
    try:
        serial = open(path('.serial'), errors='replace').read()
    except OSError:
        serial = ''
    if not re.search(finish(case), serial):
        bad('the client never showed its finish line /%s/ (serial log %s)' %
            (finish(case), path('.serial')))
    for text in SERIAL_ALSO.get(case, []):
        if text not in serial:
            bad('the client\'s console never showed "%s"' % text)
        else:
            note('console: %s' % text)
    events = load_events(path('.monitor'))
    leases = load_json(path('.leases.json'), [])
    stats = stats_dict(load_json(path('.stats.json'), {}))
    images = load_json(path('.images.json'), [])
    addr = client_address(case, mac, leases, events, work)
    check_transfers(case, addr, events, images)
    check_http(case, mac, addr, events, work)
    check_misses(case, mac, events, stats)
    check_drops(case, stats)
    check_ra(case, stats)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
