// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the DHCPv6 codec (dhcp6_msg.h).  Everything here runs on bytes a
 * stranger sent us, in softirq: every length is checked against the area
 * it lives in before it is read, relay chains are walked in a bounded
 * loop, and nothing is allocated.
 */
#include "dhcp6_msg.h"

#define OPT_LEN_MAX	0xffff	/* option-len is 16 bits */
#define IA_NA_LEN	12	/* IAID, T1, T2 */
#define IAADDR_LEN	24	/* address, preferred and valid lifetimes */
#define HWTYPE_ETHER	1
#define ETHER_ADDR_LEN	6
#define DUID_LLT_HDR	8	/* type, hardware type, time */
#define DUID_LL_HDR	4	/* type, hardware type */

/* Offsets in a relay message's header. */
#define OFF_HOP_COUNT	1
#define OFF_LINK	2
#define OFF_PEER	18

/* --- walking options --- */

struct opt_walk {
	const u8 *p;
	size_t len;
	size_t off;
};

struct opt {
	u16 code;
	u16 len;
	const u8 *val;
};

static void walk_init(struct opt_walk *w, const u8 *p, size_t len)
{
	w->p = p;
	w->len = len;
	w->off = 0;
}

/*
 * Takes the next option of the area.  Returns 1 and the option, 0 at the
 * area's end, -DHCP6_ERR_BAD_OPTION when an option's header or value runs
 * past the end (a few stray bytes after the last option too).
 */
static int next_option(struct opt_walk *w, struct opt *o)
{
	size_t left = w->len - w->off;

	if (!left)
		return 0;
	if (left < DHCP6_OPT_HDR_LEN)
		return -DHCP6_ERR_BAD_OPTION;
	o->code = get_unaligned_be16(w->p + w->off);
	o->len = get_unaligned_be16(w->p + w->off + 2);
	if (o->len > left - DHCP6_OPT_HDR_LEN)
		return -DHCP6_ERR_BAD_OPTION;
	o->val = w->p + w->off + DHCP6_OPT_HDR_LEN;
	w->off += DHCP6_OPT_HDR_LEN + o->len;
	return 1;
}

/* Checks that an area holds whole options and nothing else. */
static int check_options(const u8 *p, size_t len)
{
	struct opt_walk w;
	struct opt o;
	int ret;

	walk_init(&w, p, len);
	while ((ret = next_option(&w, &o)) > 0)
		;
	return ret;
}

/* --- relay messages --- */

/*
 * One Relay-Forw: its header, the interface-id, the client's link-layer
 * address, the message it carries.
 */
struct relay_level {
	const u8 *hdr;
	struct dhcp6_bytes interface_id;
	struct dhcp6_bytes client_lladdr;
	const u8 *inner;
	size_t inner_len;
};

static int take_once(struct dhcp6_bytes *b, const struct opt *o)
{
	if (b->data)
		return -DHCP6_ERR_DUP_OPTION;
	b->data = o->val;
	b->len = o->len;
	return 0;
}

