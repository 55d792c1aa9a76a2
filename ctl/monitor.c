// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl monitor": the server's events as they happen, until interrupted.
 *
 * One line per event: "lease offer mac ... addr ...", "tftp done client
 * ... file ... bytes ...", "link add dev ..."; with -j one JSON object per
 * line with the same fields and "event" naming it ("lease-offer").
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

static const char *const lease_events[] = {
	[PXE_LEASE_EV_OFFER] = "offer",
	[PXE_LEASE_EV_ACK] = "ack",
	[PXE_LEASE_EV_NAK] = "nak",
	[PXE_LEASE_EV_RELEASE] = "release",
	[PXE_LEASE_EV_DECLINE] = "decline",
	[PXE_LEASE_EV_EXPIRE] = "expire",
	[PXE_LEASE_EV_INFORM] = "inform",
};

static const char *const tftp_events[] = {
	[PXE_TFTP_EV_START] = "start",
	[PXE_TFTP_EV_DONE] = "done",
	[PXE_TFTP_EV_ERROR] = "error",
	[PXE_TFTP_EV_TIMEOUT] = "timeout",
};

static void event_name(const char *object, const char *const *names,
		       size_t n_names, struct nlattr *attr)
{
	unsigned int event = attr ? nla_get_u8(attr) : n_names;
	const char *name = event < n_names && names[event] ? names[event] :
			   "unknown";
	char text[64];

	if (json_output) {
		snprintf(text, sizeof(text), "%s-%s", object, name);
		output_str("event", text);
	} else {
		output_str(object, name);
	}
}

static void print_link(uint8_t cmd, struct nlattr **attrs)
{
	output_str(json_output ? "event" : "link",
		   cmd == PXE_CMD_LINK_ADD_NTF ? (json_output ? "link-add" : "add") :
		   (json_output ? "link-del" : "del"));
	if (attrs[PXE_A_IFNAME])
		output_str("dev", nla_get_string(attrs[PXE_A_IFNAME]));
	if (attrs[PXE_A_LINK_SERVER])
		output_ipv4("server", nla_get_u32(attrs[PXE_A_LINK_SERVER]));
}

static void print_lease(struct nlattr **attrs)
{
	event_name("lease", lease_events,
		   sizeof(lease_events) / sizeof(lease_events[0]),
		   attrs[PXE_A_LEASE_EVENT]);
	if (attrs[PXE_A_LEASE_MAC] && nla_len(attrs[PXE_A_LEASE_MAC]) == 6)
		output_mac("mac", nla_data(attrs[PXE_A_LEASE_MAC]));
	if (attrs[PXE_A_LEASE_ADDR])
		output_ipv4("addr", nla_get_u32(attrs[PXE_A_LEASE_ADDR]));
	if (attrs[PXE_A_LEASE_POOL])
		output_str("pool", nla_get_string(attrs[PXE_A_LEASE_POOL]));
	if (attrs[PXE_A_LEASE_EXPIRES])
		output_u64("expires", nla_get_u32(attrs[PXE_A_LEASE_EXPIRES]));
	if (attrs[PXE_A_LEASE_HOSTNAME])
		output_str("hostname",
			   nla_get_string(attrs[PXE_A_LEASE_HOSTNAME]));
	if (attrs[PXE_A_LEASE_BOOT_FILE])
		output_str("file", nla_get_string(attrs[PXE_A_LEASE_BOOT_FILE]));
}

static void print_tftp(struct nlattr **attrs)
{
	char text[64];

	event_name("tftp", tftp_events,
		   sizeof(tftp_events) / sizeof(tftp_events[0]),
		   attrs[PXE_A_TFTP_EVENT]);
	if (attrs[PXE_A_TFTP_CLIENT])
		output_ipv4("client", nla_get_u32(attrs[PXE_A_TFTP_CLIENT]));
	if (attrs[PXE_A_TFTP_CLIENT_PORT])
		output_u64("port", nla_get_u16(attrs[PXE_A_TFTP_CLIENT_PORT]));
	if (attrs[PXE_A_TFTP_FILE])
		output_str("file", nla_get_string(attrs[PXE_A_TFTP_FILE]));
	if (attrs[PXE_A_TFTP_BLKSIZE])
		output_u64("blksize", nla_get_u16(attrs[PXE_A_TFTP_BLKSIZE]));
	if (attrs[PXE_A_TFTP_WINDOWSIZE])
		output_u64("windowsize",
			   nla_get_u16(attrs[PXE_A_TFTP_WINDOWSIZE]));
	if (attrs[PXE_A_TFTP_BYTES])
		output_u64("bytes", nla_get_u64(attrs[PXE_A_TFTP_BYTES]));
	if (attrs[PXE_A_TFTP_DURATION]) {
		uint64_t ns = nla_get_u64(attrs[PXE_A_TFTP_DURATION]);

		if (json_output) {
			output_u64("duration_ns", ns);
		} else {
			snprintf(text, sizeof(text), "%.3fs", ns / 1e9);
			output_str("duration", text);
		}
		if (attrs[PXE_A_TFTP_BYTES] && ns && !json_output) {
			snprintf(text, sizeof(text), "%.2fMB/s",
				 nla_get_u64(attrs[PXE_A_TFTP_BYTES]) * 1e3 / ns);
			output_str("rate", text);
		}
	}
	if (attrs[PXE_A_TFTP_ERROR])
		output_u64("error", nla_get_u16(attrs[PXE_A_TFTP_ERROR]));
	if (attrs[PXE_A_TFTP_MESSAGE])
		output_str("message", nla_get_string(attrs[PXE_A_TFTP_MESSAGE]));
}

static int print_event(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	output_row_begin();
	switch (cmd) {
	case PXE_CMD_LINK_ADD_NTF:
	case PXE_CMD_LINK_DEL_NTF:
		print_link(cmd, attrs);
		break;
	case PXE_CMD_LEASE_NTF:
		print_lease(attrs);
		break;
	case PXE_CMD_TFTP_NTF:
		print_tftp(attrs);
		break;
	default:
		/* An event newer than this pxectl. */
		output_u64(json_output ? "unknown_event" : "unknown-event", cmd);
		break;
	}
	output_row_end();
	fflush(stdout);
	return 0;
}

static int monitor_help(void)
{
	printf("Usage: pxectl [-j] monitor\n"
	       "\n"
	       "Prints the server's events until interrupted: links added and\n"
	       "removed, leases offered, acknowledged, refused, released,\n"
	       "declined and expired, TFTP transfers started and finished (with\n"
	       "size, duration and rate), failed or timed out.  With -j, one\n"
	       "JSON object per line.\n");
	return 0;
}

int monitor_main(int argc, char *argv[])
{
	struct monitor monitor = { .fn = print_event };

	if (argc > 1 && !strcmp(argv[1], "help"))
		return monitor_help();
	if (argc > 1) {
		pxe_error("monitor", "unknown argument '%s'", argv[1]);
		return 1;
	}
	/* A reader at the other end of a pipe that goes away ends us quietly. */
	signal(SIGPIPE, SIG_DFL);
	output_stream();
	return pxe_monitor(&monitor) ? 1 : 0;
}
