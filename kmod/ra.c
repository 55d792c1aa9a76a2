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
 * 6.2.1 with a boot segment's shorter intervals), and in answer to a
 * Router Solicitation, at most one every 3 s (MIN_DELAY_BETWEEN_RAS).  A
 * link without an IPv6 pool sends none.  Everything here runs in softirq,
 * from the link's timer or its ingress hook.
 */
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "dhcp.h"
#include "ndp_msg.h"

#define RA_INITIAL_COUNT	3
#define RA_INITIAL_INTERVAL	(4 * HZ)
#define RA_MIN_INTERVAL		(20 * HZ)
#define RA_MAX_INTERVAL		(60 * HZ)
#define RA_MIN_DELAY		(3 * HZ)	/* between multicast RAs */
#define RA_PREFIX_VALID		86400		/* seconds */
#define RA_PREFIX_PREFERRED	14400
#define RA_HOP_LIMIT		64		/* what clients should use */
#define RA_MAX_LEN		(NDP_RA_LEN + 16 + 32 * NDP_RA_PREFIX_MAX)

static const struct in6_addr all_nodes = {
	.s6_addr = { 0xff, 0x02, [15] = 0x01 },
};

static const u8 all_nodes_mac[ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 0x01 };

/* The link's IPv6 pools as prefixes; false when it has none. */
static bool ra_prefixes(const struct pxe_link *link, struct ndp_ra *ra)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &link->pn->dhcp->pools, node) {
		struct ndp_prefix *p;

		if (!pool->v6 || pool->link != link ||
		    ra->n_prefix == NDP_RA_PREFIX_MAX)
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

/* One RA to ff02::1, under RCU; counted when it left. */
static void ra_send(struct pxe_link *link)
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
		.daddr6 = all_nodes,
	};
	u8 buf[RA_MAX_LEN];
	int len;

	if (!ra_prefixes(link, &ra))
		return;
	/* RFC 4861 6.1.2: an RA comes from a link-local address. */
	if (ipv6_dev_get_saddr(dev_net(dev), dev, &all_nodes, 0, &tx.saddr6) ||
	    !(ipv6_addr_type(&tx.saddr6) & IPV6_ADDR_LINKLOCAL)) {
		pxe_stat_inc(link->pn, PXE_STAT_RA_NO_ADDRESS);
		return;
	}
	len = ndp_build_ra(&ra, buf, sizeof(buf));
	if (WARN_ON_ONCE(len < 0))
		return;
	if (!pxe_tx_icmp6(&tx, buf, len))
		pxe_stat_inc(link->pn, PXE_STAT_RA_TX);
}

/*
 * Sends now unless a multicast RA left less than RA_MIN_DELAY ago; then the
 * timer sends the next one when RA_MIN_DELAY is up (RFC 4861 6.2.6), so a
 * solicitation in that window is still answered.
 */
static bool ra_send_limited(struct pxe_link *link)
{
	unsigned long last = READ_ONCE(link->ra_last);

	if (time_before(jiffies, last + RA_MIN_DELAY)) {
		timer_reduce(&link->ra_timer, last + RA_MIN_DELAY);
		return false;
	}
	/* Another CPU sent one just now. */
	if (cmpxchg(&link->ra_last, last, jiffies) != last)
		return false;
	ra_send(link);
	return true;
}

static void ra_timer(struct timer_list *t)
{
	struct pxe_link *link = from_timer(link, t, ra_timer);
	unsigned long next;
	bool sent;

	rcu_read_lock();
	sent = ra_send_limited(link);
	rcu_read_unlock();
	if (!sent) {
		/* Early for an answer that waits, or raced by one: again
		 * when RA_MIN_DELAY after the last one is up.
		 */
		mod_timer(&link->ra_timer,
			  READ_ONCE(link->ra_last) + RA_MIN_DELAY);
		return;
	}
	if (link->ra_initial) {
		link->ra_initial--;
		next = RA_INITIAL_INTERVAL;
	} else {
		next = RA_MIN_INTERVAL +
		       get_random_u32_below(RA_MAX_INTERVAL - RA_MIN_INTERVAL);
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
}

/* Process context, the link's hook gone (or never registered). */
void pxe_ra_stop(struct pxe_link *link)
{
	if (link->ra)
		timer_shutdown_sync(&link->ra_timer);
}

/*
 * A Router Solicitation of @len bytes at @msg, its IPv6 header checked by
 * the hook (hop limit 255, lengths, checksum): answered by the next RA,
 * sent at once unless one left in the last 3 s.  Softirq, under RCU.
 */
void pxe_ra_rcv_rs(struct pxe_link *link, const u8 *msg, unsigned int len,
		   bool from_unspecified)
{
	struct ndp_rs rs;

	if (ndp_parse_rs(msg, len, from_unspecified, &rs)) {
		pxe_stat_inc(link->pn, PXE_STAT_RS_DROP_MALFORMED);
		return;
	}
	pxe_stat_inc(link->pn, PXE_STAT_RS_RX);
	ra_send_limited(link);	/* or the timer answers it */
}
