// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl stats": the counters of the namespace's server.
 *
 *	stats [show] [all]
 *
 * A table for people, one group of counters per line; with -j one object
 * holding every counter under its stable name, plus the image memory and
 * TFTP sessions in use and their limits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

/* Stable names: scripts and the JSON output use them. */
static const char *const stat_names[PXE_STAT_MAX + 1] = {
	[PXE_STAT_DHCP_RX_DISCOVER] = "dhcp_rx_discover",
	[PXE_STAT_DHCP_RX_REQUEST] = "dhcp_rx_request",
	[PXE_STAT_DHCP_RX_DECLINE] = "dhcp_rx_decline",
	[PXE_STAT_DHCP_RX_RELEASE] = "dhcp_rx_release",
	[PXE_STAT_DHCP_RX_INFORM] = "dhcp_rx_inform",
	[PXE_STAT_DHCP_RX_OTHER] = "dhcp_rx_other",
	[PXE_STAT_DHCP_TX_OFFER] = "dhcp_tx_offer",
	[PXE_STAT_DHCP_TX_ACK] = "dhcp_tx_ack",
	[PXE_STAT_DHCP_TX_NAK] = "dhcp_tx_nak",
	[PXE_STAT_DHCP_DROP_TRUNCATED] = "dhcp_drop_truncated",
	[PXE_STAT_DHCP_DROP_BAD_OP] = "dhcp_drop_bad_op",
	[PXE_STAT_DHCP_DROP_BAD_HTYPE] = "dhcp_drop_bad_htype",
	[PXE_STAT_DHCP_DROP_BAD_HLEN] = "dhcp_drop_bad_hlen",
	[PXE_STAT_DHCP_DROP_BAD_COOKIE] = "dhcp_drop_bad_cookie",
	[PXE_STAT_DHCP_DROP_BAD_OPTION] = "dhcp_drop_bad_option",
	[PXE_STAT_DHCP_DROP_BAD_OVERLOAD] = "dhcp_drop_bad_overload",
	[PXE_STAT_DHCP_DROP_NO_TYPE] = "dhcp_drop_no_type",
	[PXE_STAT_DHCP_DROP_NO_POOL] = "dhcp_drop_no_pool",
	[PXE_STAT_DHCP_DROP_EXHAUSTED] = "dhcp_drop_exhausted",
	[PXE_STAT_DHCP_DROP_NOT_OURS] = "dhcp_drop_not_ours",
	[PXE_STAT_DHCP_DROP_NOMEM] = "dhcp_drop_nomem",
	[PXE_STAT_DHCP_DECLINED] = "dhcp_declined",
	[PXE_STAT_TFTP_RX_RRQ] = "tftp_rx_rrq",
	[PXE_STAT_TFTP_RX_WRQ] = "tftp_rx_wrq",
	[PXE_STAT_TFTP_RX_ACK] = "tftp_rx_ack",
	[PXE_STAT_TFTP_RX_ERROR] = "tftp_rx_error",
	[PXE_STAT_TFTP_RX_DUP_ACK] = "tftp_rx_dup_ack",
	[PXE_STAT_TFTP_TX_OACK] = "tftp_tx_oack",
	[PXE_STAT_TFTP_TX_DATA] = "tftp_tx_data",
	[PXE_STAT_TFTP_TX_BYTES] = "tftp_tx_bytes",
	[PXE_STAT_TFTP_RETRANSMITS] = "tftp_retransmits",
	[PXE_STAT_TFTP_TIMEOUTS] = "tftp_timeouts",
	[PXE_STAT_TFTP_SESSIONS] = "tftp_sessions",
	[PXE_STAT_TFTP_COMPLETED] = "tftp_completed",
	[PXE_STAT_TFTP_DROP_MALFORMED] = "tftp_drop_malformed",
	[PXE_STAT_TFTP_DROP_LIMIT] = "tftp_drop_limit",
	[PXE_STAT_TFTP_DROP_NOMEM] = "tftp_drop_nomem",
	[PXE_STAT_TFTP_TX_ERROR_0] = "tftp_tx_error_0",
	[PXE_STAT_TFTP_TX_ERROR_1] = "tftp_tx_error_1",
	[PXE_STAT_TFTP_TX_ERROR_2] = "tftp_tx_error_2",
	[PXE_STAT_TFTP_TX_ERROR_3] = "tftp_tx_error_3",
	[PXE_STAT_TFTP_TX_ERROR_4] = "tftp_tx_error_4",
	[PXE_STAT_TFTP_TX_ERROR_5] = "tftp_tx_error_5",
	[PXE_STAT_TFTP_TX_ERROR_6] = "tftp_tx_error_6",
	[PXE_STAT_TFTP_TX_ERROR_7] = "tftp_tx_error_7",
	[PXE_STAT_TFTP_TX_ERROR_8] = "tftp_tx_error_8",
	[PXE_STAT_TX_ERRORS] = "tx_errors",
	[PXE_STAT_TFTP_HALF_OPEN_EVICTED] = "tftp_half_open_evicted",
	[PXE_STAT_TFTP_HALF_OPEN_EXPIRED] = "tftp_half_open_expired",
	[PXE_STAT_MONITOR_DROP_NOMEM] = "monitor_drop_nomem",
	[PXE_STAT_DHCP6_RX_SOLICIT] = "dhcp6_rx_solicit",
	[PXE_STAT_DHCP6_RX_REQUEST] = "dhcp6_rx_request",
	[PXE_STAT_DHCP6_RX_CONFIRM] = "dhcp6_rx_confirm",
	[PXE_STAT_DHCP6_RX_RENEW] = "dhcp6_rx_renew",
	[PXE_STAT_DHCP6_RX_REBIND] = "dhcp6_rx_rebind",
	[PXE_STAT_DHCP6_RX_RELEASE] = "dhcp6_rx_release",
	[PXE_STAT_DHCP6_RX_DECLINE] = "dhcp6_rx_decline",
	[PXE_STAT_DHCP6_RX_INFORMATION_REQUEST] = "dhcp6_rx_information_request",
	[PXE_STAT_DHCP6_TX_ADVERTISE] = "dhcp6_tx_advertise",
	[PXE_STAT_DHCP6_TX_REPLY] = "dhcp6_tx_reply",
	[PXE_STAT_DHCP6_DROP_BAD_LENGTH] = "dhcp6_drop_bad_length",
	[PXE_STAT_DHCP6_DROP_EXT_HEADER] = "dhcp6_drop_ext_header",
	[PXE_STAT_DHCP6_DROP_BAD_CHECKSUM] = "dhcp6_drop_bad_checksum",
	[PXE_STAT_DHCP6_DROP_MALFORMED] = "dhcp6_drop_malformed",
	[PXE_STAT_DHCP6_DROP_NO_POOL] = "dhcp6_drop_no_pool",
	[PXE_STAT_DHCP6_DROP_EXHAUSTED] = "dhcp6_drop_exhausted",
	[PXE_STAT_DHCP6_DROP_NOT_OURS] = "dhcp6_drop_not_ours",
	[PXE_STAT_DHCP6_DROP_NOMEM] = "dhcp6_drop_nomem",
	[PXE_STAT_DHCP6_DECLINED] = "dhcp6_declined",
	[PXE_STAT_DHCP6_NO_BOOT_ADDRESS] = "dhcp6_no_boot_address",
	[PXE_STAT_RA_TX] = "ra_tx",
	[PXE_STAT_RA_NO_ADDRESS] = "ra_no_address",
	[PXE_STAT_RS_RX] = "rs_rx",
	[PXE_STAT_RS_DROP_MALFORMED] = "rs_drop_malformed",
};

