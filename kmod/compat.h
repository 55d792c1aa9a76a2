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

#endif /* _PXE_COMPAT_H */
