/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxectl: the control tool of the pxe in-kernel PXE boot server.
 *
 * One file per object (link.c, later pool.c, host.c, ...), each with an
 * OBJECT_main() that pxectl.c dispatches to; nl.c speaks generic netlink,
 * output.c prints rows for humans or as JSON.
 */
#ifndef PXECTL_H
#define PXECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/pxe.h>

#ifndef PXECTL_VERSION
#define PXECTL_VERSION "0.1"
#endif

/* pxectl.c */

extern bool json_output;
extern bool netlink_debug;
/* A progress line is drawn on stderr, unfinished: an error starts below it. */
extern bool progress_pending;

/*
 * A word of the grammar: an object in the top-level table, a command in an
 * object's table.  @help is a one-line description for objects and the
 * argument synopsis for commands; NULL hides an alias from the help text.
 */
struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *help;
};

/*
 * Runs argv[0] looked up in @table (exact name, else an unambiguous
 * prefix); @object is the object name for error messages, NULL for the
 * top-level table.  Returns the exit status.
 */
int run_command(const struct command *table, const char *object,
		int argc, char *argv[]);

/* Prints "Usage: pxectl OBJECT COMMAND ARGS" lines for each visible command. */
void usage_commands(FILE *out, const char *object,
		    const struct command *table);

/* True while "-b -" runs: standard input holds the commands. */
bool batch_reads_stdin(void);
/* True while a batch runs. */
bool batch_running(void);
/* From now on errors name FILE:LINE (NULL: nothing). */
void batch_where(const char *name, unsigned long line);
/*
 * Splits @line in place into words as batch files are; *@words (of *@size
 * entries, grown as needed) ends with NULL.  Returns the count or -errno
 * (-EINVAL: an unterminated double quote).
 */
int split_words(char *line, char ***words, size_t *size);

/* Prints "pxectl: [FILE:LINE: ][WHAT: ]MESSAGE" to stderr. */
void pxe_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One "keyword VALUE" argument.  A table of these, ended by an entry with a
 * NULL name, describes what a command accepts.
 */
struct keyword {
	const char *name;
	const char *meta;	/* the VALUE placeholder shown in errors */
	bool required;
	bool flag;		/* a word alone, no VALUE: value becomes "" */
	const char *value;	/* filled in by parse_keywords() */
};

/* Fills @keywords from argv; prints an error naming @what and returns -1. */
int parse_keywords(const char *what, int argc, char *argv[],
		   struct keyword *keywords);

/* Appended to errors that only a version mismatch can explain. */
#define SAME_RELEASE_HINT "are pxectl and the pxe module from the same release?"

/* Checks an interface name the way the kernel's dev_valid_name() does. */
int check_ifname(const char *what, const char *ifname);

/*
 * parse.c: values of the grammar.  Each prints "WHAT: invalid KEYWORD
 * 'TEXT'..." and returns -1 when TEXT is not one.
 */
int parse_ipv6(const char *what, const char *keyword, const char *text,
	       uint8_t addr[16]);
int parse_ipv4(const char *what, const char *keyword, const char *text,
	       uint32_t *addr_be);
/* "aa:bb:cc:dd:ee:ff" or "aa-bb-..."; with @prefix_len, also "MAC/LEN". */
int parse_mac(const char *what, const char *keyword, const char *text,
	      uint8_t mac[6], unsigned int *prefix_len);
int parse_u32(const char *what, const char *keyword, const char *text,
	      uint32_t min, uint32_t max, uint32_t *value);
/* Bytes, with an optional K, M, G or T suffix (powers of 1024). */
int parse_size(const char *what, const char *keyword, const char *text,
	       uint64_t *value);
/* "aa:bb:cc:dd:ee:ff" into @text (18 bytes). */
void format_mac(const uint8_t mac[6], char text[18]);

/* nl.c */

/* Called for each reply message of a request, with its parsed attributes. */
typedef int (*reply_fn)(struct nlattr **attrs, void *arg);

/* A new request for @cmd of the pxe family; NULL (error printed) on failure. */
struct nl_msg *pxe_msg_new(uint8_t cmd, int flags);

