// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl pool": the addresses the DHCP server hands out on a link, or a
 * proxyDHCP answerer that adds boot information to another server's offers.
 *
 *	pool add NAME dev IFNAME range START END [netmask MASK] [router ADDR]
 *		 [dns ADDR[,ADDR..]] [domain NAME] [lease SECONDS]
 *	pool add NAME dev IFNAME range6 START END [dns ADDR[,ADDR..]]
 *		 [lease SECONDS]
 *	pool add NAME dev IFNAME proxy
 *	pool del NAME
 *	pool show [NAME]
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

#define WHAT_MAX (32 + PXE_NAME_MAX)
#define DNS6_MAX 4	/* what one DHCPv6 reply carries (option 23) */

static int check_pool_name(const char *what, const char *name)
{
	if (!*name || strlen(name) >= PXE_NAME_MAX) {
		pxe_error(what, "invalid pool name '%s' (1 to %d characters)",
			  name, PXE_NAME_MAX - 1);
		return -1;
	}
	return 0;
}

/*
 * "ADDR[,ADDR..]" into @dns, at most @max addresses of @family, each 4 or
 * 16 bytes; returns how many, or -1.
 */
static int parse_dns(const char *what, const char *text, int family,
		     uint8_t *dns, int max)
{
	char copy[PXE_DNS_MAX * INET6_ADDRSTRLEN + 1], *word, *save = NULL;
	bool v6 = family == AF_INET6;
	uint32_t addr;
	int n = 0;

	if (strlen(text) >= sizeof(copy))
		goto invalid;
	strcpy(copy, text);
	for (word = strtok_r(copy, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		if (n == max)
			goto invalid;
		if (v6 ? parse_ipv6(what, "dns", word, dns + 16 * n) :
			 parse_ipv4(what, "dns", word, &addr))
			return -1;
		if (!v6)
			memcpy(dns + 4 * n, &addr, 4);
		n++;
	}
	if (n)
		return n;
invalid:
	pxe_error(what, "invalid dns '%s' (expected 1 to %d %s addresses separated by commas)",
		  text, max, v6 ? "IPv6" : "IPv4");
	return -1;
}

/*
 * "range START END" and "range6 START END" are the keywords with two
 * values: take @keyword out of argv so that parse_keywords() sees
 * "keyword VALUE" pairs only.
 */
static int take_range(const char *what, const char *keyword, int *argc,
		      char *argv[], const char **start, const char **end)
{
	int i, out = 0;

	*start = *end = NULL;
	for (i = 0; i < *argc; i++) {
		if (strcmp(argv[i], keyword)) {
			argv[out++] = argv[i];
			/* A value that happens to read "range". */
			if (i + 1 < *argc && strcmp(argv[i], "proxy"))
				argv[out++] = argv[++i];
			continue;
		}
		if (*start) {
			pxe_error(what, "'%s' given twice", keyword);
			return -1;
		}
		if (i + 2 >= *argc) {
			pxe_error(what, "'%s' needs START and END", keyword);
			return -1;
		}
		*start = argv[i + 1];
		*end = argv[i + 2];
		i += 2;
	}
	*argc = out;
	return 0;
}

enum { K_DEV, K_NETMASK, K_ROUTER, K_DNS, K_DOMAIN, K_LEASE, K_PROXY };

/* range6 START END and its DNS servers. */
static int put_range6(const char *what, struct nl_msg *msg,
		      const struct keyword *keywords,
		      const char *start, const char *end)
{
	uint8_t addr[16], dns[DNS6_MAX * 16];
	int n;

	if (parse_ipv6(what, "range6 start", start, addr) ||
	    nla_put(msg, PXE_A_POOL_START6, 16, addr) ||
	    parse_ipv6(what, "range6 end", end, addr) ||
	    nla_put(msg, PXE_A_POOL_END6, 16, addr))
		return -1;
	if (keywords[K_DNS].value) {
		n = parse_dns(what, keywords[K_DNS].value, AF_INET6, dns,
			      DNS6_MAX);
		if (n < 0 || nla_put(msg, PXE_A_POOL_DNS6, 16 * n, dns))
			return -1;
	}
	return 0;
}

static int put_addresses(const char *what, struct nl_msg *msg,
			 const struct keyword *keywords,
			 const char *start, const char *end, bool v6)
{
	static const struct { int keyword, attr; } addrs[] = {
		{ K_NETMASK, PXE_A_POOL_NETMASK },
		{ K_ROUTER, PXE_A_POOL_ROUTER },
	};
	uint32_t addr, dns[PXE_DNS_MAX], lease;
	size_t i;
	int n;

	if (v6 && put_range6(what, msg, keywords, start, end))
		return -1;
	if (start && !v6) {
		if (parse_ipv4(what, "range start", start, &addr) ||
		    nla_put_u32(msg, PXE_A_POOL_START, addr) ||
		    parse_ipv4(what, "range end", end, &addr) ||
		    nla_put_u32(msg, PXE_A_POOL_END, addr))
			return -1;
	}
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		const struct keyword *k = &keywords[addrs[i].keyword];

		if (k->value && (parse_ipv4(what, k->name, k->value, &addr) ||
				 nla_put_u32(msg, addrs[i].attr, addr)))
			return -1;
	}
	if (keywords[K_DNS].value && !v6) {
		n = parse_dns(what, keywords[K_DNS].value, AF_INET,
			      (uint8_t *)dns, PXE_DNS_MAX);
		if (n < 0 || nla_put(msg, PXE_A_POOL_DNS, 4 * n, dns))
			return -1;
	}
	if (keywords[K_DOMAIN].value &&
	    nla_put_string(msg, PXE_A_POOL_DOMAIN, keywords[K_DOMAIN].value))
		return -1;
	if (keywords[K_LEASE].value &&
	    (parse_u32(what, "lease", keywords[K_LEASE].value, 1, UINT32_MAX,
		       &lease) ||
	     nla_put_u32(msg, PXE_A_POOL_LEASE_TIME, lease)))
		return -1;
	if (keywords[K_PROXY].value && nla_put_flag(msg, PXE_A_POOL_PROXY))
		return -1;
	return 0;
}

