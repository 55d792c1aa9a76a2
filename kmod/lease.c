// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: pools, reservations and leases.
 *
 * A pool is a range of addresses on a link.  Its leases sit in two hash
 * tables (by address, by client identity) and a list (for dumps and the
 * expiry walk); a bitmap over the range marks the offsets that have a lease,
 * and the allocator looks for a clear bit from a rotating cursor.  No packet
 * scans the pool: a /16 with 60,000 leases answers as fast as an empty one.
 *
 * Reservations (hosts) are per namespace, hashed by MAC and by address,
 * written under pxe_net.lock and read under RCU.
 */
#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "dhcp.h"

/* ---- hashing ---------------------------------------------------------- */

static u32 addr_hash(const struct pxe_pool *pool, __be32 addr)
{
	return jhash_1word((__force u32)addr, 0) & pool->hash_mask;
}

static u32 client_hash(const struct pxe_pool *pool, const u8 *id, u8 len)
{
	return jhash(id, len, 0) & pool->hash_mask;
}

static u32 host_mac_hash(const u8 *mac)
{
	return hash_32(jhash(mac, ETH_ALEN, 0), PXE_HOST_HASH_BITS);
}

static u32 host_addr_hash(__be32 addr)
{
	return hash_32((__force u32)addr, PXE_HOST_HASH_BITS);
}

/* ---- reservations ----------------------------------------------------- */

const struct pxe_host *pxe_host_by_mac(struct pxe_dhcp_net *dn, const u8 *mac)
{
	struct pxe_host *host;

	hlist_for_each_entry_rcu(host, &dn->hosts_by_mac[host_mac_hash(mac)],
				 by_mac, lockdep_is_held(&dn->pn->lock))
		if (ether_addr_equal(host->mac, mac))
			return host;
	return NULL;
}

