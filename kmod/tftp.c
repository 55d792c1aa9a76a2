// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the TFTP server (RFC 1350, options RFC 2347/2348/2349/7440), read
 * only, in softirq.  docs/tftp.md describes the behaviour.
 *
 * A read request on :69 of a link's server address (over IPv6: of an
 * address of the link's device, when the link has an IPv6 pool) starts a
 * session with a fresh server port (its transfer ID).  No socket is bound: the ingress
 * hook hands over every datagram to the server address, and a session is
 * found by its server port (unique in the namespace), then checked against
 * link, client address and client port.  Client addresses are kept as
 * IPv6 ones, an IPv4 client's v4-mapped (::ffff:a.b.c.d), so that one
 * table, one limit per client and one half-open list serve both.
 *
 * Locking: the session table has a spinlock per bucket for writers and is
 * read under RCU.  Everything about one session -- its ACKs, its timer, its
 * end -- happens under its own spinlock, so that a retransmit on one CPU
 * and an ACK on another never interleave.  A session ends exactly once
 * (state TFTP_ENDED, under that lock): it leaves the table, gives back its
 * port, its counts and its image, and is freed after a grace period, so a
 * reader that found it just before sees TFTP_ENDED and lets go.
 *
 * A session is half-open until its client's first ACK from the session's
 * 4-tuple: the source address of a request proves nothing, an ACK to our
 * random port does.  Half-open sessions resend every second whatever
 * `timeout` was asked, end 3 s after the request, and sit on a list, oldest
 * first, and on their client's, from which a request that finds no room
 * (in the namespace, or under its client's limit) takes one away.  Lock
 * order: session lock, then a list's lock (the namespace's, or the client
 * bucket's); an evictor takes a list lock alone, unlinks, lets go, then
 * takes the session's.
 */
#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/siphash.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "pxe.h"
#include "tftp_msg.h"

/* Server ports: limits tftp_port_min..tftp_port_max (settable). */
#define TFTP_PORTS		65536
#define TFTP_PORT_TRIES		64	/* ports looked at per session */

#define TFTP_TABLE_BITS		9
#define TFTP_CLIENT_BITS	8

#define TFTP_RETRIES		5	/* sends after the first, then give up */
#define TFTP_RTO_CAP		4	/* seconds, unless `timeout` is longer */
#define TFTP_MESSAGE_MAX	128	/* of an error message in an event */

/* Half-open: a send each second, the request's and 2 more, then the end. */
#define TFTP_HALF_OPEN_RTO	1	/* seconds */
#define TFTP_HALF_OPEN_RETRIES	2
#define TFTP_EVICT_TRIES	4	/* evictions one request may make */

/*
 * What one timer run or one ACK may send: a window of at most 256 blocks
 * and 1 MiB of payload, whatever windowsize the client and the limit allow.
 */
#define TFTP_WINDOW_BLOCKS_MAX	256
#define TFTP_WINDOW_BYTES_MAX	SZ_1M

struct tftp_bucket {
	struct hlist_head head;
	spinlock_t lock;		/* writers; sessions: readers use RCU */
};

/* Sessions of one client address, for the per-client limit. */
struct tftp_client {
	struct hlist_node node;		/* under its bucket's lock only */
	struct in6_addr addr;		/* IPv4: v4-mapped */
	u32 sessions;
	struct list_head half_open;	/* its half-open sessions, oldest first */
};

struct pxe_tftp_net {
	atomic_t sessions;
	hsiphash_key_t key;		/* of both tables: clients pick addresses */
	spinlock_t half_open_lock;
	struct list_head half_open;	/* struct tftp_session, oldest first */
	struct tftp_bucket table[1 << TFTP_TABLE_BITS];	/* by server port */
	struct tftp_bucket clients[1 << TFTP_CLIENT_BITS];
	unsigned long ports[BITS_TO_LONGS(TFTP_PORTS)];	/* in use */
};

enum tftp_state {
	TFTP_WAIT_ACK0,		/* OACK sent, waiting for ACK 0 */
	TFTP_SENDING,
	TFTP_ENDED,
};

/*
 * Blocks are counted from 1 with 64 bits; the wire carries the low 16.
 * Block i holds bytes [(i - 1) * blksize, i * blksize) of the stream (the
 * image, or its netascii encoding); the last block, @blocks, is short.
 */
struct tftp_session {
	struct hlist_node node;		/* in pxe_tftp_net.table */
	spinlock_t lock;		/* everything below */
	u8 state;			/* enum tftp_state */
	u8 mode;			/* enum tftp_mode */
	u8 opts;			/* options in the OACK */
	u8 retries;			/* sends since the last progress */
	u8 timeout;			/* seconds */
	bool established;		/* the client has ACKed */
	u8 mac[ETH_ALEN];		/* client's Ethernet address */
	u16 blksize;
	u16 windowsize;
	__be16 port;			/* ours */
	__be16 client_port;
	struct in6_addr client;		/* IPv4: v4-mapped */
	struct in6_addr server6;	/* IPv6: ours, the request's destination */
	struct pxe_link *link;
	struct pxe_image *image;
	u64 size;			/* bytes in the stream */
	u64 blocks;			/* index of the last block */
	u64 acked;			/* blocks acknowledged */
	u64 sent;			/* highest block sent */
	struct tftp_netascii na;	/* netascii: where block acked+1 starts */
	u64 start_ns;
	struct timer_list timer;	/* retransmit */
	struct list_head half_open;	/* until established; half_open_lock */
	struct list_head client_half_open; /* the same; client bucket's lock */
	struct rcu_head rcu;
};

static struct tftp_bucket *session_bucket(struct pxe_tftp_net *tn, __be16 port)
{
	u32 hash = hsiphash_1u32((__force u32)port, &tn->key);

	return &tn->table[hash & (ARRAY_SIZE(tn->table) - 1)];
}

static struct tftp_bucket *client_bucket(struct pxe_tftp_net *tn,
					 const struct in6_addr *addr)
{
	u32 hash = hsiphash_4u32((__force u32)addr->s6_addr32[0],
				 (__force u32)addr->s6_addr32[1],
				 (__force u32)addr->s6_addr32[2],
				 (__force u32)addr->s6_addr32[3], &tn->key);

	return &tn->clients[hash & (ARRAY_SIZE(tn->clients) - 1)];
}

/*
 * Counts a session for @addr unless it has @limit already (-ENOSPC) or its
 * first session finds no memory to count it in (-ENOMEM).  BH off.
 */
static int client_get(struct pxe_tftp_net *tn, struct mem_cgroup *memcg,
		      const struct in6_addr *addr, u32 limit)
{
	struct tftp_bucket *b = client_bucket(tn, addr);
	struct tftp_client *c;
	int err = -ENOSPC;

	spin_lock(&b->lock);
	hlist_for_each_entry(c, &b->head, node)
		if (ipv6_addr_equal(&c->addr, addr))
			goto found;
	c = pxe_kzalloc_charged(memcg, sizeof(*c), PXE_GFP_PACKET);
	if (!c) {
		err = -ENOMEM;
		goto out;
	}
	c->addr = *addr;
	c->sessions = 0;
	INIT_LIST_HEAD(&c->half_open);
	hlist_add_head(&c->node, &b->head);
found:
	if (c->sessions < limit) {
		c->sessions++;
		err = 0;
	} else if (!c->sessions) {
		hlist_del(&c->node);
		kfree(c);
	}
out:
	spin_unlock(&b->lock);
	return err;
}

static void client_put(struct pxe_tftp_net *tn, const struct in6_addr *addr)
{
	struct tftp_bucket *b = client_bucket(tn, addr);
	struct tftp_client *c;

	spin_lock(&b->lock);
	hlist_for_each_entry(c, &b->head, node) {
		if (!ipv6_addr_equal(&c->addr, addr))
			continue;
		if (!--c->sessions) {
			hlist_del(&c->node);
			kfree(c);
		}
		break;
	}
	spin_unlock(&b->lock);
}

/* @s, half-open, joins its client's list; its place is counted already. */
static void client_half_open_add(struct pxe_tftp_net *tn,
				 struct tftp_session *s)
{
	struct tftp_bucket *b = client_bucket(tn, &s->client);
	struct tftp_client *c;

	spin_lock(&b->lock);
	hlist_for_each_entry(c, &b->head, node)
		if (ipv6_addr_equal(&c->addr, &s->client)) {
			list_add_tail(&s->client_half_open, &c->half_open);
			break;
		}
	spin_unlock(&b->lock);
}

/*
 * Would the stack deliver a datagram from the sender of @rx to our port
 * @dport on the link's device to a local socket?  udp4_lib_lookup() and
 * udp6_lib_lookup() are exported only with nf_socket or nf_tproxy (Debian
 * builds both); without them we cannot tell, and say no.  Under RCU.
 */
static bool udp_socket_takes(const struct pxe_rx *rx, __be16 dport)
{
	const struct net_device *dev __maybe_unused = rx->link->dev;
	struct sock *sk = NULL;

	if (rx->saddr6) {
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV6) || IS_ENABLED(CONFIG_NF_TPROXY_IPV6)
		sk = udp6_lib_lookup(dev_net(dev), rx->saddr6, rx->sport,
				     rx->daddr6, dport, dev->ifindex);
#endif
	} else {
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV4) || IS_ENABLED(CONFIG_NF_TPROXY_IPV4)
		sk = udp4_lib_lookup(dev_net(dev), rx->saddr, rx->sport,
				     rx->daddr, dport, dev->ifindex);
#endif
	}
	if (!sk)
		return false;
	sock_put(sk);
	return true;
}

