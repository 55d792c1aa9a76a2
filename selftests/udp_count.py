#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Local UDP services and their traffic, for the pxe selftests.

  udp_count.py serve --bind ADDR:PORT[,ADDR:PORT...] --ready FILE --release FILE
      Bind one UDP socket per ADDR:PORT, create FILE --ready, count the
      datagrams each receives until --release exists, then print one line
      "ADDR:PORT COUNT" per socket, in the order given.

  udp_count.py send HOST PORT[,PORT...] --count N
      Send N datagrams to each HOST:PORT from one socket (a fresh port),
      one port after the other; print "sent TOTAL".
"""
import argparse
import os
import select
import socket
import sys
import time


def cmd_serve(args):
    socks = {}
    order = []
    for item in args.bind.split(","):
        addr, port = item.rsplit(":", 1)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((addr, int(port)))
        sock.setblocking(False)
        socks[sock.fileno()] = [sock, item, 0]
        order.append(sock.fileno())
    poller = select.epoll()
    for fd in socks:
        poller.register(fd, select.EPOLLIN)
    with open(args.ready + ".tmp", "w") as f:
        f.write("%d\n" % len(socks))
    os.rename(args.ready + ".tmp", args.ready)

    def drain(timeout):
        for fd, _ in poller.poll(timeout):
            entry = socks[fd]
            try:
                while True:
                    entry[0].recvfrom(70000)
                    entry[2] += 1
            except BlockingIOError:
                pass

    while not os.path.exists(args.release):
        drain(0.2)
    drain(0.5)
    for fd in order:
        print("%s %d" % (socks[fd][1], socks[fd][2]))
    return 0


def cmd_send(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", 0))
    total = 0
    for port in args.ports.split(","):
        for i in range(args.count):
            sock.sendto(b"datagram %d to %s" % (i, port.encode()), (args.host, int(port)))
            total += 1
            # Paced: the receiver is a Python loop in an emulated VM.
            time.sleep(0.001)
    print("sent %d" % total)
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--bind", required=True)
    serve.add_argument("--ready", required=True)
    serve.add_argument("--release", required=True)
    send = sub.add_parser("send")
    send.add_argument("host")
    send.add_argument("ports")
    send.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    return {"serve": cmd_serve, "send": cmd_send}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