/* What one STATS_GET and one LIMITS_GET said. */
struct stats {
	uint64_t counter[PXE_STAT_MAX + 1];
	bool known[PXE_STAT_MAX + 1];
	uint64_t memory_used, memory_limit;
	uint32_t sessions_active, sessions_limit;
	bool has_memory_used, has_memory_limit;
	bool has_sessions_active, has_sessions_limit;
};

static int stats_reply(struct nlattr **attrs, void *arg)
{
	struct stats *st = arg;
	struct nlattr *counter;
	int rem, type;

	if (!attrs[PXE_A_STATS]) {
		pxe_error("stats", "kernel reply carries no counters (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	nla_for_each_nested(counter, attrs[PXE_A_STATS], rem) {
		type = nla_type(counter);
		/* Counters newer than this pxectl are skipped. */
		if (type <= PXE_STAT_MAX && stat_names[type] &&
		    nla_len(counter) == sizeof(uint64_t)) {
			st->counter[type] = nla_get_u64(counter);
			st->known[type] = true;
		}
	}
	if (attrs[PXE_A_IMAGE_MEMORY_USED]) {
		st->memory_used = nla_get_u64(attrs[PXE_A_IMAGE_MEMORY_USED]);
		st->has_memory_used = true;
	}
	if (attrs[PXE_A_TFTP_SESSIONS_ACTIVE]) {
		st->sessions_active =
			nla_get_u32(attrs[PXE_A_TFTP_SESSIONS_ACTIVE]);
		st->has_sessions_active = true;
	}
	return 0;
}

static int limits_reply(struct nlattr **attrs, void *arg)
{
	struct stats *st = arg;

	if (attrs[PXE_A_LIMIT_IMAGE_MEMORY]) {
		st->memory_limit = nla_get_u64(attrs[PXE_A_LIMIT_IMAGE_MEMORY]);
		st->has_memory_limit = true;
	}
	if (attrs[PXE_A_LIMIT_TFTP_SESSIONS]) {
		st->sessions_limit =
			nla_get_u32(attrs[PXE_A_LIMIT_TFTP_SESSIONS]);
		st->has_sessions_limit = true;
	}
	return 0;
}

/* -j: one object, the counters under their stable names. */
static void print_json(const struct stats *st)
{
	int type;

	output_list_begin();
	output_row_begin();
	for (type = 0; type <= PXE_STAT_MAX; type++)
		if (st->known[type])
			output_u64(stat_names[type], st->counter[type]);
	if (st->has_memory_used)
		output_u64("image_memory_used", st->memory_used);
	if (st->has_sessions_active)
		output_u64("tftp_sessions_active", st->sessions_active);
	if (st->has_memory_limit)
		output_u64("image_memory_limit", st->memory_limit);
	if (st->has_sessions_limit)
		output_u64("tftp_sessions_limit", st->sessions_limit);
	output_row_end();
	output_list_end();
}

/* A row of the table: a label, then "name value" pairs. */
struct cell {
	const char *name;
	int type;		/* a counter, or -1 for @value */
	uint64_t value;
};

#define C(name, stat) { name, PXE_STAT_##stat, 0 }

/*
 * Prints "LABEL  name value  name value ...".  With @nonzero, cells whose
 * counter is 0 are left out, and a row left empty says "none".
 */
static void print_row(const struct stats *st, const char *label,
		      const struct cell *cells, size_t n, bool nonzero)
{
	bool empty = true;
	uint64_t value;
	size_t i;

	printf("%-18s", label);
	for (i = 0; i < n; i++) {
		if (cells[i].type >= 0 && !st->known[cells[i].type])
			continue;
		value = cells[i].type >= 0 ? st->counter[cells[i].type] :
			cells[i].value;
		if (nonzero && !value)
			continue;
		printf("%s%s %" PRIu64, empty ? "" : "  ", cells[i].name, value);
		empty = false;
	}
	printf("%s\n", empty ? "none" : "");
}

#define ROW(label, cells, nonzero) \
	print_row(st, label, cells, sizeof(cells) / sizeof(cells[0]), nonzero)

static void print_dhcp(const struct stats *st, bool all)
{
	static const struct cell rx[] = {
		C("discover", DHCP_RX_DISCOVER), C("request", DHCP_RX_REQUEST),
		C("decline", DHCP_RX_DECLINE), C("release", DHCP_RX_RELEASE),
		C("inform", DHCP_RX_INFORM), C("other", DHCP_RX_OTHER),
	};
	static const struct cell tx[] = {
		C("offer", DHCP_TX_OFFER), C("ack", DHCP_TX_ACK),
		C("nak", DHCP_TX_NAK),
	};
	static const struct cell drop[] = {
		C("truncated", DHCP_DROP_TRUNCATED), C("bad-op", DHCP_DROP_BAD_OP),
		C("bad-htype", DHCP_DROP_BAD_HTYPE),
		C("bad-hlen", DHCP_DROP_BAD_HLEN),
		C("bad-cookie", DHCP_DROP_BAD_COOKIE),
		C("bad-option", DHCP_DROP_BAD_OPTION),
		C("bad-overload", DHCP_DROP_BAD_OVERLOAD),
		C("no-type", DHCP_DROP_NO_TYPE), C("no-pool", DHCP_DROP_NO_POOL),
		C("exhausted", DHCP_DROP_EXHAUSTED),
		C("not-ours", DHCP_DROP_NOT_OURS), C("nomem", DHCP_DROP_NOMEM),
	};
	static const struct cell declined[] = { C("addresses", DHCP_DECLINED) };

	ROW("DHCP received", rx, false);
	ROW("DHCP sent", tx, false);
	ROW("DHCP dropped", drop, !all);
	ROW("DHCP quarantined", declined, false);
}

static void print_dhcp6(const struct stats *st, bool all)
{
	static const struct cell rx[] = {
		C("solicit", DHCP6_RX_SOLICIT), C("request", DHCP6_RX_REQUEST),
		C("confirm", DHCP6_RX_CONFIRM), C("renew", DHCP6_RX_RENEW),
		C("rebind", DHCP6_RX_REBIND), C("release", DHCP6_RX_RELEASE),
		C("decline", DHCP6_RX_DECLINE),
		C("information-request", DHCP6_RX_INFORMATION_REQUEST),
	};
	static const struct cell tx[] = {
		C("advertise", DHCP6_TX_ADVERTISE), C("reply", DHCP6_TX_REPLY),
	};
	static const struct cell drop[] = {
		C("bad-length", DHCP6_DROP_BAD_LENGTH),
		C("ext-header", DHCP6_DROP_EXT_HEADER),
		C("bad-checksum", DHCP6_DROP_BAD_CHECKSUM),
		C("malformed", DHCP6_DROP_MALFORMED),
		C("no-pool", DHCP6_DROP_NO_POOL),
		C("exhausted", DHCP6_DROP_EXHAUSTED),
		C("not-ours", DHCP6_DROP_NOT_OURS), C("nomem", DHCP6_DROP_NOMEM),
	};
	static const struct cell declined[] = { C("addresses", DHCP6_DECLINED) };
	static const struct cell boot[] = {
		C("no-address", DHCP6_NO_BOOT_ADDRESS),
	};
	static const struct cell ra[] = {
		C("sent", RA_TX), C("no-address", RA_NO_ADDRESS),
		C("solicited", RS_RX), C("malformed", RS_DROP_MALFORMED),
	};

	ROW("DHCPv6 received", rx, false);
	ROW("DHCPv6 sent", tx, false);
	ROW("DHCPv6 dropped", drop, !all);
	ROW("DHCPv6 quarantined", declined, false);
	ROW("DHCPv6 boot URL", boot, !all);
	ROW("Router Advertisements", ra, !all);
}

static void print_tftp(const struct stats *st, bool all)
{
	const struct cell sessions[] = {
		{ "active", -1, st->sessions_active },
		C("started", TFTP_SESSIONS), C("finished", TFTP_COMPLETED),
		C("timed-out", TFTP_TIMEOUTS),
	};
	static const struct cell rx[] = {
		C("rrq", TFTP_RX_RRQ), C("wrq", TFTP_RX_WRQ), C("ack", TFTP_RX_ACK),
		C("dup-ack", TFTP_RX_DUP_ACK), C("error", TFTP_RX_ERROR),
	};
	static const struct cell tx[] = {
		C("oack", TFTP_TX_OACK), C("data", TFTP_TX_DATA),
		C("bytes", TFTP_TX_BYTES), C("retransmits", TFTP_RETRANSMITS),
	};
	static const struct cell drop[] = {
		C("malformed", TFTP_DROP_MALFORMED), C("limit", TFTP_DROP_LIMIT),
		C("nomem", TFTP_DROP_NOMEM),
	};
	/* Never ACKed: ended for a newer request, or 3 s after their own. */
	static const struct cell half_open[] = {
		C("evicted", TFTP_HALF_OPEN_EVICTED),
		C("expired", TFTP_HALF_OPEN_EXPIRED),
	};
	/* By code: RFC 1350, and 8 from RFC 2347 (option negotiation). */
	static const struct cell errors[] = {
		C("0-undefined", TFTP_TX_ERROR_0), C("1-not-found", TFTP_TX_ERROR_1),
		C("2-access", TFTP_TX_ERROR_2), C("3-disk-full", TFTP_TX_ERROR_3),
		C("4-illegal-op", TFTP_TX_ERROR_4), C("5-unknown-tid", TFTP_TX_ERROR_5),
		C("6-exists", TFTP_TX_ERROR_6), C("7-no-user", TFTP_TX_ERROR_7),
		C("8-options", TFTP_TX_ERROR_8),
	};

	if (st->has_sessions_active)
		print_row(st, "TFTP sessions", sessions, 4, false);
	else
		print_row(st, "TFTP sessions", sessions + 1, 3, false);
	ROW("TFTP received", rx, false);
	ROW("TFTP sent", tx, false);
	ROW("TFTP dropped", drop, !all);
	ROW("TFTP half-open", half_open, !all);
	ROW("TFTP errors sent", errors, !all);
}

/* "12.3 MB" */
static void print_mib(uint64_t bytes)
{
	printf("%.1f MB", bytes / 1048576.0);
}

static void print_text(const struct stats *st, bool all)
{
	static const struct cell tx_errors[] = { C("refused", TX_ERRORS) };
	static const struct cell monitor[] = { C("nomem", MONITOR_DROP_NOMEM) };

	print_dhcp(st, all);
	print_dhcp6(st, all);
	print_tftp(st, all);
	ROW("Transmit errors", tx_errors, false);
	ROW("Events dropped", monitor, !all);
	if (!st->has_memory_used)
		return;
	printf("%-18s", "Image memory");
	print_mib(st->memory_used);
	if (st->has_memory_limit && st->memory_limit) {
		printf(" of ");
		print_mib(st->memory_limit);
		printf(" (%.0f%%)", 100.0 * st->memory_used / st->memory_limit);
	}
	printf("\n");
}

/* Also "stats" alone; "stats show all" lists zero drops and errors too. */
static int stats_show(int argc, char *argv[])
{
	struct stats st = { 0 };
	struct nl_msg *msg;
	bool all = false;

	if (argc > 1 && !strcmp(argv[1], "all")) {
		all = true;
		argc--;
		argv++;
	}
	if (argc > 1) {
		pxe_error("stats show", "unknown argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_STATS_GET, 0);
	if (!msg || pxe_request("stats", msg, stats_reply, &st))
		return 1;
	msg = pxe_msg_new(PXE_CMD_LIMITS_GET, 0);
	if (!msg || pxe_request("stats", msg, limits_reply, &st))
		return 1;
	if (json_output)
		print_json(&st);
	else
		print_text(&st, all);
	return 0;
}

static int stats_help(int argc, char *argv[]);

static const struct command stats_commands[] = {
	{ "show",	stats_show,	"[all]" },
	{ "help",	stats_help,	"" },
	{}
};

static int stats_help(int argc, char *argv[])
{
	usage_commands(stdout, "stats", stats_commands);
	printf("\n"
	       "Counters of the server in the network namespace pxectl runs in,\n"
	       "one group per line: DHCP messages received and sent by type,\n"
	       "packets dropped by reason, TFTP sessions (active, started,\n"
	       "finished, timed out), packets and bytes, ERRORs sent by code,\n"
	       "and the image memory used of its limit.  Drops and errors are\n"
	       "listed when not zero, all of them with \"all\".  With -j, one\n"
	       "object with every counter under its stable name (as in\n"
	       "include/uapi/linux/pxe.h, lowercased: dhcp_rx_discover, ...).\n");
	return 0;
}

int stats_main(int argc, char *argv[])
{
	if (argc < 2 || !strcmp(argv[1], "all"))
		return stats_show(argc, argv);
	return run_command(stats_commands, "stats", argc - 1, argv + 1);
}
