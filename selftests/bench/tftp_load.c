// SPDX-License-Identifier: GPL-2.0
/*
 * tftp_load: the TFTP load generator of `make bench`.
 *
 *   tftp_load -s SERVER -f NAME {-e SHA256 | -c FILE} [-b BLKSIZE]
 *             [-w WINDOWSIZE] [-n CLIENTS] [-t TIMEOUT_MS] [-g GIVEUP_SECONDS]
 *             [-T MAX_SECONDS] [-p PORT]
 *   tftp_load --storm -s SERVER -n CLIENTS -c FILE [-b BLKSIZE] [-t TIMEOUT_MS]
 *             [-g GIVEUP_SECONDS] [-T MAX_SECONDS] [-i IFNAME]
 *
 * CLIENTS downloads of NAME run at once from one process (one UDP socket
 * each, epoll), each asking for tsize and, when not the defaults, blksize
 * and windowsize (RFC 2348, 2349, 7440).  Every copy is checked as it
 * arrives: with -e it is hashed and must match SHA256, with -c each block
 * is compared byte for byte with the same offset of FILE (a local copy of
 * the image, mapped: a memcmp costs the generator far less than SHA-256,
 * which under TCG ran at about 90 MB/s a vCPU and made the generator, not
 * the server, the limit of the 64-client runs).  Either way the size must
 * be the one the server announced.  A mismatch, an ERROR packet or a
 * stalled transfer exits 1 and says which client and why.  On success one
 * line on stdout:
 *
 *   clients=N bytes=TOTAL seconds=S mbps=AGGREGATE blksize=B windowsize=W
 *   complete=1 gaps=G retries=R user_s=U sys_s=K
 *
 * where blksize and windowsize are what the server accepted (a server that
 * ignores windowsize runs lock-step), gaps counts blocks that arrived out of
 * order (a loss in a window), retries our resends after TIMEOUT_MS of
 * silence (a download silent for GIVEUP_SECONDS fails), user_s and sys_s
 * the generator's own CPU seconds (getrusage; system time includes the
 * softirq work that ran while it was the current task), and MB are 10^6
 * bytes.  With -T, downloads still running after MAX_SECONDS stop there:
 * complete=0, and the rate is over the bytes that arrived (their SHA-256
 * cannot be checked; the complete ones still are, and -c checks every
 * block that arrived).
 *
 * --storm is a boot storm: each of CLIENTS boots as PXE firmware does.  It
 * broadcasts DHCPDISCOVER and DHCPREQUEST (broadcast flag set, its own
 * chaddr and xid, the options of a BIOS PXE ROM) from one socket on port 68
 * that all clients share (replies are told apart by xid and chaddr), takes
 * the boot file from the ACK's file field or option 67 and the TFTP server
 * from siaddr (else option 54, else SERVER), then does what EDK2 does: an
 * RRQ asking tsize and blksize, ERROR 8 on the OACK, and a new RRQ from a
 * new port asking blksize alone, downloaded lock-step as iPXE and pxelinux
 * do, each block compared with FILE.  One line on stdout:
 *
 *   clients=N seconds=S dhcp_seconds=D bytes=B complete=1 retries=R gaps=G
 *   user_s=U sys_s=K
 *
 * where seconds run from the start until the last client finished its
 * download and dhcp_seconds until the last ACK.  Several --storm processes
 * may run at once: they share port 68.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OP_RRQ = 1, OP_DATA = 3, OP_ACK = 4, OP_ERROR = 5, OP_OACK = 6 };

#define MAX_PACKET 65536

/* Where a client is; a plain download starts at PH_DOWNLOAD. */
enum phase {
	PH_DISCOVER,	/* DHCPDISCOVER sent, waiting for an OFFER */
	PH_REQUEST,	/* DHCPREQUEST sent, waiting for the ACK */
	PH_PROBE,	/* RRQ with tsize sent, waiting for the OACK */
	PH_DOWNLOAD,
	PH_DONE,
};

