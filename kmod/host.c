// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: reservations (hosts).
 *
 * Reservations are per namespace, hashed by MAC and by each address they
 * have (IPv4, IPv6 or both), written under pxe_net.lock and read under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "dhcp.h"

#define HOST_HASH_MASK ((1U << PXE_HOST_HASH_BITS) - 1)

static u32 host_mac_hash(struct pxe_dhcp_net *dn, const u8 *mac)
{
	return hsiphash(mac, ETH_ALEN, &dn->host_key) & HOST_HASH_MASK;
}

static u32 host_addr_hash(struct pxe_dhcp_net *dn, __be32 addr)
{
	return hsiphash_1u32((__force u32)addr, &dn->host_key) &
	       HOST_HASH_MASK;
}

static u32 host_addr6_hash(struct pxe_dhcp_net *dn, const struct in6_addr *addr)
{
	return hsiphash(addr, sizeof(*addr), &dn->host_key) & HOST_HASH_MASK;
}

/* ---- reservations ----------------------------------------------------- */

const struct pxe_host *pxe_host_by_mac(struct pxe_dhcp_net *dn, const u8 *mac)
{
	struct pxe_host *host;

	hlist_for_each_entry_rcu(host, &dn->hosts_by_mac[host_mac_hash(dn, mac)],
				 by_mac, lockdep_is_held(&dn->pn->lock))
		if (ether_addr_equal(host->mac, mac))
			return host;
	return NULL;
}

const struct pxe_host *pxe_host_by_addr(struct pxe_dhcp_net *dn, __be32 addr)
{
	struct pxe_host *host;

	hlist_for_each_entry_rcu(host, &dn->hosts_by_addr[host_addr_hash(dn, addr)],
				 by_addr, lockdep_is_held(&dn->pn->lock))
		if (host->addr == addr)
			return host;
	return NULL;
}

const struct pxe_host *pxe_host_by_addr6(struct pxe_dhcp_net *dn,
					 const struct in6_addr *addr)
{
	struct pxe_host *host;

	hlist_for_each_entry_rcu(host, &dn->hosts_by_addr6[host_addr6_hash(dn, addr)],
				 by_addr6, lockdep_is_held(&dn->pn->lock))
		if (ipv6_addr_equal(&host->addr6, addr))
			return host;
	return NULL;
}

/* The MAC's reservation when it holds an IPv4 address, else NULL. */
const struct pxe_host *pxe_host4_by_mac(struct pxe_dhcp_net *dn, const u8 *mac)
{
	const struct pxe_host *host = pxe_host_by_mac(dn, mac);

	return host && host->addr ? host : NULL;
}

/* The MAC's reservation when it holds an IPv6 address, else NULL. */
const struct pxe_host *pxe_host6_by_mac(struct pxe_dhcp_net *dn, const u8 *mac)
{
	const struct pxe_host *host = pxe_host_by_mac(dn, mac);

	return host && !ipv6_addr_any(&host->addr6) ? host : NULL;
}

/* ---- hosts ------------------------------------------------------------ */

static bool addr_in_some_subnet(struct pxe_dhcp_net *dn, __be32 addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (!pool->proxy && !pool->v6 && pxe_in_subnet(pool, addr))
			return true;
	return false;
}

/* An IPv6 pool's subnet is its /64, as for Confirm and relays. */
static bool addr6_in_some_prefix(struct pxe_dhcp_net *dn,
				 const struct in6_addr *addr)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &dn->pools, node)
		if (pool->v6 && pxe_in_prefix6(pool, addr))
			return true;
	return false;
}

/*
 * Under pxe_net.lock: why @host cannot be added, set in extack, or 0.
 * Only the addresses the request gives are checked.
 */
static int host_check(struct pxe_dhcp_net *dn, const struct pxe_host *host,
		      struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (pxe_host_by_mac(dn, host->mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_MAC],
				    "MAC already has a reservation");
		return -EEXIST;
	}
	if (a[PXE_A_HOST_ADDR] && !addr_in_some_subnet(dn, host->addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR],
				    "reservation is outside every pool");
		return -EINVAL;
	}
	if (a[PXE_A_HOST_ADDR] && pxe_host_by_addr(dn, host->addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR],
				    "address is reserved for another MAC");
		return -EEXIST;
	}
	if (!a[PXE_A_HOST_ADDR6])
		return 0;
	if (!addr6_in_some_prefix(dn, &host->addr6)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR6],
				    "ip6 reservation is outside every IPv6 pool");
		return -EINVAL;
	}
	if (pxe_host_by_addr6(dn, &host->addr6)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_HOST_ADDR6],
				    "ip6 address is reserved for another MAC");
		return -EEXIST;
	}
	return 0;
}

