/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the Neighbor Discovery codec -- Router Solicitations in, Router
 * Advertisements out (RFC 4861 4.1, 4.2, 4.6), as bytes of the ICMPv6
 * message (its checksum is the caller's: it covers the IPv6 pseudo-header).
 * Pure: no skb, no locks, no allocation; see codec.h.  For a boot segment
 * where nothing else advertises: the M and O flags send clients to DHCPv6,
 * the prefix is on-link and not for autoconfiguration.
 */
#ifndef _PXE_NDP_MSG_H
#define _PXE_NDP_MSG_H

#include "codec.h"

#define NDP_ROUTER_SOLICIT	133
#define NDP_ROUTER_ADVERT	134

#define NDP_RS_LEN		8	/* type, code, checksum, reserved */
#define NDP_RA_LEN		16	/* ... hop limit, flags, lifetimes */
#define NDP_OPT_UNIT		8	/* option lengths count 8 bytes */

#define NDP_OPT_SLLA		1	/* source link-layer address */
#define NDP_OPT_PREFIX		3	/* prefix information */
#define NDP_OPT_MTU		5

#define NDP_RA_MANAGED		0x80	/* M: addresses from DHCPv6 */
#define NDP_RA_OTHER		0x40	/* O: other configuration too */
#define NDP_PREFIX_ONLINK	0x80	/* L */
#define NDP_PREFIX_AUTO		0x40	/* A: SLAAC */

#define NDP_RA_PREFIX_MAX	4

/* Why a Router Solicitation was refused; ndp_parse_rs() returns it negated. */
enum ndp_error {
	NDP_OK = 0,
	NDP_ERR_TRUNCATED,	/* shorter than 8 bytes */
	NDP_ERR_BAD_TYPE,	/* not 133 */
	NDP_ERR_BAD_CODE,	/* code not 0 */
	NDP_ERR_BAD_OPTION,	/* an option of length 0, or past the end */
	NDP_ERR_SLLA_UNSPECIFIED, /* a link-layer address from :: (6.1.1) */
	NDP_ERR_NO_ROOM,	/* ndp_build_ra(): the buffer is too small */
};

struct ndp_rs {
	bool has_slla;		/* an Ethernet source link-layer address */
	u8 slla[6];
};

/*
 * Checks @len bytes of ICMPv6 as RFC 4861 6.1.1 asks of a router (the hop
 * limit of 255 and the checksum are the caller's); @from_unspecified: the
 * IPv6 source was ::.  Returns 0 or -enum ndp_error.
 */
int ndp_parse_rs(const u8 *buf, size_t len, bool from_unspecified,
		 struct ndp_rs *rs);

struct ndp_prefix {
	u8 prefix[16];		/* bits past @len are written as zeros */
	u8 len;			/* 0..128 */
	u8 flags;		/* NDP_PREFIX_ONLINK, NDP_PREFIX_AUTO */
	u32 valid, preferred;	/* seconds; 0xffffffff: forever */
};

/*
 * A Router Advertisement: the header, then the source link-layer address
 * (when @slla), the MTU (when non-zero) and each prefix, in that order.
 */
struct ndp_ra {
	u8 cur_hop_limit;	/* 0: unspecified */
	u8 flags;		/* NDP_RA_MANAGED, NDP_RA_OTHER */
	u16 router_lifetime;	/* seconds; 0: not a default router */
	u32 reachable, retrans;	/* milliseconds; 0: unspecified */
	const u8 *slla;		/* 6 bytes, or NULL */
	u32 mtu;
	u8 n_prefix;		/* at most NDP_RA_PREFIX_MAX */
	struct ndp_prefix prefix[NDP_RA_PREFIX_MAX];
};

/*
 * Writes @ra into @buf with a zero checksum: the length written, or
 * -NDP_ERR_NO_ROOM (nothing past @size is written), -NDP_ERR_BAD_OPTION
 * for more than NDP_RA_PREFIX_MAX prefixes or a prefix longer than 128.
 */
int ndp_build_ra(const struct ndp_ra *ra, u8 *buf, size_t size);

#endif /* _PXE_NDP_MSG_H */