/*
 * The values are checked into @attrs (a bare nl_msg) first, so that a typo
 * is reported even where the module is not loaded; then copied into the
 * request.  Frees @attrs.
 */
static struct nl_msg *request_with(uint8_t cmd, struct nl_msg *attrs)
{
	struct nlmsghdr *hdr = nlmsg_hdr(attrs);
	struct nl_msg *msg = pxe_msg_new(cmd, 0);

	if (msg && nlmsg_append(msg, nlmsg_data(hdr), nlmsg_datalen(hdr),
				NLMSG_ALIGNTO)) {
		pxe_msg_abort(NULL, msg, -NLE_NOMEM);
		msg = NULL;
	}
	nlmsg_free(attrs);
	return msg;
}

static int pool_add(int argc, char *argv[])
{
	struct keyword keywords[] = {
		[K_DEV] = { .name = "dev", .meta = "IFNAME", .required = true },
		[K_NETMASK] = { .name = "netmask", .meta = "MASK" },
		[K_ROUTER] = { .name = "router", .meta = "ADDR" },
		[K_DNS] = { .name = "dns", .meta = "ADDR[,ADDR..]" },
		[K_DOMAIN] = { .name = "domain", .meta = "NAME" },
		[K_LEASE] = { .name = "lease", .meta = "SECONDS" },
		[K_PROXY] = { .name = "proxy", .flag = true },
		{}
	};
	const char *name, *start, *end, *start6, *end6;
	struct nl_msg *attrs, *msg;
	char what[WHAT_MAX];

	if (argc < 2) {
		pxe_error("pool add", "missing pool NAME");
		return 1;
	}
	name = argv[1];
	snprintf(what, sizeof(what), "pool add %s", name);
	argc -= 2;
	argv += 2;
	if (check_pool_name("pool add", name) ||
	    take_range(what, "range", &argc, argv, &start, &end) ||
	    take_range(what, "range6", &argc, argv, &start6, &end6) ||
	    parse_keywords(what, argc, argv, keywords) ||
	    check_ifname(what, keywords[K_DEV].value))
		return 1;
	if (!start && !start6 && !keywords[K_PROXY].value) {
		pxe_error(what, "a pool needs 'range START END', 'range6 START END' or 'proxy'");
		return 1;
	}
	if (start && start6) {
		pxe_error(what, "a pool is either IPv4 ('range') or IPv6 ('range6'), not both");
		return 1;
	}
	if (start6) {
		start = start6;
		end = end6;
	}

	attrs = nlmsg_alloc();
	if (!attrs) {
		pxe_error(NULL, "out of memory");
		return 1;
	}
	if (nla_put_string(attrs, PXE_A_POOL_NAME, name) ||
	    nla_put_string(attrs, PXE_A_IFNAME, keywords[K_DEV].value) ||
	    put_addresses(what, attrs, keywords, start, end, start6)) {
		/* Parse errors are printed already; -NLE_NOMEM is all that is left. */
		nlmsg_free(attrs);
		return 1;
	}
	msg = request_with(PXE_CMD_POOL_NEW, attrs);
	if (!msg)
		return 1;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int pool_del(int argc, char *argv[])
{
	char what[WHAT_MAX];
	struct nl_msg *msg;

	if (argc != 2) {
		pxe_error("pool del", argc < 2 ? "missing pool NAME" :
			  "unexpected argument after the pool name");
		return 1;
	}
	snprintf(what, sizeof(what), "pool del %s", argv[1]);
	if (check_pool_name("pool del", argv[1]))
		return 1;
	msg = pxe_msg_new(PXE_CMD_POOL_DEL, 0);
	if (!msg)
		return 1;
	if (nla_put_string(msg, PXE_A_POOL_NAME, argv[1]))
		return pxe_msg_abort(what, msg, -NLE_NOMEM) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

struct pool_filter {
	const char *what;
	const char *name;	/* only this pool, or NULL for all */
	unsigned int shown;
};

static void print_dns(const struct nlattr *attr)
{
	char text[PXE_DNS_MAX * 16] = "", addr_text[INET_ADDRSTRLEN];
	const uint8_t *data = nla_data(attr);
	int i, n = nla_len(attr) / 4;
	struct in_addr addr;

	for (i = 0; i < n && i < PXE_DNS_MAX; i++) {
		memcpy(&addr.s_addr, data + 4 * i, 4);
		inet_ntop(AF_INET, &addr, addr_text, sizeof(addr_text));
		if (i)
			strcat(text, ",");
		strcat(text, addr_text);
	}
	output_str("dns", text);
}

/* An IPv6 pool: start6, end6 and dns6 (comma-separated). */
static void print_range6(struct nlattr **attrs)
{
	char text[DNS6_MAX * INET6_ADDRSTRLEN] = "", addr_text[INET6_ADDRSTRLEN];
	const struct nlattr *dns = attrs[PXE_A_POOL_DNS6];
	int i, n;

	if (attrs[PXE_A_POOL_START6] && nla_len(attrs[PXE_A_POOL_START6]) == 16)
		output_ipv6("start6", nla_data(attrs[PXE_A_POOL_START6]));
	if (attrs[PXE_A_POOL_END6] && nla_len(attrs[PXE_A_POOL_END6]) == 16)
		output_ipv6("end6", nla_data(attrs[PXE_A_POOL_END6]));
	if (!dns || nla_len(dns) < 16)
		return;
	n = nla_len(dns) / 16;
	for (i = 0; i < n && i < DNS6_MAX; i++) {
		inet_ntop(AF_INET6, (const uint8_t *)nla_data(dns) + 16 * i,
			  addr_text, sizeof(addr_text));
		if (i)
			strcat(text, ",");
		strcat(text, addr_text);
	}
	output_str("dns6", text);
}

static int pool_print(struct nlattr **attrs, void *arg)
{
	static const struct { int attr; const char *key; } addrs[] = {
		{ PXE_A_POOL_START, "start" },
		{ PXE_A_POOL_END, "end" },
		{ PXE_A_POOL_NETMASK, "netmask" },
		{ PXE_A_POOL_ROUTER, "router" },
	};
	struct pool_filter *filter = arg;
	const char *name;
	size_t i;

	if (!attrs[PXE_A_POOL_NAME]) {
		pxe_error(filter->what, "kernel reply names no pool (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	name = nla_get_string(attrs[PXE_A_POOL_NAME]);
	if (filter->name && strcmp(name, filter->name))
		return 0;

	output_row_begin();
	output_str("name", name);
	if (attrs[PXE_A_IFNAME])
		output_str("dev", nla_get_string(attrs[PXE_A_IFNAME]));
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		if (attrs[addrs[i].attr])
			output_ipv4(addrs[i].key,
				    nla_get_u32(attrs[addrs[i].attr]));
	if (attrs[PXE_A_POOL_DNS] && nla_len(attrs[PXE_A_POOL_DNS]) >= 4)
		print_dns(attrs[PXE_A_POOL_DNS]);
	print_range6(attrs);
	if (attrs[PXE_A_POOL_DOMAIN])
		output_str("domain", nla_get_string(attrs[PXE_A_POOL_DOMAIN]));
	if (attrs[PXE_A_POOL_LEASE_TIME])
		output_u64("lease", nla_get_u32(attrs[PXE_A_POOL_LEASE_TIME]));
	output_bool("proxy", !!attrs[PXE_A_POOL_PROXY]);
	if (attrs[PXE_A_POOL_SIZE])
		output_u64("size", nla_get_u32(attrs[PXE_A_POOL_SIZE]));
	if (attrs[PXE_A_POOL_USED])
		output_u64("used", nla_get_u32(attrs[PXE_A_POOL_USED]));
	output_row_end();
	filter->shown++;
	return 0;
}

/* Also "pool" alone. */
static int pool_show(int argc, char *argv[])
{
	struct pool_filter filter = { .what = "pool show" };
	char what[WHAT_MAX];
	struct nl_msg *msg;

	if (argc > 2) {
		pxe_error("pool show", "unexpected argument '%s'", argv[2]);
		return 1;
	}
	if (argc == 2) {
		if (check_pool_name("pool show", argv[1]))
			return 1;
		filter.name = argv[1];
		snprintf(what, sizeof(what), "pool show %s", filter.name);
		filter.what = what;
	}

	msg = pxe_msg_new(PXE_CMD_POOL_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request(filter.what, msg, pool_print, &filter)) {
		output_list_discard();
		return 1;
	}
	if (filter.name && !filter.shown) {
		output_list_discard();
		pxe_error(filter.what, "no such pool");
		return 1;
	}
	output_list_end();
	return 0;
}

static int pool_help(int argc, char *argv[]);

static const struct command pool_commands[] = {
	{ "add",	pool_add,	"NAME dev IFNAME range START END [netmask MASK] [router ADDR] "
					"[dns ADDR[,ADDR..]] [domain NAME] [lease SECONDS]" },
	{ "add",	pool_add,	"NAME dev IFNAME range6 START END [dns ADDR[,ADDR..]] [lease SECONDS]" },
	{ "add",	pool_add,	"NAME dev IFNAME proxy" },
	{ "del",	pool_del,	"NAME" },
	{ "delete",	pool_del,	NULL },
	{ "show",	pool_show,	"[NAME]" },
	{ "list",	pool_show,	NULL },
	{ "help",	pool_help,	"" },
	{}
};

static int pool_help(int argc, char *argv[])
{
	usage_commands(stdout, "pool", pool_commands);
	printf("\n"
	       "A pool is the range of addresses START..END (inclusive) the DHCP\n"
	       "server hands out to clients on the pxe link of IFNAME, with the\n"
	       "subnet mask, router, DNS servers, domain and lease time (seconds,\n"
	       "default 3600) it tells them.  MASK defaults to the prefix of the\n"
	       "device's address whose subnet holds START; a pool for relayed\n"
	       "clients (another subnet) needs it given.  A proxy pool hands out\n"
	       "no addresses: it answers PXE clients with boot information only,\n"
	       "beside another DHCP server.  Deleting a pool drops its leases.\n"
	       "An IPv6 pool (range6) is served by DHCPv6: addresses (IA_NA)\n"
	       "from START..END, which differ in their last 32 bits only, and up\n"
	       "to 4 IPv6 DNS servers; a pool is either IPv4 or IPv6.\n");
	return 0;
}

int pool_main(int argc, char *argv[])
{
	if (argc < 2)
		return pool_show(argc, argv);
	return run_command(pool_commands, "pool", argc - 1, argv + 1);
}