struct client {
	int id;
	int fd;			/* the TFTP socket; -1 while in DHCP */
	enum phase phase;
	bool connected;		/* to the server's transfer ID */
	uint32_t next_block;	/* the block we wait for, not wrapped */
	uint32_t in_window;	/* blocks since our last ACK */
	uint32_t nacked;	/* next_block when we last re-ACKed a gap */
	unsigned int blksize, windowsize;
	long long tsize;	/* -1: the server did not say */
	unsigned long long bytes;
	unsigned char last[4 + 512];
	size_t last_len;	/* the last TFTP packet we sent, for retries */
	double last_rx, last_progress;
	unsigned long gaps, resends;
	EVP_MD_CTX *sha;	/* with -e */

	/* --storm: DHCP and what it told us. */
	uint32_t xid;
	unsigned char mac[6];
	struct in_addr yiaddr, server_id;
	char file[256];		/* the boot file */
	struct sockaddr_in tftp;	/* where the RRQs go */
};

static struct {
	const char *server, *name, *sha256, *compare, *ifname;
	unsigned int port, blksize, windowsize, clients, timeout_ms, max_seconds;
	unsigned int giveup_seconds;
	bool storm;
	struct sockaddr_in addr;
} opt = { .port = 69, .blksize = 512, .windowsize = 1, .clients = 1,
	  .timeout_ms = 1000, .giveup_seconds = 20 };

/* -c FILE, mapped. */
static const unsigned char *image;
static unsigned long long image_size;

/*
 * The time, read once per turn of the main loop rather than per packet:
 * with the guest's clocksource a clock_gettime may be a system call, and
 * what it times (resends after TIMEOUT_MS, progress) needs no finer grain.
 */
static double t_now;

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

/* ------------------------------------------------------------------------
 * TFTP.
 */

