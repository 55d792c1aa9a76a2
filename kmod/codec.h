/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the shim under the pure codecs (dhcp_msg.c, tftp_msg.c).
 *
 * The codecs read and write byte buffers and nothing else; this header is
 * all they see of their surroundings, so the same source compiles in the
 * module and on the host (unit tests, libFuzzer).
 */
#ifndef _PXE_CODEC_H
#define _PXE_CODEC_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "compat.h"
#else
/* The host's stand-ins: selftests/unit/include/codec_user.h. */
#include "codec_user.h"
#endif /* __KERNEL__ */

#endif /* _PXE_CODEC_H */
