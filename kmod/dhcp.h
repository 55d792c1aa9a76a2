/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the DHCP server's internal declarations, shared by dhcp.c (the state
 * machine), pool.c (pools, allocation), host.c (reservations), lease.c
 * (leases, expiry) and bootrule.c.
 *
 * Locking: pools, hosts and the boot-rule table are written under
 * pxe_net.lock and read under RCU on the packet path.  A pool's leases are
 * touched only under the pool's spinlock (any context, _bh from process
 * context); they are never read without it, so they are freed directly.
 *
 * Hash tables are keyed with a random hsiphash key made with the table: a
 * client chooses its identity (option 61) and the address it asks for, so
 * a fixed seed would let it fill one chain, walked in softirq.
 *
 * Dumps: pxe_net.gen counts configuration changes (under pxe_net.lock),
 * pxe_dhcp_net.lease_gen every change to any lease, from any context; a
 * lease dump whose sum of the two moved between its parts is flagged
 * NLM_F_DUMP_INTR.
 */
#ifndef _PXE_DHCP_H
#define _PXE_DHCP_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include "dhcp6_msg.h"
#include "dhcp_msg.h"
#include "pxe.h"

#define PXE_POOL_MAX_SIZE	65536
#define PXE_OFFER_HOLD		(60 * HZ)
#define PXE_DECLINE_HOLD	(600 * HZ)
#define PXE_EXPIRY_PERIOD	HZ
#define PXE_HOST_HASH_BITS	8
#define PXE_HOSTNAME_MAX	64

/*
 * Who a client is: option 61, or 0x01 + chaddr without one.  A DHCPv6
 * lease's identity is its IA: the IAID (4 bytes, big-endian) and then the
 * client's DUID, in @buf.
 */
struct pxe_client_id {
	const u8 *data;
	u8 len;
	u8 buf[4 + DHCP6_DUID_MAX_LEN];
};

#define PXE_IAID_LEN	4

/* Without option 61: what most clients send in it anyway, htype + chaddr. */
static inline void pxe_client_id_from_mac(struct pxe_client_id *cid,
					  const u8 *mac)
{
	cid->buf[0] = 1;
	memcpy(cid->buf + 1, mac, ETH_ALEN);
	cid->data = cid->buf;
	cid->len = 1 + ETH_ALEN;
}

struct pxe_lease {
	struct hlist_node by_addr;
	struct hlist_node by_client;	/* unhashed while DECLINED */
	struct list_head node;		/* pool->leases */
	__be32 addr;			/* 0 in an IPv6 pool */
	struct in6_addr addr6;		/* in an IPv6 pool only */
	u8 state;			/* enum pxe_lease_state */
	u8 mac[ETH_ALEN];
	unsigned long expires;		/* jiffies */
	char hostname[PXE_HOSTNAME_MAX];
	u8 id_len;
	u8 id[];
};

struct pxe_pool {
	struct list_head node;		/* pxe_dhcp_net.pools, RCU */
	struct list_head doomed;	/* on its way out, waiting for RCU */
	struct pxe_link *link;
	struct pxe_dhcp_net *dn;
	char name[PXE_NAME_MAX];
	bool proxy;
	bool v6;			/* DHCPv6: start6..end6, dns6 */
	__be32 start, end, netmask, router;
	__be32 dns[PXE_DNS_MAX];
	u8 n_dns;
	struct in6_addr start6, end6;	/* differ in the last 32 bits only */
	u8 dns6[DHCP6_DNS_MAX][DHCP6_ADDR_LEN];
	u8 n_dns6;
	u32 lease_time;
	u32 size;
	char *domain;
	struct mem_cgroup *memcg;	/* of who made it: its leases */

	spinlock_t lock;		/* everything below */
	u32 used;			/* leases, any state */
	u32 cursor;			/* next offset the allocator tries */
	unsigned long *taken;		/* range offsets with a lease */
	struct hlist_head *by_addr, *by_client;
	u32 hash_mask;
	hsiphash_key_t hash_key;
	struct list_head leases;
};

/*
 * A reservation: an IPv4 address, an IPv6 one, or both (0 and :: when
 * absent; only a present one is hashed by address).
 */
struct pxe_host {
	struct hlist_node by_mac, by_addr, by_addr6;	/* RCU */
	struct rcu_head rcu;
	u8 mac[ETH_ALEN];
	__be32 addr;
	struct in6_addr addr6;
	char name[PXE_NAME_MAX];
};

struct pxe_boot_rule {
	u32 id, prio;
	u8 n_arch;			/* 0: any architecture */
	u16 arch[2];			/* BOOT_ARCH, BOOT_ARCH_ALT */
	u8 mac[ETH_ALEN];
	u8 mac_len;			/* bits; 0: any MAC */
	char vendor[PXE_NAME_MAX];
	char user_class[PXE_NAME_MAX];
	char pool[PXE_NAME_MAX];
	char file[PXE_FILE_MAX];
	bool url;			/* file is a URL: dhcp_is_url() */
	__be32 server;
	atomic64_t hits;
	struct rcu_head rcu;
};

