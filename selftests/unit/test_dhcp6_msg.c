// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the DHCPv6 codec (kmod/dhcp6_msg.c): parsing what clients
 * and relays send, refusing what is malformed with the reason, and
 * building replies that a small reader written here (not the codec's own
 * parser, which takes no server messages) takes apart.
 */
#include "dhcp6_msg.c"

#include "kselftest_harness.h"

/* Big-endian fields and option headers, for writing messages by hand. */
#define U16(x)		(((x) >> 8) & 0xff), ((x) & 0xff)
#define U32(x)		U16((x) >> 16), U16((x) & 0xffff)
#define OPT(code, len)	U16(code), U16(len)

#define MAC		0x52, 0x54, 0x00, 0x12, 0x34, 0x56
#define SERVER_MAC	0x02, 0x00, 0x00, 0x00, 0x00, 0x01
/* 2001:db8::100 */
#define ADDR_100	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
/* 2001:db8::1 */
#define ADDR_1		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
/* 2001:db8:1::1 */
#define LINK_1		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
/* fe80::5054:ff:fe12:3456 */
#define PEER_LL		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56
/* 2001:db8:2::1 */
#define LINK_2		0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01

/* Client id: DUID-LL of MAC; server id: DUID-LL of SERVER_MAC. */
#define CLIENT_ID	OPT(1, 10), U16(3), U16(1), MAC
#define SERVER_ID	OPT(2, 10), U16(3), U16(1), SERVER_MAC
#define PXE_VENDOR_CLASS \
	OPT(16, 38), U32(343), U16(32), 'P', 'X', 'E', 'C', 'l', 'i', 'e', \
	'n', 't', ':', 'A', 'r', 'c', 'h', ':', '0', '0', '0', '0', '7', ':', \
	'U', 'N', 'D', 'I', ':', '0', '0', '3', '0', '0', '0'

static const u8 mac[6] = { MAC };
static const u8 server_duid[] = { U16(3), U16(1), SERVER_MAC };
static const u8 addr_100[16] = { ADDR_100 };
static const u8 addr_1[16] = { ADDR_1 };
static const u8 link_1[16] = { LINK_1 };
static const u8 link_2[16] = { LINK_2 };
static const u8 peer_ll[16] = { PEER_LL };

/*
 * Messages in the shape the clients send, written here from RFC 8415's and
 * RFC 5970's layouts; each was also generated with scapy's DHCP6 layers
 * (python3-scapy 2.5) and compared byte for byte, and the same bytes are
 * the fuzz target's seeds (selftests/fuzz/corpus/fuzz_dhcp6_msg/).
 */

/*
 * UEFI PXEv6 (EDK2's UefiPxeBcDxe over Dhcp6Dxe): DUID-UUID, IA_NA without
 * an address, elapsed time, ORO 59 60 23 16, NII, arch 7, vendor class.
 */
static const u8 edk2_solicit[] = {
	DHCP6_SOLICIT, 0x0a, 0x1b, 0x2c,
	OPT(1, 18), U16(4), 0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a,
		0x9e, 0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23,
	OPT(8, 2), U16(0),
	OPT(3, 12), U32(0x50540012), U32(0), U32(0),
	OPT(6, 8), U16(59), U16(60), U16(23), U16(16),
	OPT(62, 3), 1, 3, 0,
	OPT(61, 2), U16(7),
	PXE_VENDOR_CLASS,
};

/* iPXE-style: DUID-LL, user class "iPXE" (RFC 8415 items), rapid commit. */
static const u8 ipxe_solicit[] = {
	DHCP6_SOLICIT, 0x3f, 0x00, 0x01,
	CLIENT_ID,
	OPT(6, 8), U16(23), U16(24), U16(59), U16(60),
	OPT(16, 38), U32(343), U16(32), 'P', 'X', 'E', 'C', 'l', 'i', 'e',
		'n', 't', ':', 'A', 'r', 'c', 'h', ':', '0', '0', '0', '0', '7',
		':', 'U', 'N', 'D', 'I', ':', '0', '0', '3', '0', '1', '0',
	OPT(61, 2), U16(7),
	OPT(62, 3), 1, 3, 10,
	OPT(15, 6), U16(4), 'i', 'P', 'X', 'E',
	OPT(8, 2), U16(0),
	OPT(3, 12), U32(0x12345678), U32(0), U32(0),
	OPT(14, 0),
};

/* dhclient -6 style Request: DUID-LLT, server id, IA_NA with an address. */
static const u8 dhclient_request[] = {
	DHCP6_REQUEST, 0x5a, 0x5a, 0x5a,
	OPT(1, 14), U16(1), U16(1), U32(0x2b3c4d5e), MAC,
	SERVER_ID,
	OPT(6, 4), U16(23), U16(24),
	OPT(8, 2), U16(10),
	OPT(3, 40), U32(0x123456), U32(3600), U32(5400),
		OPT(5, 24), ADDR_100, U32(7200), U32(7500),
};

#define RELAYED_SOLICIT_INNER \
	DHCP6_SOLICIT, 0x01, 0x02, 0x03, \
	OPT(1, 14), U16(1), U16(1), U32(0x2b3c4d5e), MAC, \
	OPT(8, 2), U16(0), \
	OPT(3, 12), U32(1), U32(0), U32(0)

/* A Solicit through a relay on link 2001:db8:1::/64, interface-id "eth1". */
#define RELAYED_SOLICIT \
	DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, \
	OPT(18, 4), 'e', 't', 'h', '1', \
	OPT(9, 44), RELAYED_SOLICIT_INNER
static const u8 relayed_solicit[] = { RELAYED_SOLICIT };

/* The same through a second relay, interface-id "port-7". */
static const u8 relayed_twice[] = {
	DHCP6_RELAY_FORW, 1, LINK_2, LINK_1,
	OPT(18, 6), 'p', 'o', 'r', 't', '-', '7',
	OPT(9, 90), RELAYED_SOLICIT,
};

static int parse_msg(const u8 *m, size_t n, struct dhcp6_request *req)
{
	return dhcp6_parse(m, n, req);
}

#define PARSE(req, ...) ({						\
	static const u8 __m[] = { __VA_ARGS__ };			\
	parse_msg(__m, sizeof(__m), req);				\
})

/*
 * @inner wrapped in @depth Relay-Forw messages, written from the inside
 * out at the end of @buf; returns where the outermost starts.
 */
static const u8 *wrap_relays(u8 *buf, size_t size, const u8 *inner, size_t n,
			     unsigned int depth, size_t *len)
{
	u8 *p = buf + size - n;
	unsigned int i;

	memcpy(p, inner, n);
	for (i = 0; i < depth; i++) {
		size_t body = buf + size - p;

		p -= DHCP6_RELAY_HDR_LEN + DHCP6_OPT_HDR_LEN;
		memset(p, 0, DHCP6_RELAY_HDR_LEN);
		p[0] = DHCP6_RELAY_FORW;
		p[1] = i;			/* hop-count: 0 nearest the client */
		p[DHCP6_RELAY_HDR_LEN - 1] = 100 + i;	/* peer ::100+i */
		put_unaligned_be16(DHCP6_OPT_RELAY_MSG, p + DHCP6_RELAY_HDR_LEN);
		put_unaligned_be16(body, p + DHCP6_RELAY_HDR_LEN + 2);
	}
	*len = buf + size - p;
	return p;
}

/* --- a reader for built messages, independent of dhcp6_parse() --- */

struct found {
	const u8 *data;
	int len;		/* -1: absent */
};

/* The first option @code of the area. */
static struct found find_opt(const u8 *p, size_t len, u16 code)
{
	struct found f = { NULL, -1 };
	size_t i = 0;

	while (i + 4 <= len) {
		u16 c = p[i] << 8 | p[i + 1];
		u16 l = p[i + 2] << 8 | p[i + 3];

		if (i + 4 + l > len)
			break;
		if (c == code) {
			f.data = p + i + 4;
			f.len = l;
			return f;
		}
		i += 4 + l;
	}
	return f;
}

