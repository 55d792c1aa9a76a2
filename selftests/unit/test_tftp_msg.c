// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of the TFTP codec, kmod/tftp_msg.c. */
#include "tftp_msg.c"

#include "kselftest_harness.h"

/* A packet from a string literal holding its own NULs (the last one too). */
#define PKT(s)	((const u8 *)(s)), (sizeof(s) - 1)

TEST(rrq_octet_without_options)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1pxelinux.0\0octet\0"), &m));
	EXPECT_EQ(TFTP_RRQ, m.opcode);
	EXPECT_STREQ("pxelinux.0", m.filename);
	EXPECT_EQ(TFTP_MODE_OCTET, m.mode);
	EXPECT_EQ(0, m.opts);
}

TEST(rrq_mode_is_case_insensitive)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0NetASCII\0"), &m));
	EXPECT_EQ(TFTP_MODE_NETASCII, m.mode);
	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0OCTET\0"), &m));
	EXPECT_EQ(TFTP_MODE_OCTET, m.mode);
}

TEST(rrq_mail_and_unknown_modes_are_refused)
{
	struct tftp_msg m;

	EXPECT_EQ(-TFTP_ERR_BAD_MODE, tftp_parse(PKT("\0\1f\0mail\0"), &m));
	EXPECT_EQ(TFTP_RRQ, m.opcode);
	EXPECT_EQ(-TFTP_ERR_BAD_MODE, tftp_parse(PKT("\0\1f\0binary\0"), &m));
	EXPECT_EQ(-TFTP_ERR_BAD_MODE, tftp_parse(PKT("\0\1f\0\0"), &m));
}

TEST(rrq_options_case_insensitive)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1vmlinuz\0octet\0BLKSIZE\0001468\0"
				    "tSize\0000\0Timeout\0003\0"
				    "WindowSize\00016\0"), &m));
	EXPECT_EQ(TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT |
		  TFTP_OPT_WINDOWSIZE, m.opts);
	EXPECT_EQ(1468, m.blksize);
	EXPECT_EQ(0, m.tsize);
	EXPECT_EQ(3, m.timeout);
	EXPECT_EQ(16, m.windowsize);
}

TEST(rrq_unknown_options_are_ignored)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0octet\0multicast\0\0"
				    "rollover\0000\0blksize\000512\0"), &m));
	EXPECT_EQ(TFTP_OPT_BLKSIZE, m.opts);
	EXPECT_EQ(512, m.blksize);
}

TEST(rrq_bad_values_leave_option_out)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0octet\0blksize\0abc\0"
				    "tsize\0\0timeout\0-1\0"
				    "windowsize\00099999999999999999999\0"), &m));
	EXPECT_EQ(0, m.opts);
}

TEST(rrq_largest_u64_value_parses)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0octet\0tsize\00018446744073709551615\0"),
				&m));
	EXPECT_EQ(TFTP_OPT_TSIZE, m.opts);
	EXPECT_EQ(~0ULL, m.tsize);
	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0octet\0tsize\00018446744073709551616\0"),
				&m));
	EXPECT_EQ(0, m.opts);
}

TEST(rrq_first_valid_option_instance_wins)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\1f\0octet\0blksize\0x\0blksize\0001024\0"
				    "blksize\0002048\0"), &m));
	EXPECT_EQ(1024, m.blksize);
}

TEST(rrq_unterminated_strings_are_malformed)
{
	struct tftp_msg m;

	EXPECT_EQ(-TFTP_ERR_UNTERMINATED, tftp_parse(PKT("\0\1file"), &m));
	EXPECT_EQ(-TFTP_ERR_UNTERMINATED, tftp_parse(PKT("\0\1file\0octet"), &m));
	EXPECT_EQ(-TFTP_ERR_UNTERMINATED,
		  tftp_parse(PKT("\0\1f\0octet\0blksize\0"), &m));
	EXPECT_EQ(-TFTP_ERR_UNTERMINATED,
		  tftp_parse(PKT("\0\1f\0octet\0blksize\000512"), &m));
	EXPECT_EQ(-TFTP_ERR_UNTERMINATED, tftp_parse(PKT("\0\1"), &m));
}

TEST(rrq_empty_name_is_malformed)
{
	struct tftp_msg m;

	EXPECT_EQ(-TFTP_ERR_EMPTY_NAME, tftp_parse(PKT("\0\1\0octet\0"), &m));
}

