# SPDX-License-Identifier: GPL-2.0
#
# The "pxe" family through the kernel's own YNL library and the spec, for
# the python test helpers (image_nl.py, boot_nl.py, fault_get.py): requests
# are encoded and replies decoded from docs/netlink/pxe.yaml by
# tools/net/ynl/lib of linux-source-6.12, which `scripts/ksrc ynl` extracts
# into .ynl/ on the host (`make -C selftests all` does; the VM sees the tree
# read-only).  Nothing here packs an attribute.
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(TOP, "docs/netlink/pxe.yaml")
YNL = os.path.join(TOP, ".ynl/tools/net/ynl")

if not os.path.isfile(os.path.join(YNL, "lib/ynl.py")):
    sys.exit(f"# {YNL}/lib is missing: run scripts/ksrc ynl "
             "(make -C selftests all does) on the host first")
sys.path.insert(0, YNL)
# The library reads the spec with yaml.safe_load, PyYAML's pure-python
# parser; libyaml's (python3-yaml has it) reads it ten times faster, which
# under emulation is most of a helper's start.
import yaml  # noqa: E402

if getattr(yaml, "CSafeLoader", None):
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)
# What the helpers use of the library; fuzz_netlink.py takes the spec
# reader and the family's id from here too.
from lib import NlError, SpecFamily, YnlFamily  # noqa: E402,F401
from lib.ynl import GenlProtocol  # noqa: E402,F401


class Genl:
    """One generic netlink socket of the pxe family: a portid of its own."""

    def __init__(self):
        # The spec stage validates the spec against the schema; a helper
        # only loads it.  process_unknown: on architectures without
        # efficient unaligned access the module pads 64-bit attributes
        # (nla_put_u64_64bit) with attributes of type "pad" (and "unspec"
        # inside stats), which 6.12's decoder only passes with it.
        self.ynl = YnlFamily(SPEC, schema="", process_unknown=True)

    def close(self):
        self.ynl.sock.close()

    def request(self, op, attrs):
        """Do OP (its name in the spec) with ATTRS (a dict of attribute
        names and values, sent in that order).  Returns (errno, extack
        message, attributes of the reply as a dict)."""
        try:
            reply = self.ynl.do(op, attrs)
        except NlError as e:
            return e.error, (e.nl_msg.extack or {}).get("msg", ""), {}
        return 0, "", reply or {}
