// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the Neighbor Discovery codec (ndp_msg.h).  A Router Solicitation is
 * read only to be validated and for its sender's MAC; a Router
 * Advertisement is written whole, its length known before a byte is.
 */
#include "ndp_msg.h"

#define SLLA_LEN	8	/* type, length 1, a MAC */
#define MTU_OPT_LEN	8	/* type, length 1, reserved, MTU */
#define PREFIX_OPT_LEN	32	/* type, length 4, ... , the prefix */

int ndp_parse_rs(const u8 *buf, size_t len, bool from_unspecified,
		 struct ndp_rs *rs)
{
	size_t off = NDP_RS_LEN;

	memset(rs, 0, sizeof(*rs));
	if (len < NDP_RS_LEN)
		return -NDP_ERR_TRUNCATED;
	if (buf[0] != NDP_ROUTER_SOLICIT)
		return -NDP_ERR_BAD_TYPE;
	if (buf[1])
		return -NDP_ERR_BAD_CODE;
	/* Every option: a type, a length in units of 8 bytes, never 0. */
	while (off < len) {
		size_t olen;

		if (len - off < 2 || !buf[off + 1])
			return -NDP_ERR_BAD_OPTION;
		olen = (size_t)buf[off + 1] * NDP_OPT_UNIT;
		if (olen > len - off)
			return -NDP_ERR_BAD_OPTION;
		if (buf[off] == NDP_OPT_SLLA) {
			if (from_unspecified)
				return -NDP_ERR_SLLA_UNSPECIFIED;
			/* Ethernet's is one unit (RFC 2464 6); others are not ours. */
			if (olen == SLLA_LEN && !rs->has_slla) {
				rs->has_slla = true;
				memcpy(rs->slla, buf + off + 2, sizeof(rs->slla));
			}
		}
		off += olen;
	}
	return 0;
}

static void prefix_write(const struct ndp_prefix *p, u8 *at)
{
	unsigned int bytes = p->len / 8, bits = p->len % 8;

	at[0] = NDP_OPT_PREFIX;
	at[1] = PREFIX_OPT_LEN / NDP_OPT_UNIT;
	at[2] = p->len;
	at[3] = p->flags & (NDP_PREFIX_ONLINK | NDP_PREFIX_AUTO);
	put_unaligned_be32(p->valid, at + 4);
	put_unaligned_be32(p->preferred, at + 8);
	memset(at + 12, 0, 4 + 16);
	memcpy(at + 16, p->prefix, bytes);
	if (bits)
		at[16 + bytes] = p->prefix[bytes] & (0xff << (8 - bits));
}

int ndp_build_ra(const struct ndp_ra *ra, u8 *buf, size_t size)
{
	size_t len = NDP_RA_LEN, off;
	unsigned int i;

	if (ra->n_prefix > NDP_RA_PREFIX_MAX)
		return -NDP_ERR_BAD_OPTION;
	for (i = 0; i < ra->n_prefix; i++)
		if (ra->prefix[i].len > 128)
			return -NDP_ERR_BAD_OPTION;
	len += (ra->slla ? SLLA_LEN : 0) + (ra->mtu ? MTU_OPT_LEN : 0) +
	       ra->n_prefix * PREFIX_OPT_LEN;
	if (len > size)
		return -NDP_ERR_NO_ROOM;

	buf[0] = NDP_ROUTER_ADVERT;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = 0;
	buf[4] = ra->cur_hop_limit;
	buf[5] = ra->flags & (NDP_RA_MANAGED | NDP_RA_OTHER);
	put_unaligned_be16(ra->router_lifetime, buf + 6);
	put_unaligned_be32(ra->reachable, buf + 8);
	put_unaligned_be32(ra->retrans, buf + 12);
	off = NDP_RA_LEN;
	if (ra->slla) {
		buf[off] = NDP_OPT_SLLA;
		buf[off + 1] = SLLA_LEN / NDP_OPT_UNIT;
		memcpy(buf + off + 2, ra->slla, 6);
		off += SLLA_LEN;
	}
	if (ra->mtu) {
		buf[off] = NDP_OPT_MTU;
		buf[off + 1] = MTU_OPT_LEN / NDP_OPT_UNIT;
		buf[off + 2] = 0;
		buf[off + 3] = 0;
		put_unaligned_be32(ra->mtu, buf + off + 4);
		off += MTU_OPT_LEN;
	}
	for (i = 0; i < ra->n_prefix; i++, off += PREFIX_OPT_LEN)
		prefix_write(&ra->prefix[i], buf + off);
	return len;
}
