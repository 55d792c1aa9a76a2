// SPDX-License-Identifier: GPL-2.0
/* "pxectl host": placeholder, filled in by its issue. */
#include "pxectl.h"

int host_main(int argc, char *argv[])
{
	pxe_error("host", "not implemented yet");
	return 1;
}
