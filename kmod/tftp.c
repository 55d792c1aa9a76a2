// SPDX-License-Identifier: GPL-2.0
/* pxe: the TFTP server -- placeholder until the TFTP issue lands. */
#include "pxe.h"

int pxe_tftp_net_init(struct pxe_net *pn)
{
	return 0;
}

void pxe_tftp_net_exit(struct pxe_net *pn)
{
}

void pxe_tftp_link_gone(struct pxe_link *link)
{
}

bool pxe_tftp_rcv(const struct pxe_rx *rx)
{
	return false;
}

u32 pxe_tftp_sessions_active(struct pxe_net *pn)
{
	return 0;
}
