// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the Neighbor Discovery codec (kmod/ndp_msg.c): which
 * Router Solicitations a router must take (RFC 4861 6.1.1) and the bytes
 * of the Router Advertisement it answers with.
 */
#include "ndp_msg.c"

#include "kselftest_harness.h"

#define U16(x)		(((x) >> 8) & 0xff), ((x) & 0xff)
#define U32(x)		U16((x) >> 16), U16((x) & 0xffff)
#define MAC		0x52, 0x54, 0x00, 0x12, 0x34, 0x56
/* fd00:1::/64 */
#define PREFIX_FD00_1	0xfd, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static const u8 mac[6] = { MAC };

TEST(bare_rs_is_taken)
{
	static const u8 rs[] = { 133, 0, 0xab, 0xcd, 0, 0, 0, 0 };
	struct ndp_rs got;

	EXPECT_EQ(0, ndp_parse_rs(rs, sizeof(rs), false, &got));
	EXPECT_FALSE(got.has_slla);
	/* From :: too: no link-layer address to object to. */
	EXPECT_EQ(0, ndp_parse_rs(rs, sizeof(rs), true, &got));
}

TEST(rs_gives_its_ethernet_source)
{
	/* An unknown option first (type 99, one unit), then the SLLA. */
	static const u8 rs[] = { 133, 0, 0, 0, 0, 0, 0, 0,
				 99, 1, 0, 0, 0, 0, 0, 0,
				 1, 1, MAC };
	struct ndp_rs got;

	ASSERT_EQ(0, ndp_parse_rs(rs, sizeof(rs), false, &got));
	EXPECT_TRUE(got.has_slla);
	EXPECT_EQ(0, memcmp(got.slla, mac, 6));
}

