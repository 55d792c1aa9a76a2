/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kmod/dhcp.c, lease.c and bootrule.c use of the kernel, for the host:
 * selftests/fuzz/fuzz_dhcp_server.c compiles those files against this (every
 * <linux/...> and <net/...> header they include is a one-line file here
 * that includes this one).  Single-threaded: RCU readers are no-ops and
 * kfree_rcu() frees at once; locks are flags that assert they are not taken
 * twice or released when free.  The clock (jiffies) and the expiry work are
 * driven by the fuzz target.
 */
#ifndef _PXE_KSHIM_H
#define _PXE_KSHIM_H

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>

#include "codec_user.h"

typedef int64_t s64;
typedef int32_t s32;
typedef unsigned int gfp_t;

#define __rcu
#define __percpu
#define __force
#define __must_check
#define __always_unused
#define likely(x)	(x)
#define unlikely(x)	(x)
#define READ_ONCE(x)	(x)
#define WRITE_ONCE(x, v)	((x) = (v))

#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u
#define GFP_KERNEL_ACCOUNT	2u
#define GFP_NOWAIT	4u
#define __GFP_NOWARN	8u
#define __GFP_ACCOUNT	16u
#define __GFP_NOMEMALLOC	32u
#define HZ		250
#define U8_MAX		0xff
#define NLMSG_GOODSIZE	4096

#ifndef max
#define max(a, b)	((a) > (b) ? (a) : (b))
#endif
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BITS_PER_LONG	(8 * sizeof(long))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- memory cgroups: none on the host ---------------------------------- */

struct mem_cgroup;
#define get_mem_cgroup_from_mm(mm)	((struct mem_cgroup *)NULL)
static inline void mem_cgroup_put(struct mem_cgroup *memcg) { (void)memcg; }
static inline struct mem_cgroup *set_active_memcg(struct mem_cgroup *memcg)
{
	(void)memcg;
	return NULL;
}

/* The one task: only its PF_MEMALLOC flag is used. */
#define PF_MEMALLOC	0x800u
struct shim_task { unsigned int flags; };
extern struct shim_task shim_current;
#define current	(&shim_current)
static inline void current_restore_flags(unsigned int orig, unsigned int flags)
{
	shim_current.flags = (shim_current.flags & ~flags) | (orig & flags);
}

/* ---- errors ----------------------------------------------------------- */

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }

/* ---- memory ----------------------------------------------------------- */

/* The fuzz target may make the next allocations fail (shim_fail_alloc). */
extern unsigned int shim_alloc_fail_mask, shim_alloc_count;
static inline bool shim_alloc_fails(void)
{
	unsigned int n = shim_alloc_count++;

	return n < 32 && (shim_alloc_fail_mask >> n & 1);
}

static inline void *kzalloc(size_t n, gfp_t gfp)
{
	(void)gfp;
	return shim_alloc_fails() ? NULL : calloc(1, n ? n : 1);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	return shim_alloc_fails() ? NULL : calloc(n ? n : 1, size);
}

static inline void kfree(const void *p) { free((void *)p); }
static inline void kvfree(const void *p) { free((void *)p); }

#define struct_size(p, member, n) \
	(sizeof(*(p)) + (size_t)(n) * sizeof((p)->member[0]))

/* ---- lists ------------------------------------------------------------ */

struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

/* Like DEBUG_LIST: a corrupt neighbour is caught, a deleted entry poisoned. */
static inline void list_del(struct list_head *e)
{
	assert(e->next->prev == e && e->prev->next == e);
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (struct list_head *)0x100;
	e->prev = (struct list_head *)0x122;
}

static inline void list_del_rcu(struct list_head *e)
{
	assert(e->next->prev == e && e->prev->next == e);
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->prev = (struct list_head *)0x122;
}

#define list_add_tail_rcu	list_add_tail
static inline bool list_empty(const struct list_head *h) { return h->next == h; }

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_rcu(pos, head, member, ...) \
	list_for_each_entry(pos, head, member)
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))

static inline void INIT_HLIST_NODE(struct hlist_node *h)
{
	h->next = NULL;
	h->pprev = NULL;
}

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	if (first)
		first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

#define hlist_add_head_rcu	hlist_add_head

static inline void __hlist_del(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;

	assert(pprev && *pprev == n);
	*pprev = next;
	if (next)
		next->pprev = pprev;
}

static inline void hlist_del(struct hlist_node *n)
{
	__hlist_del(n);
	n->next = (struct hlist_node *)0x100;
	n->pprev = (struct hlist_node **)0x122;
}