TEST(wrq_parses_like_rrq)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\2up\0octet\0"), &m));
	EXPECT_EQ(TFTP_WRQ, m.opcode);
	EXPECT_STREQ("up", m.filename);
}

TEST(ack_block)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\4\xff\xfe"), &m));
	EXPECT_EQ(TFTP_ACK, m.opcode);
	EXPECT_EQ(65534, m.block);
	EXPECT_EQ(-TFTP_ERR_TRUNCATED, tftp_parse(PKT("\0\4\1"), &m));
}

TEST(error_code_and_message)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\5\0\10User aborted the transfer\0"), &m));
	EXPECT_EQ(TFTP_ERROR, m.opcode);
	EXPECT_EQ(8, m.code);
	EXPECT_EQ(strlen("User aborted the transfer"), m.message_len);
	EXPECT_EQ(0, memcmp("User aborted", m.message, 12));
}

TEST(error_without_nul_is_taken_to_the_end)
{
	struct tftp_msg m;

	ASSERT_EQ(0, tftp_parse(PKT("\0\5\0\1abc"), &m));
	EXPECT_EQ(1, m.code);
	EXPECT_EQ(3, m.message_len);
	ASSERT_EQ(0, tftp_parse(PKT("\0\5\0\0"), &m));
	EXPECT_EQ(0, m.message_len);
	EXPECT_EQ(-TFTP_ERR_TRUNCATED, tftp_parse(PKT("\0\5\0"), &m));
}

TEST(bad_opcodes)
{
	struct tftp_msg m;

	EXPECT_EQ(-TFTP_ERR_BAD_OPCODE, tftp_parse(PKT("\0\0abcd"), &m));
	EXPECT_EQ(-TFTP_ERR_BAD_OPCODE, tftp_parse(PKT("\0\7"), &m));
	EXPECT_EQ(-TFTP_ERR_BAD_OPCODE, tftp_parse(PKT("\1\1f\0octet\0"), &m));
	EXPECT_EQ(-TFTP_ERR_TRUNCATED, tftp_parse(PKT("\0"), &m));
	EXPECT_EQ(-TFTP_ERR_TRUNCATED, tftp_parse(NULL, 0, &m));
}

