// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the DHCP codec (dhcp_msg.h).  Everything here runs on bytes a
 * stranger sent us, in softirq: every length is checked against the area
 * it lives in before it is read, and nothing is allocated.
 */
#include "dhcp_msg.h"

/* Offsets in the fixed BOOTP header (RFC 951). */
#define OFF_OP		0
#define OFF_HTYPE	1
#define OFF_HLEN	2
#define OFF_HOPS	3
#define OFF_XID		4
#define OFF_SECS	8
#define OFF_FLAGS	10
#define OFF_CIADDR	12
#define OFF_YIADDR	16
#define OFF_SIADDR	20
#define OFF_GIADDR	24
#define OFF_CHADDR	28
#define OFF_SNAME	44
#define OFF_FILE	108
#define OFF_COOKIE	DHCP_FIXED_LEN
#define OFF_OPTIONS	DHCP_MIN_LEN

#define HTYPE_ETHER	1
#define ETHER_ADDR_LEN	6
#define IP_UDP_HDR_LEN	28	/* what option 57 counts beyond the payload */

#define LEASE_INFINITE	0xffffffffU	/* RFC 2132 9.2 */

#define OVERLOAD_FILE	1
#define OVERLOAD_SNAME	2
#define OVERLOAD_BOTH	3

struct parse_state {
	struct dhcp_request *req;
	u8 seen[256 / 8];	/* first instance wins: later ones skipped */
	u8 overload;		/* option 52's value, 0 when absent */
};

static bool first_instance(struct parse_state *st, u8 code)
{
	u8 bit = 1 << (code % 8);

	if (st->seen[code / 8] & bit)
		return false;
	st->seen[code / 8] |= bit;
	return true;
}

static void take_bytes(struct dhcp_bytes *b, const u8 *val, u8 len)
{
	b->data = val;
	b->len = len;
}

/* Option 52 is only meaningful once, in the options field proper. */
static int take_overload(struct parse_state *st, const u8 *val, u8 len,
			 bool in_options_field)
{
	if (!in_options_field || st->overload)
		return -DHCP_ERR_BAD_OVERLOAD;
	if (len != 1 || val[0] < OVERLOAD_FILE || val[0] > OVERLOAD_BOTH)
		return -DHCP_ERR_BAD_OVERLOAD;
	st->overload = val[0];
	return 0;
}

/* Options with a wrong length for their type are ignored, not fatal. */
static void take_option(struct dhcp_request *req, u8 code, const u8 *val, u8 len)
{
	switch (code) {
	case DHCP_OPT_MSG_TYPE:
		if (len == 1 && val[0] >= DHCP_DISCOVER && val[0] <= DHCP_INFORM)
			req->type = val[0];
		break;
	case DHCP_OPT_REQUESTED_IP:
		if (len == 4)
			memcpy(&req->requested_ip, val, 4);
		break;
	case DHCP_OPT_SERVER_ID:
		if (len == 4)
			memcpy(&req->server_id, val, 4);
		break;
	case DHCP_OPT_MAX_SIZE:
		if (len == 2)
			req->max_size = get_unaligned_be16(val);
		break;
	case DHCP_OPT_CLIENT_ARCH:
		if (len >= 2) {
			req->has_arch = true;
			req->arch = get_unaligned_be16(val);
		}
		break;
	case DHCP_OPT_IPXE:
		req->ipxe = true;
		break;
	case DHCP_OPT_CLIENT_ID:
		take_bytes(&req->client_id, val, len);
		break;
	case DHCP_OPT_VENDOR_CLASS:
		take_bytes(&req->vendor_class, val, len);
		break;
	case DHCP_OPT_USER_CLASS:
		take_bytes(&req->user_class, val, len);
		break;
	case DHCP_OPT_PRL:
		take_bytes(&req->prl, val, len);
		break;
	case DHCP_OPT_UUID:
		take_bytes(&req->uuid, val, len);
		break;
	case DHCP_OPT_CLIENT_NDI:
		take_bytes(&req->ndi, val, len);
		break;
	case DHCP_OPT_RELAY_INFO:
		take_bytes(&req->relay_info, val, len);
		break;
	case DHCP_OPT_HOSTNAME:
		take_bytes(&req->hostname, val, len);
		break;
	}
}

/*
 * Walks one options area: the options field, or `file` / `sname` when
 * overloaded.  The area ends at option 255 or at its last byte (a missing
 * end option is tolerated, as other servers do); an option whose length
 * byte or value runs past the area refuses the whole message.
 */
