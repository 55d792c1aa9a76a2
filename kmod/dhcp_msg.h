/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the DHCP codec -- BOOTP/DHCP messages (RFC 951, 2131, 2132) as bytes
 * in and structs out, and back.  Pure: no skb, no locks, no allocation;
 * see codec.h.  Compiled into the module and into the host unit tests and
 * fuzz target unchanged.
 */
#ifndef _PXE_DHCP_MSG_H
#define _PXE_DHCP_MSG_H

#include "codec.h"

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_PROXY_PORT		4011	/* PXE boot server / proxyDHCP */

#define DHCP_FIXED_LEN		236	/* op .. file, before the cookie */
#define DHCP_COOKIE		0x63825363
#define DHCP_MIN_LEN		(DHCP_FIXED_LEN + 4)	/* with the cookie */
#define DHCP_BOOTP_MIN_LEN	300	/* replies are padded to this */
#define DHCP_DEFAULT_MAX	576	/* RFC 2131: every client takes this */
#define DHCP_SNAME_LEN		64
#define DHCP_FILE_LEN		128
#define DHCP_CHADDR_LEN		16
#define DHCP_FLAG_BROADCAST	0x8000

/*
 * Option 93 code pxectl names "rpi": what a Raspberry Pi's boot ROM or
 * EEPROM bootloader is taken to be (it sends 0, like a BIOS).
 */
#define DHCP_ARCH_RPI		41

enum dhcp_op {
	DHCP_BOOTREQUEST = 1,
	DHCP_BOOTREPLY = 2,
};

enum dhcp_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER,
	DHCP_REQUEST,
	DHCP_DECLINE,
	DHCP_ACK,
	DHCP_NAK,
	DHCP_RELEASE,
	DHCP_INFORM,
};

/* Option codes the server reads or writes. */
enum dhcp_option {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_NETMASK = 1,
	DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS = 6,
	DHCP_OPT_HOSTNAME = 12,
	DHCP_OPT_DOMAIN = 15,
	DHCP_OPT_BROADCAST = 28,
	DHCP_OPT_VENDOR = 43,
	DHCP_OPT_REQUESTED_IP = 50,
	DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52,
	DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54,
	DHCP_OPT_PRL = 55,
	DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_SIZE = 57,
	DHCP_OPT_T1 = 58,
	DHCP_OPT_T2 = 59,
	DHCP_OPT_VENDOR_CLASS = 60,
	DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_TFTP_SERVER = 66,
	DHCP_OPT_BOOT_FILE = 67,
	DHCP_OPT_USER_CLASS = 77,
	DHCP_OPT_RELAY_INFO = 82,
	DHCP_OPT_CLIENT_ARCH = 93,
	DHCP_OPT_CLIENT_NDI = 94,
	DHCP_OPT_UUID = 97,
	DHCP_OPT_IPXE = 175,
	DHCP_OPT_END = 255,
};

/* Why a message was refused; dhcp_parse() returns the negative value. */
enum dhcp_error {
	DHCP_OK = 0,
	DHCP_ERR_TRUNCATED,	/* shorter than the fixed header + cookie */
	DHCP_ERR_BAD_OP,	/* op is not BOOTREQUEST */
	DHCP_ERR_BAD_HTYPE,	/* htype is not Ethernet (1) */
	DHCP_ERR_BAD_HLEN,	/* hlen is not 6 */
	DHCP_ERR_BAD_COOKIE,
	DHCP_ERR_BAD_OPTION,	/* an option's length runs past its area */
	DHCP_ERR_BAD_OVERLOAD,	/* option 52 invalid, repeated, or inside file/sname */
	DHCP_ERR_NO_TYPE,	/* no option 53, or a value outside 1..8 */
};

/* A byte string inside the parsed buffer: valid as long as the buffer. */
struct dhcp_bytes {
	const u8 *data;
	u8 len;			/* 0: the option was absent */
};

/*
 * A client's message as the server needs it.  Fields in network byte order
 * are as on the wire; the rest in host order.  Options are looked up in
 * the options area, then in `file` and `sname` when option 52 says so.  An
 * option that occurs more than once keeps its first instance.
 */
struct dhcp_request {
	u8 op, htype, hlen, hops;
	__be32 xid;
	__be16 secs, flags;
	__be32 ciaddr, yiaddr, siaddr, giaddr;
	u8 chaddr[DHCP_CHADDR_LEN];

	u8 type;			/* option 53: enum dhcp_type */
	__be32 requested_ip;		/* option 50; 0 when absent */
	__be32 server_id;		/* option 54; 0 when absent */
	u16 max_size;			/* option 57; 0 when absent */
	bool has_arch;
	u16 arch;			/* option 93, the first entry */
	bool ipxe;			/* option 175 present: iPXE */
	bool rpi;			/* a Raspberry Pi: dhcp_is_raspberry_pi() */
	struct dhcp_bytes client_id;	/* 61 */
	struct dhcp_bytes vendor_class;	/* 60 */
	/* 77, raw: iPXE's bare "iPXE" or RFC 3004 length-prefixed */
	struct dhcp_bytes user_class;
	struct dhcp_bytes prl;		/* 55 */
	struct dhcp_bytes uuid;		/* 97, echoed to PXE clients */
	struct dhcp_bytes ndi;		/* 94 */
	struct dhcp_bytes relay_info;	/* 82, echoed to relays */
	struct dhcp_bytes hostname;	/* 12 */
};

