/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: in-kernel PXE boot server -- declarations shared inside the module.
 *
 * Locking, outermost first:
 *   RTNL                 device lookup, hook (un)registration, notifier
 *   pxe_net.lock         every change to a namespace's configuration
 *   RCU (BH)             the packet path: readers never block
 */
#ifndef _PXE_H
#define _PXE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <uapi/linux/pxe.h>

/* The handlers the generated ops table names (pxe_nl_<op>_doit, _dumpit). */
#include "netlink-gen.h"

struct pxe_dhcp_net;
struct pxe_image_store;
struct pxe_tftp_net;

/*
 * Limits of a namespace: written under pxe_net.lock, read with READ_ONCE()
 * on the packet path.
 */
struct pxe_limits {
	u64 image_memory;		/* bytes, all images together */
	u32 tftp_sessions;		/* sessions at once */
	u32 tftp_per_client;		/* sessions per client address */
	u32 tftp_blksize;		/* largest blksize granted */
	u32 tftp_windowsize;		/* largest windowsize granted */
	u16 tftp_port_min;		/* transfer ports, inclusive; */
	u16 tftp_port_max;		/* set by pxe_tftp_net_init() */
};

#define PXE_DEFAULT_IMAGE_MEMORY	(64ULL << 20)
#define PXE_DEFAULT_TFTP_SESSIONS	64
#define PXE_DEFAULT_TFTP_PER_CLIENT	8
#define PXE_DEFAULT_TFTP_BLKSIZE	65464
#define PXE_DEFAULT_TFTP_WINDOWSIZE	64
/* Above Linux's default ip_local_port_range (32768-60999). */
#define PXE_DEFAULT_TFTP_PORT_MIN	61000
#define PXE_DEFAULT_TFTP_PORT_MAX	65535

/* Default host-wide ceilings for namespaces of other user namespaces. */
#define PXE_MAX_IMAGE_MEMORY		(256ULL << 20)
#define PXE_MAX_TFTP_SESSIONS		1024

/* Counters of a namespace, per cpu; see enum pxe_stat. */
struct pxe_stats {
	u64 count[__PXE_STAT_MAX];
};

/* Per network namespace state: each namespace is a separate server. */
struct pxe_net {
	struct net *net;
	struct mutex lock;		/* serialises writers; nests inside RTNL */
	struct list_head links;		/* struct pxe_link; RCU for readers */
	u32 gen;			/* bumped on every change, for dumps */
	struct pxe_limits limits;
	struct pxe_stats __percpu *stats;
	struct pxe_dhcp_net *dhcp;	/* pools, hosts, leases, boot rules */
	struct pxe_image_store *images;
	struct pxe_tftp_net *tftp;	/* TFTP sessions */
};

struct pxe_link_stats {
	u64_stats_t rx_packets;
	struct u64_stats_sync syncp;
};

/* The service attached to one network device. */
struct pxe_link {
	struct list_head node;		/* in pxe_net.links */
	struct pxe_net *pn;
	/* Valid while linked: the notifier unlinks before the device goes. */
	struct net_device *dev;
	__be32 server;			/* source of replies, TFTP server */
	struct nf_hook_ops hook;
	struct pxe_link_stats __percpu *stats;
	struct mem_cgroup *memcg;	/* of who attached it: TFTP sessions */
	/* Router Advertisements (ra.c), when asked for at link add. */
	bool ra;
	u8 ra_initial;			/* first RAs still to send quickly */
	unsigned long ra_last;		/* jiffies of the last one */
	struct timer_list ra_timer;
	struct rcu_head rcu;
};

/*
 * A UDP datagram the ingress hook handed over: IPv4 header checked, not a
 * fragment, UDP checksum verified, skb linear.  @data/@len: the UDP payload.
 * DHCPv6 (pxe_dhcp6_rcv()): an IPv6 header without extension headers,
 * lengths and checksum checked the same way; @saddr6/@daddr6 point into the
 * skb and @saddr/@daddr are 0.
 */
struct pxe_rx {
	struct pxe_link *link;
	struct pxe_net *pn;
	struct sk_buff *skb;
	const u8 *src_mac;		/* Ethernet source */
	__be32 saddr, daddr;
	const struct in6_addr *saddr6, *daddr6;
	__be16 sport, dport;
	const u8 *data;
	unsigned int len;
};

/*
 * Where a reply goes: Ethernet destination, addresses and ports.  With @v6
 * the reply is IPv6 from @saddr6 to @daddr6 and @saddr/@daddr are unused.
 */