TEST(rs_slla_not_of_ethernet_length_is_passed_over)
{
	static const u8 rs[] = { 133, 0, 0, 0, 0, 0, 0, 0,
				 1, 2, MAC, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ndp_rs got;

	ASSERT_EQ(0, ndp_parse_rs(rs, sizeof(rs), false, &got));
	EXPECT_FALSE(got.has_slla);
}

TEST(rs_the_first_slla_counts)
{
	static const u8 rs[] = { 133, 0, 0, 0, 0, 0, 0, 0,
				 1, 1, MAC,
				 1, 1, 0x02, 0, 0, 0, 0, 0x99 };
	struct ndp_rs got;

	ASSERT_EQ(0, ndp_parse_rs(rs, sizeof(rs), false, &got));
	EXPECT_EQ(0, memcmp(got.slla, mac, 6));
}

TEST(rs_refusals)
{
	static const u8 short_rs[] = { 133, 0, 0, 0, 0, 0, 0 };
	static const u8 ra[] = { 134, 0, 0, 0, 0, 0, 0, 0 };
	static const u8 code1[] = { 133, 1, 0, 0, 0, 0, 0, 0 };
	static const u8 zero_len[] = { 133, 0, 0, 0, 0, 0, 0, 0,
				       99, 0, 0, 0, 0, 0, 0, 0 };
	static const u8 past_end[] = { 133, 0, 0, 0, 0, 0, 0, 0,
				       99, 2, 0, 0, 0, 0, 0, 0 };
	static const u8 one_byte_left[] = { 133, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const u8 slla[] = { 133, 0, 0, 0, 0, 0, 0, 0, 1, 1, MAC };
	struct ndp_rs got;

	EXPECT_EQ(-NDP_ERR_TRUNCATED, ndp_parse_rs(short_rs, sizeof(short_rs), false, &got));
	EXPECT_EQ(-NDP_ERR_TRUNCATED, ndp_parse_rs(short_rs, 0, false, &got));
	EXPECT_EQ(-NDP_ERR_BAD_TYPE, ndp_parse_rs(ra, sizeof(ra), false, &got));
	EXPECT_EQ(-NDP_ERR_BAD_CODE, ndp_parse_rs(code1, sizeof(code1), false, &got));
	EXPECT_EQ(-NDP_ERR_BAD_OPTION, ndp_parse_rs(zero_len, sizeof(zero_len), false, &got));
	EXPECT_EQ(-NDP_ERR_BAD_OPTION, ndp_parse_rs(past_end, sizeof(past_end), false, &got));
	EXPECT_EQ(-NDP_ERR_BAD_OPTION,
		  ndp_parse_rs(one_byte_left, sizeof(one_byte_left), false, &got));
	EXPECT_EQ(-NDP_ERR_SLLA_UNSPECIFIED, ndp_parse_rs(slla, sizeof(slla), true, &got));
	EXPECT_FALSE(got.has_slla);
}

/*
 * The RA a boot segment gets: M and O, not a default router, the MAC, MTU
 * 1500, fd00:1::/64 on-link and not autonomous, valid 1 day, preferred
 * 4 hours.  Written by hand from RFC 4861 4.2 and 4.6; checked by decoding
 * these bytes with scapy 2.5 (python3-scapy): ICMPv6ND_RA(b).show() gives
 * M=1 O=1 routerlifetime 0, ICMPv6NDOptSrcLLAddr 52:54:00:12:34:56,
 * ICMPv6NDOptMTU 1500, ICMPv6NDOptPrefixInfo fd00:1:: prefixlen 64 L=1
 * A=0 validlifetime 86400 preferredlifetime 14400, nothing left over.
 */
static const u8 expected_ra[] = {
	134, 0, 0, 0,			/* type, code, checksum (the caller's) */
	64, 0xc0, U16(0),		/* hop limit, M and O, router lifetime */
	U32(0), U32(0),			/* reachable, retrans */
	1, 1, MAC,			/* SLLA */
	5, 1, 0, 0, U32(1500),		/* MTU */
	3, 4, 64, 0x80, U32(86400), U32(14400), U32(0),
	PREFIX_FD00_1,
};

static void boot_ra(struct ndp_ra *ra)
{
	static const u8 prefix[16] = { PREFIX_FD00_1 };

	memset(ra, 0, sizeof(*ra));
	ra->cur_hop_limit = 64;
	ra->flags = NDP_RA_MANAGED | NDP_RA_OTHER;
	ra->slla = mac;
	ra->mtu = 1500;
	ra->n_prefix = 1;
	memcpy(ra->prefix[0].prefix, prefix, 16);
	ra->prefix[0].len = 64;
	ra->prefix[0].flags = NDP_PREFIX_ONLINK;
	ra->prefix[0].valid = 86400;
	ra->prefix[0].preferred = 14400;
}

TEST(ra_bytes)
{
	struct ndp_ra ra;
	u8 buf[128];

	boot_ra(&ra);
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(sizeof(expected_ra), ndp_build_ra(&ra, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, expected_ra, sizeof(expected_ra)));
	EXPECT_EQ(0xee, buf[sizeof(expected_ra)]);
}

TEST(ra_fits_exactly_or_not_at_all)
{
	struct ndp_ra ra;
	u8 buf[sizeof(expected_ra)];

	boot_ra(&ra);
	EXPECT_EQ(sizeof(buf), ndp_build_ra(&ra, buf, sizeof(buf)));
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(-NDP_ERR_NO_ROOM, ndp_build_ra(&ra, buf, sizeof(buf) - 1));
	EXPECT_EQ(0xee, buf[0]);
	EXPECT_EQ(-NDP_ERR_NO_ROOM, ndp_build_ra(&ra, buf, 0));
}

TEST(ra_without_options_and_with_four_prefixes)
{
	struct ndp_ra ra;
	u8 buf[256];
	int i;

	memset(&ra, 0, sizeof(ra));
	ASSERT_EQ(NDP_RA_LEN, ndp_build_ra(&ra, buf, sizeof(buf)));
	EXPECT_EQ(134, buf[0]);
	EXPECT_EQ(0, buf[5]);

	boot_ra(&ra);
	ra.slla = NULL;
	ra.mtu = 0;
	ra.n_prefix = NDP_RA_PREFIX_MAX;
	for (i = 1; i < NDP_RA_PREFIX_MAX; i++)
		ra.prefix[i] = ra.prefix[0];
	ASSERT_EQ(NDP_RA_LEN + NDP_RA_PREFIX_MAX * 32,
		  ndp_build_ra(&ra, buf, sizeof(buf)));
	for (i = 0; i < NDP_RA_PREFIX_MAX; i++)
		EXPECT_EQ(0, memcmp(buf + NDP_RA_LEN + i * 32,
				    expected_ra + 32, 32));
	ra.n_prefix = NDP_RA_PREFIX_MAX + 1;
	EXPECT_EQ(-NDP_ERR_BAD_OPTION, ndp_build_ra(&ra, buf, sizeof(buf)));
}

TEST(ra_prefix_bits_past_its_length_are_zero)
{
	struct ndp_ra ra;
	u8 buf[64];

	memset(&ra, 0, sizeof(ra));
	ra.n_prefix = 1;
	memset(ra.prefix[0].prefix, 0xff, 16);
	ra.prefix[0].len = 61;
	ra.prefix[0].flags = 0xff;	/* only L and A are written */
	ASSERT_EQ(NDP_RA_LEN + 32, ndp_build_ra(&ra, buf, sizeof(buf)));
	EXPECT_EQ(0xc0, buf[NDP_RA_LEN + 3]);
	EXPECT_EQ(0xff, buf[NDP_RA_LEN + 16 + 6]);
	EXPECT_EQ(0xf8, buf[NDP_RA_LEN + 16 + 7]);
	EXPECT_EQ(0, buf[NDP_RA_LEN + 16 + 8]);
	EXPECT_EQ(0, buf[NDP_RA_LEN + 31]);
	ra.prefix[0].len = 129;
	EXPECT_EQ(-NDP_ERR_BAD_OPTION, ndp_build_ra(&ra, buf, sizeof(buf)));
	ra.prefix[0].len = 128;
	ASSERT_EQ(NDP_RA_LEN + 32, ndp_build_ra(&ra, buf, sizeof(buf)));
	EXPECT_EQ(0xff, buf[NDP_RA_LEN + 31]);
}

TEST_HARNESS_MAIN
