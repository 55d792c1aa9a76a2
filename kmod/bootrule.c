// SPDX-License-Identifier: GPL-2.0
/* pxe: boot-file rules -- placeholder until the DHCP issue lands. */
#include "pxe.h"