static const struct pxe_host *host_by_addr(struct pxe_dhcp_net *dn,
					   __be32 addr)
{
	struct pxe_host *host;

	hlist_for_each_entry_rcu(host, &dn->hosts_by_addr[host_addr_hash(addr)],
				 by_addr, lockdep_is_held(&dn->pn->lock))
		if (host->addr == addr)
			return host;
	return NULL;
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

static u32 range_offset(const struct pxe_pool *pool, __be32 addr)
{
	return ntohl(addr) - ntohl(pool->start);
}

static struct pxe_lease *lease_alloc(const struct pxe_client_id *cid,
				     gfp_t gfp)
{
	struct pxe_lease *l = kzalloc(struct_size(l, id, cid->len), gfp);

	if (!l)
		return NULL;
	l->id_len = cid->len;
	memcpy(l->id, cid->data, cid->len);
	INIT_HLIST_NODE(&l->by_client);
	return l;
}

static void lease_insert(struct pxe_pool *pool, struct pxe_lease *l,
			 __be32 addr, const u8 *mac)
{
	l->addr = addr;
	ether_addr_copy(l->mac, mac);
	hlist_add_head(&l->by_addr, &pool->by_addr[addr_hash(pool, addr)]);
	hlist_add_head(&l->by_client,
		       &pool->by_client[client_hash(pool, l->id, l->id_len)]);
	list_add_tail(&l->node, &pool->leases);
	if (pxe_in_range(pool, addr))
		__set_bit(range_offset(pool, addr), pool->taken);
	pool->used++;
}

static void lease_unlink(struct pxe_pool *pool, struct pxe_lease *l)
{
	hlist_del(&l->by_addr);
	hlist_del_init(&l->by_client);
	list_del(&l->node);
	if (pxe_in_range(pool, l->addr))
		__clear_bit(range_offset(pool, l->addr), pool->taken);
	pool->used--;
}

static void pool_free_leases(struct pxe_pool *pool)
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

/* An address the allocator may give to @mac. */
static bool addr_free_for(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			  __be32 addr, const u8 *mac, __be32 server)
{
	const struct pxe_host *host;
	u32 host_part = ntohl(addr & ~pool->netmask);

	if (!pxe_in_range(pool, addr) || addr == server ||
	    test_bit(range_offset(pool, addr), pool->taken))
		return false;
	/* Network and broadcast addresses of the subnet. */
	if (pool->netmask != htonl(0xfffffffe) &&
	    (!host_part || host_part == ntohl(~pool->netmask)))
		return false;
	host = host_by_addr(dn, addr);
	return !host || ether_addr_equal(host->mac, mac);
}

/* A clear bit from the rotating cursor on, wrapping once. */
static bool pool_pick(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
		      const u8 *mac, __be32 server, __be32 *addr)
{
	u32 cursor = pool->cursor, off = cursor;
	bool wrapped = false;

	for (;;) {
		off = find_next_zero_bit(pool->taken, pool->size, off);
		if (wrapped && off >= cursor)
			return false;
		if (off >= pool->size) {
			if (wrapped)
				return false;
			wrapped = true;
			off = 0;
			continue;
		}
		*addr = htonl(ntohl(pool->start) + off);
		if (addr_free_for(dn, pool, *addr, mac, server)) {
			pool->cursor = off + 1 < pool->size ? off + 1 : 0;
			return true;
		}
		off++;
	}
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
	const struct pxe_host *host = pxe_host_by_mac(dn, mac);
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
	} else if (wanted && addr_free_for(dn, pool, wanted, mac, server)) {
		addr = wanted;
	} else if (!pool_pick(dn, pool, mac, server, &addr)) {
		err = -ENOSPC;
		goto unlock;
	}
	l = lease_alloc(cid, GFP_ATOMIC);
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
	const struct pxe_host *host = pxe_host_by_mac(dn, mac);
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
		    (!reserved && !addr_free_for(dn, pool, addr, mac, server))) {
			ret = PXE_BIND_NAK;
			goto unlock;
		}
		l = lease_alloc(cid, GFP_ATOMIC);
		if (!l) {
			ret = PXE_BIND_SILENT;
			goto unlock;
		}
		lease_insert(pool, l, addr, mac);
	}
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
	if (decline) {
		/* Nobody's: the client must get another address. */
		hlist_del_init(&l->by_client);
		l->state = PXE_LEASE_DECLINED;
		l->expires = jiffies + PXE_DECLINE_HOLD;
		l->hostname[0] = '\0';
		l = NULL;
	} else {
		lease_unlink(pool, l);
	}
	spin_unlock(&pool->lock);
	kfree(l);
	return true;
}

void pxe_lease_notify(struct pxe_net *pn, u8 event, const u8 *mac,
		      __be32 addr, const char *pool, u32 expires,
		      const char *hostname, const char *file)
{
	struct sk_buff *skb;
	void *hdr;

	skb = pxe_ntf_new(pn, PXE_CMD_LEASE_NTF, &hdr);
	if (!skb)
		return;
	if (nla_put_u8(skb, PXE_A_LEASE_EVENT, event) ||
	    nla_put(skb, PXE_A_LEASE_MAC, ETH_ALEN, mac) ||
	    nla_put_in_addr(skb, PXE_A_LEASE_ADDR, addr) ||
	    nla_put_u32(skb, PXE_A_LEASE_EXPIRES, expires) ||
	    (pool && nla_put_string(skb, PXE_A_LEASE_POOL, pool)) ||
	    (hostname && *hostname &&
	     nla_put_string(skb, PXE_A_LEASE_HOSTNAME, hostname)) ||
	    (file && nla_put_string(skb, PXE_A_LEASE_BOOT_FILE, file))) {
		nlmsg_free(skb);
		return;
	}
	pxe_ntf_send(pn, skb, hdr);
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
		pxe_lease_notify(pn, PXE_LEASE_EV_EXPIRE, l->mac, l->addr,
				 pool->name, 0, l->hostname, NULL);
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
	mutex_unlock(&dn->pn->lock);
	queue_delayed_work(system_power_efficient_wq, &dn->expiry,
			   PXE_EXPIRY_PERIOD);
}

