// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the DHCP codec (kmod/dhcp_msg.c): parsing what real
 * clients send, refusing what is malformed, and building replies that a
 * small reader written here (not the codec's own parser) takes apart.
 */
#include <arpa/inet.h>

#include "dhcp_msg.c"

#include "kselftest_harness.h"

static const u8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* A BOOTREQUEST header from @mac with the cookie; returns its length. */
static size_t msg_header(u8 *b, size_t size)
{
	memset(b, 0, size);
	b[0] = DHCP_BOOTREQUEST;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0xde; b[5] = 0xad; b[6] = 0xbe; b[7] = 0xef;	/* xid */
	memcpy(b + 28, mac, 6);
	put_unaligned_be32(DHCP_COOKIE, b + 236);
	return DHCP_MIN_LEN;
}

/* A request: the header, then @opts as the options field. */
static size_t msg_with(u8 *b, size_t size, const u8 *opts, size_t n)
{
	size_t len = msg_header(b, size);

	memcpy(b + len, opts, n);
	return len + n;
}

#define MSG(buf, ...) ({						\
	static const u8 __o[] = { __VA_ARGS__ };			\
	msg_with(buf, sizeof(buf), __o, sizeof(__o));			\
})

/* --- captures, option bytes as the clients send them --- */

/* EDK2's PXE DISCOVER (OVMF), UEFI x64 (arch 7). */
static const u8 edk2_discover[] = {
	53, 1, 1,
	57, 2, 0x05, 0xc0,
	55, 35, 1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41,
		42, 43, 50, 51, 54, 58, 59, 60, 66, 67, 97, 128, 129, 130,
		131, 132, 133, 134, 135,
	97, 17, 0, 0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a, 0x9e,
		0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23,
	94, 3, 1, 3, 16,
	93, 2, 0, 7,
	60, 32, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', ':', 'A', 'r',
		'c', 'h', ':', '0', '0', '0', '0', '7', ':', 'U', 'N', 'D',
		'I', ':', '0', '0', '3', '0', '1', '6',
	255,
};

/* iPXE's DISCOVER once loaded: user class "iPXE" bare, option 175. */
static const u8 ipxe_discover[] = {
	53, 1, 1,
	57, 2, 0x05, 0xdc,
	93, 2, 0, 7,
	94, 3, 1, 3, 16,
	60, 32, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', ':', 'A', 'r',
		'c', 'h', ':', '0', '0', '0', '0', '7', ':', 'U', 'N', 'D',
		'I', ':', '0', '0', '3', '0', '1', '6',
	77, 4, 'i', 'P', 'X', 'E',
	55, 23, 1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129,
		130, 131, 132, 133, 134, 135, 175, 203,
	175, 9, 0xb1, 5, 1, 0x80, 0x86, 0x10, 0x0e, 0xeb, 1,
	61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	97, 17, 0, 0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a, 0x9e,
		0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23,
	255,
};

/* busybox udhcpc's DISCOVER. */
static const u8 udhcpc_discover[] = {
	53, 1, 1,
	61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	57, 2, 0x02, 0x40,
	55, 7, 1, 3, 6, 12, 15, 28, 42,
	60, 12, 'u', 'd', 'h', 'c', 'p', ' ', '1', '.', '3', '5', '.', '0',
	255,
};

/* ISC dhclient's REQUEST in SELECTING state. */
static const u8 dhclient_request[] = {
	53, 1, 3,
	54, 4, 10, 0, 0, 1,
	50, 4, 10, 0, 0, 100,
	12, 5, 'h', 'o', 's', 't', '1',
	55, 13, 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42,
	255,
};

/*
 * A Raspberry Pi 3B boot ROM's DISCOVER, as the Pi documentation's capture
 * shows it (from b8:27:eb:28:f6:6d): its option 97 is a constant.
 */
static const u8 rpi_mac[6] = { 0xb8, 0x27, 0xeb, 0x28, 0xf6, 0x6d };
#define RPI_VENDOR_CLASS \
	60, 32, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', ':', 'A', 'r', \
		'c', 'h', ':', '0', '0', '0', '0', '0', ':', 'U', 'N', 'D', \
		'I', ':', '0', '0', '2', '0', '0', '1'
static const u8 rpi3_discover[] = {
	53, 1, 1,
	55, 12, 43, 60, 67, 128, 129, 130, 131, 132, 133, 134, 135, 66,
	93, 2, 0, 0,
	94, 3, 1, 2, 1,
	97, 17, 0, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
		0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
	RPI_VENDOR_CLASS,
	255,
};

/*
 * A Raspberry Pi 4 EEPROM bootloader's DISCOVER: option 97 is "RPi4", the
 * board revision (0x00a03111), the MAC's last four bytes and the serial
 * (0x5b154510), the 32-bit values least significant byte first.
 */
static const u8 rpi4_discover[] = {
	53, 1, 1,
	55, 14, 1, 3, 43, 60, 66, 67, 128, 129, 130, 131, 132, 133, 134, 135,
	93, 2, 0, 0,
	94, 3, 1, 2, 1,
	97, 17, 0, 'R', 'P', 'i', '4', 0x11, 0x31, 0xa0, 0x00, 0x32, 0x2e,
		0xf8, 0xed, 0x10, 0x45, 0x15, 0x5b,
	RPI_VENDOR_CLASS,
	255,
};

/*
 * EDK2's HTTP Boot DISCOVER (HttpBootDxe, OVMF's "UEFI HTTPv4" on a NIC
 * without UNDI: the default "UNDI:003000"), x64 (arch 16).  Its option 55
 * lists 27 codes of which it fills 26: the 25th is whatever the stack
 * held, a pad here.
 */
#define EDK2_HTTP_VENDOR_CLASS \
	60, 33, 'H', 'T', 'T', 'P', 'C', 'l', 'i', 'e', 'n', 't', ':', 'A', \
		'r', 'c', 'h', ':', '0', '0', '0', '1', '6', ':', 'U', 'N', \
		'D', 'I', ':', '0', '0', '3', '0', '0', '0'
static const u8 edk2_http_discover[] = {
	53, 1, 1,
	57, 2, 0x05, 0xc0,
	55, 27, 1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41,
		42, 43, 50, 51, 54, 58, 59, 60, 0, 67, 97,
	97, 17, 0, 0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a, 0x9e,
		0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23,
	94, 3, 1, 3, 0,
	93, 2, 0, 16,
	EDK2_HTTP_VENDOR_CLASS,
	255,
};

/* The request's byte strings point into this: it outlives the test. */
static u8 capture_buf[1024];

static int parse_capture(const u8 *opts, size_t n, struct dhcp_request *req)
{
	u8 *buf = capture_buf;

	return dhcp_parse(buf, msg_with(buf, sizeof(capture_buf), opts, n), req);
}

/* --- a reader for built replies, independent of dhcp_parse() --- */

struct found {
	const u8 *data;
	int len;		/* -1: absent */
	int area;		/* 0 options, 1 file, 2 sname */
};

static struct found find_in(const u8 *p, size_t len, u8 code, int area)
{
	struct found f = { NULL, -1, area };
	size_t i = 0;

	while (i < len && p[i] != 255) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + p[i + 1] > len)
			break;
		if (p[i] == code) {
			f.data = p + i + 2;
			f.len = p[i + 1];
			return f;
		}
		i += 2 + p[i + 1];
	}
	return f;
}

