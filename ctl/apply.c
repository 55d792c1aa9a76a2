// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl apply [--dry-run] FILE": make the server of this network
 * namespace hold what FILE says, and change nothing else.
 *
 * FILE is a batch file of configuration lines only: settings set, link
 * add, pool add, host add, boot add and image load.  Every line is checked
 * first by its own command with pxe_record set, so nothing is sent and the
 * request it would send is kept; an image's file is read and hashed.  One
 * bad line stops the apply before anything changed.
 *
 * Then the tables are dumped and compared with the kept requests, attribute
 * by attribute (struct field says how), and only the differences are sent:
 *
 *   1. deletions of what FILE no longer has: images, boot rules, hosts,
 *      pools, links;
 *   2. the settings FILE gives that differ (the others stay as they are);
 *   3. additions and changes: links, pools, hosts, boot rules, images.
 *
 * There is no "change" request: a changed link, pool or host is deleted
 * and added again.  A pool's bound leases are put back after it is re-made
 * (those whose address it still holds); a re-made link re-makes its pools.
 * A changed image is uploaded under its name, which replaces it whole:
 * transfers that started keep the bytes they started with.  Boot rules
 * have no name: within each prio the rules the server holds in FILE's order
 * stay, and from the first that differs on they are replaced.
 *
 * Each change is printed as it is made ("+", "-" or "~", then the
 * command); with --dry-run it is only printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pxe.h>
#include <netlink/genl/genl.h>

#include "pxectl.h"

enum kind { SETTINGS, LINK, POOL, HOST, BOOT, IMAGE, KINDS };

/* One object: wanted (a line of FILE) or held (a row of a dump). */
struct item {
	struct nlattr *a[PXE_A_MAX + 1];
	struct nl_msg *msg;	/* wanted: the kept request a[] points into */
	void *copy;		/* held: the copied attributes a[] points into */
	char *text;		/* wanted: the line as written */
	unsigned long line;
	char name[PXE_IMAGE_NAME_MAX];	/* an image's name */
	char *path;		/* an image's file */
	struct image_file file;
	bool mapped;
	uint8_t sha256[SHA256_LEN];
	struct item *twin;	/* the held object of a wanted one's key */
	bool same;		/* wanted: held exactly so, nothing to send */
	bool remake;		/* held: to be deleted and added again */
};

struct list {
	struct item *v;
	size_t n, max;
};

struct apply {
	const char *path;
	bool dry_run;
	struct list want[KINDS], held[KINDS];
	struct list leases;	/* held, of every pool */
};

/* How an attribute of a wanted object is compared with the held one. */
enum how {
	EXACT,		/* both absent, or both present and equal */
	GIVEN,		/* compared only when FILE gives it (the kernel
			 * derives it otherwise: a link's server, a mask) */
	DEFAULT,	/* a u32; absent is the kernel's default @def */
};

struct field {
	int attr;
	enum how how;
	uint32_t def;
};

static const struct field link_fields[] = {
	{ PXE_A_LINK_SERVER, GIVEN, 0 },
	{ PXE_A_LINK_RA, EXACT, 0 },
	{}
};

static const struct field pool_fields[] = {
	{ PXE_A_IFNAME, EXACT, 0 },
	{ PXE_A_POOL_START, EXACT, 0 },
	{ PXE_A_POOL_END, EXACT, 0 },
	{ PXE_A_POOL_NETMASK, GIVEN, 0 },
	{ PXE_A_POOL_ROUTER, EXACT, 0 },
	{ PXE_A_POOL_DNS, EXACT, 0 },
	{ PXE_A_POOL_DOMAIN, EXACT, 0 },
	{ PXE_A_POOL_LEASE_TIME, DEFAULT, PXE_LEASE_TIME_DEFAULT },
	{ PXE_A_POOL_PROXY, EXACT, 0 },
	{ PXE_A_POOL_START6, EXACT, 0 },
	{ PXE_A_POOL_END6, EXACT, 0 },
	{ PXE_A_POOL_DNS6, EXACT, 0 },
	{}
};

