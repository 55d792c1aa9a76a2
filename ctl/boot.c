// SPDX-License-Identifier: GPL-2.0
/* "pxectl boot": placeholder, filled in by its issue. */
#include "pxectl.h"

int boot_main(int argc, char *argv[])
{
	pxe_error("boot", "not implemented yet");
	return 1;
}
