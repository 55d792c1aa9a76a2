/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the DHCPv6 codec -- DHCPv6 messages (RFC 8415) with the network
 * boot options (RFC 5970) as bytes in and structs out, and back.  Pure: no
 * skb, no locks, no allocation; see codec.h.  Compiled into the module and
 * into the host unit tests and fuzz target unchanged.  docs/dhcp6-codec.md
 * has the tables: what is refused, what is let through, what is written.
 */
#ifndef _PXE_DHCP6_MSG_H
#define _PXE_DHCP6_MSG_H

#include "codec.h"

#define DHCP6_CLIENT_PORT	546
#define DHCP6_SERVER_PORT	547

#define DHCP6_HDR_LEN		4	/* msg-type, transaction-id */
#define DHCP6_RELAY_HDR_LEN	34	/* msg-type, hop-count, link, peer */
#define DHCP6_OPT_HDR_LEN	4	/* option-code, option-len */
#define DHCP6_ADDR_LEN		16

/*
 * How many Relay-Forw messages may wrap a client's message.  RFC 3315
 * set HOP_COUNT_LIMIT to 32; RFC 8415 lowered it to 8, so that a relay
 * agent drops a Relay-Forw whose hop-count has reached 8.  The server
 * takes the older, larger bound: a chain of old relays is still served,
 * and the walk (a loop, not recursion) is bounded all the same.
 */
#define DHCP6_RELAY_DEPTH_MAX	32

#define DHCP6_DUID_MIN_LEN	3	/* type, and at least one byte */
#define DHCP6_DUID_MAX_LEN	130	/* type, and up to 128 bytes */
#define DHCP6_DUID_LL_LEN	10	/* type 3, hardware type 1, a MAC */

#define DHCP6_ENTERPRISE_PXE	343	/* Intel: the PXE vendor class */

enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE,
	DHCP6_REQUEST,
	DHCP6_CONFIRM,
	DHCP6_RENEW,
	DHCP6_REBIND,
	DHCP6_REPLY,
	DHCP6_RELEASE,
	DHCP6_DECLINE,
	DHCP6_RECONFIGURE,
	DHCP6_INFORMATION_REQUEST,
	DHCP6_RELAY_FORW,
	DHCP6_RELAY_REPL,
};

/* Option codes the server reads or writes. */
enum dhcp6_option {
	DHCP6_OPT_CLIENT_ID = 1,
	DHCP6_OPT_SERVER_ID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IA_TA = 4,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_RELAY_MSG = 9,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_USER_CLASS = 15,
	DHCP6_OPT_VENDOR_CLASS = 16,
	DHCP6_OPT_INTERFACE_ID = 18,
	DHCP6_OPT_DNS_SERVERS = 23,
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_BOOTFILE_URL = 59,
	DHCP6_OPT_BOOTFILE_PARAM = 60,
	DHCP6_OPT_CLIENT_ARCH = 61,
	DHCP6_OPT_NII = 62,
	DHCP6_OPT_CLIENT_LINKLAYER_ADDR = 79,
};

/* Status Code option values (RFC 8415 21.13). */
enum dhcp6_status {
	DHCP6_STATUS_SUCCESS = 0,
	DHCP6_STATUS_UNSPEC_FAIL,
	DHCP6_STATUS_NO_ADDRS_AVAIL,
	DHCP6_STATUS_NO_BINDING,
	DHCP6_STATUS_NOT_ON_LINK,
	DHCP6_STATUS_USE_MULTICAST,
};

enum dhcp6_duid_type {
	DHCP6_DUID_LLT = 1,
	DHCP6_DUID_EN = 2,
	DHCP6_DUID_LL = 3,
	DHCP6_DUID_UUID = 4,
};

/*
 * Why a message was refused; dhcp6_parse() returns the negative value.
 * dhcp6_build_reply() returns -DHCP6_ERR_NO_ROOM, -DHCP6_ERR_BAD_DUID or
 * -DHCP6_ERR_BAD_TYPE for what it cannot write.
 */