static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del(n);
	n->pprev = (struct hlist_node **)0x122;
}

static inline void hlist_del_init(struct hlist_node *n)
{
	if (n->pprev) {
		__hlist_del(n);
		INIT_HLIST_NODE(n);
	}
}

#define hlist_entry_safe(ptr, type, member) \
	({ __typeof__(ptr) ____ptr = (ptr); \
	   ____ptr ? container_of(____ptr, type, member) : NULL; })
#define hlist_for_each_entry(pos, head, member)				\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
#define hlist_for_each_entry_rcu(pos, head, member, ...) \
	hlist_for_each_entry(pos, head, member)
#define hlist_for_each_entry_safe(pos, n, head, member)			\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member); \
	     pos && ({ n = pos->member.next; 1; });			\
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))

/* ---- RCU, locks ------------------------------------------------------- */

struct rcu_head { void *unused; };
#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define rcu_dereference(p)	(p)
#define rcu_dereference_protected(p, c)	((void)(c), (p))
#define rcu_assign_pointer(p, v)	((p) = (v))
#define synchronize_rcu()	do { } while (0)
#define kfree_rcu(p, field)	kfree(p)

typedef struct { int held; } spinlock_t;
#define spin_lock_init(l)	((l)->held = 0)
#define spin_lock(l)		do { assert(!(l)->held); (l)->held = 1; } while (0)
#define spin_unlock(l)		do { assert((l)->held); (l)->held = 0; } while (0)
#define spin_lock_bh		spin_lock
#define spin_unlock_bh		spin_unlock

struct mutex { int held; };
#define mutex_lock(m)		do { assert(!(m)->held); (m)->held = 1; } while (0)
#define mutex_unlock(m)		do { assert((m)->held); (m)->held = 0; } while (0)
#define lockdep_assert_held(m)	assert((m)->held)
#define lockdep_is_held(m)	((m)->held)

extern int shim_rtnl_held;
#define rtnl_lock()	do { assert(!shim_rtnl_held); shim_rtnl_held = 1; } while (0)
#define rtnl_unlock()	do { assert(shim_rtnl_held); shim_rtnl_held = 0; } while (0)
#define ASSERT_RTNL()	assert(shim_rtnl_held)

/* ---- atomics, counters ------------------------------------------------ */

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { int refs; } refcount_t;
typedef struct { u64 v; } u64_stats_t;
struct u64_stats_sync { int unused; };
#define atomic_read(a)		((a)->counter)
#define atomic64_read(a)	((a)->counter)
#define atomic64_inc(a)		((a)->counter++)
#define atomic_inc(a)		((a)->counter++)
#define this_cpu_add(x, n)	((x) += (n))

/* ---- time, work ------------------------------------------------------- */

extern unsigned long jiffies;
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

/* A link's RA timer (ra.c is not part of the DHCP server fuzzed here). */
struct timer_list { unsigned long expires; };

struct work_struct { void (*func)(struct work_struct *work); };
struct delayed_work {
	struct work_struct work;
	bool pending;
	unsigned long when;
};
struct workqueue_struct;
extern struct workqueue_struct *system_power_efficient_wq;

#define INIT_DELAYED_WORK(w, f) \
	do { (w)->work.func = (f); (w)->pending = false; } while (0)
#define to_delayed_work(w)	container_of(w, struct delayed_work, work)

static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *w,
				      unsigned long delay)
{
	(void)wq;
	if (w->pending)
		return false;
	w->pending = true;
	w->when = jiffies + delay;
	return true;
}

static inline bool cancel_delayed_work(struct delayed_work *w)
{
	bool was = w->pending;

	w->pending = false;
	return was;
}

static inline bool cancel_delayed_work_sync(struct delayed_work *w)
{
	bool was = w->pending;

	w->pending = false;
	return was;
}

/* ---- bitmaps, hashes, sort --------------------------------------------- */

static inline unsigned long *bitmap_zalloc(unsigned int bits, gfp_t gfp)
{
	return kvcalloc(DIV_ROUND_UP(bits, BITS_PER_LONG), sizeof(long), gfp);
}

#define bitmap_free(b)	free(b)

static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG) & 1;
}

static inline unsigned long find_next_zero_bit(const unsigned long *map,
					       unsigned long size,
					       unsigned long off)
{
	for (; off < size; off++)
		if (!test_bit(off, map))
			return off;
	return size;
}

