// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: pools and address allocation.
 *
 * A pool is a range of addresses on a link.  A bitmap over the range marks
 * the offsets that have a lease, and the allocator looks for a clear bit
 * from a rotating cursor.  No packet scans the pool: a /16 with 60,000
 * leases answers as fast as an empty one.
 */
#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "dhcp.h"

/* An address the allocator may give to @mac. */
bool pxe_pool_addr_free_for(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			    __be32 addr, const u8 *mac, __be32 server)
{
	const struct pxe_host *host;
	u32 host_part = ntohl(addr & ~pool->netmask);

	if (!pxe_in_range(pool, addr) || addr == server ||
	    test_bit(pxe_range_offset(pool, addr), pool->taken))
		return false;
	/* Network and broadcast addresses of the subnet. */
	if (pool->netmask != htonl(0xfffffffe) &&
	    (!host_part || host_part == ntohl(~pool->netmask)))
		return false;
	host = pxe_host_by_addr(dn, addr);
	return !host || ether_addr_equal(host->mac, mac);
}

/*
 * The next clear bit from *@off on, wrapping once past the end back to 0
 * and stopping at the cursor; false when the walk is over.
 */
static bool next_clear_offset(struct pxe_pool *pool, u32 *off, bool *wrapped)
{
	for (;;) {
		*off = find_next_zero_bit(pool->taken, pool->size, *off);
		if (*wrapped && *off >= pool->cursor)
			return false;
		if (*off < pool->size)
			return true;
		if (*wrapped)
			return false;
		*wrapped = true;
		*off = 0;
	}
}

static void advance_cursor(struct pxe_pool *pool, u32 off)
{
	pool->cursor = off + 1 < pool->size ? off + 1 : 0;
}

/* A clear bit from the rotating cursor on, wrapping once. */
bool pxe_pool_pick(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
		   const u8 *mac, __be32 server, __be32 *addr)
{
	u32 off = pool->cursor;
	bool wrapped = false;

	for (; next_clear_offset(pool, &off, &wrapped); off++) {
		*addr = htonl(ntohl(pool->start) + off);
		if (pxe_pool_addr_free_for(dn, pool, *addr, mac, server)) {
			advance_cursor(pool, off);
			return true;
		}
	}
	return false;
}

/* An IPv6 address the allocator may give to the client of @host (or NULL). */
bool pxe_pool_addr6_free_for(struct pxe_pool *pool,
			     const struct in6_addr *addr,
			     const struct pxe_host *host)
{
	const struct pxe_host *reserved;

	if (!pxe_in_range6(pool, addr) ||
	    test_bit(pxe_range_offset6(pool, addr), pool->taken))
		return false;
	reserved = pxe_host_by_addr6(pool->dn, addr);
	return !reserved || reserved == host;
}

/*
 * IPv6: a clear offset, from the rotating cursor on, wrapping once; no
 * network or broadcast address to skip, only other clients' reservations.
 */
bool pxe_pool_pick6(struct pxe_pool *pool, const struct pxe_host *host,
		    struct in6_addr *addr)
{
	u32 off = pool->cursor;
	bool wrapped = false;

	for (; next_clear_offset(pool, &off, &wrapped); off++) {
		*addr = pool->start6;
		addr->s6_addr32[3] = htonl(ntohl(pool->start6.s6_addr32[3]) +
					   off);
		if (pxe_pool_addr6_free_for(pool, addr, host)) {
			advance_cursor(pool, off);
			return true;
		}
	}
	return false;
}

/* ---- pools ------------------------------------------------------------ */

