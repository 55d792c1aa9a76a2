// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: leases and their expiry.
 *
 * A pool's leases sit in two hash tables (by address, by client identity)
 * and a list (for dumps and the expiry walk), under the pool's spinlock.
 */
#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "dhcp.h"

/* ---- hashing ---------------------------------------------------------- */

static u32 addr_hash(const struct pxe_pool *pool, __be32 addr)
{
	return hsiphash_1u32((__force u32)addr, &pool->hash_key) &
	       pool->hash_mask;
}

static u32 addr6_hash(const struct pxe_pool *pool, const struct in6_addr *addr)
{
	return hsiphash(addr, sizeof(*addr), &pool->hash_key) &
	       pool->hash_mask;
}

static u32 lease_addr_hash(const struct pxe_pool *pool,
			   const struct pxe_lease *l)
{
	return pool->v6 ? addr6_hash(pool, &l->addr6) :
			  addr_hash(pool, l->addr);
}

/* The lease's offset in the pool's range, when it is in the range. */
static bool lease_offset(const struct pxe_pool *pool,
			 const struct pxe_lease *l, u32 *off)
{
	if (pool->v6) {
		if (!pxe_in_range6(pool, &l->addr6))
			return false;
		*off = pxe_range_offset6(pool, &l->addr6);
		return true;
	}
	if (!pxe_in_range(pool, l->addr))
		return false;
	*off = pxe_range_offset(pool, l->addr);
	return true;
}

static u32 client_hash(const struct pxe_pool *pool, const u8 *id, u8 len)
{
	return hsiphash(id, len, &pool->hash_key) & pool->hash_mask;
}

/*
 * Under the pool's lock: a lease came, went or changed state, MAC or host
 * name; a running dump is stale.
 */
static void lease_changed(struct pxe_pool *pool)
{
	atomic_inc(&pool->dn->lease_gen);
}

/* ---- leases, under pool->lock ----------------------------------------- */

static bool lease_is(const struct pxe_lease *l, const struct pxe_client_id *cid)
{
	return l->id_len == cid->len && !memcmp(l->id, cid->data, cid->len);
}

static struct pxe_lease *lease_by_client(struct pxe_pool *pool,
					 const struct pxe_client_id *cid)
{
	struct pxe_lease *l;

	hlist_for_each_entry(l, &pool->by_client[client_hash(pool, cid->data,
							     cid->len)],
			     by_client)
		if (lease_is(l, cid))
			return l;
	return NULL;
}

static struct pxe_lease *lease_by_addr(struct pxe_pool *pool, __be32 addr)
{
	struct pxe_lease *l;

	hlist_for_each_entry(l, &pool->by_addr[addr_hash(pool, addr)], by_addr)
		if (l->addr == addr)
			return l;
	return NULL;
}

/*
 * From a packet: charged to @memcg, the pool's, whoever sent it.  From
 * `lease add` (@memcg NULL): to the caller's.
 */
static struct pxe_lease *lease_alloc(struct mem_cgroup *memcg,
				     const struct pxe_client_id *cid, gfp_t gfp)
{
	struct pxe_lease *l = pxe_kzalloc_charged(memcg,
						  struct_size(l, id, cid->len),
						  gfp);

	if (!l)
		return NULL;
	l->id_len = cid->len;
	memcpy(l->id, cid->data, cid->len);
	INIT_HLIST_NODE(&l->by_client);
	return l;
}

/* @l's address (addr or addr6) is set: into the tables. */
static void lease_link(struct pxe_pool *pool, struct pxe_lease *l,
		       const u8 *mac)
{
	u32 off;

	ether_addr_copy(l->mac, mac);
	hlist_add_head(&l->by_addr, &pool->by_addr[lease_addr_hash(pool, l)]);
	hlist_add_head(&l->by_client,
		       &pool->by_client[client_hash(pool, l->id, l->id_len)]);
	list_add_tail(&l->node, &pool->leases);
	if (lease_offset(pool, l, &off))
		__set_bit(off, pool->taken);
	pool->used++;
	lease_changed(pool);
}

static void lease_insert(struct pxe_pool *pool, struct pxe_lease *l,
			 __be32 addr, const u8 *mac)
{
	l->addr = addr;
	lease_link(pool, l, mac);
}