static void send_last(struct client *c)
{
	ssize_t n;

	if (c->connected)
		n = send(c->fd, c->last, c->last_len, 0);
	else
		n = sendto(c->fd, c->last, c->last_len, 0,
			   (struct sockaddr *)&c->tftp, sizeof(c->tftp));
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

static size_t put_num(unsigned char *p, size_t off, const char *key, unsigned int v)
{
	char num[16];

	snprintf(num, sizeof(num), "%u", v);
	off = put_str(p, off, key);
	return put_str(p, off, num);
}

/*
 * A plain download asks tsize, and blksize and windowsize when not the
 * defaults.  A storm client's first RRQ asks tsize and blksize (EDK2's
 * size probe), its second blksize alone.
 */
static void send_rrq(struct client *c)
{
	bool tsize = !opt.storm || c->phase == PH_PROBE;
	size_t off = 2;

	c->last[0] = 0;
	c->last[1] = OP_RRQ;
	off = put_str(c->last, off, c->file);
	off = put_str(c->last, off, "octet");
	if (tsize)
		off = put_num(c->last, off, "tsize", 0);
	if (opt.blksize != 512 || opt.storm)
		off = put_num(c->last, off, "blksize", opt.blksize);
	if (opt.windowsize != 1)
		off = put_num(c->last, off, "windowsize", opt.windowsize);
	c->last_len = off;
	c->last_rx = t_now;
	send_last(c);
}

/* A new transfer from a new socket, hence a new port. */
static void tftp_start(struct client *c, int epfd)
{
	/* Room for a whole window of the biggest blocks. */
	int rcvbuf = 8 << 20;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->connected = false;
	c->next_block = 1;
	c->nacked = 0;
	c->in_window = 0;
	c->blksize = 512;
	c->windowsize = 1;
	c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		die("socket: %s", strerror(errno));
	/* FORCE: above rmem_max too, when root. */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
	c->last_progress = t_now;
	send_rrq(c);
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

	if (c->sha) {
		if (!EVP_DigestFinal_ex(c->sha, md, &mdlen))
			die("client %d: SHA-256 failed", c->id);
		for (i = 0; i < 32; i++)
			sprintf(hex + 2 * i, "%02x", md[i]);
		if (strcasecmp(hex, opt.sha256))
			die("client %d: SHA-256 MISMATCH after %llu bytes: got %s, want %s",
			    c->id, c->bytes, hex, opt.sha256);
	}
	if (image && c->bytes != image_size)
		die("client %d: got %llu bytes, %s has %llu", c->id, c->bytes,
		    opt.compare, image_size);
	if (c->tsize >= 0 && (unsigned long long)c->tsize != c->bytes)
		die("client %d: got %llu bytes, server announced tsize %lld",
		    c->id, c->bytes, c->tsize);
	c->phase = PH_DONE;
}

/* A block in order: checked against -e's hash and -c's file. */
static void check_block(struct client *c, unsigned int block, const unsigned char *p,
			size_t payload)
{
	if (c->sha && !EVP_DigestUpdate(c->sha, p, payload))
		die("client %d: SHA-256 failed", c->id);
	if (!image)
		return;
	if (c->bytes + payload > image_size)
		die("client %d: block %u ends at byte %llu, %s has %llu", c->id, block,
		    c->bytes + payload, opt.compare, image_size);
	if (memcmp(p, image + c->bytes, payload)) {
		size_t i = 0;

		while (p[i] == image[c->bytes + i])
			i++;
		die("client %d: MISMATCH in block %u: byte %llu differs from %s",
		    c->id, block, c->bytes + i, opt.compare);
	}
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
	check_block(c, block, p + 4, payload);
	c->bytes += payload;
	c->next_block++;
	c->in_window++;
	c->last_progress = t_now;
	if (payload < c->blksize) {
		send_ack(c, block);
		finish(c);
	} else if (c->in_window >= c->windowsize) {
		send_ack(c, block);
	}
}

/*
 * The storm's size probe answered: what EDK2 does next is refuse the
 * transfer (ERROR 8, option negotiation) and ask again from a new port.
 */
static void end_probe(struct client *c, const struct sockaddr_in *from, int epfd)
{
	static const char msg[] = "\0\5\0\10option negotiation aborted";

	if (sendto(c->fd, msg, sizeof(msg), 0, (const struct sockaddr *)from,
		   sizeof(*from)) < 0 && errno != EAGAIN && errno != ENOBUFS)
		die("client %d: send ERROR: %s", c->id, strerror(errno));
	c->phase = PH_DOWNLOAD;
	tftp_start(c, epfd);
}

static void on_packet(struct client *c, const unsigned char *p, size_t len,
		      const struct sockaddr_in *from, int epfd)
{
	unsigned int op;

	if (len < 4)
		die("client %d: runt packet of %zu bytes", c->id, len);
	op = p[0] << 8 | p[1];
	c->last_rx = t_now;
	switch (op) {
	case OP_OACK:
		if (c->next_block != 1 || c->connected)
			return;	/* a duplicate OACK: our ACK 0 went out */
		c->last_progress = t_now;
		if (c->phase == PH_PROBE) {
			parse_oack(c, p, len);
			if (c->tsize < 0)
				die("client %d: the OACK to the size probe has no tsize", c->id);
			end_probe(c, from, epfd);
			return;
		}
		lock_tid(c, from);
		parse_oack(c, p, len);
		send_ack(c, 0);
		break;
	case OP_DATA:
		if (c->phase == PH_PROBE)
			die("client %d: DATA for the size probe: the server ignored tsize", c->id);
		if (!c->connected) {
			/* No OACK: the server ignored every option. */
			lock_tid(c, from);
			c->blksize = 512;
			c->windowsize = 1;
		}
		on_data(c, p, len);
		break;
	case OP_ERROR:
		die("client %d: server sent ERROR %u (%s): %.*s", c->id, p[2] << 8 | p[3],
		    c->phase == PH_PROBE ? "size probe" : "download", (int)(len - 4), p + 4);
	default:
		die("client %d: unexpected opcode %u", c->id, op);
	}
}

/* ------------------------------------------------------------------------
 * DHCP (--storm): a BIOS PXE ROM's DISCOVER and REQUEST.
 */

#define BOOTP_MIN 300		/* the smallest BOOTP message (RFC 951) */
#define DHCP_OPTIONS 240	/* after the fixed part and the magic cookie */

enum {
	DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPACK = 5, DHCPNAK = 6,
};

enum {
	OPT_PAD = 0, OPT_REQUESTED_IP = 50, OPT_OVERLOAD = 52, OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54, OPT_PARAMS = 55, OPT_MAX_SIZE = 57, OPT_VENDOR_CLASS = 60,
	OPT_BOOTFILE = 67, OPT_ARCH = 93, OPT_NDI = 94, OPT_UUID = 97, OPT_END = 255,
};

static const unsigned char magic_cookie[4] = { 99, 130, 83, 99 };

/* The shared socket on port 68. */
static int dhcp_fd = -1;
static uint32_t xid_base;

struct dhcp_msg {
	unsigned char b[576];
	size_t len;
};

static void dhcp_opt(struct dhcp_msg *m, unsigned char code, size_t len, const void *data)
{
	if (m->len + 2 + len + 1 > sizeof(m->b))
		die("DHCP option %u does not fit", code);
	m->b[m->len++] = code;
	m->b[m->len++] = len;
	memcpy(m->b + m->len, data, len);
	m->len += len;
}

/*
 * What a BIOS PXE ROM sends (the PXE 2.1 specification, and EDK2's list of
 * parameters): its architecture, its UNDI version, a UUID, and the boot
 * file and TFTP server among the parameters it asks for.
 */
static void dhcp_build(struct client *c, struct dhcp_msg *m, unsigned char type)
{
	static const char vendor[] = "PXEClient:Arch:00000:UNDI:002001";
	static const unsigned char params[] = {
		1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41, 42, 43, 50,
		51, 54, 58, 59, 60, 66, 67, 97, 128, 129, 130, 131, 132, 133, 134, 135,
	};
	static const unsigned char max_size[2] = { 1500 >> 8, 1500 & 0xff };
	static const unsigned char arch[2] = { 0, 0 };		/* x86 BIOS */
	static const unsigned char ndi[3] = { 1, 2, 1 };	/* UNDI 2.1 */
	unsigned char uuid[17] = { 0 };				/* type 0, then 16 */

	memset(m, 0, sizeof(*m));
	m->b[0] = 1;			/* BOOTREQUEST */
	m->b[1] = 1;			/* Ethernet */
	m->b[2] = 6;
	memcpy(m->b + 4, &c->xid, 4);	/* already in network order */
	m->b[10] = 0x80;		/* broadcast the reply: we have no address */
	memcpy(m->b + 28, c->mac, 6);
	memcpy(m->b + 236, magic_cookie, 4);
	m->len = DHCP_OPTIONS;
	dhcp_opt(m, OPT_MSG_TYPE, 1, &type);
	if (type == DHCPREQUEST) {
		dhcp_opt(m, OPT_REQUESTED_IP, 4, &c->yiaddr);
		dhcp_opt(m, OPT_SERVER_ID, 4, &c->server_id);
	}
	dhcp_opt(m, OPT_MAX_SIZE, 2, max_size);
	dhcp_opt(m, OPT_PARAMS, sizeof(params), params);
	dhcp_opt(m, OPT_VENDOR_CLASS, sizeof(vendor) - 1, vendor);
	dhcp_opt(m, OPT_ARCH, 2, arch);
	dhcp_opt(m, OPT_NDI, 3, ndi);
	memcpy(uuid + 1, c->mac, 6);
	uuid[16] = c->id;
	dhcp_opt(m, OPT_UUID, sizeof(uuid), uuid);
	m->b[m->len++] = OPT_END;
	if (m->len < BOOTP_MIN)
		m->len = BOOTP_MIN;	/* padded with zeros (OPT_PAD) */
}

static void dhcp_send(struct client *c)
{
	struct sockaddr_in bcast = {
		.sin_family = AF_INET, .sin_port = htons(67),
		.sin_addr = { .s_addr = htonl(INADDR_BROADCAST) },
	};
	struct dhcp_msg m;

	dhcp_build(c, &m, c->phase == PH_DISCOVER ? DHCPDISCOVER : DHCPREQUEST);
	c->last_rx = t_now;
	if (sendto(dhcp_fd, m.b, m.len, 0, (const struct sockaddr *)&bcast, sizeof(bcast)) < 0 &&
	    errno != EAGAIN && errno != ENOBUFS)
		die("client %d: send %s: %s", c->id,
		    c->phase == PH_DISCOVER ? "DHCPDISCOVER" : "DHCPREQUEST", strerror(errno));
}

/* The options of a reply, those we use. */
struct dhcp_reply {
	int type;
	int overload;		/* option 52: 1 file, 2 sname hold options */
	struct in_addr server_id;
	char bootfile[256];
};

static bool dhcp_parse(const unsigned char *p, size_t len, struct dhcp_reply *r)
{
	size_t off = DHCP_OPTIONS;

	memset(r, 0, sizeof(*r));
	r->type = -1;
	if (len < DHCP_OPTIONS || memcmp(p + 236, magic_cookie, 4))
		return false;
	while (off < len && p[off] != OPT_END) {
		unsigned char code = p[off], olen;

		if (code == OPT_PAD) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len)
			return false;
		olen = p[off + 1];
		if (code == OPT_MSG_TYPE && olen == 1)
			r->type = p[off + 2];
		else if (code == OPT_SERVER_ID && olen == 4)
			memcpy(&r->server_id, p + off + 2, 4);
		else if (code == OPT_OVERLOAD && olen == 1)
			r->overload = p[off + 2];
		else if (code == OPT_BOOTFILE)
			memcpy(r->bootfile, p + off + 2, olen);
		off += 2 + olen;
	}
	return r->type >= 0;
}