enum dhcp6_error {
	DHCP6_OK = 0,
	DHCP6_ERR_TRUNCATED,	/* shorter than its header, at any relay level */
	DHCP6_ERR_BAD_TYPE,	/* a type the server never answers */
	DHCP6_ERR_BAD_OPTION,	/* an option's header or value runs past its area */
	DHCP6_ERR_BAD_IA_NA,	/* IA_NA shorter than IAID, T1, T2 */
	DHCP6_ERR_BAD_IAADDR,	/* IA Address shorter than address + lifetimes */
	DHCP6_ERR_DUP_OPTION,	/* client id, server id, relay msg or interface-id twice */
	DHCP6_ERR_BAD_DUID,	/* a DUID of fewer than 3 or more than 130 bytes */
	DHCP6_ERR_NO_CLIENT_ID,	/* a message that needs one lacks it */
	DHCP6_ERR_NO_SERVER_ID,	/* Request, Renew, Release, Decline without one */
	DHCP6_ERR_UNEXPECTED_SERVER_ID,	/* Solicit, Confirm, Rebind with one */
	DHCP6_ERR_UNEXPECTED_IA,	/* Information-Request with an IA */
	DHCP6_ERR_RELAY_TOO_DEEP,	/* more than DHCP6_RELAY_DEPTH_MAX relays */
	DHCP6_ERR_NO_RELAY_MSG,	/* Relay-Forw without a Relay Message option */
	DHCP6_ERR_NO_ROOM,	/* builders: the buffer is too small */
};

/* A byte string inside the parsed buffer: valid as long as the buffer. */
struct dhcp6_bytes {
	const u8 *data;		/* NULL: the option was absent */
	u16 len;
};

/* The first IA_NA of a message, and the first IA Address inside it. */
struct dhcp6_ia_na {
	bool present;
	u32 iaid, t1, t2;
	bool has_addr;
	u8 addr[DHCP6_ADDR_LEN];
	u32 preferred, valid;
};

/* The relay agent closest to the client: the one on the client's link. */
struct dhcp6_relay {
	u8 hop_count;
	u8 link_address[DHCP6_ADDR_LEN];
	u8 peer_address[DHCP6_ADDR_LEN];
	struct dhcp6_bytes interface_id;	/* 18 */
	/* 79 (RFC 6939), the first one, when of hardware type 1, 6 bytes */
	bool has_client_mac;
	u8 client_mac[6];
};

/*
 * A client's message as the server needs it, all numbers in host order.
 * Options that may occur once and that the server relies on (client id,
 * server id; relay message, interface-id in each Relay-Forw) refuse the
 * message when repeated; of every other option the first instance is
 * read and later ones skipped.
 */
struct dhcp6_request {
	u8 type;			/* enum dhcp6_type, never a relay type */
	u32 xid;			/* 24 bits */

	struct dhcp6_bytes client_id;	/* 1, the whole DUID */
	u16 duid_type;			/* the client DUID's type, 0 if none */
	bool has_mac;			/* DUID-LLT or DUID-LL of hardware type 1 */
	u8 mac[6];
	struct dhcp6_bytes server_id;	/* 2 */

	struct dhcp6_ia_na ia_na;	/* 3, the first one */
	const u8 *oro;			/* 6: n_oro big-endian u16 codes */
	u16 n_oro;
	bool has_elapsed;
	u16 elapsed;			/* 8, hundredths of a second */
	bool rapid_commit;		/* 14 */
	struct dhcp6_bytes user_class;	/* 15, raw */
	bool has_vendor_class;
	u32 vendor_enterprise;		/* 16 */
	struct dhcp6_bytes vendor_class;	/* 16's data items, raw */
	bool has_arch;
	u16 arch;			/* 61, the first entry */
	bool has_nii;
	u8 nii[3];			/* 62: type, major, minor */

	/* Relay-Forw messages around it; 0 when it came straight. */
	u8 relay_depth;
	struct dhcp6_relay relay;
	/*
	 * The client's link as the relays name it: the link-address of the
	 * relay closest to the client that gives one; a lightweight relay
	 * (RFC 6221) gives :: and is looked through.  When that address is
	 * link-local (a routing relay with no other address on the client's
	 * link) no link is named and @link_local says so.
	 */
	bool has_link;
	bool link_local;
	u8 link[DHCP6_ADDR_LEN];
	/* The whole message as parsed: dhcp6_build_reply() walks its relays. */
	const u8 *msg;
	size_t msg_len;
};

