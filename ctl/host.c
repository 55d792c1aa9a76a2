// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl host": reservations, a fixed address (IPv4, IPv6 or both, and
 * a name) for one MAC.
 *
 *	host add MAC [ip ADDR] [ip6 ADDR6] [name HOSTNAME]	(ip, ip6 or both)
 *	host del MAC
 *	host show
 */
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

#define WHAT_MAX 48

static int host_add(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "ip", .meta = "ADDR" },
		{ .name = "name", .meta = "HOSTNAME" },
		{ .name = "ip6", .meta = "ADDR6" },
		{}
	};
	const char *ip, *ip6, *hostname;
	char what[WHAT_MAX];
	struct nl_msg *msg;
	uint8_t addr6[16];
	uint32_t addr;
	uint8_t mac[6];

	if (argc < 2) {
		pxe_error("host add", "missing MAC");
		return 1;
	}
	snprintf(what, sizeof(what), "host add %.20s", argv[1]);
	if (parse_mac("host add", "MAC", argv[1], mac, NULL) ||
	    parse_keywords(what, argc - 2, argv + 2, keywords))
		return 1;
	ip = keywords[0].value;
	hostname = keywords[1].value;
	ip6 = keywords[2].value;
	if (!ip && !ip6) {
		pxe_error(what, "missing argument 'ip ADDR' or 'ip6 ADDR6'");
		return 1;
	}
	if ((ip && parse_ipv4(what, "ip", ip, &addr)) ||
	    (ip6 && parse_ipv6(what, "ip6", ip6, addr6)))
		return 1;
	if (hostname && (!*hostname || strlen(hostname) >= PXE_NAME_MAX)) {
		pxe_error(what, "invalid name '%s' (1 to %d characters)",
			  hostname, PXE_NAME_MAX - 1);
		return 1;
	}

	msg = pxe_msg_new(PXE_CMD_HOST_NEW, 0);
	if (!msg)
		return 1;
	if (nla_put(msg, PXE_A_HOST_MAC, 6, mac) ||
	    (ip && nla_put_u32(msg, PXE_A_HOST_ADDR, addr)) ||
	    (ip6 && nla_put(msg, PXE_A_HOST_ADDR6, 16, addr6)) ||
	    (hostname && nla_put_string(msg, PXE_A_HOST_NAME, hostname)))
		return pxe_msg_abort(what, msg, -NLE_NOMEM) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int host_del(int argc, char *argv[])
{
	char what[WHAT_MAX];
	struct nl_msg *msg;
	uint8_t mac[6];

	if (argc != 2) {
		pxe_error("host del", argc < 2 ? "missing MAC" :
			  "unexpected argument after the MAC");
		return 1;
	}
	snprintf(what, sizeof(what), "host del %.20s", argv[1]);
	if (parse_mac("host del", "MAC", argv[1], mac, NULL))
		return 1;
	msg = pxe_msg_new(PXE_CMD_HOST_DEL, 0);
	if (!msg)
		return 1;
	if (nla_put(msg, PXE_A_HOST_MAC, 6, mac))
		return pxe_msg_abort(what, msg, -NLE_NOMEM) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int host_print(struct nlattr **attrs, void *arg)
{
	struct nlattr *addr6 = attrs[PXE_A_HOST_ADDR6];

	if (!attrs[PXE_A_HOST_MAC] || nla_len(attrs[PXE_A_HOST_MAC]) != 6 ||
	    (!attrs[PXE_A_HOST_ADDR] && !addr6)) {
		pxe_error("host show", "kernel reply has no MAC or address (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	output_row_begin();
	output_mac("mac", nla_data(attrs[PXE_A_HOST_MAC]));
	if (attrs[PXE_A_HOST_ADDR])
		output_ipv4("ip", nla_get_u32(attrs[PXE_A_HOST_ADDR]));
	if (addr6)
		output_ipv6("ip6", nla_data(addr6));
	if (attrs[PXE_A_HOST_NAME])
		output_str("name", nla_get_string(attrs[PXE_A_HOST_NAME]));
	output_row_end();
	return 0;
}

/* Also "host" alone. */
static int host_show(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("host show", "unexpected argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_HOST_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request("host show", msg, host_print, NULL)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int host_help(int argc, char *argv[]);

static const struct command host_commands[] = {
	{ "add",	host_add,	"MAC [ip ADDR] [ip6 ADDR6] [name HOSTNAME]" },
	{ "del",	host_del,	"MAC" },
	{ "delete",	host_del,	NULL },
	{ "show",	host_show,	"" },
	{ "list",	host_show,	NULL },
	{ "help",	host_help,	"" },
	{}
};

static int host_help(int argc, char *argv[])
{
	usage_commands(stdout, "host", host_commands);
	printf("\n"
	       "A reservation gives the client with hardware address MAC always\n"
	       "the address ADDR, and HOSTNAME as its host name (option 12);\n"
	       "over DHCPv6, ADDR6 in its IA_NA, whatever its DUID (the MAC is\n"
	       "the frame's source, or a relay's option 79, or the DUID's).\n"
	       "It takes ip, ip6 or both.  ADDR must lie in the subnet of a\n"
	       "pool, ADDR6 in the /64 of an IPv6 pool; either may be outside\n"
	       "the pool's range.\n");
	return 0;
}

int host_main(int argc, char *argv[])
{
	if (argc < 2)
		return host_show(argc, argv);
	return run_command(host_commands, "host", argc - 1, argv + 1);
}
