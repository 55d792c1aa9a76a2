// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the "pxe" generic netlink family -- handlers, dumps and monitor
 * notifications.  Every request acts on the namespace of the socket it
 * arrived on; every rejection says why in the extended ack.  The policy and
 * the ops table (each command's handlers and permission) are generated from
 * docs/netlink/pxe.yaml into netlink-gen.c (`make regen`).
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/pxe.h>

#include "compat.h"
#include "pxe.h"

/*
 * Events name clients, addresses and files: only who may change the server
 * may watch it (dumps stay readable, as `ip neigh` is).  Written here, not
 * taken from netlink-gen.c: 6.12's generator cannot give a group a flag.
 */
static const struct genl_multicast_group pxe_mcgrps[] = {
	[PXE_NLGRP_MONITOR] = {
		.name = PXE_MCGRP_MONITOR,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* @cb: the dump in progress, NULL outside dumps. */
static int fill_link(struct sk_buff *skb, const struct pxe_link *link,
		     u32 portid, u32 seq, int flags, u8 cmd,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pxe_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, PXE_A_IFINDEX, link->dev->ifindex) ||
	    nla_put_string(skb, PXE_A_IFNAME, link->dev->name) ||
	    nla_put_in_addr(skb, PXE_A_LINK_SERVER, link->server) ||
	    nla_put_u64_64bit(skb, PXE_A_LINK_RX_PACKETS,
			      pxe_link_rx_packets(link), PXE_A_PAD) ||
	    (link->ra && nla_put_flag(skb, PXE_A_LINK_RA))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void pxe_netlink_notify_link(const struct pxe_link *link, u8 cmd)
{
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb) {
		pxe_stat_inc(link->pn, PXE_STAT_MONITOR_DROP_NOMEM);
		return;
	}
	if (fill_link(skb, link, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&pxe_family, link->pn->net, skb, 0,
				PXE_NLGRP_MONITOR, GFP_KERNEL);
}

struct sk_buff *pxe_ntf_new(struct pxe_net *pn, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&pxe_family, pn->net, PXE_NLGRP_MONITOR))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb) {
		/* A listener cannot tell; the counter can. */
		pxe_stat_inc(pn, PXE_STAT_MONITOR_DROP_NOMEM);
		return NULL;
	}
	*hdr = genlmsg_put(skb, 0, 0, &pxe_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

void pxe_ntf_send(struct pxe_net *pn, struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&pxe_family, pn->net, skb, 0,
				PXE_NLGRP_MONITOR, GFP_ATOMIC);
}

/* The device a request names, by index or by name, in the caller's netns. */
struct net_device *pxe_nl_request_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;

	ASSERT_RTNL();
	if (!info->attrs[PXE_A_IFINDEX] && !info->attrs[PXE_A_IFNAME]) {
		NL_SET_ERR_MSG(info->extack,
			       "missing device: PXE_A_IFINDEX or PXE_A_IFNAME is required");
		return ERR_PTR(-EINVAL);
	}
	if (info->attrs[PXE_A_IFINDEX])
		dev = __dev_get_by_index(net,
					 nla_get_u32(info->attrs[PXE_A_IFINDEX]));
	else
		dev = __dev_get_by_name(net,
					nla_data(info->attrs[PXE_A_IFNAME]));
	if (!dev) {
		NL_SET_ERR_MSG(info->extack, "no such network device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* The link a request names; NULL with the extack set when there is none. */
struct pxe_link *pxe_nl_request_link(struct pxe_net *pn,
				     struct genl_info *info)
{
	struct net_device *dev = pxe_nl_request_dev(info);
	struct pxe_link *link;

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	link = pxe_link_find(pn, dev);
	if (!link) {
		NL_SET_ERR_MSG(info->extack, "no pxe link on this device");
		return ERR_PTR(-ENOENT);
	}
	return link;
}

static int request_server(struct genl_info *info, __be32 *server)
{
	struct nlattr *attr = info->attrs[PXE_A_LINK_SERVER];

	*server = 0;
	if (!attr)
		return 0;
	*server = nla_get_in_addr(attr);
	if (ipv4_is_zeronet(*server) || ipv4_is_multicast(*server) ||
	    ipv4_is_lbcast(*server)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "server address must be a unicast IPv4 address");
		return -EINVAL;
	}
	return 0;
}

int pxe_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct net_device *dev;
	__be32 server;
	int err;

	err = request_server(info, &server);
	if (err)
		return err;

	rtnl_lock();
	mutex_lock(&pn->lock);
	dev = pxe_nl_request_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = pxe_link_add(pn, dev, server,
				   nla_get_flag(info->attrs[PXE_A_LINK_RA]),
				   info->extack);
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	return err;
}

int pxe_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_link *link;
	int err = 0;

	rtnl_lock();
	mutex_lock(&pn->lock);
	link = pxe_nl_request_link(pn, info);
	if (IS_ERR(link))
		err = PTR_ERR(link);
	else
		pxe_link_del(link);
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	return err;
}

