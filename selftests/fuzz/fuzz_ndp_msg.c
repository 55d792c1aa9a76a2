// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the Neighbor Discovery codec: parse anything as a
 * Router Solicitation, from a source address and from ::, and check what
 * a taken one says against its bytes; build a Router Advertisement from
 * fields the input picks into buffers of every size up to its length and
 * check that it is written whole or not at all, never past its buffer,
 * and that each prefix has no bit set past its length.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "ndp_msg.c"

static void check_rs(const u8 *data, size_t len)
{
	struct ndp_rs rs, rs0;
	int err, err0;

	err = ndp_parse_rs(data, len, false, &rs);
	err0 = ndp_parse_rs(data, len, true, &rs0);
	FUZZ_ASSERT(err <= 0 && err > -NDP_ERR_NO_ROOM);
	FUZZ_ASSERT(err0 <= 0 && err0 > -NDP_ERR_NO_ROOM);
	if (err) {
		/* Refused from a source, refused from :: as well (maybe
		 * for a link-layer address found before the broken option).
		 */
		FUZZ_ASSERT(err0 == err || err0 == -NDP_ERR_SLLA_UNSPECIFIED);
		return;
	}
	FUZZ_ASSERT(len >= NDP_RS_LEN && data[0] == NDP_ROUTER_SOLICIT);
	/* From ::, the same unless it carries a link-layer address. */
	FUZZ_ASSERT(err0 == 0 || err0 == -NDP_ERR_SLLA_UNSPECIFIED);
	FUZZ_ASSERT(!rs0.has_slla);
	if (rs.has_slla)
		FUZZ_ASSERT(memmem(data + NDP_RS_LEN, len - NDP_RS_LEN,
				   rs.slla, sizeof(rs.slla)));
}

static u32 take32(const u8 **p, size_t *left)
{
	u32 v = 0;

	if (*left >= 4) {
		v = get_unaligned_be32(*p);
		*p += 4;
		*left -= 4;
	}
	return v;
}

static void check_ra(const u8 *data, size_t len)
{
	const u8 *p = data;
	size_t left = len, size;
	struct ndp_ra ra = { 0 };
	unsigned int i, b;
	int full, n;
	u8 *buf;

	ra.cur_hop_limit = take32(&p, &left);
	ra.flags = take32(&p, &left);
	ra.router_lifetime = take32(&p, &left);
	ra.mtu = take32(&p, &left) & 1 ? 1500 : 0;
	ra.slla = left >= 6 ? p : NULL;
	ra.n_prefix = take32(&p, &left) % (NDP_RA_PREFIX_MAX + 2);
	for (i = 0; i < ra.n_prefix && i < NDP_RA_PREFIX_MAX; i++) {
		ra.prefix[i].len = take32(&p, &left) % 132;
		ra.prefix[i].flags = take32(&p, &left);
		if (left >= 16) {
			memcpy(ra.prefix[i].prefix, p, 16);
			p += 16;
			left -= 16;
		}
	}
	buf = malloc(512);
	full = ndp_build_ra(&ra, buf, 512);
	if (full < 0) {
		bool bad_prefix = ra.n_prefix > NDP_RA_PREFIX_MAX;

		for (i = 0; i < ra.n_prefix && i < NDP_RA_PREFIX_MAX; i++)
			bad_prefix |= ra.prefix[i].len > 128;
		FUZZ_ASSERT(full == -NDP_ERR_BAD_OPTION && bad_prefix);
		free(buf);
		return;
	}
	FUZZ_ASSERT(full == NDP_RA_LEN + (ra.slla ? 8 : 0) + (ra.mtu ? 8 : 0) +
			    32 * ra.n_prefix);
	FUZZ_ASSERT(buf[0] == NDP_ROUTER_ADVERT && !(buf[5] & 0x3f));
	for (i = 0; i < ra.n_prefix; i++) {
		const u8 *opt = buf + full - 32 * (ra.n_prefix - i);

		FUZZ_ASSERT(opt[0] == NDP_OPT_PREFIX && opt[1] == 4 &&
			    opt[2] == ra.prefix[i].len && !(opt[3] & 0x3f));
		for (b = ra.prefix[i].len; b < 128; b++)
			FUZZ_ASSERT(!(opt[16 + b / 8] & (0x80 >> (b % 8))));
	}
	/* Exactly the buffers it fits; each shorter one: refused, untouched. */
	for (size = 0; size <= (size_t)full; size++) {
		u8 *exact = malloc(size ? size : 1);

		memset(exact, 0xee, size);
		n = ndp_build_ra(&ra, exact, size);
		if (size == (size_t)full) {
			FUZZ_ASSERT(n == full && !memcmp(exact, buf, size));
		} else {
			FUZZ_ASSERT(n == -NDP_ERR_NO_ROOM);
			for (b = 0; b < size; b++)
				FUZZ_ASSERT(exact[b] == 0xee);
		}
		free(exact);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	check_rs(data, len);
	check_ra(data, len);
	return 0;
}