static struct found find_opt(const u8 *b, size_t len, u8 code)
{
	struct found f = find_in(b + 240, len - 240, code, 0);
	struct found ov = find_in(b + 240, len - 240, 52, 0);

	if (f.len >= 0 || ov.len != 1)
		return f;
	if (ov.data[0] & 1) {
		f = find_in(b + 108, 128, code, 1);
		if (f.len >= 0)
			return f;
	}
	if (ov.data[0] & 2)
		f = find_in(b + 44, 64, code, 2);
	return f;
}

/* The option codes of the options field, in order, up to the end. */
static int opt_codes(const u8 *b, size_t len, u8 *codes)
{
	size_t i = 240;
	int n = 0;

	while (i < len) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		codes[n++] = b[i];
		if (b[i] == 255)
			break;
		i += 2 + b[i + 1];
	}
	return n;
}

static __be32 ip(const char *s)
{
	return inet_addr(s);
}

static void full_reply(struct dhcp_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->type = DHCP_OFFER;
	r->yiaddr = ip("10.0.0.100");
	r->next_server = ip("10.0.0.1");
	r->server_id = ip("10.0.0.1");
	r->netmask = ip("255.255.255.0");
	r->router = ip("10.0.0.1");
	r->broadcast = ip("10.0.0.255");
	r->dns[0] = ip("10.0.0.1");
	r->dns[1] = ip("10.0.0.2");
	r->n_dns = 2;
	r->domain = "lab.example";
	r->hostname = "node7";
	r->lease_time = 3600;
	r->boot_file = "ipxe.efi";
	r->tftp_server = "10.0.0.1";
	r->pxe = true;
}

/* --- parsing captures --- */

TEST(parse_edk2_pxe_discover)
{
	struct dhcp_request req;

	ASSERT_EQ(0, parse_capture(edk2_discover, sizeof(edk2_discover), &req));
	EXPECT_EQ(DHCP_DISCOVER, req.type);
	EXPECT_EQ(1472, req.max_size);
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(7, req.arch);
	EXPECT_EQ(32, req.vendor_class.len);
	EXPECT_TRUE(dhcp_is_pxe_client(&req));
	EXPECT_EQ(17, req.uuid.len);
	EXPECT_EQ(0x8d, req.uuid.data[1]);
	EXPECT_EQ(3, req.ndi.len);
	EXPECT_EQ(35, req.prl.len);
	EXPECT_TRUE(dhcp_requested(&req, 66));
	EXPECT_TRUE(dhcp_requested(&req, 67));
	EXPECT_TRUE(dhcp_requested(&req, 43));
	EXPECT_TRUE(dhcp_requested(&req, 60));
	EXPECT_FALSE(dhcp_requested(&req, 82));
	EXPECT_FALSE(req.ipxe);
	EXPECT_FALSE(dhcp_has_user_class(&req, "iPXE"));
	EXPECT_EQ(0, req.client_id.len);
}

TEST(parse_ipxe_discover)
{
	struct dhcp_request req;

	ASSERT_EQ(0, parse_capture(ipxe_discover, sizeof(ipxe_discover), &req));
	EXPECT_EQ(DHCP_DISCOVER, req.type);
	EXPECT_TRUE(req.ipxe);
	EXPECT_TRUE(dhcp_has_user_class(&req, "iPXE"));
	EXPECT_FALSE(dhcp_has_user_class(&req, "gPXE"));
	EXPECT_EQ(7, req.client_id.len);
	EXPECT_EQ(0, memcmp(req.client_id.data + 1, mac, 6));
	EXPECT_EQ(1500, req.max_size);
	EXPECT_TRUE(dhcp_is_pxe_client(&req));
}

TEST(parse_edk2_http_discover)
{
	struct dhcp_request req;

	ASSERT_EQ(0, parse_capture(edk2_http_discover,
				   sizeof(edk2_http_discover), &req));
	EXPECT_EQ(DHCP_DISCOVER, req.type);
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(16, req.arch);
	EXPECT_EQ(33, req.vendor_class.len);
	EXPECT_TRUE(dhcp_is_http_client(&req));
	EXPECT_FALSE(dhcp_is_pxe_client(&req));
	EXPECT_FALSE(req.rpi);
	EXPECT_FALSE(req.ipxe);
	EXPECT_TRUE(dhcp_requested(&req, 43));
	EXPECT_TRUE(dhcp_requested(&req, 67));
	EXPECT_FALSE(dhcp_requested(&req, 66));
}

TEST(parse_udhcpc_discover)
{
	struct dhcp_request req;

	ASSERT_EQ(0, parse_capture(udhcpc_discover, sizeof(udhcpc_discover), &req));
	EXPECT_EQ(DHCP_DISCOVER, req.type);
	EXPECT_EQ(576, req.max_size);
	EXPECT_FALSE(dhcp_is_pxe_client(&req));
	EXPECT_FALSE(req.has_arch);
	EXPECT_EQ(12, req.vendor_class.len);
	EXPECT_TRUE(dhcp_requested(&req, 28));
	EXPECT_FALSE(dhcp_requested(&req, 66));
	EXPECT_EQ(0, memcmp(req.chaddr, mac, 6));
}

TEST(parse_dhclient_request)
{
	struct dhcp_request req;

	ASSERT_EQ(0, parse_capture(dhclient_request, sizeof(dhclient_request), &req));
	EXPECT_EQ(DHCP_REQUEST, req.type);
	EXPECT_EQ(ip("10.0.0.1"), req.server_id);
	EXPECT_EQ(ip("10.0.0.100"), req.requested_ip);
	EXPECT_EQ(5, req.hostname.len);
	EXPECT_EQ(0, memcmp(req.hostname.data, "host1", 5));
	EXPECT_EQ(0, req.max_size);
	EXPECT_EQ(13, req.prl.len);
}

TEST(parse_header_fields)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 8, 255);

	b[3] = 2;					/* hops */
	b[8] = 0; b[9] = 5;				/* secs */
	b[10] = 0x80;					/* flags */
	memcpy(b + 12, "\x0a\x00\x00\x07", 4);		/* ciaddr */
	memcpy(b + 24, "\x0a\x01\x00\x01", 4);		/* giaddr */
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(DHCP_INFORM, req.type);
	EXPECT_EQ(2, req.hops);
	EXPECT_EQ(htons(5), req.secs);
	EXPECT_EQ(htons(DHCP_FLAG_BROADCAST), req.flags);
	EXPECT_EQ(htonl(0xdeadbeef), req.xid);
	EXPECT_EQ(ip("10.0.0.7"), req.ciaddr);
	EXPECT_EQ(ip("10.1.0.1"), req.giaddr);
	EXPECT_EQ(0, memcmp(req.chaddr, mac, 6));
}

TEST(parse_relay_info)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 82, 6, 1, 4, 'p', 'o', 'r', 't', 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(6, req.relay_info.len);
	EXPECT_EQ(0, memcmp(req.relay_info.data, "\x01\x04port", 6));
}

TEST(parse_arch_takes_first_entry)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 93, 4, 0, 9, 0, 7, 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(9, req.arch);
}

TEST(parse_ipxe_option_presence_is_enough)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 175, 0, 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(req.ipxe);
}

TEST(parse_first_instance_wins)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 3, 53, 1, 1, 50, 4, 10, 0, 0, 5,
			 50, 4, 10, 0, 0, 6, 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(DHCP_REQUEST, req.type);
	EXPECT_EQ(ip("10.0.0.5"), req.requested_ip);
}