static void lease_unlink(struct pxe_pool *pool, struct pxe_lease *l)
{
	u32 off;

	hlist_del(&l->by_addr);
	hlist_del_init(&l->by_client);
	list_del(&l->node);
	if (lease_offset(pool, l, &off))
		__clear_bit(off, pool->taken);
	pool->used--;
	lease_changed(pool);
}

void pxe_lease_free_all(struct pxe_pool *pool)
{
	struct pxe_lease *l, *tmp;

	list_for_each_entry_safe(l, tmp, &pool->leases, node) {
		lease_unlink(pool, l);
		kfree(l);
	}
}

static u32 seconds_left(unsigned long expires)
{
	long left = (long)(expires - jiffies);

	return left > 0 ? DIV_ROUND_UP(left, HZ) : 0;
}

static void fill_info(struct pxe_pool *pool, const struct pxe_lease *l,
		      const struct pxe_host *host, struct pxe_lease_info *info)
{
	info->addr = l->addr;
	info->expires = pool->lease_time;
	info->hostname = host && host->addr == l->addr ? host->name : NULL;
}

bool pxe_lease_client_has(struct pxe_pool *pool,
			  const struct pxe_client_id *cid)
{
	bool has;

	spin_lock(&pool->lock);
	has = lease_by_client(pool, cid);
	spin_unlock(&pool->lock);
	return has;
}

/*
 * DISCOVER: the client's reservation, else its current lease, else the
 * address it asks for (@wanted), else any free one; held for 60 s.
 * Softirq, under RCU.  Returns 0, -ENOSPC or -ENOMEM.
 */
int pxe_lease_offer(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
		    const struct pxe_client_id *cid, const u8 *mac,
		    __be32 wanted, __be32 server, struct pxe_lease_info *info)
{
	const struct pxe_host *host = pxe_host4_by_mac(dn, mac);
	struct pxe_lease *l;
	__be32 addr;
	int err = 0;

	spin_lock(&pool->lock);
	l = lease_by_client(pool, cid);
	/* A reservation made since wins over the address the client had. */
	if (l && host && pxe_in_subnet(pool, host->addr) &&
	    l->addr != host->addr && !lease_by_addr(pool, host->addr)) {
		lease_unlink(pool, l);
		kfree(l);
		l = NULL;
	}
	if (l) {
		if (l->state == PXE_LEASE_OFFERED)
			l->expires = jiffies + PXE_OFFER_HOLD;
		goto out;
	}
	if (host && pxe_in_subnet(pool, host->addr) &&
	    !lease_by_addr(pool, host->addr)) {
		addr = host->addr;
	} else if (wanted && pxe_pool_addr_free_for(dn, pool, wanted, mac, server)) {
		addr = wanted;
	} else if (!pxe_pool_pick(dn, pool, mac, server, &addr)) {
		err = -ENOSPC;
		goto unlock;
	}
	l = lease_alloc(pool->memcg, cid, PXE_GFP_PACKET);
	if (!l) {
		err = -ENOMEM;
		goto unlock;
	}
	lease_insert(pool, l, addr, mac);
	l->state = PXE_LEASE_OFFERED;
	l->expires = jiffies + PXE_OFFER_HOLD;
out:
	fill_info(pool, l, host, info);
unlock:
	spin_unlock(&pool->lock);
	return err;
}

/*
 * REQUEST for @addr.  With @must_know (INIT-REBOOT, RENEWING, REBINDING)
 * a client without a lease gets PXE_BIND_SILENT unless @addr is its
 * reservation; in SELECTING a lapsed offer is taken again if still free.
 */
enum pxe_bind pxe_lease_bind(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			     const struct pxe_client_id *cid, const u8 *mac,
			     __be32 addr, __be32 server, bool must_know,
			     const struct dhcp_bytes *hostname,
			     struct pxe_lease_info *info)
{
	const struct pxe_host *host = pxe_host4_by_mac(dn, mac);
	bool reserved = host && host->addr == addr;
	enum pxe_bind ret = PXE_BIND_ACK;
	struct pxe_lease *l;

