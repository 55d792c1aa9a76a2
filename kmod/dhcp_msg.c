// SPDX-License-Identifier: GPL-2.0
/* pxe: the DHCP codec (dhcp_msg.h) -- placeholder until the DHCP issue lands. */
#include "dhcp_msg.h"