/* ---- pools ------------------------------------------------------------ */

static void pool_free(struct pxe_pool *pool)
{
	if (!pool->proxy)
		pool_free_leases(pool);
	kvfree(pool->by_addr);
	kvfree(pool->by_client);
	bitmap_free(pool->taken);
	kfree(pool->domain);
	kfree(pool);
}

struct pxe_pool *pxe_pool_find(struct pxe_dhcp_net *dn, const char *name)
{
	struct pxe_pool *pool;

	lockdep_assert_held(&dn->pn->lock);
	list_for_each_entry(pool, &dn->pools, node)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

/* Waits for readers of the unlinked pools on @doomed, then frees them. */
static void pools_free_after_rcu(struct list_head *doomed)
{
	struct pxe_pool *pool, *tmp;

	if (list_empty(doomed))
		return;
	/* Relayed requests reach pools of any link: wait for them all. */
	synchronize_rcu();
	list_for_each_entry_safe(pool, tmp, doomed, doomed)
		pool_free(pool);
}

static void pool_unlink(struct pxe_pool *pool, struct list_head *doomed)
{
	/* Readers may still walk past it: node stays intact until freed. */
	list_del_rcu(&pool->node);
	list_add_tail(&pool->doomed, doomed);
}

void pxe_lease_link_gone(struct pxe_dhcp_net *dn, struct pxe_link *link)
{
	struct pxe_pool *pool, *tmp;
	LIST_HEAD(doomed);

	list_for_each_entry_safe(pool, tmp, &dn->pools, node)
		if (pool->link == link)
			pool_unlink(pool, &doomed);
	pools_free_after_rcu(&doomed);
}

static __be32 device_netmask(struct net_device *dev, __be32 addr)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (!((ifa->ifa_local ^ addr) & ifa->ifa_mask))
			return ifa->ifa_mask;
	return 0;
}

static bool mask_is_prefix(__be32 mask)
{
	u32 host = ~ntohl(mask);

	return mask && !(host & (host + 1));
}

static int pool_set_proxy(struct pxe_pool *pool, struct genl_info *info)
{
	static const int lease_attrs[] = {
		PXE_A_POOL_START, PXE_A_POOL_END, PXE_A_POOL_NETMASK,
		PXE_A_POOL_ROUTER, PXE_A_POOL_DNS, PXE_A_POOL_DOMAIN,
		PXE_A_POOL_LEASE_TIME,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(lease_attrs); i++)
		if (info->attrs[lease_attrs[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[lease_attrs[i]],
					    "proxy pools take no range or lease options");
			return -EINVAL;
		}
	pool->proxy = true;
	return 0;
}

static int pool_set_range(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			  struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct pxe_pool *other;
	u64 size;

	if (!a[PXE_A_POOL_START] || !a[PXE_A_POOL_END]) {
		NL_SET_ERR_MSG(info->extack,
			       "a pool needs 'range START END' or 'proxy'");
		return -EINVAL;
	}
	pool->start = nla_get_in_addr(a[PXE_A_POOL_START]);
	pool->end = nla_get_in_addr(a[PXE_A_POOL_END]);
	if (ntohl(pool->start) > ntohl(pool->end)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_END],
				    "range start is after range end");
		return -EINVAL;
	}
	if (a[PXE_A_POOL_NETMASK]) {
		pool->netmask = nla_get_in_addr(a[PXE_A_POOL_NETMASK]);
		if (!mask_is_prefix(pool->netmask)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_NETMASK],
					    "netmask is not a prefix mask");
			return -EINVAL;
		}
	} else {
		pool->netmask = device_netmask(pool->link->dev, pool->start);
		if (!pool->netmask) {
			NL_SET_ERR_MSG(info->extack,
				       "no subnet of the device holds the range; give 'netmask MASK'");
			return -EINVAL;
		}
	}
	if ((pool->start ^ pool->end) & pool->netmask) {
		NL_SET_ERR_MSG(info->extack,
			       "range is outside the pool's subnet");
		return -EINVAL;
	}
	size = (u64)ntohl(pool->end) - ntohl(pool->start) + 1;
	if (size > PXE_POOL_MAX_SIZE) {
		NL_SET_ERR_MSG(info->extack,
			       "pool has more than 65536 addresses");
		return -EINVAL;
	}
	pool->size = size;
	list_for_each_entry(other, &dn->pools, node)
		if (!other->proxy &&
		    ntohl(pool->start) <= ntohl(other->end) &&
		    ntohl(other->start) <= ntohl(pool->end)) {
			NL_SET_ERR_MSG(info->extack,
				       "range overlaps another pool");
			return -EEXIST;
		}
	return 0;
}