	spin_lock(&pool->lock);
	l = lease_by_client(pool, cid);
	if (l && l->addr != addr) {
		ret = PXE_BIND_NAK;
		goto unlock;
	}
	if (!l) {
		if (must_know && !reserved) {
			ret = PXE_BIND_SILENT;
			goto unlock;
		}
		if (lease_by_addr(pool, addr) ||
		    (!reserved &&
		     !pxe_pool_addr_free_for(dn, pool, addr, mac, server))) {
			ret = PXE_BIND_NAK;
			goto unlock;
		}
		l = lease_alloc(pool->memcg, cid, PXE_GFP_PACKET);
		if (!l) {
			ret = PXE_BIND_NOMEM;
			goto unlock;
		}
		lease_insert(pool, l, addr, mac);
	}
	/* A renewal moves only the expiry, which dumps show counting down. */
	if (l->state != PXE_LEASE_BOUND || !ether_addr_equal(l->mac, mac) ||
	    hostname->len)
		lease_changed(pool);
	ether_addr_copy(l->mac, mac);
	l->state = PXE_LEASE_BOUND;
	l->expires = jiffies + (unsigned long)pool->lease_time * HZ;
	if (hostname->len) {
		unsigned int n = min_t(unsigned int, hostname->len,
				       sizeof(l->hostname) - 1);

		memcpy(l->hostname, hostname->data, n);
		l->hostname[n] = '\0';
	}
	fill_info(pool, l, host, info);
unlock:
	spin_unlock(&pool->lock);
	return ret;
}

/*
 * Under the pool's lock: @l ends, quarantined on a DECLINE, else unlinked
 * and returned for the caller to free after unlocking.
 */
static struct pxe_lease *lease_end(struct pxe_pool *pool, struct pxe_lease *l,
				   bool decline)
{
	if (!decline) {
		lease_unlink(pool, l);
		return l;
	}
	/* Nobody's: the client must get another address. */
	hlist_del_init(&l->by_client);
	l->state = PXE_LEASE_DECLINED;
	l->expires = jiffies + PXE_DECLINE_HOLD;
	l->hostname[0] = '\0';
	lease_changed(pool);
	return NULL;
}

/*
 * Ends the client's lease on @addr (any address when 0), if its state is
 * @only_state (any when U8_MAX): freed, or quarantined on a DECLINE.
 */
bool pxe_lease_drop(struct pxe_pool *pool, const struct pxe_client_id *cid,
		    __be32 addr, u8 only_state, bool decline)
{
	struct pxe_lease *l;

	spin_lock(&pool->lock);
	l = lease_by_client(pool, cid);
	if (!l || (addr && l->addr != addr) ||
	    (only_state != U8_MAX && l->state != only_state)) {
		spin_unlock(&pool->lock);
		return false;
	}
	l = lease_end(pool, l, decline);
	spin_unlock(&pool->lock);
	kfree(l);
	return true;
}

/* ---- DHCPv6 leases ---------------------------------------------------- */

static struct pxe_lease *lease_by_addr6(struct pxe_pool *pool,
					const struct in6_addr *addr)
{
	struct pxe_lease *l;

	hlist_for_each_entry(l, &pool->by_addr[addr6_hash(pool, addr)], by_addr)
		if (ipv6_addr_equal(&l->addr6, addr))
			return l;
	return NULL;
}

/* Under the pool's lock: @host's address, when in the pool and nobody's. */
static bool reserved6_free(struct pxe_pool *pool, const struct pxe_host *host)
{
	return host && pxe_in_prefix6(pool, &host->addr6) &&
	       !lease_by_addr6(pool, &host->addr6);
}

/*
 * Under the pool's lock: a new lease at the client's reservation, else at
 * @wanted when free, else anywhere.
 */
static struct pxe_lease *lease6_new(struct pxe_pool *pool,
				    const struct pxe_client_id *cid,
				    const u8 *mac, const struct pxe_host *host,
				    const struct in6_addr *wanted, int *err)
{
	struct pxe_lease *l;
	struct in6_addr addr;

	if (reserved6_free(pool, host)) {
		addr = host->addr6;
	} else if (wanted && pxe_pool_addr6_free_for(pool, wanted, host)) {
		addr = *wanted;
	} else if (!pxe_pool_pick6(pool, host, &addr)) {
		*err = -ENOSPC;
		return NULL;
	}
	l = lease_alloc(pool->memcg, cid, PXE_GFP_PACKET);
	if (!l) {
		*err = -ENOMEM;
		return NULL;
	}
	l->addr6 = addr;
	lease_link(pool, l, mac);
	return l;
}

