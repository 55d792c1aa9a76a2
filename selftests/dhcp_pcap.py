#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a pcap's DHCP packets with tshark's dissectors (pxe selftests).

    dhcp_pcap.py FILE

Runs tshark once, without its Lua plugins (under emulation its start
took 11 s with them, 2.7 s without; nothing here needs one), and prints a
JSON array, one object per DHCP packet: eth.dst, ip.src, ip.dst,
udp.srcport, udp.dstport, dhcp.type (1 request, 2 reply), dhcp.ip.your,
dhcp.ip.server, dhcp.ip.relay, dhcp.file, dhcp.option.dhcp (message type),
and "problems": every malformed mark and expert item of severity warning
or worse tshark found in the packet.
"""
import json
import subprocess
import sys

FIELDS = ("eth.dst", "ip.src", "ip.dst", "udp.srcport", "udp.dstport",
          "dhcp.type", "dhcp.ip.your", "dhcp.ip.server", "dhcp.ip.relay",
          "dhcp.file", "dhcp.option.dhcp")
PI_WARN = 0x00600000


class Pairs(list):
    """A JSON object as its (key, value) pairs: tshark repeats keys."""

    def get(self, key, default=None):
        return next((v for k, v in self if k == key), default)


def walk(node, found, problems):
    if isinstance(node, Pairs):
        for key, value in node:
            if key == "_ws.malformed":
                problems.append("malformed")
            elif key == "_ws.expert" and isinstance(value, Pairs):
                severity = int(value.get("_ws.expert.severity", "0"))
                if severity >= PI_WARN:
                    problems.append(value.get("_ws.expert.message", key))
            if key in FIELDS and key not in found and isinstance(value, str):
                found[key] = value
            walk(value, found, problems)
    elif isinstance(node, list):
        for item in node:
            walk(item, found, problems)


def main():
    out = subprocess.run(["tshark", "-X", "disable_lua", "-n", "-r", sys.argv[1], "-T", "json"],
                         check=True, capture_output=True, text=True).stdout
    packets = []
    for packet in json.loads(out or "[]", object_pairs_hook=Pairs):
        layers = packet.get("_source").get("layers")
        if layers.get("dhcp") is None:
            continue
        found, problems = {}, []
        walk(layers, found, problems)
        found["problems"] = problems
        packets.append(found)
    print(json.dumps(packets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
