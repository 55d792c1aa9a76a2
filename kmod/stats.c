// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the counters of a namespace, one set per cpu.  Writers add to their
 * own cpu's set from any context; readers sum the sets.
 */
#include <linux/percpu.h>

#include "pxe.h"

int pxe_stats_init(struct pxe_net *pn)
{
	pn->stats = alloc_percpu_gfp(struct pxe_stats, GFP_KERNEL_ACCOUNT);
	return pn->stats ? 0 : -ENOMEM;
}

void pxe_stats_exit(struct pxe_net *pn)
{
	free_percpu(pn->stats);
	pn->stats = NULL;
}

/*
 * A 64-bit counter read while another cpu adds to it is exact on 64-bit
 * machines; on 32-bit ones a read may tear across a carry, which a counter
 * shown to a human can afford.
 */
u64 pxe_stat_read(struct pxe_net *pn, enum pxe_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(pn->stats, cpu)->count[stat]);
	return sum;
}
