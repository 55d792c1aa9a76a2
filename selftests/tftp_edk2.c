// SPDX-License-Identifier: GPL-2.0
/*
 * The TFTP server spoken to by a client written here, packet by packet:
 * the EDK2 firmware's exchange (a tsize probe ended by ERROR 8, then the
 * download with blksize and windowsize), windowed downloads checked byte by
 * byte, ACKs for blocks never sent, duplicate ACKs (never answered by
 * duplicate DATA), and a packet from a stranger to a session (ERROR 5 to the
 * stranger, the session goes on).
 *
 *   +-----------------------------+       +-----------------------------+
 *   | server netns (ip netns add) |       | the test's own netns        |
 *   |   pxe0 10.0.7.1/24 ---------+-veth--+-- c0 10.0.7.2/24            |
 *   |   pxe link, image boot.efi  |       |   UDP sockets of this test  |
 *   +-----------------------------+       +-----------------------------+
 *
 * Each test gets both namespaces anew and an image of pseudo-random bytes
 * whose expected content it keeps in memory: every byte received is
 * compared.  pxectl is ../ctl/pxectl next to this binary (or $PXECTL).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define SERVER_ADDR	"10.0.7.1"
#define IMAGE_NAME	"boot.efi"
#define IMAGE_SIZE	(1024 * 1024 + 123)	/* not a multiple of any blksize used */

enum { OP_RRQ = 1, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK };

static char pxectl[PATH_MAX + 32];

/* Runs a shell command built like printf; returns its exit status. */
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc)
		fprintf(stderr, "# command failed (%d): %s\n", rc, cmd);
	return rc;
}

static void find_pxectl(void)
{
	char self[PATH_MAX];
	ssize_t len;
	char *slash;

	if (getenv("PXECTL")) {
		snprintf(pxectl, sizeof(pxectl), "%s", getenv("PXECTL"));
		return;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(pxectl, sizeof(pxectl), "%s/../ctl/pxectl", self);
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

FIXTURE(tftp) {
	char ns[64];
	unsigned char *image;
	size_t size;
	struct sockaddr_in server;	/* port 69 */
};

FIXTURE_SETUP(tftp)
{
	char path[128];
	unsigned int x = 2463534242u;
	FILE *f;
	size_t i;

	find_pxectl();
	snprintf(self->ns, sizeof(self->ns), "pxe-tftp-edk2-%d", getpid());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, sh("ip netns add %s && ip -n %s link set lo up && "
			"ip link set lo up && "
			"ip link add c0 type veth peer name pxe0 netns %s && "
			"ip addr add 10.0.7.2/24 dev c0 && ip link set c0 up && "
			"ip -n %s addr add " SERVER_ADDR "/24 dev pxe0 && "
			"ip -n %s link set pxe0 up",
			self->ns, self->ns, self->ns, self->ns, self->ns));
	ASSERT_EQ(0, sh("ip netns exec %s %s link add dev pxe0 && "
			"ip netns exec %s %s settings set image-memory 512M "
			"tftp-sessions 64 tftp-per-client 64",
			self->ns, pxectl, self->ns, pxectl));

	self->size = IMAGE_SIZE;
	self->image = malloc(self->size);
	ASSERT_NE(NULL, self->image);
	for (i = 0; i < self->size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		self->image[i] = x >> 24;
	}
	snprintf(path, sizeof(path), "/tmp/%s.img", self->ns);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fwrite(self->image, self->size, 1, f));
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, sh("ip netns exec %s %s image load " IMAGE_NAME " %s >/dev/null",
			self->ns, pxectl, path));
	unlink(path);

	memset(&self->server, 0, sizeof(self->server));
	self->server.sin_family = AF_INET;
	self->server.sin_port = htons(69);
	inet_pton(AF_INET, SERVER_ADDR, &self->server.sin_addr);
}

FIXTURE_TEARDOWN(tftp)
{
	sh("ip netns del %s", self->ns);
	free(self->image);
}

