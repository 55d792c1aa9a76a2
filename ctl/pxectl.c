// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: global options, the table of objects, dispatch and batch mode.
 *
 *	pxectl [-j] [-d] [-n NETNS] OBJECT COMMAND [ARGS]
 *	pxectl [-j] [-d] [-n NETNS] -b FILE
 *	pxectl [-d] [-n NETNS] apply [--dry-run] FILE
 */
#define _GNU_SOURCE	/* setns() */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pxectl.h"

bool json_output;
bool netlink_debug;
bool progress_pending;

/* Where the batch is, so that errors name the file and line. */
static const char *batch_name;
static unsigned long batch_line;

static int help_main(int argc, char *argv[]);

static const struct command objects[] = {
	{ "link", link_main, "attach the PXE service to network interfaces" },
	{ "pool", pool_main, "address pools and proxyDHCP on a link" },
	{ "host", host_main, "fixed addresses for known MACs" },
	{ "boot", boot_main, "rules choosing the boot file a client gets" },
	{ "lease", lease_main, "the leases handed out" },
	{ "image", image_main, "files served over TFTP" },
	{ "stats", stats_main, "counters of DHCP, TFTP and the image store" },
	{ "settings", settings_main, "limits: image memory, TFTP sessions, blksize" },
	{ "monitor", monitor_main, "print events until interrupted" },
	{ "apply", apply_main, "make the server hold what a configuration file says" },
	{ "help", help_main, "show this help; 'help OBJECT' lists an object's commands" },
	{}
};

static void usage(FILE *out)
{
	const struct command *object;

	fprintf(out,
		"Usage: pxectl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       pxectl [OPTIONS] -b FILE\n"
		"       pxectl [OPTIONS] apply [--dry-run] FILE\n"
		"\n"
		"Objects:\n");
	for (object = objects; object->name; object++)
		if (object->help)
			fprintf(out, "  %-8s %s\n", object->name, object->help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -j, --json          print JSON: an array for 'show', one object\n"
		"                      per line for 'monitor'\n"
		"  -b, --batch FILE    run the commands in FILE, one per line;\n"
		"                      '-' reads them from standard input\n"
		"  -n, --netns NAME    act in the network namespace NAME (of\n"
		"                      'ip netns'), as 'ip -n NAME' does\n"
		"  -d, --debug         dump the netlink messages to stderr\n"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n"
		"\n"
		"Run 'pxectl OBJECT help' for the commands of an object.\n");
}

void usage_commands(FILE *out, const char *object,
		    const struct command *table)
{
	const char *lead = "Usage:";
	const struct command *command;

	for (command = table; command->name; command++) {
		if (!command->help)
			continue;
		fprintf(out, "%-6s pxectl %s %s%s%s\n", lead, object,
			command->name, *command->help ? " " : "",
			command->help);
		lead = "";
	}
}

bool batch_reads_stdin(void)
{
	return batch_name && !strcmp(batch_name, "-");
}

bool batch_running(void)
{
	return batch_name;
}

void batch_where(const char *name, unsigned long line)
{
	batch_name = name;
	batch_line = line;
}