static void on_dhcp(struct client *clients, const unsigned char *p, size_t len, int epfd,
		    double *last_ack)
{
	struct dhcp_reply r;
	struct client *c;
	uint32_t xid, id;

	if (len < DHCP_OPTIONS || p[0] != 2)
		return;		/* not a BOOTREPLY */
	memcpy(&xid, p + 4, 4);
	id = ntohl(xid) - xid_base;
	if (id >= opt.clients)
		return;
	c = &clients[id];
	if (memcmp(p + 28, c->mac, 6))
		return;		/* someone else's xid */
	if (!dhcp_parse(p, len, &r))
		die("client %d: a reply to xid %08x with no DHCP message type", c->id, ntohl(xid));
	if (c->phase == PH_DISCOVER && r.type == DHCPOFFER) {
		memcpy(&c->yiaddr, p + 16, 4);
		c->server_id = r.server_id;
		if (!c->server_id.s_addr)
			die("client %d: an OFFER without a server identifier", c->id);
		c->phase = PH_REQUEST;
		c->last_progress = t_now;
		dhcp_send(c);
		return;
	}
	if (c->phase != PH_REQUEST)
		return;		/* a late or duplicate OFFER or ACK */
	if (r.type == DHCPNAK)
		die("client %d: DHCPNAK to the REQUEST", c->id);
	if (r.type != DHCPACK)
		return;
	/* The file field, unless option 52 says it holds options. */
	if (!r.bootfile[0] && !(r.overload & 1))
		memcpy(r.bootfile, p + 108, 128);
	r.bootfile[sizeof(r.bootfile) - 1] = '\0';
	if (!r.bootfile[0])
		die("client %d: the ACK names no boot file", c->id);
	snprintf(c->file, sizeof(c->file), "%s", r.bootfile);
	c->tftp = opt.addr;
	memcpy(&c->tftp.sin_addr, p + 20, 4);		/* siaddr */
	if (!c->tftp.sin_addr.s_addr)
		c->tftp.sin_addr = r.server_id.s_addr ? r.server_id : opt.addr.sin_addr;
	*last_ack = t_now;
	c->phase = PH_PROBE;
	tftp_start(c, epfd);
}

