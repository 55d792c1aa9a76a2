/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/pxe.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PXE_GEN_H
#define _LINUX_PXE_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/pxe.h>

/* Global operation policy for pxe */
extern const struct nla_policy pxe_nl_policy[PXE_A_HOST_ADDR6 + 1];

/* Ops table for pxe */
extern const struct genl_small_ops pxe_nl_ops[26];

int pxe_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_pool_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_pool_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_pool_get_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_pool_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_host_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_host_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_host_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_boot_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_boot_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_boot_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_lease_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_lease_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_lease_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_lease_flush_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_new_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_write_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_commit_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_abort_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_del_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_get_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxe_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info);
int pxe_nl_image_publish_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	PXE_NLGRP_MONITOR,
};

#endif /* _LINUX_PXE_GEN_H */
