// SPDX-License-Identifier: GPL-2.0
/* "pxectl lease": placeholder, filled in by its issue. */
#include "pxectl.h"

int lease_main(int argc, char *argv[])
{
	pxe_error("lease", "not implemented yet");
	return 1;
}