TEST(oack_only_options_given)
{
	struct tftp_oack o = {
		.opts = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE,
		.blksize = 1468, .tsize = 8388608, .timeout = 9,
	};
	static const char want[] = "\0\6blksize\0001468\0tsize\0008388608\0";
	u8 buf[512];

	ASSERT_EQ(sizeof(want) - 1, tftp_build_oack(&o, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(want, buf, sizeof(want) - 1));
}

TEST(oack_all_options_round_trip)
{
	struct tftp_oack o = {
		.opts = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT |
			TFTP_OPT_WINDOWSIZE,
		.blksize = 65464, .tsize = ~0ULL, .timeout = 255,
		.windowsize = 65535,
	};
	struct tftp_msg m;
	u8 buf[512];
	int n;

	n = tftp_build_oack(&o, buf, sizeof(buf));
	ASSERT_GT(n, 0);
	/* Parse it back as if it were a request's option list. */
	buf[1] = TFTP_RRQ;
	memmove(buf + 2 + 8, buf + 2, n - 2);
	memcpy(buf + 2, "f\0octet\0", 8);
	ASSERT_EQ(0, tftp_parse(buf, n + 8, &m));
	EXPECT_EQ(o.opts, m.opts);
	EXPECT_EQ(65464, m.blksize);
	EXPECT_EQ(~0ULL, m.tsize);
	EXPECT_EQ(255, m.timeout);
	EXPECT_EQ(65535, m.windowsize);
}

TEST(oack_too_small_buffer)
{
	struct tftp_oack o = { .opts = TFTP_OPT_BLKSIZE, .blksize = 1468 };
	u8 buf[13];

	EXPECT_EQ(-1, tftp_build_oack(&o, buf, 13));
	EXPECT_EQ(-1, tftp_build_oack(&o, buf, 1));
	o.opts = 0;
	EXPECT_EQ(2, tftp_build_oack(&o, buf, 2));
}

TEST(error_build)
{
	static const char want[] = "\0\5\0\1File not found\0";
	u8 buf[64];

	ASSERT_EQ(sizeof(want) - 1,
		  tftp_build_error(TFTP_ENOTFOUND, "File not found", buf,
				   sizeof(buf)));
	EXPECT_EQ(0, memcmp(want, buf, sizeof(want) - 1));
}

TEST(error_build_cuts_message_and_keeps_nul)
{
	u8 buf[8];

	ASSERT_EQ(8, tftp_build_error(0, "too many transfers", buf, 8));
	EXPECT_EQ(0, memcmp("\0\5\0\0too\0", buf, 8));
	EXPECT_EQ(5, tftp_build_error(0, "x", buf, 5));
	EXPECT_EQ(0, buf[4]);
	EXPECT_EQ(-1, tftp_build_error(0, "x", buf, 4));
}

TEST(data_header)
{
	u8 buf[4];

	tftp_build_data_hdr(0xabcd, buf);
	EXPECT_EQ(0, memcmp("\0\3\xab\xcd", buf, 4));
}

TEST(netascii_whole)
{
	static const u8 src[] = "a\nb\rc\r\n";
	struct tftp_netascii pos = { 0 };
	u8 out[32];
	size_t n;

	n = tftp_netascii_encode(&pos, src, 7, out, sizeof(out));
	ASSERT_EQ(11, n);
	EXPECT_EQ(0, memcmp("a\r\nb\r\0c\r\0\r\n", out, 11));
	EXPECT_EQ(7, pos.src);
	EXPECT_EQ(TFTP_NA_OWE_NONE, pos.owed);
	EXPECT_EQ(11, tftp_netascii_size(src, 7));
}

/* Blocks of every size from 1 on give the same stream as one big block. */
TEST(netascii_resumes_mid_pair)
{
	static const u8 src[] = "\n\n\r\rx\r\n\n";
	const size_t len = sizeof(src) - 1;
	u8 whole[64], out[64];
	size_t total, bs;

	{
		struct tftp_netascii pos = { 0 };

		total = tftp_netascii_encode(&pos, src, len, whole, sizeof(whole));
	}
	ASSERT_EQ(tftp_netascii_size(src, len), total);
	for (bs = 1; bs <= total; bs++) {
		struct tftp_netascii pos = { 0 }, skip = { 0 };
		size_t n = 0, got;

		do {
			got = tftp_netascii_encode(&pos, src + pos.src,
						   len - pos.src, out + n, bs);
			n += got;
		} while (got == bs);
		ASSERT_EQ(total, n);
		ASSERT_EQ(0, memcmp(whole, out, total));
		/* Skipping lands where encoding does. */
		tftp_netascii_encode(&skip, src, len, NULL, bs);
		pos = (struct tftp_netascii){ 0 };
		tftp_netascii_encode(&pos, src, len, out, bs);
		ASSERT_EQ(pos.src, skip.src);
		ASSERT_EQ(pos.owed, skip.owed);
	}
}

TEST(netascii_owed_byte_comes_without_source)
{
	struct tftp_netascii pos = { .src = 5, .owed = TFTP_NA_OWE_NUL };
	u8 out[2];

	ASSERT_EQ(1, tftp_netascii_encode(&pos, NULL, 0, out, 2));
	EXPECT_EQ(0, out[0]);
	EXPECT_EQ(5, pos.src);
	EXPECT_EQ(0, tftp_netascii_encode(&pos, NULL, 0, out, 2));
}

TEST(path_normalised)
{
	char out[16];

	ASSERT_EQ(10, tftp_normalise_path("/pxelinux.0", out, sizeof(out)));
	EXPECT_STREQ("pxelinux.0", out);
	ASSERT_EQ(10, tftp_normalise_path("\\boot\\x.efi", out, sizeof(out)));
	EXPECT_STREQ("boot/x.efi", out);
	ASSERT_EQ(1, tftp_normalise_path("//\\a", out, sizeof(out)));
	EXPECT_STREQ("a", out);
	EXPECT_EQ(-1, tftp_normalise_path("///", out, sizeof(out)));
	EXPECT_EQ(-1, tftp_normalise_path("0123456789abcdef", out, sizeof(out)));
	EXPECT_EQ(15, tftp_normalise_path("0123456789abcde", out, sizeof(out)));
}

TEST_HARNESS_MAIN
