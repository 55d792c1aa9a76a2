#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A Raspberry Pi's network boot as the pxe selftests need it: DHCP frames
and TFTP requests shaped like the captures in the Raspberry Pi
documentation, made with scapy, and exactly what came back.

  rpi_boot.py dhcp --dev IF
      Each line of standard input is one message to send out of IF:

          NAME SHAPE MAC discover
          NAME SHAPE MAC request ADDR SERVER

      a whole Ethernet frame from MAC to the broadcast address, 0.0.0.0:68
      to 255.255.255.255:67, flags 0 (a Pi asks for unicast replies);
      REQUEST with options 50 ADDR and 54 SERVER.  SHAPE is what the
      client says about itself:

          pi3       the Pi 3B boot ROM: option 55 as in its capture, 93 = 0,
                    94 = 1.2.1, 97 = 0 and sixteen 0x44, 60
                    "PXEClient:Arch:00000:UNDI:002001"
          pi4       the Pi 4 EEPROM: as pi3, 55 with 1 and 3, 97 = 0,
                    "RPi4", the board revision, the MAC's last four bytes
                    and the serial (0x5b154510), least significant first
          serial97  as pi3, 97 = 0 and the serial four times (the Pi 3B+,
                    and Pi 4 EEPROMs before the FourCC): nothing in it says Pi
          arch0     as pi3 without 60 and 97: a PC BIOS's options 55, 93, 94

      The reply (read from an AF_PACKET socket: it goes to MAC and the
      offered address, which IF does not have) is printed as one JSON line:
      name, then as dhcp_send.py prints it (type, yiaddr, siaddr, file,
      options: code -> hex), or {"name": NAME, "none": true} when nothing
      came within --timeout seconds.

  rpi_boot.py tftp SERVER STEP...
      The TFTP side of a Pi's boot, one step after the other, each from a
      fresh port, one line printed per step:

          probe NAME      RRQ NAME octet tsize 0 blksize 1024 (the Pi 4's
                          request); prints "probe NAME: ANSWER".  When a
                          session answered (OACK or DATA), aborts it as the
                          Pi does, ERROR 0 "Early terminate", then sends
                          ACK 0 to the session's port and prints "after
                          abort: ANSWER" ("refused": ICMP port unreachable,
                          the session is gone)
          get NAME OUT    RRQ NAME octet tsize 0 blksize 1024, ACK 0 of the
                          OACK and every DATA until the short block; OUT
                          gets the bytes; prints "get NAME: OACK ... blocks
                          N bytes N"
          get512 NAME OUT RRQ NAME octet without options (the Pi 3B boot
                          ROM's request for bootcode.bin), lock-step 512
                          bytes; prints "get512 NAME: blocks N bytes N"

      ANSWER is "ERROR code message", "OACK k=v ...", "DATA block len" or
      "none".  Exit 1 when a step could not finish.
"""
import argparse
import json
import select
import shlex
import socket
import sys
import time

from dhcp_send import decode
from tftp_client import DATA, OACK, describe

ETH_P_ALL = 0x0003
RPI_VENDOR = b"PXEClient:Arch:00000:UNDI:002001"
PI3_PRL = [43, 60, 67, 128, 129, 130, 131, 132, 133, 134, 135, 66]
PI4_PRL = [1, 3, 43, 60, 66, 67, 128, 129, 130, 131, 132, 133, 134, 135]
SERIAL = 0x5b154510
REVISION = 0x00a03111
WAIT = 2.0


def shape_options(shape, mac):
    """The DHCP options of SHAPE, after 53 (and 50, 54), before end."""
    serial = SERIAL.to_bytes(4, "little")
    opts = [("param_req_list", PI4_PRL if shape == "pi4" else PI3_PRL),
            ("pxe_client_architecture", b"\0\0"),
            ("pxe_client_network_interface", b"\x01\x02\x01")]
    if shape == "pi3":
        opts.append(("pxe_client_machine_identifier", b"\0" + b"\x44" * 16))
    elif shape == "pi4":
        opts.append(("pxe_client_machine_identifier",
                     b"\0" + b"RPi4" + REVISION.to_bytes(4, "little")
                     + mac[2:6] + serial))
    elif shape == "serial97":
        opts.append(("pxe_client_machine_identifier", b"\0" + serial * 4))
    elif shape != "arch0":
        raise SystemExit(f"unknown shape {shape}")
    if shape != "arch0":
        opts.append(("vendor_class_id", RPI_VENDOR))
    return opts


def dhcp_frame(words, xid):
    from scapy.layers.dhcp import BOOTP, DHCP
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether

    _, shape, text, kind = words[:4]
    mac = bytes.fromhex(text.replace(":", ""))
    opts = [("message-type", kind)]
    if kind == "request":
        opts += [("requested_addr", words[4]), ("server_id", words[5])]
    opts += shape_options(shape, mac) + ["end"]
    return (Ether(src=text, dst="ff:ff:ff:ff:ff:ff")
            / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67)
            / BOOTP(op=1, xid=xid, flags=0, chaddr=mac + bytes(10))
            / DHCP(options=opts))


def dhcp_reply(sock, xid, deadline):
    from scapy.layers.dhcp import BOOTP
    from scapy.layers.inet import UDP
    from scapy.layers.l2 import Ether

    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return None
        pkt = Ether(sock.recv(65535))
        if UDP in pkt and pkt[UDP].dport == 68 and BOOTP in pkt and \
                pkt[BOOTP].op == 2 and pkt[BOOTP].xid == xid:
            return decode(bytes(pkt[UDP].payload))


def cmd_dhcp(args):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.bind((args.dev, 0))
    xid = 0x26f30339	# the Pi documentation's capture's
    for line in sys.stdin:
        words = shlex.split(line)
        if not words:
            continue
        xid += 1
        sock.send(bytes(dhcp_frame(words, xid)))
        reply = dhcp_reply(sock, xid, time.monotonic() + args.timeout)
        out = {"name": words[0]}
        out.update(reply if reply else {"none": True})
        print(json.dumps(out), flush=True)
    return 0


def rrq(name, options):
    from scapy.layers.tftp import TFTP, TFTP_RRQ, TFTP_Option, TFTP_Options

    pkt = TFTP() / TFTP_RRQ(filename=name.encode(), mode=b"octet")
    if options:
        pkt /= TFTP_Options(options=[TFTP_Option(oname=k, value=v)
                                     for k, v in options])
    return bytes(pkt)


def ack(block):
    from scapy.layers.tftp import TFTP, TFTP_ACK

    return bytes(TFTP() / TFTP_ACK(block=block))


def early_terminate():
    from scapy.layers.tftp import TFTP, TFTP_ERROR

    return bytes(TFTP() / TFTP_ERROR(errorcode=0, errormsg=b"Early terminate"))


def answer(sock):
    if not select.select([sock], [], [], WAIT)[0]:
        return None, None
    try:
        return sock.recvfrom(70000)
    except ConnectionRefusedError:
        return b"", None


def opcode(pkt):
    return int.from_bytes(pkt[:2], "big") if pkt and len(pkt) >= 2 else None


PI4_OPTIONS = [(b"tsize", b"0"), (b"blksize", b"1024")]


def step_probe(server, name):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(rrq(name, PI4_OPTIONS), (server, 69))
    pkt, peer = answer(sock)
    print(f"probe {name}: {describe(pkt) if pkt else 'none'}", flush=True)
    if opcode(pkt) not in (OACK, DATA):
        return True
    sock.connect(peer)	# an ICMP port unreachable now shows
    sock.send(early_terminate())
    time.sleep(0.5)
    sock.send(ack(0))
    pkt, _ = answer(sock)
    text = "refused" if pkt == b"" else describe(pkt) if pkt else "none"
    print(f"after abort: {text}", flush=True)
    return True


def step_get(server, name, out, options, blksize):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(rrq(name, options), (server, 69))
    data, blocks, expect, oack = b"", 0, 1, ""
    while True:
        pkt, peer = answer(sock)
        if not pkt:
            print(f"{'get' if options else 'get512'} {name}: stalled after "
                  f"{blocks} blocks", flush=True)
            return False
        if opcode(pkt) == OACK and not oack:
            oack = describe(pkt)
            for key, value in zip(pkt[2:].split(b"\0")[0::2],
                                  pkt[2:].split(b"\0")[1::2]):
                if key.lower() == b"blksize":
                    blksize = int(value)
            sock.sendto(ack(0), peer)
            continue
        if opcode(pkt) != DATA:
            print(f"{name}: {describe(pkt)}", flush=True)
            return False
        block = int.from_bytes(pkt[2:4], "big")
        if block == expect & 0xffff:
            data += pkt[4:]
            blocks += 1
            expect += 1
        sock.sendto(ack(block), peer)
        if len(pkt) - 4 < blksize:
            break
    with open(out, "wb") as f:
        f.write(data)
    head = f"get {name}: {oack} " if options else f"get512 {name}: "
    print(f"{head}blocks {blocks} bytes {len(data)}", flush=True)
    return True


def cmd_tftp(args):
    steps = list(args.steps)
    ok = True
    while steps and ok:
        what = steps.pop(0)
        if what == "probe":
            ok = step_probe(args.server, steps.pop(0))
        elif what in ("get", "get512"):
            name, out = steps.pop(0), steps.pop(0)
            ok = step_get(args.server, name, out,
                          PI4_OPTIONS if what == "get" else [], 512)
        else:
            raise SystemExit(f"unknown step {what}")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    dhcp = sub.add_parser("dhcp")
    dhcp.add_argument("--dev", required=True)
    dhcp.add_argument("--timeout", type=float, default=3.0)
    tftp = sub.add_parser("tftp")
    tftp.add_argument("server")
    tftp.add_argument("steps", nargs="+")
    args = p.parse_args()
    return {"dhcp": cmd_dhcp, "tftp": cmd_tftp}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
