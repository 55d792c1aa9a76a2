/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: in-kernel PXE boot server -- declarations shared inside the module.
 *
 * Locking, outermost first:
 *   RTNL                 device lookup, hook (un)registration, notifier
 *   pxe_net.lock         every change to a namespace's configuration
 *   RCU (BH)             the packet path: readers never block
 */
#ifndef _PXE_H
#define _PXE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>

/* Per network namespace state: each namespace is a separate server. */
struct pxe_net {
	struct net *net;
	struct mutex lock;		/* serialises writers; nests inside RTNL */
	struct list_head links;		/* struct pxe_link; RCU for readers */
	u32 gen;			/* bumped on every change, for dumps */
};

struct pxe_link_stats {
	u64_stats_t rx_packets;
	struct u64_stats_sync syncp;
};

/* The service attached to one network device. */
struct pxe_link {
	struct list_head node;		/* in pxe_net.links */
	struct pxe_net *pn;
	/* Valid while linked: the notifier unlinks before the device goes. */
	struct net_device *dev;
	__be32 server;			/* source of replies, TFTP server */
	struct nf_hook_ops hook;
	struct pxe_link_stats __percpu *stats;
	struct rcu_head rcu;
};

/* main.c */
struct pxe_net *pxe_net(const struct net *net);

/* link.c */
struct pxe_link *pxe_link_find(struct pxe_net *pn,
			       const struct net_device *dev);
int pxe_link_add(struct pxe_net *pn, struct net_device *dev, __be32 server,
		 struct netlink_ext_ack *extack);
void pxe_link_del(struct pxe_link *link);
void pxe_link_flush(struct pxe_net *pn);
u64 pxe_link_rx_packets(const struct pxe_link *link);
int pxe_link_notifier_register(void);
void pxe_link_notifier_unregister(void);

/* hook.c */
unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);

/* netlink.c */
int pxe_netlink_register(void);
void pxe_netlink_unregister(void);
void pxe_netlink_notify_link(const struct pxe_link *link, u8 cmd);

#endif /* _PXE_H */