static void dhcp_open(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(68) };
	int one = 1;

	dhcp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (dhcp_fd < 0)
		die("socket: %s", strerror(errno));
	if (setsockopt(dhcp_fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0)
		die("SO_BROADCAST: %s", strerror(errno));
	/*
	 * Several storm processes share port 68: each gets a copy of every
	 * broadcast reply and keeps those whose xid and chaddr are its own.
	 */
	if (setsockopt(dhcp_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR: %s", strerror(errno));
	if (opt.ifname && setsockopt(dhcp_fd, SOL_SOCKET, SO_BINDTODEVICE, opt.ifname,
				     strlen(opt.ifname)) < 0)
		die("SO_BINDTODEVICE %s: %s", opt.ifname, strerror(errno));
	if (bind(dhcp_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind 0.0.0.0:68: %s", strerror(errno));
}

/* ------------------------------------------------------------------------
 * Timers and the main loop.
 */

/*
 * A TFTP request waits longer than an ACK: a resent RRQ makes a slow server
 * (one that forks or spawns a thread per transfer) start a second one.
 */
#define RRQ_TIMEOUT_MS 2000

static double timeout_of(const struct client *c)
{
	unsigned int ms = opt.timeout_ms;

	if (c->fd >= 0 && !c->connected && ms < RRQ_TIMEOUT_MS)
		ms = RRQ_TIMEOUT_MS;
	return ms / 1000.0;
}

static void on_timeout(struct client *c)
{
	if (t_now - c->last_progress > opt.giveup_seconds) {
		if (c->phase == PH_DISCOVER || c->phase == PH_REQUEST)
			die("client %d: no DHCP%s in %u s (xid %08x)", c->id,
			    c->phase == PH_DISCOVER ? "OFFER" : "ACK", opt.giveup_seconds,
			    ntohl(c->xid));
		if (c->phase == PH_PROBE)
			die("client %d: no OACK to the size probe of %s in %u s", c->id,
			    c->file, opt.giveup_seconds);
		die("client %d: no progress for %u s (waiting for block %u, %llu bytes in)",
		    c->id, opt.giveup_seconds, c->next_block, c->bytes);
	}
	c->resends++;
	if (c->phase == PH_DISCOVER || c->phase == PH_REQUEST) {
		/* DHCP retransmits at TIMEOUT_MS; see parse_args. */
		dhcp_send(c);
		return;
	}
	c->last_rx = t_now;
	c->in_window = 0;
	send_last(c);
}

/*
 * Reads the datagrams waiting on a socket, one batch (a window's blocks in
 * one recvmmsg; lock-step, a single datagram: a second slot would cost a
 * futile look at the queue), so that one busy client starves neither the
 * others nor the time cap.  Returns the number read.
 */
#define BATCH 16

static struct {
	unsigned char bufs[BATCH][MAX_PACKET];
	struct sockaddr_in froms[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iovs[BATCH];
} rx;

static int receive(int fd, unsigned int max, const char *who, int id)
{
	unsigned int i;
	int n;

	if (max > BATCH)
		max = BATCH;
	for (i = 0; i < max; i++) {
		rx.msgs[i].msg_hdr.msg_namelen = sizeof(rx.froms[i]);
		rx.msgs[i].msg_len = 0;
	}
	n = recvmmsg(fd, rx.msgs, max, MSG_DONTWAIT, NULL);
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		die("%s %d: recv: %s", who, id, strerror(errno));
	}
	return n;
}

static void drain(struct client *c, int epfd, unsigned int *left)
{
	int fd = c->fd, i, n;

	if (c->phase == PH_DONE || fd < 0)
		return;
	n = receive(fd, c->windowsize, "client", c->id);
	/* A probe's OACK moves the client to a new socket: the rest is stale. */
	for (i = 0; i < n && c->phase != PH_DONE && c->fd == fd; i++)
		on_packet(c, rx.bufs[i], rx.msgs[i].msg_len, &rx.froms[i], epfd);
	if (c->phase != PH_DONE)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	(*left)--;
}

static void drain_dhcp(struct client *clients, int epfd, double *last_ack)
{
	int i, n = receive(dhcp_fd, BATCH, "DHCP socket", 68);

	for (i = 0; i < n; i++)
		on_dhcp(clients, rx.bufs[i], rx.msgs[i].msg_len, epfd, last_ack);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: tftp_load -s SERVER -f NAME {-e SHA256 | -c FILE} [-b BLKSIZE] "
		"[-w WINDOWSIZE]\n"
		"                 [-n CLIENTS] [-t TIMEOUT_MS] [-g GIVEUP_SECONDS] "
		"[-T MAX_SECONDS] [-p PORT]\n"
		"       tftp_load --storm -s SERVER -n CLIENTS -c FILE [-b BLKSIZE] "
		"[-t TIMEOUT_MS]\n"
		"                 [-g GIVEUP_SECONDS] [-T MAX_SECONDS] [-i IFNAME]\n");
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

static void map_image(void)
{
	struct stat st;
	int fd = open(opt.compare, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", opt.compare, strerror(errno));
	image_size = st.st_size;
	if (image_size) {
		image = mmap(NULL, image_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (image == MAP_FAILED)
			die("mmap %s: %s", opt.compare, strerror(errno));
	} else {
		image = (const unsigned char *)"";	/* checked all the same */
	}
	close(fd);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "storm", no_argument, NULL, 'S' },
		{ 0 }
	};
	bool blksize = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "s:f:e:c:b:w:n:t:g:T:p:i:", longs, NULL)) != -1) {
		switch (ch) {
		case 'S': opt.storm = true; break;
		case 's': opt.server = optarg; break;
		case 'f': opt.name = optarg; break;
		case 'e': opt.sha256 = optarg; break;
		case 'c': opt.compare = optarg; break;
		case 'b': opt.blksize = number(optarg, 8, 65464); blksize = true; break;
		case 'w': opt.windowsize = number(optarg, 1, 65535); break;
		case 'n': opt.clients = number(optarg, 1, 4096); break;
		case 't': opt.timeout_ms = number(optarg, 10, 60000); break;
		case 'g': opt.giveup_seconds = number(optarg, 1, 3600); break;
		case 'T': opt.max_seconds = number(optarg, 1, 86400); break;
		case 'p': opt.port = number(optarg, 1, 65535); break;
		case 'i': opt.ifname = optarg; break;
		default: usage();
		}
	}
	if (!opt.server || optind != argc)
		usage();
	if (opt.storm) {
		/*
		 * Firmware waits 4 s and more before its first DHCP retransmit
		 * (PXE 2.1: 4, 8, 16, 32 s); a bench that lost one broadcast
		 * would measure that wait, not the server: TIMEOUT_MS (1000
		 * ms by default) instead, for DHCP as for TFTP.
		 */
		if (!opt.compare || opt.name || opt.sha256 || opt.windowsize != 1)
			usage();
		if (!blksize)
			opt.blksize = 1432;
	} else if (!opt.name || (!opt.sha256 && !opt.compare) || opt.ifname) {
		usage();
	}
	if (opt.sha256 && strlen(opt.sha256) != 64)
		die("`%s' is not a SHA-256 in hex", opt.sha256);
	if (opt.compare)
		map_image();
	opt.addr.sin_family = AF_INET;
	opt.addr.sin_port = htons(opt.port);
	if (inet_pton(AF_INET, opt.server, &opt.addr.sin_addr) != 1)
		die("`%s' is not an IPv4 address", opt.server);
}

static void client_init(struct client *c, int id, int epfd)
{
	c->id = id;
	c->fd = -1;
	c->tsize = -1;
	c->blksize = 512;
	c->windowsize = 1;
	c->last_rx = c->last_progress = t_now;
	if (opt.sha256) {
		c->sha = EVP_MD_CTX_new();
		if (!c->sha || !EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL))
			die("SHA-256 init failed");
	}
	if (!opt.storm) {
		snprintf(c->file, sizeof(c->file), "%s", opt.name);
		c->tftp = opt.addr;
		c->phase = PH_DOWNLOAD;
		tftp_start(c, epfd);
		return;
	}
	/* A locally administered MAC of ours, and an xid that names us. */
	c->mac[0] = 0x02;
	c->mac[1] = xid_base >> 24;
	c->mac[2] = xid_base >> 16;
	c->mac[3] = xid_base >> 8;
	c->mac[4] = id >> 8;
	c->mac[5] = id;
	c->xid = htonl(xid_base + id);
	c->phase = PH_DISCOVER;
	dhcp_send(c);
}

