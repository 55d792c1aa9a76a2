// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl boot": boot-file rules, which file (and next server) a client
 * is told to load, chosen by its architecture, vendor class, user class,
 * MAC and pool.
 *
 *	boot add [arch ARCH] [vendor PREFIX] [user-class NAME] [mac MAC[/LEN]]
 *		 [pool NAME] file PATH [server ADDR] [prio N]
 *	boot del ID
 *	boot show
 */
#include <stdio.h>
#include <string.h>
#include <linux/pxe.h>

#include "pxectl.h"

/*
 * Option 93 codes as the IANA "Processor Architecture Types" registry
 * assigns them; RFC 4578's erratum 4624 agrees: 7 is x64 UEFI, 9 EFI byte
 * code.  RFC 4578 as first published has the two swapped and some x64
 * firmware follows it, so "efi-x64" also matches 9 (the kernel's
 * BOOT_ARCH_ALT).  A number matches that code alone.
 */
#define NO_ALT (-1)

static const struct arch_name {
	const char *name;
	uint16_t arch;
	int alt;
} arch_names[] = {
	{ "bios", 0, NO_ALT },
	{ "efi-ia32", 6, NO_ALT },
	{ "efi-x64", 7, 9 },
	{ "efi-bc", 9, NO_ALT },
	{ "efi-arm32", 10, NO_ALT },
	{ "efi-arm64", 11, NO_ALT },
	{ "efi-ia32-http", 15, NO_ALT },
	{ "efi-x64-http", 16, NO_ALT },
	{ "efi-arm64-http", 19, NO_ALT },
	{ "rpi", 41, NO_ALT },
};

#define N_ARCH_NAMES (sizeof(arch_names) / sizeof(arch_names[0]))

static int parse_arch(const char *text, uint16_t *arch, int *alt)
{
	char names[256] = "";
	uint32_t value;
	size_t i;

	for (i = 0; i < N_ARCH_NAMES; i++) {
		if (!strcmp(text, arch_names[i].name)) {
			*arch = arch_names[i].arch;
			*alt = arch_names[i].alt;
			return 0;
		}
	}
	if (text[0] < '0' || text[0] > '9') {
		for (i = 0; i < N_ARCH_NAMES; i++) {
			strcat(names, arch_names[i].name);
			strcat(names, i + 1 < N_ARCH_NAMES ? ", " : " ");
		}
		pxe_error("boot add", "invalid arch '%s' (expected %sor a number from 0 to 65535)",
			  text, names);
		return -1;
	}
	if (parse_u32("boot add", "arch", text, 0, 65535, &value))
		return -1;
	*arch = value;
	*alt = NO_ALT;
	return 0;
}

static int check_length(const char *keyword, const char *text, size_t max)
{
	if (*text && strlen(text) < max)
		return 0;
	pxe_error("boot add", "invalid %s '%s' (1 to %zu characters)",
		  keyword, text, max - 1);
	return -1;
}

enum { K_ARCH, K_VENDOR, K_USER_CLASS, K_MAC, K_POOL, K_FILE, K_SERVER,
       K_PRIO };

static int put_string(struct nl_msg *msg, int attr, const struct keyword *k,
		      size_t max)
{
	if (!k->value)
		return 0;
	if (check_length(k->name, k->value, max))
		return -1;
	return nla_put_string(msg, attr, k->value) ? -1 : 0;
}

static int put_rule(struct nl_msg *msg, const struct keyword *keywords)
{
	unsigned int mac_len;
	uint32_t server, prio;
	uint16_t arch;
	uint8_t mac[6];
	int alt;

	if (keywords[K_ARCH].value &&
	    (parse_arch(keywords[K_ARCH].value, &arch, &alt) ||
	     nla_put_u16(msg, PXE_A_BOOT_ARCH, arch) ||
	     (alt != NO_ALT && nla_put_u16(msg, PXE_A_BOOT_ARCH_ALT, alt))))
		return -1;
	if (put_string(msg, PXE_A_BOOT_VENDOR, &keywords[K_VENDOR],
		       PXE_NAME_MAX) ||
	    put_string(msg, PXE_A_BOOT_USER_CLASS, &keywords[K_USER_CLASS],
		       PXE_NAME_MAX) ||
	    put_string(msg, PXE_A_BOOT_POOL, &keywords[K_POOL], PXE_NAME_MAX) ||
	    put_string(msg, PXE_A_BOOT_FILE, &keywords[K_FILE], PXE_FILE_MAX))
		return -1;
	if (keywords[K_MAC].value &&
	    (parse_mac("boot add", "mac", keywords[K_MAC].value, mac,
		       &mac_len) ||
	     nla_put(msg, PXE_A_BOOT_MAC, 6, mac) ||
	     nla_put_u8(msg, PXE_A_BOOT_MAC_LEN, mac_len)))
		return -1;
	if (keywords[K_SERVER].value &&
	    (parse_ipv4("boot add", "server", keywords[K_SERVER].value,
			&server) ||
	     nla_put_u32(msg, PXE_A_BOOT_SERVER, server)))
		return -1;
	if (keywords[K_PRIO].value &&
	    (parse_u32("boot add", "prio", keywords[K_PRIO].value, 0,
		       UINT32_MAX, &prio) ||
	     nla_put_u32(msg, PXE_A_BOOT_PRIO, prio)))
		return -1;
	return 0;
}