static const struct field host_fields[] = {
	{ PXE_A_HOST_ADDR, EXACT, 0 },
	{ PXE_A_HOST_NAME, EXACT, 0 },
	{ PXE_A_HOST_ADDR6, EXACT, 0 },
	{}
};

static const struct field boot_fields[] = {
	{ PXE_A_BOOT_ARCH, EXACT, 0 },
	{ PXE_A_BOOT_ARCH_ALT, EXACT, 0 },
	{ PXE_A_BOOT_VENDOR, EXACT, 0 },
	{ PXE_A_BOOT_USER_CLASS, EXACT, 0 },
	{ PXE_A_BOOT_MAC, EXACT, 0 },
	{ PXE_A_BOOT_MAC_LEN, EXACT, 0 },
	{ PXE_A_BOOT_POOL, EXACT, 0 },
	{ PXE_A_BOOT_FILE, EXACT, 0 },
	{ PXE_A_BOOT_SERVER, EXACT, 0 },
	{ PXE_A_BOOT_PRIO, DEFAULT, PXE_BOOT_PRIO_DEFAULT },
	{}
};

static const struct field settings_fields[] = {
	{ PXE_A_LIMIT_IMAGE_MEMORY, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_SESSIONS, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_PER_CLIENT, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_BLKSIZE, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_WINDOWSIZE, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_PORT_MIN, GIVEN, 0 },
	{ PXE_A_LIMIT_TFTP_PORT_MAX, GIVEN, 0 },
	{}
};

/* The lines FILE may hold, the request each keeps, and its key. */
static const struct {
	const char *object, *command;
	int (*run)(int argc, char *argv[]);
	uint8_t cmd;
	int key;	/* 0: none (settings, boot rules, images) */
	const struct field *fields;
} kinds[KINDS] = {
	[SETTINGS] = { "settings", "set", settings_main, PXE_CMD_LIMITS_SET,
		       0, settings_fields },
	[LINK] = { "link", "add", link_main, PXE_CMD_LINK_NEW, PXE_A_IFNAME,
		   link_fields },
	[POOL] = { "pool", "add", pool_main, PXE_CMD_POOL_NEW,
		   PXE_A_POOL_NAME, pool_fields },
	[HOST] = { "host", "add", host_main, PXE_CMD_HOST_NEW,
		   PXE_A_HOST_MAC, host_fields },
	[BOOT] = { "boot", "add", boot_main, PXE_CMD_BOOT_NEW, 0,
		   boot_fields },
	[IMAGE] = { "image", "load", NULL, 0, 0, NULL },
};

static struct item *list_add(struct list *l)
{
	struct item *bigger;