TEST(parse_pads_and_missing_end)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 0, 0, 53, 1, 1, 0, 57, 2, 0x04, 0x00);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(1024, req.max_size);
}

TEST(parse_stops_at_end_option)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 255, 50, 99);	/* garbage after end */

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(0, req.requested_ip);
}

/* --- what is refused --- */

TEST(refuse_truncated_header)
{
	struct dhcp_request req;
	u8 b[400];

	MSG(b, 53, 1, 1, 255);
	EXPECT_EQ(-DHCP_ERR_TRUNCATED, dhcp_parse(b, DHCP_MIN_LEN - 1, &req));
	EXPECT_EQ(-DHCP_ERR_TRUNCATED, dhcp_parse(b, 0, &req));
}

TEST(refuse_bad_cookie)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 255);

	b[239] ^= 1;
	EXPECT_EQ(-DHCP_ERR_BAD_COOKIE, dhcp_parse(b, len, &req));
}

TEST(refuse_option_length_past_end)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 12, 10, 'a', 'b');

	EXPECT_EQ(-DHCP_ERR_BAD_OPTION, dhcp_parse(b, len, &req));
}

TEST(refuse_option_without_length_byte)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 12);

	EXPECT_EQ(-DHCP_ERR_BAD_OPTION, dhcp_parse(b, len, &req));
}

TEST(refuse_option_past_end_of_file_field)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 1, 53, 1, 1, 255);

	b[108 + 125] = 12;
	b[108 + 126] = 5;	/* 5 bytes from the last 1 of `file` */
	EXPECT_EQ(-DHCP_ERR_BAD_OPTION, dhcp_parse(b, len, &req));
}

TEST(refuse_overload_inside_file)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 1, 53, 1, 1, 255);

	/* `file` says "and file again": the overload loop. */
	memcpy(b + 108, "\x34\x01\x01\xff", 4);
	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
}

TEST(refuse_overload_inside_sname)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 2, 53, 1, 1, 255);

	memcpy(b + 44, "\x34\x01\x03\xff", 4);
	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
}

TEST(refuse_overload_repeated)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 1, 52, 1, 1, 53, 1, 1, 255);

	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
}

TEST(refuse_overload_bad_value)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 4, 53, 1, 1, 255);

	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
	len = MSG(b, 52, 1, 0, 53, 1, 1, 255);
	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
	len = MSG(b, 52, 2, 1, 1, 53, 1, 1, 255);
	EXPECT_EQ(-DHCP_ERR_BAD_OVERLOAD, dhcp_parse(b, len, &req));
}

TEST(refuse_hlen_over_16)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 255);

	b[2] = 17;
	EXPECT_EQ(-DHCP_ERR_BAD_HLEN, dhcp_parse(b, len, &req));
	b[2] = 0;
	EXPECT_EQ(-DHCP_ERR_BAD_HLEN, dhcp_parse(b, len, &req));
}

TEST(refuse_htype_not_ethernet)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 255);

	b[1] = 6;		/* IEEE 802 */
	EXPECT_EQ(-DHCP_ERR_BAD_HTYPE, dhcp_parse(b, len, &req));
}

TEST(refuse_bootreply)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 2, 255);

	b[0] = DHCP_BOOTREPLY;
	EXPECT_EQ(-DHCP_ERR_BAD_OP, dhcp_parse(b, len, &req));
}

TEST(refuse_missing_type)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 50, 4, 10, 0, 0, 5, 255);

	EXPECT_EQ(-DHCP_ERR_NO_TYPE, dhcp_parse(b, len, &req));
	len = MSG(b, 53, 1, 9, 255);
	EXPECT_EQ(-DHCP_ERR_NO_TYPE, dhcp_parse(b, len, &req));
	len = MSG(b, 53, 1, 0, 255);
	EXPECT_EQ(-DHCP_ERR_NO_TYPE, dhcp_parse(b, len, &req));
	len = MSG(b, 53, 2, 1, 1, 255);
	EXPECT_EQ(-DHCP_ERR_NO_TYPE, dhcp_parse(b, len, &req));
}

/* --- option overload on input --- */

TEST(overload_reads_file)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 1, 255);

	memcpy(b + 108, "\x35\x01\x03\x32\x04\x0a\x00\x00\x09\xff", 10);
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(DHCP_REQUEST, req.type);
	EXPECT_EQ(ip("10.0.0.9"), req.requested_ip);
}

TEST(overload_reads_sname)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 2, 255);

	memcpy(b + 44, "\x35\x01\x01\x5d\x02\x00\x07\xff", 8);
	memcpy(b + 108, "\x35\x01\x03\xff", 4);	/* not overloaded: ignored */
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(DHCP_DISCOVER, req.type);
	EXPECT_EQ(7, req.arch);
}

TEST(overload_both_reads_file_before_sname)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 52, 1, 3, 50, 4, 10, 0, 0, 1, 255);

	memcpy(b + 108, "\x35\x01\x03\x32\x04\x0a\x00\x00\x02\xff", 10);
	memcpy(b + 44, "\x35\x01\x01\x36\x04\x0a\x00\x00\x03\xff", 10);
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_EQ(DHCP_REQUEST, req.type);		/* file's, not sname's */
	EXPECT_EQ(ip("10.0.0.1"), req.requested_ip);	/* options field first */
	EXPECT_EQ(ip("10.0.0.3"), req.server_id);	/* only in sname */
}

/* --- helpers on the parsed request --- */

TEST(user_class_bare_and_rfc3004)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 77, 11, 5, 'o', 't', 'h', 'e', 'r',
			 4, 'i', 'P', 'X', 'E', 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(dhcp_has_user_class(&req, "iPXE"));
	EXPECT_TRUE(dhcp_has_user_class(&req, "other"));
	EXPECT_FALSE(dhcp_has_user_class(&req, "iPX"));
	EXPECT_FALSE(dhcp_has_user_class(&req, ""));

	len = MSG(b, 53, 1, 1, 77, 4, 'i', 'P', 'X', 'E', 255);
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(dhcp_has_user_class(&req, "iPXE"));
	EXPECT_FALSE(dhcp_has_user_class(&req, "PXE"));

	/* RFC 3004 with an instance running past the option. */
	len = MSG(b, 53, 1, 1, 77, 3, 9, 'a', 'b', 255);
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_FALSE(dhcp_has_user_class(&req, "ab"));
	EXPECT_TRUE(dhcp_has_user_class(&req, "\tab"));
}

TEST(pxe_client_needs_prefix)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 60, 9, 'P', 'X', 'E', 'C', 'l', 'i',
			 'e', 'n', 't', 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(dhcp_is_pxe_client(&req));
	len = MSG(b, 53, 1, 1, 60, 8, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n',
		  255);
	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_FALSE(dhcp_is_pxe_client(&req));
}

/*
 * Parses a DISCOVER with option 60 @vc (none when NULL) and 93 = @arch
 * (none when negative).
 */
static int parse_client(const char *vc, int arch, struct dhcp_request *req)
{
	u8 *b = capture_buf;
	size_t len = msg_header(b, sizeof(capture_buf));
	const u8 head[] = { 53, 1, 1, 93, 2, 0, (u8)arch };
	size_t n = arch < 0 ? 3 : sizeof(head);	/* 53, or 53 and 93 */

	memcpy(b + len, head, n);
	len += n;
	if (vc) {
		b[len++] = 60;
		b[len++] = strlen(vc);
		memcpy(b + len, vc, strlen(vc));
		len += strlen(vc);
	}
	b[len++] = 255;
	return dhcp_parse(b, len, req);
}