/* Published wholesale: sorted by prio, then id. */
struct pxe_boot_table {
	struct rcu_head rcu;
	unsigned int n;
	struct pxe_boot_rule *rules[];
};

struct pxe_dhcp_net {
	struct pxe_net *pn;
	struct list_head pools;
	struct hlist_head hosts_by_mac[1 << PXE_HOST_HASH_BITS];
	struct hlist_head hosts_by_addr[1 << PXE_HOST_HASH_BITS];
	struct hlist_head hosts_by_addr6[1 << PXE_HOST_HASH_BITS];
	hsiphash_key_t host_key;
	atomic_t lease_gen;
	struct pxe_boot_table __rcu *boot;
	u32 boot_next_id;
	struct delayed_work expiry;
};

/* What a lease operation tells the reply and the monitor. */
struct pxe_lease_info {
	__be32 addr;
	u32 expires;			/* seconds from now */
	const char *hostname;		/* a reservation's name, or NULL */
};

/* Outcome of a REQUEST for an address. */
enum pxe_bind {
	PXE_BIND_ACK,
	PXE_BIND_NAK,
	PXE_BIND_SILENT,		/* not ours to answer */
	PXE_BIND_NOMEM,			/* no memory for a new lease */
};

static inline bool pxe_in_subnet(const struct pxe_pool *pool, __be32 addr)
{
	return !((addr ^ pool->start) & pool->netmask);
}

static inline bool pxe_in_range(const struct pxe_pool *pool, __be32 addr)
{
	return ntohl(addr) >= ntohl(pool->start) &&
	       ntohl(addr) <= ntohl(pool->end);
}

static inline u32 pxe_range_offset(const struct pxe_pool *pool, __be32 addr)
{
	return ntohl(addr) - ntohl(pool->start);
}

/* An IPv6 pool's range: start6's first 96 bits, then 32 bits in range. */
static inline bool pxe_in_range6(const struct pxe_pool *pool,
				 const struct in6_addr *addr)
{
	return !memcmp(addr, &pool->start6, 12) &&
	       ntohl(addr->s6_addr32[3]) >= ntohl(pool->start6.s6_addr32[3]) &&
	       ntohl(addr->s6_addr32[3]) <= ntohl(pool->end6.s6_addr32[3]);
}

static inline u32 pxe_range_offset6(const struct pxe_pool *pool,
				    const struct in6_addr *addr)
{
	return ntohl(addr->s6_addr32[3]) - ntohl(pool->start6.s6_addr32[3]);
}

/*
 * A unicast address a client can use beyond its link: what a reservation
 * or a restored lease may hold.
 */
static inline bool pxe_addr6_client_usable(const struct in6_addr *addr)
{
	/* ::/96 holds ::, ::1 and the deprecated IPv4-compatible ones. */
	bool in_96 = !(addr->s6_addr32[0] | addr->s6_addr32[1] |
		       addr->s6_addr32[2]);

	return !in_96 && !ipv6_addr_v4mapped(addr) &&
	       !(ipv6_addr_type(addr) & (IPV6_ADDR_MULTICAST |
					 IPV6_ADDR_LINKLOCAL |
					 IPV6_ADDR_SITELOCAL));
}

/* The /64 of an IPv6 pool: where a relay's link-address must lie. */
static inline bool pxe_in_prefix6(const struct pxe_pool *pool,
				  const struct in6_addr *addr)
{
	return !memcmp(addr, &pool->start6, 8);
}

/* pool.c */
void pxe_pool_net_exit(struct pxe_dhcp_net *dn);
void pxe_lease_link_gone(struct pxe_dhcp_net *dn, struct pxe_link *link);
struct pxe_pool *pxe_pool_find(struct pxe_dhcp_net *dn, const char *name);
bool pxe_pool_addr_free_for(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			    __be32 addr, const u8 *mac, __be32 server);
bool pxe_pool_pick(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
		   const u8 *mac, __be32 server, __be32 *addr);
bool pxe_pool_addr6_free_for(struct pxe_pool *pool,
			     const struct in6_addr *addr,
			     const struct pxe_host *host);
bool pxe_pool_pick6(struct pxe_pool *pool, const struct pxe_host *host,
		    struct in6_addr *addr);

