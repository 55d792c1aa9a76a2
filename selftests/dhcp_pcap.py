#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a pcap's DHCP packets with tshark's dissectors (pxe selftests).

    dhcp_pcap.py [--ipv6] FILE

Runs tshark once, without its Lua plugins (under emulation its start
took 11 s with them, 2.7 s without; nothing here needs one), and prints a
JSON array, one object per DHCP packet: eth.dst, ip.src, ip.dst,
udp.srcport, udp.dstport, dhcp.type (1 request, 2 reply), dhcp.ip.your,
dhcp.ip.server, dhcp.ip.relay, dhcp.file, dhcp.option.dhcp (message type),
and "problems": every malformed mark and expert item of severity warning
or worse tshark found in the packet.

With --ipv6 (a capture of dhcp_capture.py --ipv6), one object per IPv6
packet of the file, whatever tshark made of it, holding for each of
V6_FIELDS it has the list of its values in the order tshark gives them
(a Relay-Repl has two dhcpv6.msgtype, 13 and the relayed message's; a
reply many dhcpv6.option.type), "problems" as above, "notes" (the
expert items below warning, when there are any), and "gaps": where
tshark's DHCPv6 options do not take up the bytes they stand in.  (Its
DHCPv6 dissector stops without a mark at an option longer than what is
left; so gaps counts, for each message, the relayed one too, and each
IA_NA and IA Address, the header and every option's 4 + length bytes.)
"""
import json
import subprocess
import sys

FIELDS = ("eth.dst", "ip.src", "ip.dst", "udp.srcport", "udp.dstport",
          "dhcp.type", "dhcp.ip.your", "dhcp.ip.server", "dhcp.ip.relay",
          "dhcp.file", "dhcp.option.dhcp")
V6_FIELDS = ("frame.number", "eth.src", "eth.dst", "ipv6.src", "ipv6.dst",
             "udp.srcport", "udp.dstport", "icmpv6.type", "dhcpv6.msgtype",
             "dhcpv6.xid", "dhcpv6.status_code", "dhcpv6.option.type",
             "dhcpv6.iaaddr.ip", "tftp.opcode", "tftp.block",
             "tftp.option.name", "tftp.option.value", "tftp.error.code")
PI_WARN = 0x00600000
OPTION = "dhcpv6.option.type_str_tree"
RELAY_MSG, IA_NA, IAADDR = "9", "3", "5"
# The fixed bytes before the options: of a message by type (relay
# messages 34, others 4), of the options that hold options.
RELAY_HEADER = {"12": 34, "13": 34}
OPTION_HEADER = {IA_NA: 12, IAADDR: 24}


class Pairs(list):
    """A JSON object as its (key, value) pairs: tshark repeats keys."""

    def get(self, key, default=None):
        return next((v for k, v in self if k == key), default)


def walk(node, found, problems, every=False):
    """FIELDS' first values into @found (with @every, V6_FIELDS' lists)."""
    if isinstance(node, Pairs):
        for key, value in node:
            if key == "_ws.malformed":
                problems.append("malformed")
            elif key == "_ws.expert" and isinstance(value, Pairs):
                severity = int(value.get("_ws.expert.severity", "0"))
                if severity >= PI_WARN:
                    problems.append(value.get("_ws.expert.message", key))
                elif every:
                    found.setdefault("notes", []).append(
                        value.get("_ws.expert.message", key))
            if every and key in V6_FIELDS and isinstance(value, str):
                found.setdefault(key, []).append(value)
            elif (not every and key in FIELDS and key not in found
                  and isinstance(value, str)):
                found[key] = value
            walk(value, found, problems, every)
    elif isinstance(node, list):
        for item in node:
            walk(item, found, problems, every)


def gaps(node, length, what, out):
    """Appends to @out where @node's options (a message's, or an
    option's holding options) do not take up @length bytes."""
    used = (RELAY_HEADER.get(node.get("dhcpv6.msgtype"), 4)
            if what.startswith("message") else OPTION_HEADER[what[7:]])
    for key, opt in node:
        if key != OPTION or not isinstance(opt, Pairs):
            continue
        code, olen = opt.get("dhcpv6.option.type"), int(opt.get("dhcpv6.option.length", "0"))
        used += 4 + olen
        if code == RELAY_MSG and isinstance(opt.get("dhcpv6"), Pairs):
            gaps(opt.get("dhcpv6"), olen, "message relayed", out)
        elif code in OPTION_HEADER:
            gaps(opt, olen, "option " + code, out)
    if used != length:
        out.append(f"DHCPv6 {what}: {length} bytes, tshark read {used}")


def main():
    v6 = sys.argv[1] == "--ipv6"
    out = subprocess.run(["tshark", "-X", "disable_lua", "-n", "-r", sys.argv[-1], "-T", "json"],
                         check=True, capture_output=True, text=True).stdout
    packets = []
    for packet in json.loads(out or "[]", object_pairs_hook=Pairs):
        layers = packet.get("_source").get("layers")
        if layers.get("ipv6" if v6 else "dhcp") is None:
            continue
        found, problems = {}, []
        walk(layers, found, problems, v6)
        found["problems"] = problems
        if v6:
            found["gaps"] = []
            if layers.get("dhcpv6") is not None and layers.get("udp") is not None:
                gaps(layers.get("dhcpv6"), int(layers.get("udp").get("udp.length")) - 8,
                     "message", found["gaps"])
        packets.append(found)
    print(json.dumps(packets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