/*
 * Under the pool's lock: the client's lease, or NULL when it has none or
 * a reservation made since wins over the address it had (the old lease
 * is freed, *@moved is set: the caller makes a new one at the reservation).
 */
static struct pxe_lease *lease6_of(struct pxe_pool *pool,
				   const struct pxe_client_id *cid,
				   const struct pxe_host *host, bool *moved)
{
	struct pxe_lease *l = lease_by_client(pool, cid);

	*moved = false;
	if (l && reserved6_free(pool, host) &&
	    !ipv6_addr_equal(&l->addr6, &host->addr6)) {
		lease_unlink(pool, l);
		kfree(l);
		*moved = true;
		return NULL;
	}
	return l;
}

int pxe_lease6_offer(struct pxe_pool *pool, const struct pxe_client_id *cid,
		     const u8 *mac, const struct pxe_host *host,
		     const struct in6_addr *wanted, struct in6_addr *addr)
{
	struct pxe_lease *l;
	bool moved;
	int err = 0;

	spin_lock(&pool->lock);
	l = lease6_of(pool, cid, host, &moved);
	if (!l) {
		l = lease6_new(pool, cid, mac, host, wanted, &err);
		if (!l)
			goto unlock;
		l->state = PXE_LEASE_OFFERED;
	}
	if (l->state == PXE_LEASE_OFFERED)
		l->expires = jiffies + PXE_OFFER_HOLD;
	*addr = l->addr6;
unlock:
	spin_unlock(&pool->lock);
	return err;
}

/*
 * A lease moved to the client's reservation is made anew even without
 * @may_create: the client had a binding, a Renew gets the new address.
 */
int pxe_lease6_bind(struct pxe_pool *pool, const struct pxe_client_id *cid,
		    const u8 *mac, const struct pxe_host *host,
		    const struct in6_addr *wanted, bool may_create,
		    struct in6_addr *addr)
{
	struct pxe_lease *l;
	bool moved;
	int err = 0;

	spin_lock(&pool->lock);
	l = lease6_of(pool, cid, host, &moved);
	if (!l) {
		err = -ENOENT;
		if (may_create || moved)
			l = lease6_new(pool, cid, mac, host, wanted, &err);
		if (!l)
			goto unlock;
		err = 0;
	}
	/* A renewal moves only the expiry, which dumps show counting down. */
	if (l->state != PXE_LEASE_BOUND || !ether_addr_equal(l->mac, mac))
		lease_changed(pool);
	ether_addr_copy(l->mac, mac);
	l->state = PXE_LEASE_BOUND;
	l->expires = jiffies + (unsigned long)pool->lease_time * HZ;
	*addr = l->addr6;
unlock:
	spin_unlock(&pool->lock);
	return err;
}

bool pxe_lease6_drop(struct pxe_pool *pool, const struct pxe_client_id *cid,
		     const struct in6_addr *addr, bool decline)
{
	struct pxe_lease *l;

	spin_lock(&pool->lock);
	l = lease_by_client(pool, cid);
	if (!l || (addr && !ipv6_addr_equal(&l->addr6, addr))) {
		spin_unlock(&pool->lock);
		return false;
	}
	l = lease_end(pool, l, decline);
	spin_unlock(&pool->lock);
	kfree(l);
	return true;
}