static int walk_options(struct parse_state *st, const u8 *area, size_t len,
			bool in_options_field)
{
	size_t i = 0;
	int err;

	while (i < len) {
		u8 code = area[i++];
		u8 olen;

		if (code == DHCP_OPT_PAD)
			continue;
		if (code == DHCP_OPT_END)
			return 0;
		if (i >= len)
			return -DHCP_ERR_BAD_OPTION;
		olen = area[i++];
		if (olen > len - i)
			return -DHCP_ERR_BAD_OPTION;
		if (code == DHCP_OPT_OVERLOAD) {
			err = take_overload(st, area + i, olen, in_options_field);
			if (err)
				return err;
		} else if (first_instance(st, code)) {
			take_option(st->req, code, area + i, olen);
		}
		i += olen;
	}
	return 0;
}

static int parse_header(const u8 *buf, size_t len, struct dhcp_request *req)
{
	if (len < DHCP_MIN_LEN)
		return -DHCP_ERR_TRUNCATED;
	if (buf[OFF_OP] != DHCP_BOOTREQUEST)
		return -DHCP_ERR_BAD_OP;
	if (buf[OFF_HTYPE] != HTYPE_ETHER)
		return -DHCP_ERR_BAD_HTYPE;
	if (buf[OFF_HLEN] != ETHER_ADDR_LEN)
		return -DHCP_ERR_BAD_HLEN;
	if (get_unaligned_be32(buf + OFF_COOKIE) != DHCP_COOKIE)
		return -DHCP_ERR_BAD_COOKIE;

	req->op = buf[OFF_OP];
	req->htype = buf[OFF_HTYPE];
	req->hlen = buf[OFF_HLEN];
	req->hops = buf[OFF_HOPS];
	memcpy(&req->xid, buf + OFF_XID, 4);
	memcpy(&req->secs, buf + OFF_SECS, 2);
	memcpy(&req->flags, buf + OFF_FLAGS, 2);
	memcpy(&req->ciaddr, buf + OFF_CIADDR, 4);
	memcpy(&req->yiaddr, buf + OFF_YIADDR, 4);
	memcpy(&req->siaddr, buf + OFF_SIADDR, 4);
	memcpy(&req->giaddr, buf + OFF_GIADDR, 4);
	memcpy(req->chaddr, buf + OFF_CHADDR, DHCP_CHADDR_LEN);
	return 0;
}

int dhcp_parse(const u8 *buf, size_t len, struct dhcp_request *req)
{
	struct parse_state st = { .req = req };
	int err;

	memset(req, 0, sizeof(*req));
	err = parse_header(buf, len, req);
	if (err)
		return err;

	err = walk_options(&st, buf + OFF_OPTIONS, len - OFF_OPTIONS, true);
	/* RFC 2131 4.1: `file` is read before `sname`. */
	if (!err && (st.overload & OVERLOAD_FILE))
		err = walk_options(&st, buf + OFF_FILE, DHCP_FILE_LEN, false);
	if (!err && (st.overload & OVERLOAD_SNAME))
		err = walk_options(&st, buf + OFF_SNAME, DHCP_SNAME_LEN, false);
	if (err)
		return err;

	if (!req->type)
		return -DHCP_ERR_NO_TYPE;
	req->rpi = dhcp_is_raspberry_pi(req);
	return 0;
}

/* --- what the client is, and what it can fetch --- */

static const char pxe_class[] = "PXEClient";
static const char http_class[] = "HTTPClient";

static bool vendor_class_starts(const struct dhcp_request *req,
				const char *prefix, size_t n)
{
	return req->vendor_class.len >= n &&
	       !memcmp(req->vendor_class.data, prefix, n);
}

bool dhcp_is_pxe_client(const struct dhcp_request *req)
{
	return vendor_class_starts(req, pxe_class, sizeof(pxe_class) - 1);
}

bool dhcp_is_http_client(const struct dhcp_request *req)
{
	return vendor_class_starts(req, http_class, sizeof(http_class) - 1);
}

