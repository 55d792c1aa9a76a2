// SPDX-License-Identifier: GPL-2.0
/*
 * tftp_load: the TFTP load generator of `make bench`.
 *
 *   tftp_load -s SERVER -f NAME -e SHA256 [-b BLKSIZE] [-w WINDOWSIZE]
 *             [-n CLIENTS] [-t TIMEOUT_MS] [-g GIVEUP_SECONDS] [-T MAX_SECONDS]
 *             [-p PORT]
 *
 * CLIENTS downloads of NAME run at once from one process (one UDP socket
 * each, epoll), each asking for tsize and, when not the defaults, blksize
 * and windowsize (RFC 2348, 2349, 7440).  Every copy is hashed as it
 * arrives and must match SHA256 and the size the server announced: a
 * mismatch, an ERROR packet or a stalled transfer exits 1 and says which
 * client and why.  On success one line on stdout:
 *
 *   clients=N bytes=TOTAL seconds=S mbps=AGGREGATE blksize=B windowsize=W
 *   complete=1 gaps=G retries=R
 *
 * where blksize and windowsize are what the server accepted (a server that
 * ignores windowsize runs lock-step), gaps counts blocks that arrived out of
 * order (a loss in a window), retries our resends after TIMEOUT_MS of
 * silence (a download silent for GIVEUP_SECONDS fails), and MB
 * are 10^6 bytes.  With -T, downloads still running after MAX_SECONDS stop
 * there: complete=0, and the rate is over the bytes that arrived (their
 * SHA-256 cannot be checked; the complete ones still are).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { OP_RRQ = 1, OP_DATA = 3, OP_ACK = 4, OP_ERROR = 5, OP_OACK = 6 };

#define MAX_PACKET 65536

struct client {
	int id;
	int fd;
	bool connected;		/* to the server's transfer ID */
	bool done;
	uint32_t next_block;	/* the block we wait for, not wrapped */
	uint32_t in_window;	/* blocks since our last ACK */
	uint32_t nacked;	/* next_block when we last re-ACKed a gap */
	unsigned int blksize, windowsize;
	long long tsize;	/* -1: the server did not say */
	unsigned long long bytes;
	unsigned char last[4 + 512];
	size_t last_len;	/* the last packet we sent, for retries */
	double last_rx, last_progress;
	unsigned long gaps, resends;
	EVP_MD_CTX *sha;
};