static void pool_free(struct pxe_pool *pool)
{
	if (!pool->proxy)
		pxe_lease_free_all(pool);
	kvfree(pool->by_addr);
	kvfree(pool->by_client);
	bitmap_free(pool->taken);
	kfree(pool->domain);
	mem_cgroup_put(pool->memcg);
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
	pxe_lease_pools_changed(dn);
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
		PXE_A_POOL_LEASE_TIME, PXE_A_POOL_START6, PXE_A_POOL_END6,
		PXE_A_POOL_DNS6,
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
		if (!other->proxy && !other->v6 &&
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
		pool->domain = nla_strdup(a[PXE_A_POOL_DOMAIN],
					  GFP_KERNEL_ACCOUNT);
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

	pool->taken = bitmap_zalloc(pool->size, GFP_KERNEL_ACCOUNT);
	pool->by_addr = kvcalloc(buckets, sizeof(*pool->by_addr),
				 GFP_KERNEL_ACCOUNT);
	pool->by_client = kvcalloc(buckets, sizeof(*pool->by_client),
				   GFP_KERNEL_ACCOUNT);
	if (!pool->taken || !pool->by_addr || !pool->by_client)
		return -ENOMEM;
	pool->hash_mask = buckets - 1;
	get_random_bytes(&pool->hash_key, sizeof(pool->hash_key));
	return 0;
}

/* ---- IPv6 pools -------------------------------------------------------- */

static bool range6_overlaps(const struct pxe_pool *a, const struct pxe_pool *b)
{
	return !memcmp(&a->start6, &b->start6, 12) &&
	       ntohl(a->start6.s6_addr32[3]) <= ntohl(b->end6.s6_addr32[3]) &&
	       ntohl(b->start6.s6_addr32[3]) <= ntohl(a->end6.s6_addr32[3]);
}

static int pool_set_range6(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			   struct genl_info *info)
{
	static const int v4_attrs[] = {
		PXE_A_POOL_START, PXE_A_POOL_END, PXE_A_POOL_NETMASK,
		PXE_A_POOL_ROUTER, PXE_A_POOL_DNS, PXE_A_POOL_DOMAIN,
	};
	struct nlattr **a = info->attrs;
	struct pxe_pool *other;
	u64 size;
	int i;

	for (i = 0; i < ARRAY_SIZE(v4_attrs); i++)
		if (a[v4_attrs[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[v4_attrs[i]],
					    "an IPv6 pool takes no IPv4 range or options");
			return -EINVAL;
		}
	if (!a[PXE_A_POOL_END6]) {
		NL_SET_ERR_MSG(info->extack, "range6 needs START and END");
		return -EINVAL;
	}
	/* The policy holds both to exactly 16 bytes. */
	memcpy(&pool->start6, nla_data(a[PXE_A_POOL_START6]),
	       sizeof(pool->start6));
	memcpy(&pool->end6, nla_data(a[PXE_A_POOL_END6]), sizeof(pool->end6));
	/*
	 * What `lease add ... ip6` and `host add ... ip6` take: else the
	 * leases the allocator gives could never be restored.  End shares
	 * start's first 96 bits, hence its type.
	 */
	if (!pxe_addr6_client_usable(&pool->start6)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_START6],
				    "range6 must hold global or unique local unicast addresses");
		return -EINVAL;
	}
	if (memcmp(&pool->start6, &pool->end6, 12)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_END6],
				    "range6 start and end differ before their last 32 bits");
		return -EINVAL;
	}
	if (ntohl(pool->start6.s6_addr32[3]) > ntohl(pool->end6.s6_addr32[3])) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_POOL_END6],
				    "range start is after range end");
		return -EINVAL;
	}
	size = (u64)ntohl(pool->end6.s6_addr32[3]) -
	       ntohl(pool->start6.s6_addr32[3]) + 1;
	if (size > PXE_POOL_MAX_SIZE) {
		NL_SET_ERR_MSG(info->extack,
			       "pool has more than 65536 addresses");
		return -EINVAL;
	}
	pool->size = size;
	pool->v6 = true;
	list_for_each_entry(other, &dn->pools, node)
		if (other->v6 && range6_overlaps(pool, other)) {
			NL_SET_ERR_MSG(info->extack,
				       "range overlaps another pool");
			return -EEXIST;
		}
	return 0;
}

