// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: in-kernel PXE boot server -- module init and exit, per-namespace state.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "pxe.h"

static unsigned int pxe_net_id __read_mostly;

struct pxe_net *pxe_net(const struct net *net)
{
	return net_generic(net, pxe_net_id);
}

static int __net_init pxe_net_init(struct net *net)
{
	struct pxe_net *pn = pxe_net(net);

	int err;

	pn->net = net;
	mutex_init(&pn->lock);
	INIT_LIST_HEAD(&pn->links);
	pn->limits = (struct pxe_limits) {
		.image_memory = PXE_DEFAULT_IMAGE_MEMORY,
		.tftp_sessions = PXE_DEFAULT_TFTP_SESSIONS,
		.tftp_per_client = PXE_DEFAULT_TFTP_PER_CLIENT,
		.tftp_blksize = PXE_DEFAULT_TFTP_BLKSIZE,
		.tftp_windowsize = PXE_DEFAULT_TFTP_WINDOWSIZE,
	};

	err = pxe_stats_init(pn);
	if (err)
		goto err_stats;
	err = pxe_image_net_init(pn);
	if (err)
		goto err_image;
	err = pxe_dhcp_net_init(pn);
	if (err)
		goto err_dhcp;
	err = pxe_tftp_net_init(pn);
	if (err)
		goto err_tftp;
	return 0;

err_tftp:
	pxe_dhcp_net_exit(pn);
err_dhcp:
	pxe_image_net_exit(pn);
err_image:
	pxe_stats_exit(pn);
err_stats:
	mutex_destroy(&pn->lock);
	return err;
}

/*
 * Devices leave a dying namespace before its subsystems exit, and the
 * notifier takes their links along, so this normally finds nothing left.
 */
static void __net_exit pxe_net_exit(struct net *net)
{
	struct pxe_net *pn = pxe_net(net);

	rtnl_lock();
	mutex_lock(&pn->lock);
	WARN_ON_ONCE(!list_empty(&pn->links));
	pxe_link_flush(pn);
	mutex_unlock(&pn->lock);
	rtnl_unlock();

	/* Sessions hold images: they go first, and wait for their frees. */
	pxe_tftp_net_exit(pn);
	pxe_dhcp_net_exit(pn);
	pxe_image_net_exit(pn);
	pxe_stats_exit(pn);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pxe_net_ops = {
	.init = pxe_net_init,
	.exit = pxe_net_exit,
	.id = &pxe_net_id,
	.size = sizeof(struct pxe_net),
};

static int __init pxe_init(void)
{
	int err;

	err = register_pernet_subsys(&pxe_net_ops);
	if (err)
		goto err_pernet;
	err = pxe_link_notifier_register();
	if (err)
		goto err_notifier;
	/* Last: once the family exists, requests can arrive. */
	err = pxe_netlink_register();
	if (err)
		goto err_netlink;

	pr_info("PXE boot server loaded\n");
	return 0;

err_netlink:
	pxe_link_notifier_unregister();
err_notifier:
	unregister_pernet_subsys(&pxe_net_ops);
err_pernet:
	return err;
}

static void __exit pxe_exit(void)
{
	pxe_netlink_unregister();
	/* Replays NETDEV_UNREGISTER for every device: detaches every link. */
	pxe_link_notifier_unregister();
	unregister_pernet_subsys(&pxe_net_ops);
	/* Wait for the links' call_rcu() frees before our code goes away. */
	rcu_barrier();
}

module_init(pxe_init);
module_exit(pxe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel PXE boot server: DHCP and TFTP in softirq");
MODULE_ALIAS_GENL_FAMILY("pxe");