/* The sender of @rx as a client address: IPv4 ones v4-mapped. */
static void rx_client(const struct pxe_rx *rx, struct in6_addr *addr)
{
	if (rx->saddr6)
		*addr = *rx->saddr6;
	else
		ipv6_addr_set_v4mapped(rx->saddr, addr);
}

/* A random port of the range; never one a session started in. */
static u16 port_random(const struct pxe_limits *limits)
{
	u16 min = READ_ONCE(limits->tftp_port_min);
	u16 max = READ_ONCE(limits->tftp_port_max);

	if (max < min)		/* a change seen half-way */
		max = min;
	return min + get_random_u32_below(max - min + 1);
}

/*
 * A free server port of the range for a session with the sender of @rx,
 * reserved; 0 when none is found.  A port where a local socket would take
 * this client's datagrams is left to that socket.
 */
static __be16 port_alloc(struct pxe_tftp_net *tn, const struct pxe_rx *rx)
{
	const struct pxe_limits *limits = &rx->pn->limits;
	u16 min = READ_ONCE(limits->tftp_port_min);
	u16 max = READ_ONCE(limits->tftp_port_max);
	unsigned long bit;
	int i;

	if (max < min)
		return 0;
	bit = port_random(limits);
	for (i = 0; i < TFTP_PORT_TRIES; i++, bit++) {
		/* From a random port up, wrapping once past the top. */
		bit = find_next_zero_bit(tn->ports, max + 1, bit);
		if (bit > max)
			bit = find_next_zero_bit(tn->ports, max + 1, min);
		if (bit > max)
			return 0;
		if (test_and_set_bit(bit, tn->ports))
			continue;	/* taken by another CPU just now */
		if (!udp_socket_takes(rx, htons(bit)))
			return htons(bit);
		clear_bit(bit, tn->ports);
	}
	return 0;
}