static bool is_digit(u8 c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool dhcp_is_url(const char *file)
{
	const char *p = file;

	if (!is_alpha(*p))
		return false;
	while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return !strncmp(p, "://", 3);
}

/*
 * iPXE fetches URLs as well as TFTP paths (dnsmasq and Kea users hand it
 * "http://..." scripts); firmware that says PXEClient, and a Pi's boot
 * ROM, only TFTP paths; an HTTP Boot client only URLs.
 */
bool dhcp_client_takes(const struct dhcp_request *req, bool url)
{
	if (dhcp_is_http_client(req))
		return url;
	if (!url)
		return true;
	return req->ipxe || dhcp_has_user_class(req, "iPXE") ||
	       !(dhcp_is_pxe_client(req) || req->rpi);
}

/* --- Raspberry Pi --- */

/* What the Pi's network boot sends as option 60, whatever the model. */
static const char rpi_vendor_class[] = "PXEClient:Arch:00000:UNDI:002001";

/* The OUIs of the Pis' own Ethernet MACs, as the IEEE registry has them. */
static const u8 rpi_ouis[][3] = {
	{ 0xb8, 0x27, 0xeb },	/* Raspberry Pi Foundation: Pi 1 to 3 */
	{ 0xdc, 0xa6, 0x32 },	/* Raspberry Pi Trading: Pi 4 and later */
	{ 0xe4, 0x5f, 0x01 },
	{ 0x28, 0xcd, 0xc1 },
	{ 0xd8, 0x3a, 0xdd },
	{ 0x2c, 0xcf, 0x67 },
};

#define RPI_UUID_LEN	17	/* option 97: type 0, then 16 bytes */
#define RPI3_UUID_BYTE	0x44	/* the Pi 3B boot ROM's constant identifier */

/*
 * The Pi 4 and 5 EEPROM start their identifier with a FourCC, "RPi4" or
 * "RPi5"; it is matched in either byte order, so that firmware storing
 * the 32-bit code the other way round is known too.
 */
static bool rpi_fourcc(const u8 *p)
{
	return (!memcmp(p, "RPi", 3) && is_digit(p[3])) ||
	       (is_digit(p[0]) && !memcmp(p + 1, "iPR", 3));
}

static bool rpi_uuid(const struct dhcp_bytes *uuid)
{
	unsigned int i;

	if (uuid->len != RPI_UUID_LEN || uuid->data[0])
		return false;
	if (rpi_fourcc(uuid->data + 1))
		return true;
	for (i = 1; i < RPI_UUID_LEN; i++)
		if (uuid->data[i] != RPI3_UUID_BYTE)
			return false;
	return true;
}

static bool rpi_oui(const u8 *mac)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rpi_ouis); i++)
		if (!memcmp(mac, rpi_ouis[i], sizeof(rpi_ouis[i])))
			return true;
	return false;
}

bool dhcp_is_raspberry_pi(const struct dhcp_request *req)
{
	const size_t n = sizeof(rpi_vendor_class) - 1;

	if (rpi_uuid(&req->uuid))
		return true;
	return req->vendor_class.len == n &&
	       !memcmp(req->vendor_class.data, rpi_vendor_class, n) &&
	       rpi_oui(req->chaddr);
}

bool dhcp_has_user_class(const struct dhcp_request *req, const char *name)
{
	const struct dhcp_bytes *uc = &req->user_class;
	size_t n = strlen(name);
	size_t i = 0;

	if (!n || !uc->len)
		return false;
	if (uc->len == n && !memcmp(uc->data, name, n))
		return true;

	/* RFC 3004: instances of one length byte and that many bytes. */
	while (i < uc->len) {
		size_t ilen = uc->data[i++];

		if (ilen > uc->len - i)
			return false;
		if (ilen == n && !memcmp(uc->data + i, name, n))
			return true;
		i += ilen;
	}
	return false;
}

bool dhcp_requested(const struct dhcp_request *req, u8 code)
{
	if (!req->prl.len)
		return true;
	return !!memchr(req->prl.data, code, req->prl.len);
}

/* --- building a reply --- */

/* PXE vendor options (PXE 2.1, 2.4.4): discovery control 8, then end. */
static const u8 pxe_vendor_opts[] = { 6, 1, 8, DHCP_OPT_END };

/*
 * What a Raspberry Pi looks for in 43 (it ignores an offer without it):
 * the PXE sub-options of one boot service of type 0 named "Raspberry Pi
 * Boot", in the order dnsmasq's pxe-service writes them -- discovery
 * control 3, menu prompt (timeout 0) "PXE", boot menu (type 0, the name)
 * -- the name padded with three spaces, which the Pi 3B boot ROM needs
 * (it miscounts the string's length) and later firmware does not mind.
 */