static int parse_vendor_class(const char *vc, struct dhcp_request *req)
{
	return parse_client(vc, 16, req);
}

TEST(http_client_needs_the_exact_prefix)
{
	static const struct {
		const char *vc;
		bool http;
	} cases[] = {
		{ "HTTPClient:Arch:00016:UNDI:003001", true },
		{ "HTTPClient:Arch:00019:UNDI:003000", true },
		{ "HTTPClient", true },			/* no arch: still one */
		{ "HTTPClien", false },			/* truncated */
		{ "httpclient:Arch:00016:UNDI:003000", false },	/* case */
		{ "HTTPclient:Arch:00016:UNDI:003000", false },
		{ " HTTPClient", false },
		{ "PXEClient:Arch:00016:UNDI:003000", false },
		{ NULL, false },
	};
	struct dhcp_request req;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, parse_vendor_class(cases[i].vc, &req));
		EXPECT_EQ(cases[i].http, dhcp_is_http_client(&req))
			TH_LOG("option 60 \"%s\"", cases[i].vc ? : "(none)");
		EXPECT_FALSE(dhcp_is_pxe_client(&req) && cases[i].http);
		EXPECT_EQ(16, req.arch);
	}
}

TEST(url_is_a_scheme_then_two_slashes)
{
	static const struct {
		const char *file;
		bool url;
	} cases[] = {
		{ "http://192.168.1.1/ipxe.efi", true },
		{ "https://boot.example.org/x64/bootx64.efi", true },
		{ "HTTP://10.0.0.1/a", true },
		{ "tftp://10.0.0.1/pxelinux.0", true },
		{ "svn+ssh://h/p", true },
		{ "a1.b-c://x", true },
		{ "http://", true },
		{ "ipxe.efi", false },
		{ "pxelinux.cfg/default", false },
		{ "http:/10.0.0.1/a", false },
		{ "http:10.0.0.1", false },
		{ "://10.0.0.1/a", false },
		{ "1http://10.0.0.1/a", false },
		{ "ht tp://10.0.0.1/a", false },
		{ "dir/http://x", false },
		{ "/http://x", false },
		{ "C:\\boot\\x.efi", false },
		{ "http", false },
		{ "", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_EQ(cases[i].url, dhcp_is_url(cases[i].file))
			TH_LOG("case %u", i);
}

TEST(requested_without_prl_means_all)
{
	struct dhcp_request req;
	u8 b[400];
	size_t len = MSG(b, 53, 1, 1, 255);

	ASSERT_EQ(0, dhcp_parse(b, len, &req));
	EXPECT_TRUE(dhcp_requested(&req, 1));
	EXPECT_TRUE(dhcp_requested(&req, 254));
}

/* --- Raspberry Pi --- */

/* Parses @opts as sent from @from; returns req->rpi, or -1. */
static int rpi_from(const u8 *from, const u8 *opts, size_t n,
		    struct dhcp_request *req)
{
	size_t len = msg_with(capture_buf, sizeof(capture_buf), opts, n);

	memcpy(capture_buf + 28, from, 6);
	if (dhcp_parse(capture_buf, len, req))
		return -1;
	return req->rpi;
}

#define RPI_FROM(from, req, ...) ({					\
	static const u8 __o[] = { 53, 1, 1, __VA_ARGS__, 255 };		\
	rpi_from(from, __o, sizeof(__o), req);				\
})

#define RPI_UUID(...) 97, 17, 0, __VA_ARGS__

TEST(raspberry_pi3_rom_discover_is_a_pi)
{
	struct dhcp_request req;

	ASSERT_EQ(1, rpi_from(rpi_mac, rpi3_discover, sizeof(rpi3_discover),
			      &req));
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(0, req.arch);
	EXPECT_TRUE(dhcp_is_pxe_client(&req));
	/* Its constant 97 alone says Pi, whatever the MAC. */
	ASSERT_EQ(1, rpi_from(mac, rpi3_discover, sizeof(rpi3_discover), &req));
}

TEST(raspberry_pi4_eeprom_discover_is_a_pi_by_option_97)
{
	struct dhcp_request req;

	ASSERT_EQ(1, rpi_from(mac, rpi4_discover, sizeof(rpi4_discover), &req));
	/* "RPi5", and the FourCC the other way round. */
	EXPECT_EQ(1, RPI_FROM(mac, &req, RPI_UUID('R', 'P', 'i', '5', 1, 2, 3,
						 4, 5, 6, 7, 8, 9, 10, 11, 12)));
	EXPECT_EQ(1, RPI_FROM(mac, &req, RPI_UUID('4', 'i', 'P', 'R', 1, 2, 3,
						 4, 5, 6, 7, 8, 9, 10, 11, 12)));
}

