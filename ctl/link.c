// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl link": the PXE service attached to a network device.
 *
 *	link add dev IFNAME [server ADDR] [ra]
 *	link del dev IFNAME
 *	link show [dev IFNAME]
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

/* "link add" and "link del": a request that names the device. */
static int link_change(const char *command, uint8_t cmd, const char *ifname,
		       const struct in_addr *server, bool ra)
{
	char what[32 + IFNAMSIZ];
	struct nl_msg *msg;
	int err;

	snprintf(what, sizeof(what), "link %s dev %s", command, ifname);
	msg = pxe_msg_new(cmd, 0);
	if (!msg)
		return 1;

	/* The kernel resolves the name in the namespace of our socket. */
	err = nla_put_string(msg, PXE_A_IFNAME, ifname);
	if (!err && server)
		err = nla_put_u32(msg, PXE_A_LINK_SERVER, server->s_addr);
	if (!err && ra)
		err = nla_put_flag(msg, PXE_A_LINK_RA);
	if (err) {
		pxe_msg_abort(what, msg, err);
		return 1;
	}
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int link_add(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "dev", .meta = "IFNAME", .required = true },
		{ .name = "server", .meta = "ADDR" },
		{ .name = "ra", .flag = true },
		{}
	};
	const char *ifname, *server;
	struct in_addr addr;

	if (parse_keywords("link add", argc - 1, argv + 1, keywords))
		return 1;
	ifname = keywords[0].value;
	server = keywords[1].value;
	if (check_ifname("link add", ifname))
		return 1;
	if (server && inet_pton(AF_INET, server, &addr) != 1) {
		pxe_error("link add", "invalid server address '%s'", server);
		return 1;
	}
	return link_change("add", PXE_CMD_LINK_NEW, ifname,
			   server ? &addr : NULL, keywords[2].value);
}

static int link_del(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "dev", .meta = "IFNAME", .required = true },
		{}
	};

	if (parse_keywords("link del", argc - 1, argv + 1, keywords) ||
	    check_ifname("link del", keywords[0].value))
		return 1;
	return link_change("del", PXE_CMD_LINK_DEL, keywords[0].value, NULL,
			   false);
}

struct link_filter {
	const char *what;
	const char *ifname;	/* only this device, or NULL for all */
	unsigned int shown;
};

static int link_print(struct nlattr **attrs, void *arg)
{
	struct link_filter *filter = arg;
	const char *ifname;

	if (!attrs[PXE_A_IFNAME] || !attrs[PXE_A_IFINDEX]) {
		pxe_error(filter->what, "kernel reply names no device (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	ifname = nla_get_string(attrs[PXE_A_IFNAME]);
	if (filter->ifname && strcmp(ifname, filter->ifname))
		return 0;

	output_row_begin();
	output_str("dev", ifname);
	output_u64("ifindex", nla_get_u32(attrs[PXE_A_IFINDEX]));
	if (attrs[PXE_A_LINK_SERVER])
		output_ipv4("server", nla_get_u32(attrs[PXE_A_LINK_SERVER]));
	if (attrs[PXE_A_LINK_RX_PACKETS])
		output_u64("rx_packets",
			   nla_get_u64(attrs[PXE_A_LINK_RX_PACKETS]));
	output_bool("ra", !!attrs[PXE_A_LINK_RA]);
	output_row_end();
	filter->shown++;
	return 0;
}

/* Also "link" alone. */
static int link_show(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "dev", .meta = "IFNAME" },
		{}
	};
	struct link_filter filter = { .what = "link show" };
	char what[32 + IFNAMSIZ];
	struct nl_msg *msg;

	if (parse_keywords("link show", argc - 1, argv + 1, keywords))
		return 1;
	filter.ifname = keywords[0].value;
	if (filter.ifname) {
		if (check_ifname("link show", filter.ifname))
			return 1;
		snprintf(what, sizeof(what), "link show dev %s", filter.ifname);
		filter.what = what;
	}

	msg = pxe_msg_new(PXE_CMD_LINK_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request(filter.what, msg, link_print, &filter)) {
		output_list_discard();
		return 1;
	}
	if (filter.ifname && !filter.shown) {
		output_list_discard();
		pxe_error(filter.what, "no pxe link on this device");
		return 1;
	}
	output_list_end();
	return 0;
}

static int link_help(int argc, char *argv[]);

static const struct command link_commands[] = {
	{ "add",	link_add,	"dev IFNAME [server ADDR] [ra]" },
	{ "del",	link_del,	"dev IFNAME" },
	{ "delete",	link_del,	NULL },
	{ "show",	link_show,	"[dev IFNAME]" },
	{ "list",	link_show,	NULL },
	{ "help",	link_help,	"" },
	{}
};

static int link_help(int argc, char *argv[])
{
	usage_commands(stdout, "link", link_commands);
	printf("\n"
	       "A link attaches the PXE service (DHCP and TFTP) to the network\n"
	       "interface IFNAME, in the network namespace pxectl runs in.\n"
	       "ADDR is the IPv4 address the service answers from and names as\n"
	       "DHCP server and TFTP server; it defaults to the interface's\n"
	       "first IPv4 address.  On a router, attach the bridge or VLAN\n"
	       "device that faces the clients.\n");
	return 0;
}

int link_main(int argc, char *argv[])
{
	if (argc < 2)
		return link_show(argc, argv);
	return run_command(link_commands, "link", argc - 1, argv + 1);
}
