// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: links -- the service attached to one network device.
 *
 * A link owns an NF_NETDEV_INGRESS hook on its device.  Links live on their
 * namespace's list, changed under RTNL and pxe_net.lock, read under RCU.  A
 * device going away (deleted, or moved to another namespace) takes its link
 * with it through the netdevice notifier.
 */
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <uapi/linux/pxe.h>

#include "pxe.h"

/* The hook runs after tc ingress sees the packet, before the IP stack. */
#define PXE_HOOK_PRIORITY	0

struct pxe_link *pxe_link_find(struct pxe_net *pn,
			       const struct net_device *dev)
{
	struct pxe_link *link;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry(link, &pn->links, node)
		if (link->dev == dev)
			return link;
	return NULL;
}

static __be32 first_ipv4_address(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		return ifa->ifa_local;
	return 0;
}

static void link_free_rcu(struct rcu_head *rcu)
{
	struct pxe_link *link = container_of(rcu, struct pxe_link, rcu);

	free_percpu(link->stats);
	mem_cgroup_put(link->memcg);
	kfree(link);
}

int pxe_link_add(struct pxe_net *pn, struct net_device *dev, __be32 server,
		 bool ra, struct netlink_ext_ack *extack)
{
	struct pxe_link *link;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&pn->lock);

	/* Replies are Ethernet frames; loopback carries them too. */
	if ((dev->type != ARPHRD_ETHER && dev->type != ARPHRD_LOOPBACK) ||
	    dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "device is not an Ethernet device");
		return -EOPNOTSUPP;
	}
	if (pxe_link_find(pn, dev)) {
		NL_SET_ERR_MSG(extack, "device already has a pxe link");
		return -EEXIST;
	}
	if (!server)
		server = first_ipv4_address(dev);
	if (!server) {
		NL_SET_ERR_MSG(extack,
			       "device has no IPv4 address; give one with 'server ADDR'");
		return -EADDRNOTAVAIL;
	}

	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		return -ENOMEM;
	link->stats = __netdev_alloc_pcpu_stats(struct pxe_link_stats,
						GFP_KERNEL_ACCOUNT);
	if (!link->stats) {
		kfree(link);
		return -ENOMEM;
	}
	link->memcg = pxe_memcg_of_caller();
	link->pn = pn;
	link->dev = dev;
	link->server = server;
	link->ra = ra;
	link->hook.hook = pxe_hook_ingress;
	link->hook.pf = NFPROTO_NETDEV;
	link->hook.hooknum = NF_NETDEV_INGRESS;
	link->hook.priority = PXE_HOOK_PRIORITY;
	link->hook.dev = dev;
	link->hook.priv = link;

	if (ra)
		pxe_ra_start(link);
	err = nf_register_net_hook(pn->net, &link->hook);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot attach the ingress hook to this device");
		pxe_ra_stop(link);
		link_free_rcu(&link->rcu);
		return err;
	}
	list_add_tail_rcu(&link->node, &pn->links);
	pn->gen++;
	pxe_netlink_notify_link(link, PXE_CMD_LINK_ADD_NTF);
	return 0;
}

void pxe_link_del(struct pxe_link *link)
{
	struct pxe_net *pn = link->pn;

	ASSERT_RTNL();
	lockdep_assert_held(&pn->lock);

	list_del_rcu(&link->node);
	nf_unregister_net_hook(pn->net, &link->hook);
	/* No hook runs after this: nothing new can start on the link. */
	synchronize_net();
	pxe_ra_stop(link);
	pxe_tftp_link_gone(link);
	pxe_dhcp_link_gone(link);
	pn->gen++;
	pxe_netlink_notify_link(link, PXE_CMD_LINK_DEL_NTF);
	/* The hook may still be running on another CPU until a grace period. */
	call_rcu(&link->rcu, link_free_rcu);
}

void pxe_link_flush(struct pxe_net *pn)
{
	struct pxe_link *link, *tmp;

	ASSERT_RTNL();
	lockdep_assert_held(&pn->lock);

	list_for_each_entry_safe(link, tmp, &pn->links, node)
		pxe_link_del(link);
}

u64 pxe_link_rx_packets(const struct pxe_link *link)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct pxe_link_stats *stats = per_cpu_ptr(link->stats, cpu);
		unsigned int start;
		u64 rx;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rx = u64_stats_read(&stats->rx_packets);
		} while (u64_stats_fetch_retry(&stats->syncp, start));
		sum += rx;
	}
	return sum;
}

static int link_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct pxe_net *pn;
	struct pxe_link *link;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	pn = pxe_net(dev_net(dev));
	mutex_lock(&pn->lock);
	link = pxe_link_find(pn, dev);
	if (link)
		pxe_link_del(link);
	mutex_unlock(&pn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block link_netdev_notifier = {
	.notifier_call = link_netdev_event,
};

int pxe_link_notifier_register(void)
{
	return register_netdevice_notifier(&link_netdev_notifier);
}

void pxe_link_notifier_unregister(void)
{
	unregister_netdevice_notifier(&link_netdev_notifier);
}