struct pxe_tx {
	struct pxe_link *link;
	const u8 *dst_mac;
	__be32 saddr, daddr;
	__be16 sport, dport;
	bool v6;
	struct in6_addr saddr6, daddr6;
};

/*
 * Memory a packet makes the module keep (a lease, a TFTP session) is
 * charged to the memory cgroup of whoever configured what the packet uses
 * (the pool, the link), never to the task a softirq happens to interrupt:
 * a user namespace's pools and links cannot grow memory outside its
 * cgroup.  pxe_memcg_of_caller() takes a reference in a netlink handler;
 * mem_cgroup_put() drops it.
 */
static inline struct mem_cgroup *pxe_memcg_of_caller(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}

/* Softirq: no sleeping, no emergency reserves, never over the limit. */
#define PXE_GFP_PACKET	(GFP_NOWAIT | __GFP_NOWARN | __GFP_NOMEMALLOC)

/*
 * The task a softirq interrupted may be in memory reclaim (PF_MEMALLOC),
 * for which the memory cgroup forces charges past memory.max: masked for
 * the allocation, as __netif_receive_skb() sets it for a pfmemalloc skb.
 */
static inline void *pxe_kzalloc_charged(struct mem_cgroup *memcg, size_t size,
					gfp_t gfp)
{
	unsigned int pflags = current->flags & PF_MEMALLOC;
	struct mem_cgroup *old;
	void *p;

	current->flags &= ~PF_MEMALLOC;
	old = set_active_memcg(memcg);
	p = kzalloc(size, gfp | __GFP_ACCOUNT);
	set_active_memcg(old);
	current_restore_flags(pflags, PF_MEMALLOC);
	return p;
}

/* main.c */
struct pxe_net *pxe_net(const struct net *net);
extern unsigned long long pxe_max_image_memory;
extern unsigned int pxe_max_tftp_sessions;

/* link.c */
struct pxe_link *pxe_link_find(struct pxe_net *pn,
			       const struct net_device *dev);
int pxe_link_add(struct pxe_net *pn, struct net_device *dev, __be32 server,
		 bool ra, struct netlink_ext_ack *extack);
void pxe_link_del(struct pxe_link *link);
void pxe_link_flush(struct pxe_net *pn);
u64 pxe_link_rx_packets(const struct pxe_link *link);
int pxe_link_notifier_register(void);
void pxe_link_notifier_unregister(void);

/* hook.c */
unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);

/* stats.c: any context */
int pxe_stats_init(struct pxe_net *pn);
void pxe_stats_exit(struct pxe_net *pn);
static inline void pxe_stat_add(struct pxe_net *pn, enum pxe_stat stat, u64 n)
{
	this_cpu_add(pn->stats->count[stat], n);
}

static inline void pxe_stat_inc(struct pxe_net *pn, enum pxe_stat stat)
{
	pxe_stat_add(pn, stat, 1);
}

u64 pxe_stat_read(struct pxe_net *pn, enum pxe_stat stat);

/*
 * xmit.c: replies, built as one skb and handed to the device; any context,
 * never sleeps.  Failures are counted (PXE_STAT_TX_ERRORS) and returned.
 *
 * pxe_tx_alloc() returns an skb with room for @len bytes of UDP payload at
 * *@payload; fill it, then pxe_tx_send() adds the headers and sends it (or
 * pxe_tx_free() drops it).  pxe_tx_udp() does both, copying @data.
 * pxe_tx_pages() sends @hdr (copied) followed by @len bytes of @pages from
 * byte @offset as page fragments: the pages are referenced, not copied.
 */
struct sk_buff *pxe_tx_alloc(const struct pxe_tx *tx, unsigned int len,
			     u8 **payload);
int pxe_tx_send(const struct pxe_tx *tx, struct sk_buff *skb);
void pxe_tx_free(struct sk_buff *skb);
int pxe_tx_udp(const struct pxe_tx *tx, const void *data, unsigned int len);
/* An ICMPv6 message of @len bytes, its checksum filled in, hop limit 255. */
int pxe_tx_icmp6(const struct pxe_tx *tx, const void *msg, unsigned int len);

/*
 * Router Advertisements (ra.c): pxe_ra_start() when a link with `ra` is
 * added, pxe_ra_stop() when it goes (process context); pxe_ra_rcv_rs()
 * for a Router Solicitation the hook checked, softirq under RCU.
 */
void pxe_ra_start(struct pxe_link *link);
void pxe_ra_stop(struct pxe_link *link);
void pxe_ra_rcv_rs(struct pxe_link *link, const u8 *msg, unsigned int len,
		   bool from_unspecified);
