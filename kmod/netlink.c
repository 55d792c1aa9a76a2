// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the "pxe" generic netlink family -- policies, handlers, dumps and
 * monitor notifications.  Every request acts on the namespace of the socket
 * it arrived on; every rejection says why in the extended ack.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/pxe.h>

#include "compat.h"
#include "pxe.h"

static const struct nla_policy pxe_policy[PXE_A_MAX + 1] = {
	[PXE_A_IFINDEX]		= { .type = NLA_U32 },
	[PXE_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[PXE_A_LINK_SERVER]	= { .type = NLA_BE32 },
};

enum pxe_mcgrp {
	PXE_MCGRP_MONITOR_ID,
};

static const struct genl_multicast_group pxe_mcgrps[] = {
	[PXE_MCGRP_MONITOR_ID] = { .name = PXE_MCGRP_MONITOR },
};

static struct genl_family pxe_family;

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
			      pxe_link_rx_packets(link), PXE_A_PAD)) {
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
	if (!skb)
		return;
	if (fill_link(skb, link, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&pxe_family, link->pn->net, skb, 0,
				PXE_MCGRP_MONITOR_ID, GFP_KERNEL);
}

/* The device a request names, by index or by name, in the caller's netns. */
static struct net_device *request_dev(struct genl_info *info)
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
static struct pxe_link *request_link(struct pxe_net *pn, struct genl_info *info)
{
	struct net_device *dev = request_dev(info);
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

static int pxe_nl_link_new(struct sk_buff *skb, struct genl_info *info)
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
	dev = request_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = pxe_link_add(pn, dev, server, info->extack);
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	return err;
}

static int pxe_nl_link_del(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_link *link;
	int err = 0;

	rtnl_lock();
	mutex_lock(&pn->lock);
	link = request_link(pn, info);
	if (IS_ERR(link))
		err = PTR_ERR(link);
	else
		pxe_link_del(link);
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	return err;
}

static int pxe_nl_link_get(struct sk_buff *skb, struct genl_info *info)
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
	link = request_link(pn, info);
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
static int pxe_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
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

static const struct genl_ops pxe_ops[] = {
	{
		.cmd = PXE_CMD_LINK_NEW,
		.doit = pxe_nl_link_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PXE_CMD_LINK_DEL,
		.doit = pxe_nl_link_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PXE_CMD_LINK_GET,
		.doit = pxe_nl_link_get,
		.dumpit = pxe_nl_link_dump,
	},
};

static struct genl_family pxe_family __ro_after_init = {
	.name = PXE_GENL_NAME,
	.version = PXE_GENL_VERSION,
	.maxattr = PXE_A_MAX,
	.policy = pxe_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = pxe_ops,
	.n_ops = ARRAY_SIZE(pxe_ops),
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