int main(int argc, char **argv)
{
	struct epoll_event events[256];
	unsigned long long total = 0;
	unsigned long gaps = 0, resends = 0;
	bool complete = true;
	struct client *clients;
	unsigned int i, left;
	double start, last_scan, last_ack = 0;
	struct rusage ru;
	int epfd, n;

	parse_args(argc, argv);
	clients = calloc(opt.clients, sizeof(*clients));
	epfd = epoll_create1(0);
	if (!clients || epfd < 0)
		die("out of memory");
	for (i = 0; i < BATCH; i++) {
		rx.iovs[i].iov_base = rx.bufs[i];
		rx.iovs[i].iov_len = MAX_PACKET;
		rx.msgs[i].msg_hdr.msg_name = &rx.froms[i];
		rx.msgs[i].msg_hdr.msg_iov = &rx.iovs[i];
		rx.msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (opt.storm) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		/*
		 * 20 bits that differ between runs, and 12 for the client
		 * number (up to 4096): xid_base + id names the client.
		 */
		xid_base = ((getpid() ^ (uint32_t)now()) << 12) & 0xfffff000;
		dhcp_open();
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, dhcp_fd, &ev) < 0)
			die("epoll_ctl: %s", strerror(errno));
	}
	start = t_now = now();
	for (i = 0; i < opt.clients; i++)
		client_init(&clients[i], i, epfd);
	left = opt.clients;
	last_scan = start;
	while (left) {
		n = epoll_wait(epfd, events, 256, 50);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		t_now = now();
		for (i = 0; i < (unsigned int)(n > 0 ? n : 0); i++) {
			if (events[i].data.ptr)
				drain(events[i].data.ptr, epfd, &left);
			else
				drain_dhcp(clients, epfd, &last_ack);
		}
		if (opt.max_seconds && t_now - start >= opt.max_seconds) {
			complete = false;
			break;
		}
		if (t_now - last_scan < 0.05)
			continue;
		last_scan = t_now;
		for (i = 0; i < opt.clients; i++) {
			struct client *c = &clients[i];

			if (c->phase == PH_DONE || t_now - c->last_rx < timeout_of(c))
				continue;
			/*
			 * Silence is judged on the socket, not on our loop:
			 * what waits unread there is no reason to resend.
			 */
			if (c->fd >= 0)
				drain(c, epfd, &left);
			else
				drain_dhcp(clients, epfd, &last_ack);
			if (c->phase != PH_DONE && t_now - c->last_rx >= timeout_of(c))
				on_timeout(c);
		}
	}
	t_now = now();
	for (i = 0; i < opt.clients; i++) {
		total += clients[i].bytes;
		gaps += clients[i].gaps;
		resends += clients[i].resends;
		EVP_MD_CTX_free(clients[i].sha);
	}
	getrusage(RUSAGE_SELF, &ru);
	if (opt.storm)
		printf("clients=%u seconds=%.3f dhcp_seconds=%.3f bytes=%llu complete=%d "
		       "retries=%lu gaps=%lu",
		       opt.clients, t_now - start, last_ack ? last_ack - start : 0.0, total,
		       complete, resends, gaps);
	else
		printf("clients=%u bytes=%llu seconds=%.3f mbps=%.3f blksize=%u windowsize=%u "
		       "complete=%d gaps=%lu retries=%lu",
		       opt.clients, total, t_now - start, total / (t_now - start) / 1e6,
		       clients[0].blksize, clients[0].windowsize, complete, gaps, resends);
	printf(" user_s=%.3f sys_s=%.3f\n", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	free(clients);
	return 0;
}