/* The codes of the area's options, in order; their count. */
static int opt_codes(const u8 *p, size_t len, u16 *codes)
{
	size_t i = 0;
	int n = 0;

	while (i + 4 <= len) {
		codes[n++] = p[i] << 8 | p[i + 1];
		i += 4 + (p[i + 2] << 8 | p[i + 3]);
	}
	return i == len ? n : -1;
}

/* An option of a client or server message (after its 4-byte header). */
static struct found msg_opt(const u8 *m, size_t len, u16 code)
{
	return find_opt(m + DHCP6_HDR_LEN, len - DHCP6_HDR_LEN, code);
}

static u32 be32_at(const u8 *p)
{
	return get_unaligned_be32(p);
}

static void advertise_for(struct dhcp6_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->type = DHCP6_ADVERTISE;
	r->server_duid = server_duid;
	r->server_duid_len = sizeof(server_duid);
	r->ia.present = true;
	r->ia.t1 = 1800;
	r->ia.t2 = 2880;
	memcpy(r->ia.addr, addr_100, 16);
	r->ia.preferred = 3600;
	r->ia.valid = 3600;
	r->has_preference = true;
	r->preference = 255;
	memcpy(r->dns[0], addr_1, 16);
	r->n_dns = 1;
	r->pxe = true;
	r->boot_url = "tftp://[2001:db8::1]/ipxe.efi";
}

/* --- parsing what clients send --- */

TEST(parse_edk2_solicit)
{
	struct dhcp6_request req;
	const u8 *item;
	size_t ilen;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	EXPECT_EQ(DHCP6_SOLICIT, req.type);
	EXPECT_EQ(0x0a1b2c, req.xid);
	EXPECT_EQ(18, req.client_id.len);
	EXPECT_EQ(edk2_solicit + 8, req.client_id.data);
	EXPECT_EQ(DHCP6_DUID_UUID, req.duid_type);
	EXPECT_FALSE(req.has_mac);
	EXPECT_EQ(NULL, req.server_id.data);
	EXPECT_TRUE(req.ia_na.present);
	EXPECT_EQ(0x50540012, req.ia_na.iaid);
	EXPECT_EQ(0, req.ia_na.t1);
	EXPECT_FALSE(req.ia_na.has_addr);
	EXPECT_EQ(4, req.n_oro);
	EXPECT_TRUE(dhcp6_requested(&req, DHCP6_OPT_BOOTFILE_URL));
	EXPECT_TRUE(dhcp6_requested(&req, DHCP6_OPT_BOOTFILE_PARAM));
	EXPECT_TRUE(dhcp6_requested(&req, DHCP6_OPT_DNS_SERVERS));
	EXPECT_TRUE(dhcp6_requested(&req, DHCP6_OPT_VENDOR_CLASS));
	EXPECT_FALSE(dhcp6_requested(&req, 24));
	EXPECT_TRUE(req.has_elapsed);
	EXPECT_EQ(0, req.elapsed);
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(7, req.arch);
	EXPECT_TRUE(req.has_nii);
	EXPECT_EQ(0, memcmp(req.nii, "\x01\x03\x00", 3));
	EXPECT_TRUE(req.has_vendor_class);
	EXPECT_EQ(343, req.vendor_enterprise);
	EXPECT_EQ(34, req.vendor_class.len);
	EXPECT_TRUE(dhcp6_is_pxe_client(&req));
	EXPECT_TRUE(dhcp6_vendor_class_starts(&req, "PXEClient:Arch:00007"));
	EXPECT_FALSE(dhcp6_vendor_class_starts(&req, "HTTPClient"));
	ASSERT_TRUE(dhcp6_vendor_class_first(&req, &item, &ilen));
	EXPECT_EQ(32, ilen);
	EXPECT_EQ(0, memcmp(item, "PXEClient:Arch:00007:UNDI:003000", 32));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_FALSE(req.rapid_commit);
	EXPECT_EQ(0, req.relay_depth);
}

TEST(parse_ipxe_solicit)
{
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(ipxe_solicit, sizeof(ipxe_solicit), &req));
	EXPECT_EQ(DHCP6_SOLICIT, req.type);
	EXPECT_EQ(0x3f0001, req.xid);
	EXPECT_EQ(DHCP6_DUID_LL, req.duid_type);
	EXPECT_TRUE(req.has_mac);
	EXPECT_EQ(0, memcmp(req.mac, mac, 6));
	EXPECT_TRUE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPX"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "gPXE"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, ""));
	EXPECT_TRUE(req.rapid_commit);
	EXPECT_TRUE(dhcp6_is_pxe_client(&req));
	EXPECT_TRUE(dhcp6_requested(&req, 24));
	EXPECT_EQ(0x12345678, req.ia_na.iaid);
	EXPECT_EQ(0, memcmp(req.nii, "\x01\x03\x0a", 3));
}

TEST(parse_dhclient_request)
{
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(dhclient_request, sizeof(dhclient_request), &req));
	EXPECT_EQ(DHCP6_REQUEST, req.type);
	EXPECT_EQ(0x5a5a5a, req.xid);
	EXPECT_EQ(DHCP6_DUID_LLT, req.duid_type);
	EXPECT_TRUE(req.has_mac);
	EXPECT_EQ(0, memcmp(req.mac, mac, 6));
	EXPECT_EQ(10, req.server_id.len);
	EXPECT_EQ(0, memcmp(req.server_id.data, server_duid, 10));
	EXPECT_TRUE(req.ia_na.present);
	EXPECT_EQ(0x123456, req.ia_na.iaid);
	EXPECT_EQ(3600, req.ia_na.t1);
	EXPECT_EQ(5400, req.ia_na.t2);
	EXPECT_TRUE(req.ia_na.has_addr);
	EXPECT_EQ(0, memcmp(req.ia_na.addr, addr_100, 16));
	EXPECT_EQ(7200, req.ia_na.preferred);
	EXPECT_EQ(7500, req.ia_na.valid);
	EXPECT_EQ(10, req.elapsed);
	EXPECT_FALSE(req.has_arch);
	EXPECT_FALSE(req.has_nii);
	EXPECT_FALSE(req.has_vendor_class);
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	EXPECT_FALSE(dhcp6_requested(&req, 59));
}

TEST(parse_relayed_solicit)
{
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(relayed_solicit, sizeof(relayed_solicit), &req));
	EXPECT_EQ(1, req.relay_depth);
	EXPECT_EQ(0, req.relay.hop_count);
	EXPECT_EQ(0, memcmp(req.relay.link_address, link_1, 16));
	EXPECT_EQ(0, memcmp(req.relay.peer_address, peer_ll, 16));
	EXPECT_EQ(4, req.relay.interface_id.len);
	EXPECT_EQ(0, memcmp(req.relay.interface_id.data, "eth1", 4));
	EXPECT_EQ(DHCP6_SOLICIT, req.type);
	EXPECT_EQ(0x010203, req.xid);
	EXPECT_TRUE(req.has_mac);
	EXPECT_EQ(1, req.ia_na.iaid);
	EXPECT_TRUE(req.msg == relayed_solicit);
	EXPECT_EQ(sizeof(relayed_solicit), req.msg_len);
}

TEST(parse_relayed_twice_gives_the_relay_on_the_clients_link)
{
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(relayed_twice, sizeof(relayed_twice), &req));
	EXPECT_EQ(2, req.relay_depth);
	EXPECT_EQ(0, req.relay.hop_count);
	EXPECT_EQ(0, memcmp(req.relay.link_address, link_1, 16));
	EXPECT_EQ(0, memcmp(req.relay.interface_id.data, "eth1", 4));
	EXPECT_EQ(0x010203, req.xid);
}

TEST(relays_name_the_clients_link_by_the_nearest_usable_link_address)
{
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(relayed_solicit, sizeof(relayed_solicit), &req));
	EXPECT_TRUE(req.has_link);
	EXPECT_EQ(0, memcmp(req.link, link_1, 16));
	ASSERT_EQ(0, parse_msg(relayed_twice, sizeof(relayed_twice), &req));
	EXPECT_TRUE(req.has_link);
	EXPECT_EQ(0, memcmp(req.link, link_1, 16));
	ASSERT_EQ(0, parse_msg(dhclient_request, sizeof(dhclient_request), &req));
	EXPECT_FALSE(req.has_link);
}