static struct {
	const char *server, *name, *sha256;
	unsigned int port, blksize, windowsize, clients, timeout_ms, max_seconds;
	unsigned int giveup_seconds;
	struct sockaddr_in addr;
} opt = { .port = 69, .blksize = 512, .windowsize = 1, .clients = 1,
	  .timeout_ms = 1000, .giveup_seconds = 20 };

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("tftp_load: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_last(struct client *c)
{
	ssize_t n;

	if (c->connected)
		n = send(c->fd, c->last, c->last_len, 0);
	else
		n = sendto(c->fd, c->last, c->last_len, 0,
			   (struct sockaddr *)&opt.addr, sizeof(opt.addr));
	/* A full socket buffer is a lost packet: the timer resends. */
	if (n < 0 && errno != EAGAIN && errno != ENOBUFS)
		die("client %d: send: %s", c->id, strerror(errno));
}

static void send_ack(struct client *c, uint32_t block)
{
	c->last[0] = 0;
	c->last[1] = OP_ACK;
	c->last[2] = (block >> 8) & 0xff;
	c->last[3] = block & 0xff;
	c->last_len = 4;
	c->in_window = 0;
	send_last(c);
}

static size_t put_str(unsigned char *p, size_t off, const char *s)
{
	size_t len = strlen(s) + 1;

	if (off + len > sizeof(((struct client *)0)->last))
		die("request too long for %s", s);
	memcpy(p + off, s, len);
	return off + len;
}

static void send_rrq(struct client *c)
{
	char num[16];
	size_t off = 2;

	c->last[0] = 0;
	c->last[1] = OP_RRQ;
	off = put_str(c->last, off, opt.name);
	off = put_str(c->last, off, "octet");
	off = put_str(c->last, off, "tsize");
	off = put_str(c->last, off, "0");
	if (opt.blksize != 512) {
		snprintf(num, sizeof(num), "%u", opt.blksize);
		off = put_str(c->last, off, "blksize");
		off = put_str(c->last, off, num);
	}
	if (opt.windowsize != 1) {
		snprintf(num, sizeof(num), "%u", opt.windowsize);
		off = put_str(c->last, off, "windowsize");
		off = put_str(c->last, off, num);
	}
	c->last_len = off;
	send_last(c);
}

/* The first packet from the server fixes its transfer ID. */
static void lock_tid(struct client *c, const struct sockaddr_in *from)
{
	if (c->connected)
		return;
	if (connect(c->fd, (const struct sockaddr *)from, sizeof(*from)) < 0)
		die("client %d: connect: %s", c->id, strerror(errno));
	c->connected = true;
}

static void parse_oack(struct client *c, const unsigned char *p, size_t len)
{
	size_t off = 2;

	while (off < len) {
		const char *key = (const char *)p + off;
		size_t klen = strnlen(key, len - off);
		const char *val;
		size_t vlen;

		if (off + klen + 1 >= len)
			die("client %d: OACK option %.*s has no value", c->id, (int)klen, key);
		val = key + klen + 1;
		vlen = strnlen(val, len - off - klen - 1);
		if (off + klen + 1 + vlen >= len)
			die("client %d: OACK value not terminated", c->id);
		if (!strcasecmp(key, "blksize"))
			c->blksize = strtoul(val, NULL, 10);
		else if (!strcasecmp(key, "windowsize"))
			c->windowsize = strtoul(val, NULL, 10);
		else if (!strcasecmp(key, "tsize"))
			c->tsize = strtoll(val, NULL, 10);
		off += klen + 1 + vlen + 1;
	}
	if (c->blksize < 8 || c->blksize > opt.blksize)
		die("client %d: server chose blksize %u (asked %u)", c->id, c->blksize, opt.blksize);
	if (c->windowsize < 1 || c->windowsize > opt.windowsize)
		die("client %d: server chose windowsize %u (asked %u)", c->id,
		    c->windowsize, opt.windowsize);
}

static void finish(struct client *c)
{
	unsigned char md[32];
	char hex[65];
	unsigned int i, mdlen;

	if (!EVP_DigestFinal_ex(c->sha, md, &mdlen))
		die("client %d: SHA-256 failed", c->id);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	if (strcasecmp(hex, opt.sha256))
		die("client %d: SHA-256 MISMATCH after %llu bytes: got %s, want %s",
		    c->id, c->bytes, hex, opt.sha256);
	if (c->tsize >= 0 && (unsigned long long)c->tsize != c->bytes)
		die("client %d: got %llu bytes, server announced tsize %lld",
		    c->id, c->bytes, c->tsize);
	c->done = true;
}

static void on_data(struct client *c, const unsigned char *p, size_t len)
{
	unsigned int block = p[2] << 8 | p[3];
	size_t payload = len - 4;

	if (block != (c->next_block & 0xffff)) {
		/*
		 * A gap (windowed: a lost block) or a duplicate: ACK the last
		 * block we have, once per gap, so the server goes back to it.
		 */
		c->gaps++;
		if (c->nacked != c->next_block) {
			c->nacked = c->next_block;
			send_ack(c, c->next_block - 1);
		}
		return;
	}
	if (payload > c->blksize)
		die("client %d: block %u has %zu bytes, blksize is %u",
		    c->id, block, payload, c->blksize);
	if (!EVP_DigestUpdate(c->sha, p + 4, payload))
		die("client %d: SHA-256 failed", c->id);
	c->bytes += payload;
	c->next_block++;
	c->in_window++;
	c->last_progress = now();
	if (payload < c->blksize) {
		send_ack(c, block);
		finish(c);
	} else if (c->in_window >= c->windowsize) {
		send_ack(c, block);
	}
}

static void on_packet(struct client *c, const unsigned char *p, size_t len,
		      const struct sockaddr_in *from)
{
	unsigned int op;

	if (len < 4)
		die("client %d: runt packet of %zu bytes", c->id, len);
	op = p[0] << 8 | p[1];
	c->last_rx = now();
	switch (op) {
	case OP_OACK:
		if (c->next_block != 1 || c->connected)
			return;	/* a duplicate OACK: our ACK 0 went out */
		lock_tid(c, from);
		c->last_progress = c->last_rx;
		parse_oack(c, p, len);
		send_ack(c, 0);
		break;
	case OP_DATA:
		if (!c->connected) {
			/* No OACK: the server ignored every option. */
			lock_tid(c, from);
			c->blksize = 512;
			c->windowsize = 1;
		}
		on_data(c, p, len);
		break;
	case OP_ERROR:
		die("client %d: server sent ERROR %u: %.*s", c->id, p[2] << 8 | p[3],
		    (int)(len - 4), p + 4);
	default:
		die("client %d: unexpected opcode %u", c->id, op);
	}
}

/*
 * A request waits longer than an ACK: a resent RRQ makes a slow server
 * (one that forks or spawns a thread per transfer) start a second one.
 */
#define RRQ_TIMEOUT_MS 2000

static void on_timeout(struct client *c, double t)
{
	unsigned int ms = opt.timeout_ms;

	if (!c->connected && ms < RRQ_TIMEOUT_MS)
		ms = RRQ_TIMEOUT_MS;
	if (t - c->last_rx < ms / 1000.0)
		return;
	if (t - c->last_progress > opt.giveup_seconds)
		die("client %d: no progress for %u s (waiting for block %u, %llu bytes in)",
		    c->id, opt.giveup_seconds, c->next_block, c->bytes);
	c->last_rx = t;
	c->in_window = 0;
	c->resends++;
	send_last(c);
}

static void usage(void)
{
	fprintf(stderr, "usage: tftp_load -s SERVER -f NAME -e SHA256 [-b BLKSIZE] "
		"[-w WINDOWSIZE] [-n CLIENTS] [-t TIMEOUT_MS] [-g GIVEUP_SECONDS]\n"
		"                 [-T MAX_SECONDS] [-p PORT]\n");
	exit(2);
}

static unsigned int number(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		die("`%s' is not a number from %u to %u", s, min, max);
	return v;
}

static void parse_args(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "s:f:e:b:w:n:t:g:T:p:")) != -1) {
		switch (ch) {
		case 's': opt.server = optarg; break;
		case 'f': opt.name = optarg; break;
		case 'e': opt.sha256 = optarg; break;
		case 'b': opt.blksize = number(optarg, 8, 65464); break;
		case 'w': opt.windowsize = number(optarg, 1, 65535); break;
		case 'n': opt.clients = number(optarg, 1, 4096); break;
		case 't': opt.timeout_ms = number(optarg, 10, 60000); break;
		case 'g': opt.giveup_seconds = number(optarg, 1, 3600); break;
		case 'T': opt.max_seconds = number(optarg, 1, 86400); break;
		case 'p': opt.port = number(optarg, 1, 65535); break;
		default: usage();
		}
	}
	if (!opt.server || !opt.name || !opt.sha256 || optind != argc)
		usage();
	if (strlen(opt.sha256) != 64)
		die("`%s' is not a SHA-256 in hex", opt.sha256);
	opt.addr.sin_family = AF_INET;
	opt.addr.sin_port = htons(opt.port);
	if (inet_pton(AF_INET, opt.server, &opt.addr.sin_addr) != 1)
		die("`%s' is not an IPv4 address", opt.server);
}

