// SPDX-License-Identifier: GPL-2.0
/* "pxectl image": placeholder, filled in by its issue. */
#include "pxectl.h"

int image_main(int argc, char *argv[])
{
	pxe_error("image", "not implemented yet");
	return 1;
}
