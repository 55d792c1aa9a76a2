// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl lease watch FILE [every SECONDS]": keeps FILE equal to what
 * "pxectl -j lease show" prints, so that "pxectl lease restore FILE" after
 * a power cut brings back every lease but those of the last SECONDS.
 *
 * An event of the monitor group only says that the leases changed.  The
 * kernel drops an event it finds no memory for (monitor_drop_nomem) and a
 * socket that overflows loses some, so FILE is always written from a full
 * dump, the one "lease show" prints, never kept up to date from events.
 * The events' socket joins the group before the first dump: a change the
 * dump missed is an event still to be read.  Changes made over netlink
 * (lease add, del, flush; pool del) send no event: the rewrite due every
 * IDLE_SECONDS catches them, as it catches lost events.
 *
 * FILE is replaced, never rewritten in place: FILE.tmp, made fresh with
 * mode 0600 (it names the clients), written and synced, is renamed over
 * FILE and the directory synced, so that a crash leaves the old file or
 * the new one.  A write that fails is tried again SECONDS later; only the
 * first (a FILE that can never be written) is fatal, and losing the
 * module or the events' socket.  The same socket listens to nlctrl: when
 * the family goes away (rmmod) the watch ends at once, before a dump of a
 * module loaded again (no leases yet) could replace the saved ones.
 */
#define _GNU_SOURCE	/* O_CLOEXEC, signalfd */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/genetlink.h>
#include <linux/pxe.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "pxectl.h"

#define WHAT "lease watch"
#define EVERY_DEFAULT 2
#define EVERY_MAX 3600
/* With no event, FILE is written again this often (or every SECONDS). */
#define IDLE_SECONDS 60
#define MESSAGE_MAX 1024
/* Room for a burst of events; one that overflows it only costs a dump. */
#define EVENTS_RCVBUF (1 << 20)

struct watch {
	const char *path;
	char *tmp;		/* PATH.tmp */
	char *dir;		/* the directory PATH is in, synced after rename */
	unsigned int every;
	struct nl_sock *events;
	struct nl_cb *cb;
	int family;		/* the id of "pxe" when we started */
	int sigfd;
	sigset_t old_mask;
	bool dirty;		/* an event came since the last dump */
	bool gone;		/* the family was unregistered */
	double last;		/* when the last write began (CLOCK_MONOTONIC) */
	char failed[MESSAGE_MAX];	/* the last error printed, "" after a write */
	unsigned int failures;	/* writes failed in a row */
};

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A family was unregistered: ours, or another one. */
static void on_ctrl(struct nlmsghdr *hdr, struct watch *w)
{
	struct genlmsghdr *ghdr = nlmsg_data(hdr);
	struct nlattr *attrs[CTRL_ATTR_MAX + 1];

	if (ghdr->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(hdr, 0, attrs, CTRL_ATTR_MAX, NULL) < 0 ||
	    !attrs[CTRL_ATTR_FAMILY_ID] ||
	    nla_len(attrs[CTRL_ATTR_FAMILY_ID]) < (int)sizeof(uint16_t))
		return;
	if (nla_get_u16(attrs[CTRL_ATTR_FAMILY_ID]) == w->family)
		w->gone = true;
}

static struct nla_policy event_policy[PXE_A_MAX + 1] = {
	[PXE_A_LEASE_EVENT] = { .type = NLA_U8 },
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *attrs[PXE_A_MAX + 1];
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct watch *w = arg;
	struct genlmsghdr *ghdr;

	if (!genlmsg_valid_hdr(hdr, 0))
		return NL_OK;
	if (hdr->nlmsg_type == GENL_ID_CTRL) {
		on_ctrl(hdr, w);
		return NL_OK;
	}
	if (hdr->nlmsg_type != w->family)
		return NL_OK;
	/*
	 * TFTP events and answers to INFORM change no lease; a link deleted
	 * takes its pools' leases.
	 */
	ghdr = nlmsg_data(hdr);
	if (ghdr->cmd == PXE_CMD_LINK_DEL_NTF)
		w->dirty = true;
	if (ghdr->cmd == PXE_CMD_LEASE_NTF &&
	    genlmsg_parse(hdr, 0, attrs, PXE_A_MAX, event_policy) == 0 &&
	    !(attrs[PXE_A_LEASE_EVENT] &&
	      nla_get_u8(attrs[PXE_A_LEASE_EVENT]) == PXE_LEASE_EV_INFORM))
		w->dirty = true;
	return NL_OK;
}

static int join_group(struct watch *w, const char *family, const char *group)
{
	int id = genl_ctrl_resolve_grp(w->events, family, group);
	int err;

	if (id < 0) {
		pxe_error(WHAT, "cannot find multicast group \"%s\" of \"%s\": %s",
			  group, family, nl_geterror(id));
		return -1;
	}
	err = nl_socket_add_membership(w->events, id);
	if (err == -NLE_PERM) {
		pxe_error(WHAT, "events need CAP_NET_ADMIN over the network namespace (%s)",
			  nl_geterror(err));
		return -1;
	}
	if (err < 0) {
		pxe_error(WHAT, "cannot join multicast group \"%s\": %s", group,
			  nl_geterror(err));
		return -1;
	}
	return 0;
}