static int pool_set_options(struct pxe_pool *pool, struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (a[PXE_A_POOL_ROUTER])
		pool->router = nla_get_in_addr(a[PXE_A_POOL_ROUTER]);
	if (a[PXE_A_POOL_DNS]) {
		int len = nla_len(a[PXE_A_POOL_DNS]);

		if (!len || len % 4) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_DNS],
					    "dns takes 1 to 8 IPv4 addresses");
			return -EINVAL;
		}
		pool->n_dns = len / 4;
		memcpy(pool->dns, nla_data(a[PXE_A_POOL_DNS]), len);
	}
	if (a[PXE_A_POOL_DOMAIN]) {
		pool->domain = nla_strdup(a[PXE_A_POOL_DOMAIN], GFP_KERNEL);
		if (!pool->domain)
			return -ENOMEM;
	}
	pool->lease_time = a[PXE_A_POOL_LEASE_TIME] ?
		nla_get_u32(a[PXE_A_POOL_LEASE_TIME]) : PXE_LEASE_TIME_DEFAULT;
	return 0;
}

static int pool_alloc_tables(struct pxe_pool *pool)
{
	u32 buckets = roundup_pow_of_two(max_t(u32, pool->size / 4, 16));

	pool->taken = bitmap_zalloc(pool->size, GFP_KERNEL);
	pool->by_addr = kvcalloc(buckets, sizeof(*pool->by_addr), GFP_KERNEL);
	pool->by_client = kvcalloc(buckets, sizeof(*pool->by_client),
				   GFP_KERNEL);
	if (!pool->taken || !pool->by_addr || !pool->by_client)
		return -ENOMEM;
	pool->hash_mask = buckets - 1;
	return 0;
}

static int pool_configure(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			  struct genl_info *info)
{
	int err;

	if (info->attrs[PXE_A_POOL_PROXY])
		return pool_set_proxy(pool, info);
	err = pool_set_range(dn, pool, info);
	if (!err)
		err = pool_set_options(pool, info);
	if (!err)
		err = pool_alloc_tables(pool);
	return err;
}

int pxe_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_dhcp_net *dn = pn->dhcp;
	struct pxe_link *link;
	struct pxe_pool *pool;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_POOL_NAME))
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	nla_strscpy(pool->name, info->attrs[PXE_A_POOL_NAME],
		    sizeof(pool->name));
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->leases);

	rtnl_lock();
	mutex_lock(&pn->lock);
	link = pxe_nl_request_link(pn, info);
	if (IS_ERR(link)) {
		err = PTR_ERR(link);
		goto out;
	}
	pool->link = link;
	if (pxe_pool_find(dn, pool->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_POOL_NAME],
				    "pool name already in use");
		err = -EEXIST;
		goto out;
	}
	err = pool_configure(dn, pool, info);
	if (err)
		goto out;
	list_add_tail_rcu(&pool->node, &dn->pools);
	pn->gen++;
	pool = NULL;