int pxe_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_link *link;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	mutex_lock(&pn->lock);
	link = pxe_nl_request_link(pn, info);
	if (IS_ERR(link))
		err = PTR_ERR(link);
	else
		err = fill_link(msg, link, info->snd_portid, info->snd_seq, 0,
				PXE_CMD_LINK_GET, NULL);
	mutex_unlock(&pn->lock);
	rtnl_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Dump cursor: cb->args[0] is the number of links already sent. */
int pxe_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	long done = cb->args[0], i = 0;
	struct pxe_link *link;
	int err = 0;

	rtnl_lock();
	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	list_for_each_entry(link, &pn->links, node) {
		if (i++ < done)
			continue;
		err = fill_link(skb, link, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				PXE_CMD_LINK_GET, cb);
		if (err)
			break;
		done++;
	}
	mutex_unlock(&pn->lock);
	rtnl_unlock();

	cb->args[0] = done;
	/* A full buffer means: come back for the rest. */
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

static int fill_limits(struct sk_buff *skb, struct pxe_net *pn)
{
	const struct pxe_limits *l = &pn->limits;

	if (nla_put_u64_64bit(skb, PXE_A_LIMIT_IMAGE_MEMORY,
			      READ_ONCE(l->image_memory), PXE_A_PAD) ||
	    nla_put_u32(skb, PXE_A_LIMIT_TFTP_SESSIONS,
			READ_ONCE(l->tftp_sessions)) ||
	    nla_put_u32(skb, PXE_A_LIMIT_TFTP_PER_CLIENT,
			READ_ONCE(l->tftp_per_client)) ||
	    nla_put_u32(skb, PXE_A_LIMIT_TFTP_BLKSIZE,
			READ_ONCE(l->tftp_blksize)) ||
	    nla_put_u32(skb, PXE_A_LIMIT_TFTP_WINDOWSIZE,
			READ_ONCE(l->tftp_windowsize)) ||
	    nla_put_u16(skb, PXE_A_LIMIT_TFTP_PORT_MIN,
			READ_ONCE(l->tftp_port_min)) ||
	    nla_put_u16(skb, PXE_A_LIMIT_TFTP_PORT_MAX,
			READ_ONCE(l->tftp_port_max)))
		return -EMSGSIZE;
	return 0;
}

static int fill_usage(struct sk_buff *skb, struct pxe_net *pn)
{
	if (nla_put_u64_64bit(skb, PXE_A_IMAGE_MEMORY_USED,
			      pxe_image_memory_used(pn), PXE_A_PAD) ||
	    nla_put_u32(skb, PXE_A_TFTP_SESSIONS_ACTIVE,
			pxe_tftp_sessions_active(pn)))
		return -EMSGSIZE;
	return 0;
}

static int fill_stats(struct sk_buff *skb, struct pxe_net *pn)
{
	struct nlattr *nest;
	int stat;

	nest = nla_nest_start(skb, PXE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (stat = PXE_STAT_UNSPEC + 1; stat <= PXE_STAT_MAX; stat++)
		if (nla_put_u64_64bit(skb, stat, pxe_stat_read(pn, stat),
				      PXE_STAT_UNSPEC)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	nla_nest_end(skb, nest);
	return 0;
}

/* Answers a GET with the attributes @fill puts. */
static int reply_with(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *skb, struct pxe_net *pn))
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pxe_family, 0, cmd);
	if (!hdr || fill(msg, pn) || fill_usage(msg, pn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int pxe_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, PXE_CMD_STATS_GET, fill_stats);
}

int pxe_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, PXE_CMD_LIMITS_GET, fill_limits);
}

/*
 * A namespace owned by another user namespace than the initial one stays
 * under the host's ceilings (module parameters), unless the initial
 * namespace's CAP_NET_ADMIN asks: a container's root cannot take the
 * host's memory.
 */