/* A lightweight relay (RFC 6221) names no link: link-address ::. */
#define LDRA_SOLICIT \
	DHCP6_RELAY_FORW, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
	PEER_LL, OPT(18, 4), 'p', 'o', 'r', 't', \
	OPT(9, 44), RELAYED_SOLICIT_INNER

/*
 * Alone, or with a link-local link-address, a relay names no link; a
 * routing relay with only a link-local address hides its client's link
 * even behind a relay that names one.
 */
TEST(ldra_or_link_local_relay_names_no_link)
{
	static const u8 ldra[] = { LDRA_SOLICIT };
	static const u8 link_local[] = {
		DHCP6_RELAY_FORW, 0, PEER_LL, PEER_LL,
		OPT(9, 44), RELAYED_SOLICIT_INNER,
	};
	static const u8 behind[] = {
		DHCP6_RELAY_FORW, 1, LINK_2, PEER_LL,
		OPT(9, 82), DHCP6_RELAY_FORW, 0, PEER_LL, PEER_LL,
		OPT(9, 44), RELAYED_SOLICIT_INNER,
	};
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(ldra, sizeof(ldra), &req));
	EXPECT_EQ(1, req.relay_depth);
	EXPECT_FALSE(req.has_link);
	EXPECT_FALSE(req.link_local);
	ASSERT_EQ(0, parse_msg(link_local, sizeof(link_local), &req));
	EXPECT_EQ(1, req.relay_depth);
	EXPECT_FALSE(req.has_link);
	EXPECT_TRUE(req.link_local);
	ASSERT_EQ(0, parse_msg(behind, sizeof(behind), &req));
	EXPECT_EQ(2, req.relay_depth);
	EXPECT_FALSE(req.has_link);
	EXPECT_TRUE(req.link_local);
}

TEST(ldra_behind_a_relay_takes_the_relays_link)
{
	static const u8 m[] = {
		DHCP6_RELAY_FORW, 1, LINK_2, PEER_LL,
		OPT(9, 90), LDRA_SOLICIT,
	};
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(m, sizeof(m), &req));
	EXPECT_EQ(2, req.relay_depth);
	EXPECT_TRUE(req.has_link);
	EXPECT_EQ(0, memcmp(req.link, link_2, 16));
}

/* Option 79 (RFC 6939): a DUID-UUID client's MAC, as its relay saw it. */
#define UUID_SOLICIT_INNER \
	DHCP6_SOLICIT, 0x04, 0x05, 0x06, \
	OPT(1, 18), U16(4), 0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a, \
		0x9e, 0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23, \
	OPT(3, 12), U32(1), U32(0), U32(0)

static const u8 relayed_lladdr[] = {
	DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
	OPT(79, 8), U16(1), 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
	OPT(9, 42), UUID_SOLICIT_INNER,
};

TEST(parse_relay_client_link_layer_address)
{
	static const u8 lladdr[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct dhcp6_request req;

	ASSERT_EQ(0, parse_msg(relayed_lladdr, sizeof(relayed_lladdr), &req));
	EXPECT_EQ(DHCP6_DUID_UUID, req.duid_type);
	EXPECT_FALSE(req.has_mac);
	EXPECT_TRUE(req.relay.has_client_mac);
	EXPECT_EQ(0, memcmp(req.relay.client_mac, lladdr, 6));
	/* Without option 79: none. */
	ASSERT_EQ(0, parse_msg(relayed_solicit, sizeof(relayed_solicit), &req));
	EXPECT_FALSE(req.relay.has_client_mac);
}

/* The relay on the client's link says it; an outer relay's is not read. */
TEST(parse_client_link_layer_address_of_the_innermost_relay)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req,
		DHCP6_RELAY_FORW, 1, LINK_2, LINK_1,
		OPT(79, 8), U16(1), 0x02, 0x99, 0x99, 0x99, 0x99, 0x99,
		OPT(9, 80), DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(9, 42), UUID_SOLICIT_INNER));
	EXPECT_EQ(2, req.relay_depth);
	EXPECT_FALSE(req.relay.has_client_mac);
}

/* Not Ethernet, or not 6 bytes: no MAC, and the message is still served. */
TEST(parse_client_link_layer_address_other_than_ethernet_is_ignored)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
		OPT(79, 8), U16(6), 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
		OPT(9, 42), UUID_SOLICIT_INNER));
	EXPECT_FALSE(req.relay.has_client_mac);
	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
		OPT(79, 7), U16(1), 0x02, 0x11, 0x22, 0x33, 0x44,
		OPT(9, 42), UUID_SOLICIT_INNER));
	EXPECT_FALSE(req.relay.has_client_mac);
	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
		OPT(79, 0),
		OPT(9, 42), UUID_SOLICIT_INNER));
	EXPECT_FALSE(req.relay.has_client_mac);
}

/* Twice in one Relay-Forw: the first counts, nothing is refused. */
TEST(parse_client_link_layer_address_twice_takes_the_first)
{
	static const u8 first[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
		OPT(79, 8), U16(1), 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
		OPT(79, 8), U16(1), 0x02, 0x66, 0x66, 0x66, 0x66, 0x66,
		OPT(9, 42), UUID_SOLICIT_INNER));
	EXPECT_TRUE(req.relay.has_client_mac);
	EXPECT_EQ(0, memcmp(req.relay.client_mac, first, 6));
}

/* Each client message the server answers, with what RFC 8415 16 asks. */
TEST(parse_every_client_type)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_CONFIRM, 0, 0, 1, CLIENT_ID));
	EXPECT_EQ(DHCP6_CONFIRM, req.type);
	EXPECT_EQ(0, PARSE(&req, DHCP6_RENEW, 0, 0, 1, CLIENT_ID, SERVER_ID));
	EXPECT_EQ(DHCP6_RENEW, req.type);
	EXPECT_EQ(0, PARSE(&req, DHCP6_REBIND, 0, 0, 1, CLIENT_ID));
	EXPECT_EQ(DHCP6_REBIND, req.type);
	EXPECT_EQ(0, PARSE(&req, DHCP6_RELEASE, 0, 0, 1, CLIENT_ID, SERVER_ID));
	EXPECT_EQ(DHCP6_RELEASE, req.type);
	EXPECT_EQ(0, PARSE(&req, DHCP6_DECLINE, 0, 0, 1, CLIENT_ID, SERVER_ID));
	EXPECT_EQ(DHCP6_DECLINE, req.type);
	EXPECT_EQ(0, PARSE(&req, DHCP6_INFORMATION_REQUEST, 0xff, 0xff, 0xff));
	EXPECT_EQ(DHCP6_INFORMATION_REQUEST, req.type);
	EXPECT_EQ(0xffffff, req.xid);
	EXPECT_EQ(NULL, req.client_id.data);
	EXPECT_EQ(0, req.duid_type);
}

TEST(parse_information_request_with_ids)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_INFORMATION_REQUEST, 0, 0, 1,
			   CLIENT_ID, SERVER_ID, OPT(6, 2), U16(23)));
	EXPECT_TRUE(req.has_mac);
	EXPECT_EQ(10, req.server_id.len);
	EXPECT_TRUE(dhcp6_requested(&req, 23));
}

/* --- what is refused --- */

TEST(refuse_truncated_header)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_TRUNCATED, parse_msg(edk2_solicit, 0, &req));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED, parse_msg(edk2_solicit, 1, &req));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED, parse_msg(edk2_solicit, 3, &req));
	EXPECT_EQ(-DHCP6_ERR_NO_CLIENT_ID, parse_msg(edk2_solicit, 4, &req));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED,
		  parse_msg(relayed_solicit, DHCP6_RELAY_HDR_LEN - 1, &req));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED, parse_msg(relayed_solicit, 1, &req));
}

TEST(refuse_truncated_relayed_message)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_TRUNCATED,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, OPT(9, 0)));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, OPT(9, 3),
			DHCP6_SOLICIT, 0, 0));
	EXPECT_EQ(-DHCP6_ERR_TRUNCATED,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, OPT(9, 2),
			DHCP6_RELAY_FORW, 0));
}