TEST(raspberry_pi_option_97_wrong_values)
{
	struct dhcp_request req;

	/* A FourCC that is not "RPi" and a digit. */
	EXPECT_EQ(0, RPI_FROM(mac, &req, RPI_UUID('R', 'P', 'i', 'x', 1, 2, 3,
						 4, 5, 6, 7, 8, 9, 10, 11, 12)));
	EXPECT_EQ(0, RPI_FROM(mac, &req, RPI_UUID('r', 'P', 'i', '4', 1, 2, 3,
						 4, 5, 6, 7, 8, 9, 10, 11, 12)));
	EXPECT_EQ(0, RPI_FROM(mac, &req, RPI_UUID('x', 'i', 'P', 'R', 1, 2, 3,
						 4, 5, 6, 7, 8, 9, 10, 11, 12)));
	/* The Pi 3B constant with one byte off. */
	EXPECT_EQ(0, RPI_FROM(mac, &req, RPI_UUID(0x44, 0x44, 0x44, 0x44,
						 0x44, 0x44, 0x44, 0x44, 0x44,
						 0x44, 0x44, 0x44, 0x44, 0x44,
						 0x44, 0x45)));
	/* Type 1, not 0. */
	EXPECT_EQ(0, RPI_FROM(mac, &req, 97, 17, 1, 'R', 'P', 'i', '4', 1, 2,
			      3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
	/* 16 and 18 bytes instead of 17. */
	EXPECT_EQ(0, RPI_FROM(mac, &req, 97, 16, 0, 'R', 'P', 'i', '4', 1, 2,
			      3, 4, 5, 6, 7, 8, 9, 10, 11));
	EXPECT_EQ(0, RPI_FROM(mac, &req, 97, 18, 0, 'R', 'P', 'i', '4', 1, 2,
			      3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
	/* Shorter than a FourCC: read no further than the option. */
	EXPECT_EQ(0, RPI_FROM(mac, &req, 97, 2, 0, 'R'));
	EXPECT_EQ(0, RPI_FROM(mac, &req, 97, 0));
}

TEST(raspberry_pi_by_vendor_class_needs_a_pi_mac)
{
	static const u8 ouis[][3] = {
		{ 0xb8, 0x27, 0xeb }, { 0xdc, 0xa6, 0x32 }, { 0xe4, 0x5f, 0x01 },
		{ 0x28, 0xcd, 0xc1 }, { 0xd8, 0x3a, 0xdd }, { 0x2c, 0xcf, 0x67 },
	};
	/* The Pi 3B+'s 97: its serial four times, nothing a Pi alone sends. */
	static const u8 opts[] = {
		53, 1, 1, 93, 2, 0, 0,
		97, 17, 0, 0x10, 0x45, 0x15, 0x5b, 0x10, 0x45, 0x15, 0x5b,
			0x10, 0x45, 0x15, 0x5b, 0x10, 0x45, 0x15, 0x5b,
		RPI_VENDOR_CLASS, 255,
	};
	struct dhcp_request req;
	u8 from[6] = { 0, 0, 0, 0x01, 0x02, 0x03 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ouis); i++) {
		memcpy(from, ouis[i], 3);
		EXPECT_EQ(1, rpi_from(from, opts, sizeof(opts), &req));
	}
	EXPECT_EQ(0, rpi_from(mac, opts, sizeof(opts), &req));
	/* One bit off each Pi OUI's first and last byte. */
	for (i = 0; i < ARRAY_SIZE(ouis); i++) {
		memcpy(from, ouis[i], 3);
		from[0] ^= 0x02;
		EXPECT_EQ(0, rpi_from(from, opts, sizeof(opts), &req));
		memcpy(from, ouis[i], 3);
		from[2] ^= 0x01;
		EXPECT_EQ(0, rpi_from(from, opts, sizeof(opts), &req));
	}
}

TEST(raspberry_pi_vendor_class_must_be_exact)
{
	struct dhcp_request req;

	/* No vendor class, no 97: a Pi's MAC alone is not a Pi boot. */
	EXPECT_EQ(0, RPI_FROM(rpi_mac, &req, 93, 2, 0, 0));
	/* Another architecture and UNDI. */
	EXPECT_EQ(0, RPI_FROM(rpi_mac, &req, 60, 32, 'P', 'X', 'E', 'C', 'l',
			      'i', 'e', 'n', 't', ':', 'A', 'r', 'c', 'h', ':',
			      '0', '0', '0', '0', '7', ':', 'U', 'N', 'D', 'I',
			      ':', '0', '0', '3', '0', '1', '6'));
	/* The Pi's class cut short by a byte, and one byte longer. */
	EXPECT_EQ(0, RPI_FROM(rpi_mac, &req, 60, 31, 'P', 'X', 'E', 'C', 'l',
			      'i', 'e', 'n', 't', ':', 'A', 'r', 'c', 'h', ':',
			      '0', '0', '0', '0', '0', ':', 'U', 'N', 'D', 'I',
			      ':', '0', '0', '2', '0', '0'));
	EXPECT_EQ(0, RPI_FROM(rpi_mac, &req, 60, 33, 'P', 'X', 'E', 'C', 'l',
			      'i', 'e', 'n', 't', ':', 'A', 'r', 'c', 'h', ':',
			      '0', '0', '0', '0', '0', ':', 'U', 'N', 'D', 'I',
			      ':', '0', '0', '2', '0', '0', '1', '!'));
	/* Lower case "pxeclient". */
	EXPECT_EQ(0, RPI_FROM(rpi_mac, &req, 60, 32, 'p', 'x', 'e', 'c', 'l',
			      'i', 'e', 'n', 't', ':', 'A', 'r', 'c', 'h', ':',
			      '0', '0', '0', '0', '0', ':', 'U', 'N', 'D', 'I',
			      ':', '0', '0', '2', '0', '0', '1'));
	EXPECT_EQ(1, RPI_FROM(rpi_mac, &req, RPI_VENDOR_CLASS));
}

/* --- URLs and TFTP paths --- */

/* Which boot files each client takes: URLs, TFTP paths. */
TEST(client_takes_urls_or_paths_by_what_it_is)
{
	static const struct {
		const char *name;
		const u8 *opts;
		size_t n;
		const u8 *from;
		bool url, path;
	} cases[] = {
		{ "EDK2 PXE", edk2_discover, sizeof(edk2_discover), mac,
		  false, true },
		{ "Pi 3 ROM", rpi3_discover, sizeof(rpi3_discover), rpi_mac,
		  false, true },
		{ "iPXE", ipxe_discover, sizeof(ipxe_discover), mac,
		  true, true },
		{ "EDK2 HTTP", edk2_http_discover, sizeof(edk2_http_discover),
		  mac, true, false },
		{ "udhcpc", udhcpc_discover, sizeof(udhcpc_discover), mac,
		  true, true },
	};
	struct dhcp_request req;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_LE(0, rpi_from(cases[i].from, cases[i].opts, cases[i].n,
				      &req));
		EXPECT_EQ(cases[i].url, dhcp_client_takes(&req, true))
			TH_LOG("%s, a URL", cases[i].name);
		EXPECT_EQ(cases[i].path, dhcp_client_takes(&req, false))
			TH_LOG("%s, a path", cases[i].name);
	}

	/* Not quite HTTP Boot: an ordinary client, which takes both. */
	ASSERT_EQ(0, parse_vendor_class("HTTPClien", &req));
	EXPECT_TRUE(dhcp_client_takes(&req, true));
	EXPECT_TRUE(dhcp_client_takes(&req, false));
	ASSERT_EQ(0, parse_vendor_class("httpclient:Arch:00016:UNDI:003000",
					&req));
	EXPECT_TRUE(dhcp_client_takes(&req, false));
	ASSERT_EQ(0, parse_vendor_class("HTTPClient", &req));
	EXPECT_TRUE(dhcp_client_takes(&req, true));
	EXPECT_FALSE(dhcp_client_takes(&req, false));
}

/*
 * Option 93 does not make an HTTP Boot client, option 60 does: without 93,
 * or with 7, it still takes URLs only, so no "arch" rule matches the first
 * and an "arch efi-x64" rule with a TFTP path passes over the second.
 */
TEST(http_client_without_arch_16_is_still_one)
{
	static const char vc[] = "HTTPClient:Arch:00016:UNDI:003000";
	struct dhcp_request req;

	ASSERT_EQ(0, parse_client(vc, -1, &req));
	EXPECT_TRUE(dhcp_is_http_client(&req));
	EXPECT_FALSE(req.has_arch);
	EXPECT_TRUE(dhcp_client_takes(&req, true));
	EXPECT_FALSE(dhcp_client_takes(&req, false));

	ASSERT_EQ(0, parse_client(vc, 7, &req));
	EXPECT_TRUE(dhcp_is_http_client(&req));
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(7, req.arch);
	EXPECT_TRUE(dhcp_client_takes(&req, true));
	EXPECT_FALSE(dhcp_client_takes(&req, false));
}

/* --- building replies --- */

static void parse_ok(struct __test_metadata *_metadata, const u8 *opts,
		     size_t n, struct dhcp_request *req)
{
	ASSERT_EQ(0, parse_capture(opts, n, req));
}

TEST(reply_header)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	int len;

	parse_ok(_metadata, edk2_discover, sizeof(edk2_discover), &req);
	req.flags = htons(DHCP_FLAG_BROADCAST);
	req.giaddr = ip("10.9.0.1");
	req.hops = 3;
	req.secs = htons(9);
	full_reply(&r);
	r.ciaddr = ip("10.0.0.55");
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GE(len, 300);
	EXPECT_EQ(DHCP_BOOTREPLY, b[0]);
	EXPECT_EQ(1, b[1]);
	EXPECT_EQ(6, b[2]);
	EXPECT_EQ(0, b[3]);				/* hops */
	EXPECT_EQ(0, memcmp(b + 4, "\xde\xad\xbe\xef", 4));
	EXPECT_EQ(0, get_unaligned_be16(b + 8));	/* secs */
	EXPECT_EQ(0x8000, get_unaligned_be16(b + 10));
	EXPECT_EQ(0, memcmp(b + 12, "\x0a\x00\x00\x37", 4));	/* ciaddr */
	EXPECT_EQ(0, memcmp(b + 16, "\x0a\x00\x00\x64", 4));	/* yiaddr */
	EXPECT_EQ(0, memcmp(b + 20, "\x0a\x00\x00\x01", 4));	/* siaddr */
	EXPECT_EQ(0, memcmp(b + 24, "\x0a\x09\x00\x01", 4));	/* giaddr */
	EXPECT_EQ(0, memcmp(b + 28, mac, 6));
	EXPECT_EQ(0, b[44]);				/* sname empty */
	EXPECT_STREQ("ipxe.efi", (const char *)b + 108);
	EXPECT_EQ(DHCP_COOKIE, get_unaligned_be32(b + 236));
}

TEST(reply_option_order)
{
	static const u8 want[] = { 53, 54, 51, 58, 59, 1, 3, 6, 15, 28, 12,
				   66, 67, 60, 43, 97, 82, 56, 255 };
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[1500], codes[64];
	size_t len = MSG(q, 53, 1, 1, 97, 3, 0, 1, 2, 82, 2, 1, 0, 255);
	int n;

	q[24] = 10;	/* relayed */
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	full_reply(&r);
	r.message = "ok";
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	n = opt_codes(b, len, codes);
	ASSERT_EQ(sizeof(want), n);
	EXPECT_EQ(0, memcmp(want, codes, n));
}

TEST(reply_type_and_server_id_always)
{
	struct dhcp_request req;
	struct dhcp_reply r = { .type = DHCP_NAK, .server_id = ip("10.0.0.1") };
	u8 b[600];
	int len;
	struct found f;

	parse_ok(_metadata, udhcpc_discover, sizeof(udhcpc_discover), &req);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 53);
	ASSERT_EQ(1, f.len);
	EXPECT_EQ(DHCP_NAK, f.data[0]);
	f = find_opt(b, len, 54);
	ASSERT_EQ(4, f.len);
	EXPECT_EQ(0, memcmp(f.data, "\x0a\x00\x00\x01", 4));
	EXPECT_EQ(-1, find_opt(b, len, 51).len);
	EXPECT_EQ(-1, find_opt(b, len, 58).len);
	EXPECT_EQ(-1, find_opt(b, len, 59).len);
}