static int limits_check_ceilings(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (genl_info_net(info)->user_ns == &init_user_ns ||
	    netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	if (a[PXE_A_LIMIT_IMAGE_MEMORY] &&
	    nla_get_u64(a[PXE_A_LIMIT_IMAGE_MEMORY]) >
	    READ_ONCE(pxe_max_image_memory)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LIMIT_IMAGE_MEMORY],
				    "image memory is above the host's ceiling, module parameter pxe.max_image_memory (/sys/module/pxe/parameters/max_image_memory)");
		return -EPERM;
	}
	if (a[PXE_A_LIMIT_TFTP_SESSIONS] &&
	    nla_get_u32(a[PXE_A_LIMIT_TFTP_SESSIONS]) >
	    READ_ONCE(pxe_max_tftp_sessions)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LIMIT_TFTP_SESSIONS],
				    "TFTP sessions are above the host's ceiling, module parameter pxe.max_tftp_sessions (/sys/module/pxe/parameters/max_tftp_sessions)");
		return -EPERM;
	}
	if (a[PXE_A_LIMIT_TFTP_PER_CLIENT] &&
	    nla_get_u32(a[PXE_A_LIMIT_TFTP_PER_CLIENT]) >
	    READ_ONCE(pxe_max_tftp_sessions)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[PXE_A_LIMIT_TFTP_PER_CLIENT],
				    "TFTP sessions per client are above the host's ceiling, module parameter pxe.max_tftp_sessions (/sys/module/pxe/parameters/max_tftp_sessions)");
		return -EPERM;
	}
	return 0;
}

int pxe_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_limits *l = &pn->limits;
	struct nlattr **a = info->attrs;
	u16 port_min, port_max;
	int err;

	err = limits_check_ceilings(skb, info);
	if (err)
		return err;
	mutex_lock(&pn->lock);
	port_min = a[PXE_A_LIMIT_TFTP_PORT_MIN] ?
		   nla_get_u16(a[PXE_A_LIMIT_TFTP_PORT_MIN]) : l->tftp_port_min;
	port_max = a[PXE_A_LIMIT_TFTP_PORT_MAX] ?
		   nla_get_u16(a[PXE_A_LIMIT_TFTP_PORT_MAX]) : l->tftp_port_max;
	if (port_min > port_max) {
		mutex_unlock(&pn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[PXE_A_LIMIT_TFTP_PORT_MIN] ?:
				    a[PXE_A_LIMIT_TFTP_PORT_MAX],
				    "TFTP port range is empty: its low port is above its high port");
		return -EINVAL;
	}
	/* Both halves at once: the packet path reads them apart. */
	WRITE_ONCE(l->tftp_port_min, port_min);
	WRITE_ONCE(l->tftp_port_max, port_max);
	if (a[PXE_A_LIMIT_IMAGE_MEMORY])
		WRITE_ONCE(l->image_memory,
			   nla_get_u64(a[PXE_A_LIMIT_IMAGE_MEMORY]));
	if (a[PXE_A_LIMIT_TFTP_SESSIONS])
		WRITE_ONCE(l->tftp_sessions,
			   nla_get_u32(a[PXE_A_LIMIT_TFTP_SESSIONS]));
	if (a[PXE_A_LIMIT_TFTP_PER_CLIENT])
		WRITE_ONCE(l->tftp_per_client,
			   nla_get_u32(a[PXE_A_LIMIT_TFTP_PER_CLIENT]));
	if (a[PXE_A_LIMIT_TFTP_BLKSIZE])
		WRITE_ONCE(l->tftp_blksize,
			   nla_get_u32(a[PXE_A_LIMIT_TFTP_BLKSIZE]));
	if (a[PXE_A_LIMIT_TFTP_WINDOWSIZE])
		WRITE_ONCE(l->tftp_windowsize,
			   nla_get_u32(a[PXE_A_LIMIT_TFTP_WINDOWSIZE]));
	mutex_unlock(&pn->lock);
	return 0;
}

struct genl_family pxe_family __ro_after_init = {
	.name = PXE_GENL_NAME,
	.version = PXE_GENL_VERSION,
	/*
	 * The generated policy ends at the last attribute a request may carry
	 * (PXE_A_MAX today); a larger maxattr would read past it.
	 */
	.maxattr = ARRAY_SIZE(pxe_nl_policy) - 1,
	.policy = pxe_nl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = pxe_nl_ops,
	.n_small_ops = ARRAY_SIZE(pxe_nl_ops),
	.mcgrps = pxe_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pxe_mcgrps),
};

int __init pxe_netlink_register(void)
{
	return genl_register_family(&pxe_family);
}

void pxe_netlink_unregister(void)
{
	genl_unregister_family(&pxe_family);
}