	if (l->n == l->max) {
		l->max = l->max ? 2 * l->max : 16;
		bigger = realloc(l->v, l->max * sizeof(*l->v));
		if (!bigger) {
			pxe_error(NULL, "out of memory");
			return NULL;
		}
		l->v = bigger;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static bool attr_equal(const struct nlattr *x, const struct nlattr *y)
{
	if (!x || !y)
		return !x && !y;
	return nla_len(x) == nla_len(y) &&
	       !memcmp(nla_data(x), nla_data(y), nla_len(x));
}

static uint32_t u32_or(const struct nlattr *a, uint32_t def)
{
	return a && nla_len(a) >= 4 ? nla_get_u32((struct nlattr *)a) : def;
}

/* The wanted object @w is the held object @h, for what FILE says. */
static bool same_fields(const struct field *f, const struct item *w,
			const struct item *h)
{
	for (; f->attr; f++) {
		const struct nlattr *x = w->a[f->attr], *y = h->a[f->attr];

		if (f->how == GIVEN && !x)
			continue;
		if (f->how == DEFAULT) {
			if (u32_or(x, f->def) != u32_or(y, f->def))
				return false;
		} else if (!attr_equal(x, y)) {
			return false;
		}
	}
	return true;
}

/* The rows of a dump outlive it: each one's attributes are copied. */
static int keep_row(struct nlattr **attrs, void *arg)
{
	struct item *it = list_add(arg);
	size_t size = 0;
	char *p;
	int i;

	if (!it)
		return -1;
	for (i = 1; i <= PXE_A_MAX; i++)
		if (attrs[i])
			size += nla_total_size(nla_len(attrs[i]));
	it->copy = p = malloc(size ? size : 1);
	if (!p) {
		pxe_error(NULL, "out of memory");
		return -1;
	}
	for (i = 1; i <= PXE_A_MAX; i++) {
		if (!attrs[i])
			continue;
		memcpy(p, attrs[i], nla_attr_size(nla_len(attrs[i])));
		it->a[i] = (struct nlattr *)p;
		p += nla_total_size(nla_len(attrs[i]));
	}
	return 0;
}

static int dump(const char *what, uint8_t cmd, struct list *into)
{
	struct nl_msg *msg = pxe_msg_new(cmd, cmd == PXE_CMD_LIMITS_GET ?
					 0 : NLM_F_DUMP);

	if (!msg)
		return -1;
	return pxe_request(what, msg, keep_row, into);
}

static void item_free(struct item *it)
{
	nlmsg_free(it->msg);
	free(it->copy);
	free(it->text);
	free(it->path);
	if (it->mapped)
		image_file_unmap(&it->file);
}

static void apply_free(struct apply *ap)
{
	struct list *lists[] = { ap->want, ap->held };
	size_t i, j;
	int k;

	for (i = 0; i < 2; i++) {
		for (k = 0; k < KINDS; k++) {
			for (j = 0; j < lists[i][k].n; j++)
				item_free(&lists[i][k].v[j]);
			free(lists[i][k].v);
		}
	}
	for (j = 0; j < ap->leases.n; j++)
		item_free(&ap->leases.v[j]);
	free(ap->leases.v);
}

/* Checking FILE */

/* "image load NAME FILE": the file is read and hashed now. */
static int check_image(struct item *it, int argc, char *argv[])
{
	char what[32 + PXE_IMAGE_NAME_MAX];

	if (argc != 3) {
		pxe_error("image load", "expected NAME FILE");
		return -1;
	}
	snprintf(what, sizeof(what), "image load %s", argv[1]);
	if (strlen(argv[1]) >= PXE_IMAGE_NAME_MAX) {
		pxe_error(what, "image name longer than %d bytes",
			  PXE_IMAGE_NAME_MAX - 1);
		return -1;
	}
	image_name_normalise(argv[1], it->name, sizeof(it->name));
	if (!it->name[0]) {
		pxe_error(what, "empty image name");
		return -1;
	}
	it->path = strdup(argv[2]);
	if (!it->path) {
		pxe_error(NULL, "out of memory");
		return -1;
	}
	if (image_file_map(what, it->path, 0, &it->file))
		return -1;
	it->mapped = true;
	if (!image_sha256(it->file.data, it->file.size, it->sha256)) {
		pxe_error(what, "cannot compute SHA-256 (OpenSSL failed)");
		return -1;
	}
	return 0;
}

/* A configuration line: its command keeps the request it would send. */
static int check_request(struct item *it, enum kind kind, int argc,
			 char *argv[])
{
	struct genlmsghdr *ghdr;
	int ret;

	pxe_record = &it->msg;
	ret = kinds[kind].run(argc, argv);
	pxe_record = NULL;
	if (ret)
		return -1;
	ghdr = it->msg ? nlmsg_data(nlmsg_hdr(it->msg)) : NULL;
	if (!ghdr || ghdr->cmd != kinds[kind].cmd ||
	    genlmsg_parse(nlmsg_hdr(it->msg), 0, it->a, PXE_A_MAX, NULL) < 0) {
		pxe_error(NULL, "%s %s built no request (a bug in pxectl)",
			  kinds[kind].object, kinds[kind].command);
		return -1;
	}
	return 0;
}

static const char *key_text(enum kind kind, const struct item *it,
			    char *buf, size_t size)
{
	const struct nlattr *a;

	if (kind == IMAGE)
		return it->name;
	a = it->a[kinds[kind].key];
	if (kind == HOST) {
		format_mac(nla_data((struct nlattr *)a), buf);
		return buf;
	}
	snprintf(buf, size, "%s", nla_get_string((struct nlattr *)a));
	return buf;
}

static bool same_key(enum kind kind, const struct item *x,
		     const struct item *y)
{
	if (kind == IMAGE)
		return !strcmp(x->name, y->name);
	return attr_equal(x->a[kinds[kind].key], y->a[kinds[kind].key]);
}

/* Two lines for one object: the second would fail, so the file does. */
static int check_twice(struct apply *ap, enum kind kind, struct item *it)
{
	struct list *l = &ap->want[kind];
	char key[PXE_IMAGE_NAME_MAX];
	size_t i;

	if (kind == SETTINGS || kind == BOOT)
		return 0;
	if (kind != IMAGE && !it->a[kinds[kind].key]) {
		pxe_error(NULL, "%s %s built no request (a bug in pxectl)",
			  kinds[kind].object, kinds[kind].command);
		return -1;
	}
	for (i = 0; i + 1 < l->n; i++) {
		if (!same_key(kind, &l->v[i], it))
			continue;
		pxe_error(NULL, "%s '%s' is already at line %lu",
			  kinds[kind].object,
			  key_text(kind, it, key, sizeof(key)), l->v[i].line);
		return -1;
	}
	return 0;
}

static int check_line(struct apply *ap, char *text, char **words, int count,
		      unsigned long line)
{
	struct item *it;
	int kind;

	for (kind = 0; kind < KINDS; kind++)
		if (count >= 2 && !strcmp(words[0], kinds[kind].object) &&
		    !strcmp(words[1], kinds[kind].command))
			break;
	if (kind == KINDS) {
		pxe_error(NULL, "'%s%s%s' is not a configuration line: an applied file holds only settings set, link add, pool add, host add, boot add and image load",
			  words[0], count > 1 ? " " : "",
			  count > 1 ? words[1] : "");
		return -1;
	}
	it = list_add(&ap->want[kind]);
	if (!it)
		return -1;
	it->line = line;
	it->text = strdup(text);
	if (!it->text) {
		pxe_error(NULL, "out of memory");
		return -1;
	}
	if (kind == IMAGE ? check_image(it, count - 1, words + 1) :
	    check_request(it, kind, count, words))
		return -1;
	return check_twice(ap, kind, it);
}

/* The line as written, for messages: no newline, no comment after it. */
static char *line_text(const char *line)
{
	size_t len = strcspn(line, "\r\n");
	char *text = strndup(line, len);

	return text;
}

static int check_file(struct apply *ap)
{
	FILE *file = fopen(ap->path, "re");
	char *line = NULL, *text, **words = NULL;
	size_t line_size = 0, words_size = 0;
	unsigned long n = 0;
	int count, ret = 0;

	if (!file) {
		pxe_error("apply", "cannot open '%s': %s", ap->path,
			  strerror(errno));
		return -1;
	}
	while (!ret && getline(&line, &line_size, file) >= 0) {
		batch_where(ap->path, ++n);
		text = line_text(line);
		count = text ? split_words(line, &words, &words_size) : -ENOMEM;
		if (count < 0) {
			pxe_error(NULL, "%s", count == -EINVAL ?
				  "unterminated double quote" : strerror(-count));
			ret = -1;
		} else if (count > 0) {
			ret = check_line(ap, text, words, count, n);
		}
		free(text);
	}
	batch_where(NULL, 0);
	if (!ret && ferror(file)) {
		pxe_error("apply", "cannot read '%s': %s", ap->path,
			  strerror(errno));
		ret = -1;
	}
	free(words);
	free(line);
	fclose(file);
	return ret;
}

/* Comparing with the server */

static int read_server(struct apply *ap)
{
	static const struct {
		int kind;	/* KINDS: the leases */
		uint8_t cmd;
		const char *what;
	} dumps[] = {
		{ SETTINGS, PXE_CMD_LIMITS_GET, "settings show" },
		{ LINK, PXE_CMD_LINK_GET, "link show" },
		{ POOL, PXE_CMD_POOL_GET, "pool show" },
		{ HOST, PXE_CMD_HOST_GET, "host show" },
		{ BOOT, PXE_CMD_BOOT_GET, "boot show" },
		{ IMAGE, PXE_CMD_IMAGE_GET, "image show" },
		{ KINDS, PXE_CMD_LEASE_GET, "lease show" },
	};
	struct image_info info;
	struct item *it;
	size_t i;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++)
		if (dump(dumps[i].what, dumps[i].cmd, dumps[i].kind == KINDS ?
			 &ap->leases : &ap->held[dumps[i].kind]))
			return -1;
	for (i = 0; i < ap->held[IMAGE].n; i++) {
		it = &ap->held[IMAGE].v[i];
		if (image_info_parse("image show", it->a, &info))
			return -1;
		snprintf(it->name, sizeof(it->name), "%s", info.name);
		memcpy(it->sha256, info.sha256, SHA256_LEN);
	}
	for (i = 0; i < KINDS; i++) {
		size_t j;

		if (!kinds[i].key)
			continue;
		for (j = 0; j < ap->held[i].n; j++)
			if (!ap->held[i].v[j].a[kinds[i].key] ||
			    (i == HOST && nla_len(ap->held[i].v[j].a[kinds[i].key]) != 6)) {
				pxe_error("apply", "a %s the kernel listed has no name (%s)",
					  kinds[i].object, SAME_RELEASE_HINT);
				return -1;
			}
	}
	return 0;
}

/* Pairs each wanted object with the held one of its key. */
static void match_named(struct apply *ap, enum kind kind)
{
	struct list *w = &ap->want[kind], *h = &ap->held[kind];
	size_t i, j;

	for (i = 0; i < w->n; i++) {
		for (j = 0; j < h->n && !same_key(kind, &w->v[i], &h->v[j]); j++)
			;
		if (j == h->n)
			continue;
		w->v[i].twin = &h->v[j];
		h->v[j].twin = &w->v[i];
		w->v[i].same = kind == IMAGE ?
			!memcmp(w->v[i].sha256, h->v[j].sha256, SHA256_LEN) :
			same_fields(kinds[kind].fields, &w->v[i], &h->v[j]);
		h->v[j].remake = !w->v[i].same;
	}
}

/* Deleting a link deletes its pools: a re-made link re-makes them. */
static void remake_pools_of_links(struct apply *ap)
{
	struct list *links = &ap->held[LINK], *pools = &ap->held[POOL];
	size_t i, j;

	for (i = 0; i < links->n; i++) {
		if (links->v[i].twin && !links->v[i].remake)
			continue;
		for (j = 0; j < pools->n; j++) {
			if (!attr_equal(pools->v[j].a[PXE_A_IFNAME],
					links->v[i].a[PXE_A_IFNAME]))
				continue;
			pools->v[j].remake = true;
			if (pools->v[j].twin)
				pools->v[j].twin->same = false;
		}
	}
}

static uint32_t boot_prio(const struct item *it)
{
	return u32_or(it->a[PXE_A_BOOT_PRIO], PXE_BOOT_PRIO_DEFAULT);
}

/*
 * The server tries rules by prio, then in the order added.  Within each
 * prio, the held rules that are FILE's first rules of that prio, in its
 * order, stay; from the first that differs on, held rules go and FILE's
 * rules are added, so they land after the kept ones, in FILE's order.
 */
static void match_boot(struct apply *ap)
{
	struct list *w = &ap->want[BOOT], *h = &ap->held[BOOT];
	bool broken = false;
	uint32_t prio = 0;
	size_t i, j = 0;

	for (i = 0; i < h->n; i++) {
		struct item *rule = &h->v[i];

		if (!i || boot_prio(rule) != prio) {
			prio = boot_prio(rule);
			broken = false;
			j = 0;
		}
		while (j < w->n && boot_prio(&w->v[j]) != prio)
			j++;
		if (!broken && j < w->n &&
		    same_fields(boot_fields, &w->v[j], rule)) {
			w->v[j].same = true;
			rule->twin = &w->v[j++];
		} else {
			broken = true;
			rule->remake = true;
		}
	}
}

static void match_settings(struct apply *ap)
{
	struct list *w = &ap->want[SETTINGS];
	size_t i;

	for (i = 0; i < w->n; i++)
		w->v[i].same = ap->held[SETTINGS].n == 1 &&
			same_fields(settings_fields, &w->v[i],
				    &ap->held[SETTINGS].v[0]);
}

/* Making the changes */

static void __attribute__((format(printf, 3, 4)))
say(struct apply *ap, char sign, const char *fmt, ...)
{
	va_list args;

	printf("%c ", sign);
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	putchar('\n');
}

/* A deletion; one that finds the object gone already is done too. */
static int delete(const char *what, uint8_t cmd, int attr, const void *data,
		  int len)
{
	struct nl_msg *msg = pxe_msg_new(cmd, 0);
	int err;

	if (!msg)
		return -1;
	err = nla_put(msg, attr, len, data);
	if (err)
		return pxe_msg_abort(what, msg, err);
	err = pxe_request_or(what, msg, ENOENT);
	return err == ENOENT ? 0 : err;
}

/* "- ..." (unless @quiet) and the deletion of a held object. */
static int delete_held(struct apply *ap, enum kind kind, struct item *it,
		       bool quiet)
{
	static const uint8_t cmds[KINDS] = {
		[LINK] = PXE_CMD_LINK_DEL, [POOL] = PXE_CMD_POOL_DEL,
		[HOST] = PXE_CMD_HOST_DEL, [BOOT] = PXE_CMD_BOOT_DEL,
	};
	char key[PXE_IMAGE_NAME_MAX], what[32 + PXE_IMAGE_NAME_MAX];
	int attr = kind == BOOT ? PXE_A_BOOT_ID : kinds[kind].key;
	struct nlattr *a = it->a[attr];

	if (kind == BOOT) {
		if (!a || nla_len(a) != 4) {
			pxe_error("apply", "a boot rule the kernel listed has no id (%s)",
				  SAME_RELEASE_HINT);
			return -1;
		}
		snprintf(what, sizeof(what), "boot del %" PRIu32, nla_get_u32(a));
		if (!quiet)
			say(ap, '-', "%s (file %s, prio %" PRIu32 ")", what,
			    it->a[PXE_A_BOOT_FILE] ?
			    nla_get_string(it->a[PXE_A_BOOT_FILE]) : "?",
			    boot_prio(it));
	} else {
		snprintf(what, sizeof(what), "%s del %s%s", kinds[kind].object,
			 kind == LINK ? "dev " : "",
			 key_text(kind, it, key, sizeof(key)));
		if (!quiet)
			say(ap, '-', "%s", what);
	}
	if (ap->dry_run)
		return 0;
	if (kind == IMAGE) {
		int err = image_delete(what, it->name, ENOENT);

		return err == ENOENT ? 0 : err;
	}
	return delete(what, cmds[kind], attr, nla_data(a), nla_len(a));
}

/* A DHCPv6 lease of the dump into @e: false when it lacks its IA. */
static bool held_lease6(struct nlattr **a, struct lease_entry *e)
{
	struct nlattr *duid = a[PXE_A_LEASE_DUID];

	if (nla_len(a[PXE_A_LEASE_ADDR6]) != 16 || !duid || !nla_len(duid) ||
	    nla_len(duid) > (int)sizeof(e->duid) || !a[PXE_A_LEASE_IAID] ||
	    nla_len(a[PXE_A_LEASE_IAID]) != 4)
		return false;
	e->v6 = true;
	memcpy(e->addr6, nla_data(a[PXE_A_LEASE_ADDR6]), 16);
	e->duid_len = nla_len(duid);
	memcpy(e->duid, nla_data(duid), e->duid_len);
	e->iaid = nla_get_u32(a[PXE_A_LEASE_IAID]);
	return true;
}

/*
 * The bound leases the server held in pool @name, IPv4 or DHCPv6, added
 * again after the pool was re-made.  One it refuses (its address left the
 * pool) is named and left out; the apply goes on.
 */
static void restore_leases(struct apply *ap, const char *name)
{
	char what[64 + PXE_NAME_MAX], mac[18];
	struct lease_entry e;
	struct nl_msg *msg;
	struct nlattr **a;
	size_t i;

	for (i = 0; i < ap->leases.n; i++) {
		a = ap->leases.v[i].a;
		if (!a[PXE_A_LEASE_POOL] || !a[PXE_A_LEASE_STATE] ||
		    strcmp(nla_get_string(a[PXE_A_LEASE_POOL]), name) ||
		    nla_get_u8(a[PXE_A_LEASE_STATE]) != PXE_LEASE_BOUND ||
		    !a[PXE_A_LEASE_MAC] || nla_len(a[PXE_A_LEASE_MAC]) != 6)
			continue;
		memset(&e, 0, sizeof(e));
		if (a[PXE_A_LEASE_ADDR])
			e.addr = nla_get_u32(a[PXE_A_LEASE_ADDR]);
		else if (!a[PXE_A_LEASE_ADDR6] || !held_lease6(a, &e))
			continue;
		memcpy(e.mac, nla_data(a[PXE_A_LEASE_MAC]), 6);
		if (a[PXE_A_LEASE_EXPIRES]) {
			e.has_expires = true;
			e.expires = nla_get_u32(a[PXE_A_LEASE_EXPIRES]);
		}
		if (!e.v6 && a[PXE_A_LEASE_CLIENT_ID] &&
		    nla_len(a[PXE_A_LEASE_CLIENT_ID]) <= (int)sizeof(e.client_id)) {
			e.client_id_len = nla_len(a[PXE_A_LEASE_CLIENT_ID]);
			memcpy(e.client_id, nla_data(a[PXE_A_LEASE_CLIENT_ID]),
			       e.client_id_len);
		}
		if (!e.v6 && a[PXE_A_LEASE_HOSTNAME])
			e.hostname = nla_get_string(a[PXE_A_LEASE_HOSTNAME]);
		format_mac(e.mac, mac);
		snprintf(what, sizeof(what), "pool %s: keeping the lease of %s",
			 name, mac);
		msg = lease_new_msg(what, &e);
		if (msg)
			pxe_request(what, msg, NULL, NULL);
	}
}

/* "+ LINE" or "~ LINE", and its request (a changed one's old self goes first). */
static int send_wanted(struct apply *ap, enum kind kind, struct item *it)
{
	char what[32], name[PXE_NAME_MAX + 1] = "";
	struct nl_msg *msg;
	int ret;

	say(ap, it->twin ? '~' : '+', "%s", it->text);
	if (ap->dry_run)
		return 0;
	batch_where(ap->path, it->line);
	if (kind == POOL)
		snprintf(name, sizeof(name), "%s",
			 nla_get_string(it->a[PXE_A_POOL_NAME]));
	ret = it->twin && kind != BOOT && kind != SETTINGS ?
	      delete_held(ap, kind, it->twin, true) : 0;
	snprintf(what, sizeof(what), "%s %s", kinds[kind].object,
		 kinds[kind].command);
	msg = it->msg;
	it->msg = NULL;		/* taken by the request; it->a is gone too */
	if (!ret)
		ret = pxe_request(what, msg, NULL, NULL);
	else
		nlmsg_free(msg);
	if (!ret && kind == POOL && it->twin)
		restore_leases(ap, name);
	batch_where(NULL, 0);
	return ret;
}

/* "+ image load NAME FILE" or "~ ...": uploaded whole under its name. */
static int send_image(struct apply *ap, struct item *it)
{
	char what[32 + PXE_IMAGE_NAME_MAX];
	uint8_t sha256[SHA256_LEN];
	struct progress pr;
	uint32_t id;
	int ret;

	say(ap, it->twin ? '~' : '+', "%s", it->text);
	if (ap->dry_run)
		return 0;
	batch_where(ap->path, it->line);
	snprintf(what, sizeof(what), "image load %s", it->name);
	progress_begin(&pr, it->name, it->file.size, 0);
	ret = image_upload(what, it->name, &it->file, false, &pr, &id,
			   it->sha256, sha256);
	if (!ret)
		progress_show(&pr, true);
	batch_where(NULL, 0);
	return ret;
}

static int make_changes(struct apply *ap)
{
	static const enum kind gone_order[] = { IMAGE, BOOT, HOST, POOL, LINK };
	static const enum kind add_order[] = {
		SETTINGS, LINK, POOL, HOST, BOOT, IMAGE
	};
	struct item *it;
	size_t i, j;
	enum kind kind;

	for (i = 0; i < sizeof(gone_order) / sizeof(gone_order[0]); i++) {
		kind = gone_order[i];
		for (j = 0; j < ap->held[kind].n; j++) {
			it = &ap->held[kind].v[j];
			/* A changed one goes just before it comes back. */
			if (kind == BOOT ? !it->remake : it->twin != NULL)
				continue;
			if (delete_held(ap, kind, it, false))
				return -1;
		}
	}
	for (i = 0; i < sizeof(add_order) / sizeof(add_order[0]); i++) {
		kind = add_order[i];
		for (j = 0; j < ap->want[kind].n; j++) {
			it = &ap->want[kind].v[j];
			if (it->same)
				continue;
			if (kind == IMAGE ? send_image(ap, it) :
			    send_wanted(ap, kind, it))
				return -1;
		}
	}
	return 0;
}

static int apply_help(FILE *out)
{
	fprintf(out, "Usage: pxectl apply [--dry-run] FILE\n");
	return 0;
}

int apply_main(int argc, char *argv[])
{
	struct apply ap = { 0 };
	int ret = 1, i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			ap.dry_run = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return apply_help(stdout);
		} else {
			pxe_error("apply", "unknown option '%s'", argv[i]);
			return 1;
		}
	}
	if (i < argc && !strcmp(argv[i], "help"))
		return apply_help(stdout);
	if (i == argc) {
		pxe_error("apply", "expected [--dry-run] FILE");
		return 1;
	}
	if (i + 1 < argc) {
		pxe_error("apply", "unexpected '%s' after the FILE", argv[i + 1]);
		return 1;
	}
	if (batch_running()) {
		pxe_error("apply", "cannot run in a batch: apply is given the whole file");
		return 1;
	}
	ap.path = argv[i];
	/* The server first: a file is checked by requests kept, not sent. */
	if (read_server(&ap) || check_file(&ap))
		goto out;
	match_named(&ap, LINK);
	match_named(&ap, POOL);
	match_named(&ap, HOST);
	match_named(&ap, IMAGE);
	remake_pools_of_links(&ap);
	match_boot(&ap);
	match_settings(&ap);
	if (make_changes(&ap)) {
		pxe_error("apply", "stopped: the changes printed above were made, the rest were not");
		goto out;
	}
	ret = 0;
out:
	apply_free(&ap);
	return ret;
}