static int print_id(struct nlattr **attrs, void *arg)
{
	bool *printed = arg;

	if (!attrs[PXE_A_BOOT_ID])
		return 0;
	/* Not through output.c: a "show" later in a batch stays an array. */
	if (json_output)
		printf("{\"id\":%u}\n", nla_get_u32(attrs[PXE_A_BOOT_ID]));
	else
		printf("%u\n", nla_get_u32(attrs[PXE_A_BOOT_ID]));
	*printed = true;
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

static int boot_add(int argc, char *argv[])
{
	struct keyword keywords[] = {
		[K_ARCH] = { .name = "arch", .meta = "ARCH" },
		[K_VENDOR] = { .name = "vendor", .meta = "PREFIX" },
		[K_USER_CLASS] = { .name = "user-class", .meta = "NAME" },
		[K_MAC] = { .name = "mac", .meta = "MAC[/LEN]" },
		[K_POOL] = { .name = "pool", .meta = "NAME" },
		[K_FILE] = { .name = "file", .meta = "PATH", .required = true },
		[K_SERVER] = { .name = "server", .meta = "ADDR" },
		[K_PRIO] = { .name = "prio", .meta = "N" },
		{}
	};
	struct nl_msg *attrs, *msg;
	bool printed = false;

	if (parse_keywords("boot add", argc - 1, argv + 1, keywords))
		return 1;
	attrs = nlmsg_alloc();
	if (!attrs) {
		pxe_error(NULL, "out of memory");
		return 1;
	}
	if (put_rule(attrs, keywords)) {
		nlmsg_free(attrs);
		return 1;
	}
	msg = request_with(PXE_CMD_BOOT_NEW, attrs);
	if (!msg)
		return 1;
	if (pxe_request("boot add", msg, print_id, &printed))
		return 1;
	/* A request "apply" kept, not sent, has no id yet. */
	if (!printed && !pxe_record) {
		pxe_error("boot add", "kernel reply has no rule id (%s)",
			  SAME_RELEASE_HINT);
		return 1;
	}
	return 0;
}

static int boot_del(int argc, char *argv[])
{
	struct nl_msg *msg;
	char what[32];
	uint32_t id;

	if (argc != 2) {
		pxe_error("boot del", argc < 2 ? "missing rule ID" :
			  "unexpected argument after the rule ID");
		return 1;
	}
	if (parse_u32("boot del", "ID", argv[1], 1, UINT32_MAX, &id))
		return 1;
	snprintf(what, sizeof(what), "boot del %u", id);
	msg = pxe_msg_new(PXE_CMD_BOOT_DEL, 0);
	if (!msg)
		return 1;
	if (nla_put_u32(msg, PXE_A_BOOT_ID, id))
		return pxe_msg_abort(what, msg, -NLE_NOMEM) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

/*
 * The name whose codes are exactly the rule's, so that what is shown can
 * be added again as it is; else the numbers (a second one only from
 * another netlink client).
 */
static void print_arch(struct nlattr **attrs)
{
	uint16_t arch = nla_get_u16(attrs[PXE_A_BOOT_ARCH]);
	int alt = NO_ALT;
	size_t i;

	if (attrs[PXE_A_BOOT_ARCH_ALT])
		alt = nla_get_u16(attrs[PXE_A_BOOT_ARCH_ALT]);
	for (i = 0; i < N_ARCH_NAMES; i++) {
		if (arch_names[i].arch == arch && arch_names[i].alt == alt) {
			output_str("arch", arch_names[i].name);
			return;
		}
	}
	output_u64("arch", arch);
	if (alt != NO_ALT)
		output_u64(json_output ? "arch_alt" : "arch-alt", alt);
}

static void print_mac(struct nlattr **attrs)
{
	unsigned int len = 48;
	char text[24];

	if (attrs[PXE_A_BOOT_MAC_LEN])
		len = nla_get_u8(attrs[PXE_A_BOOT_MAC_LEN]);
	format_mac(nla_data(attrs[PXE_A_BOOT_MAC]), text);
	if (len != 48)
		snprintf(text + 17, sizeof(text) - 17, "/%u", len);
	output_str("mac", text);
}

static int boot_print(struct nlattr **attrs, void *arg)
{
	if (!attrs[PXE_A_BOOT_ID] || !attrs[PXE_A_BOOT_FILE]) {
		pxe_error("boot show", "kernel reply has no rule id or file (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	output_row_begin();
	output_u64("id", nla_get_u32(attrs[PXE_A_BOOT_ID]));
	if (attrs[PXE_A_BOOT_PRIO])
		output_u64("prio", nla_get_u32(attrs[PXE_A_BOOT_PRIO]));
	if (attrs[PXE_A_BOOT_ARCH])
		print_arch(attrs);
	if (attrs[PXE_A_BOOT_VENDOR])
		output_str("vendor", nla_get_string(attrs[PXE_A_BOOT_VENDOR]));
	if (attrs[PXE_A_BOOT_USER_CLASS])
		output_str(json_output ? "user_class" : "user-class",
			   nla_get_string(attrs[PXE_A_BOOT_USER_CLASS]));
	if (attrs[PXE_A_BOOT_MAC] && nla_len(attrs[PXE_A_BOOT_MAC]) == 6)
		print_mac(attrs);
	if (attrs[PXE_A_BOOT_POOL])
		output_str("pool", nla_get_string(attrs[PXE_A_BOOT_POOL]));
	output_str("file", nla_get_string(attrs[PXE_A_BOOT_FILE]));
	if (attrs[PXE_A_BOOT_SERVER])
		output_ipv4("server", nla_get_u32(attrs[PXE_A_BOOT_SERVER]));
	if (attrs[PXE_A_BOOT_HITS])
		output_u64("hits", nla_get_u64(attrs[PXE_A_BOOT_HITS]));
	output_row_end();
	return 0;
}

/* Also "boot" alone: the rules in the order they are tried. */
static int boot_show(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1) {
		pxe_error("boot show", "unexpected argument '%s'", argv[1]);
		return 1;
	}
	msg = pxe_msg_new(PXE_CMD_BOOT_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	output_list_begin();
	if (pxe_request("boot show", msg, boot_print, NULL)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int boot_help(int argc, char *argv[]);

static const struct command boot_commands[] = {
	{ "add",	boot_add,	"[arch ARCH] [vendor PREFIX] [user-class NAME] [mac MAC[/LEN]] "
					"[pool NAME] file PATH [server ADDR] [prio N]" },
	{ "del",	boot_del,	"ID" },
	{ "delete",	boot_del,	NULL },
	{ "show",	boot_show,	"" },
	{ "list",	boot_show,	NULL },
	{ "help",	boot_help,	"" },
	{}
};

static int boot_help(int argc, char *argv[])
{
	usage_commands(stdout, "boot", boot_commands);
	printf("\n"
	       "A rule tells the clients it matches to load PATH (the BOOTP file\n"
	       "field, options 67 and 66) from ADDR (default: the link's server\n"
	       "address).  A client matches when every condition given holds:\n"
	       "ARCH is its architecture (option 93), as IANA numbers them:\n"
	       "bios (0), efi-ia32 (6), efi-x64 (7, and 9 from firmware that\n"
	       "follows RFC 4578 before its erratum), efi-bc (9), efi-arm32\n"
	       "(10), efi-arm64 (11), efi-ia32-http (15), efi-x64-http (16),\n"
	       "efi-arm64-http (19), rpi (41: a Raspberry Pi, known by option\n"
	       "97, or by option 60 and its MAC), or a number, which matches that\n"
	       "code alone; PREFIX starts its vendor class (option 60, e.g.\n"
	       "PXEClient); NAME is one of its user classes (option 77, e.g.\n"
	       "iPXE); its MAC starts with the first LEN bits of MAC; it is\n"
	       "served from pool NAME.  Rules are tried in ascending prio\n"
	       "(default 100), then in the order added; the first match wins.\n"
	       "PATH (up to 255 characters) may be a URL on an HTTP server of\n"
	       "yours, e.g. http://192.168.1.1/ipxe.efi: UEFI HTTP Boot clients\n"
	       "(option 60 HTTPClient, arch efi-x64-http) get it, with option 60\n"
	       "HTTPClient.  URL rules pass over PXE firmware (60 PXEClient,\n"
	       "unless it is iPXE), other rules over HTTP Boot clients: one\n"
	       "list serves both.\n"
	       "\"boot add\" prints the new rule's ID.\n");
	return 0;
}

int boot_main(int argc, char *argv[])
{
	if (argc < 2)
		return boot_show(argc, argv);
	return run_command(boot_commands, "boot", argc - 1, argv + 1);
}