/* Reads the Relay-Forw at @msg: the parser and the builder both walk so. */
static int parse_relay_level(const u8 *msg, size_t len, struct relay_level *lvl)
{
	struct dhcp6_bytes relay_msg = {};
	struct opt_walk w;
	struct opt o;
	int ret;

	if (len < DHCP6_RELAY_HDR_LEN)
		return -DHCP6_ERR_TRUNCATED;
	lvl->hdr = msg;
	lvl->interface_id.data = NULL;
	lvl->interface_id.len = 0;
	lvl->client_lladdr.data = NULL;
	lvl->client_lladdr.len = 0;

	walk_init(&w, msg + DHCP6_RELAY_HDR_LEN, len - DHCP6_RELAY_HDR_LEN);
	while ((ret = next_option(&w, &o)) > 0) {
		if (o.code == DHCP6_OPT_RELAY_MSG)
			ret = take_once(&relay_msg, &o);
		else if (o.code == DHCP6_OPT_INTERFACE_ID)
			ret = take_once(&lvl->interface_id, &o);
		else if (o.code == DHCP6_OPT_CLIENT_LINKLAYER_ADDR &&
			 !lvl->client_lladdr.data)
			ret = take_once(&lvl->client_lladdr, &o);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (!relay_msg.data)
		return -DHCP6_ERR_NO_RELAY_MSG;
	lvl->inner = relay_msg.data;
	lvl->inner_len = relay_msg.len;
	return 0;
}

/* --- a client's message --- */

struct parse_state {
	struct dhcp6_request *req;
	u64 seen;		/* codes below 64 met so far: first one wins */
	bool has_ia;		/* any IA_NA, IA_TA, IA_PD */
};

static bool first_instance(struct parse_state *st, u16 code)
{
	u64 bit = 1ULL << code;	/* only called with codes below 64 */

	if (st->seen & bit)
		return false;
	st->seen |= bit;
	return true;
}

static int take_duid(struct dhcp6_bytes *b, const struct opt *o)
{
	if (b->data)
		return -DHCP6_ERR_DUP_OPTION;
	if (o->len < DHCP6_DUID_MIN_LEN || o->len > DHCP6_DUID_MAX_LEN)
		return -DHCP6_ERR_BAD_DUID;
	return take_once(b, o);
}

/* DUID-LLT and DUID-LL of an Ethernet interface carry its MAC. */
static void decode_client_duid(struct dhcp6_request *req)
{
	const u8 *d = req->client_id.data;
	u16 len = req->client_id.len;
	size_t hdr;

	req->duid_type = get_unaligned_be16(d);
	if (req->duid_type == DHCP6_DUID_LLT)
		hdr = DUID_LLT_HDR;
	else if (req->duid_type == DHCP6_DUID_LL)
		hdr = DUID_LL_HDR;
	else
		return;
	if (len != hdr + ETHER_ADDR_LEN ||
	    get_unaligned_be16(d + 2) != HWTYPE_ETHER)
		return;
	req->has_mac = true;
	memcpy(req->mac, d + hdr, ETHER_ADDR_LEN);
}

/* An IA Address: checked, and read into @ia unless NULL. */
static int parse_iaaddr(const struct opt *o, struct dhcp6_ia_na *ia)
{
	int ret;

	if (o->len < IAADDR_LEN)
		return -DHCP6_ERR_BAD_IAADDR;
	ret = check_options(o->val + IAADDR_LEN, o->len - IAADDR_LEN);
	if (ret < 0 || !ia)
		return ret;
	ia->has_addr = true;
	memcpy(ia->addr, o->val, DHCP6_ADDR_LEN);
	ia->preferred = get_unaligned_be32(o->val + 16);
	ia->valid = get_unaligned_be32(o->val + 20);
	return 0;
}

/*
 * An IA_NA: checked, suboptions and all; read into @ia unless NULL (a
 * later IA_NA is checked and skipped).  Its first IA Address is read.
 */
static int parse_ia_na(const struct opt *o, struct dhcp6_ia_na *ia)
{
	struct opt_walk w;
	struct opt sub;
	int ret;

	if (o->len < IA_NA_LEN)
		return -DHCP6_ERR_BAD_IA_NA;
	if (ia) {
		ia->present = true;
		ia->iaid = get_unaligned_be32(o->val);
		ia->t1 = get_unaligned_be32(o->val + 4);
		ia->t2 = get_unaligned_be32(o->val + 8);
	}
	walk_init(&w, o->val + IA_NA_LEN, o->len - IA_NA_LEN);
	while ((ret = next_option(&w, &sub)) > 0) {
		if (sub.code != DHCP6_OPT_IAADDR)
			continue;
		ret = parse_iaaddr(&sub, ia && !ia->has_addr ? ia : NULL);
		if (ret < 0)
			return ret;
	}
	return ret;
}

/* The options read once, the first instance: a wrong length reads as absent. */
static void take_first(struct dhcp6_request *req, const struct opt *o)
{
	switch (o->code) {
	case DHCP6_OPT_ORO:
		req->oro = o->val;
		req->n_oro = o->len / 2;
		break;
	case DHCP6_OPT_ELAPSED_TIME:
		if (o->len == 2) {
			req->has_elapsed = true;
			req->elapsed = get_unaligned_be16(o->val);
		}
		break;
	case DHCP6_OPT_RAPID_COMMIT:
		req->rapid_commit = !o->len;
		break;
	case DHCP6_OPT_USER_CLASS:
		req->user_class.data = o->val;
		req->user_class.len = o->len;
		break;
	case DHCP6_OPT_VENDOR_CLASS:
		if (o->len >= 4) {
			req->has_vendor_class = true;
			req->vendor_enterprise = get_unaligned_be32(o->val);
			req->vendor_class.data = o->val + 4;
			req->vendor_class.len = o->len - 4;
		}
		break;
	case DHCP6_OPT_CLIENT_ARCH:
		if (o->len >= 2) {
			req->has_arch = true;
			req->arch = get_unaligned_be16(o->val);
		}
		break;
	case DHCP6_OPT_NII:
		if (o->len == sizeof(req->nii)) {
			req->has_nii = true;
			memcpy(req->nii, o->val, sizeof(req->nii));
		}
		break;
	}
}

static int take_option(struct parse_state *st, const struct opt *o)
{
	struct dhcp6_request *req = st->req;

	switch (o->code) {
	case DHCP6_OPT_CLIENT_ID:
		return take_duid(&req->client_id, o);
	case DHCP6_OPT_SERVER_ID:
		return take_duid(&req->server_id, o);
	case DHCP6_OPT_IA_NA:
		st->has_ia = true;
		return parse_ia_na(o, req->ia_na.present ? NULL : &req->ia_na);
	case DHCP6_OPT_IA_TA:
	case DHCP6_OPT_IA_PD:
		st->has_ia = true;
		return 0;
	case DHCP6_OPT_ORO:
	case DHCP6_OPT_ELAPSED_TIME:
	case DHCP6_OPT_RAPID_COMMIT:
	case DHCP6_OPT_USER_CLASS:
	case DHCP6_OPT_VENDOR_CLASS:
	case DHCP6_OPT_CLIENT_ARCH:
	case DHCP6_OPT_NII:
		if (first_instance(st, o->code))
			take_first(req, o);
		return 0;
	}
	return 0;
}

static bool client_type(u8 type)
{
	switch (type) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_CONFIRM:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
	case DHCP6_INFORMATION_REQUEST:
		return true;
	}
	return false;
}

