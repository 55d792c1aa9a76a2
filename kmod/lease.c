// SPDX-License-Identifier: GPL-2.0
/* pxe: pools, reservations and leases -- placeholder until the DHCP issue lands. */
#include "pxe.h"