static const u8 rpi_vendor_opts[] = {
	6, 1, 3,
	10, 4, 0, 'P', 'X', 'E',
	9, 23, 0, 0, 20, 'R', 'a', 's', 'p', 'b', 'e', 'r', 'r', 'y', ' ',
		'P', 'i', ' ', 'B', 'o', 'o', 't', ' ', ' ', ' ',
	DHCP_OPT_END,
};

#define REPLY_OPTS_MAX	20	/* every option dhcp_build_reply() writes */
#define OPT_HDR_LEN	2

struct reply_opt {
	u8 code;
	u8 len;
	const void *data;
};

struct reply_opts {
	struct reply_opt v[REPLY_OPTS_MAX];
	unsigned int n;
	u8 times[3][4];		/* 51, 58, 59 in network order */
};

static void add_opt(struct reply_opts *o, u8 code, const void *data, size_t len)
{
	if (!len || o->n >= ARRAY_SIZE(o->v))
		return;
	o->v[o->n].code = code;
	o->v[o->n].len = len > 255 ? 255 : len;
	o->v[o->n].data = data;
	o->n++;
}

static void add_addr(struct reply_opts *o, u8 code, const __be32 *addr)
{
	if (*addr)
		add_opt(o, code, addr, 4);
}

static void add_str(struct reply_opts *o, u8 code, const char *s)
{
	if (s)
		add_opt(o, code, s, strnlen(s, 255));
}

/* True when @s fits `file` with its terminating NUL. */
static bool fits_file_field(const char *s)
{
	return s && strnlen(s, DHCP_FILE_LEN) < DHCP_FILE_LEN;
}

static void add_lease_times(struct reply_opts *o, u32 lease)
{
	/* An infinite lease never needs renewing. */
	u32 t1 = lease == LEASE_INFINITE ? lease : lease / 2;
	u32 t2 = lease == LEASE_INFINITE ? lease : (u32)(((u64)lease * 7) >> 3);

	if (!lease)
		return;
	put_unaligned_be32(lease, o->times[0]);
	put_unaligned_be32(t1, o->times[1]);
	put_unaligned_be32(t2, o->times[2]);
	add_opt(o, DHCP_OPT_LEASE_TIME, o->times[0], 4);
	add_opt(o, DHCP_OPT_T1, o->times[1], 4);
	add_opt(o, DHCP_OPT_T2, o->times[2], 4);
}

/* The options the reply carries, in the order they are written. */
static void collect_options(const struct dhcp_request *req,
			    const struct dhcp_reply *reply, struct reply_opts *o)
{
	bool boot_file_in_field = fits_file_field(reply->boot_file);
	/* EDK2 drops an "HTTPClient" offer without a URI, address and all. */
	bool http = reply->http && reply->boot_file && *reply->boot_file;
	size_t n_dns = reply->n_dns > DHCP_DNS_MAX ? DHCP_DNS_MAX : reply->n_dns;

	add_opt(o, DHCP_OPT_MSG_TYPE, &reply->type, 1);
	add_opt(o, DHCP_OPT_SERVER_ID, &reply->server_id, 4);
	add_lease_times(o, reply->lease_time);
	if (dhcp_requested(req, DHCP_OPT_NETMASK))
		add_addr(o, DHCP_OPT_NETMASK, &reply->netmask);
	if (dhcp_requested(req, DHCP_OPT_ROUTER))
		add_addr(o, DHCP_OPT_ROUTER, &reply->router);
	if (dhcp_requested(req, DHCP_OPT_DNS))
		add_opt(o, DHCP_OPT_DNS, reply->dns, 4 * n_dns);
	if (dhcp_requested(req, DHCP_OPT_DOMAIN))
		add_str(o, DHCP_OPT_DOMAIN, reply->domain);
	if (dhcp_requested(req, DHCP_OPT_BROADCAST))
		add_addr(o, DHCP_OPT_BROADCAST, &reply->broadcast);
	if (dhcp_requested(req, DHCP_OPT_HOSTNAME))
		add_str(o, DHCP_OPT_HOSTNAME, reply->hostname);
	/* A Pi 4 takes its TFTP server from 66, asked for or not. */
	if (dhcp_requested(req, DHCP_OPT_TFTP_SERVER) || reply->rpi)
		add_str(o, DHCP_OPT_TFTP_SERVER, reply->tftp_server);
	/*
	 * A name too long for `file` reaches the client only as 67; an HTTP
	 * client's URL is the whole point of its offer, asked for or not.
	 */
	if (dhcp_requested(req, DHCP_OPT_BOOT_FILE) || !boot_file_in_field ||
	    http)
		add_str(o, DHCP_OPT_BOOT_FILE, reply->boot_file);
	if (http) {
		/* No 43: EDK2's HttpBootDxe never reads it. */
		add_opt(o, DHCP_OPT_VENDOR_CLASS, http_class,
			sizeof(http_class) - 1);
	} else if (reply->pxe || reply->rpi) {
		add_opt(o, DHCP_OPT_VENDOR_CLASS, pxe_class, sizeof(pxe_class) - 1);
		if (reply->rpi)
			add_opt(o, DHCP_OPT_VENDOR, rpi_vendor_opts,
				sizeof(rpi_vendor_opts));
		else
			add_opt(o, DHCP_OPT_VENDOR, pxe_vendor_opts,
				sizeof(pxe_vendor_opts));
		add_opt(o, DHCP_OPT_UUID, req->uuid.data, req->uuid.len);
	}
	if (req->giaddr)
		add_opt(o, DHCP_OPT_RELAY_INFO, req->relay_info.data,
			req->relay_info.len);
	add_str(o, DHCP_OPT_MESSAGE, reply->message);
}

