/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * pxe: in-kernel PXE boot server -- the generic netlink contract.
 *
 * This header is the one definition of the "pxe" family shared by the module
 * (kmod/), pxectl (ctl/) and the tests.  docs/netlink/pxe.yaml describes the
 * same family as a YNL spec; change both together.
 *
 * All state is per network namespace: a request acts on the namespace of the
 * socket it arrives on.  Commands that change state need CAP_NET_ADMIN in the
 * user namespace owning that network namespace.
 */
#ifndef _UAPI_LINUX_PXE_H
#define _UAPI_LINUX_PXE_H

#define PXE_GENL_NAME		"pxe"
#define PXE_GENL_VERSION	1
#define PXE_MCGRP_MONITOR	"monitor"

enum pxe_cmd {
	PXE_CMD_UNSPEC,

	/*
	 * link: the service attached to one network device.
	 *
	 * LINK_NEW   needs IFINDEX or IFNAME; LINK_SERVER is optional and
	 *            defaults to the device's first IPv4 address.
	 * LINK_DEL   needs IFINDEX or IFNAME.
	 * LINK_GET   dump: every link of the namespace; do: the one named.
	 *
	 * LINK_ADD_NTF, LINK_DEL_NTF: sent to the monitor group when a link
	 * appears or goes away (by request, or with its device); the
	 * attributes are those of a LINK_GET reply.
	 */
	PXE_CMD_LINK_NEW,
	PXE_CMD_LINK_DEL,
	PXE_CMD_LINK_GET,
	PXE_CMD_LINK_ADD_NTF,
	PXE_CMD_LINK_DEL_NTF,

	__PXE_CMD_MAX
};

#define PXE_CMD_MAX (__PXE_CMD_MAX - 1)

enum pxe_attr {
	PXE_A_UNSPEC,
	PXE_A_PAD,

	PXE_A_IFINDEX,		/* u32 */
	PXE_A_IFNAME,		/* string, < IFNAMSIZ */

	PXE_A_LINK_SERVER,	/* u32, IPv4 address in network byte order */
	PXE_A_LINK_RX_PACKETS,	/* u64, packets seen by the ingress hook */

	__PXE_A_MAX
};

#define PXE_A_MAX (__PXE_A_MAX - 1)

#endif /* _UAPI_LINUX_PXE_H */