out:
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	if (pool)
		pool_free(pool);
	return err;
}

static struct pxe_pool *request_pool(struct pxe_dhcp_net *dn,
				     struct genl_info *info)
{
	struct pxe_pool *pool;

	pool = pxe_pool_find(dn, nla_data(info->attrs[PXE_A_POOL_NAME]));
	if (!pool)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_POOL_NAME],
				    "no such pool");
	return pool;
}

int pxe_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_pool *pool;
	LIST_HEAD(doomed);

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_POOL_NAME))
		return -EINVAL;
	mutex_lock(&pn->lock);
	pool = request_pool(pn->dhcp, info);
	if (pool) {
		pool_unlink(pool, &doomed);
		pn->gen++;
	}
	mutex_unlock(&pn->lock);
	pools_free_after_rcu(&doomed);
	return pool ? 0 : -ENOENT;
}

static int fill_pool_range(struct sk_buff *skb, struct pxe_pool *pool)
{
	if (nla_put_in_addr(skb, PXE_A_POOL_START, pool->start) ||
	    nla_put_in_addr(skb, PXE_A_POOL_END, pool->end) ||
	    nla_put_in_addr(skb, PXE_A_POOL_NETMASK, pool->netmask) ||
	    (pool->router &&
	     nla_put_in_addr(skb, PXE_A_POOL_ROUTER, pool->router)) ||
	    (pool->n_dns && nla_put(skb, PXE_A_POOL_DNS, pool->n_dns * 4,
				    pool->dns)) ||
	    (pool->domain &&
	     nla_put_string(skb, PXE_A_POOL_DOMAIN, pool->domain)) ||
	    nla_put_u32(skb, PXE_A_POOL_LEASE_TIME, pool->lease_time))
		return -EMSGSIZE;
	return 0;
}

static int fill_pool(struct sk_buff *skb, struct pxe_pool *pool, u32 portid,
		     u32 seq, int flags, struct netlink_callback *cb)
{
	u32 used = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pxe_family, flags,
			  PXE_CMD_POOL_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (!pool->proxy) {
		spin_lock_bh(&pool->lock);
		used = pool->used;
		spin_unlock_bh(&pool->lock);
	}
	if (nla_put_string(skb, PXE_A_POOL_NAME, pool->name) ||
	    nla_put_u32(skb, PXE_A_IFINDEX, pool->link->dev->ifindex) ||
	    nla_put_string(skb, PXE_A_IFNAME, pool->link->dev->name) ||
	    (pool->proxy && nla_put_flag(skb, PXE_A_POOL_PROXY)) ||
	    (!pool->proxy && fill_pool_range(skb, pool)) ||
	    nla_put_u32(skb, PXE_A_POOL_SIZE, pool->size) ||
	    nla_put_u32(skb, PXE_A_POOL_USED, used)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int pxe_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_pool *pool;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_POOL_NAME))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	pool = request_pool(pn->dhcp, info);
	err = pool ? fill_pool(msg, pool, info->snd_portid, info->snd_seq, 0,
			       NULL) : -ENOENT;
	mutex_unlock(&pn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Dump cursor: cb->args[0] is the number of pools already sent. */
int pxe_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	long done = cb->args[0], i = 0;
	struct pxe_pool *pool;
	int err = 0;

	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	list_for_each_entry(pool, &pn->dhcp->pools, node) {
		if (i++ < done)
			continue;
		err = fill_pool(skb, pool, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		done++;
	}
	mutex_unlock(&pn->lock);
	cb->args[0] = done;
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

/* ---- hosts ------------------------------------------------------------ */

static bool addr_in_some_subnet(struct pxe_dhcp_net *dn, __be32 addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy && pxe_in_subnet(pool, addr))
			return true;
	return false;
}

int pxe_nl_host_new(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_dhcp_net *dn = pn->dhcp;
	struct nlattr **a = info->attrs;
	struct pxe_host *host;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_HOST_MAC) ||
	    GENL_REQ_ATTR_CHECK(info, PXE_A_HOST_ADDR))
		return -EINVAL;
	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	memcpy(host->mac, nla_data(a[PXE_A_HOST_MAC]), ETH_ALEN);
	host->addr = nla_get_in_addr(a[PXE_A_HOST_ADDR]);
	if (a[PXE_A_HOST_NAME])
		nla_strscpy(host->name, a[PXE_A_HOST_NAME], sizeof(host->name));

	mutex_lock(&pn->lock);
	if (pxe_host_by_mac(dn, host->mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_MAC],
				    "MAC already has a reservation");
		err = -EEXIST;
	} else if (!addr_in_some_subnet(dn, host->addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR],
				    "reservation is outside every pool");
		err = -EINVAL;
	} else if (host_by_addr(dn, host->addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR],
				    "address is reserved for another MAC");
		err = -EEXIST;
	} else {
		hlist_add_head_rcu(&host->by_mac,
				   &dn->hosts_by_mac[host_mac_hash(host->mac)]);
		hlist_add_head_rcu(&host->by_addr,
				   &dn->hosts_by_addr[host_addr_hash(host->addr)]);
		pn->gen++;
		host = NULL;
	}
	mutex_unlock(&pn->lock);
	kfree(host);
	return err;
}

