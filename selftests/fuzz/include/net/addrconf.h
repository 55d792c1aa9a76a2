/* SPDX-License-Identifier: GPL-2.0 */
/* The host stand-in: see kshim.h. */
#include "kshim.h"