/* RFC 8415 16: what each message must and must not carry. */
static int check_identifiers(const struct parse_state *st)
{
	const struct dhcp6_request *req = st->req;

	switch (req->type) {
	case DHCP6_INFORMATION_REQUEST:
		return st->has_ia ? -DHCP6_ERR_UNEXPECTED_IA : 0;
	case DHCP6_SOLICIT:
	case DHCP6_CONFIRM:
	case DHCP6_REBIND:
		if (!req->client_id.data)
			return -DHCP6_ERR_NO_CLIENT_ID;
		return req->server_id.data ? -DHCP6_ERR_UNEXPECTED_SERVER_ID : 0;
	default:	/* Request, Renew, Release, Decline */
		if (!req->client_id.data)
			return -DHCP6_ERR_NO_CLIENT_ID;
		return req->server_id.data ? 0 : -DHCP6_ERR_NO_SERVER_ID;
	}
}

static int parse_client(const u8 *msg, size_t len, struct dhcp6_request *req)
{
	struct parse_state st = { .req = req };
	struct opt_walk w;
	struct opt o;
	int ret;

	if (!client_type(msg[0]))
		return -DHCP6_ERR_BAD_TYPE;
	if (len < DHCP6_HDR_LEN)
		return -DHCP6_ERR_TRUNCATED;
	req->type = msg[0];
	req->xid = (u32)msg[1] << 16 | (u32)msg[2] << 8 | msg[3];

	walk_init(&w, msg + DHCP6_HDR_LEN, len - DHCP6_HDR_LEN);
	while ((ret = next_option(&w, &o)) > 0) {
		ret = take_option(&st, &o);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (req->client_id.data)
		decode_client_duid(req);
	return check_identifiers(&st);
}

static bool is_unspecified(const u8 *addr)
{
	static const u8 zero[DHCP6_ADDR_LEN];

	return !memcmp(addr, zero, DHCP6_ADDR_LEN);
}

static bool is_link_local(const u8 *addr)
{
	return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;
}

static void take_relay(struct dhcp6_relay *relay, const struct relay_level *lvl)
{
	relay->hop_count = lvl->hdr[OFF_HOP_COUNT];
	memcpy(relay->link_address, lvl->hdr + OFF_LINK, DHCP6_ADDR_LEN);
	memcpy(relay->peer_address, lvl->hdr + OFF_PEER, DHCP6_ADDR_LEN);
	relay->interface_id = lvl->interface_id;
	/* Option 79: link-layer type, then the address; Ethernet only. */
	relay->has_client_mac =
		lvl->client_lladdr.len == 2 + ETHER_ADDR_LEN &&
		get_unaligned_be16(lvl->client_lladdr.data) == HWTYPE_ETHER;
	if (relay->has_client_mac)
		memcpy(relay->client_mac, lvl->client_lladdr.data + 2,
		       ETHER_ADDR_LEN);
}

int dhcp6_parse(const u8 *buf, size_t len, struct dhcp6_request *req)
{
	struct relay_level lvl;
	int ret;

	memset(req, 0, sizeof(*req));
	req->msg = buf;
	req->msg_len = len;

	/* Each Relay-Forw carries the next in its option 9, the client's last. */
	while (len && buf[0] == DHCP6_RELAY_FORW) {
		if (req->relay_depth == DHCP6_RELAY_DEPTH_MAX)
			return -DHCP6_ERR_RELAY_TOO_DEEP;
		ret = parse_relay_level(buf, len, &lvl);
		if (ret < 0)
			return ret;
		take_relay(&req->relay, &lvl);
		/*
		 * A lightweight relay (::) is a switch on the link of the
		 * next relay out, or of the server: it is looked through.
		 * Any other relay routes; a link-local link-address of one
		 * names a client link we cannot know.  Inner levels win.
		 */
		if (!is_unspecified(req->relay.link_address)) {
			req->link_local = is_link_local(req->relay.link_address);
			req->has_link = !req->link_local;
			if (req->has_link)
				memcpy(req->link, req->relay.link_address,
				       DHCP6_ADDR_LEN);
		}
		req->relay_depth++;
		buf = lvl.inner;
		len = lvl.inner_len;
	}
	if (!len)
		return -DHCP6_ERR_TRUNCATED;
	return parse_client(buf, len, req);
}

/* --- what the client is and asks for --- */

bool dhcp6_requested(const struct dhcp6_request *req, u16 code)
{
	unsigned int i;

	for (i = 0; i < req->n_oro; i++)
		if (get_unaligned_be16(req->oro + 2 * i) == code)
			return true;
	return false;
}

/*
 * The next item of a list of two length bytes and that many bytes (user
 * and vendor class data).  False at the end, or when an item runs past it.
 */
static bool next_item(const struct dhcp6_bytes *list, size_t *off,
		      const u8 **item, size_t *item_len)
{
	size_t left = list->len - *off;

	if (left < 2)
		return false;
	*item_len = get_unaligned_be16(list->data + *off);
	if (*item_len > left - 2)
		return false;
	*item = list->data + *off + 2;
	*off += 2 + *item_len;
	return true;
}

bool dhcp6_has_user_class(const struct dhcp6_request *req, const char *name)
{
	const struct dhcp6_bytes *uc = &req->user_class;
	size_t n = strlen(name);
	size_t off = 0, ilen;
	const u8 *item;

	if (!n || !uc->data)
		return false;
	if (uc->len == n && !memcmp(uc->data, name, n))
		return true;
	while (next_item(uc, &off, &item, &ilen))
		if (ilen == n && !memcmp(item, name, n))
			return true;
	return false;
}

bool dhcp6_vendor_class_first(const struct dhcp6_request *req,
			      const u8 **data, size_t *len)
{
	size_t off = 0;

	if (req->has_vendor_class &&
	    next_item(&req->vendor_class, &off, data, len))
		return true;
	*data = NULL;
	*len = 0;
	return false;
}

bool dhcp6_vendor_class_starts(const struct dhcp6_request *req,
			       const char *prefix)
{
	size_t n = strlen(prefix);
	const u8 *item;
	size_t ilen;

	if (!dhcp6_vendor_class_first(req, &item, &ilen))
		return false;
	return ilen >= n && !memcmp(item, prefix, n);
}

static const char pxe_class[] = "PXEClient";

bool dhcp6_is_pxe_client(const struct dhcp6_request *req)
{
	return dhcp6_vendor_class_starts(req, pxe_class);
}

/* --- writing --- */

/*
 * A bounded output: a write that does not fit marks it full and writes
 * nothing, so that every builder checks once, at the end.
 */
struct writer {
	u8 *p;
	size_t cap;
	size_t len;
	bool full;
};

static u8 *w_take(struct writer *w, size_t n)
{
	u8 *at;

	if (w->full || n > w->cap - w->len) {
		w->full = true;
		return NULL;
	}
	at = w->p + w->len;
	w->len += n;
	return at;
}

static void w_bytes(struct writer *w, const void *data, size_t n)
{
	u8 *at = w_take(w, n);

	if (at && n)
		memcpy(at, data, n);
}

static void w_u8(struct writer *w, u8 v)
{
	w_bytes(w, &v, 1);
}

static void w_u16(struct writer *w, u16 v)
{
	u8 *at = w_take(w, 2);

	if (at)
		put_unaligned_be16(v, at);
}

static void w_u32(struct writer *w, u32 v)
{
	u8 *at = w_take(w, 4);

	if (at)
		put_unaligned_be32(v, at);
}

/* Opens an option; returns where it starts, for opt_close(). */
static size_t opt_open(struct writer *w, u16 code)
{
	size_t start = w->len;

	w_u16(w, code);
	w_u16(w, 0);
	return start;
}

/* Sets the length of the option opened at @start to what follows it. */
static void opt_close(struct writer *w, size_t start)
{
	if (!w->full)
		put_unaligned_be16(w->len - start - DHCP6_OPT_HDR_LEN,
				   w->p + start + 2);
}

static void w_option(struct writer *w, u16 code, const void *data, size_t n)
{
	size_t start = opt_open(w, code);

	w_bytes(w, data, n);
	opt_close(w, start);
}

static size_t str_len(const char *s)
{
	return strnlen(s, OPT_LEN_MAX);
}

/* A string as two length bytes and the bytes: 60's parameters, 16's data. */
static void w_item(struct writer *w, const char *s)
{
	size_t n = str_len(s);

	w_u16(w, n);
	w_bytes(w, s, n);
}

static void w_status(struct writer *w, u16 status, const char *message)
{
	size_t start = opt_open(w, DHCP6_OPT_STATUS_CODE);

	w_u16(w, status);
	if (message)
		w_bytes(w, message, str_len(message));
	opt_close(w, start);
}

static void w_ia_na(struct writer *w, u32 iaid, const struct dhcp6_ia_reply *ia)
{
	size_t start = opt_open(w, DHCP6_OPT_IA_NA);
	size_t addr;

	w_u32(w, iaid);
	w_u32(w, ia->t1);
	w_u32(w, ia->t2);
	if (ia->status != DHCP6_STATUS_SUCCESS) {
		w_status(w, ia->status, ia->message);
	} else {
		addr = opt_open(w, DHCP6_OPT_IAADDR);
		w_bytes(w, ia->addr, DHCP6_ADDR_LEN);
		w_u32(w, ia->preferred);
		w_u32(w, ia->valid);
		opt_close(w, addr);
	}
	opt_close(w, start);
}

/* At most @max of the @n entries given. */
static unsigned int capped(unsigned int n, unsigned int max)
{
	return n < max ? n : max;
}

static void w_boot_options(struct writer *w, const struct dhcp6_reply *reply)
{
	unsigned int i, n = capped(reply->n_boot_params, DHCP6_BOOT_PARAMS_MAX);
	size_t start;

	if (reply->pxe) {
		start = opt_open(w, DHCP6_OPT_VENDOR_CLASS);
		w_u32(w, DHCP6_ENTERPRISE_PXE);
		w_item(w, pxe_class);
		opt_close(w, start);
	}
	if (reply->boot_url)
		w_option(w, DHCP6_OPT_BOOTFILE_URL, reply->boot_url,
			 str_len(reply->boot_url));
	if (n) {
		start = opt_open(w, DHCP6_OPT_BOOTFILE_PARAM);
		for (i = 0; i < n; i++)
			w_item(w, reply->boot_params[i] ? reply->boot_params[i] : "");
		opt_close(w, start);
	}
}

/* The Advertise or Reply itself, without relay headers. */
static int build_message(const struct dhcp6_request *req,
			 const struct dhcp6_reply *reply, u8 *buf, size_t size)
{
	struct writer w = { .p = buf, .cap = size };
	unsigned int n_dns = capped(reply->n_dns, DHCP6_DNS_MAX);

	w_u8(&w, reply->type);
	w_u8(&w, req->xid >> 16);
	w_u8(&w, req->xid >> 8);
	w_u8(&w, req->xid);
	w_option(&w, DHCP6_OPT_SERVER_ID, reply->server_duid,
		 reply->server_duid_len);
	if (req->client_id.data)
		w_option(&w, DHCP6_OPT_CLIENT_ID, req->client_id.data,
			 req->client_id.len);
	if (reply->ia.present && req->ia_na.present)
		w_ia_na(&w, req->ia_na.iaid, &reply->ia);
	if (reply->has_status)
		w_status(&w, reply->status, reply->status_message);
	if (reply->has_preference)
		w_option(&w, DHCP6_OPT_PREFERENCE, &reply->preference, 1);
	/* RFC 8415 18.3.1: a Reply to a Solicit is the rapid commit. */
	if (reply->type == DHCP6_REPLY && req->type == DHCP6_SOLICIT &&
	    req->rapid_commit)
		w_option(&w, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	if (n_dns)
		w_option(&w, DHCP6_OPT_DNS_SERVERS, reply->dns,
			 n_dns * DHCP6_ADDR_LEN);
	w_boot_options(&w, reply);
	return w.full ? -DHCP6_ERR_NO_ROOM : (int)w.len;
}

/* What one Relay-Repl adds before the message it carries. */
static size_t relay_repl_hdr_len(const struct relay_level *lvl)
{
	size_t len = DHCP6_RELAY_HDR_LEN + DHCP6_OPT_HDR_LEN;

	if (lvl->interface_id.data)
		len += DHCP6_OPT_HDR_LEN + lvl->interface_id.len;
	return len;
}

/*
 * Writes the Relay-Repl headers in front of the message at @buf + @hdrs,
 * one per Relay-Forw of the request, outermost first; @total is the whole
 * reply's length.  Returns the bytes of headers written.
 */
static size_t write_relay_headers(const struct dhcp6_request *req, u8 *buf,
				  size_t total)
{
	struct writer w = { .p = buf, .cap = total };
	const u8 *msg = req->msg;
	size_t len = req->msg_len;
	struct relay_level lvl;
	unsigned int i;
	u8 *hdr;

	for (i = 0; i < req->relay_depth; i++) {
		if (parse_relay_level(msg, len, &lvl) < 0)
			break;
		hdr = w_take(&w, DHCP6_RELAY_HDR_LEN);
		if (hdr) {
			memcpy(hdr, lvl.hdr, DHCP6_RELAY_HDR_LEN);
			hdr[0] = DHCP6_RELAY_REPL;
		}
		if (lvl.interface_id.data)
			w_option(&w, DHCP6_OPT_INTERFACE_ID, lvl.interface_id.data,
				 lvl.interface_id.len);
		/* The relay message runs to the end of the reply. */
		w_u16(&w, DHCP6_OPT_RELAY_MSG);
		w_u16(&w, total - w.len - 2);
		msg = lvl.inner;
		len = lvl.inner_len;
	}
	return w.full ? 0 : w.len;
}

int dhcp6_build_reply(const struct dhcp6_request *req,
		      const struct dhcp6_reply *reply, u8 *buf, size_t size)
{
	const u8 *msg = req->msg;
	size_t len = req->msg_len;
	size_t cap = size < OPT_LEN_MAX ? size : OPT_LEN_MAX;
	struct relay_level lvl;
	size_t hdrs = 0;
	unsigned int i;
	int ret;

	if (reply->type != DHCP6_ADVERTISE && reply->type != DHCP6_REPLY)
		return -DHCP6_ERR_BAD_TYPE;
	if (!reply->server_duid || reply->server_duid_len < DHCP6_DUID_MIN_LEN ||
	    reply->server_duid_len > DHCP6_DUID_MAX_LEN)
		return -DHCP6_ERR_BAD_DUID;

	/* The relay headers' length first: the message goes after them. */
	for (i = 0; i < req->relay_depth; i++) {
		ret = parse_relay_level(msg, len, &lvl);
		if (ret < 0)
			return ret;
		hdrs += relay_repl_hdr_len(&lvl);
		msg = lvl.inner;
		len = lvl.inner_len;
	}
	if (hdrs > cap)
		return -DHCP6_ERR_NO_ROOM;

	ret = build_message(req, reply, buf + hdrs, cap - hdrs);
	if (ret < 0 || !hdrs)
		return ret;
	if (write_relay_headers(req, buf, hdrs + ret) != hdrs)
		return -DHCP6_ERR_BAD_OPTION;	/* the request changed under us */
	return hdrs + ret;
}

int dhcp6_duid_ll(const u8 *mac, u8 *buf, size_t size)
{
	struct writer w = { .p = buf, .cap = size };

	w_u16(&w, DHCP6_DUID_LL);
	w_u16(&w, HWTYPE_ETHER);
	w_bytes(&w, mac, ETHER_ADDR_LEN);
	return w.full ? -DHCP6_ERR_NO_ROOM : (int)w.len;
}
