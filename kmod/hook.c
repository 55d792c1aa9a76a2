// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the ingress hook of an attached device.  Runs in softirq for every
 * packet the device receives; anything we do not own goes on untouched.
 */
#include "pxe.h"

unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct pxe_link *link = priv;
	struct pxe_link_stats *stats = this_cpu_ptr(link->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_update_end(&stats->syncp);

	return NF_ACCEPT;
}