TEST(refuse_types_the_server_never_answers)
{
	static const u8 refused[] = {
		0, DHCP6_ADVERTISE, DHCP6_REPLY, DHCP6_RECONFIGURE,
		DHCP6_RELAY_REPL, 14, 20, 35, 255,
	};
	struct dhcp6_request req;
	u8 b[sizeof(ipxe_solicit)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		memcpy(b, ipxe_solicit, sizeof(b));
		b[0] = refused[i];
		EXPECT_EQ(-DHCP6_ERR_BAD_TYPE, parse_msg(b, sizeof(b), &req))
			TH_LOG("type %u", refused[i]);
		/* The type is judged first: even one byte of it. */
		EXPECT_EQ(-DHCP6_ERR_BAD_TYPE, parse_msg(b, 1, &req));
	}
}

TEST(refuse_relayed_server_message)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_TYPE,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, OPT(9, 18),
			DHCP6_REPLY, 0, 0, 1, CLIENT_ID));
	EXPECT_EQ(-DHCP6_ERR_BAD_TYPE,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL, OPT(9, 38),
			DHCP6_RELAY_REPL, 0, LINK_1, PEER_LL, OPT(9, 0)));
}

TEST(refuse_option_past_end)
{
	struct dhcp6_request req;
	u8 b[sizeof(dhclient_request)];

	/* The last option (IA_NA) one byte longer than the message. */
	memcpy(b, dhclient_request, sizeof(b));
	b[53] = 41;
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION, parse_msg(b, sizeof(b), &req));
	/* The message one byte short of its last option. */
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  parse_msg(dhclient_request, sizeof(dhclient_request) - 1, &req));
}

TEST(refuse_stray_bytes_after_last_option)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, 0));
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, 0, 8, 0));
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, 0, 8, 0, 2, 0));
}

TEST(refuse_suboption_past_end_of_ia_na)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 20), U32(1), U32(0), U32(0),
			OPT(5, 5), 1, 2, 3, 4));
	/* A few stray bytes after IA_NA's last suboption. */
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 14), U32(1), U32(0), U32(0), 0, 13));
}

TEST(refuse_suboption_past_end_of_ia_address)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 44), U32(1), U32(0), U32(0),
			OPT(5, 28), ADDR_100, U32(0), U32(0),
				OPT(13, 1)));
}

TEST(refuse_option_past_end_of_relay)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(18, 4), 'e', 't', 'h'));
	/* Option 9 longer than what follows. */
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(9, 45), RELAYED_SOLICIT_INNER));
}

TEST(refuse_option_past_end_inside_relayed_message)
{
	struct dhcp6_request req;
	u8 b[sizeof(relayed_twice)];

	/* The innermost Solicit's last option (IA_NA) claims 13 bytes. */
	memcpy(b, relayed_twice, sizeof(b));
	b[sizeof(b) - 13] = 13;
	EXPECT_EQ(-DHCP6_ERR_BAD_OPTION, parse_msg(b, sizeof(b), &req));
}

TEST(refuse_short_ia_na)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_IA_NA,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 11), U32(1), U32(0), 0, 0, 0));
	EXPECT_EQ(-DHCP6_ERR_BAD_IA_NA,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, OPT(3, 0)));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(3, 12), U32(1), U32(0), U32(0)));
}

TEST(refuse_short_ia_address)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_IAADDR,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 39), U32(1), U32(0), U32(0),
			OPT(5, 23), ADDR_100, U32(0), 0, 0, 0));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(3, 40), U32(1), U32(0), U32(0),
			   OPT(5, 24), ADDR_100, U32(0), U32(0)));
}

/* Every IA_NA is checked, though only the first is read. */
TEST(refuse_malformed_second_ia_na)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_IA_NA,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 12), U32(1), U32(0), U32(0),
			OPT(3, 4), U32(2)));
	EXPECT_EQ(-DHCP6_ERR_BAD_IAADDR,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			OPT(3, 40), U32(1), U32(0), U32(0),
			OPT(5, 24), ADDR_100, U32(0), U32(0),
			OPT(3, 16), U32(2), U32(0), U32(0), OPT(5, 0)));
}

TEST(refuse_duplicate_client_id)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_DUP_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, CLIENT_ID));
	/* Even an identical one, and however far apart. */
	EXPECT_EQ(-DHCP6_ERR_DUP_OPTION,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, OPT(8, 2),
			U16(0), OPT(1, 3), 0, 4, 1));
}

TEST(refuse_duplicate_server_id)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_DUP_OPTION,
		  PARSE(&req, DHCP6_REQUEST, 0, 0, 1, CLIENT_ID, SERVER_ID,
			SERVER_ID));
}

TEST(refuse_duplicate_relay_message)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_DUP_OPTION,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(9, 44), RELAYED_SOLICIT_INNER,
			OPT(9, 44), RELAYED_SOLICIT_INNER));
}

TEST(refuse_duplicate_interface_id)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_DUP_OPTION,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(18, 1), 'a', OPT(9, 44), RELAYED_SOLICIT_INNER,
			OPT(18, 1), 'b'));
}

/* The same option at two relay levels is no duplicate. */
TEST(interface_id_at_each_level_is_no_duplicate)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, parse_msg(relayed_twice, sizeof(relayed_twice), &req));
}

TEST(refuse_duid_too_short)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_BAD_DUID,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, OPT(1, 2), U16(4)));
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID,
		  PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, OPT(1, 0)));
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID,
		  PARSE(&req, DHCP6_REQUEST, 0, 0, 1, CLIENT_ID,
			OPT(2, 2), U16(3)));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, OPT(1, 3), U16(2), 9));
	EXPECT_EQ(DHCP6_DUID_EN, req.duid_type);
	EXPECT_FALSE(req.has_mac);
}

/* A DUID of @len bytes as the client id of a Solicit, in @b. */
static size_t solicit_with_duid(u8 *b, u16 code, size_t len)
{
	b[0] = DHCP6_SOLICIT;
	memset(b + 1, 0, 3);
	put_unaligned_be16(code, b + 4);
	put_unaligned_be16(len, b + 6);
	memset(b + 8, 0xd0, len);
	put_unaligned_be16(DHCP6_DUID_EN, b + 8);
	return 8 + len;
}

TEST(refuse_duid_too_long)
{
	struct dhcp6_request req;
	u8 b[200];
	size_t n;

	n = solicit_with_duid(b, DHCP6_OPT_CLIENT_ID, 131);
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID, parse_msg(b, n, &req));
	n = solicit_with_duid(b, DHCP6_OPT_CLIENT_ID, 130);
	EXPECT_EQ(0, parse_msg(b, n, &req));
	EXPECT_EQ(130, req.client_id.len);
	/* A server id too long refuses a Solicit before its other faults. */
	n = solicit_with_duid(b, DHCP6_OPT_SERVER_ID, 131);
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID, parse_msg(b, n, &req));
}

TEST(refuse_missing_client_id)
{
	static const u8 types[] = {
		DHCP6_SOLICIT, DHCP6_REQUEST, DHCP6_CONFIRM, DHCP6_RENEW,
		DHCP6_REBIND, DHCP6_RELEASE, DHCP6_DECLINE,
	};
	struct dhcp6_request req;
	u8 b[] = { 0, 0, 0, 1, SERVER_ID, OPT(8, 2), U16(0) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		b[0] = types[i];
		EXPECT_EQ(-DHCP6_ERR_NO_CLIENT_ID, parse_msg(b, sizeof(b), &req))
			TH_LOG("type %u", types[i]);
	}
}

TEST(refuse_missing_server_id)
{
	static const u8 types[] = {
		DHCP6_REQUEST, DHCP6_RENEW, DHCP6_RELEASE, DHCP6_DECLINE,
	};
	struct dhcp6_request req;
	u8 b[] = { 0, 0, 0, 1, CLIENT_ID };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		b[0] = types[i];
		EXPECT_EQ(-DHCP6_ERR_NO_SERVER_ID, parse_msg(b, sizeof(b), &req))
			TH_LOG("type %u", types[i]);
	}
}

TEST(refuse_server_id_where_none_belongs)
{
	static const u8 types[] = { DHCP6_SOLICIT, DHCP6_CONFIRM, DHCP6_REBIND };
	struct dhcp6_request req;
	u8 b[] = { 0, 0, 0, 1, CLIENT_ID, SERVER_ID };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		b[0] = types[i];
		EXPECT_EQ(-DHCP6_ERR_UNEXPECTED_SERVER_ID,
			  parse_msg(b, sizeof(b), &req))
			TH_LOG("type %u", types[i]);
	}
}