static void port_free(struct pxe_tftp_net *tn, __be16 port)
{
	clear_bit(ntohs(port), tn->ports);
}

/* The start of a monitor event about a transfer; NULL when nobody listens. */
static struct sk_buff *event_new(struct pxe_net *pn, u8 event,
				 const struct pxe_link *link,
				 const struct in6_addr *client,
				 __be16 client_port, const char *file,
				 void **hdr)
{
	struct sk_buff *skb = pxe_ntf_new(pn, PXE_CMD_TFTP_NTF, hdr);

	if (!skb)
		return NULL;
	if (nla_put_u8(skb, PXE_A_TFTP_EVENT, event) ||
	    nla_put_u32(skb, PXE_A_IFINDEX, link->dev->ifindex) ||
	    (ipv6_addr_v4mapped(client) ?
	     nla_put_in_addr(skb, PXE_A_TFTP_CLIENT, client->s6_addr32[3]) :
	     nla_put_in6_addr(skb, PXE_A_TFTP_CLIENT6, client)) ||
	    nla_put_u16(skb, PXE_A_TFTP_CLIENT_PORT, ntohs(client_port)) ||
	    nla_put_string(skb, PXE_A_TFTP_FILE, file)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void event_send(struct pxe_net *pn, struct sk_buff *skb, void *hdr,
		       bool failed)
{
	if (failed)
		nlmsg_free(skb);
	else
		pxe_ntf_send(pn, skb, hdr);
}

/* An error event; @message need not be NUL-terminated. */
static void event_error(struct pxe_net *pn, const struct pxe_link *link,
			const struct in6_addr *client, __be16 client_port,
			const char *file, u16 code, const char *message,
			size_t len)
{
	char text[TFTP_MESSAGE_MAX];
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(pn, PXE_TFTP_EV_ERROR, link, client, client_port,
			file, &hdr);
	if (!skb)
		return;
	len = min(len, sizeof(text) - 1);
	memcpy(text, message, len);
	text[len] = '\0';
	event_send(pn, skb, hdr, nla_put_u16(skb, PXE_A_TFTP_ERROR, code) ||
		   nla_put_string(skb, PXE_A_TFTP_MESSAGE, text));
}

static void session_event(struct tftp_session *s, u8 event)
{
	struct pxe_net *pn = s->link->pn;
	struct sk_buff *skb;
	void *hdr;
	bool failed;

	skb = event_new(pn, event, s->link, &s->client, s->client_port,
			s->image->name, &hdr);
	if (!skb)
		return;
	failed = nla_put_u16(skb, PXE_A_TFTP_BLKSIZE, s->blksize) ||
		 nla_put_u16(skb, PXE_A_TFTP_WINDOWSIZE, s->windowsize);
	if (event == PXE_TFTP_EV_DONE)
		failed = failed ||
			 nla_put_u64_64bit(skb, PXE_A_TFTP_BYTES, s->size,
					   PXE_A_PAD) ||
			 nla_put_u64_64bit(skb, PXE_A_TFTP_DURATION,
					   ktime_get_ns() - s->start_ns,
					   PXE_A_PAD);
	event_send(pn, skb, hdr, failed);
}

/* Sends ERROR @code from @sport to the sender of @rx and counts it. */
static void send_error(const struct pxe_rx *rx, __be16 sport, u16 code,
		       const char *message)
{
	struct pxe_tx tx = {
		.link = rx->link, .dst_mac = rx->src_mac,
		.saddr = rx->daddr, .daddr = rx->saddr,
		.sport = sport, .dport = rx->sport,
	};
	u8 buf[TFTP_HDR_LEN + TFTP_MESSAGE_MAX];
	int len;

	if (rx->saddr6) {
		tx.v6 = true;
		tx.saddr6 = *rx->daddr6;
		tx.daddr6 = *rx->saddr6;
	}
	len = tftp_build_error(code, message, buf, sizeof(buf));
	if (!pxe_tx_udp(&tx, buf, len) && code <= TFTP_EOPTNEG)
		pxe_stat_inc(rx->pn, PXE_STAT_TFTP_TX_ERROR_0 + code);
}

/* A refused request: ERROR from a fresh port, no session kept. */
static void refuse(const struct pxe_rx *rx, const char *file, u16 code,
		   const char *message)
{
	__be16 sport = htons(port_random(&rx->pn->limits));
	struct in6_addr client;

	send_error(rx, sport, code, message);
	rx_client(rx, &client);
	event_error(rx->pn, rx->link, &client, rx->sport, file, code,
		    message, strlen(message));
}

static void session_tx(const struct tftp_session *s, struct pxe_tx *tx)
{
	*tx = (struct pxe_tx) {
		.link = s->link, .dst_mac = s->mac,
		.sport = s->port, .dport = s->client_port,
	};
	if (ipv6_addr_v4mapped(&s->client)) {
		tx->saddr = s->link->server;
		tx->daddr = s->client.s6_addr32[3];
		return;
	}
	tx->v6 = true;
	tx->saddr6 = s->server6;
	tx->daddr6 = s->client;
}

/*
 * Encodes (or, @dst NULL, skips) @len bytes of the netascii stream from
 * @na, page by page.
 */
static void netascii_fill(const struct pxe_image *image,
			  struct tftp_netascii *na, u8 *dst, unsigned int len)
{
	while (len) {
		const u8 *src = NULL;
		size_t n, avail = 0;
		u8 *addr = NULL;

		if (na->src < image->size) {
			unsigned int off = na->src & ~PAGE_MASK;

			avail = min_t(u64, PAGE_SIZE - off,
				      image->size - na->src);
			addr = kmap_local_page(image->pages[na->src >> PAGE_SHIFT]);
			src = addr + off;
		}
		n = tftp_netascii_encode(na, src, avail, dst, len);
		if (addr)
			kunmap_local(addr);
		if (WARN_ON_ONCE(!n))
			return;	/* netascii_size promised more bytes */
		len -= n;
		if (dst)
			dst += n;
	}
}

static int send_netascii(struct tftp_session *s, const struct pxe_tx *tx,
			 const u8 *hdr, unsigned int len,
			 struct tftp_netascii *na)
{
	struct sk_buff *skb;
	u8 *payload;

	skb = pxe_tx_alloc(tx, TFTP_HDR_LEN + len, &payload);
	if (!skb)
		return -ENOMEM;
	memcpy(payload, hdr, TFTP_HDR_LEN);
	netascii_fill(s->image, na, payload + TFTP_HDR_LEN, len);
	return pxe_tx_send(tx, skb);
}

/* Sends block @index; @na is where it starts in netascii mode. */
static void send_block(struct tftp_session *s, u64 index,
		       struct tftp_netascii *na)
{
	u64 offset = (index - 1) * s->blksize;
	unsigned int len = min_t(u64, s->blksize, s->size - offset);
	struct pxe_net *pn = s->link->pn;
	u8 hdr[TFTP_HDR_LEN];
	struct pxe_tx tx;
	int err;

	session_tx(s, &tx);
	tftp_build_data_hdr((u16)index, hdr);
	if (s->mode == TFTP_MODE_NETASCII)
		err = send_netascii(s, &tx, hdr, len, na);
	else
		err = pxe_tx_pages(&tx, hdr, TFTP_HDR_LEN, s->image->pages,
				   offset, len);
	if (err)
		return;
	pxe_stat_inc(pn, PXE_STAT_TFTP_TX_DATA);
	pxe_stat_add(pn, PXE_STAT_TFTP_TX_BYTES, len);
}

static void arm_timer(struct tftp_session *s)
{
	unsigned int cap = max_t(unsigned int, s->timeout, TFTP_RTO_CAP);
	unsigned int rto = min_t(unsigned int, s->timeout << s->retries, cap);

	if (!s->established)
		rto = TFTP_HALF_OPEN_RTO;
	mod_timer(&s->timer, jiffies + rto * HZ);
}

/* Sends the window after the last acknowledged block (RFC 7440). */
static void send_window(struct tftp_session *s)
{
	u64 last = min(s->acked + s->windowsize, s->blocks);
	struct tftp_netascii na = s->na;
	u64 i;

	for (i = s->acked + 1; i <= last; i++) {
		if (i <= s->sent)
			pxe_stat_inc(s->link->pn, PXE_STAT_TFTP_RETRANSMITS);
		send_block(s, i, &na);
	}
	s->sent = max(s->sent, last);
	arm_timer(s);
}

static void send_oack(struct tftp_session *s)
{
	struct tftp_oack oack = {
		.opts = s->opts, .blksize = s->blksize, .tsize = s->size,
		.timeout = s->timeout, .windowsize = s->windowsize,
	};
	u8 buf[64];
	struct pxe_tx tx;
	int len;

	session_tx(s, &tx);
	len = tftp_build_oack(&oack, buf, sizeof(buf));
	if (len > 0 && !pxe_tx_udp(&tx, buf, len))
		pxe_stat_inc(s->link->pn, PXE_STAT_TFTP_TX_OACK);
	arm_timer(s);
}

/* Off the half-open lists (those an evictor did not take it off already). */
static void half_open_del(struct pxe_tftp_net *tn, struct tftp_session *s)
{
	struct tftp_bucket *b = client_bucket(tn, &s->client);

	spin_lock(&tn->half_open_lock);
	list_del_init(&s->half_open);
	spin_unlock(&tn->half_open_lock);
	spin_lock(&b->lock);
	list_del_init(&s->client_half_open);
	spin_unlock(&b->lock);
}

/* The client ACKed: the session is a real one.  Under its lock. */
static void session_establish(struct tftp_session *s)
{
	if (s->established)
		return;
	s->established = true;
	half_open_del(s->link->pn->tftp, s);
}

/* Ends @s, under its lock; it is freed after a grace period. */
static void session_end(struct tftp_session *s)
{
	struct pxe_tftp_net *tn = s->link->pn->tftp;
	struct tftp_bucket *b = session_bucket(tn, s->port);

	s->state = TFTP_ENDED;
	if (!s->established)
		half_open_del(tn, s);
	timer_delete(&s->timer);
	spin_lock(&b->lock);
	hlist_del_rcu(&s->node);
	spin_unlock(&b->lock);
	port_free(tn, s->port);
	client_put(tn, &s->client);
	atomic_dec(&tn->sessions);
	atomic_dec(&s->image->active);
	pxe_image_put(s->image);
	kfree_rcu(s, rcu);
}

static void session_timer(struct timer_list *t)
{
	struct tftp_session *s = from_timer(s, t, timer);
	struct pxe_net *pn;

	rcu_read_lock();
	spin_lock(&s->lock);
	if (s->state == TFTP_ENDED)
		goto out;
	pn = s->link->pn;
	if (!s->established && ++s->retries > TFTP_HALF_OPEN_RETRIES) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_HALF_OPEN_EXPIRED);
		pxe_stat_inc(pn, PXE_STAT_TFTP_TIMEOUTS);
		session_event(s, PXE_TFTP_EV_TIMEOUT);
		session_end(s);
		goto out;
	}
	if (s->established && ++s->retries > TFTP_RETRIES) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_TIMEOUTS);
		session_event(s, PXE_TFTP_EV_TIMEOUT);
		session_end(s);
		goto out;
	}
	if (s->state == TFTP_WAIT_ACK0) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_RETRANSMITS);
		send_oack(s);
	} else {
		send_window(s);
	}
