// SPDX-License-Identifier: GPL-2.0
/* pxe: the image store -- placeholder until the TFTP issue lands. */
#include "pxe.h"

int pxe_image_net_init(struct pxe_net *pn)
{
	return 0;
}

void pxe_image_net_exit(struct pxe_net *pn)
{
}

struct pxe_image *pxe_image_get(struct pxe_net *pn, const char *name)
{
	return NULL;
}

void pxe_image_put(struct pxe_image *image)
{
}

u64 pxe_image_memory_used(struct pxe_net *pn)
{
	return 0;
}

int pxe_nl_image_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_write(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_commit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_abort(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_get(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int pxe_nl_image_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}