/* One area options are written into: the options field, `file`, `sname`. */
struct opt_area {
	u8 *p;
	size_t cap;		/* bytes, the end option included; 0: not ours */
	size_t used;
};

enum { AREA_OPTIONS, AREA_FILE, AREA_SNAME, AREA_NONE };

/* Takes room for @opt in @a, keeping one byte for the end option. */
static bool area_reserve(struct opt_area *a, const struct reply_opt *opt)
{
	size_t need = OPT_HDR_LEN + opt->len;

	if (!a->cap || a->used + need + 1 > a->cap)
		return false;
	a->used += need;
	return true;
}

static void area_put(struct opt_area *a, const struct reply_opt *opt)
{
	a->p[a->used] = opt->code;
	a->p[a->used + 1] = opt->len;
	memcpy(a->p + a->used + OPT_HDR_LEN, opt->data, opt->len);
	a->used += OPT_HDR_LEN + opt->len;
}

static void area_end(struct opt_area *a)
{
	a->p[a->used++] = DHCP_OPT_END;
}

static size_t options_len(const struct reply_opts *o)
{
	size_t len = 1;		/* the end option */
	unsigned int i;

	for (i = 0; i < o->n; i++)
		len += OPT_HDR_LEN + o->v[i].len;
	return len;
}

/* 53 and 54, and what is too big for `file` and `sname`, need the options field. */
static bool needs_options_field(const struct reply_opt *opt,
				const struct opt_area *file,
				const struct opt_area *sname)
{
	struct opt_area f = { .cap = file->cap }, s = { .cap = sname->cap };

	return opt->code == DHCP_OPT_MSG_TYPE || opt->code == DHCP_OPT_SERVER_ID ||
	       (!area_reserve(&f, opt) && !area_reserve(&s, opt));
}

/*
 * Decides where each option goes when they do not all fit the options
 * field: first what can only live there (53 and 54 always fit: the field
 * holds at least 60 bytes), then the rest in order, first fit in the
 * options field, `file`, `sname`.  What fits nowhere is dropped.  Returns
 * the value of option 52, 0 when nothing spilled.
 */
static u8 assign_areas(const struct reply_opts *o, struct opt_area *areas,
		       u8 *where)
{
	u8 overload = 0;
	unsigned int i, a;

	for (i = 0; i < o->n; i++) {
		where[i] = AREA_NONE;
		if (needs_options_field(&o->v[i], &areas[AREA_FILE],
					&areas[AREA_SNAME]) &&
		    area_reserve(&areas[AREA_OPTIONS], &o->v[i]))
			where[i] = AREA_OPTIONS;
	}
	for (i = 0; i < o->n; i++) {
		for (a = AREA_OPTIONS; a < AREA_NONE && where[i] == AREA_NONE; a++) {
			if (!area_reserve(&areas[a], &o->v[i]))
				continue;
			where[i] = a;
			if (a == AREA_FILE)
				overload |= OVERLOAD_FILE;
			if (a == AREA_SNAME)
				overload |= OVERLOAD_SNAME;
		}
	}
	return overload;
}