/* A lease event with the attributes every one has; NULL when not sent. */
static struct sk_buff *event_new(struct pxe_net *pn, u8 event, const u8 *mac,
				 u32 expires, const char *pool, void **hdr)
{
	struct sk_buff *skb = pxe_ntf_new(pn, PXE_CMD_LEASE_NTF, hdr);

	if (skb && (nla_put_u8(skb, PXE_A_LEASE_EVENT, event) ||
		    nla_put(skb, PXE_A_LEASE_MAC, ETH_ALEN, mac) ||
		    nla_put_u32(skb, PXE_A_LEASE_EXPIRES, expires) ||
		    (pool && nla_put_string(skb, PXE_A_LEASE_POOL, pool)))) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Sends the event, or drops it when an attribute did not fit (@full). */
static void event_send(struct pxe_net *pn, struct sk_buff *skb, void *hdr,
		       bool full)
{
	if (full)
		nlmsg_free(skb);
	else
		pxe_ntf_send(pn, skb, hdr);
}

/* A DHCPv6 lease's identity: @id is the IAID, then the DUID. */
static int put_ia(struct sk_buff *skb, const u8 *id, u8 id_len)
{
	if (id_len <= PXE_IAID_LEN)
		return 0;
	return nla_put_u32(skb, PXE_A_LEASE_IAID, get_unaligned_be32(id)) ||
	       nla_put(skb, PXE_A_LEASE_DUID, id_len - PXE_IAID_LEN,
		       id + PXE_IAID_LEN);
}

void pxe_lease6_notify(struct pxe_net *pn, u8 event, const u8 *mac,
		       const struct in6_addr *addr, const char *pool,
		       u32 expires, const u8 *id, u8 id_len)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(pn, event, mac, expires, pool, &hdr);
	if (skb)
		event_send(pn, skb, hdr,
			   (addr && nla_put_in6_addr(skb, PXE_A_LEASE_ADDR6,
						     addr)) ||
			   put_ia(skb, id, id_len));
}

void pxe_lease_notify(struct pxe_net *pn, u8 event, const u8 *mac,
		      __be32 addr, const char *pool, u32 expires,
		      const char *hostname, const char *file)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(pn, event, mac, expires, pool, &hdr);
	if (skb)
		event_send(pn, skb, hdr,
			   nla_put_in_addr(skb, PXE_A_LEASE_ADDR, addr) ||
			   (hostname && *hostname &&
			    nla_put_string(skb, PXE_A_LEASE_HOSTNAME,
					   hostname)) ||
			   (file && nla_put_string(skb, PXE_A_LEASE_BOOT_FILE,
						   file)));
}

/* ---- expiry ----------------------------------------------------------- */

static void pool_expire(struct pxe_net *pn, struct pxe_pool *pool)
{
	struct pxe_lease *l, *tmp;
	LIST_HEAD(gone);

	spin_lock_bh(&pool->lock);
	list_for_each_entry_safe(l, tmp, &pool->leases, node) {
		if (time_before(jiffies, l->expires))
			continue;
		lease_unlink(pool, l);
		list_add_tail(&l->node, &gone);
	}
	spin_unlock_bh(&pool->lock);

	list_for_each_entry_safe(l, tmp, &gone, node) {
		if (pool->v6)
			pxe_lease6_notify(pn, PXE_LEASE_EV_EXPIRE, l->mac,
					  &l->addr6, pool->name, 0, l->id,
					  l->id_len);
		else
			pxe_lease_notify(pn, PXE_LEASE_EV_EXPIRE, l->mac,
					 l->addr, pool->name, 0, l->hostname,
					 NULL);
		kfree(l);
	}
}

static void expiry_work(struct work_struct *work)
{
	struct pxe_dhcp_net *dn = container_of(to_delayed_work(work),
					       struct pxe_dhcp_net, expiry);
	struct pxe_pool *pool;

	mutex_lock(&dn->pn->lock);
	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy)
			pool_expire(dn->pn, pool);
	/* Stops with the last pool; pxe_lease_pools_changed() restarts it. */
	if (!list_empty(&dn->pools))
		queue_delayed_work(system_power_efficient_wq, &dn->expiry,
				   PXE_EXPIRY_PERIOD);
	mutex_unlock(&dn->pn->lock);
}

/* Under pxe_net.lock, after a pool came or went: expiry runs while one is. */
void pxe_lease_pools_changed(struct pxe_dhcp_net *dn)
{
	lockdep_assert_held(&dn->pn->lock);
	if (list_empty(&dn->pools))
		cancel_delayed_work(&dn->expiry);
	else
		queue_delayed_work(system_power_efficient_wq, &dn->expiry,
				   PXE_EXPIRY_PERIOD);
}

/* ---- leases from userspace -------------------------------------------- */

static struct pxe_pool *pool_by_range(struct pxe_dhcp_net *dn, __be32 addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy && !pool->v6 && pxe_in_range(pool, addr))
			return pool;
	return NULL;
}

static struct pxe_pool *pool_by_range6(struct pxe_dhcp_net *dn,
				       const struct in6_addr *addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy && pool->v6 && pxe_in_range6(pool, addr))
			return pool;
	return NULL;
}