out:
	spin_unlock(&s->lock);
	rcu_read_unlock();
}

static void session_done(struct tftp_session *s)
{
	pxe_stat_inc(s->link->pn, PXE_STAT_TFTP_COMPLETED);
	session_event(s, PXE_TFTP_EV_DONE);
	session_end(s);
}

static void session_ack(struct tftp_session *s, u16 block)
{
	struct pxe_net *pn = s->link->pn;
	u16 ahead = block - (u16)s->acked;
	u64 k;

	if (s->state == TFTP_WAIT_ACK0) {
		if (block) {
			pxe_stat_inc(pn, PXE_STAT_TFTP_DROP_MALFORMED);
			return;
		}
		session_establish(s);
		s->state = TFTP_SENDING;
		s->retries = 0;
		send_window(s);
		return;
	}
	if (ahead > s->sent - s->acked) {
		/* Behind us: a duplicate, unless never sent at all. */
		if (0x10000 - ahead <= s->acked)
			pxe_stat_inc(pn, PXE_STAT_TFTP_RX_DUP_ACK);
		else
			pxe_stat_inc(pn, PXE_STAT_TFTP_DROP_MALFORMED);
		return;
	}
	if (!ahead) {
		/* Answering it would be the Sorcerer's Apprentice bug. */
		pxe_stat_inc(pn, PXE_STAT_TFTP_RX_DUP_ACK);
		return;
	}
	session_establish(s);
	k = s->acked + ahead;
	if (k == s->blocks) {
		session_done(s);
		return;
	}
	/* Blocks up to k are full ones: skip their bytes in the stream. */
	if (s->mode == TFTP_MODE_NETASCII)
		netascii_fill(s->image, &s->na, NULL, ahead * s->blksize);
	s->acked = k;
	s->retries = 0;
	send_window(s);
}

