// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl stats": the counters of the namespace's server.
 *
 *	stats [show]
 *
 * One "name value" line per counter (names as in the JSON output, which
 * is one object), then the image memory in use and the TFTP sessions now.
 */
#include <inttypes.h>
#include <stdio.h>
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
};

static void print_line(const char *name, uint64_t value)
{
	if (json_output)
		output_u64(name, value);
	else
		printf("%-28s %" PRIu64 "\n", name, value);
}

static int stats_print(struct nlattr **attrs, void *arg)
{
	struct nlattr *counter;
	int rem, type;

	if (!attrs[PXE_A_STATS]) {
		pxe_error("stats", "kernel reply carries no counters (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	output_row_begin();
	nla_for_each_nested(counter, attrs[PXE_A_STATS], rem) {
		type = nla_type(counter);
		/* Counters newer than this pxectl are skipped. */
		if (type <= PXE_STAT_MAX && stat_names[type] &&
		    nla_len(counter) == sizeof(uint64_t))
			print_line(stat_names[type], nla_get_u64(counter));
	}
	if (attrs[PXE_A_IMAGE_MEMORY_USED])
		print_line("image_memory_used",
			   nla_get_u64(attrs[PXE_A_IMAGE_MEMORY_USED]));
	if (attrs[PXE_A_TFTP_SESSIONS_ACTIVE])
		print_line("tftp_sessions_active",
			   nla_get_u32(attrs[PXE_A_TFTP_SESSIONS_ACTIVE]));
	if (json_output)
		output_row_end();
	return 0;
}

static int stats_show(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("stats show", "unknown argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_STATS_GET, 0);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request("stats", msg, stats_print, NULL)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int stats_help(int argc, char *argv[]);

static const struct command stats_commands[] = {
	{ "show",	stats_show,	"" },
	{ "help",	stats_help,	"" },
	{}
};

static int stats_help(int argc, char *argv[])
{
	usage_commands(stdout, "stats", stats_commands);
	printf("\n"
	       "Counters of DHCP messages by type, packets dropped by reason,\n"
	       "TFTP sessions, bytes, retransmissions and errors by code, for\n"
	       "the network namespace pxectl runs in.\n");
	return 0;
}

int stats_main(int argc, char *argv[])
{
	if (argc < 2)
		return stats_show(argc, argv);
	return run_command(stats_commands, "stats", argc - 1, argv + 1);
}