TEST(reply_lease_times)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[600];
	int len;

	parse_ok(_metadata, udhcpc_discover, sizeof(udhcpc_discover), &req);
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_EQ(4, find_opt(b, len, 51).len);
	EXPECT_EQ(3600, get_unaligned_be32(find_opt(b, len, 51).data));
	EXPECT_EQ(1800, get_unaligned_be32(find_opt(b, len, 58).data));
	EXPECT_EQ(3150, get_unaligned_be32(find_opt(b, len, 59).data));

	r.lease_time = 0xffffffff;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(0xffffffff, get_unaligned_be32(find_opt(b, len, 59).data));
}

TEST(reply_addresses_and_strings)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[600];
	struct found f;
	int len;

	parse_ok(_metadata, edk2_discover, sizeof(edk2_discover), &req);
	req.prl.len = 0;	/* everything */
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(0, memcmp(find_opt(b, len, 1).data, "\xff\xff\xff\x00", 4));
	EXPECT_EQ(0, memcmp(find_opt(b, len, 3).data, "\x0a\x00\x00\x01", 4));
	EXPECT_EQ(0, memcmp(find_opt(b, len, 28).data, "\x0a\x00\x00\xff", 4));
	f = find_opt(b, len, 6);
	ASSERT_EQ(8, f.len);
	EXPECT_EQ(0, memcmp(f.data, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8));
	f = find_opt(b, len, 15);
	ASSERT_EQ(11, f.len);		/* no NUL */
	EXPECT_EQ(0, memcmp(f.data, "lab.example", 11));
	f = find_opt(b, len, 12);
	ASSERT_EQ(5, f.len);
	EXPECT_EQ(0, memcmp(f.data, "node7", 5));
	f = find_opt(b, len, 66);
	ASSERT_EQ(8, f.len);
	EXPECT_EQ(0, memcmp(f.data, "10.0.0.1", 8));
	f = find_opt(b, len, 67);
	ASSERT_EQ(8, f.len);
	EXPECT_EQ(0, memcmp(f.data, "ipxe.efi", 8));

	/* Zero addresses and NULL strings are left out. */
	r.router = 0;
	r.domain = NULL;
	r.n_dns = 0;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 3).len);
	EXPECT_EQ(-1, find_opt(b, len, 15).len);
	EXPECT_EQ(-1, find_opt(b, len, 6).len);
}

TEST(reply_prl_honoured)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[600];
	size_t len = MSG(q, 53, 1, 1, 55, 2, 1, 66, 255);

	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	full_reply(&r);
	r.pxe = false;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(4, find_opt(b, len, 1).len);
	EXPECT_EQ(8, find_opt(b, len, 66).len);
	EXPECT_EQ(-1, find_opt(b, len, 3).len);
	EXPECT_EQ(-1, find_opt(b, len, 6).len);
	EXPECT_EQ(-1, find_opt(b, len, 12).len);
	EXPECT_EQ(-1, find_opt(b, len, 15).len);
	EXPECT_EQ(-1, find_opt(b, len, 28).len);
	EXPECT_EQ(-1, find_opt(b, len, 67).len);	/* `file` has it */
	EXPECT_STREQ("ipxe.efi", (const char *)b + 108);
	EXPECT_EQ(4, find_opt(b, len, 51).len);		/* not subject to 55 */
}

TEST(reply_all_without_prl)
{
	static const u8 asked[] = { 1, 3, 6, 12, 15, 28, 66, 67 };
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[600];
	size_t len = MSG(q, 53, 1, 1, 255);
	unsigned int i;

	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	for (i = 0; i < sizeof(asked); i++)
		EXPECT_LT(0, find_opt(b, len, asked[i]).len);
}

TEST(reply_pxe_options)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	struct found f;
	int len;

	parse_ok(_metadata, edk2_discover, sizeof(edk2_discover), &req);
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 43);
	ASSERT_EQ(4, f.len);
	EXPECT_EQ(0, memcmp(f.data, "\x06\x01\x08\xff", 4));
	f = find_opt(b, len, 60);
	ASSERT_EQ(9, f.len);
	EXPECT_EQ(0, memcmp(f.data, "PXEClient", 9));
	f = find_opt(b, len, 97);
	ASSERT_EQ(17, f.len);
	EXPECT_EQ(0, memcmp(f.data, req.uuid.data, 17));

	r.pxe = false;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 43).len);
	EXPECT_EQ(-1, find_opt(b, len, 60).len);
	EXPECT_EQ(-1, find_opt(b, len, 97).len);
}

/* --- UEFI HTTP Boot --- */

#define HTTP_URL "http://10.0.0.1/ipxe.efi"

static void http_reply(struct dhcp_reply *r, const char *url)
{
	full_reply(r);
	r->pxe = false;
	r->http = true;
	r->boot_file = url;
}