static void session_rcv(struct tftp_session *s, const struct pxe_rx *rx)
{
	struct pxe_net *pn = rx->pn;
	struct tftp_msg msg;

	if (tftp_parse(rx->data, rx->len, &msg) ||
	    (msg.opcode != TFTP_ACK && msg.opcode != TFTP_ERROR)) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_DROP_MALFORMED);
		return;
	}
	if (msg.opcode == TFTP_ACK) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_RX_ACK);
		session_ack(s, msg.block);
		return;
	}
	/* The client gives up (EDK2 after its tsize probe): no answer. */
	pxe_stat_inc(pn, PXE_STAT_TFTP_RX_ERROR);
	event_error(pn, s->link, &s->client, s->client_port, s->image->name,
		    msg.code, msg.message, msg.message_len);
	session_end(s);
}

/* A datagram to a server port that is not :69. */
static bool rcv_transfer(const struct pxe_rx *rx)
{
	struct pxe_tftp_net *tn = rx->pn->tftp;
	struct tftp_session *s;
	struct in6_addr client;

	hlist_for_each_entry_rcu(s, &session_bucket(tn, rx->dport)->head, node)
		if (s->port == rx->dport)
			goto found;
	return false;
found:
	if (s->link != rx->link)
		return false;
	rx_client(rx, &client);
	if (!ipv6_addr_equal(&s->client, &client) ||
	    s->client_port != rx->sport ||
	    (rx->daddr6 && !ipv6_addr_equal(&s->server6, rx->daddr6))) {
		/* A socket bound since the session started keeps its mail. */
		if (udp_socket_takes(rx, rx->dport))
			return false;
		send_error(rx, rx->dport, TFTP_EBADID, "Unknown transfer ID");
		return true;
	}
	spin_lock(&s->lock);
	if (s->state != TFTP_ENDED)
		session_rcv(s, rx);
	spin_unlock(&s->lock);
	return true;
}

