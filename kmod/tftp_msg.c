// SPDX-License-Identifier: GPL-2.0
/* pxe: the TFTP codec -- placeholder until the TFTP issue lands. */
#include "codec.h"