static void lease_id_from_attrs(struct genl_info *info, const u8 *mac,
				struct pxe_client_id *cid)
{
	struct nlattr *attr = info->attrs[PXE_A_LEASE_CLIENT_ID];

	if (attr && nla_len(attr)) {
		cid->data = nla_data(attr);
		cid->len = nla_len(attr);
		return;
	}
	pxe_client_id_from_mac(cid, mac);
}

/* Under pxe_net.lock: @addr is another MAC's IPv6 reservation. */
static bool reserved6_for_other(struct pxe_dhcp_net *dn,
				const struct in6_addr *addr, const u8 *mac)
{
	const struct pxe_host *host = pxe_host_by_addr6(dn, addr);

	return host && !ether_addr_equal(host->mac, mac);
}

/* A DHCPv6 lease's identity, as the packet path builds it: IAID, DUID. */
static void lease_ia_from_attrs(struct genl_info *info,
				struct pxe_client_id *cid)
{
	struct nlattr *duid = info->attrs[PXE_A_LEASE_DUID];

	/* lease6_check_attrs() held the DUID to DHCP6_DUID_M{IN,AX}_LEN. */
	put_unaligned_be32(nla_get_u32(info->attrs[PXE_A_LEASE_IAID]),
			   cid->buf);
	memcpy(cid->buf + PXE_IAID_LEN, nla_data(duid), nla_len(duid));
	cid->data = cid->buf;
	cid->len = PXE_IAID_LEN + nla_len(duid);
}

/* @l's address (addr or addr6, by the pool) is set. */
static int lease_restore(struct pxe_pool *pool, struct pxe_lease *l,
			 const u8 *mac, u32 expires, struct genl_info *info,
			 struct nlattr *addr_attr)
{
	struct pxe_client_id cid = { .data = l->id, .len = l->id_len };
	struct pxe_lease *old, *mine;

	spin_lock_bh(&pool->lock);
	old = pool->v6 ? lease_by_addr6(pool, &l->addr6) :
			 lease_by_addr(pool, l->addr);
	if (old && !lease_is(old, &cid)) {
		spin_unlock_bh(&pool->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, addr_attr,
				    "address is leased to another client");
		return -EEXIST;
	}
	/*
	 * The client's lease may sit at another address than its old entry
	 * at @addr (a declined address, then a new offer): both go, or the
	 * client would hold two leases of one pool.
	 */
	mine = lease_by_client(pool, &cid);
	if (mine == old)
		mine = NULL;
	if (old)
		lease_unlink(pool, old);
	if (mine)
		lease_unlink(pool, mine);
	lease_link(pool, l, mac);
	l->state = PXE_LEASE_BOUND;
	l->expires = jiffies + (unsigned long)expires * HZ;
	spin_unlock_bh(&pool->lock);
	kfree(old);
	kfree(mine);
	return 0;
}

/*
 * A DHCPv6 lease's request: an address a client can hold, and its IA.
 * The IPv4 attributes name an IPv4 client: with lease-addr6 they are a
 * mistake, not something to drop in silence.
 */
static int lease6_check_attrs(struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct nlattr *v4;

	v4 = a[PXE_A_LEASE_ADDR] ?: a[PXE_A_LEASE_CLIENT_ID] ?:
	     a[PXE_A_LEASE_HOSTNAME];
	if (v4) {
		NL_SET_ERR_MSG_ATTR(info->extack, v4,
				    "an IPv6 lease takes no IPv4 address, client id or host name");
		return -EINVAL;
	}
	if (!pxe_addr6_client_usable(nla_data(a[PXE_A_LEASE_ADDR6]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LEASE_ADDR6],
				    "lease address must be a global or unique local unicast IPv6 address");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_DUID) ||
	    GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_IAID))
		return -EINVAL;
	/*
	 * The policy (generated from the spec) bounds the DUID too; this is
	 * what the copy into pxe_client_id.buf relies on, and the packet
	 * path's bounds: a shorter DUID is one no client can ever send.
	 */
	if (nla_len(a[PXE_A_LEASE_DUID]) < DHCP6_DUID_MIN_LEN ||
	    nla_len(a[PXE_A_LEASE_DUID]) > DHCP6_DUID_MAX_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LEASE_DUID],
				    "duid must be 3 to 130 bytes");
		return -EINVAL;
	}
	return 0;
}