/*
 * Parses @len bytes of UDP payload: a client message, or Relay-Forw
 * messages around one.  Returns 0 or -enum dhcp6_error.
 */
int dhcp6_parse(const u8 *buf, size_t len, struct dhcp6_request *req);

/* True when option 6 lists @code. */
bool dhcp6_requested(const struct dhcp6_request *req, u16 code);

/*
 * True when @name is one of the client's user classes (option 15): one
 * RFC 8415 item (two length bytes, then the bytes), or the whole option
 * (a client sending its name bare).
 */
bool dhcp6_has_user_class(const struct dhcp6_request *req, const char *name);

/*
 * The first data item of option 16 (EDK2: "PXEClient:Arch:00007:UNDI:
 * 003000"): true and its bytes, or false, NULL and 0 when there is none
 * or its length runs past the option.
 */
bool dhcp6_vendor_class_first(const struct dhcp6_request *req,
			      const u8 **data, size_t *len);

/*
 * True when the first data item of option 16 starts with @prefix, of any
 * enterprise number: "PXEClient" is what EDK2 and iPXE send (with 343).
 */
bool dhcp6_vendor_class_starts(const struct dhcp6_request *req,
			       const char *prefix);

/* True when option 16's first item starts with "PXEClient". */
bool dhcp6_is_pxe_client(const struct dhcp6_request *req);

/* Writes DUID-LL (type 3, hardware type 1, @mac): 10 bytes, or -NO_ROOM. */
int dhcp6_duid_ll(const u8 *mac, u8 *buf, size_t size);

#define DHCP6_DNS_MAX		4
#define DHCP6_BOOT_PARAMS_MAX	4

/*
 * The address part of a reply's IA_NA.  With status 0 it carries one IA
 * Address (addr, preferred, valid); otherwise a Status Code of that value
 * with @message instead, e.g. NoAddrsAvail or NoBinding.
 */
struct dhcp6_ia_reply {
	bool present;
	u32 t1, t2;
	u8 addr[DHCP6_ADDR_LEN];
	u32 preferred, valid;
	u16 status;			/* enum dhcp6_status */
	const char *message;
};

/*
 * What the server answers.  Written in this order, NULL strings and zero
 * counts left out:
 *   2 server id (server_duid, 3..130 bytes, required);
 *   1 client id, echoed when the client sent one;
 *   3 IA_NA (ia.present, and the request had an IA_NA: its IAID echoed);
 *   13 status (has_status: status, message);
 *   7 preference (has_preference);
 *   14 rapid commit, when a Reply answers a Solicit that asked for it;
 *   23 DNS servers;
 *   16 vendor class, enterprise 343, "PXEClient" (pxe);
 *   59 boot file URL;
 *   60 boot file parameters, each as two length bytes and the string.
 */
struct dhcp6_reply {
	u8 type;			/* DHCP6_ADVERTISE or DHCP6_REPLY */
	const u8 *server_duid;
	u16 server_duid_len;
	struct dhcp6_ia_reply ia;
	bool has_status;
	u16 status;
	const char *status_message;
	bool has_preference;
	u8 preference;
	u8 dns[DHCP6_DNS_MAX][DHCP6_ADDR_LEN];
	u8 n_dns;
	bool pxe;
	const char *boot_url;
	const char *boot_params[DHCP6_BOOT_PARAMS_MAX];
	u8 n_boot_params;
};

/*
 * Writes the reply to @req into @buf: the Advertise or Reply with @req's
 * transaction id, and, when @req came through relays, inside one
 * Relay-Repl per Relay-Forw (hop-count, link and peer address copied,
 * interface-id echoed), the outermost first.  Returns the length written,
 * -DHCP6_ERR_NO_ROOM when it does not fit @size (nothing is written past
 * @size), -DHCP6_ERR_BAD_DUID for a server DUID of the wrong length,
 * -DHCP6_ERR_BAD_TYPE for a type other than Advertise and Reply.
 * @buf must not overlap the buffer @req was parsed from: the client id and
 * the relay headers are read from there while @buf is written.
 */
int dhcp6_build_reply(const struct dhcp6_request *req,
		      const struct dhcp6_reply *reply, u8 *buf, size_t size);

#endif /* _PXE_DHCP6_MSG_H */