static inline u32 roundup_pow_of_two(u32 n)
{
	u32 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static inline u32 jhash(const void *key, u32 len, u32 initval)
{
	const u8 *k = key;
	u32 h = initval ^ 0x9e3779b9;

	while (len--)
		h = (h ^ *k++) * 0x01000193;
	return h;
}

/* siphash's interface; a fixed key keeps a fuzz input reproducible. */
typedef struct { unsigned long key[2]; } hsiphash_key_t;

static inline u32 hsiphash(const void *data, size_t len,
			   const hsiphash_key_t *key)
{
	return jhash(data, len, (u32)key->key[0]);
}

static inline u32 hsiphash_1u32(u32 a, const hsiphash_key_t *key)
{
	return jhash(&a, 4, (u32)key->key[0]);
}

static inline void get_random_bytes(void *buf, size_t len)
{
	memset(buf, 0, len);
}

static inline u32 jhash_1word(u32 a, u32 initval)
{
	return jhash(&a, 4, initval);
}

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *),
			void (*swap)(void *, void *, int))
{
	(void)swap;
	qsort(base, num, size, cmp);
}

/* ---- strings ---------------------------------------------------------- */

/*
 * The kernel's "%pI4", and "%pI6c" in the DHCPv6 boot URL: the only %p
 * extensions the DHCP servers use, each in one format string.
 */
static inline int shim_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (!strcmp(fmt, "%pI4")) {
		const u8 *a = va_arg(ap, const u8 *);

		n = snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (!strcmp(fmt, "tftp://[%pI6c]/%s")) {
		const void *a = va_arg(ap, const void *);
		const char *s = va_arg(ap, const char *);
		char text[INET6_ADDRSTRLEN];

		n = snprintf(buf, size, "tftp://[%s]/%s",
			     inet_ntop(AF_INET6, a, text, sizeof(text)), s);
	} else {
		n = vsnprintf(buf, size, fmt, ap);
	}
	va_end(ap);
	return n;
}
#define snprintf shim_snprintf

/* ---- devices ---------------------------------------------------------- */

struct in_ifaddr {
	struct in_ifaddr *ifa_next;
	__be32 ifa_local, ifa_mask;
};

struct in_device { struct in_ifaddr *ifa_list; };

struct net_device {
	int ifindex;
	char name[16];
	u8 broadcast[ETH_ALEN];
	u8 dev_addr[ETH_ALEN];
	struct in_device *ip_ptr;
};

#define dev_net(dev)	((struct net *)NULL)

#define __in_dev_get_rcu(dev)	((dev)->ip_ptr)
#define __in_dev_get_rtnl(dev)	((dev)->ip_ptr)
#define in_dev_for_each_ifa_rcu(ifa, in_dev) \
	for (ifa = (in_dev)->ifa_list; ifa; ifa = ifa->ifa_next)
#define in_dev_for_each_ifa_rtnl	in_dev_for_each_ifa_rcu

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

struct page;
struct nf_hook_ops { int unused; };
struct nf_hook_state;
struct net;

/* ---- skbs, netlink ---------------------------------------------------- */

struct sock { struct net *net; };

struct sk_buff {
	u8 *data;
	unsigned int len, size;
	struct sock *sk;
	u32 portid;
};

static inline void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len)
		skb->len = len;
}

#define sock_net(sk)	((sk) ? (sk)->net : NULL)

struct netlink_skb_parms { u32 portid; };
#define NETLINK_CB(skb)	(*(struct netlink_skb_parms *)&(skb)->portid)

struct netlink_ext_ack { const char *msg; const struct nlattr *bad_attr; };
#define NL_SET_ERR_MSG(extack, m) \
	do { if (extack) (extack)->msg = (m); } while (0)
#define NL_SET_ERR_MSG_ATTR(extack, attr, m) \
	do { if (extack) { (extack)->msg = (m); (extack)->bad_attr = (attr); } } while (0)

struct genl_family { int unused; };
/* kmod/netlink-gen.h declares the generated policy and ops table with these. */
struct nla_policy { int unused; };
struct genl_small_ops { int unused; };

struct genl_info {
	u32 snd_seq, snd_portid;
	struct nlattr **attrs;
	struct netlink_ext_ack *extack;
	struct net *net;
};

#define genl_info_net(info)	((info)->net)
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[attr])

struct netlink_callback {
	struct sk_buff *skb;
	const struct nlmsghdr *nlh;
	u32 seq;
	long args[6];
};

static inline void *nla_data(const struct nlattr *nla)
{
	return (char *)nla + NLA_HDRLEN;
}

static inline int nla_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

#define nla_get_u8(nla)		(*(u8 *)nla_data(nla))
#define nla_get_u16(nla)	(*(u16 *)nla_data(nla))
#define nla_get_u32(nla)	(*(u32 *)nla_data(nla))
#define nla_get_in_addr(nla)	(*(__be32 *)nla_data(nla))