/* The options granted (RFC 2347): out-of-range ones are left out. */
static void negotiate(struct tftp_session *s, const struct tftp_msg *msg,
		      const struct pxe_rx *rx)
{
	const struct pxe_limits *limits = &rx->pn->limits;
	unsigned int payload = rx->saddr6 ? pxe_tx_max_payload6(rx->link) :
					    pxe_tx_max_payload(rx->link);
	u32 max_blksize = min3(payload - TFTP_HDR_LEN,
			       READ_ONCE(limits->tftp_blksize),
			       (u32)TFTP_BLKSIZE_MAX);

	s->blksize = TFTP_BLKSIZE_DEFAULT;
	s->windowsize = 1;
	s->timeout = 1;
	if ((msg->opts & TFTP_OPT_BLKSIZE) &&
	    msg->blksize <= TFTP_BLKSIZE_MAX) {
		s->blksize = clamp_t(u64, msg->blksize, TFTP_BLKSIZE_MIN,
				     max_blksize);
		s->opts |= TFTP_OPT_BLKSIZE;
	}
	if (msg->opts & TFTP_OPT_TSIZE)
		s->opts |= TFTP_OPT_TSIZE;
	if ((msg->opts & TFTP_OPT_TIMEOUT) &&
	    msg->timeout >= TFTP_TIMEOUT_MIN &&
	    msg->timeout <= TFTP_TIMEOUT_MAX) {
		s->timeout = msg->timeout;
		s->opts |= TFTP_OPT_TIMEOUT;
	}
	if ((msg->opts & TFTP_OPT_WINDOWSIZE) &&
	    msg->windowsize >= TFTP_WINDOWSIZE_MIN &&
	    msg->windowsize <= TFTP_WINDOWSIZE_MAX) {
		u32 cap = min(TFTP_WINDOW_BLOCKS_MAX,
			      TFTP_WINDOW_BYTES_MAX / s->blksize);

		s->windowsize = min3(msg->windowsize,
				     (u64)READ_ONCE(limits->tftp_windowsize),
				     (u64)cap);
		s->opts |= TFTP_OPT_WINDOWSIZE;
	}
}

/*
 * Ends @s, taken off a half-open list, unless its client ACKed meanwhile;
 * true when that (or its own end meanwhile, by its timer) made room.
 * Softirq, under RCU, which keeps @s's memory.
 */
static bool evict(struct tftp_session *s, struct pxe_net *pn)
{
	bool room;

	spin_lock(&s->lock);
	room = s->state == TFTP_ENDED;
	if (!room && !s->established) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_HALF_OPEN_EVICTED);
		session_end(s);
		room = true;
	}
	spin_unlock(&s->lock);
	return room;
}

/* Ends the oldest half-open session; false when there is none. */
static bool evict_half_open(struct pxe_tftp_net *tn, struct pxe_net *pn)
{
	struct tftp_session *s;

	do {
		spin_lock(&tn->half_open_lock);
		s = list_first_entry_or_null(&tn->half_open,
					     struct tftp_session, half_open);
		if (s)
			list_del_init(&s->half_open);
		spin_unlock(&tn->half_open_lock);
		if (!s)
			return false;
	} while (!evict(s, pn));
	return true;
}

