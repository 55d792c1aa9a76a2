// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl monitor": the server's events as they happen, until interrupted.
 *
 *	monitor [lease] [tftp] [link]
 *
 * One line per event, led by the local time and the event's name:
 *
 *	12:00:01.234 lease-ack 52:54:00:12:34:56 192.168.1.100 pool lan
 *	12:00:03.545 tftp-done 192.168.1.100 vmlinuz 8.1 MB in 2.31 s (3.5 MB/s)
 *
 * With -j one JSON object per line: "event" names it ("lease-ack"), "time"
 * is the UTC time in ISO 8601, the other fields are the event's attributes
 * under stable names (scripts and tests read them).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/pxe.h>

#include "pxectl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

/* Which kinds of events to print ("monitor lease tftp"); all by default. */
enum { SHOW_LEASE = 1, SHOW_TFTP = 2, SHOW_LINK = 4, SHOW_ALL = 7 };

/* "lease-ack", "tftp-done", "lease-unknown" for an event newer than us. */
static void event_name(char *text, size_t size, const char *object,
		       const char *const *names, size_t n_names,
		       struct nlattr *attr)
{
	unsigned int event = attr ? nla_get_u8(attr) : n_names;

	snprintf(text, size, "%s-%s", object,
		 event < n_names && names[event] ? names[event] : "unknown");
}

/* "12:00:01.234" (local) for people, ISO 8601 UTC for -j. */
static void event_time(char *text, size_t size)
{
	struct timeval tv;
	struct tm tm;
	size_t len;

	gettimeofday(&tv, NULL);
	if (json_output)
		gmtime_r(&tv.tv_sec, &tm);
	else
		localtime_r(&tv.tv_sec, &tm);
	len = strftime(text, size, json_output ? "%Y-%m-%dT%H:%M:%S" :
		       "%H:%M:%S", &tm);
	snprintf(text + len, size - len, ".%03ld%s", (long)tv.tv_usec / 1000,
		 json_output ? "Z" : "");
}

/* Bytes for people: "512 B", "12.0 KB", "8.1 MB" (K, M, G are 1024s). */
static void format_bytes(char *text, size_t size, double bytes)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	unsigned int i = 0;

	if (bytes < 1024) {
		snprintf(text, size, "%.0f B", bytes);
		return;
	}
	bytes /= 1024;
	while (bytes >= 1024 && i + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		i++;
	}
	snprintf(text, size, "%.1f %s", bytes, units[i]);
}

/*
 * A field people read by its place in the line ("lease-ack MAC ADDR") and
 * JSON by its key.
 */
static void positional(const char *key, const char *value)
{
	if (json_output)
		output_str(key, value);
	else
		output_word(value);
}

static void positional_ipv4(const char *key, uint32_t addr_be)
{
	struct in_addr addr = { .s_addr = addr_be };
	char text[INET_ADDRSTRLEN];

	positional(key, inet_ntop(AF_INET, &addr, text, sizeof(text)));
}

static void positional_ipv6(const char *key, const void *addr)
{
	char text[INET6_ADDRSTRLEN];

	positional(key, inet_ntop(AF_INET6, addr, text, sizeof(text)));
}

/* "TIME EVENT" for people; JSON leads with the event. */
static void event_head(const char *time, const char *name)
{
	if (json_output) {
		output_str("event", name);
		output_str("time", time);
	} else {
		output_word(time);
		output_word(name);
	}
}

static void print_link(uint8_t cmd, struct nlattr **attrs, const char *time)
{
	event_head(time, cmd == PXE_CMD_LINK_ADD_NTF ? "link-add" : "link-del");
	if (attrs[PXE_A_IFNAME])
		output_str("dev", nla_get_string(attrs[PXE_A_IFNAME]));
	if (attrs[PXE_A_LINK_SERVER])
		output_ipv4("server", nla_get_u32(attrs[PXE_A_LINK_SERVER]));
}