static void client_start(struct client *c, int id, int epfd)
{
	/* Room for a whole window of the biggest blocks. */
	int rcvbuf = 8 << 20;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	c->id = id;
	c->next_block = 1;
	c->blksize = 512;
	c->windowsize = 1;
	c->tsize = -1;
	c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		die("socket: %s", strerror(errno));
	/* FORCE: above rmem_max too, when root. */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
	c->sha = EVP_MD_CTX_new();
	if (!c->sha || !EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL))
		die("SHA-256 init failed");
	c->last_rx = c->last_progress = now();
	send_rrq(c);
}

/*
 * Reads the datagrams waiting on a client's socket, one batch (a window's
 * blocks in one recvmmsg: the generator's cost per block must stay below
 * the servers'), so that one busy client starves neither the others nor
 * the time cap.
 */
#define BATCH 16

static void drain(struct client *c, int epfd, unsigned int *left)
{
	static unsigned char bufs[BATCH][MAX_PACKET];
	static struct sockaddr_in froms[BATCH];
	static struct mmsghdr msgs[BATCH];
	static struct iovec iovs[BATCH];
	int i, n;

	if (c->done)
		return;
	for (i = 0; i < BATCH; i++) {
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = MAX_PACKET;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = &froms[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(froms[i]);
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(c->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
	if (n < 0) {
		if (errno == EAGAIN)
			return;
		die("client %d: recv: %s", c->id, strerror(errno));
	}
	for (i = 0; i < n && !c->done; i++)
		on_packet(c, bufs[i], msgs[i].msg_len, &froms[i]);
	if (!c->done)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	(*left)--;
}

int main(int argc, char **argv)
{
	struct epoll_event events[256];
	unsigned long long total = 0;
	unsigned long gaps = 0, resends = 0;
	bool complete = true;
	struct client *clients;
	unsigned int i, left;
	double start, end, last_scan;
	int epfd, n;

	parse_args(argc, argv);
	clients = calloc(opt.clients, sizeof(*clients));
	epfd = epoll_create1(0);
	if (!clients || epfd < 0)
		die("out of memory");
	start = now();
	for (i = 0; i < opt.clients; i++)
		client_start(&clients[i], i, epfd);
	left = opt.clients;
	last_scan = start;
	while (left) {
		n = epoll_wait(epfd, events, 256, 50);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (i = 0; i < (unsigned int)(n > 0 ? n : 0); i++)
			drain(events[i].data.ptr, epfd, &left);
		if (opt.max_seconds && now() - start >= opt.max_seconds) {
			complete = false;
			break;
		}
		if (now() - last_scan >= 0.05) {
			last_scan = now();
			/*
			 * Silence is judged on the socket, not on our loop:
			 * what waits unread there is no reason to resend.
			 */
			for (i = 0; i < opt.clients; i++) {
				if (clients[i].done)
					continue;
				drain(&clients[i], epfd, &left);
				if (!clients[i].done)
					on_timeout(&clients[i], now());
			}
		}
	}
	end = now();
	for (i = 0; i < opt.clients; i++) {
		total += clients[i].bytes;
		gaps += clients[i].gaps;
		resends += clients[i].resends;
		EVP_MD_CTX_free(clients[i].sha);
	}
	printf("clients=%u bytes=%llu seconds=%.3f mbps=%.3f blksize=%u windowsize=%u "
	       "complete=%d gaps=%lu retries=%lu\n",
	       opt.clients, total, end - start, total / (end - start) / 1e6,
	       clients[0].blksize, clients[0].windowsize, complete, gaps, resends);
	free(clients);
	return 0;
}