TEST(refuse_information_request_with_ia)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_UNEXPECTED_IA,
		  PARSE(&req, DHCP6_INFORMATION_REQUEST, 0, 0, 1, CLIENT_ID,
			OPT(3, 12), U32(1), U32(0), U32(0)));
	EXPECT_EQ(-DHCP6_ERR_UNEXPECTED_IA,
		  PARSE(&req, DHCP6_INFORMATION_REQUEST, 0, 0, 1,
			OPT(4, 4), U32(1)));
	EXPECT_EQ(-DHCP6_ERR_UNEXPECTED_IA,
		  PARSE(&req, DHCP6_INFORMATION_REQUEST, 0, 0, 1,
			OPT(25, 12), U32(1), U32(0), U32(0)));
}

TEST(refuse_relay_without_relay_message)
{
	struct dhcp6_request req;

	EXPECT_EQ(-DHCP6_ERR_NO_RELAY_MSG,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL));
	EXPECT_EQ(-DHCP6_ERR_NO_RELAY_MSG,
		  PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			OPT(18, 4), 'e', 't', 'h', '1'));
}

TEST(relay_nesting_at_the_limit_and_one_past)
{
	static const u8 inner[] = { RELAYED_SOLICIT_INNER };
	struct dhcp6_request req;
	static u8 b[4096];
	const u8 *m;
	size_t n;

	m = wrap_relays(b, sizeof(b), inner, sizeof(inner),
			DHCP6_RELAY_DEPTH_MAX, &n);
	ASSERT_EQ(0, parse_msg(m, n, &req));
	EXPECT_EQ(DHCP6_RELAY_DEPTH_MAX, req.relay_depth);
	EXPECT_EQ(0, req.relay.hop_count);
	EXPECT_EQ(100, req.relay.peer_address[15]);
	EXPECT_EQ(0x010203, req.xid);

	m = wrap_relays(b, sizeof(b), inner, sizeof(inner),
			DHCP6_RELAY_DEPTH_MAX + 1, &n);
	EXPECT_EQ(-DHCP6_ERR_RELAY_TOO_DEEP, parse_msg(m, n, &req));
}

/* --- what is let through --- */

TEST(unknown_options_are_skipped)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(39, 3), 0, 1, 'x',		/* FQDN */
			   OPT(1000, 0),
			   OPT(0, 2), 0, 0,
			   OPT(0xffff, 1), 7,
			   OPT(4, 4), U32(9),		/* IA_TA */
			   OPT(25, 12), U32(9), U32(0), U32(0),	/* IA_PD */
			   OPT(9, 4), 1, 2, 3, 4,	/* relay msg in a client's */
			   OPT(18, 1), 'x',
			   CLIENT_ID));
	EXPECT_TRUE(req.has_mac);
	EXPECT_FALSE(req.ia_na.present);
}

TEST(unknown_suboptions_are_skipped)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_REQUEST, 0, 0, 1, CLIENT_ID, SERVER_ID,
			   OPT(3, 58), U32(7), U32(0), U32(0),
			   OPT(13, 2), U16(0),
			   OPT(5, 36), ADDR_100, U32(1), U32(2),
				OPT(13, 3), U16(0), 'x', OPT(99, 1), 0));
	EXPECT_TRUE(req.ia_na.has_addr);
	EXPECT_EQ(2, req.ia_na.valid);
}

TEST(relay_options_other_than_9_and_18_are_skipped)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 255, LINK_1, PEER_LL,
			   OPT(37, 6), U32(9), 'r', 'i',	/* remote-id */
			   OPT(79, 8), U16(1), MAC,	/* client link-layer */
			   OPT(9, 44), RELAYED_SOLICIT_INNER));
	EXPECT_EQ(255, req.relay.hop_count);
	EXPECT_EQ(NULL, req.relay.interface_id.data);
}

TEST(empty_interface_id_is_present)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_RELAY_FORW, 0, LINK_1, PEER_LL,
			   OPT(18, 0), OPT(9, 44), RELAYED_SOLICIT_INNER));
	EXPECT_NE(NULL, req.relay.interface_id.data);
	EXPECT_EQ(0, req.relay.interface_id.len);
}

TEST(wrong_length_options_read_as_absent)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(8, 3), 0, 0, 0,
			   OPT(14, 1), 0,
			   OPT(16, 3), 0, 0, 1,
			   OPT(61, 1), 7,
			   OPT(62, 2), 1, 3));
	EXPECT_FALSE(req.has_elapsed);
	EXPECT_FALSE(req.rapid_commit);
	EXPECT_FALSE(req.has_vendor_class);
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	EXPECT_FALSE(req.has_arch);
	EXPECT_FALSE(req.has_nii);
}

TEST(first_instance_wins_even_when_invalid)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(8, 3), 0, 0, 0, OPT(8, 2), U16(5),
			   OPT(61, 2), U16(9), OPT(61, 2), U16(7),
			   OPT(6, 2), U16(23), OPT(6, 2), U16(59),
			   OPT(15, 3), U16(1), 'a', OPT(15, 6), U16(4), 'i', 'P', 'X', 'E',
			   OPT(14, 1), 0, OPT(14, 0)));
	EXPECT_FALSE(req.has_elapsed);
	EXPECT_EQ(9, req.arch);
	EXPECT_TRUE(dhcp6_requested(&req, 23));
	EXPECT_FALSE(dhcp6_requested(&req, 59));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_FALSE(req.rapid_commit);
}

TEST(first_ia_na_and_first_address_are_read)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_REQUEST, 0, 0, 1, CLIENT_ID, SERVER_ID,
			   OPT(3, 12), U32(1), U32(10), U32(20),
			   OPT(3, 40), U32(2), U32(0), U32(0),
				OPT(5, 24), ADDR_1, U32(3), U32(4)));
	EXPECT_EQ(1, req.ia_na.iaid);
	EXPECT_EQ(10, req.ia_na.t1);
	EXPECT_EQ(20, req.ia_na.t2);
	EXPECT_FALSE(req.ia_na.has_addr);

	EXPECT_EQ(0, PARSE(&req, DHCP6_REQUEST, 0, 0, 1, CLIENT_ID, SERVER_ID,
			   OPT(3, 68), U32(1), U32(0), U32(0),
				OPT(5, 24), ADDR_100, U32(5), U32(6),
				OPT(5, 24), ADDR_1, U32(7), U32(8)));
	EXPECT_EQ(0, memcmp(req.ia_na.addr, addr_100, 16));
	EXPECT_EQ(5, req.ia_na.preferred);
	EXPECT_EQ(6, req.ia_na.valid);
}

TEST(arch_takes_the_first_entry)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(61, 5), U16(16), U16(7), 0));
	EXPECT_TRUE(req.has_arch);
	EXPECT_EQ(16, req.arch);
}

TEST(oro_of_odd_length_drops_the_last_byte)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(6, 5), U16(23), U16(59), 60));
	EXPECT_EQ(2, req.n_oro);
	EXPECT_TRUE(dhcp6_requested(&req, 59));
	EXPECT_FALSE(dhcp6_requested(&req, 60));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, OPT(6, 0)));
	EXPECT_EQ(0, req.n_oro);
	EXPECT_FALSE(dhcp6_requested(&req, 23));
}

