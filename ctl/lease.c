// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl lease": the addresses the DHCP server has offered or leased.
 *
 *	lease show
 *	lease add MAC ip ADDR [expires SECONDS] [client-id HEX] [hostname NAME]
 *	lease add MAC ip6 ADDR6 duid HEX iaid N [expires SECONDS]
 *	lease restore FILE
 *	lease watch FILE [every SECONDS]
 *	lease del MAC
 *	lease flush
 *
 * "lease add" exists to restore leases after a reboot or a module reload,
 * from what "lease show -j" saved (see lease_help()).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

#define WHAT_MAX 48

const char *const lease_states[PXE_LEASE_STATES] = {
	[PXE_LEASE_OFFERED] = "offered",
	[PXE_LEASE_BOUND] = "bound",
	[PXE_LEASE_DECLINED] = "declined",
};

int parse_hex(const char *what, const char *keyword, const char *text,
	      uint8_t *data, size_t max, size_t *len)
{
	size_t n = strlen(text) / 2, i;
	unsigned int byte;

	if (strlen(text) % 2 || !n || n > max)
		goto invalid;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)text[2 * i]) ||
		    !isxdigit((unsigned char)text[2 * i + 1]) ||
		    sscanf(text + 2 * i, "%2x", &byte) != 1)
			goto invalid;
		data[i] = byte;
	}
	*len = n;
	return 0;

invalid:
	pxe_error(what, "invalid %s '%s' (expected 1 to %zu bytes in hex)",
		  keyword, text, max);
	return -1;
}

/* A DUID in hex: LEASE_DUID_MIN to LEASE_DUID_MAX bytes. */
int parse_duid(const char *what, const char *keyword, const char *text,
	       struct lease_entry *e)
{
	size_t n = strlen(text);

	if (n % 2 || n / 2 < LEASE_DUID_MIN || n / 2 > LEASE_DUID_MAX ||
	    strspn(text, "0123456789abcdefABCDEF") != n) {
		pxe_error(what, "invalid %s '%s' (expected %d to %d bytes in hex)",
			  keyword, text, LEASE_DUID_MIN, LEASE_DUID_MAX);
		return -1;
	}
	return parse_hex(what, keyword, text, e->duid, sizeof(e->duid),
			 &e->duid_len);
}

struct nl_msg *lease_new_msg(const char *what, const struct lease_entry *e)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_LEASE_NEW, 0);

	if (!msg)
		return NULL;
	if (nla_put(msg, PXE_A_LEASE_MAC, 6, e->mac) ||
	    (e->v6 ?
	     nla_put(msg, PXE_A_LEASE_ADDR6, 16, e->addr6) ||
	     nla_put(msg, PXE_A_LEASE_DUID, e->duid_len, e->duid) ||
	     nla_put_u32(msg, PXE_A_LEASE_IAID, e->iaid) :
	     nla_put_u32(msg, PXE_A_LEASE_ADDR, e->addr)) ||
	    (e->has_expires &&
	     nla_put_u32(msg, PXE_A_LEASE_EXPIRES, e->expires)) ||
	    (e->client_id_len &&
	     nla_put(msg, PXE_A_LEASE_CLIENT_ID, e->client_id_len,
		     e->client_id)) ||
	    (e->hostname &&
	     nla_put_string(msg, PXE_A_LEASE_HOSTNAME, e->hostname))) {
		pxe_msg_abort(what, msg, -NLE_NOMEM);
		return NULL;
	}
	return msg;
}

int check_lease_hostname(const char *what, const char *hostname)
{
	if (*hostname && strlen(hostname) < LEASE_HOSTNAME_MAX)
		return 0;
	pxe_error(what, "invalid hostname '%s' (1 to %d characters)",
		  hostname, LEASE_HOSTNAME_MAX - 1);
	return -1;
}

/*
 * "lease add MAC ip6 ADDR6 duid HEX iaid N": a DHCPv6 lease, named by the
 * client's IA as "-j lease show" prints it.  @kw: ip, ip6, client-id,
 * hostname, duid, iaid.
 */
static int lease_add_ia(const char *what, struct keyword *kw,
			struct lease_entry *e)
{
	const char *v4 = kw[0].value ? "ip" : kw[2].value ? "client-id" :
			 kw[3].value ? "hostname" : NULL;

	if (v4) {
		pxe_error(what, "'%s' is for IPv4 leases: an ip6 lease takes duid and iaid",
			  v4);
		return -1;
	}
	if (!kw[4].value || !kw[5].value) {
		pxe_error(what, "missing argument '%s' (an ip6 lease needs the client's duid and iaid, as '-j lease show' prints them)",
			  kw[4].value ? "iaid N" : "duid HEX");
		return -1;
	}
	e->v6 = true;
	return parse_ipv6(what, "ip6", kw[1].value, e->addr6) ||
	       parse_duid(what, "duid", kw[4].value, e) ||
	       parse_u32(what, "iaid", kw[5].value, 0, UINT32_MAX, &e->iaid) ?
	       -1 : 0;
}

