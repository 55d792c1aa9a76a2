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

/*
 * Host-wide ceilings on the limits a namespace owned by another user
 * namespace than the initial one may set (docs/security.md).  Only the
 * initial namespace's CAP_NET_ADMIN goes above them: writing the parameters
 * in /sys/module/pxe/parameters/, or setting a namespace's limits.
 */
unsigned long long pxe_max_image_memory __read_mostly = PXE_MAX_IMAGE_MEMORY;
module_param_named(max_image_memory, pxe_max_image_memory, ullong, 0644);
MODULE_PARM_DESC(max_image_memory,
		 "Most image memory, in bytes, a namespace owned by a user namespace may allow itself");

unsigned int pxe_max_tftp_sessions __read_mostly = PXE_MAX_TFTP_SESSIONS;
module_param_named(max_tftp_sessions, pxe_max_tftp_sessions, uint, 0644);
MODULE_PARM_DESC(max_tftp_sessions,
		 "Most TFTP sessions a namespace owned by a user namespace may allow itself");

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
	/* A container starts under the ceilings, whatever they are now. */
	if (net->user_ns != &init_user_ns) {
		struct pxe_limits *l = &pn->limits;

		l->image_memory = min_t(u64, l->image_memory,
					READ_ONCE(pxe_max_image_memory));
		l->tftp_sessions = min_t(u32, l->tftp_sessions,
					 READ_ONCE(pxe_max_tftp_sessions));
		l->tftp_per_client = min(l->tftp_per_client, l->tftp_sessions);
	}

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
	/* The namespace was never visible: no reader to wait for. */
	pxe_dhcp_net_exit(pn);
	pxe_dhcp_net_free(pn);
err_dhcp:
	/* Nothing was uploaded yet: no RCU callback to wait for. */
	pxe_image_net_exit(pn);
	pxe_image_net_free(pn);
err_image:
	pxe_stats_exit(pn);
err_stats:
	mutex_destroy(&pn->lock);
	return err;
}

/*
 * Devices leave a dying namespace before its subsystems exit, and the
 * notifier takes their links along, so this normally finds nothing left.
 * Everything is ended here but the memory RCU readers and callbacks may
 * still touch: pxe_net_exit_batch() frees it after one grace period and
 * one rcu_barrier() for the whole batch of dying namespaces, not one per
 * namespace.
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

	/* Sessions hold images: they go first. */
	pxe_tftp_net_exit(pn);
	pxe_dhcp_net_exit(pn);
	pxe_image_net_exit(pn);
}

/* After every namespace of the batch went through pxe_net_exit(). */
static void __net_exit pxe_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;

	/*
	 * One grace period for the DHCP configuration readers (rcu_barrier()
	 * alone need not wait for one), then the sessions' and images' RCU
	 * frees: all namespaces of the batch at once.
	 */
	synchronize_rcu();
	rcu_barrier();
	list_for_each_entry(net, net_exit_list, exit_list) {
		struct pxe_net *pn = pxe_net(net);

		pxe_dhcp_net_free(pn);
		pxe_tftp_net_free(pn);
		pxe_image_net_free(pn);
		pxe_stats_exit(pn);
		mutex_destroy(&pn->lock);
	}
}

static struct pernet_operations pxe_net_ops = {
	.init = pxe_net_init,
	.exit = pxe_net_exit,
	.exit_batch = pxe_net_exit_batch,
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
