// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the DHCPv6 codec: whatever parses must yield
 * replies that fit the space given, exactly (one byte less is refused,
 * untouched past the bound), and each reply, turned back into a client's
 * message, must parse again and say what the builder was told to say.
 */
#include <stdlib.h>

#include "dhcp6_msg.c"
#include "fuzz_assert.h"

static const u8 server_duid[DHCP6_DUID_MAX_LEN] = { 0, 2, 0, 0, 1, 0x57 };
static const u16 server_duid_lens[] = { 3, 10, 14, 130 };
static const u16 statuses[] = {
	DHCP6_STATUS_SUCCESS, DHCP6_STATUS_NO_ADDRS_AVAIL,
	DHCP6_STATUS_NO_BINDING, DHCP6_STATUS_NOT_ON_LINK,
};

/*
 * The reply's knobs come from the transaction id, which the parser only
 * copies: the fuzzer steers the builder without upsetting parsing.
 */
static void reply_from(u32 knobs, struct dhcp6_reply *r, char *url)
{
	size_t url_len = (knobs >> 17) * 3;	/* 0..381 */
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->type = knobs & 1 ? DHCP6_REPLY : DHCP6_ADVERTISE;
	r->server_duid = server_duid;
	r->server_duid_len = server_duid_lens[(knobs >> 15) & 3];
	r->ia.present = knobs & 2;
	r->ia.t1 = 1800;
	r->ia.t2 = 2880;
	memset(r->ia.addr, 0x20, sizeof(r->ia.addr));
	r->ia.preferred = 3600;
	r->ia.valid = 7200;
	r->ia.status = statuses[(knobs >> 2) & 3];
	r->ia.message = knobs & (1 << 14) ? "no addresses" : NULL;
	r->has_status = knobs & (1 << 4);
	r->status = DHCP6_STATUS_USE_MULTICAST;
	r->status_message = knobs & (1 << 14) ? "use multicast" : NULL;
	r->has_preference = knobs & (1 << 5);
	r->preference = 255;
	r->n_dns = (knobs >> 6) & 7;		/* up to 7: the builder caps */
	memset(r->dns, 0xfd, sizeof(r->dns));
	r->pxe = knobs & (1 << 9);
	memset(url, 'u', url_len);
	url[url_len] = 0;
	r->boot_url = knobs & (1 << 10) ? url : NULL;
	r->n_boot_params = (knobs >> 11) & 7;	/* up to 7: the builder caps */
	for (i = 0; i < DHCP6_BOOT_PARAMS_MAX; i++)
		r->boot_params[i] = i == 1 ? NULL : url + url_len / (i + 1);
}

/* The first option @code of an area, or NULL; its length in @len. */
static const u8 *find_opt(const u8 *p, size_t n, u16 code, size_t *len)
{
	size_t i = 0;

	while (i + 4 <= n) {
		size_t l = get_unaligned_be16(p + i + 2);

		FUZZ_ASSERT(i + 4 + l <= n);
		if (get_unaligned_be16(p + i) == code) {
			*len = l;
			return p + i + 4;
		}
		i += 4 + l;
	}
	FUZZ_ASSERT(i == n);
	return NULL;
}

/*
 * Turns the reply in @b into what a client and its relays would send: each
 * Relay-Repl a Relay-Forw, the Advertise or Reply a Request (which must
 * carry both ids) or, without a client id, an Information-Request.
 */
static void as_request(const struct dhcp6_request *req,
		       const struct dhcp6_reply *r, u8 *b, size_t n)
{
	unsigned int i;
	size_t len;

	for (i = 0; i < req->relay_depth; i++) {
		FUZZ_ASSERT(n >= DHCP6_RELAY_HDR_LEN);
		FUZZ_ASSERT(b[0] == DHCP6_RELAY_REPL);
		b[0] = DHCP6_RELAY_FORW;
		b = (u8 *)find_opt(b + DHCP6_RELAY_HDR_LEN,
				   n - DHCP6_RELAY_HDR_LEN, DHCP6_OPT_RELAY_MSG, &len);
		FUZZ_ASSERT(b);
		n = len;
	}
	FUZZ_ASSERT(n >= DHCP6_HDR_LEN && b[0] == r->type);
	b[0] = req->client_id.data ? DHCP6_REQUEST : DHCP6_INFORMATION_REQUEST;
}

static bool same_bytes(const struct dhcp6_bytes *a, const struct dhcp6_bytes *b)
{
	return !a->data == !b->data && a->len == b->len &&
	       (!a->len || !memcmp(a->data, b->data, a->len));
}