/*
 * A new lease for the request, its address set; NULL with *@err and the
 * extack set.  The caller's memory cgroup pays, as for every
 * configuration write.
 */
static struct pxe_lease *lease_from_attrs(struct genl_info *info,
					  const u8 *mac, int *err)
{
	struct nlattr **a = info->attrs;
	struct pxe_client_id cid;
	struct pxe_lease *l;

	if (a[PXE_A_LEASE_ADDR6]) {
		*err = lease6_check_attrs(info);
		if (*err)
			return NULL;
		lease_ia_from_attrs(info, &cid);
	} else {
		struct nlattr *v6 = a[PXE_A_LEASE_DUID] ?: a[PXE_A_LEASE_IAID];

		if (GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_ADDR)) {
			*err = -EINVAL;
			return NULL;
		}
		if (v6) {
			NL_SET_ERR_MSG_ATTR(info->extack, v6,
					    "an IPv4 lease takes no duid or iaid");
			*err = -EINVAL;
			return NULL;
		}
		lease_id_from_attrs(info, mac, &cid);
	}
	l = lease_alloc(NULL, &cid, GFP_KERNEL_ACCOUNT);
	if (!l) {
		*err = -ENOMEM;
		return NULL;
	}
	if (a[PXE_A_LEASE_ADDR6])
		l->addr6 = nla_get_in6_addr(a[PXE_A_LEASE_ADDR6]);
	else
		l->addr = nla_get_in_addr(a[PXE_A_LEASE_ADDR]);
	if (a[PXE_A_LEASE_HOSTNAME])
		nla_strscpy(l->hostname, a[PXE_A_LEASE_HOSTNAME],
			    sizeof(l->hostname));
	return l;
}

int pxe_nl_lease_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct nlattr *addr_attr;
	struct pxe_pool *pool;
	struct pxe_lease *l;
	u32 expires;
	u8 mac[ETH_ALEN];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_MAC))
		return -EINVAL;
	memcpy(mac, nla_data(a[PXE_A_LEASE_MAC]), ETH_ALEN);
	l = lease_from_attrs(info, mac, &err);
	if (!l)
		return err;
	addr_attr = a[PXE_A_LEASE_ADDR6] ?: a[PXE_A_LEASE_ADDR];

	mutex_lock(&pn->lock);
	pool = a[PXE_A_LEASE_ADDR6] ? pool_by_range6(pn->dhcp, &l->addr6) :
				      pool_by_range(pn->dhcp, l->addr);
	if (!pool) {
		if (a[PXE_A_LEASE_ADDR6])
			NL_SET_ERR_MSG_ATTR(info->extack, addr_attr,
					    "lease address is outside every IPv6 pool");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, addr_attr,
					    "lease address is outside every pool");
		err = -EINVAL;
	} else if (pool->v6 && reserved6_for_other(pn->dhcp, &l->addr6, mac)) {
		/* What the allocator never gives (pxe_pool_addr6_free_for()). */
		NL_SET_ERR_MSG_ATTR(info->extack, addr_attr,
				    "address is reserved for another MAC");
		err = -EEXIST;
	} else {
		expires = a[PXE_A_LEASE_EXPIRES] ?
			nla_get_u32(a[PXE_A_LEASE_EXPIRES]) : pool->lease_time;
		err = lease_restore(pool, l, mac, expires, info, addr_attr);
	}
	mutex_unlock(&pn->lock);
	if (err)
		kfree(l);
	return err;
}

/* Drops every lease in @pool of @mac (every lease when NULL). */
static int pool_drop_mac(struct pxe_pool *pool, const u8 *mac)
{
	struct pxe_lease *l, *tmp;
	LIST_HEAD(gone);
	int n = 0;

	spin_lock_bh(&pool->lock);
	list_for_each_entry_safe(l, tmp, &pool->leases, node) {
		if (mac && !ether_addr_equal(l->mac, mac))
			continue;
		lease_unlink(pool, l);
		list_add(&l->node, &gone);
		n++;
	}
	spin_unlock_bh(&pool->lock);
	list_for_each_entry_safe(l, tmp, &gone, node)
		kfree(l);
	return n;
}