TEST(reply_http_options)
{
	static const u8 want[] = { 53, 54, 51, 58, 59, 1, 3, 6, 15, 28, 12,
				   67, 60, 255 };
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500], codes[64];
	struct found f;
	int len, n;

	parse_ok(_metadata, edk2_http_discover, sizeof(edk2_http_discover),
		 &req);
	http_reply(&r, HTTP_URL);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	n = opt_codes(b, len, codes);
	ASSERT_EQ(sizeof(want), n);
	EXPECT_EQ(0, memcmp(want, codes, n));
	f = find_opt(b, len, 60);
	ASSERT_EQ(10, f.len);
	EXPECT_EQ(0, memcmp(f.data, "HTTPClient", 10));
	f = find_opt(b, len, 67);
	ASSERT_EQ(strlen(HTTP_URL), f.len);
	EXPECT_EQ(0, memcmp(f.data, HTTP_URL, f.len));
	EXPECT_STREQ(HTTP_URL, (const char *)b + 108);
	/* Asked for, and still left out: PXE's own. */
	EXPECT_EQ(-1, find_opt(b, len, 43).len);
	EXPECT_EQ(-1, find_opt(b, len, 97).len);
	EXPECT_EQ(-1, find_opt(b, len, 66).len);	/* not asked */
}

TEST(reply_http_url_goes_as_67_unasked)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[600];
	size_t len = MSG(q, 53, 1, 1, 55, 2, 1, 3,
			 60, 10, 'H', 'T', 'T', 'P', 'C', 'l', 'i', 'e', 'n', 't',
			 255);
	struct found f;

	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	http_reply(&r, HTTP_URL);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 67);
	ASSERT_EQ(strlen(HTTP_URL), f.len);
	EXPECT_EQ(0, memcmp(f.data, HTTP_URL, f.len));
	EXPECT_STREQ(HTTP_URL, (const char *)b + 108);

	/* A PXE client asking the same gets `file` alone, as before. */
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 67).len);
	EXPECT_STREQ("ipxe.efi", (const char *)b + 108);
}

TEST(reply_http_needs_a_boot_file)
{
	static const char *const files[] = { NULL, "" };
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	unsigned int i;
	int len;

	parse_ok(_metadata, edk2_http_discover, sizeof(edk2_http_discover),
		 &req);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		http_reply(&r, files[i]);
		len = dhcp_build_reply(&req, &r, b, sizeof(b));
		/* EDK2 would drop it, address and all: a plain offer. */
		EXPECT_EQ(-1, find_opt(b, len, 60).len);
		EXPECT_EQ(-1, find_opt(b, len, 67).len);
		EXPECT_EQ(-1, find_opt(b, len, 43).len);
		EXPECT_EQ(4, find_opt(b, len, 51).len);
		EXPECT_EQ(0, b[108]);
	}
}

/* The 43 a Pi's offer carries, as the Pi documentation's capture has it
 * but with the name padded by three spaces. */
static const u8 rpi_option_43[] = {
	6, 1, 3,
	10, 4, 0, 'P', 'X', 'E',
	9, 23, 0, 0, 20, 'R', 'a', 's', 'p', 'b', 'e', 'r', 'r', 'y', ' ',
		'P', 'i', ' ', 'B', 'o', 'o', 't', ' ', ' ', ' ',
	255,
};

TEST(reply_raspberry_pi_options)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	struct found f;
	int len;

	ASSERT_EQ(1, rpi_from(rpi_mac, rpi3_discover, sizeof(rpi3_discover),
			      &req));
	full_reply(&r);
	r.boot_file = "bootcode.bin";
	r.rpi = true;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 43);
	ASSERT_EQ(sizeof(rpi_option_43), f.len);
	EXPECT_EQ(0, memcmp(f.data, rpi_option_43, sizeof(rpi_option_43)));
	f = find_opt(b, len, 60);
	ASSERT_EQ(9, f.len);
	EXPECT_EQ(0, memcmp(f.data, "PXEClient", 9));
	f = find_opt(b, len, 97);
	ASSERT_EQ(17, f.len);
	EXPECT_EQ(0, memcmp(f.data, req.uuid.data, 17));
	f = find_opt(b, len, 66);
	ASSERT_EQ(8, f.len);
	EXPECT_EQ(0, memcmp(f.data, "10.0.0.1", 8));
	EXPECT_EQ(0, memcmp(b + 20, "\x0a\x00\x00\x01", 4));	/* siaddr */
	EXPECT_STREQ("bootcode.bin", (const char *)b + 108);

	/* Not a Pi reply: PXE's own 43, never the Pi's. */
	r.rpi = false;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 43);
	ASSERT_EQ(4, f.len);
	EXPECT_EQ(0, memcmp(f.data, "\x06\x01\x08\xff", 4));
}

TEST(reply_raspberry_pi_gets_66_unasked)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	int len;

	/* Option 55 without 66. */
	EXPECT_EQ(1, RPI_FROM(rpi_mac, &req, 55, 2, 43, 60, RPI_VENDOR_CLASS));
	full_reply(&r);
	r.pxe = false;
	r.rpi = true;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(8, find_opt(b, len, 66).len);
	EXPECT_EQ(sizeof(rpi_option_43), find_opt(b, len, 43).len);
	EXPECT_EQ(9, find_opt(b, len, 60).len);
	r.rpi = false;
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 66).len);
	EXPECT_EQ(-1, find_opt(b, len, 43).len);
}

TEST(reply_uuid_only_when_sent)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[1500];
	int len;

	parse_ok(_metadata, udhcpc_discover, sizeof(udhcpc_discover), &req);
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(4, find_opt(b, len, 43).len);
	EXPECT_EQ(-1, find_opt(b, len, 97).len);
}

TEST(reply_relay_info_only_through_relay)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[600];
	size_t len = MSG(q, 53, 1, 1, 82, 4, 2, 2, 'x', 'y', 255);
	struct found f;

	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	full_reply(&r);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 82).len);	/* giaddr 0 */

	req.giaddr = ip("10.9.0.1");
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 82);
	ASSERT_EQ(4, f.len);
	EXPECT_EQ(0, memcmp(f.data, "\x02\x02xy", 4));

	req.relay_info.len = 0;				/* relay without 82 */
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, find_opt(b, len, 82).len);
}

TEST(reply_message)
{
	struct dhcp_request req;
	struct dhcp_reply r = { .type = DHCP_NAK, .server_id = ip("10.0.0.1"),
				.message = "address not available" };
	u8 b[600];
	struct found f;
	int len;

	parse_ok(_metadata, dhclient_request, sizeof(dhclient_request), &req);
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	f = find_opt(b, len, 56);
	ASSERT_EQ(21, f.len);
	EXPECT_EQ(0, memcmp(f.data, "address not available", 21));
}

TEST(reply_padded_to_300)
{
	struct dhcp_request req;
	struct dhcp_reply r = { .type = DHCP_NAK, .server_id = ip("10.0.0.1") };
	u8 b[600];
	int len, i, codes_end;
	u8 codes[8];

	parse_ok(_metadata, dhclient_request, sizeof(dhclient_request), &req);
	memset(b, 0xaa, sizeof(b));
	len = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_EQ(300, len);
	ASSERT_EQ(3, opt_codes(b, len, codes));
	EXPECT_EQ(255, codes[2]);
	codes_end = 240 + 3 + 6 + 1;
	EXPECT_EQ(255, b[codes_end - 1]);
	for (i = codes_end; i < 300; i++)
		ASSERT_EQ(0, b[i]);
}