/* "TIME lease-ack MAC ADDR pool NAME expires SECONDS ..." */
static void print_lease(struct nlattr **attrs, const char *time)
{
	char name[32], mac[18];

	event_name(name, sizeof(name), "lease", lease_events,
		   ARRAY_SIZE(lease_events), attrs[PXE_A_LEASE_EVENT]);
	event_head(time, name);
	if (attrs[PXE_A_LEASE_MAC] && nla_len(attrs[PXE_A_LEASE_MAC]) == 6) {
		format_mac(nla_data(attrs[PXE_A_LEASE_MAC]), mac);
		positional("mac", mac);
	}
	if (attrs[PXE_A_LEASE_ADDR])
		positional_ipv4("addr", nla_get_u32(attrs[PXE_A_LEASE_ADDR]));
	if (attrs[PXE_A_LEASE_ADDR6] && nla_len(attrs[PXE_A_LEASE_ADDR6]) == 16)
		output_ipv6("addr6", nla_data(attrs[PXE_A_LEASE_ADDR6]));
	if (attrs[PXE_A_LEASE_POOL])
		output_str("pool", nla_get_string(attrs[PXE_A_LEASE_POOL]));
	if (attrs[PXE_A_LEASE_IAID])
		output_u64("iaid", nla_get_u32(attrs[PXE_A_LEASE_IAID]));
	if (attrs[PXE_A_LEASE_DUID])
		output_hex("duid", nla_data(attrs[PXE_A_LEASE_DUID]),
			   nla_len(attrs[PXE_A_LEASE_DUID]));
	if (attrs[PXE_A_LEASE_EXPIRES])
		output_u64("expires", nla_get_u32(attrs[PXE_A_LEASE_EXPIRES]));
	if (attrs[PXE_A_LEASE_HOSTNAME])
		output_str("hostname",
			   nla_get_string(attrs[PXE_A_LEASE_HOSTNAME]));
	if (attrs[PXE_A_LEASE_BOOT_FILE])
		output_str("file", nla_get_string(attrs[PXE_A_LEASE_BOOT_FILE]));
}

/* Raw numbers in JSON, "8.1 MB in 2.31 s (3.5 MB/s)" for people. */
static void print_transfer(struct nlattr *bytes_attr, struct nlattr *ns_attr)
{
	uint64_t bytes = bytes_attr ? nla_get_u64(bytes_attr) : 0;
	uint64_t ns = ns_attr ? nla_get_u64(ns_attr) : 0;
	char size[32], rate[32], text[96];

	if (json_output) {
		if (bytes_attr)
			output_u64("bytes", bytes);
		if (ns_attr)
			output_u64("duration_ns", ns);
		return;
	}
	if (!bytes_attr || !ns_attr)
		return;
	format_bytes(size, sizeof(size), bytes);
	format_bytes(rate, sizeof(rate), ns ? bytes * 1e9 / ns : 0);
	snprintf(text, sizeof(text), "%s in %.2f s (%s/s)", size, ns / 1e9,
		 rate);
	output_word(text);
}

/* "TIME tftp-done CLIENT FILE 8.1 MB in 2.31 s (3.5 MB/s) dev IF ..." */
static void print_tftp(struct nlattr **attrs, const char *time)
{
	char name[32], dev[IF_NAMESIZE], quoted[PXE_IMAGE_NAME_MAX + 2];

	event_name(name, sizeof(name), "tftp", tftp_events,
		   ARRAY_SIZE(tftp_events), attrs[PXE_A_TFTP_EVENT]);
	event_head(time, name);
	if (attrs[PXE_A_TFTP_CLIENT])
		positional_ipv4("client", nla_get_u32(attrs[PXE_A_TFTP_CLIENT]));
	else if (attrs[PXE_A_TFTP_CLIENT6])
		positional_ipv6("client", nla_data(attrs[PXE_A_TFTP_CLIENT6]));
	if (attrs[PXE_A_TFTP_FILE])
		positional("file", nla_get_string(attrs[PXE_A_TFTP_FILE]));
	print_transfer(attrs[PXE_A_TFTP_BYTES], attrs[PXE_A_TFTP_DURATION]);
	if (attrs[PXE_A_IFINDEX] &&
	    if_indextoname(nla_get_u32(attrs[PXE_A_IFINDEX]), dev))
		output_str("dev", dev);
	if (attrs[PXE_A_TFTP_CLIENT_PORT])
		output_u64("port", nla_get_u16(attrs[PXE_A_TFTP_CLIENT_PORT]));
	if (attrs[PXE_A_TFTP_BLKSIZE])
		output_u64("blksize", nla_get_u16(attrs[PXE_A_TFTP_BLKSIZE]));
	if (attrs[PXE_A_TFTP_WINDOWSIZE])
		output_u64("windowsize",
			   nla_get_u16(attrs[PXE_A_TFTP_WINDOWSIZE]));
	if (attrs[PXE_A_TFTP_ERROR])
		output_u64("error", nla_get_u16(attrs[PXE_A_TFTP_ERROR]));
	if (attrs[PXE_A_TFTP_MESSAGE] && json_output) {
		output_str("message", nla_get_string(attrs[PXE_A_TFTP_MESSAGE]));
	} else if (attrs[PXE_A_TFTP_MESSAGE]) {
		snprintf(quoted, sizeof(quoted), "\"%s\"",
			 nla_get_string(attrs[PXE_A_TFTP_MESSAGE]));
		output_word(quoted);
	}
}