/* Ends the oldest half-open session of client @addr; false when none. */
static bool evict_client_half_open(struct pxe_tftp_net *tn,
				   struct pxe_net *pn,
				   const struct in6_addr *addr)
{
	struct tftp_bucket *b = client_bucket(tn, addr);
	struct tftp_session *s;
	struct tftp_client *c;

	do {
		s = NULL;
		spin_lock(&b->lock);
		hlist_for_each_entry(c, &b->head, node)
			if (ipv6_addr_equal(&c->addr, addr)) {
				s = list_first_entry_or_null(&c->half_open,
							     struct tftp_session,
							     client_half_open);
				break;
			}
		if (s)
			list_del_init(&s->client_half_open);
		spin_unlock(&b->lock);
		if (!s)
			return false;
	} while (!evict(s, pn));
	return true;
}

/*
 * Takes a place under both session limits, or none (-ENOSPC, or -ENOMEM
 * when the client's count cannot be made).  When a limit is reached, the
 * oldest half-open session (of the client, of the namespace) gives way.
 */
static int reserve(struct pxe_tftp_net *tn, const struct pxe_rx *rx,
		   const struct in6_addr *client)
{
	const struct pxe_limits *limits = &rx->pn->limits;
	int tries = 0, err;

	while ((err = client_get(tn, rx->link->memcg, client,
				 READ_ONCE(limits->tftp_per_client))))
		if (err == -ENOMEM || tries++ == TFTP_EVICT_TRIES ||
		    !evict_client_half_open(tn, rx->pn, client))
			return err;
	tries = 0;
	while (atomic_inc_return(&tn->sessions) >
	       READ_ONCE(limits->tftp_sessions)) {
		atomic_dec(&tn->sessions);
		if (tries++ == TFTP_EVICT_TRIES ||
		    !evict_half_open(tn, rx->pn)) {
			client_put(tn, client);
			return -ENOSPC;
		}
	}
	return 0;
}

static void unreserve(struct pxe_tftp_net *tn, const struct in6_addr *client)
{
	client_put(tn, client);
	atomic_dec(&tn->sessions);
}

static void session_start(struct tftp_session *s, const struct pxe_rx *rx)
{
	struct pxe_tftp_net *tn = rx->pn->tftp;
	struct tftp_bucket *b = session_bucket(tn, s->port);
	struct pxe_image *image = s->image;

	s->link = rx->link;
	rx_client(rx, &s->client);
	if (rx->daddr6)
		s->server6 = *rx->daddr6;
	s->client_port = rx->sport;
	ether_addr_copy(s->mac, rx->src_mac);
	s->size = s->mode == TFTP_MODE_NETASCII ? image->netascii_size :
						  image->size;
	s->blocks = div_u64(s->size, s->blksize) + 1;
	s->start_ns = ktime_get_ns();
	spin_lock_init(&s->lock);
	timer_setup(&s->timer, session_timer, 0);
	INIT_LIST_HEAD(&s->half_open);
	INIT_LIST_HEAD(&s->client_half_open);
	atomic_inc(&image->active);
	atomic64_inc(&image->downloads);
	pxe_stat_inc(rx->pn, PXE_STAT_TFTP_SESSIONS);
	session_event(s, PXE_TFTP_EV_START);

	/* Locked before it is visible: its first ACK waits for the send. */
	spin_lock(&s->lock);
	spin_lock(&tn->half_open_lock);
	list_add_tail(&s->half_open, &tn->half_open);
	spin_unlock(&tn->half_open_lock);
	client_half_open_add(tn, s);
	spin_lock(&b->lock);
	hlist_add_head_rcu(&s->node, &b->head);
	spin_unlock(&b->lock);
	if (s->opts) {
		s->state = TFTP_WAIT_ACK0;
		send_oack(s);
	} else {
		s->state = TFTP_SENDING;
		send_window(s);
	}
	spin_unlock(&s->lock);
}

static void rcv_rrq(const struct pxe_rx *rx, const struct tftp_msg *msg)
{
	struct pxe_tftp_net *tn = rx->pn->tftp;
	char name[PXE_IMAGE_NAME_MAX];
	struct tftp_session *s;
	struct pxe_image *image;
	struct in6_addr client;
	int err;

	image = NULL;
	if (tftp_normalise_path(msg->filename, name, sizeof(name)) >= 0)
		image = pxe_image_get(rx->pn, name);
	if (!image) {
		refuse(rx, msg->filename, TFTP_ENOTFOUND, "File not found");
		return;
	}
	if ((msg->opts & TFTP_OPT_BLKSIZE) &&
	    msg->blksize < TFTP_BLKSIZE_MIN) {
		refuse(rx, name, TFTP_EOPTNEG, "option refused");
		goto put;
	}
	rx_client(rx, &client);
	err = reserve(tn, rx, &client);
	if (err == -ENOMEM)
		goto nomem;
	if (err)
		goto limit;
	s = pxe_kzalloc_charged(rx->link->memcg, sizeof(*s), PXE_GFP_PACKET);
	if (!s)
		goto nomem_unreserve;
	s->port = port_alloc(tn, rx);
	/* Ports run out before sessions when the range is small. */
	if (!s->port && evict_half_open(tn, rx->pn))
		s->port = port_alloc(tn, rx);
	if (!s->port) {
		kfree(s);
		unreserve(tn, &client);
		goto limit;
	}
	s->image = image;
	s->mode = msg->mode;
	negotiate(s, msg, rx);
	session_start(s, rx);
	return;

limit:
	pxe_stat_inc(rx->pn, PXE_STAT_TFTP_DROP_LIMIT);
	refuse(rx, name, TFTP_EUNDEF, "too many transfers; try again later");
	goto put;
nomem_unreserve:
	unreserve(tn, &client);
nomem:
	/* No answer: the client asks again, as after a lost reply. */
	pxe_stat_inc(rx->pn, PXE_STAT_TFTP_DROP_NOMEM);
put:
	pxe_image_put(image);
}