void pxe_error(const char *what, const char *fmt, ...)
{
	va_list ap;

	/* Keep the order of output and errors when both go to one file. */
	fflush(stdout);
	if (progress_pending)
		fputc('\n', stderr);
	progress_pending = false;
	fputs("pxectl: ", stderr);
	if (batch_name)
		fprintf(stderr, "%s:%lu: ", batch_name, batch_line);
	if (what)
		fprintf(stderr, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The command named by @word: its exact name, else the one command that
 * @word is a prefix of (aliases of one command count as one).  Prints an
 * error and returns NULL when there is none or more than one.
 */
static const struct command *find_command(const struct command *table,
					  const char *object, const char *word)
{
	const char *kind = object ? "command" : "object";
	const struct command *command, *match = NULL;
	size_t len = strlen(word);

	for (command = table; command->name; command++)
		if (!strcmp(command->name, word))
			return command;

	for (command = table; len && command->name; command++) {
		if (strncmp(command->name, word, len))
			continue;
		if (match && match->run != command->run) {
			pxe_error(object, "ambiguous %s '%s': '%s' or '%s'?",
				  kind, word, match->name, command->name);
			return NULL;
		}
		if (!match)
			match = command;
	}
	if (!match) {
		pxe_error(object, "unknown %s '%s'", kind, word);
		fprintf(stderr, "Try 'pxectl %s%shelp' for the list of %ss.\n",
			object ? object : "", object ? " " : "", kind);
	}
	return match;
}

int run_command(const struct command *table, const char *object,
		int argc, char *argv[])
{
	const struct command *command = find_command(table, object, argv[0]);

	if (!command)
		return 1;
	return command->run(argc, argv) ? 1 : 0;
}

/* "pxectl help [OBJECT]" */
static int help_main(int argc, char *argv[])
{
	char *object_help[] = { NULL, "help", NULL };
	const struct command *object;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	object = find_command(objects, NULL, argv[1]);
	if (!object)
		return 1;
	if (object->run == help_main)	/* "help help" */
		return help_main(1, argv);
	object_help[0] = argv[1];
	return object->run(2, object_help);
}

static struct keyword *find_keyword(struct keyword *keywords, const char *word)
{
	for (; keywords->name; keywords++)
		if (!strcmp(keywords->name, word))
			return keywords;
	return NULL;
}

int parse_keywords(const char *what, int argc, char *argv[],
		   struct keyword *keywords)
{
	struct keyword *keyword;
	int i;

	for (i = 0; i < argc; i += 2) {
		keyword = find_keyword(keywords, argv[i]);
		if (!keyword) {
			pxe_error(what, "unknown argument '%s'", argv[i]);
			return -1;
		}
		if (keyword->flag) {
			if (keyword->value) {
				pxe_error(what, "'%s' given twice", keyword->name);
				return -1;
			}
			keyword->value = "";
			i--;
			continue;
		}
		if (i + 1 == argc) {
			pxe_error(what, "'%s' needs a value", keyword->name);
			return -1;
		}
		if (keyword->value) {
			pxe_error(what, "'%s' given twice", keyword->name);
			return -1;
		}
		keyword->value = argv[i + 1];
	}

	for (keyword = keywords; keyword->name; keyword++) {
		if (keyword->required && !keyword->value) {
			pxe_error(what, "missing argument '%s %s'",
				  keyword->name, keyword->meta);
			return -1;
		}
	}
	return 0;
}

int check_ifname(const char *what, const char *ifname)
{
	if (strlen(ifname) >= IFNAMSIZ) {
		pxe_error(what, "interface name too long '%s'", ifname);
		return -1;
	}
	if (!*ifname || !strcmp(ifname, ".") || !strcmp(ifname, "..") ||
	    strpbrk(ifname, "/: \t\n\v\f\r")) {
		pxe_error(what, "invalid interface name '%s'", ifname);
		return -1;
	}
	return 0;
}

/* Makes room for @count words plus the terminating NULL. */
static int reserve_words(char ***words, size_t *size, size_t count)
{
	char **bigger;

	if (count < *size)
		return 0;
	bigger = realloc(*words, 2 * (count + 1) * sizeof(**words));
	if (!bigger)
		return -ENOMEM;
	*words = bigger;
	*size = 2 * (count + 1);
	return 0;
}

/*
 * Splits @line in place into words, as a shell would for simple cases:
 * blanks separate words, a '#' that starts a word starts a comment, double
 * quotes keep blanks and '#' in a word, and in quotes a backslash takes the
 * next character as it is.  Returns the number of words or -errno.
 */
int split_words(char *line, char ***words, size_t *size)
{
	char *in = line, *out;
	size_t count = 0;
	bool quoted;

	for (;;) {
		if (reserve_words(words, size, count + 1))
			return -ENOMEM;
		while (isspace((unsigned char)*in))
			in++;
		if (!*in || *in == '#')
			break;

		(*words)[count++] = out = in;
		for (quoted = false; *in && (quoted || !isspace((unsigned char)*in)); in++) {
			if (*in == '"')
				quoted = !quoted;
			else if (quoted && *in == '\\' && in[1])
				*out++ = *++in;
			else
				*out++ = *in;
		}
		if (quoted)
			return -EINVAL;
		if (*in)
			in++;
		*out = '\0';
	}
	(*words)[count] = NULL;
	return count;
}

/* Runs the commands of @path ("-": stdin) until the first that fails. */
static int run_batch(const char *path)
{
	FILE *file = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL, **words = NULL;
	size_t line_size = 0, words_size = 0;
	int count, ret = 0;

	if (!file) {
		pxe_error(NULL, "cannot open batch file '%s': %s", path,
			  strerror(errno));
		return 1;
	}

	batch_name = path;
	while (!ret && getline(&line, &line_size, file) >= 0) {
		batch_line++;
		count = split_words(line, &words, &words_size);
		if (count < 0) {
			pxe_error(NULL, "%s", count == -EINVAL ?
				  "unterminated double quote" : strerror(-count));
			ret = 1;
		} else if (count > 0) {
			ret = run_command(objects, NULL, count, words);
		}
	}
	batch_name = NULL;

	if (!ret && ferror(file)) {
		pxe_error(NULL, "cannot read batch file '%s': %s", path,
			  strerror(errno));
		ret = 1;
	}
	free(words);
	free(line);
	if (file != stdin)
		fclose(file);
	return ret;
}

/* Output that never reached its reader is a failure, as in cat(1). */
static int flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	pxe_error(NULL, "cannot write the output: %s", strerror(errno));
	return 1;
}

/*
 * -n NAME: join the named network namespace that 'ip netns add' made, before
 * the first netlink socket exists, so every request and every ifindex is
 * that namespace's.  What 'ip netns exec NAME pxectl' does, without a second
 * program (only the network namespace: pxectl reads no /sys).
 */
static int enter_netns(const char *name)
{
	char path[sizeof("/run/netns/") + NAME_MAX];
	int fd, err = 0;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > NAME_MAX) {
		pxe_error(NULL, "'%s' is not a network namespace name", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err) {
		pxe_error(NULL, "cannot enter network namespace '%s': %s", name,
			  strerror(err));
		return -1;
	}
	return 0;
}

static int parse_options(int argc, char *argv[], const char **batch)
{
	static const struct option options[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "batch",	required_argument,	NULL, 'b' },
		{ "netns",	required_argument,	NULL, 'n' },
		{ "debug",	no_argument,		NULL, 'd' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{}
	};
	int option;

	/* '+': options end at the object, so "dev -x" stays an argument. */
	opterr = 0;
	while ((option = getopt_long(argc, argv, "+:jb:n:dVh", options, NULL)) != -1) {
		switch (option) {
		case 'j':
			json_output = true;
			break;
		case 'b':
			*batch = optarg;
			break;
		case 'n':
			if (enter_netns(optarg))
				return -1;
			break;
		case 'd':
			netlink_debug = true;
			break;
		case 'V':
			printf("pxectl %s\n", PXECTL_VERSION);
			exit(flush_stdout());
		case 'h':
			usage(stdout);
			exit(flush_stdout());
		case ':':
			if (optopt == 'n')
				pxe_error(NULL, "option '-n' needs a network namespace NAME");
			else
				pxe_error(NULL, "option '-b' needs a FILE ('-' for standard input)");
			return -1;
		default:
			if (optopt)
				pxe_error(NULL, "unknown option '-%c'", optopt);
			else
				pxe_error(NULL, "unknown option '%s'",
					  argv[optind - 1]);
			fprintf(stderr, "Try 'pxectl --help'.\n");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char *argv[])
{
	const char *batch = NULL;
	int ret;

	if (parse_options(argc, argv, &batch))
		return 1;
	argc -= optind;
	argv += optind;

	if (batch && argc) {
		pxe_error(NULL, "unexpected '%s' after -b %s: the commands come from the file",
			  argv[0], batch);
		return 1;
	}
	if (!batch && !argc) {
		usage(stderr);
		return 1;
	}

	ret = batch ? run_batch(batch) : run_command(objects, NULL, argc, argv);
	pxe_nl_close();
	return flush_stdout() || ret;
}