/* A unicast address a client can use beyond its link, or an extack. */
static int host_addr6_valid(const struct in6_addr *addr,
			    struct genl_info *info)
{
	if (!pxe_addr6_client_usable(addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_HOST_ADDR6],
				    "ip6 must be a global or unique local unicast address");
		return -EINVAL;
	}
	return 0;
}

static void host_hash(struct pxe_dhcp_net *dn, struct pxe_host *host)
{
	hlist_add_head_rcu(&host->by_mac,
			   &dn->hosts_by_mac[host_mac_hash(dn, host->mac)]);
	if (host->addr)
		hlist_add_head_rcu(&host->by_addr,
				   &dn->hosts_by_addr[host_addr_hash(dn, host->addr)]);
	if (!ipv6_addr_any(&host->addr6))
		hlist_add_head_rcu(&host->by_addr6,
				   &dn->hosts_by_addr6[host_addr6_hash(dn, &host->addr6)]);
}

static void host_unhash(struct pxe_host *host)
{
	hlist_del_rcu(&host->by_mac);
	if (host->addr)
		hlist_del_rcu(&host->by_addr);
	if (!ipv6_addr_any(&host->addr6))
		hlist_del_rcu(&host->by_addr6);
}

int pxe_nl_host_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct pxe_host *host;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_HOST_MAC))
		return -EINVAL;
	if (!a[PXE_A_HOST_ADDR] && !a[PXE_A_HOST_ADDR6]) {
		NL_SET_ERR_MSG(info->extack,
			       "a reservation needs an address: ip, ip6 or both");
		return -EINVAL;
	}
	host = kzalloc(sizeof(*host), GFP_KERNEL_ACCOUNT);
	if (!host)
		return -ENOMEM;
	memcpy(host->mac, nla_data(a[PXE_A_HOST_MAC]), ETH_ALEN);
	if (a[PXE_A_HOST_ADDR])
		host->addr = nla_get_in_addr(a[PXE_A_HOST_ADDR]);
	if (a[PXE_A_HOST_ADDR6]) {
		host->addr6 = nla_get_in6_addr(a[PXE_A_HOST_ADDR6]);
		err = host_addr6_valid(&host->addr6, info);
		if (err)
			goto out;
	}
	if (a[PXE_A_HOST_NAME])
		nla_strscpy(host->name, a[PXE_A_HOST_NAME], sizeof(host->name));

	mutex_lock(&pn->lock);
	err = host_check(pn->dhcp, host, info);
	if (!err) {
		host_hash(pn->dhcp, host);
		pn->gen++;
		host = NULL;
	}
	mutex_unlock(&pn->lock);
out:
	kfree(host);
	return err;
}

int pxe_nl_host_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_host *host;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_HOST_MAC))
		return -EINVAL;
	mutex_lock(&pn->lock);
	host = (struct pxe_host *)pxe_host_by_mac(pn->dhcp,
				nla_data(info->attrs[PXE_A_HOST_MAC]));
	if (host) {
		host_unhash(host);
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
	    (host->addr && nla_put_in_addr(skb, PXE_A_HOST_ADDR, host->addr)) ||
	    (!ipv6_addr_any(&host->addr6) &&
	     nla_put_in6_addr(skb, PXE_A_HOST_ADDR6, &host->addr6)) ||
	    (host->name[0] &&
	     nla_put_string(skb, PXE_A_HOST_NAME, host->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump cursor: cb->args[0] is the number of hosts already sent. */
int pxe_nl_host_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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

void pxe_host_net_init(struct pxe_dhcp_net *dn)
{
	get_random_bytes(&dn->host_key, sizeof(dn->host_key));
}

/* After a grace period: no reader is left. */
void pxe_host_net_exit(struct pxe_dhcp_net *dn)
{
	struct pxe_host *host;
	struct hlist_node *n;
	int bucket;

	for (bucket = 0; bucket < ARRAY_SIZE(dn->hosts_by_mac); bucket++)
		hlist_for_each_entry_safe(host, n, &dn->hosts_by_mac[bucket],
					  by_mac)
			kfree(host);
}