/*
 * Sends @msg and waits for the kernel's answer: the ACK of a request or the
 * end of a dump.  Each reply goes to @fn (may be NULL).  Frees @msg.
 * Returns 0, or -1 after printing an error naming @what.
 */
int pxe_request(const char *what, struct nl_msg *msg, reply_fn fn, void *arg);

/*
 * While set (by "apply", which checks a whole file before it changes
 * anything), pxe_request() sends nothing: it keeps @msg in *pxe_record,
 * freeing the one kept before, and returns 0.
 */
extern struct nl_msg **pxe_record;

/*
 * pxe_request() for a request whose refusal with errno @answer is an answer,
 * not a failure (an image a concurrent command deleted first): returns
 * @answer then, printing nothing.
 */
int pxe_request_or(const char *what, struct nl_msg *msg, int answer);

/* Frees @msg of a request that could not be built; returns -1. */
int pxe_msg_abort(const char *what, struct nl_msg *msg, int nlerr);

void pxe_nl_close(void);

/* Listening to the monitor group: @fn gets each event, @ready is called
 * once subscribed.  pxe_monitor() returns only on failure (-1). */
struct monitor {
	int (*fn)(uint8_t cmd, struct nlattr **attrs, void *arg);
	void (*ready)(void *arg);
	void *arg;
	bool failed;
};

int pxe_monitor(struct monitor *monitor);

/*
 * Requests sent without waiting for each answer (bulk uploads): at most
 * PXE_PIPELINE_MAX unanswered.  pxe_pipeline_send() takes @msg; after the
 * first error (printed) every answer still due is read and the pipeline
 * fails.  pxe_pipeline_wait() returns once at most @left are unanswered.
 */
#define PXE_PIPELINE_MAX 16

struct pxe_pipeline {
	const char *what;
	struct nl_msg *msgs[PXE_PIPELINE_MAX];
	unsigned int head, count;
	bool failed;
};

int pxe_pipeline_begin(struct pxe_pipeline *p, const char *what);
int pxe_pipeline_send(struct pxe_pipeline *p, struct nl_msg *msg);
int pxe_pipeline_wait(struct pxe_pipeline *p, unsigned int left);

/* output.c: rows of "key value" pairs, or a JSON array of objects */

void output_list_begin(void);
/* From now on rows are printed as they end: JSON one object per line. */
void output_stream(void);
void output_row_begin(void);
void output_str(const char *key, const char *value);
/* A bare word for people (no key); nothing in JSON. */
void output_word(const char *word);
void output_u64(const char *key, uint64_t value);
void output_ipv4(const char *key, uint32_t addr_be);
void output_ipv6(const char *key, const uint8_t addr[16]);
void output_mac(const char *key, const uint8_t mac[6]);
/* @len bytes as lowercase hex ("" for none). */
void output_hex(const char *key, const uint8_t *data, size_t len);
void output_bool(const char *key, bool value);
void output_row_end(void);
void output_list_end(void);
void output_list_discard(void);
/* -j: the list as output_list_end() prints it, in a buffer to free(). */
char *output_list_take(void);

/* image.c: what "image load" and "image sync" (image_sync.c) share */

#define SHA256_LEN 32

/* Into @out (@size bytes): the name the kernel stores for @in. */
void image_name_normalise(const char *in, char *out, size_t size);
/* "prefix PATH": normalised, without a trailing '/'; -1 (error printed). */
int image_prefix_parse(const char *what, const char *text,
		       char prefix[PXE_IMAGE_NAME_MAX]);
/* @name is PREFIX/...; every name is under the prefix "". */
bool image_under_prefix(const char *name, const char *prefix);

/* An image as a kernel reply describes it; valid while the reply is. */
struct image_info {
	const char *name;
	uint64_t size;
	const uint8_t *sha256;
};

/* -1 (error printed, naming @what) when @attrs describe no image. */
int image_info_parse(const char *what, struct nlattr **attrs,
		     struct image_info *info);

/* A file mapped for reading: what is hashed is what is sent. */
struct image_file {
	int fd;
	const uint8_t *data;	/* NULL when empty */
	uint64_t size;
};

/* Opens @path (open(2) @flags added) and maps it; -1 (error printed). */
int image_file_map(const char *what, const char *path, int flags,
		   struct image_file *file);