static void check_back(const struct dhcp6_request *req,
		       const struct dhcp6_reply *r, const u8 *b, size_t n)
{
	bool ia = r->ia.present && req->ia_na.present;
	struct dhcp6_bytes sid = { server_duid, r->server_duid_len };
	struct dhcp6_request back;

	FUZZ_ASSERT(dhcp6_parse(b, n, &back) == 0);
	FUZZ_ASSERT(back.xid == req->xid);
	FUZZ_ASSERT(back.relay_depth == req->relay_depth);
	FUZZ_ASSERT(same_bytes(&back.client_id, &req->client_id));
	FUZZ_ASSERT(same_bytes(&back.server_id, &sid));
	FUZZ_ASSERT(back.has_mac == req->has_mac);
	FUZZ_ASSERT(back.ia_na.present == ia);
	if (ia) {
		FUZZ_ASSERT(back.ia_na.iaid == req->ia_na.iaid);
		FUZZ_ASSERT(back.ia_na.t1 == r->ia.t1 && back.ia_na.t2 == r->ia.t2);
		FUZZ_ASSERT(back.ia_na.has_addr == !r->ia.status);
		FUZZ_ASSERT(!back.ia_na.has_addr ||
			    (!memcmp(back.ia_na.addr, r->ia.addr, 16) &&
			     back.ia_na.preferred == r->ia.preferred &&
			     back.ia_na.valid == r->ia.valid));
	}
	FUZZ_ASSERT(dhcp6_is_pxe_client(&back) == r->pxe);
	FUZZ_ASSERT(back.rapid_commit ==
		    (r->type == DHCP6_REPLY && req->type == DHCP6_SOLICIT &&
		     req->rapid_commit));
	if (req->relay_depth) {
		FUZZ_ASSERT(back.relay.hop_count == req->relay.hop_count);
		FUZZ_ASSERT(!memcmp(back.relay.link_address,
				    req->relay.link_address, 16));
		FUZZ_ASSERT(!memcmp(back.relay.peer_address,
				    req->relay.peer_address, 16));
		FUZZ_ASSERT(same_bytes(&back.relay.interface_id,
				       &req->relay.interface_id));
	}
}

/* Builds into exactly @size bytes (ASan sees any overrun); the length or error. */
static int build(const struct dhcp6_request *req, const struct dhcp6_reply *r,
		 size_t size, u8 **out)
{
	int n;

	*out = malloc(size ? size : 1);
	FUZZ_ASSERT(*out);
	n = dhcp6_build_reply(req, r, *out, size);
	FUZZ_ASSERT(n == -DHCP6_ERR_NO_ROOM || (n > 0 && (size_t)n <= size));
	return n;
}

static void build_and_reparse(const struct dhcp6_request *req,
			      const struct dhcp6_reply *r)
{
	static const size_t sizes[] = { 1500, 65535 };
	u8 *out = NULL, *exact, *shorter;
	unsigned int i;
	int n = -1;

	for (i = 0; i < ARRAY_SIZE(sizes) && n < 0; i++) {
		free(out);
		n = build(req, r, sizes[i], &out);
	}
	/* A request near 64 KiB can have a reply larger than any datagram. */
	if (n < 0) {
		free(out);
		return;
	}

	/* Exactly n bytes: the same reply; n - 1: refused. */
	FUZZ_ASSERT(build(req, r, n, &exact) == n);
	FUZZ_ASSERT(!memcmp(exact, out, n));
	FUZZ_ASSERT(build(req, r, n - 1, &shorter) == -DHCP6_ERR_NO_ROOM);
	free(shorter);
	free(exact);

	as_request(req, r, out, n);
	check_back(req, r, out, n);
	free(out);
}

static void check_request(const struct dhcp6_request *req)
{
	const u8 *item;
	size_t ilen;

	FUZZ_ASSERT(req->type && req->type != DHCP6_ADVERTISE &&
		    req->type != DHCP6_REPLY && req->type != DHCP6_RECONFIGURE &&
		    req->type <= DHCP6_INFORMATION_REQUEST);
	FUZZ_ASSERT(req->xid <= 0xffffff);
	FUZZ_ASSERT(req->relay_depth <= DHCP6_RELAY_DEPTH_MAX);
	FUZZ_ASSERT(!req->client_id.data ||
		    (req->client_id.len >= DHCP6_DUID_MIN_LEN &&
		     req->client_id.len <= DHCP6_DUID_MAX_LEN));
	FUZZ_ASSERT(req->client_id.data || req->type == DHCP6_INFORMATION_REQUEST);
	FUZZ_ASSERT(!req->has_mac || req->duid_type == DHCP6_DUID_LLT ||
		    req->duid_type == DHCP6_DUID_LL);
	dhcp6_requested(req, DHCP6_OPT_BOOTFILE_URL);
	dhcp6_has_user_class(req, "iPXE");
	dhcp6_is_pxe_client(req);
	/* The first vendor class item lies inside option 16's bytes. */
	if (dhcp6_vendor_class_first(req, &item, &ilen))
		FUZZ_ASSERT(item >= req->vendor_class.data + 2 &&
			    item + ilen <= req->vendor_class.data +
					   req->vendor_class.len);
	else
		FUZZ_ASSERT(!item && !ilen);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	struct dhcp6_request req;
	struct dhcp6_reply r;
	char url[400];
	int err;

	err = dhcp6_parse(data, len, &req);
	if (err) {
		FUZZ_ASSERT(err < 0 && err > -DHCP6_ERR_NO_ROOM);
		return 0;
	}
	check_request(&req);
	reply_from(req.xid, &r, url);
	build_and_reparse(&req, &r);
	/* And the plainest reply, whatever the knobs. */
	memset(&r, 0, sizeof(r));
	r.type = DHCP6_REPLY;
	r.server_duid = server_duid;
	r.server_duid_len = DHCP6_DUID_MIN_LEN;
	build_and_reparse(&req, &r);
	return 0;
}