/* A counter of the server's namespace, from `pxectl stats`; -1 if absent. */
static long long server_stat(const char *ns, const char *name)
{
	char cmd[PATH_MAX + 256], out[16384], key[80];
	long long found = -1;
	const char *at;
	size_t len;
	FILE *p;

	/* One JSON object of counters: find "name" and the number after it. */
	snprintf(cmd, sizeof(cmd), "ip netns exec %s %s -j stats", ns, pxectl);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	len = fread(out, 1, sizeof(out) - 1, p);
	out[len] = '\0';
	pclose(p);
	snprintf(key, sizeof(key), "\"%s\"", name);
	at = strstr(out, key);
	if (at) {
		at += strlen(key);
		at += strspn(at, " \t");
		if (*at == ':')
			found = strtoll(at + 1, NULL, 10);
	}
	return found;
}

/* Polls until counter @name of @ns equals @want; returns what it was last. */
static long long wait_stat(const char *ns, const char *name, long long want,
			   int seconds)
{
	unsigned long long end = now_ms() + seconds * 1000ULL;
	long long got;

	for (;;) {
		got = server_stat(ns, name);
		if (got == want || now_ms() > end)
			return got;
		usleep(100000);
	}
}

static int udp_socket(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	int fd, size = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&any, sizeof(any))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Sends an RRQ for @name in octet mode with the options given as
 * NULL-terminated name, value pairs.
 */