static inline struct in6_addr nla_get_in6_addr(const struct nlattr *nla)
{
	struct in6_addr a;

	memcpy(&a, nla_data(nla), sizeof(a));
	return a;
}

static inline ssize_t nla_strscpy(char *dst, const struct nlattr *nla,
				  size_t size)
{
	size_t n = nla_len(nla);
	const char *src = nla_data(nla);

	if (n && !src[n - 1])
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

static inline char *nla_strdup(const struct nlattr *nla, gfp_t gfp)
{
	size_t n = nla_len(nla);
	char *s;

	if (n && !((char *)nla_data(nla))[n - 1])
		n--;
	s = kzalloc(n + 1, gfp);
	if (s)
		memcpy(s, nla_data(nla), n);
	return s;
}

/*
 * Messages out (replies, dumps, monitor events): the attributes are read
 * (so a bad pointer or length shows) and appended to the skb's buffer
 * until it is full.
 */
int shim_nla_put(struct sk_buff *skb, int type, int len, const void *data);
#define nla_put(skb, t, l, d)	shim_nla_put(skb, t, l, d)
#define nla_put_u8(skb, t, v)	({ u8 __v = (v); shim_nla_put(skb, t, 1, &__v); })
#define nla_put_u16(skb, t, v)	({ u16 __v = (v); shim_nla_put(skb, t, 2, &__v); })
#define nla_put_u32(skb, t, v)	({ u32 __v = (v); shim_nla_put(skb, t, 4, &__v); })
#define nla_put_in_addr(skb, t, v) \
	({ __be32 __v = (v); shim_nla_put(skb, t, 4, &__v); })
#define nla_put_u64_64bit(skb, t, v, pad) \
	({ u64 __v = (v); shim_nla_put(skb, t, 8, &__v); })
#define nla_put_string(skb, t, s) \
	({ const char *__s = (s); shim_nla_put(skb, t, strlen(__s) + 1, __s); })
#define nla_put_flag(skb, t)	shim_nla_put(skb, t, 0, NULL)
#define nla_put_in6_addr(skb, t, a)	shim_nla_put(skb, t, 16, a)

/* IPv6 addresses (<net/ipv6.h>): what IPv6 pools and leases use. */
#define IPV6_ADDR_MULTICAST	0x0002U
#define IPV6_ADDR_LOOPBACK	0x0010U
#define IPV6_ADDR_LINKLOCAL	0x0020U
#define IPV6_ADDR_SITELOCAL	0x0040U
static inline bool ipv6_addr_any(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a);
}

static inline bool ipv6_addr_equal(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static inline bool ipv6_addr_v4mapped(const struct in6_addr *a)
{
	return IN6_IS_ADDR_V4MAPPED(a);
}

static inline bool ipv6_addr_is_multicast(const struct in6_addr *a)
{
	return IN6_IS_ADDR_MULTICAST(a);
}

/* The fuzz target's: a link-local source address for @daddr. */
int ipv6_dev_get_saddr(struct net *net, const struct net_device *dev,
		       const struct in6_addr *daddr, unsigned int prefs,
		       struct in6_addr *saddr);

static inline int ipv6_addr_type(const struct in6_addr *a)
{
	return (IN6_IS_ADDR_MULTICAST(a) ? IPV6_ADDR_MULTICAST : 0) |
	       (IN6_IS_ADDR_LOOPBACK(a) ? IPV6_ADDR_LOOPBACK : 0) |
	       (IN6_IS_ADDR_LINKLOCAL(a) ? IPV6_ADDR_LINKLOCAL : 0) |
	       (IN6_IS_ADDR_SITELOCAL(a) ? IPV6_ADDR_SITELOCAL : 0);
}

struct sk_buff *genlmsg_new(size_t size, gfp_t gfp);
void nlmsg_free(struct sk_buff *skb);
void *genlmsg_put(struct sk_buff *skb, u32 portid, u32 seq,
		  const struct genl_family *family, int flags, u8 cmd);
void *genlmsg_put_reply(struct sk_buff *skb, struct genl_info *info,
			const struct genl_family *family, int flags, u8 cmd);
void genlmsg_end(struct sk_buff *skb, void *hdr);
void genlmsg_cancel(struct sk_buff *skb, void *hdr);
int genlmsg_reply(struct sk_buff *skb, struct genl_info *info);
#define genl_dump_check_consistent(cb, hdr)	do { } while (0)

#endif /* _PXE_KSHIM_H */
