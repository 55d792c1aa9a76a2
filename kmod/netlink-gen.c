// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/pxe.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/pxe.h>

/* Integer value ranges */
static const struct netlink_range_validation pxe_a_limit_tftp_blksize_range = {
	.min	= 512ULL,
	.max	= 65464ULL,
};

static const struct netlink_range_validation pxe_a_limit_tftp_windowsize_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

/* Global operation policy for pxe */
const struct nla_policy pxe_nl_policy[PXE_A_HOST_ADDR6 + 1] = {
	[PXE_A_IFINDEX] = { .type = NLA_U32, },
	[PXE_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[PXE_A_LINK_SERVER] = { .type = NLA_BE32, },
	[PXE_A_POOL_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PXE_A_POOL_START] = { .type = NLA_BE32, },
	[PXE_A_POOL_END] = { .type = NLA_BE32, },
	[PXE_A_POOL_NETMASK] = { .type = NLA_BE32, },
	[PXE_A_POOL_ROUTER] = { .type = NLA_BE32, },
	[PXE_A_POOL_DNS] = { .type = NLA_BINARY, .len = 32, },
	[PXE_A_POOL_DOMAIN] = { .type = NLA_NUL_STRING, .len = 255, },
	[PXE_A_POOL_LEASE_TIME] = NLA_POLICY_MIN(NLA_U32, 1),
	[PXE_A_POOL_PROXY] = { .type = NLA_FLAG, },
	[PXE_A_HOST_MAC] = NLA_POLICY_EXACT_LEN(6),
	[PXE_A_HOST_ADDR] = { .type = NLA_BE32, },
	[PXE_A_HOST_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PXE_A_BOOT_ID] = { .type = NLA_U32, },
	[PXE_A_BOOT_ARCH] = { .type = NLA_U16, },
	[PXE_A_BOOT_VENDOR] = { .type = NLA_NUL_STRING, .len = 31, },
	[PXE_A_BOOT_USER_CLASS] = { .type = NLA_NUL_STRING, .len = 31, },
	[PXE_A_BOOT_MAC] = NLA_POLICY_EXACT_LEN(6),
	[PXE_A_BOOT_MAC_LEN] = NLA_POLICY_MAX(NLA_U8, 48),
	[PXE_A_BOOT_POOL] = { .type = NLA_NUL_STRING, .len = 31, },
	[PXE_A_BOOT_FILE] = { .type = NLA_NUL_STRING, .len = 255, },
	[PXE_A_BOOT_SERVER] = { .type = NLA_BE32, },
	[PXE_A_BOOT_PRIO] = { .type = NLA_U32, },
	[PXE_A_LEASE_MAC] = NLA_POLICY_EXACT_LEN(6),
	[PXE_A_LEASE_ADDR] = { .type = NLA_BE32, },
	[PXE_A_LEASE_EXPIRES] = { .type = NLA_U32, },
	[PXE_A_LEASE_CLIENT_ID] = { .type = NLA_BINARY, .len = 255, },
	[PXE_A_LEASE_HOSTNAME] = { .type = NLA_NUL_STRING, .len = 255, },
	[PXE_A_IMAGE_NAME] = { .type = NLA_NUL_STRING, .len = 255, },
	[PXE_A_IMAGE_SIZE] = { .type = NLA_U64, },
	[PXE_A_IMAGE_UPLOAD] = { .type = NLA_U32, },
	[PXE_A_IMAGE_OFFSET] = { .type = NLA_U64, },
	[PXE_A_IMAGE_DATA] = { .type = NLA_BINARY, .len = PXE_IMAGE_CHUNK_MAX, },
	[PXE_A_IMAGE_SHA256] = NLA_POLICY_EXACT_LEN(32),
	[PXE_A_LIMIT_IMAGE_MEMORY] = { .type = NLA_U64, },
	[PXE_A_LIMIT_TFTP_SESSIONS] = NLA_POLICY_MIN(NLA_U32, 1),
	[PXE_A_LIMIT_TFTP_PER_CLIENT] = NLA_POLICY_MIN(NLA_U32, 1),
	[PXE_A_LIMIT_TFTP_BLKSIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &pxe_a_limit_tftp_blksize_range),
	[PXE_A_LIMIT_TFTP_WINDOWSIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &pxe_a_limit_tftp_windowsize_range),
	[PXE_A_LIMIT_TFTP_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1024),
	[PXE_A_LIMIT_TFTP_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1024),
	[PXE_A_BOOT_ARCH_ALT] = { .type = NLA_U16, },
	[PXE_A_IMAGE_STAGE] = { .type = NLA_FLAG, },
	[PXE_A_POOL_START6] = NLA_POLICY_EXACT_LEN(16),
	[PXE_A_POOL_END6] = NLA_POLICY_EXACT_LEN(16),
	[PXE_A_POOL_DNS6] = { .type = NLA_BINARY, .len = 64, },
	[PXE_A_LEASE_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[PXE_A_LEASE_DUID] = NLA_POLICY_RANGE(NLA_BINARY, 3, 130),
	[PXE_A_LEASE_IAID] = { .type = NLA_U32, },
	[PXE_A_LINK_RA] = { .type = NLA_FLAG, },
	[PXE_A_HOST_ADDR6] = NLA_POLICY_EXACT_LEN(16),
};

/* Ops table for pxe */
const struct genl_small_ops pxe_nl_ops[26] = {
	{
		.cmd	= PXE_CMD_LINK_NEW,
		.doit	= pxe_nl_link_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_LINK_DEL,
		.doit	= pxe_nl_link_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_LINK_GET,
		.doit	= pxe_nl_link_get_doit,
		.dumpit	= pxe_nl_link_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_POOL_NEW,
		.doit	= pxe_nl_pool_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_POOL_DEL,
		.doit	= pxe_nl_pool_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_POOL_GET,
		.doit	= pxe_nl_pool_get_doit,
		.dumpit	= pxe_nl_pool_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_HOST_NEW,
		.doit	= pxe_nl_host_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_HOST_DEL,
		.doit	= pxe_nl_host_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_HOST_GET,
		.dumpit	= pxe_nl_host_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_BOOT_NEW,
		.doit	= pxe_nl_boot_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_BOOT_DEL,
		.doit	= pxe_nl_boot_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_BOOT_GET,
		.dumpit	= pxe_nl_boot_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_LEASE_NEW,
		.doit	= pxe_nl_lease_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_LEASE_DEL,
		.doit	= pxe_nl_lease_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_LEASE_GET,
		.dumpit	= pxe_nl_lease_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_LEASE_FLUSH,
		.doit	= pxe_nl_lease_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_NEW,
		.doit	= pxe_nl_image_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_WRITE,
		.doit	= pxe_nl_image_write_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_COMMIT,
		.doit	= pxe_nl_image_commit_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_ABORT,
		.doit	= pxe_nl_image_abort_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_DEL,
		.doit	= pxe_nl_image_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_IMAGE_GET,
		.doit	= pxe_nl_image_get_doit,
		.dumpit	= pxe_nl_image_get_dumpit,
	},
	{
		.cmd	= PXE_CMD_STATS_GET,
		.doit	= pxe_nl_stats_get_doit,
	},
	{
		.cmd	= PXE_CMD_LIMITS_SET,
		.doit	= pxe_nl_limits_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PXE_CMD_LIMITS_GET,
		.doit	= pxe_nl_limits_get_doit,
	},
	{
		.cmd	= PXE_CMD_IMAGE_PUBLISH,
		.doit	= pxe_nl_image_publish_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pxe_nl_mcgrps[] = {
	[PXE_NLGRP_MONITOR] = { "monitor", },
};