/* A datagram to :69: only read requests start anything. */
static bool rcv_request(const struct pxe_rx *rx)
{
	struct pxe_net *pn = rx->pn;
	struct tftp_msg msg;
	int err;

	err = tftp_parse(rx->data, rx->len, &msg);
	if (msg.opcode == TFTP_WRQ) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_RX_WRQ);
		send_error(rx, htons(TFTP_PORT), TFTP_EACCESS,
			   "Access violation: this server only reads");
		return true;
	}
	if (err == -TFTP_ERR_BAD_OPCODE ||
	    (!err && msg.opcode != TFTP_RRQ)) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_DROP_MALFORMED);
		send_error(rx, htons(TFTP_PORT), TFTP_EBADOP,
			   "Illegal TFTP operation");
		return true;
	}
	if (err == -TFTP_ERR_BAD_MODE) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_RX_RRQ);
		send_error(rx, htons(TFTP_PORT), TFTP_EBADOP,
			   "Illegal TFTP operation: mode must be octet or netascii");
		return true;
	}
	if (err) {
		pxe_stat_inc(pn, PXE_STAT_TFTP_DROP_MALFORMED);
		return true;
	}
	pxe_stat_inc(pn, PXE_STAT_TFTP_RX_RRQ);
	rcv_rrq(rx, &msg);
	return true;
}

/*
 * A datagram to the link's server address (the hook checked that an IPv6
 * one is to an address of the link's device).
 */
bool pxe_tftp_rcv(const struct pxe_rx *rx)
{
	if (!rx->daddr6 && rx->daddr != rx->link->server)
		return false;
	if (rx->dport == htons(TFTP_PORT))
		return rcv_request(rx);
	return rcv_transfer(rx);
}

/* Ends the sessions of @link (every session when NULL), synchronously. */
static void sessions_end(struct pxe_tftp_net *tn, const struct pxe_link *link)
{
	struct tftp_session *s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tn->table); i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(s, &tn->table[i].head, node) {
			if (link && s->link != link)
				continue;
			spin_lock_bh(&s->lock);
			if (s->state != TFTP_ENDED)
				session_end(s);
			spin_unlock_bh(&s->lock);
			/* A timer that was already running is done after this. */
			timer_shutdown_sync(&s->timer);
		}
		rcu_read_unlock();
	}
}

void pxe_tftp_link_gone(struct pxe_link *link)
{
	ASSERT_RTNL();
	lockdep_assert_held(&link->pn->lock);
	sessions_end(link->pn->tftp, link);
}

u32 pxe_tftp_sessions_active(struct pxe_net *pn)
{
	return atomic_read(&pn->tftp->sessions);
}

int pxe_tftp_net_init(struct pxe_net *pn)
{
	struct pxe_tftp_net *tn;
	unsigned int i;

	tn = kvzalloc(sizeof(*tn), GFP_KERNEL_ACCOUNT);
	if (!tn)
		return -ENOMEM;
	get_random_bytes(&tn->key, sizeof(tn->key));
	spin_lock_init(&tn->half_open_lock);
	INIT_LIST_HEAD(&tn->half_open);
	for (i = 0; i < ARRAY_SIZE(tn->table); i++)
		spin_lock_init(&tn->table[i].lock);
	for (i = 0; i < ARRAY_SIZE(tn->clients); i++)
		spin_lock_init(&tn->clients[i].lock);
	/* main.c sets the other limits; the port range is ours. */
	pn->limits.tftp_port_min = PXE_DEFAULT_TFTP_PORT_MIN;
	pn->limits.tftp_port_max = PXE_DEFAULT_TFTP_PORT_MAX;
	pn->tftp = tn;
	return 0;
}

void pxe_tftp_net_exit(struct pxe_net *pn)
{
	struct pxe_tftp_net *tn = pn->tftp;

	/* The links went first and took their sessions: this is a backstop. */
	sessions_end(tn, NULL);
	WARN_ON_ONCE(atomic_read(&tn->sessions));
}

/* After an rcu_barrier(): no RCU callback of a session runs any more. */
void pxe_tftp_net_free(struct pxe_net *pn)
{
	kvfree(pn->tftp);
	pn->tftp = NULL;
}