int pxe_nl_host_del(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_host *host;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_HOST_MAC))
		return -EINVAL;
	mutex_lock(&pn->lock);
	host = (struct pxe_host *)pxe_host_by_mac(pn->dhcp,
				nla_data(info->attrs[PXE_A_HOST_MAC]));
	if (host) {
		hlist_del_rcu(&host->by_mac);
		hlist_del_rcu(&host->by_addr);
		kfree_rcu(host, rcu);
		pn->gen++;
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_HOST_MAC],
				    "no reservation for this MAC");
	}
	mutex_unlock(&pn->lock);
	return host ? 0 : -ENOENT;
}

static int fill_host(struct sk_buff *skb, const struct pxe_host *host,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pxe_family, NLM_F_MULTI, PXE_CMD_HOST_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put(skb, PXE_A_HOST_MAC, ETH_ALEN, host->mac) ||
	    nla_put_in_addr(skb, PXE_A_HOST_ADDR, host->addr) ||
	    (host->name[0] &&
	     nla_put_string(skb, PXE_A_HOST_NAME, host->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump cursor: cb->args[0] is the number of hosts already sent. */
int pxe_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	long done = cb->args[0], i = 0;
	struct pxe_host *host;
	int bucket, err = 0;

	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	for (bucket = 0; bucket < ARRAY_SIZE(pn->dhcp->hosts_by_mac) && !err;
	     bucket++)
		hlist_for_each_entry(host, &pn->dhcp->hosts_by_mac[bucket],
				     by_mac) {
			if (i++ < done)
				continue;
			err = fill_host(skb, host, cb);
			if (err)
				break;
			done++;
		}
	mutex_unlock(&pn->lock);
	cb->args[0] = done;
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

/* ---- leases from userspace -------------------------------------------- */

static struct pxe_pool *pool_by_range(struct pxe_dhcp_net *dn, __be32 addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy && pxe_in_range(pool, addr))
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
	cid->buf[0] = 1;	/* htype Ethernet, as clients send in 61 */
	memcpy(cid->buf + 1, mac, ETH_ALEN);
	cid->data = cid->buf;
	cid->len = sizeof(cid->buf);
}

static int lease_restore(struct pxe_pool *pool, struct pxe_lease *l,
			 __be32 addr, const u8 *mac, u32 expires,
			 struct genl_info *info)
{
	struct pxe_client_id cid = { .data = l->id, .len = l->id_len };
	struct pxe_lease *old;

	spin_lock_bh(&pool->lock);
	old = lease_by_addr(pool, addr);
	if (old && !lease_is(old, &cid)) {
		spin_unlock_bh(&pool->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_LEASE_ADDR],
				    "address is leased to another client");
		return -EEXIST;
	}
	if (!old)
		old = lease_by_client(pool, &cid);
	if (old)
		lease_unlink(pool, old);
	lease_insert(pool, l, addr, mac);
	l->state = PXE_LEASE_BOUND;
	l->expires = jiffies + (unsigned long)expires * HZ;
	spin_unlock_bh(&pool->lock);
	kfree(old);
	return 0;
}

int pxe_nl_lease_new(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct pxe_client_id cid;
	struct pxe_pool *pool;
	struct pxe_lease *l;
	__be32 addr;
	u32 expires;
	u8 mac[ETH_ALEN];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_MAC) ||
	    GENL_REQ_ATTR_CHECK(info, PXE_A_LEASE_ADDR))
		return -EINVAL;
	memcpy(mac, nla_data(a[PXE_A_LEASE_MAC]), ETH_ALEN);
	addr = nla_get_in_addr(a[PXE_A_LEASE_ADDR]);
	lease_id_from_attrs(info, mac, &cid);
	l = lease_alloc(&cid, GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	if (a[PXE_A_LEASE_HOSTNAME])
		nla_strscpy(l->hostname, a[PXE_A_LEASE_HOSTNAME],
			    sizeof(l->hostname));

	mutex_lock(&pn->lock);
	pool = pool_by_range(pn->dhcp, addr);
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LEASE_ADDR],
				    "lease address is outside every pool");
		err = -EINVAL;
	} else {
		expires = a[PXE_A_LEASE_EXPIRES] ?
			nla_get_u32(a[PXE_A_LEASE_EXPIRES]) : pool->lease_time;
		err = lease_restore(pool, l, addr, mac, expires, info);
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

int pxe_nl_lease_del(struct sk_buff *skb, struct genl_info *info)
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

int pxe_nl_lease_flush(struct sk_buff *skb, struct genl_info *info)
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
	if (nla_put(skb, PXE_A_LEASE_MAC, ETH_ALEN, l->mac) ||
	    nla_put_in_addr(skb, PXE_A_LEASE_ADDR, l->addr) ||
	    nla_put_u32(skb, PXE_A_LEASE_EXPIRES, seconds_left(l->expires)) ||
	    nla_put_u8(skb, PXE_A_LEASE_STATE, l->state) ||
	    nla_put_string(skb, PXE_A_LEASE_POOL, pool->name) ||
	    nla_put(skb, PXE_A_LEASE_CLIENT_ID, l->id_len, l->id) ||
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

/* Dump cursor: cb->args[0] pools finished, cb->args[1] leases of the next. */
int pxe_nl_lease_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	struct pxe_pool *pool;
	long i = 0;
	int err = 0;

	mutex_lock(&pn->lock);
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
	queue_delayed_work(system_power_efficient_wq, &dn->expiry,
			   PXE_EXPIRY_PERIOD);
	return 0;
}

/* Links are gone by now: only hosts and pools without links remain. */
void pxe_lease_net_exit(struct pxe_dhcp_net *dn)
{
	struct pxe_pool *pool, *tmp;
	struct pxe_host *host;
	struct hlist_node *n;
	int bucket;

	cancel_delayed_work_sync(&dn->expiry);
	synchronize_rcu();
	list_for_each_entry_safe(pool, tmp, &dn->pools, node) {
		list_del(&pool->node);
		pool_free(pool);
	}
	for (bucket = 0; bucket < ARRAY_SIZE(dn->hosts_by_mac); bucket++)
		hlist_for_each_entry_safe(host, n, &dn->hosts_by_mac[bucket],
					  by_mac)
			kfree(host);
}