int pxe_nl_lease_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_pool *pool;
	int n = 0;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_MAC))
		return -EINVAL;
	mutex_lock(&pn->lock);
	list_for_each_entry(pool, &pn->dhcp->pools, node)
		if (!pool->proxy)
			n += pool_drop_mac(pool,
					   nla_data(info->attrs[PXE_A_LEASE_MAC]));
	mutex_unlock(&pn->lock);
	if (!n) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_LEASE_MAC],
				    "no lease for this MAC");
		return -ENOENT;
	}
	return 0;
}

int pxe_nl_lease_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_pool *pool;

	mutex_lock(&pn->lock);
	list_for_each_entry(pool, &pn->dhcp->pools, node)
		if (!pool->proxy)
			pool_drop_mac(pool, NULL);
	mutex_unlock(&pn->lock);
	return 0;
}

static int fill_lease(struct sk_buff *skb, const struct pxe_pool *pool,
		      const struct pxe_lease *l, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pxe_family, NLM_F_MULTI, PXE_CMD_LEASE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put(skb, PXE_A_LEASE_MAC, ETH_ALEN, l->mac) ||
	    nla_put_u32(skb, PXE_A_LEASE_EXPIRES, seconds_left(l->expires)) ||
	    nla_put_u8(skb, PXE_A_LEASE_STATE, l->state) ||
	    nla_put_string(skb, PXE_A_LEASE_POOL, pool->name) ||
	    (pool->v6 ?
	     nla_put_in6_addr(skb, PXE_A_LEASE_ADDR6, &l->addr6) ||
	     put_ia(skb, l->id, l->id_len) :
	     nla_put_in_addr(skb, PXE_A_LEASE_ADDR, l->addr) ||
	     nla_put(skb, PXE_A_LEASE_CLIENT_ID, l->id_len, l->id)) ||
	    (l->hostname[0] &&
	     nla_put_string(skb, PXE_A_LEASE_HOSTNAME, l->hostname))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Fills from lease number *@skip of @pool on; returns an error when full. */
static int dump_pool_leases(struct sk_buff *skb, struct pxe_pool *pool,
			    long *skip, struct netlink_callback *cb)
{
	const struct pxe_lease *l;
	long i = 0;
	int err = 0;

	spin_lock_bh(&pool->lock);
	list_for_each_entry(l, &pool->leases, node) {
		if (i++ < *skip)
			continue;
		err = fill_lease(skb, pool, l, cb);
		if (err)
			break;
		(*skip)++;
	}
	spin_unlock_bh(&pool->lock);
	return err;
}

/*
 * Dump cursor: cb->args[0] pools finished, cb->args[1] leases of the next.
 * Every part, the final NLMSG_DONE included, records the generation when
 * it starts: when none moved, no lease changed from the first part to the
 * last and the dump is the table of one moment.  Leases change in softirq,
 * outside pxe_net.lock, hence lease_gen.
 */
int pxe_nl_lease_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	struct pxe_pool *pool;
	long i = 0;
	int err = 0;

	mutex_lock(&pn->lock);
	/* 0 would disable the check. */
	cb->seq = (pn->gen + atomic_read(&pn->dhcp->lease_gen)) ?: 1;
	list_for_each_entry(pool, &pn->dhcp->pools, node) {
		if (i++ < cb->args[0] || pool->proxy)
			continue;
		err = dump_pool_leases(skb, pool, &cb->args[1], cb);
		if (err)
			break;
		cb->args[0] = i;
		cb->args[1] = 0;
	}
	mutex_unlock(&pn->lock);
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

/* ---- namespace -------------------------------------------------------- */

int pxe_lease_net_init(struct pxe_dhcp_net *dn)
{
	INIT_LIST_HEAD(&dn->pools);
	INIT_DELAYED_WORK(&dn->expiry, expiry_work);
	pxe_host_net_init(dn);
	return 0;
}

/* Links are gone by now: only hosts and pools without links remain. */
void pxe_lease_net_exit(struct pxe_dhcp_net *dn)
{
	cancel_delayed_work_sync(&dn->expiry);
}

/* After a grace period that began after pxe_lease_net_exit(). */
void pxe_lease_net_free(struct pxe_dhcp_net *dn)
{
	pxe_pool_net_exit(dn);
	pxe_host_net_exit(dn);
}
