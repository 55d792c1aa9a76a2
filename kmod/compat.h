/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the one place that knows kernel versions.  Every difference between
 * the kernels we build against (6.1 and 6.12 LTS) is bridged here, so the
 * rest of the module is written against the newest API only.
 *
 * Known gaps, deliberately not bridged: NL_SET_ERR_MSG_FMT (6.2+) has no
 * safe fallback on 6.1, whose extack only carries static strings, so the
 * module's messages are static.
 */
#ifndef _PXE_COMPAT_H
#define _PXE_COMPAT_H

/*
 * 6.12 moved the unaligned accessors to <linux/unaligned.h>; kmod/Kbuild
 * looks for the header (sparse cannot evaluate __has_include).
 */
#ifdef PXE_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * The monitor group is GENL_MCAST_CAP_NET_ADMIN: genl_bind() refuses a
 * subscriber without CAP_NET_ADMIN over the namespace's user namespace.
 * Upstream since 6.7 ("genetlink: add CAP_NET_ADMIN test for multicast
 * bind"), and in 6.1 stable since its backport: Debian's 6.1.0-57 headers
 * define the flag and its genl_bind() checks it, as 6.12's does.  A 6.1 older than that backport
 * has neither the flag nor a family mcast_bind callback to check it in, so
 * the monitor would be open to every local user: refuse to build there.
 */
#include <net/genetlink.h>
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "no GENL_MCAST_CAP_NET_ADMIN: the monitor group would be open to all users"
#endif

/*
 * The generated policy (netlink-gen.c, by the kernel's ynl-gen-c.py) keeps
 * its range objects const, as 6.12's nla_policy points at them; 6.1's
 * points at a mutable one, and the const object would be a discarded
 * qualifier (an error with -Werror).  Validation only reads the range, so
 * 6.1 gets the same entry with the qualifier cast away.  Kbuild includes
 * this header first in netlink-gen.c.
 */
#ifdef PXE_NLA_RANGE_NOT_CONST
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {			\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),		\
	.validation_type = NLA_VALIDATE_RANGE_PTR,		\
	.range = (struct netlink_range_validation *)(_range),	\
}
#endif

#endif /* _PXE_COMPAT_H */
