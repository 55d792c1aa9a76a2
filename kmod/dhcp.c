// SPDX-License-Identifier: GPL-2.0
/* pxe: the DHCP server -- placeholder until the DHCP issue lands. */
#include "pxe.h"

int pxe_dhcp_net_init(struct pxe_net *pn)
{
	return 0;
}

void pxe_dhcp_net_exit(struct pxe_net *pn)
{
}

void pxe_dhcp_link_gone(struct pxe_link *link)
{
}

bool pxe_dhcp_rcv(const struct pxe_rx *rx)
{
	return false;
}

int pxe_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int pxe_nl_host_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_host_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int pxe_nl_boot_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_boot_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_boot_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int pxe_nl_lease_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_lease_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_lease_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

int pxe_nl_lease_flush(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
