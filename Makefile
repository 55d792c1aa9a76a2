# SPDX-License-Identifier: GPL-2.0
#
# pxe -- in-kernel PXE boot server.
#
#   make                 kmod/pxe.ko (against KDIR) and ctl/pxectl
#   make modules-all     the module for every target kernel: build/KVER/kmod/pxe.ko
#   make check           install what is missing, build, run every test
#   make debug-kernel    build (once, cached) the KASAN/lockdep/kmemleak kernel
#   make demo            a VM network-boots a second VM from the module
#   make bench           pxe against dnsmasq, Kea, tftpd-hpa, atftpd: docs/BENCHMARKS.md
#   make style           checkpatch over our sources
#   make regen           include/uapi/linux/pxe.h and kmod/netlink-gen.[ch]
#                        (the policy and ops table) from docs/netlink/pxe.yaml,
#                        by the kernel's ynl-gen-c.py (docs/netlink/README.md)
#   make fuzz            the codecs' libFuzzer targets, FUZZ_TIME seconds each
#   make fuzz-vm         packet and netlink fuzzing of the module in a VM,
#                        SECONDS=N each (default 60), on KVER (default: the
#                        debug kernel, else 6.1): docs/fuzzing-vm.md
#   make sparse KVER=..  sparse, failing on any warning (or: make C=1)
#   make deb             Debian packages pxe-dkms and pxectl in build/deb/
#                        (docs/packaging.md)

TOP := $(CURDIR)
KERNELS := $(shell $(TOP)/scripts/kernels 2>/dev/null)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
# The running kernel may have no headers (the build hosts run their own);
# fall back to the newest target kernel installed.
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),/lib/modules/$(lastword $(KERNELS))/build)
KVER ?= $(lastword $(KERNELS))

KSRC := $(TOP)/.ksrc
CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
# Sources only: the in-tree build leaves generated kmod/*.mod.c beside them.
KMOD_SRCS := $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)
MOD_SRCS := $(KMOD_SRCS) include/uapi/linux/pxe.h
# The policy and ops table ynl-gen-c.py generates from the spec (make regen):
# built like the rest, but not checkpatch'ed: their layout is the
# generator's (a range's name makes a line of 107 columns), and an edit
# would fail the spec stage's freshness check, so a complaint could only be
# answered in the kernel's generator.  The uapi header, generated too, stays
# checked: it is what userspace compiles, and it passes.
KMOD_GEN := kmod/netlink-gen.c kmod/netlink-gen.h
STYLE_SRCS := $(filter-out $(KMOD_GEN),$(MOD_SRCS))
# W=1 warnings are errors: kmod/Kbuild adds -Werror.
KBUILD_ARGS := W=1

.PHONY: all module ctl modules-all kbuild sparse style deps ksrc regen check fuzz fuzz-vm \
	demo bench install clean debug-kernel deb

all: module ctl

module:
	$(MAKE) -C $(KDIR) M=$(TOP) $(KBUILD_ARGS) modules

ctl:
	@mkdir -p build
	flock build/.lock $(MAKE) -C ctl

# An out-of-tree build directory per kernel: symlinks to the sources, so
# several kernels' objects never mix.
build/%/.tree: $(MOD_SRCS) kmod/Kbuild Kbuild
	@mkdir -p build/$*/kmod
	@ln -sfn $(TOP)/include build/$*/include
	@ln -sf $(TOP)/Kbuild build/$*/Kbuild
	@for f in kmod/Kbuild $(KMOD_SRCS); do ln -sf $(TOP)/$$f build/$*/$$f; done
	@touch $@

# flock: several builds of one tree at once (parallel test runs) take turns.
kbuild: build/$(KVER)/.tree
	flock build/.lock $(MAKE) -C /lib/modules/$(KVER)/build M=$(TOP)/build/$(KVER) $(KBUILD_ARGS) modules

modules-all:
	@for k in $(KERNELS); do $(MAKE) --no-print-directory kbuild KVER=$$k || exit 1; done

sparse: build/$(KVER)/.tree
	@out=$$($(MAKE) -C /lib/modules/$(KVER)/build M=$(TOP)/build/$(KVER) \
		$(KBUILD_ARGS) C=2 modules 2>&1) ; rc=$$?; echo "$$out"; \
	if [ $$rc -ne 0 ] || echo "$$out" | grep -E -q '(warning|error):'; then \
		echo "sparse: not clean on $(KVER)" >&2; exit 1; fi

deps:
	@$(TOP)/scripts/install-deps

ksrc: deps
	@$(TOP)/scripts/ksrc

style: ksrc
	$(CHECKPATCH) --no-tree --strict --quiet --terse -f $(STYLE_SRCS)

# The uapi header and the module's policy and ops table are generated from
# the YNL spec and committed, like upstream's; `selftests/check spec` fails
# when they and the spec part.
regen: deps
	@$(TOP)/scripts/ynl regen

check:
	@$(TOP)/scripts/install-deps
	@$(TOP)/scripts/ksrc
	@$(TOP)/selftests/check

# Prints image=, kdir= and release=; then `make kbuild KVER=<release>` and
# `selftests/vm-run -k <release>` work as with Debian's kernels.
debug-kernel: deps
	@$(TOP)/scripts/debug-kernel

fuzz: deps
	$(MAKE) -C selftests/fuzz run

# KVER only when given (the default above is for the builds); SECONDS is
# per fuzzer.
FUZZ_VM_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(shell $(TOP)/selftests/fuzz-vm/run --kernel))
fuzz-vm: ctl
	@$(TOP)/scripts/ksrc -q >/dev/null
	@$(TOP)/scripts/ksrc -q ynl >/dev/null
	$(MAKE) --no-print-directory kbuild KVER=$(FUZZ_VM_KVER)
	FUZZ_SECONDS=$(or $(SECONDS),60) $(TOP)/selftests/fuzz-vm/run -k $(FUZZ_VM_KVER)

demo: deps
	@$(TOP)/scripts/demo

bench:
	@$(TOP)/scripts/install-deps bench
	@$(TOP)/scripts/bench

# Built in a copy of the tree (build/deb/src): the checkout stays clean.
deb:
	@$(TOP)/scripts/deb

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	$(MAKE) -C ctl install

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	-$(MAKE) -C ctl clean
	rm -rf build .check