static int pool_set_options6(struct pxe_pool *pool, struct genl_info *info)
{
	struct nlattr *dns = info->attrs[PXE_A_POOL_DNS6];

	if (dns) {
		int len = nla_len(dns);

		if (!len || len % DHCP6_ADDR_LEN) {
			NL_SET_ERR_MSG_ATTR(info->extack, dns,
					    "dns takes 1 to 4 IPv6 addresses");
			return -EINVAL;
		}
		pool->n_dns6 = len / DHCP6_ADDR_LEN;
		memcpy(pool->dns6, nla_data(dns), len);
	}
	pool->lease_time = info->attrs[PXE_A_POOL_LEASE_TIME] ?
		nla_get_u32(info->attrs[PXE_A_POOL_LEASE_TIME]) :
		PXE_LEASE_TIME_DEFAULT;
	return 0;
}

static int pool_configure(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			  struct genl_info *info)
{
	int err;

	if (info->attrs[PXE_A_POOL_PROXY])
		return pool_set_proxy(pool, info);
	if (info->attrs[PXE_A_POOL_START6]) {
		err = pool_set_range6(dn, pool, info);
		if (!err)
			err = pool_set_options6(pool, info);
		return err ? err : pool_alloc_tables(pool);
	}
	if (info->attrs[PXE_A_POOL_END6] || info->attrs[PXE_A_POOL_DNS6]) {
		NL_SET_ERR_MSG(info->extack,
			       "IPv6 options need an IPv6 pool: 'range6 START END'");
		return -EINVAL;
	}
	err = pool_set_range(dn, pool, info);
	if (!err)
		err = pool_set_options(pool, info);
	if (!err)
		err = pool_alloc_tables(pool);
	return err;
}

int pxe_nl_pool_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_dhcp_net *dn = pn->dhcp;
	struct pxe_link *link;
	struct pxe_pool *pool;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_POOL_NAME))
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);
	if (!pool)
		return -ENOMEM;
	pool->dn = dn;
	pool->memcg = pxe_memcg_of_caller();
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
	pxe_lease_pools_changed(dn);
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

int pxe_nl_pool_del_doit(struct sk_buff *skb, struct genl_info *info)
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
		pxe_lease_pools_changed(pn->dhcp);
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

static int fill_pool_range6(struct sk_buff *skb, struct pxe_pool *pool)
{
	if (nla_put_in6_addr(skb, PXE_A_POOL_START6, &pool->start6) ||
	    nla_put_in6_addr(skb, PXE_A_POOL_END6, &pool->end6) ||
	    (pool->n_dns6 && nla_put(skb, PXE_A_POOL_DNS6,
				     pool->n_dns6 * DHCP6_ADDR_LEN,
				     pool->dns6)) ||
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
	    (!pool->proxy && !pool->v6 && fill_pool_range(skb, pool)) ||
	    (pool->v6 && fill_pool_range6(skb, pool)) ||
	    nla_put_u32(skb, PXE_A_POOL_SIZE, pool->size) ||
	    nla_put_u32(skb, PXE_A_POOL_USED, used)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int pxe_nl_pool_get_doit(struct sk_buff *skb, struct genl_info *info)
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
int pxe_nl_pool_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	long done = cb->args[0], i = 0;
	struct pxe_pool *pool;
	int err = 0;

	mutex_lock(&pn->lock);
	/* A pool's 'used' moves with its leases. */
	cb->seq = (pn->gen + atomic_read(&pn->dhcp->lease_gen)) ?: 1;
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

/* After a grace period: no reader is left. */
void pxe_pool_net_exit(struct pxe_dhcp_net *dn)
{
	struct pxe_pool *pool, *tmp;

	list_for_each_entry_safe(pool, tmp, &dn->pools, node) {
		list_del(&pool->node);
		pool_free(pool);
	}
}
