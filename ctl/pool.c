// SPDX-License-Identifier: GPL-2.0
/* "pxectl pool": placeholder, filled in by its issue. */
#include "pxectl.h"

int pool_main(int argc, char *argv[])
{
	pxe_error("pool", "not implemented yet");
	return 1;
}