static int print_event(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	unsigned int show = *(unsigned int *)arg;
	char time[40];

	if ((cmd == PXE_CMD_LEASE_NTF && !(show & SHOW_LEASE)) ||
	    (cmd == PXE_CMD_TFTP_NTF && !(show & SHOW_TFTP)) ||
	    ((cmd == PXE_CMD_LINK_ADD_NTF || cmd == PXE_CMD_LINK_DEL_NTF) &&
	     !(show & SHOW_LINK)))
		return 0;
	event_time(time, sizeof(time));
	output_row_begin();
	switch (cmd) {
	case PXE_CMD_LINK_ADD_NTF:
	case PXE_CMD_LINK_DEL_NTF:
		print_link(cmd, attrs, time);
		break;
	case PXE_CMD_LEASE_NTF:
		print_lease(attrs, time);
		break;
	case PXE_CMD_TFTP_NTF:
		print_tftp(attrs, time);
		break;
	default:
		/* An event newer than this pxectl. */
		event_head(time, "unknown");
		output_u64(json_output ? "unknown_event" : "unknown-event", cmd);
		break;
	}
	output_row_end();
	fflush(stdout);
	return 0;
}

static int monitor_help(void)
{
	printf("Usage: pxectl [-j] monitor [lease] [tftp] [link]\n"
	       "\n"
	       "Prints the server's events until interrupted (Ctrl-C ends it\n"
	       "with status 0): leases offered, acknowledged, refused (nak),\n"
	       "released, declined, expired and informed; TFTP transfers\n"
	       "started, done (with size, duration and rate), failed (error)\n"
	       "or timed out; links added and removed.  Naming kinds prints only\n"
	       "those.  A line starts with the local time and the event:\n"
	       "\n"
	       "  12:00:01.234 lease-ack 52:54:00:12:34:56 192.168.1.100 pool lan\n"
	       "  12:00:03.545 tftp-done 192.168.1.100 vmlinuz 8.1 MB in 2.31 s (3.5 MB/s)\n"
	       "\n"
	       "With -j, one JSON object per line: \"event\" (\"lease-ack\",\n"
	       "\"tftp-done\", ...), \"time\" (UTC, ISO 8601) and the event's fields.\n");
	return 0;
}

/* Output is flushed after every event: nothing is lost by leaving at once. */
static void on_stop(int sig)
{
	_exit(0);
}

static int parse_kinds(int argc, char *argv[], unsigned int *show)
{
	static const struct { const char *name; unsigned int bit; } kinds[] = {
		{ "lease", SHOW_LEASE }, { "tftp", SHOW_TFTP },
		{ "link", SHOW_LINK },
	};
	unsigned int i;
	int arg;

	*show = argc > 1 ? 0 : SHOW_ALL;
	for (arg = 1; arg < argc; arg++) {
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			if (!strcmp(argv[arg], kinds[i].name))
				break;
		if (i == ARRAY_SIZE(kinds)) {
			pxe_error("monitor", "unknown argument '%s' (expected lease, tftp or link)",
				  argv[arg]);
			return -1;
		}
		*show |= kinds[i].bit;
	}
	return 0;
}

int monitor_main(int argc, char *argv[])
{
	struct sigaction stop = { .sa_handler = on_stop };
	struct monitor monitor = { .fn = print_event };
	unsigned int show;

	if (argc > 1 && !strcmp(argv[1], "help"))
		return monitor_help();
	if (parse_kinds(argc, argv, &show))
		return 1;
	monitor.arg = &show;
	/* A reader at the other end of a pipe that goes away ends us quietly. */
	signal(SIGPIPE, SIG_DFL);
	sigaction(SIGINT, &stop, NULL);
	output_stream();
	return pxe_monitor(&monitor) ? 1 : 0;
}