/* host.c */
void pxe_host_net_init(struct pxe_dhcp_net *dn);
void pxe_host_net_exit(struct pxe_dhcp_net *dn);
const struct pxe_host *pxe_host_by_mac(struct pxe_dhcp_net *dn, const u8 *mac);
const struct pxe_host *pxe_host_by_addr(struct pxe_dhcp_net *dn, __be32 addr);
const struct pxe_host *pxe_host4_by_mac(struct pxe_dhcp_net *dn, const u8 *mac);
const struct pxe_host *pxe_host6_by_mac(struct pxe_dhcp_net *dn, const u8 *mac);
const struct pxe_host *pxe_host_by_addr6(struct pxe_dhcp_net *dn,
					 const struct in6_addr *addr);

/* lease.c */
int pxe_lease_net_init(struct pxe_dhcp_net *dn);
void pxe_lease_net_exit(struct pxe_dhcp_net *dn);
void pxe_lease_net_free(struct pxe_dhcp_net *dn);
void pxe_lease_free_all(struct pxe_pool *pool);
void pxe_lease_pools_changed(struct pxe_dhcp_net *dn);
bool pxe_lease_client_has(struct pxe_pool *pool,
			  const struct pxe_client_id *cid);
int pxe_lease_offer(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
		    const struct pxe_client_id *cid, const u8 *mac,
		    __be32 wanted, __be32 server, struct pxe_lease_info *info);
enum pxe_bind pxe_lease_bind(struct pxe_dhcp_net *dn, struct pxe_pool *pool,
			     const struct pxe_client_id *cid, const u8 *mac,
			     __be32 addr, __be32 server, bool must_know,
			     const struct dhcp_bytes *hostname,
			     struct pxe_lease_info *info);
bool pxe_lease_drop(struct pxe_pool *pool, const struct pxe_client_id *cid,
		    __be32 addr, u8 only_state, bool decline);
void pxe_lease_notify(struct pxe_net *pn, u8 event, const u8 *mac,
		      __be32 addr, const char *pool, u32 expires,
		      const char *hostname, const char *file);

/*
 * DHCPv6 leases (lease.c), keyed by IAID + DUID (struct pxe_client_id).
 * Softirq, under RCU; each takes the pool's lock.
 *
 * @host is the client's reservation with an IPv6 address, or NULL (no
 * MAC known, or none reserved).  Its address, when in the pool's /64 and
 * nobody's lease, wins over the client's lease on another address (the
 * lease moves) and over @wanted; no other client gets it.
 *
 * pxe_lease6_offer(): the client's lease, else its reservation, else
 * @wanted when free, else any free address, held for 60 s.  0, -ENOSPC
 * or -ENOMEM.
 * pxe_lease6_bind(): the client's lease bound for the pool's lease time;
 * without one, with @may_create, a new one as pxe_lease6_offer() picks
 * it.  0, -ENOENT (no lease), -ENOSPC or -ENOMEM.
 * pxe_lease6_drop(): ends the client's lease on @addr (any when NULL):
 * freed, or held back from everyone on a Decline.
 */
int pxe_lease6_offer(struct pxe_pool *pool, const struct pxe_client_id *cid,
		     const u8 *mac, const struct pxe_host *host,
		     const struct in6_addr *wanted, struct in6_addr *addr);
int pxe_lease6_bind(struct pxe_pool *pool, const struct pxe_client_id *cid,
		    const u8 *mac, const struct pxe_host *host,
		    const struct in6_addr *wanted, bool may_create,
		    struct in6_addr *addr);
bool pxe_lease6_drop(struct pxe_pool *pool, const struct pxe_client_id *cid,
		     const struct in6_addr *addr, bool decline);
void pxe_lease6_notify(struct pxe_net *pn, u8 event, const u8 *mac,
		       const struct in6_addr *addr, const char *pool,
		       u32 expires, const u8 *id, u8 id_len);

/* bootrule.c */
void pxe_boot_net_exit(struct pxe_dhcp_net *dn);
/*
 * What a boot rule is matched against, of a DHCPv4 or a DHCPv6 client:
 * a Raspberry Pi's architecture is DHCP_ARCH_RPI; @mac is NULL when not
 * known (a relayed DHCPv6 client whose DUID holds none).
 */
struct pxe_boot_query {
	const struct dhcp_request *req4;	/* one of the two: user classes */
	const struct dhcp6_request *req6;
	const u8 *mac;
	bool has_arch;
	u16 arch;
	const u8 *vendor;		/* the vendor class string */
	size_t vendor_len;
	bool http;			/* an HTTP Boot client: URLs only */
	bool url_ok;			/* takes a URL (iPXE, an OS client) */
};

void pxe_boot_query4(struct pxe_boot_query *q, const struct dhcp_request *req);
void pxe_boot_query6(struct pxe_boot_query *q, const struct dhcp6_request *req,
		     const u8 *mac);
const struct pxe_boot_rule *pxe_boot_match(struct pxe_dhcp_net *dn,
					   const struct pxe_boot_query *q,
					   const struct pxe_pool *pool);

#endif /* _PXE_DHCP_H */