static void send_rrq(int fd, const struct sockaddr_in *to, const char *name, ...)
{
	char pkt[512];
	size_t len = 2;
	const char *s;
	va_list ap;

	pkt[0] = 0;
	pkt[1] = OP_RRQ;
	len += sprintf(pkt + len, "%s", name) + 1;
	len += sprintf(pkt + len, "octet") + 1;
	va_start(ap, name);
	while ((s = va_arg(ap, const char *)))
		len += sprintf(pkt + len, "%s", s) + 1;
	va_end(ap);
	sendto(fd, pkt, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

static void send_ack(int fd, const struct sockaddr_in *to, unsigned int block)
{
	unsigned char pkt[4] = { 0, OP_ACK, (block >> 8) & 0xff, block & 0xff };

	sendto(fd, pkt, sizeof(pkt), 0, (const struct sockaddr *)to, sizeof(*to));
}

static void send_error(int fd, const struct sockaddr_in *to, unsigned int code,
		       const char *msg)
{
	unsigned char pkt[128] = { 0, OP_ERROR, 0, code };
	size_t len = 4 + sprintf((char *)pkt + 4, "%s", msg) + 1;

	sendto(fd, pkt, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

/* Receives one datagram within @ms; returns its length, -1 on timeout. */
static int recv_within(int fd, unsigned char *buf, size_t size, int ms,
		       struct sockaddr_in *from)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	socklen_t alen = sizeof(*from);

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return recvfrom(fd, buf, size, 0, (struct sockaddr *)from, &alen);
}

static unsigned int opcode(const unsigned char *pkt, int len)
{
	return len >= 2 ? pkt[0] << 8 | pkt[1] : 0;
}

static unsigned int block_of(const unsigned char *pkt)
{
	return pkt[2] << 8 | pkt[3];
}

/* The value of option @key in an OACK, or NULL. */
static const char *oack_value(const unsigned char *pkt, int len, const char *key)
{
	const char *p = (const char *)pkt + 2, *end = (const char *)pkt + len;

	while (p < end) {
		const char *value = p + strnlen(p, end - p) + 1;

		if (value >= end)
			return NULL;
		if (!strcasecmp(p, key))
			return value;
		p = value + strnlen(value, end - value) + 1;
	}
	return NULL;
}

/* A download in progress, as the client sees it. */
struct xfer {
	struct sockaddr_in server;	/* the session's port, once known */
	unsigned int blksize, window;
	bool ack_twice;			/* send every ACK two times */
	unsigned char *out;
	size_t got;
	unsigned long long next;	/* 64-bit index of the block wanted */
	unsigned int *arrivals;		/* DATA seen per block index, or NULL */
	unsigned long long blocks;	/* size of arrivals */
	unsigned int out_of_order;
};

static void ack(int fd, struct xfer *x, unsigned long long block)
{
	send_ack(fd, &x->server, block & 0xffff);
	if (x->ack_twice)
		send_ack(fd, &x->server, block & 0xffff);
}

/*
 * Receives the rest of a transfer whose RRQ was sent: acknowledges an OACK
 * (blksize and windowsize taken from it), takes DATA in order, ACKs each
 * window, after a gap re-ACKs the last block in order.  Returns 0 when the
 * short last block came, -1 on an ERROR or 5 s of silence.
 */
static int receive(struct __test_metadata *_metadata, int fd, struct xfer *x,
		   size_t cap)
{
	unsigned char pkt[65536];
	struct sockaddr_in from;
	unsigned int in_window = 0;
	bool port_known = false;
	int len, silent = 0;

	x->next = 1;
	x->got = 0;
	for (;;) {
		len = recv_within(fd, pkt, sizeof(pkt), 1000, &from);
		if (len < 0) {
			if (++silent == 5 || !port_known) {
				TH_LOG("no packet for %d s while waiting for block %llu",
				       silent, x->next);
				if (silent == 5)
					return -1;
				continue;
			}
			ack(fd, x, x->next - 1);
			in_window = 0;
			continue;
		}
		silent = 0;
		if (!port_known) {
			x->server = from;
			port_known = true;
		} else if (from.sin_port != x->server.sin_port) {
			TH_LOG("packet from port %u, the session's is %u",
			       ntohs(from.sin_port), ntohs(x->server.sin_port));
			continue;
		}
		switch (opcode(pkt, len)) {
		case OP_OACK: {
			const char *v;

			if (x->next != 1)
				break;
			v = oack_value(pkt, len, "blksize");
			if (v)
				x->blksize = atoi(v);
			v = oack_value(pkt, len, "windowsize");
			if (v)
				x->window = atoi(v);
			ack(fd, x, 0);
			break;
		}
		case OP_ERROR:
			TH_LOG("ERROR %u %.*s", len >= 4 ? block_of(pkt) : 0,
			       len > 4 ? len - 4 : 0, pkt + 4);
			return -1;
		case OP_DATA:
			if (x->arrivals) {
				/* The index this 16-bit number stands for, near next. */
				unsigned long long idx = x->next + (short)(block_of(pkt) - (x->next & 0xffff));

				if (idx < x->blocks)
					x->arrivals[idx]++;
			}
			if (block_of(pkt) != (x->next & 0xffff)) {
				x->out_of_order++;
				if (in_window) {
					ack(fd, x, x->next - 1);
					in_window = 0;
				}
				break;
			}
			len -= 4;
			if (x->got + len > cap) {
				TH_LOG("more bytes than the image has");
				return -1;
			}
			memcpy(x->out + x->got, pkt + 4, len);
			x->got += len;
			x->next++;
			if (++in_window >= x->window || (unsigned int)len < x->blksize) {
				ack(fd, x, x->next - 1);
				in_window = 0;
			}
			if ((unsigned int)len < x->blksize)
				return 0;
			break;
		}
	}
}

/* Downloads boot.efi with @blksize and @window (0: no option) and checks it. */
static void download_and_compare(struct __test_metadata *_metadata,
				 FIXTURE_DATA(tftp) * self, unsigned int blksize,
				 unsigned int window)
{
	char bs[16], ws[16];
	struct xfer x = { .blksize = 512, .window = 1 };
	int fd = udp_socket();

	ASSERT_LE(0, fd);
	x.out = malloc(self->size + 65536);
	ASSERT_NE(NULL, x.out);
	snprintf(bs, sizeof(bs), "%u", blksize);
	snprintf(ws, sizeof(ws), "%u", window);
	if (blksize && window)
		send_rrq(fd, &self->server, IMAGE_NAME, "blksize", bs, "windowsize", ws, NULL);
	else if (blksize)
		send_rrq(fd, &self->server, IMAGE_NAME, "blksize", bs, NULL);
	else
		send_rrq(fd, &self->server, IMAGE_NAME, NULL);
	ASSERT_EQ(0, receive(_metadata, fd, &x, self->size + 65536));
	EXPECT_EQ(blksize ? blksize : 512, x.blksize);
	EXPECT_EQ(window ? window : 1, x.window);
	ASSERT_EQ(self->size, x.got);
	EXPECT_EQ(0, memcmp(self->image, x.out, self->size));
	free(x.out);
	close(fd);
}

TEST_F_TIMEOUT(tftp, edk2_tsize_probe_then_windowed_download, 120)
{
	unsigned char pkt[2048];
	struct sockaddr_in from, session;
	char size[32];
	const char *v;
	int fd, len;

	fd = udp_socket();
	ASSERT_LE(0, fd);
	send_rrq(fd, &self->server, IMAGE_NAME, "tsize", "0", "blksize", "1468", NULL);
	len = recv_within(fd, pkt, sizeof(pkt), 2000, &from);
	ASSERT_LT(0, len);
	ASSERT_EQ(OP_OACK, opcode(pkt, len));
	snprintf(size, sizeof(size), "%zu", self->size);
	v = oack_value(pkt, len, "tsize");
	ASSERT_NE(NULL, v);
	EXPECT_STREQ(size, v);
	v = oack_value(pkt, len, "blksize");
	ASSERT_NE(NULL, v);
	EXPECT_STREQ("1468", v);
	EXPECT_EQ(1, server_stat(self->ns, "tftp_sessions_active"));

	/* EDK2 only wanted the size: it says so with ERROR 8. */
	session = from;
	send_error(fd, &session, 8, "only the size was wanted");
	EXPECT_EQ(0, wait_stat(self->ns, "tftp_sessions_active", 0, 5));
	EXPECT_EQ(1, server_stat(self->ns, "tftp_rx_error"));
	EXPECT_EQ(0, server_stat(self->ns, "tftp_tx_error_8"));
	/*
	 * The session is over: no retransmitted OACK, no DATA (its timeout
	 * is 1 s).  An OACK resent before the ERROR arrived may be queued
	 * already: the session has ended, so drain those first.
	 */
	while (recv_within(fd, pkt, sizeof(pkt), 0, &from) >= 0)
		;
	len = recv_within(fd, pkt, sizeof(pkt), 2500, &from);
	EXPECT_EQ(-1, len) {
		TH_LOG("opcode %u from port %u after the client's ERROR 8",
		       opcode(pkt, len), ntohs(from.sin_port));
	}
	close(fd);

	/* Then the real download, windowed like EDK2 does. */
	download_and_compare(_metadata, self, 1468, 4);
	EXPECT_EQ(0, wait_stat(self->ns, "tftp_sessions_active", 0, 5));
	EXPECT_EQ(1, server_stat(self->ns, "tftp_completed"));
}

TEST_F_TIMEOUT(tftp, windowed_download_windowsize_8, 120)
{
	download_and_compare(_metadata, self, 1000, 8);
	EXPECT_EQ(1, wait_stat(self->ns, "tftp_completed", 1, 5));
}

TEST_F_TIMEOUT(tftp, windowed_download_windowsize_16, 120)
{
	download_and_compare(_metadata, self, 1468, 16);
	EXPECT_EQ(0, server_stat(self->ns, "tftp_retransmits"));
}

TEST_F_TIMEOUT(tftp, lockstep_download_blksize_512, 300)
{
	download_and_compare(_metadata, self, 0, 0);
}

TEST_F_TIMEOUT(tftp, ack_for_a_block_never_sent_is_ignored, 120)
{
	unsigned char pkt[2048];
	struct sockaddr_in from;
	long long malformed;
	int fd, len;

	fd = udp_socket();
	ASSERT_LE(0, fd);
	malformed = server_stat(self->ns, "tftp_drop_malformed");
	send_rrq(fd, &self->server, IMAGE_NAME, NULL);
	len = recv_within(fd, pkt, sizeof(pkt), 2000, &from);
	ASSERT_EQ(OP_DATA, opcode(pkt, len));
	ASSERT_EQ(1, block_of(pkt));

	/* Block 50 was never sent: nothing moves (until the 1 s timer). */
	send_ack(fd, &from, 50);
	len = recv_within(fd, pkt, sizeof(pkt), 500, &from);
	EXPECT_EQ(-1, len) {
		TH_LOG("ACK 50 was answered by opcode %u block %u",
		       opcode(pkt, len), len >= 4 ? block_of(pkt) : 0);
	}
	EXPECT_EQ(malformed + 1, server_stat(self->ns, "tftp_drop_malformed"));

	/* The session goes on from block 1. */
	send_ack(fd, &from, 1);
	do {
		len = recv_within(fd, pkt, sizeof(pkt), 2000, &from);
	} while (len >= 4 && opcode(pkt, len) == OP_DATA && block_of(pkt) == 1);
	ASSERT_EQ(OP_DATA, opcode(pkt, len));
	EXPECT_EQ(2, block_of(pkt));
	EXPECT_EQ(0, memcmp(pkt + 4, self->image + 512, 512));
	send_error(fd, &from, 0, "enough");
	EXPECT_EQ(0, wait_stat(self->ns, "tftp_sessions_active", 0, 5));
	close(fd);
}

TEST_F_TIMEOUT(tftp, duplicate_acks_never_duplicate_data, 300)
{
	unsigned long long blocks = self->size / 1468 + 2, i, twice = 0;
	struct xfer x = { .blksize = 512, .window = 1, .ack_twice = true };
	long long dup_acks, retransmits;
	unsigned char pkt[2048];
	struct sockaddr_in from;
	int fd, len, late;

	fd = udp_socket();
	ASSERT_LE(0, fd);
	x.out = malloc(self->size + 65536);
	x.arrivals = calloc(blocks, sizeof(*x.arrivals));
	x.blocks = blocks;
	ASSERT_NE(NULL, x.out);
	ASSERT_NE(NULL, x.arrivals);
	dup_acks = server_stat(self->ns, "tftp_rx_dup_ack");
	send_rrq(fd, &self->server, IMAGE_NAME, "blksize", "1468", NULL);
	ASSERT_EQ(0, receive(_metadata, fd, &x, self->size + 65536));
	ASSERT_EQ(self->size, x.got);
	EXPECT_EQ(0, memcmp(self->image, x.out, self->size));
	/*
	 * Anything still coming would be a duplicate: the transfer ended
	 * with the last ACK, nothing may follow it.
	 */
	late = 0;
	while ((len = recv_within(fd, pkt, sizeof(pkt), 1500, &from)) >= 4) {
		late++;
		TH_LOG("opcode %u (block %u) after the end", opcode(pkt, len),
		       block_of(pkt));
	}
	EXPECT_EQ(0, late);
	retransmits = server_stat(self->ns, "tftp_retransmits");
	for (i = 1; i < x.next; i++) {
		if (x.arrivals[i] != 1) {
			twice++;
			if (twice < 5)
				TH_LOG("block %llu arrived %u times", i, x.arrivals[i]);
		}
	}
	/* Absent loss, only the server's own timer may resend a block. */
	EXPECT_EQ(retransmits, twice);
	EXPECT_EQ(0, retransmits);
	EXPECT_LE(dup_acks + (long long)x.next - 2,
		  server_stat(self->ns, "tftp_rx_dup_ack"));
	free(x.arrivals);
	free(x.out);
	close(fd);
}

TEST_F_TIMEOUT(tftp, stranger_gets_error_5_and_session_goes_on, 120)
{
	unsigned char pkt[2048];
	struct sockaddr_in from, session;
	struct xfer x = { .blksize = 512, .window = 1 };
	long long error5;
	int fd, stranger, len;

	fd = udp_socket();
	stranger = udp_socket();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, stranger);
	error5 = server_stat(self->ns, "tftp_tx_error_5");
	send_rrq(fd, &self->server, IMAGE_NAME, NULL);
	len = recv_within(fd, pkt, sizeof(pkt), 2000, &session);
	ASSERT_EQ(OP_DATA, opcode(pkt, len));
	ASSERT_EQ(1, block_of(pkt));

	/* Another port of the same host ACKs the session's block. */
	send_ack(stranger, &session, 1);
	len = recv_within(stranger, pkt, sizeof(pkt), 2000, &from);
	ASSERT_EQ(OP_ERROR, opcode(pkt, len));
	EXPECT_EQ(5, block_of(pkt));
	EXPECT_EQ(session.sin_port, from.sin_port);
	EXPECT_EQ(error5 + 1, server_stat(self->ns, "tftp_tx_error_5"));

	/* The session did not move for it and still serves its client. */
	x.out = malloc(self->size + 65536);
	ASSERT_NE(NULL, x.out);
	memcpy(x.out, self->image, 512);
	x.server = session;
	/* Block 1 was taken: go on from block 2, lock-step. */
	x.got = 512;
	x.next = 2;
	send_ack(fd, &session, 1);
	for (;;) {
		len = recv_within(fd, pkt, sizeof(pkt), 3000, &from);
		ASSERT_LT(0, len);
		ASSERT_EQ(session.sin_port, from.sin_port);
		ASSERT_EQ(OP_DATA, opcode(pkt, len));
		if (block_of(pkt) != (x.next & 0xffff))
			continue;
		ASSERT_GE(self->size, x.got + len - 4);
		memcpy(x.out + x.got, pkt + 4, len - 4);
		x.got += len - 4;
		send_ack(fd, &session, x.next & 0xffff);
		x.next++;
		if (len - 4 < 512)
			break;
	}
	ASSERT_EQ(self->size, x.got);
	EXPECT_EQ(0, memcmp(self->image, x.out, self->size));
	free(x.out);
	close(stranger);
	close(fd);
}

TEST_F_TIMEOUT(tftp, missing_file_is_error_1_in_one_round_trip, 60)
{
	unsigned char pkt[2048];
	struct sockaddr_in from;
	unsigned long long start;
	int fd, len;

	fd = udp_socket();
	ASSERT_LE(0, fd);
	start = now_ms();
	send_rrq(fd, &self->server, "no/such/file", "blksize", "1468", NULL);
	len = recv_within(fd, pkt, sizeof(pkt), 1000, &from);
	ASSERT_LE(4, len) TH_LOG("no answer within 1 s");
	EXPECT_GT(1000, now_ms() - start);
	EXPECT_EQ(OP_ERROR, opcode(pkt, len));
	EXPECT_EQ(1, block_of(pkt));
	EXPECT_EQ(1, server_stat(self->ns, "tftp_tx_error_1"));
	EXPECT_EQ(0, server_stat(self->ns, "tftp_sessions_active"));
	close(fd);
}

TEST_F_TIMEOUT(tftp, wrq_is_error_2, 60)
{
	static const unsigned char wrq[] = "\0\2" IMAGE_NAME "\0octet";
	unsigned char pkt[2048];
	struct sockaddr_in from;
	int fd, len;

	fd = udp_socket();
	ASSERT_LE(0, fd);
	sendto(fd, wrq, sizeof(wrq), 0, (struct sockaddr *)&self->server,
	       sizeof(self->server));
	len = recv_within(fd, pkt, sizeof(pkt), 1000, &from);
	ASSERT_LE(4, len) TH_LOG("no answer within 1 s");
	EXPECT_EQ(OP_ERROR, opcode(pkt, len));
	EXPECT_EQ(2, block_of(pkt));
	EXPECT_EQ(1, server_stat(self->ns, "tftp_tx_error_2"));
	EXPECT_EQ(1, server_stat(self->ns, "tftp_rx_wrq"));
	close(fd);
}

TEST_HARNESS_MAIN
