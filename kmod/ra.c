// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: Router Advertisements for a boot segment where nothing else sends
 * them (`link add ... ra`).  iPXE starts DHCPv6 only after an RA with the
 * M flag, and EDK2 waits for one; on a segment without a router, or whose
 * router does not send M, the link sends its own:
 *
 *   - M and O: addresses and options from DHCPv6;
 *   - router lifetime 0: the module routes nothing, so it is no client's
 *     default router;
 *   - each IPv6 pool's /64 on-link, not for autoconfiguration; the MTU and
 *     the device's MAC.
 *
 * Sent from the device's link-local address to ff02::1 with hop limit 255:
 * the first three 4 s apart, then every 20 to 60 s (RFC 4861 6.2.4 and
 * 6.2.1 with a boot segment's shorter intervals).  A Router Solicitation
 * brings the next one forward to within 0.5 s (MAX_RA_DELAY_TIME), but
 * never to less than 3 s after the last (MIN_DELAY_BETWEEN_RAS, 6.2.6):
 * the link's timer is the only sender.  A link without an IPv6 pool whose
 * prefix is on the device sends none, and tries again 4 s later.  The link
 * joins ff02::2 while it sends RAs: a NIC's multicast filter passes
 * solicitations only to a host that has.  Everything but start and stop
 * runs in softirq, from the timer or the ingress hook.
 */
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <net/addrconf.h>
#include <net/ipv6.h>

#include "dhcp.h"
#include "ndp_msg.h"

#define RA_INITIAL_COUNT	3
#define RA_INITIAL_INTERVAL	(4 * HZ)
#define RA_MIN_INTERVAL		(20 * HZ)
#define RA_MAX_INTERVAL		(60 * HZ)
#define RA_MIN_DELAY		(3 * HZ)	/* between multicast RAs */
#define RA_MAX_DELAY		(HZ / 2)	/* an answer's random delay */
#define RA_PREFIX_VALID		86400		/* seconds */
#define RA_PREFIX_PREFERRED	14400
#define RA_HOP_LIMIT		0		/* clients keep their own */
#define RA_MAX_LEN		(NDP_RA_LEN + 16 + 32 * NDP_RA_PREFIX_MAX)

static const u8 all_nodes_mac[ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 0x01 };

/* Whether @ra already has the /64 of @addr. */
static bool ra_has_prefix(const struct ndp_ra *ra, const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; i < ra->n_prefix; i++)
		if (!memcmp(ra->prefix[i].prefix, addr, 8))
			return true;
	return false;
}

/*
 * The /64s of the link's IPv6 pools that are on the device (a pool for a
 * relayed segment is not: its clients are elsewhere); false when none is.
 */
static bool ra_prefixes(const struct pxe_link *link, struct ndp_ra *ra)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &link->pn->dhcp->pools, node) {
		struct ndp_prefix *p;

		if (!pool->v6 || pool->link != link ||
		    ra->n_prefix == NDP_RA_PREFIX_MAX ||
		    ra_has_prefix(ra, &pool->start6) ||
		    !ipv6_chk_prefix(&pool->start6, link->dev))
			continue;
		p = &ra->prefix[ra->n_prefix++];
		memcpy(p->prefix, &pool->start6, 8);
		p->len = 64;
		p->flags = NDP_PREFIX_ONLINK;
		p->valid = RA_PREFIX_VALID;
		p->preferred = RA_PREFIX_PREFERRED;
	}
	return ra->n_prefix;
}

/* One RA to ff02::1, under RCU; whether it left (counted then). */
static bool ra_send(struct pxe_link *link)
{
	struct net_device *dev = link->dev;
	struct ndp_ra ra = {
		.cur_hop_limit = RA_HOP_LIMIT,
		.flags = NDP_RA_MANAGED | NDP_RA_OTHER,
		.slla = dev->dev_addr,
		.mtu = READ_ONCE(dev->mtu),
	};
	struct pxe_tx tx = {
		.link = link,
		.v6 = true,
		.dst_mac = all_nodes_mac,
		.daddr6 = in6addr_linklocal_allnodes,
	};
	u8 buf[RA_MAX_LEN];
	int len;

	if (!ra_prefixes(link, &ra))
		return false;
	/* RFC 4861 6.1.2: an RA comes from a link-local address. */
	if (ipv6_dev_get_saddr(dev_net(dev), dev, &in6addr_linklocal_allnodes, 0, &tx.saddr6) ||
	    !(ipv6_addr_type(&tx.saddr6) & IPV6_ADDR_LINKLOCAL)) {
		pxe_stat_inc(link->pn, PXE_STAT_RA_NO_ADDRESS);
		return false;
	}
	len = ndp_build_ra(&ra, buf, sizeof(buf));
	if (WARN_ON_ONCE(len < 0) || pxe_tx_icmp6(&tx, buf, len))
		return false;
	pxe_stat_inc(link->pn, PXE_STAT_RA_TX);
	return true;
}

static void ra_timer(struct timer_list *t)
{
	struct pxe_link *link = from_timer(link, t, ra_timer);
	unsigned long next = RA_INITIAL_INTERVAL;
	bool sent;

	rcu_read_lock();
	sent = ra_send(link);
	rcu_read_unlock();
	/* Nothing sent (no prefix, no link-local address yet): the fast
	 * ones are still to come, 4 s from now.
	 */
	if (sent) {
		WRITE_ONCE(link->ra_last, jiffies);
		if (link->ra_initial)
			link->ra_initial--;
		else
			next = RA_MIN_INTERVAL +
			       get_random_u32_below(RA_MAX_INTERVAL -
						    RA_MIN_INTERVAL);
	}
	mod_timer(&link->ra_timer, jiffies + next);
}

/* Before the link's hook is registered: a solicitation may come at once. */
void pxe_ra_start(struct pxe_link *link)
{
	link->ra_initial = RA_INITIAL_COUNT - 1;
	link->ra_last = jiffies - RA_MIN_DELAY;
	timer_setup(&link->ra_timer, ra_timer, 0);
	mod_timer(&link->ra_timer, jiffies + HZ);
	/* RTNL held.  Without IPv6 on the device, solicitations wait for
	 * the periodic RAs.
	 */
	ipv6_dev_mc_inc(link->dev, &in6addr_linklocal_allrouters);
}

/* Process context, the link's hook gone (or never registered). */
void pxe_ra_stop(struct pxe_link *link)
{
	if (!link->ra)
		return;
	timer_shutdown_sync(&link->ra_timer);
	ipv6_dev_mc_dec(link->dev, &in6addr_linklocal_allrouters);
}

/*
 * A Router Solicitation of @len bytes at @msg, its IPv6 header checked by
 * the hook (hop limit 255, lengths, checksum): the next RA comes within
 * RA_MAX_DELAY, or RA_MIN_DELAY after the last.  Softirq, under RCU.
 */
void pxe_ra_rcv_rs(struct pxe_link *link, const u8 *msg, unsigned int len,
		   bool from_unspecified)
{
	unsigned long at = READ_ONCE(link->ra_last) + RA_MIN_DELAY;
	struct ndp_rs rs;

	if (ndp_parse_rs(msg, len, from_unspecified, &rs)) {
		pxe_stat_inc(link->pn, PXE_STAT_RS_DROP_MALFORMED);
		return;
	}
	pxe_stat_inc(link->pn, PXE_STAT_RS_RX);
	if (time_before(at, jiffies))
		at = jiffies;
	/* Lockless when the timer is already due sooner. */
	timer_reduce(&link->ra_timer, at + get_random_u32_below(RA_MAX_DELAY));
}