/* The events' socket, its own: "lease show" dumps on nl.c's. */
static int events_open(struct watch *w)
{
	int err;

	w->cb = nl_cb_alloc(netlink_debug ? NL_CB_DEBUG : NL_CB_DEFAULT);
	w->events = w->cb ? nl_socket_alloc_cb(w->cb) : NULL;
	if (!w->events) {
		pxe_error(WHAT, "out of memory");
		return -1;
	}
	err = genl_connect(w->events);
	if (err < 0) {
		pxe_error(WHAT, "cannot open a generic netlink socket: %s",
			  nl_geterror(err));
		return -1;
	}
	w->family = genl_ctrl_resolve(w->events, PXE_GENL_NAME);
	if (w->family == -NLE_OBJ_NOTFOUND) {
		pxe_error(NULL, "pxe module not loaded (generic netlink family \"%s\" not found)",
			  PXE_GENL_NAME);
		return -1;
	}
	if (w->family < 0) {
		pxe_error(WHAT, "cannot look up generic netlink family \"%s\": %s",
			  PXE_GENL_NAME, nl_geterror(w->family));
		return -1;
	}
	if (join_group(w, PXE_GENL_NAME, PXE_MCGRP_MONITOR) ||
	    join_group(w, "nlctrl", "notify"))
		return -1;
	/* A failure to grow the buffer only makes an overflow likelier. */
	(void)nl_socket_set_buffer_size(w->events, EVENTS_RCVBUF, 0);
	nl_socket_disable_seq_check(w->events);
	nl_cb_set(w->cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, w);
	err = nl_socket_set_nonblocking(w->events);
	if (err < 0) {
		pxe_error(WHAT, "cannot set up the events' socket: %s",
			  nl_geterror(err));
		return -1;
	}
	return 0;
}

/* Reads every event queued; -1 (printed) when the socket failed. */
static int events_read(struct watch *w)
{
	int err;

	for (;;) {
		err = nl_recvmsgs_report(w->events, w->cb);
		/* libnl 3.7 says -NLE_AGAIN when none is left, older ones 0. */
		if (err == 0 || err == -NLE_AGAIN)
			return 0;
		/* Events lost: whatever they said, a dump will tell. */
		if (err == -NLE_NOMEM) {
			w->dirty = true;
			continue;
		}
		if (err < 0) {
			pxe_error(WHAT, "cannot read events: %s",
				  nl_geterror(err));
			return -1;
		}
	}
}

/*
 * After a dump failed: is the family we started with still registered
 * (under the same id: a module loaded again gets a new one)?
 */
static bool family_still_there(struct watch *w)
{
	struct nl_sock *sock = nl_socket_alloc();
	bool there = true;

	if (sock && !genl_connect(sock))
		there = genl_ctrl_resolve(sock, PXE_GENL_NAME) == w->family;
	nl_socket_free(sock);
	return there;
}

/* What "pxectl -j lease show" prints; NULL when the dump failed (printed). */
static char *dump_leases(void)
{
	bool json = json_output;
	struct nl_msg *msg;
	char *text = NULL;

	json_output = true;
	msg = pxe_msg_new(PXE_CMD_LEASE_GET, NLM_F_DUMP);
	if (msg) {
		output_list_begin();
		if (pxe_request(WHAT, msg, lease_print, NULL))
			output_list_discard();
		else
			text = output_list_take();
	}
	json_output = json;
	return text;
}

/*
 * Prints an error about FILE, once while the same error repeats: a disk
 * that stays full is one line, not one per try.
 */
static void __attribute__((format(printf, 2, 3)))
write_error(struct watch *w, const char *fmt, ...)
{
	char message[MESSAGE_MAX];
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	w->failures++;
	if (strcmp(message, w->failed))
		pxe_error(WHAT, "%s: %s", message, strerror(err));
	snprintf(w->failed, sizeof(w->failed), "%s", message);
	errno = err;
}

static int write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= n;
	}
	return 0;
}