static int lease_add(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "ip", .meta = "ADDR" },
		{ .name = "ip6", .meta = "ADDR6" },
		{ .name = "client-id", .meta = "HEX" },
		{ .name = "hostname", .meta = "NAME" },
		{ .name = "duid", .meta = "HEX" },
		{ .name = "iaid", .meta = "N" },
		{ .name = "expires", .meta = "SECONDS" },
		{}
	};
	struct lease_entry e = { 0 };
	char what[WHAT_MAX];
	struct nl_msg *msg;

	if (argc < 2) {
		pxe_error("lease add", "missing MAC");
		return 1;
	}
	snprintf(what, sizeof(what), "lease add %.20s", argv[1]);
	if (parse_mac("lease add", "MAC", argv[1], e.mac, NULL) ||
	    parse_keywords(what, argc - 2, argv + 2, keywords))
		return 1;
	if (keywords[1].value) {
		if (lease_add_ia(what, keywords, &e))
			return 1;
	} else if (!keywords[0].value) {
		pxe_error(what, "missing argument 'ip ADDR' or 'ip6 ADDR6'");
		return 1;
	} else if (keywords[4].value || keywords[5].value) {
		pxe_error(what, "'%s' is for IPv6 leases: give ip6 ADDR6, not ip",
			  keywords[4].value ? "duid" : "iaid");
		return 1;
	} else if (parse_ipv4(what, "ip", keywords[0].value, &e.addr)) {
		return 1;
	}
	if (keywords[6].value &&
	    parse_u32(what, "expires", keywords[6].value, 1, UINT32_MAX,
		      &e.expires))
		return 1;
	e.has_expires = keywords[6].value;
	if (keywords[2].value &&
	    parse_hex(what, "client-id", keywords[2].value, e.client_id,
		      sizeof(e.client_id), &e.client_id_len))
		return 1;
	e.hostname = keywords[3].value;
	if (e.hostname && check_lease_hostname(what, e.hostname))
		return 1;

	msg = lease_new_msg(what, &e);
	if (!msg)
		return 1;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int lease_del(int argc, char *argv[])
{
	char what[WHAT_MAX];
	struct nl_msg *msg;
	uint8_t mac[6];

	if (argc != 2) {
		pxe_error("lease del", argc < 2 ? "missing MAC" :
			  "unexpected argument after the MAC");
		return 1;
	}
	snprintf(what, sizeof(what), "lease del %.20s", argv[1]);
	if (parse_mac("lease del", "MAC", argv[1], mac, NULL))
		return 1;
	msg = pxe_msg_new(PXE_CMD_LEASE_DEL, 0);
	if (!msg)
		return 1;
	if (nla_put(msg, PXE_A_LEASE_MAC, 6, mac))
		return pxe_msg_abort(what, msg, -NLE_NOMEM) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int lease_flush(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("lease flush", "unexpected argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_LEASE_FLUSH, 0);
	if (!msg)
		return 1;
	return pxe_request("lease flush", msg, NULL, NULL) ? 1 : 0;
}

static void print_state(struct nlattr *attr)
{
	unsigned int state = nla_get_u8(attr);

	if (state < PXE_LEASE_STATES)
		output_str("state", lease_states[state]);
	else
		output_u64("state", state);
}

int lease_print(struct nlattr **attrs, void *arg)
{
	struct nlattr *addr6 = attrs[PXE_A_LEASE_ADDR6];

	if (addr6 && nla_len(addr6) != 16)
		addr6 = NULL;
	if (!attrs[PXE_A_LEASE_MAC] || nla_len(attrs[PXE_A_LEASE_MAC]) != 6 ||
	    (!attrs[PXE_A_LEASE_ADDR] && !addr6)) {
		pxe_error("lease show", "kernel reply has no MAC or address (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	output_row_begin();
	output_mac("mac", nla_data(attrs[PXE_A_LEASE_MAC]));
	if (attrs[PXE_A_LEASE_ADDR])
		output_ipv4("ip", nla_get_u32(attrs[PXE_A_LEASE_ADDR]));
	if (addr6)
		output_ipv6("ip6", nla_data(addr6));
	if (attrs[PXE_A_LEASE_EXPIRES])
		output_u64("expires", nla_get_u32(attrs[PXE_A_LEASE_EXPIRES]));
	if (attrs[PXE_A_LEASE_STATE])
		print_state(attrs[PXE_A_LEASE_STATE]);
	if (attrs[PXE_A_LEASE_POOL])
		output_str("pool", nla_get_string(attrs[PXE_A_LEASE_POOL]));
	if (attrs[PXE_A_LEASE_CLIENT_ID])
		output_hex(json_output ? "client_id" : "client-id",
			   nla_data(attrs[PXE_A_LEASE_CLIENT_ID]),
			   nla_len(attrs[PXE_A_LEASE_CLIENT_ID]));
	if (attrs[PXE_A_LEASE_HOSTNAME])
		output_str("hostname",
			   nla_get_string(attrs[PXE_A_LEASE_HOSTNAME]));
	if (attrs[PXE_A_LEASE_DUID])
		output_hex("duid", nla_data(attrs[PXE_A_LEASE_DUID]),
			   nla_len(attrs[PXE_A_LEASE_DUID]));
	if (attrs[PXE_A_LEASE_IAID])
		output_u64("iaid", nla_get_u32(attrs[PXE_A_LEASE_IAID]));
	output_row_end();
	return 0;
}

/* Also "lease" alone. */
static int lease_show(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("lease show", "unexpected argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_LEASE_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request("lease show", msg, lease_print, NULL)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int lease_help(int argc, char *argv[]);

static const struct command lease_commands[] = {
	{ "show",	lease_show,	"" },
	{ "list",	lease_show,	NULL },
	{ "add",	lease_add,	"MAC ip ADDR [expires SECONDS] [client-id HEX] [hostname NAME]" },
	/* The same command: its DHCPv6 form, on a line of its own. */
	{ "add",	lease_add,	"MAC ip6 ADDR6 duid HEX iaid N [expires SECONDS]" },
	{ "restore",	lease_restore,	"FILE" },
	{ "watch",	lease_watch,	"FILE [every SECONDS]" },
	{ "del",	lease_del,	"MAC" },
	{ "delete",	lease_del,	NULL },
	{ "flush",	lease_flush,	"" },
	{ "help",	lease_help,	"" },
	{}
};

static int lease_help(int argc, char *argv[])
{
	usage_commands(stdout, "lease", lease_commands);
	printf("\n"
	       "\"lease show\" lists each address offered, leased or quarantined\n"
	       "after a DECLINE: the client's MAC, the address, the seconds until\n"
	       "it expires, its state (offered, bound, declined), the pool, the\n"
	       "client id (option 61, hex) and host name (option 12); for a\n"
	       "DHCPv6 lease, ip6, the client's DUID (hex) and the IAID instead\n"
	       "of ip and client id.\n"
	       "\"lease add\" adds a bound lease (ADDR inside a pool's range;\n"
	       "SECONDS defaults to the pool's lease time; HEX is the client id,\n"
	       "by default 01 and the MAC); with ip6, a DHCPv6 lease: ADDR6\n"
	       "inside an IPv6 pool's range, for the client's DUID (HEX) and\n"
	       "IAID (N), which a Renew of that IA then keeps.  \"lease del\"\n"
	       "drops one, \"lease flush\" all.  \"lease restore\" adds back every bound lease of\n"
	       "FILE ('-': standard input), the JSON array \"-j lease show\"\n"
	       "printed, with the seconds it had left less the time since FILE\n"
	       "was written; it checks the whole file first and names the entry\n"
	       "(counted from 0) it cannot take.  \"lease watch\" keeps FILE\n"
	       "equal to what \"-j lease show\" prints until SIGTERM or Ctrl-C\n"
	       "(which write it a last time): replaced whole, SECONDS (1 to\n"
	       "3600, default 2) after a lease changes, after 60 seconds (or\n"
	       "SECONDS) anyway, so a crash loses at most the last SECONDS of\n"
	       "changes.\n"
	       "To keep leases over a module reload or a reboot:\n"
	       "\n"
	       "  pxectl -j lease show > leases.json\n"
	       "  pxectl lease restore leases.json\n"
	       "\n"
	       "or, kept up to date as clients come and go (restore first: the\n"
	       "watch replaces FILE with what the module holds):\n"
	       "\n"
	       "  pxectl lease restore /var/lib/pxe/leases.json\n"
	       "  pxectl lease watch /var/lib/pxe/leases.json &\n"
	       "\n"
	       "or, to edit them on the way, with jq:\n"
	       "\n"
	       "  jq -r '.[] | select(.state == \"bound\") | \"lease add \\(.mac) \" +\n"
	       "      (if .ip6 then \"ip6 \\(.ip6) duid \\(.duid) iaid \\(.iaid)\"\n"
	       "       else \"ip \\(.ip)\" end) + \" expires \\(.expires)\"' \\\n"
	       "      leases.json | pxectl -b -\n");
	return 0;
}

int lease_main(int argc, char *argv[])
{
	if (argc < 2)
		return lease_show(argc, argv);
	return run_command(lease_commands, "lease", argc - 1, argv + 1);
}