TEST(user_class_bare_or_in_items)
{
	struct dhcp6_request req;

	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(15, 4), 'i', 'P', 'X', 'E'));
	EXPECT_TRUE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(15, 11), U16(3), 'f', 'o', 'o', U16(4),
			   'i', 'P', 'X', 'E'));
	EXPECT_TRUE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_TRUE(dhcp6_has_user_class(&req, "foo"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "fo"));
	/* An item running past the option ends the search. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(15, 10), U16(3), 'f', 'o', 'o', U16(4), 'i', 'P', 'X'));
	EXPECT_TRUE(dhcp6_has_user_class(&req, "foo"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPX"));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID, OPT(15, 0)));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPXE"));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(15, 1), 0));
	EXPECT_FALSE(dhcp6_has_user_class(&req, "iPXE"));
}

TEST(vendor_class_matches_the_first_item_only)
{
	struct dhcp6_request req;
	const u8 *item;
	size_t ilen;

	/* Any enterprise number. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 15), U32(9), U16(9),
			   'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't'));
	EXPECT_TRUE(dhcp6_is_pxe_client(&req));
	EXPECT_EQ(9, req.vendor_enterprise);
	/* One byte short. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 14), U32(343), U16(8),
			   'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n'));
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	/* In the second item. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 18), U32(343), U16(1), 'x', U16(9),
			   'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't'));
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	ASSERT_TRUE(dhcp6_vendor_class_first(&req, &item, &ilen));
	EXPECT_EQ(1, ilen);
	EXPECT_EQ('x', item[0]);
	/* The item's length runs past the option. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 15), U32(343), U16(10),
			   'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't'));
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	EXPECT_FALSE(dhcp6_vendor_class_first(&req, &item, &ilen));
	EXPECT_EQ(NULL, item);
	EXPECT_EQ(0, ilen);
	/* No items at all; case matters. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 4), U32(343)));
	EXPECT_TRUE(req.has_vendor_class);
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
	EXPECT_FALSE(dhcp6_vendor_class_first(&req, &item, &ilen));
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1, CLIENT_ID,
			   OPT(16, 15), U32(343), U16(9),
			   'p', 'x', 'e', 'c', 'l', 'i', 'e', 'n', 't'));
	EXPECT_FALSE(dhcp6_is_pxe_client(&req));
}

TEST(duid_gives_a_mac_only_for_ethernet)
{
	struct dhcp6_request req;

	/* DUID-LLT of another hardware type (6, IEEE 802). */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(1, 14), U16(1), U16(6), U32(1), MAC));
	EXPECT_EQ(DHCP6_DUID_LLT, req.duid_type);
	EXPECT_FALSE(req.has_mac);
	/* DUID-LL of 8 bytes of address. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(1, 12), U16(3), U16(1), MAC, 0, 0));
	EXPECT_FALSE(req.has_mac);
	/* DUID-LL cut short. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(1, 3), U16(3), 0));
	EXPECT_EQ(DHCP6_DUID_LL, req.duid_type);
	EXPECT_FALSE(req.has_mac);
	/* DUID-EN, and an unknown type. */
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(1, 14), U16(2), U32(343), U16(3), MAC));
	EXPECT_EQ(DHCP6_DUID_EN, req.duid_type);
	EXPECT_FALSE(req.has_mac);
	EXPECT_EQ(0, PARSE(&req, DHCP6_SOLICIT, 0, 0, 1,
			   OPT(1, 10), U16(99), U16(1), MAC));
	EXPECT_EQ(99, req.duid_type);
	EXPECT_FALSE(req.has_mac);
}

/* --- building replies --- */

/*
 * The Advertise that advertise_for() describes, answering edk2_solicit,
 * written by hand from RFC 8415 8 and 21, RFC 3646 3 and RFC 5970 3.1.
 * Checked by decoding these bytes with scapy 2.5 (python3-scapy):
 *   p = DHCP6_Advertise(b); p.show(); raw(p) == b
 * shows trid 0xa1b2c, DHCP6OptServerId DUID_LL 02:00:00:00:00:01,
 * DHCP6OptClientId DUID_UUID 8d6a1c4e-120b-4f3a-9e41-7c502d660123,
 * DHCP6OptIA_NA iaid 0x50540012 T1 1800 T2 2880 with DHCP6OptIAAddress
 * 2001:db8::100 preflft 3600 validlft 3600, DHCP6OptPref 255,
 * DHCP6OptDNSServers [2001:db8::1], DHCP6OptVendorClass 343 "PXEClient",
 * DHCP6OptBootFileUrl "tftp://[2001:db8::1]/ipxe.efi", nothing left
 * over, and scapy's own encoding of what it decoded is the same bytes.
 */
static const u8 expected_advertise[] = {
	DHCP6_ADVERTISE, 0x0a, 0x1b, 0x2c,
	0x00, 0x02, 0x00, 0x0a,				/* server id, 10 */
		0x00, 0x03, 0x00, 0x01,			/* DUID-LL, Ethernet */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x12,				/* client id, 18 */
		0x00, 0x04,				/* DUID-UUID */
		0x8d, 0x6a, 0x1c, 0x4e, 0x12, 0x0b, 0x4f, 0x3a,
		0x9e, 0x41, 0x7c, 0x50, 0x2d, 0x66, 0x01, 0x23,
	0x00, 0x03, 0x00, 0x28,				/* IA_NA, 40 */
		0x50, 0x54, 0x00, 0x12,			/* IAID */
		0x00, 0x00, 0x07, 0x08,			/* T1 1800 */
		0x00, 0x00, 0x0b, 0x40,			/* T2 2880 */
		0x00, 0x05, 0x00, 0x18,			/* IA Address, 24 */
			0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
			0x00, 0x00, 0x0e, 0x10,		/* preferred 3600 */
			0x00, 0x00, 0x0e, 0x10,		/* valid 3600 */
	0x00, 0x07, 0x00, 0x01, 0xff,			/* preference 255 */
	0x00, 0x17, 0x00, 0x10,				/* DNS servers, 16 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x10, 0x00, 0x0f,				/* vendor class, 15 */
		0x00, 0x00, 0x01, 0x57,			/* enterprise 343 */
		0x00, 0x09, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't',
	0x00, 0x3b, 0x00, 0x1d,				/* boot file URL, 29 */
		't', 'f', 't', 'p', ':', '/', '/', '[', '2', '0', '0', '1',
		':', 'd', 'b', '8', ':', ':', '1', ']', '/', 'i', 'p', 'x',
		'e', '.', 'e', 'f', 'i',
};

TEST(advertise_byte_exact)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_EQ(sizeof(expected_advertise), n);
	EXPECT_EQ(0, memcmp(b, expected_advertise, n));
}

TEST(advertise_option_order)
{
	static const u16 want[] = { 2, 1, 3, 7, 23, 16, 59, 60 };
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u16 codes[16];
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	r.boot_params[0] = "1234";
	r.n_boot_params = 1;
	r.has_status = true;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, 0);
	ASSERT_EQ(9, opt_codes(b + 4, n - 4, codes));
	EXPECT_EQ(13, codes[3]);	/* the status after IA_NA */
	EXPECT_EQ(0, memcmp(want, codes, 3 * sizeof(u16)));
	EXPECT_EQ(0, memcmp(want + 3, codes + 4, 5 * sizeof(u16)));
}

/* A Reply to dhclient's Request, read back field by field. */
TEST(reply_round_trip)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f, sub;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(dhclient_request, sizeof(dhclient_request), &req));
	advertise_for(&r);
	r.type = DHCP6_REPLY;
	r.pxe = false;
	r.has_preference = false;
	r.boot_url = NULL;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, 0);
	EXPECT_EQ(DHCP6_REPLY, b[0]);
	EXPECT_EQ(0, memcmp(b + 1, "\x5a\x5a\x5a", 3));

	f = msg_opt(b, n, DHCP6_OPT_CLIENT_ID);
	ASSERT_EQ(14, f.len);
	EXPECT_EQ(0, memcmp(f.data, dhclient_request + 8, 14));
	f = msg_opt(b, n, DHCP6_OPT_SERVER_ID);
	ASSERT_EQ(10, f.len);
	EXPECT_EQ(0, memcmp(f.data, server_duid, 10));

	f = msg_opt(b, n, DHCP6_OPT_IA_NA);
	ASSERT_EQ(40, f.len);
	EXPECT_EQ(0x123456, be32_at(f.data));
	EXPECT_EQ(1800, be32_at(f.data + 4));
	EXPECT_EQ(2880, be32_at(f.data + 8));
	sub = find_opt(f.data + 12, f.len - 12, DHCP6_OPT_IAADDR);
	ASSERT_EQ(24, sub.len);
	EXPECT_EQ(0, memcmp(sub.data, addr_100, 16));
	EXPECT_EQ(3600, be32_at(sub.data + 16));
	EXPECT_EQ(3600, be32_at(sub.data + 20));

	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_STATUS_CODE).len);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_PREFERENCE).len);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_RAPID_COMMIT).len);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_VENDOR_CLASS).len);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_BOOTFILE_URL).len);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_BOOTFILE_PARAM).len);
	f = msg_opt(b, n, DHCP6_OPT_DNS_SERVERS);
	ASSERT_EQ(16, f.len);
	EXPECT_EQ(0, memcmp(f.data, addr_1, 16));
}