/* @text into w->tmp, on disk: 0, or -1 with errno set. */
static int write_tmp(struct watch *w, const char *text)
{
	int fd, err;

	/*
	 * Made fresh, so it is ours with mode 0600 whatever a crash left
	 * there, and never a link someone else put in the directory.
	 */
	(void)unlink(w->tmp);
	fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -1;
	if (write_all(fd, text, strlen(text)) || fsync(fd)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	if (fsync(fd)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

/* Replaces FILE with @text: 0, or -1 after printing the error. */
static int replace_file(struct watch *w, const char *text)
{
	if (write_tmp(w, text)) {
		write_error(w, "cannot write '%s'", w->tmp);
		unlink(w->tmp);
		return -1;
	}
	if (rename(w->tmp, w->path)) {
		write_error(w, "cannot rename '%s' to '%s'", w->tmp, w->path);
		unlink(w->tmp);
		return -1;
	}
	/* Until the directory is synced, the rename may not survive a crash. */
	if (sync_dir(w->dir)) {
		write_error(w, "cannot sync directory '%s'", w->dir);
		return -1;
	}
	if (w->failures)
		pxe_error(WHAT, "'%s' written again, after %u failed attempt%s",
			  w->path, w->failures, w->failures == 1 ? "" : "s");
	w->failures = 0;
	w->failed[0] = '\0';
	return 0;
}

/* Dumps the leases into FILE: 0, or -1 (printed; w->dirty set to retry). */
static int snapshot(struct watch *w)
{
	char *text;
	int ret;

	w->dirty = false;
	w->last = monotonic();
	text = dump_leases();
	if (!text) {
		w->dirty = true;
		if (!family_still_there(w))
			w->gone = true;
		return -1;
	}
	ret = replace_file(w, text);
	free(text);
	if (ret)
		w->dirty = true;
	return ret;
}

static void say_gone(struct watch *w)
{
	pxe_error(WHAT, "the pxe module went away (generic netlink family \"%s\" removed); '%s' keeps the leases last written: add them back with 'pxectl lease restore %s' once it is loaded again",
		  PXE_GENL_NAME, w->path, w->path);
}

/* SIGTERM and SIGINT, read from a descriptor the loop polls. */
static int signals_open(struct watch *w)
{
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, &w->old_mask)) {
		pxe_error(WHAT, "cannot block SIGTERM: %s", strerror(errno));
		return -1;
	}
	w->sigfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w->sigfd < 0) {
		pxe_error(WHAT, "cannot watch for SIGTERM: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Milliseconds until the next write is due (0: now). */
static int next_timeout(const struct watch *w)
{
	unsigned int wait = w->dirty ? w->every :
			    w->every > IDLE_SECONDS ? w->every : IDLE_SECONDS;
	double left = w->last + wait - monotonic();

	return left > 0 ? (int)(left * 1000) + 1 : 0;
}

/* Until a signal (0), or until the module or the socket is lost (1). */
static int watch_loop(struct watch *w)
{
	struct signalfd_siginfo info;
	struct pollfd fds[2] = {
		{ .fd = nl_socket_get_fd(w->events), .events = POLLIN },
		{ .fd = w->sigfd, .events = POLLIN },
	};
	bool stop;

	for (;;) {
		if (poll(fds, 2, next_timeout(w)) < 0 && errno != EINTR) {
			pxe_error(WHAT, "cannot wait for events: %s",
				  strerror(errno));
			return 1;
		}
		stop = read(w->sigfd, &info, sizeof(info)) == sizeof(info);
		if (events_read(w))
			return 1;
		if (w->gone) {
			say_gone(w);
			/* Asked to stop anyway: that is done. */
			return stop ? 0 : 1;
		}
		if (stop) {
			if (snapshot(w) == 0)
				return 0;
			if (w->gone)
				say_gone(w);
			return w->gone ? 0 : 1;
		}
		if (!next_timeout(w) && snapshot(w) && w->gone) {
			say_gone(w);
			return 1;
		}
	}
}

static int watch_paths(struct watch *w, const char *path)
{
	const char *slash = strrchr(path, '/');

	w->path = path;
	if (asprintf(&w->tmp, "%s.tmp", path) < 0) {
		w->tmp = NULL;
		return -1;
	}
	if (!slash)
		w->dir = strdup(".");
	else if (slash == path)
		w->dir = strdup("/");
	else
		w->dir = strndup(path, slash - path);
	return w->dir ? 0 : -1;
}

static void watch_close(struct watch *w)
{
	if (w->sigfd >= 0) {
		close(w->sigfd);
		sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
	}
	nl_socket_free(w->events);
	nl_cb_put(w->cb);
	free(w->tmp);
	free(w->dir);
}

int lease_watch(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "every", .meta = "SECONDS" },
		{}
	};
	struct watch w = { .every = EVERY_DEFAULT, .sigfd = -1 };
	int ret = 1;

	if (argc < 2) {
		pxe_error(WHAT, "missing FILE");
		return 1;
	}
	if (!strcmp(argv[1], "-")) {
		pxe_error(WHAT, "invalid FILE '-' (the leases go to a file, which is replaced whole)");
		return 1;
	}
	if (parse_keywords(WHAT, argc - 2, argv + 2, keywords) ||
	    (keywords[0].value &&
	     parse_u32(WHAT, "every", keywords[0].value, 1, EVERY_MAX,
		       &w.every)))
		return 1;
	if (watch_paths(&w, argv[1])) {
		pxe_error(WHAT, "out of memory");
		goto out;
	}
	/* Blocked first: a SIGTERM during the first write ends it cleanly. */
	if (signals_open(&w) || events_open(&w))
		goto out;
	/* A FILE that cannot be written now is a mistake to report at once. */
	if (snapshot(&w))
		goto out;
	ret = watch_loop(&w);
out:
	watch_close(&w);
	return ret;
}