int pxe_tx_pages(const struct pxe_tx *tx, const void *hdr,
		 unsigned int hdr_len, struct page **pages, u64 offset,
		 unsigned int len);
/* Largest UDP payload the link's device carries in one frame. */
unsigned int pxe_tx_max_payload(const struct pxe_link *link);
unsigned int pxe_tx_max_payload6(const struct pxe_link *link);

/* netlink.c */
extern struct genl_family pxe_family;
int pxe_netlink_register(void);
void pxe_netlink_unregister(void);
void pxe_netlink_notify_link(const struct pxe_link *link, u8 cmd);
/*
 * Monitor events from any context: pxe_ntf_new() returns NULL when nobody
 * listens (or memory is short); put attributes, then pxe_ntf_send().
 */
struct sk_buff *pxe_ntf_new(struct pxe_net *pn, u8 cmd, void **hdr);
void pxe_ntf_send(struct pxe_net *pn, struct sk_buff *skb, void *hdr);
/* The device a request names (IFINDEX or IFNAME); ERR_PTR with extack set. */
struct net_device *pxe_nl_request_dev(struct genl_info *info);
/* The link a request names; ERR_PTR with extack set. Under RTNL+pn->lock. */
struct pxe_link *pxe_nl_request_link(struct pxe_net *pn,
				     struct genl_info *info);

/*
 * The DHCP server (dhcp.c, lease.c, bootrule.c).  Handlers run in process
 * context and take pn->lock themselves; pxe_dhcp_rcv() runs in softirq and
 * returns true when the datagram was ours (answered or counted as dropped).
 */
int pxe_dhcp_net_init(struct pxe_net *pn);
void pxe_dhcp_net_exit(struct pxe_net *pn);
void pxe_dhcp_net_free(struct pxe_net *pn);
void pxe_dhcp_link_gone(struct pxe_link *link);	/* RTNL + pn->lock */
bool pxe_dhcp_rcv(const struct pxe_rx *rx);

/*
 * The DHCPv6 server (dhcp6.c), softirq.  pxe_dhcp6_serves() is true when
 * the link has an IPv6 pool: only then does the hook claim, or count as
 * dropped, what comes to :547.  pxe_dhcp6_rcv() returns true when the
 * datagram was ours (answered or counted as dropped).
 */
bool pxe_dhcp6_serves(const struct pxe_link *link);
bool pxe_dhcp6_rcv(const struct pxe_rx *rx);

/*
 * The image store (image.c).  pxe_image_get() looks a name up under RCU
 * from any context and returns a held reference, or NULL;
 * pxe_image_put() drops it from any context.  An image never changes once
 * published: replacing one publishes a new image under the same name.
 */
struct pxe_image {
	refcount_t ref;
	struct rcu_head rcu;
	struct pxe_image_store *store;
	u64 size;
	u64 netascii_size;		/* size once sent in netascii mode */
	struct page **pages;		/* DIV_ROUND_UP(size, PAGE_SIZE) */
	unsigned int nr_pages;
	atomic_t active;		/* downloads in flight */
	atomic64_t downloads;		/* downloads started */
	u8 sha256[32];
	char name[PXE_IMAGE_NAME_MAX];
};

/*
 * pxe_image_net_exit() drops the store's images and uploads; their frees
 * run from RCU callbacks, so pxe_image_net_free() comes after an
 * rcu_barrier() (main.c pays one for a whole batch of namespaces).
 */
int pxe_image_net_init(struct pxe_net *pn);
void pxe_image_net_exit(struct pxe_net *pn);
void pxe_image_net_free(struct pxe_net *pn);
struct pxe_image *pxe_image_get(struct pxe_net *pn, const char *name);
void pxe_image_put(struct pxe_image *image);
u64 pxe_image_memory_used(struct pxe_net *pn);

/*
 * The TFTP server (tftp.c).  pxe_tftp_rcv(): softirq, true when ours.
 * pxe_tftp_link_gone() ends every session of the link, synchronously: no
 * timer runs and no packet is sent on it afterwards.  pxe_tftp_net_exit()
 * returns once every session has ended and dropped its image reference;
 * pxe_tftp_net_free(), after an rcu_barrier(), frees the session table.
 */
int pxe_tftp_net_init(struct pxe_net *pn);
void pxe_tftp_net_exit(struct pxe_net *pn);
void pxe_tftp_net_free(struct pxe_net *pn);
void pxe_tftp_link_gone(struct pxe_link *link);	/* RTNL + pn->lock */
bool pxe_tftp_rcv(const struct pxe_rx *rx);
u32 pxe_tftp_sessions_active(struct pxe_net *pn);

#endif /* _PXE_H */
