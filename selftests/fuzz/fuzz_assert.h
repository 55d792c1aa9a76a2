/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The codec fuzz targets' check: a broken invariant names itself and
 * aborts, which libFuzzer reports as a crash with the input saved.
 */
#ifndef _PXE_FUZZ_ASSERT_H
#define _PXE_FUZZ_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
		abort();						\
	}								\
} while (0)

#endif /* _PXE_FUZZ_ASSERT_H */