/* Writes the options, spilling into `file` and `sname` under option 52. */
static void write_overloaded(const struct reply_opts *o, struct opt_area *areas)
{
	const size_t overload_len = OPT_HDR_LEN + 1;
	u8 where[REPLY_OPTS_MAX];
	unsigned int i;
	u8 overload;

	areas[AREA_OPTIONS].used = overload_len;
	overload = assign_areas(o, areas, where);

	areas[AREA_OPTIONS].used = 0;
	areas[AREA_FILE].used = 0;
	areas[AREA_SNAME].used = 0;
	if (overload) {
		struct reply_opt opt52 = { DHCP_OPT_OVERLOAD, 1, &overload };

		area_put(&areas[AREA_OPTIONS], &opt52);
	}
	for (i = 0; i < o->n; i++)
		if (where[i] != AREA_NONE)
			area_put(&areas[where[i]], &o->v[i]);
	area_end(&areas[AREA_OPTIONS]);
	if (overload & OVERLOAD_FILE)
		area_end(&areas[AREA_FILE]);
	if (overload & OVERLOAD_SNAME)
		area_end(&areas[AREA_SNAME]);
}

static void write_header(const struct dhcp_request *req,
			 const struct dhcp_reply *reply, u8 *buf)
{
	memset(buf, 0, DHCP_MIN_LEN);
	buf[OFF_OP] = DHCP_BOOTREPLY;
	buf[OFF_HTYPE] = req->htype;
	buf[OFF_HLEN] = req->hlen;
	memcpy(buf + OFF_XID, &req->xid, 4);
	memcpy(buf + OFF_FLAGS, &req->flags, 2);
	memcpy(buf + OFF_CIADDR, &reply->ciaddr, 4);
	memcpy(buf + OFF_YIADDR, &reply->yiaddr, 4);
	memcpy(buf + OFF_SIADDR, &reply->next_server, 4);
	memcpy(buf + OFF_GIADDR, &req->giaddr, 4);
	memcpy(buf + OFF_CHADDR, req->chaddr, DHCP_CHADDR_LEN);
	if (fits_file_field(reply->boot_file))
		memcpy(buf + OFF_FILE, reply->boot_file, strlen(reply->boot_file));
	put_unaligned_be32(DHCP_COOKIE, buf + OFF_COOKIE);
}

/* RFC 2131 4.1: the client takes max(57, 576) bytes of IP datagram. */
static size_t reply_limit(const struct dhcp_request *req, size_t size)
{
	size_t max_msg = req->max_size > DHCP_DEFAULT_MAX ? req->max_size
							  : DHCP_DEFAULT_MAX;

	return min(size, max_msg - IP_UDP_HDR_LEN);
}

int dhcp_build_reply(const struct dhcp_request *req,
		     const struct dhcp_reply *reply, u8 *buf, size_t size)
{
	struct opt_area areas[AREA_NONE] = {};
	struct opt_area *opts = &areas[AREA_OPTIONS];
	struct reply_opts o = {};
	size_t limit, len;
	unsigned int i;

	if (size < DHCP_BOOTP_MIN_LEN)
		return -1;
	limit = reply_limit(req, size);

	write_header(req, reply, buf);
	collect_options(req, reply, &o);

	opts->p = buf + OFF_OPTIONS;
	opts->cap = limit - OFF_OPTIONS;
	if (options_len(&o) <= opts->cap) {
		for (i = 0; i < o.n; i++)
			area_put(opts, &o.v[i]);
		area_end(opts);
	} else {
		/* `file` is free for options unless it carries boot_file. */
		if (!fits_file_field(reply->boot_file)) {
			areas[AREA_FILE].p = buf + OFF_FILE;
			areas[AREA_FILE].cap = DHCP_FILE_LEN;
		}
		areas[AREA_SNAME].p = buf + OFF_SNAME;
		areas[AREA_SNAME].cap = DHCP_SNAME_LEN;
		write_overloaded(&o, areas);
	}

	len = OFF_OPTIONS + opts->used;
	if (len < DHCP_BOOTP_MIN_LEN) {
		memset(buf + len, 0, DHCP_BOOTP_MIN_LEN - len);
		len = DHCP_BOOTP_MIN_LEN;
	}
	return len;
}