/* The same for an open @fd, which it takes over (closed on failure). */
int image_file_map_fd(const char *what, const char *path, int fd,
		      struct image_file *file);
void image_file_unmap(struct image_file *file);
bool image_sha256(const uint8_t *data, uint64_t size,
		  uint8_t sha256[SHA256_LEN]);

/*
 * The progress of a load, or of a sync (@files > 0), on one line of stderr
 * redrawn with '\r', when stderr is a terminal.
 */
struct progress {
	bool shown;		/* stderr is a terminal */
	double start, last;
	const char *name;	/* the image, or the tree */
	uint64_t done, total;	/* bytes */
	unsigned int files_done, files;
};

void progress_begin(struct progress *pr, const char *name, uint64_t total,
		    unsigned int files);
/* The final draw ends the line. */
void progress_show(struct progress *pr, bool final);

/*
 * Uploads @file as image @name (IMAGE_NEW, the writes, IMAGE_COMMIT; with
 * @stage, IMAGE_STAGE: published by IMAGE_PUBLISH) and adds the bytes sent
 * to @pr.  With @want, the kernel stores the image only if what it received
 * has that SHA-256.  Fills @id and @sha256, the kernel's SHA-256 of what it
 * received.  On failure (printed, naming @what) the upload is dropped.
 */
int image_upload(const char *what, const char *name,
		 const struct image_file *file, bool stage,
		 struct progress *pr, uint32_t *id, const uint8_t *want,
		 uint8_t sha256[SHA256_LEN]);
/* IMAGE_ABORT of an upload or a staged one; gone already is no error. */
void image_upload_abort(const char *what, uint32_t id);
/* IMAGE_DEL; returns as pxe_request_or(). */
int image_delete(const char *what, const char *name, int answer);

int image_sync(int argc, char *argv[]);

/* lease.c and lease_restore.c */

#define PXE_LEASE_STATES	3	/* offered, bound, declined */
#define LEASE_HOSTNAME_MAX	64	/* with the NUL, as the kernel keeps it */

extern const char *const lease_states[PXE_LEASE_STATES];

/*
 * A DUID: its type and 1 to 128 bytes (RFC 8415 11.1), the bounds the
 * server's parser and the netlink policy hold it to.
 */
#define LEASE_DUID_MIN 3
#define LEASE_DUID_MAX 130

/* One lease as "lease add" and "lease restore" send it. */
struct lease_entry {
	uint8_t mac[6];
	uint32_t addr;		/* network byte order */
	uint32_t expires;	/* seconds from now, if has_expires */
	bool has_expires;
	bool bound;		/* restore: only bound leases are added */
	uint8_t client_id[255];
	size_t client_id_len;	/* 0: the kernel derives it from the MAC */
	const char *hostname;	/* NULL: none */
	bool v6;		/* a DHCPv6 lease: addr6, duid, iaid */
	uint8_t addr6[16];
	uint8_t duid[LEASE_DUID_MAX];
	size_t duid_len;
	uint32_t iaid;
};

/* A LEASE_NEW request for @e; NULL (error printed) on failure. */
struct nl_msg *lease_new_msg(const char *what, const struct lease_entry *e);
int check_lease_hostname(const char *what, const char *hostname);
int parse_duid(const char *what, const char *keyword, const char *text,
	       struct lease_entry *e);
/* 1 to @max bytes as hex digits into @data. */
int parse_hex(const char *what, const char *keyword, const char *text,
	      uint8_t *data, size_t max, size_t *len);
int lease_restore(int argc, char *argv[]);
/* A reply_fn: one lease of a LEASE_GET dump as "lease show" prints it. */
int lease_print(struct nlattr **attrs, void *arg);
int lease_watch(int argc, char *argv[]);

/* the objects */

int link_main(int argc, char *argv[]);
int pool_main(int argc, char *argv[]);
int host_main(int argc, char *argv[]);
int boot_main(int argc, char *argv[]);
int lease_main(int argc, char *argv[]);
int image_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int settings_main(int argc, char *argv[]);
int monitor_main(int argc, char *argv[]);
int apply_main(int argc, char *argv[]);

#endif /* PXECTL_H */