/* Parses @len bytes of UDP payload.  Returns 0 or -enum dhcp_error. */
int dhcp_parse(const u8 *buf, size_t len, struct dhcp_request *req);

/* True when option 60 starts with "PXEClient". */
bool dhcp_is_pxe_client(const struct dhcp_request *req);

/*
 * True when option 60 starts with "HTTPClient": UEFI HTTP Boot (UEFI 2.5
 * and later, "HTTP Boot"; EDK2's HttpBootDxe sends
 * "HTTPClient:Arch:xxxxx:UNDI:yyyzzz").  Case and every byte count, as
 * for "PXEClient": "HTTPClien" or "httpclient" is an ordinary client.
 */
bool dhcp_is_http_client(const struct dhcp_request *req);

/*
 * True when @file is a URL: an RFC 3986 scheme (a letter, then letters,
 * digits, '+', '-' or '.') followed by "://", e.g. "http://10.0.0.1/x".
 */
bool dhcp_is_url(const char *file);

/*
 * Whether a boot file of this kind is of use to the client: an HTTP Boot
 * client takes a URL only; PXE firmware (option 60 "PXEClient", or a
 * Raspberry Pi) a TFTP path only, unless it is iPXE (option 175 or user
 * class "iPXE"); everyone else either.  Boot rules pass over the clients
 * their file does not suit.
 */
bool dhcp_client_takes(const struct dhcp_request *req, bool url);

/*
 * True when the client is a Raspberry Pi's network boot (Pi 3 boot ROM,
 * bootcode.bin, Pi 4/5 EEPROM): option 97 of 17 bytes whose identifier is
 * one a Pi sends (0 and "RPi4"/"RPi5"..., either byte order; or the Pi 3B
 * ROM's constant 0x44 x 16), or option 60 exactly
 * "PXEClient:Arch:00000:UNDI:002001" from a MAC of a Raspberry Pi OUI.
 * dhcp_parse() sets req->rpi from it.
 */
bool dhcp_is_raspberry_pi(const struct dhcp_request *req);

/*
 * True when @name is one of the client's user classes: the whole of
 * option 77 (iPXE sends its name bare), or one RFC 3004 instance.
 */
bool dhcp_has_user_class(const struct dhcp_request *req, const char *name);

/* True when option 55 lists @code, or when there is no option 55. */
bool dhcp_requested(const struct dhcp_request *req, u8 code);

#define DHCP_DNS_MAX	8

/*
 * What the server answers.  Zero addresses and NULL strings are left out.
 * The builder decides the rest:
 *   - always: 53, 54; 51/58/59 when lease_time != 0 (T1 = 1/2, T2 = 7/8);
 *   - when the client asked for them in 55 (or sent no 55): 1, 3, 6, 15,
 *     28, 66, 67 (67 also unasked when boot_file does not fit `file`);
 *   - pxe: 60 "PXEClient", 43 (discovery control 8: boot from the file
 *     given), 97 echoed when the client sent it;
 *   - rpi: as pxe, but 43 is what a Raspberry Pi looks for (discovery
 *     control 3, menu prompt "PXE", boot menu "Raspberry Pi Boot   "), and
 *     66 even when the client did not ask for it;
 *   - http (with a boot_file, instead of pxe and rpi): 60 "HTTPClient" and
 *     67 even when the client did not ask for it, no 43 and no 97;
 *   - relay_info echoed as 82 when the request came through a relay;
 *   - 56 message (NAKs);
 *   - boot_file in the `file` field and next_server in siaddr, so that
 *     clients that never look at options boot too;
 *   - the reply fits the client's option 57 (never less than 576), is
 *     padded to 300 bytes, ends with option 255; when the options do not
 *     fit, `file` and `sname` carry the rest (option 52) if they are free.
 */
struct dhcp_reply {
	u8 type;			/* DHCP_OFFER, DHCP_ACK or DHCP_NAK */
	__be32 yiaddr;
	__be32 ciaddr;			/* INFORM: the client's own */
	__be32 next_server;		/* siaddr */
	__be32 server_id;		/* 54 */
	__be32 netmask, router, broadcast;
	__be32 dns[DHCP_DNS_MAX];
	u8 n_dns;
	const char *domain;		/* 15 */
	const char *hostname;		/* 12, for a reservation's name */
	u32 lease_time;			/* seconds; 0: no 51/58/59 */
	const char *boot_file;		/* file field, 67 (see above) */
	const char *tftp_server;	/* 66 (dotted quad or name) */
	bool pxe;
	bool rpi;			/* a Raspberry Pi's 43, and 66 always */
	bool http;			/* UEFI HTTP Boot: 60 "HTTPClient", 67 */
	const char *message;		/* 56 */
};

/*
 * Writes the reply to @req into @buf.  Copies xid, flags, giaddr, chaddr,
 * htype, hlen from @req.  Returns the length written, or -1 when @size
 * cannot hold even the smallest reply (DHCP_BOOTP_MIN_LEN).
 * @buf must not overlap the buffer @req was parsed from: the byte strings
 * echoed (97, 82) and option 55 are read from there while @buf is written.
 */
int dhcp_build_reply(const struct dhcp_request *req,
		     const struct dhcp_reply *reply, u8 *buf, size_t size);

#endif /* _PXE_DHCP_MSG_H */