TEST(reply_ia_with_status_instead_of_address)
{
	static const u16 statuses[] = {
		DHCP6_STATUS_NO_ADDRS_AVAIL, DHCP6_STATUS_NO_BINDING,
		DHCP6_STATUS_NOT_ON_LINK,
	};
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f, sub;
	unsigned int i;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(dhclient_request, sizeof(dhclient_request), &req));
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		advertise_for(&r);
		r.type = DHCP6_REPLY;
		r.ia.status = statuses[i];
		r.ia.message = "no address for you";
		n = dhcp6_build_reply(&req, &r, b, sizeof(b));
		ASSERT_GT(n, 0);
		f = msg_opt(b, n, DHCP6_OPT_IA_NA);
		ASSERT_EQ(12 + 4 + 2 + 18, f.len);
		EXPECT_EQ(0x123456, be32_at(f.data));
		EXPECT_EQ(-1, find_opt(f.data + 12, f.len - 12,
				       DHCP6_OPT_IAADDR).len);
		sub = find_opt(f.data + 12, f.len - 12, DHCP6_OPT_STATUS_CODE);
		ASSERT_EQ(20, sub.len);
		EXPECT_EQ(statuses[i], get_unaligned_be16(sub.data));
		EXPECT_EQ(0, memcmp(sub.data + 2, "no address for you", 18));
	}
	/* Without a message, the Status Code is the code alone. */
	r.ia.message = NULL;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	f = msg_opt(b, n, DHCP6_OPT_IA_NA);
	ASSERT_EQ(12 + 6, f.len);
}

TEST(reply_top_level_status)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(dhclient_request, sizeof(dhclient_request), &req));
	memset(&r, 0, sizeof(r));
	r.type = DHCP6_REPLY;
	r.server_duid = server_duid;
	r.server_duid_len = sizeof(server_duid);
	r.has_status = true;
	r.status = DHCP6_STATUS_USE_MULTICAST;
	r.status_message = "use multicast";
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_EQ(4 + 14 + 18 + 4 + 2 + 13, n);
	f = msg_opt(b, n, DHCP6_OPT_STATUS_CODE);
	ASSERT_EQ(15, f.len);
	EXPECT_EQ(DHCP6_STATUS_USE_MULTICAST, get_unaligned_be16(f.data));
	EXPECT_EQ(0, memcmp(f.data + 2, "use multicast", 13));
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_IA_NA).len);
}

TEST(reply_without_ia_na_when_the_request_had_none)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[512];
	int n;

	ASSERT_EQ(0, PARSE(&req, DHCP6_INFORMATION_REQUEST, 1, 2, 3,
			   OPT(6, 2), U16(23)));
	advertise_for(&r);
	r.type = DHCP6_REPLY;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, 0);
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_IA_NA).len);
	/* No client id to echo either. */
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_CLIENT_ID).len);
	EXPECT_EQ(10, msg_opt(b, n, DHCP6_OPT_SERVER_ID).len);
}

TEST(rapid_commit_only_in_a_reply_to_a_rapid_commit_solicit)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(ipxe_solicit, sizeof(ipxe_solicit), &req));
	advertise_for(&r);
	r.type = DHCP6_REPLY;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(0, msg_opt(b, n, DHCP6_OPT_RAPID_COMMIT).len);
	r.type = DHCP6_ADVERTISE;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_RAPID_COMMIT).len);

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	r.type = DHCP6_REPLY;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_RAPID_COMMIT).len);
}

TEST(reply_dns_servers_are_capped)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	r.n_dns = 200;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(16 * DHCP6_DNS_MAX, msg_opt(b, n, DHCP6_OPT_DNS_SERVERS).len);
	r.n_dns = 0;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(-1, msg_opt(b, n, DHCP6_OPT_DNS_SERVERS).len);
}

TEST(reply_boot_file_parameters)
{
	static const u8 want[] = {
		U16(4), '2', '0', '4', '8', U16(0), U16(3), 'a', '=', 'b',
	};
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	r.boot_params[0] = "2048";
	r.boot_params[1] = NULL;	/* written empty */
	r.boot_params[2] = "a=b";
	r.n_boot_params = 3;
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	f = msg_opt(b, n, DHCP6_OPT_BOOTFILE_PARAM);
	ASSERT_EQ(sizeof(want), f.len);
	EXPECT_EQ(0, memcmp(f.data, want, sizeof(want)));
	/* More than DHCP6_BOOT_PARAMS_MAX: the rest are not read. */
	r.n_boot_params = 200;
	r.boot_params[1] = "x";
	r.boot_params[3] = "y";
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	EXPECT_EQ(4 * 2 + 4 + 1 + 3 + 1,
		  msg_opt(b, n, DHCP6_OPT_BOOTFILE_PARAM).len);
}

TEST(reply_refuses_bad_type_and_server_duid)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[512];

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	r.type = DHCP6_REQUEST;
	EXPECT_EQ(-DHCP6_ERR_BAD_TYPE, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	r.type = DHCP6_RELAY_REPL;
	EXPECT_EQ(-DHCP6_ERR_BAD_TYPE, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	advertise_for(&r);
	r.server_duid_len = 2;
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	r.server_duid_len = 131;
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	r.server_duid = NULL;
	r.server_duid_len = 10;
	EXPECT_EQ(-DHCP6_ERR_BAD_DUID, dhcp6_build_reply(&req, &r, b, sizeof(b)));
}

/* A string longer than option-len can say never fits: no wrapped length. */
TEST(reply_string_too_long_for_an_option)
{
	static u8 b[70000];
	static char url[70000];
	struct dhcp6_request req;
	struct dhcp6_reply r;

	ASSERT_EQ(0, parse_msg(edk2_solicit, sizeof(edk2_solicit), &req));
	advertise_for(&r);
	/* The URL's length that makes the Advertise 65535 bytes long. */
	size_t fits = 65535 - (sizeof(expected_advertise) - 29);

	memset(url, 'u', sizeof(url) - 1);
	r.boot_url = url;
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	url[fits + 1] = 0;
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	url[fits] = 0;
	EXPECT_EQ(65535, dhcp6_build_reply(&req, &r, b, sizeof(b)));
}

/* --- relay replies --- */

TEST(relay_reply_one_level)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f;
	u8 inner[512], b[512];
	int n, m;

	ASSERT_EQ(0, parse_msg(relayed_solicit, sizeof(relayed_solicit), &req));
	advertise_for(&r);
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, DHCP6_RELAY_HDR_LEN);
	EXPECT_EQ(DHCP6_RELAY_REPL, b[0]);
	EXPECT_EQ(0, b[1]);
	EXPECT_EQ(0, memcmp(b + 2, link_1, 16));
	EXPECT_EQ(0, memcmp(b + 18, peer_ll, 16));
	f = find_opt(b + 34, n - 34, DHCP6_OPT_INTERFACE_ID);
	ASSERT_EQ(4, f.len);
	EXPECT_EQ(0, memcmp(f.data, "eth1", 4));

	/* Option 9 holds exactly the message a direct Solicit would get. */
	req.relay_depth = 0;
	m = dhcp6_build_reply(&req, &r, inner, sizeof(inner));
	ASSERT_GT(m, 0);
	f = find_opt(b + 34, n - 34, DHCP6_OPT_RELAY_MSG);
	ASSERT_EQ(m, f.len);
	EXPECT_EQ(0, memcmp(f.data, inner, m));
	EXPECT_EQ(b + n, f.data + f.len);
	EXPECT_EQ(DHCP6_ADVERTISE, f.data[0]);
	EXPECT_EQ(0, memcmp(f.data + 1, "\x01\x02\x03", 3));
}

