// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl settings": the limits of the namespace's server.
 *
 *	settings show
 *	settings set [image-memory BYTES] [tftp-sessions N]
 *		     [tftp-per-client N] [tftp-blksize N] [tftp-windowsize N]
 *		     [tftp-ports LOW-HIGH]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

/* "LOW-HIGH", both 1024..65535, LOW <= HIGH. */
static int parse_port_range(const char *what, const char *text,
			    uint32_t *low, uint32_t *high)
{
	const char *dash = strchr(text, '-');
	char low_text[8];
	size_t n;

	if (!dash || (n = dash - text) >= sizeof(low_text)) {
		pxe_error(what, "invalid tftp-ports '%s' (expected LOW-HIGH, e.g. 61000-65535)",
			  text);
		return -1;
	}
	memcpy(low_text, text, n);
	low_text[n] = '\0';
	if (parse_u32(what, "tftp-ports low port", low_text, 1024, 65535, low) ||
	    parse_u32(what, "tftp-ports high port", dash + 1, 1024, 65535, high))
		return -1;
	if (*low > *high) {
		pxe_error(what, "invalid tftp-ports '%s' (the low port is above the high one)",
			  text);
		return -1;
	}
	return 0;
}

static int settings_set(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "image-memory", .meta = "BYTES" },
		{ .name = "tftp-sessions", .meta = "N" },
		{ .name = "tftp-per-client", .meta = "N" },
		{ .name = "tftp-blksize", .meta = "N" },
		{ .name = "tftp-windowsize", .meta = "N" },
		{ .name = "tftp-ports", .meta = "LOW-HIGH" },
		{}
	};
	static const struct {
		int attr;
		uint32_t min, max;
	} numbers[] = {
		{ PXE_A_LIMIT_TFTP_SESSIONS, 1, UINT32_MAX },
		{ PXE_A_LIMIT_TFTP_PER_CLIENT, 1, UINT32_MAX },
		{ PXE_A_LIMIT_TFTP_BLKSIZE, 512, 65464 },
		{ PXE_A_LIMIT_TFTP_WINDOWSIZE, 1, 65535 },
	};
	const char *what = "settings set";
	struct nl_msg *msg;
	uint64_t bytes;
	uint32_t n, low, high;
	int i, err = 0;

	if (parse_keywords(what, argc - 1, argv + 1, keywords))
		return 1;
	if (argc < 2) {
		pxe_error(what, "nothing to set: give one or more of image-memory, tftp-sessions, tftp-per-client, tftp-blksize, tftp-windowsize, tftp-ports");
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_LIMITS_SET, 0);
	if (!msg)
		return 1;
	if (keywords[0].value) {
		if (parse_size(what, "image-memory", keywords[0].value, &bytes))
			goto invalid;
		err = nla_put_u64(msg, PXE_A_LIMIT_IMAGE_MEMORY, bytes);
	}
	for (i = 0; !err && i < 4; i++) {
		if (!keywords[i + 1].value)
			continue;
		if (parse_u32(what, keywords[i + 1].name, keywords[i + 1].value,
			      numbers[i].min, numbers[i].max, &n))
			goto invalid;
		err = nla_put_u32(msg, numbers[i].attr, n);
	}
	if (!err && keywords[5].value) {
		if (parse_port_range(what, keywords[5].value, &low, &high))
			goto invalid;
		err = nla_put_u16(msg, PXE_A_LIMIT_TFTP_PORT_MIN, low) ||
		      nla_put_u16(msg, PXE_A_LIMIT_TFTP_PORT_MAX, high);
	}
	if (err)
		return pxe_msg_abort(what, msg, err) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;

invalid:
	nlmsg_free(msg);
	return 1;
}

static int settings_print(struct nlattr **attrs, void *arg)
{
	static const struct {
		int attr;
		const char *name;
	} fields[] = {
		{ PXE_A_LIMIT_IMAGE_MEMORY, "image_memory" },
		{ PXE_A_IMAGE_MEMORY_USED, "image_memory_used" },
		{ PXE_A_LIMIT_TFTP_SESSIONS, "tftp_sessions" },
		{ PXE_A_TFTP_SESSIONS_ACTIVE, "tftp_sessions_active" },
		{ PXE_A_LIMIT_TFTP_PER_CLIENT, "tftp_per_client" },
		{ PXE_A_LIMIT_TFTP_BLKSIZE, "tftp_blksize" },
		{ PXE_A_LIMIT_TFTP_WINDOWSIZE, "tftp_windowsize" },
		{ PXE_A_LIMIT_TFTP_PORT_MIN, "tftp_port_min" },
		{ PXE_A_LIMIT_TFTP_PORT_MAX, "tftp_port_max" },
	};
	unsigned int i;

	output_row_begin();
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct nlattr *a = attrs[fields[i].attr];

		if (!a)
			continue;
		output_u64(fields[i].name, nla_len(a) == 8 ? nla_get_u64(a) :
			   nla_len(a) == 2 ? nla_get_u16(a) : nla_get_u32(a));
	}
	output_row_end();
	return 0;
}

static int settings_show(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("settings show", "unknown argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_LIMITS_GET, 0);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request("settings show", msg, settings_print, NULL)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int settings_help(int argc, char *argv[]);

static const struct command settings_commands[] = {
	{ "show",	settings_show,	"" },
	{ "set",	settings_set,	"[image-memory BYTES] [tftp-sessions N] [tftp-per-client N] [tftp-blksize N] [tftp-windowsize N] [tftp-ports LOW-HIGH]" },
	{ "help",	settings_help,	"" },
	{}
};

static int settings_help(int argc, char *argv[])
{
	usage_commands(stdout, "settings", settings_commands);
	printf("\n"
	       "Limits of the server in this network namespace.  BYTES takes a\n"
	       "K, M, G or T suffix.  Defaults: image-memory 64M, tftp-sessions 64,\n"
	       "tftp-per-client 8, tftp-blksize 65464 (always clamped to what\n"
	       "fits the device's MTU), tftp-windowsize 64, tftp-ports\n"
	       "61000-65535 (transfer ports; above Linux's ephemeral ports).\n");
	return 0;
}

int settings_main(int argc, char *argv[])
{
	if (argc < 2)
		return settings_show(argc, argv);
	return run_command(settings_commands, "settings", argc - 1, argv + 1);
}