TEST(reply_needs_300_bytes)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 b[300];

	parse_ok(_metadata, dhclient_request, sizeof(dhclient_request), &req);
	full_reply(&r);
	EXPECT_EQ(-1, dhcp_build_reply(&req, &r, b, 299));
	EXPECT_EQ(300, dhcp_build_reply(&req, &r, b, 300));
}

/* A reply full enough to outgrow a small datagram. */
static void big_reply(struct dhcp_reply *r)
{
	full_reply(r);
	r->n_dns = DHCP_DNS_MAX;
	r->domain = "a-rather-long-search-domain.lab.example.org";
	r->message = "a long message that only exists to take up some room";
	r->tftp_server = "tftp-server-with-a-long-name.lab.example.org";
}

TEST(reply_max_size_respected)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[1500];
	size_t len = MSG(q, 53, 1, 1, 57, 2, 0x02, 0x58, 82, 200, 1, 198);
	int n;

	len += 198;			/* the rest of 82, zeros */
	q[len++] = 255;
	q[24] = 10;
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	ASSERT_EQ(600, req.max_size);
	big_reply(&r);
	r.boot_file = NULL;
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_LE(n, 600 - 28);

	req.max_size = 0;					/* 576 */
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_LE(n, 576 - 28);

	req.max_size = 300;				/* below 576: 576 */
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_LE(n, 576 - 28);
	EXPECT_GT(n, 300);

	req.max_size = 1500;
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_GT(n, 576 - 28);
	EXPECT_EQ(-1, find_opt(b, n, 52).len);		/* no need */
}

/* Re-parses a built reply as if a client had sent it. */
static int reparse(u8 *b, int len, struct dhcp_request *req)
{
	b[0] = DHCP_BOOTREQUEST;
	return dhcp_parse(b, len, req);
}

TEST(reply_overloads_file_and_sname)
{
	struct dhcp_request req, back;
	struct dhcp_reply r;
	u8 q[1500], b[1500];
	size_t len = MSG(q, 53, 1, 1, 82, 200, 1, 198);
	struct found f;
	int n;

	len += 198;			/* the rest of 82, zeros */
	q[len++] = 255;
	q[24] = 10;
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	ASSERT_EQ(200, req.relay_info.len);
	big_reply(&r);
	r.boot_file = NULL;
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_LE(n, 548);
	f = find_opt(b, n, 52);
	ASSERT_EQ(1, f.len);
	EXPECT_EQ(3, f.data[0]);
	EXPECT_EQ(0, find_opt(b, n, 53).area);
	EXPECT_EQ(0, find_opt(b, n, 54).area);
	EXPECT_EQ(200, find_opt(b, n, 82).len);
	EXPECT_LT(0, find_opt(b, n, 56).area);
	EXPECT_LT(0, find_opt(b, n, 66).len);
	EXPECT_LT(0, find_opt(b, n, 15).len);

	/* What the client sees. */
	ASSERT_EQ(0, reparse(b, n, &back));
	EXPECT_EQ(DHCP_OFFER, back.type);
	EXPECT_EQ(200, back.relay_info.len);
}

TEST(reply_overload_keeps_boot_file_in_file)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	u8 q[1500], b[1500];
	size_t len = MSG(q, 53, 1, 1, 82, 230, 1, 228);
	struct found f;
	int n;

	len += 228;
	q[len++] = 255;
	q[24] = 10;
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	big_reply(&r);
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_LE(n, 548);
	f = find_opt(b, n, 52);
	ASSERT_EQ(1, f.len);
	EXPECT_EQ(2, f.data[0]);		/* sname only */
	EXPECT_STREQ("ipxe.efi", (const char *)b + 108);
	EXPECT_EQ(0, reparse(b, n, &req));
}

TEST(reply_long_boot_file_goes_as_option_67)
{
	struct dhcp_request req;
	struct dhcp_reply r;
	char name[200];
	u8 q[1500], b[1500];
	size_t len = MSG(q, 53, 1, 1, 55, 1, 1, 255);	/* 67 not asked */
	struct found f;
	int n;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	full_reply(&r);
	r.boot_file = name;
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(0, b[108]);			/* does not fit `file` */
	f = find_opt(b, n, 67);
	ASSERT_EQ(199, f.len);
	EXPECT_EQ(0, memcmp(f.data, name, 199));
}

TEST(reply_http_longest_url_fits_576_bytes)
{
	struct dhcp_request req, back;
	struct dhcp_reply r;
	char url[256];		/* PXE_FILE_MAX: a rule's longest, and NUL */
	u8 b[1500];
	struct found f;
	int n;

	memset(url, 'x', sizeof(url) - 1);
	memcpy(url, "http://10.0.0.1/", 16);
	url[sizeof(url) - 1] = 0;
	parse_ok(_metadata, edk2_http_discover, sizeof(edk2_http_discover),
		 &req);
	req.max_size = 0;		/* 576 */
	http_reply(&r, url);
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_LE(n, 576 - 28);
	f = find_opt(b, n, 67);
	ASSERT_EQ(255, f.len);
	EXPECT_EQ(0, f.area);		/* one option: in the options field */
	EXPECT_EQ(0, memcmp(f.data, url, 255));
	f = find_opt(b, n, 60);
	ASSERT_EQ(10, f.len);
	EXPECT_EQ(0, memcmp(f.data, "HTTPClient", 10));
	EXPECT_NE(0, memcmp(b + 108, "http", 4));	/* too long for `file` */
	ASSERT_EQ(0, reparse(b, n, &back));
	EXPECT_TRUE(dhcp_is_http_client(&back));
}

TEST(reply_drops_optional_options_rather_than_fail)
{
	struct dhcp_request req, back;
	struct dhcp_reply r;
	u8 q[1500], b[1500];
	size_t len = MSG(q, 53, 1, 1, 82, 250, 1, 248);
	int n;

	len += 248;
	q[len++] = 255;
	q[24] = 10;
	ASSERT_EQ(0, dhcp_parse(q, len, &req));
	big_reply(&r);
	n = dhcp_build_reply(&req, &r, b, 300);
	ASSERT_EQ(300, n);
	EXPECT_EQ(1, find_opt(b, n, 53).len);
	EXPECT_EQ(4, find_opt(b, n, 54).len);
	EXPECT_EQ(-1, find_opt(b, n, 82).len);	/* fits nowhere */
	ASSERT_EQ(0, reparse(b, n, &back));
	EXPECT_EQ(DHCP_OFFER, back.type);
}

TEST(reply_round_trip)
{
	struct dhcp_request req, back;
	struct dhcp_reply r;
	u8 b[1500];
	int n;

	parse_ok(_metadata, ipxe_discover, sizeof(ipxe_discover), &req);
	full_reply(&r);
	r.type = DHCP_ACK;
	n = dhcp_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GE(n, 300);
	ASSERT_EQ(0, reparse(b, n, &back));
	EXPECT_EQ(DHCP_ACK, back.type);
	EXPECT_EQ(req.xid, back.xid);
	EXPECT_EQ(0, memcmp(back.chaddr, mac, 6));
	EXPECT_EQ(ip("10.0.0.1"), back.server_id);
	EXPECT_EQ(17, back.uuid.len);
	EXPECT_TRUE(dhcp_is_pxe_client(&back));
	EXPECT_EQ(0, memcmp(b + 16, "\x0a\x00\x00\x64", 4));
	EXPECT_EQ(3600, get_unaligned_be32(find_opt(b, n, 51).data));
	EXPECT_STREQ("ipxe.efi", (const char *)b + 108);
}

TEST_HARNESS_MAIN