TEST(relay_reply_two_levels_outermost_first)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	struct found f, g;
	u8 b[512];
	int n;

	ASSERT_EQ(0, parse_msg(relayed_twice, sizeof(relayed_twice), &req));
	advertise_for(&r);
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, 0);
	EXPECT_EQ(DHCP6_RELAY_REPL, b[0]);
	EXPECT_EQ(1, b[1]);
	EXPECT_EQ(0, memcmp(b + 2, link_2, 16));
	EXPECT_EQ(0, memcmp(b + 18, link_1, 16));
	f = find_opt(b + 34, n - 34, DHCP6_OPT_INTERFACE_ID);
	ASSERT_EQ(6, f.len);
	EXPECT_EQ(0, memcmp(f.data, "port-7", 6));

	f = find_opt(b + 34, n - 34, DHCP6_OPT_RELAY_MSG);
	ASSERT_GT(f.len, 34);
	EXPECT_EQ(DHCP6_RELAY_REPL, f.data[0]);
	EXPECT_EQ(0, f.data[1]);
	EXPECT_EQ(0, memcmp(f.data + 2, link_1, 16));
	EXPECT_EQ(0, memcmp(f.data + 18, peer_ll, 16));
	g = find_opt(f.data + 34, f.len - 34, DHCP6_OPT_INTERFACE_ID);
	ASSERT_EQ(4, g.len);
	EXPECT_EQ(0, memcmp(g.data, "eth1", 4));
	g = find_opt(f.data + 34, f.len - 34, DHCP6_OPT_RELAY_MSG);
	ASSERT_GT(g.len, 4);
	EXPECT_EQ(DHCP6_ADVERTISE, g.data[0]);
	EXPECT_EQ(b + n, g.data + g.len);
}

TEST(relay_reply_without_interface_id_has_none)
{
	static const u8 inner[] = { RELAYED_SOLICIT_INNER };
	struct dhcp6_request req;
	struct dhcp6_reply r;
	static u8 in[4096];
	u8 b[4096];
	const u8 *m, *p;
	size_t len;
	unsigned int i;
	struct found f;
	int n;

	m = wrap_relays(in, sizeof(in), inner, sizeof(inner),
			DHCP6_RELAY_DEPTH_MAX, &len);
	ASSERT_EQ(0, parse_msg(m, len, &req));
	advertise_for(&r);
	n = dhcp6_build_reply(&req, &r, b, sizeof(b));
	ASSERT_GT(n, 0);
	/* 32 levels of header and option 9 header alone, then the message. */
	p = b;
	len = n;
	for (i = 0; i < DHCP6_RELAY_DEPTH_MAX; i++) {
		ASSERT_EQ(DHCP6_RELAY_REPL, p[0]);
		EXPECT_EQ(DHCP6_RELAY_DEPTH_MAX - 1 - i, p[1]);
		EXPECT_EQ(100 + DHCP6_RELAY_DEPTH_MAX - 1 - i, p[33]);
		EXPECT_EQ(-1, find_opt(p + 34, len - 34,
				       DHCP6_OPT_INTERFACE_ID).len);
		f = find_opt(p + 34, len - 34, DHCP6_OPT_RELAY_MSG);
		ASSERT_EQ(len - 38, f.len);
		p = f.data;
		len = f.len;
	}
	EXPECT_EQ(DHCP6_ADVERTISE, p[0]);
	EXPECT_EQ(b + n, p + len);
}

/* --- nothing written past the bound --- */

#define CANARY	0xa5

/*
 * The reply that fits @n bytes exactly does not fit n - 1: -NO_ROOM, and
 * the bytes from @n - 1 on are untouched.
 */
static void one_byte_short(struct __test_metadata *_metadata,
			   const u8 *m, size_t mlen, const struct dhcp6_reply *r)
{
	struct dhcp6_request req;
	u8 b[1024];
	size_t i;
	int n;

	ASSERT_EQ(0, parse_msg(m, mlen, &req));
	n = dhcp6_build_reply(&req, r, b, sizeof(b));
	ASSERT_GT(n, 0);
	EXPECT_EQ(n, dhcp6_build_reply(&req, r, b, n));
	memset(b, CANARY, sizeof(b));
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, r, b, n - 1));
	for (i = n - 1; i < sizeof(b); i++)
		ASSERT_EQ(CANARY, b[i]) TH_LOG("byte %zu of %d", i, n);
}

TEST(advertise_one_byte_too_small)
{
	struct dhcp6_reply r;

	advertise_for(&r);
	one_byte_short(_metadata, edk2_solicit, sizeof(edk2_solicit), &r);
}

TEST(reply_with_everything_one_byte_too_small)
{
	struct dhcp6_reply r;

	advertise_for(&r);
	r.type = DHCP6_REPLY;
	r.has_status = true;
	r.status_message = "ok";
	r.boot_params[0] = "512";
	r.n_boot_params = 1;
	r.n_dns = DHCP6_DNS_MAX;
	one_byte_short(_metadata, ipxe_solicit, sizeof(ipxe_solicit), &r);
	r.ia.status = DHCP6_STATUS_NO_ADDRS_AVAIL;
	r.ia.message = "none";
	one_byte_short(_metadata, ipxe_solicit, sizeof(ipxe_solicit), &r);
}

TEST(bare_reply_one_byte_too_small)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[64];

	memset(&r, 0, sizeof(r));
	r.type = DHCP6_REPLY;
	r.server_duid = server_duid;
	r.server_duid_len = sizeof(server_duid);
	one_byte_short(_metadata, ipxe_solicit, sizeof(ipxe_solicit), &r);
	ASSERT_EQ(0, PARSE(&req, DHCP6_INFORMATION_REQUEST, 0, 0, 1));
	EXPECT_EQ(18, dhcp6_build_reply(&req, &r, b, sizeof(b)));
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, &r, b, 0));
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, &r, b, 3));
}

TEST(relay_reply_one_byte_too_small)
{
	struct dhcp6_reply r;

	advertise_for(&r);
	one_byte_short(_metadata, relayed_solicit, sizeof(relayed_solicit), &r);
	one_byte_short(_metadata, relayed_twice, sizeof(relayed_twice), &r);
}

/* Room for the relay headers but not the message, or not even those. */
TEST(relay_reply_headers_do_not_fit)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	u8 b[1024];
	size_t hdrs = 2 * (34 + 4) + 4 + 6 + 4 + 4;
	size_t i;

	ASSERT_EQ(0, parse_msg(relayed_twice, sizeof(relayed_twice), &req));
	advertise_for(&r);
	for (i = 0; i <= hdrs + 4; i++) {
		memset(b, CANARY, sizeof(b));
		EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_build_reply(&req, &r, b, i));
		EXPECT_EQ(CANARY, b[i]);
	}
}

TEST(duid_ll)
{
	static const u8 want[] = { 0, 3, 0, 1, MAC };
	u8 b[16];

	memset(b, CANARY, sizeof(b));
	EXPECT_EQ(DHCP6_DUID_LL_LEN, dhcp6_duid_ll(mac, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, want, sizeof(want)));
	EXPECT_EQ(CANARY, b[10]);
	EXPECT_EQ(DHCP6_DUID_LL_LEN, dhcp6_duid_ll(mac, b, DHCP6_DUID_LL_LEN));
	memset(b, CANARY, sizeof(b));
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM,
		  dhcp6_duid_ll(mac, b, DHCP6_DUID_LL_LEN - 1));
	EXPECT_EQ(CANARY, b[DHCP6_DUID_LL_LEN - 1]);
	EXPECT_EQ(-DHCP6_ERR_NO_ROOM, dhcp6_duid_ll(mac, b, 0));
}

/* What dhcp6_duid_ll() writes is a server id a client's Request may carry. */
TEST(duid_ll_parses_as_a_server_id)
{
	struct dhcp6_request req;
	u8 b[64] = { DHCP6_REQUEST, 0, 0, 1, CLIENT_ID, U16(2), U16(10) };
	int n = dhcp6_duid_ll(mac, b + 22, sizeof(b) - 22);

	ASSERT_EQ(10, n);
	ASSERT_EQ(0, parse_msg(b, 32, &req));
	EXPECT_EQ(10, req.server_id.len);
	EXPECT_EQ(0, memcmp(req.server_id.data + 4, mac, 6));
}

TEST_HARNESS_MAIN
