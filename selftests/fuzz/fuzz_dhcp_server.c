// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the DHCP server itself: kmod/dhcp.c, dhcp6.c,
 * lease.c and bootrule.c (with dhcp_msg.c and dhcp6_msg.c), compiled for
 * the host against the kernel stand-ins in include/kshim.h, driven by
 * sequences of operations:
 *
 *   - a crafted DHCP message (type, one of 8 clients, requested address,
 *     server id, client id, host name, PXE or HTTP Boot options, relay) or
 *     raw bytes, to :67 or :4011 of one of two links;
 *   - a crafted DHCPv6 message (type, one of 8 clients from its MAC,
 *     DUID-LL or DUID-UUID, IAID, IA Address, our server id or another's,
 *     rapid commit, a Relay-Forw around it with or without option 79) or
 *     raw bytes, to :547 of one of two links (the IPv6 pool is on the
 *     first);
 *   - a step of the clock, after which the expiry work runs when due;
 *   - configuration through the netlink handlers: reservations (IPv4,
 *     IPv6 or both), boot rules, leases restored and deleted, pools
 *     deleted and added again, a link going away; dumps of everything;
 *   - allocation failures for the next operation.
 *
 * After every operation the pools' invariants are checked (lease count,
 * bitmap, hash membership, no address leased twice, no client twice) and
 * every reply must parse back.  At the end the namespace is torn down:
 * LeakSanitizer sees whatever was not freed.
 */
#include <stdint.h>

#include "dhcp.h"

/* ---- the kernel pieces the server calls ------------------------------ */

unsigned long jiffies;
unsigned int shim_alloc_fail_mask, shim_alloc_count;
struct shim_task shim_current;
int shim_rtnl_held;
struct workqueue_struct *system_power_efficient_wq;
struct genl_family pxe_family;

static struct pxe_net the_pn;
static struct pxe_stats the_stats;

struct pxe_net *pxe_net(const struct net *net)
{
	(void)net;
	return &the_pn;
}

#define N_LINKS 2
static struct pxe_link links[N_LINKS];
static struct net_device devs[N_LINKS];
static struct in_device in_devs[N_LINKS];
static struct in_ifaddr ifas[N_LINKS][2];
static bool link_alive[N_LINKS];

struct pxe_link *pxe_nl_request_link(struct pxe_net *pn, struct genl_info *info)
{
	struct nlattr *a = info->attrs[PXE_A_IFINDEX];
	u32 i;

	(void)pn;
	if (!a)
		return ERR_PTR(-EINVAL);
	i = nla_get_u32(a) - 1;
	if (i >= N_LINKS || !link_alive[i])
		return ERR_PTR(-ENODEV);
	return &links[i];
}

unsigned int pxe_tx_max_payload(const struct pxe_link *link)
{
	(void)link;
	return 1500 - 28;
}

unsigned int pxe_tx_max_payload6(const struct pxe_link *link)
{
	(void)link;
	return 1500 - 48;
}

int ipv6_dev_get_saddr(struct net *net, const struct net_device *dev,
		       const struct in6_addr *daddr, unsigned int prefs,
		       struct in6_addr *saddr)
{
	static const struct in6_addr ll = {
		.s6_addr = { 0xfe, 0x80, [15] = 1 },
	};
	static const struct in6_addr ula = {
		.s6_addr = { 0xfd, 0x00, [15] = 1 },
	};

	/* As the stack: the link-local one towards a link-local address. */
	*saddr = IN6_IS_ADDR_LINKLOCAL(daddr) ? ll : ula;
	return 0;
}

/* The buffer is exactly @len bytes: ASan sees a reply written past it. */
struct sk_buff *pxe_tx_alloc(const struct pxe_tx *tx, unsigned int len,
			     u8 **payload)
{
	struct sk_buff *skb;

	(void)tx;
	skb = kzalloc(sizeof(*skb), GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb->data = malloc(len);
	if (!skb->data) {
		free(skb);
		return NULL;
	}
	skb->len = skb->size = len;
	*payload = skb->data;
	return skb;
}

void pxe_tx_free(struct sk_buff *skb)
{
	free(skb->data);
	free(skb);
}

/* The boot rules' files (boot_add()): paths, then URLs. */
static const char *const boot_files[] = {
	"pxelinux.0", "ipxe.efi", "boot.ipxe",
	"a-file-name-long-enough-to-spill-out-of-the-sname-field-of-"
	"the-bootp-header-and-the-file-one-too-if-it-is-overloaded.efi",
	/* URLs: for HTTP Boot and iPXE, passed over by PXE firmware */
	"http://10.0.0.1/ipxe.efi", "https://10.0.0.1/boot.ipxe",
	"tftp://10.0.0.1/pxelinux.0",
	"http://10.0.0.1/a-url-too-long-for-the-bootp-file-field-so-"
	"it-reaches-the-client-as-option-67-alone-whatever-it-asks-"
	"for-in-option-55-and-takes-room-in-the-options-field.efi",
};

/* Whether @len bytes at @p are one of the rules' URLs, exactly. */
static bool is_rule_url(const u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < sizeof(boot_files) / sizeof(boot_files[0]); i++)
		if (strstr(boot_files[i], "://") &&
		    strlen(boot_files[i]) == len && !memcmp(p, boot_files[i], len))
			return true;
	return false;
}

/*
 * Option 59, when there is one: a rule's URL as it is, or a TFTP path
 * behind the address ipv6_dev_get_saddr() gave, never the link-local one.
 */
static void check_boot_url6(const u8 *b, unsigned int len)
{
	static const char tftp[] = "tftp://[fd00::1]/";
	unsigned int off, olen;

	for (off = 4; off < len; off += 4 + olen) {
		olen = get_unaligned_be16(b + off + 2);
		if (get_unaligned_be16(b + off) != DHCP6_OPT_BOOTFILE_URL)
			continue;
		assert(olen > 0 && olen <= PXE_FILE_MAX + sizeof(tftp));
		assert((olen > strlen(tftp) &&
			!memcmp(b + off + 4, tftp, strlen(tftp)) &&
			b[off + 4 + strlen(tftp)] != '/') ||
		       is_rule_url(b + off + 4, olen));
	}
}

/*
 * A DHCPv6 reply: an Advertise or Reply, or Relay-Repls around one, each
 * with options that fit it exactly.
 */
static void check_reply6(const u8 *b, unsigned int len)
{
	unsigned int off, hdr;

	for (;;) {
		assert(len >= 4);
		assert(b[0] == DHCP6_ADVERTISE || b[0] == DHCP6_REPLY ||
		       b[0] == DHCP6_RELAY_REPL);
		hdr = b[0] == DHCP6_RELAY_REPL ? DHCP6_RELAY_HDR_LEN : 4;
		assert(len >= hdr);
		for (off = hdr; off < len; off += 4 + get_unaligned_be16(b + off + 2))
			assert(off + 4 <= len &&
			       off + 4 + get_unaligned_be16(b + off + 2) <= len);
		assert(off == len);
		if (b[0] != DHCP6_RELAY_REPL) {
			check_boot_url6(b, len);
			return;
		}
		for (off = hdr;; off += 4 + get_unaligned_be16(b + off + 2)) {
			assert(off + 4 <= len);
			if (get_unaligned_be16(b + off) == DHCP6_OPT_RELAY_MSG)
				break;
		}
		len = get_unaligned_be16(b + off + 2);
		b += off + 4;
	}
}

/* Every reply reads back as a BOOTREPLY of an allowed type. */
int pxe_tx_send(const struct pxe_tx *tx, struct sk_buff *skb)
{
	u8 *b = skb->data;
	unsigned int i;
	u8 type = 0;

	assert(tx->link && tx->dst_mac);
	if (tx->v6) {
		assert(tx->sport == htons(DHCP6_SERVER_PORT));
		assert(skb->len <= skb->size);
		check_reply6(b, skb->len);
		pxe_tx_free(skb);
		return 0;
	}
	assert(tx->sport == htons(DHCP_SERVER_PORT) ||
	       tx->sport == htons(DHCP_PROXY_PORT));
	assert(skb->len >= 240 && skb->len <= skb->size);
	assert(b[0] == 2 && b[1] == 1 && b[2] == 6);
	assert(get_unaligned_be32(b + 236) == DHCP_COOKIE);
	for (i = 240; i + 1 < skb->len && b[i] != 255; ) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		assert(i + 2 + b[i + 1] <= skb->len);
		if (b[i] == 53 && b[i + 1] == 1)
			type = b[i + 2];
		i += 2 + b[i + 1];
	}
	assert(type == DHCP_OFFER || type == DHCP_ACK || type == DHCP_NAK);
	pxe_tx_free(skb);
	return 0;
}

/* Someone listens: every event is built (and read) in full. */
struct sk_buff *genlmsg_new(size_t size, gfp_t gfp)
{
	struct sk_buff *skb = kzalloc(sizeof(*skb), gfp);

	if (!skb)
		return NULL;
	skb->data = malloc(size);
	if (!skb->data) {
		free(skb);
		return NULL;
	}
	skb->size = size;
	return skb;
}

void nlmsg_free(struct sk_buff *skb)
{
	if (skb) {
		free(skb->data);
		free(skb);
	}
}

int shim_nla_put(struct sk_buff *skb, int type, int len, const void *data)
{
	unsigned int total = NLA_HDRLEN + NLA_ALIGN(len);
	struct nlattr *nla;

	assert(len >= 0 && len < 65536 - NLA_HDRLEN);
	if (skb->len + total > skb->size)
		return -EMSGSIZE;
	nla = (struct nlattr *)(skb->data + skb->len);
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(nla_data(nla), data, len);
	memset((u8 *)nla_data(nla) + len, 0, NLA_ALIGN(len) - len);
	skb->len += total;
	return 0;
}

void *genlmsg_put(struct sk_buff *skb, u32 portid, u32 seq,
		  const struct genl_family *family, int flags, u8 cmd)
{
	(void)portid, (void)seq, (void)family, (void)flags, (void)cmd;
	if (skb->len + 20 > skb->size)
		return NULL;
	skb->len += 20;
	return skb->data + skb->len - 20;
}

void *genlmsg_put_reply(struct sk_buff *skb, struct genl_info *info,
			const struct genl_family *family, int flags, u8 cmd)
{
	return genlmsg_put(skb, info->snd_portid, info->snd_seq, family, flags,
			   cmd);
}

void genlmsg_end(struct sk_buff *skb, void *hdr)
{
	assert((u8 *)hdr >= skb->data && (u8 *)hdr < skb->data + skb->len);
}

void genlmsg_cancel(struct sk_buff *skb, void *hdr)
{
	assert((u8 *)hdr >= skb->data && (u8 *)hdr <= skb->data + skb->len);
	skb->len = (u8 *)hdr - skb->data;
}

int genlmsg_reply(struct sk_buff *skb, struct genl_info *info)
{
	(void)info;
	nlmsg_free(skb);
	return 0;
}

struct sk_buff *pxe_ntf_new(struct pxe_net *pn, u8 cmd, void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);

	(void)pn;
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &pxe_family, 0, cmd);
	return skb;
}

void pxe_ntf_send(struct pxe_net *pn, struct sk_buff *skb, void *hdr)
{
	(void)pn;
	genlmsg_end(skb, hdr);
	nlmsg_free(skb);
}

/* FUZZ_TRACE=1 in the environment: each operation on stderr. */
static int trace = -1;

/* ---- input ------------------------------------------------------------ */

struct input {
	const u8 *p;
	size_t left;
};

static u8 take8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static u16 take16(struct input *in)
{
	return take8(in) << 8 | take8(in);
}

/* ---- netlink requests ------------------------------------------------- */

struct request {
	struct nlattr *attrs[PXE_A_MAX + 1];
	u8 buf[1024];
	size_t used;
	struct netlink_ext_ack extack;
	struct genl_info info;
};

static void req_init(struct request *r)
{
	memset(r, 0, sizeof(*r));
	r->info.attrs = r->attrs;
	r->info.extack = &r->extack;
}

static void req_put(struct request *r, int type, const void *data, int len)
{
	struct nlattr *nla = (struct nlattr *)(r->buf + r->used);

	assert(r->used + NLA_HDRLEN + NLA_ALIGN(len) <= sizeof(r->buf));
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(nla_data(nla), data, len);
	r->used += NLA_HDRLEN + NLA_ALIGN(len);
	r->attrs[type] = nla;
}

static void req_u32(struct request *r, int type, u32 v) { req_put(r, type, &v, 4); }
static void req_u16(struct request *r, int type, u16 v) { req_put(r, type, &v, 2); }
static void req_u8(struct request *r, int type, u8 v) { req_put(r, type, &v, 1); }
static void req_str(struct request *r, int type, const char *s)
{
	req_put(r, type, s, strlen(s) + 1);
}

static __be32 ip4(u8 a, u8 b, u8 c, u8 d)
{
	return htonl((u32)a << 24 | b << 16 | c << 8 | d);
}

/* ---- the namespace ---------------------------------------------------- */

/* Clients: MAC 02:00:00:00:00:0i. */
#define N_CLIENTS 8
static void client_mac(u8 *mac, unsigned int i)
{
	static const u8 base[ETH_ALEN] = { 2, 0, 0, 0, 0, 0 };

	memcpy(mac, base, ETH_ALEN);
	mac[5] = i % N_CLIENTS;
}

static const u32 lease_times[] = { 3600, 60, 1, 0xffffffff };

/* Pool @i: 0 "lan" on link 1, 10.0.0.10-.17 (8 addresses); 1 "second"
 * on link 1, 10.0.5.100-.103; 2 "relay" on link 1 for giaddr 10.9.0.1,
 * 10.9.0.10-.13 /24; 3 "proxy" on link 2. */
static const char *const pool_names[] = { "lan", "second", "relay", "proxy" };

/* "lan6" on link 1: fd00:1::10-fd00:1::17, DNS fd00:1::53. */
static const struct in6_addr lan6_start = {
	.s6_addr = { 0xfd, 0, 0, 1, [15] = 0x10 },
};

static int pool6_add(u32 lease_time)
{
	struct in6_addr end = lan6_start, dns = lan6_start;
	struct request r;

	end.s6_addr[15] = 0x17;
	dns.s6_addr[15] = 0x53;
	req_init(&r);
	req_str(&r, PXE_A_POOL_NAME, "lan6");
	req_u32(&r, PXE_A_IFINDEX, 1);
	req_put(&r, PXE_A_POOL_START6, &lan6_start, 16);
	req_put(&r, PXE_A_POOL_END6, &end, 16);
	req_put(&r, PXE_A_POOL_DNS6, &dns, 16);
	req_u32(&r, PXE_A_POOL_LEASE_TIME, lease_time);
	return pxe_nl_pool_new_doit(NULL, &r.info);
}

static int pool_add(unsigned int i, u32 lease_time)
{
	struct request r;

	req_init(&r);
	req_str(&r, PXE_A_POOL_NAME, pool_names[i % 4]);
	switch (i % 4) {
	case 0:
		req_u32(&r, PXE_A_IFINDEX, 1);
		req_u32(&r, PXE_A_POOL_START, ip4(10, 0, 0, 10));
		req_u32(&r, PXE_A_POOL_END, ip4(10, 0, 0, 17));
		req_u32(&r, PXE_A_POOL_ROUTER, ip4(10, 0, 0, 1));
		req_u32(&r, PXE_A_POOL_LEASE_TIME, lease_time);
		req_str(&r, PXE_A_POOL_DOMAIN, "example.org");
		{
			__be32 dns[2] = { ip4(10, 0, 0, 2), ip4(10, 0, 0, 3) };

			req_put(&r, PXE_A_POOL_DNS, dns, sizeof(dns));
		}
		break;
	case 1:
		req_u32(&r, PXE_A_IFINDEX, 1);
		req_u32(&r, PXE_A_POOL_START, ip4(10, 0, 5, 100));
		req_u32(&r, PXE_A_POOL_END, ip4(10, 0, 5, 103));
		req_u32(&r, PXE_A_POOL_LEASE_TIME, lease_time);
		break;
	case 2:
		req_u32(&r, PXE_A_IFINDEX, 1);
		req_u32(&r, PXE_A_POOL_START, ip4(10, 9, 0, 10));
		req_u32(&r, PXE_A_POOL_END, ip4(10, 9, 0, 13));
		req_u32(&r, PXE_A_POOL_NETMASK, ip4(255, 255, 255, 0));
		break;
	case 3:
		req_u32(&r, PXE_A_IFINDEX, 2);
		req_put(&r, PXE_A_POOL_PROXY, NULL, 0);
		break;
	}
	return pxe_nl_pool_new_doit(NULL, &r.info);
}

static void pool_del_name(const char *name)
{
	struct request r;

	req_init(&r);
	req_str(&r, PXE_A_POOL_NAME, name);
	pxe_nl_pool_del_doit(NULL, &r.info);
}

static void pool_del(unsigned int i)
{
	pool_del_name(pool_names[i % 4]);
}

/* An address for a reservation or a restored lease: "lan" or "relay". */
static __be32 config_addr(u8 last)
{
	return last & 0x80 ? ip4(10, 9, 0, last & 15) : ip4(10, 0, 0, last & 31);
}

/*
 * With 0x20 in @last, an IPv6 address too, in or off "lan6"'s range
 * (fd00:1::10-17, or ::18-1f in its /64 but off the range), and then
 * without 0x10 no IPv4 one.
 */
static void host_add(unsigned int client, u8 last)
{
	struct in6_addr addr6 = lan6_start;
	struct request r;
	u8 mac[ETH_ALEN];

	req_init(&r);
	client_mac(mac, client);
	req_put(&r, PXE_A_HOST_MAC, mac, ETH_ALEN);
	if (!(last & 0x20) || last & 0x10)
		req_u32(&r, PXE_A_HOST_ADDR, config_addr(last));
	if (last & 0x20) {
		addr6.s6_addr[15] = 0x10 + (last & 15);
		req_put(&r, PXE_A_HOST_ADDR6, &addr6, 16);
	}
	if (last & 0x40)
		req_str(&r, PXE_A_HOST_NAME, "host");
	pxe_nl_host_new_doit(NULL, &r.info);
}

static void host_del(unsigned int client)
{
	struct request r;
	u8 mac[ETH_ALEN];

	req_init(&r);
	client_mac(mac, client);
	req_put(&r, PXE_A_HOST_MAC, mac, ETH_ALEN);
	pxe_nl_host_del_doit(NULL, &r.info);
}

static void boot_add(u8 how, u8 prio)
{
	struct request r;
	u8 mac[ETH_ALEN];

	req_init(&r);
	req_str(&r, PXE_A_BOOT_FILE, boot_files[(how & 3) | (prio & 4)]);
	req_u32(&r, PXE_A_BOOT_PRIO, prio);
	if (how & 4)
		req_u16(&r, PXE_A_BOOT_ARCH,
			how & 8 ? 7 : prio & 2 ? DHCP_ARCH_RPI : 0);
	/* Without BOOT_ARCH (how & 4 clear) the rule is refused. */
	if (how & 8)
		req_u16(&r, PXE_A_BOOT_ARCH_ALT, 9);
	if (how & 16)
		req_str(&r, PXE_A_BOOT_VENDOR, "PXEClient");
	if (how & 32)
		req_str(&r, PXE_A_BOOT_USER_CLASS, "iPXE");
	if (how & 64) {
		client_mac(mac, prio);
		req_put(&r, PXE_A_BOOT_MAC, mac, ETH_ALEN);
		req_u8(&r, PXE_A_BOOT_MAC_LEN, prio % 49);
	}
	if (how & 128)
		req_str(&r, PXE_A_BOOT_POOL, pool_names[prio % 4]);
	if (prio & 1)
		req_u32(&r, PXE_A_BOOT_SERVER, ip4(10, 0, 0, 99));
	pxe_nl_boot_new_doit(NULL, &r.info);
}

static void boot_del(u8 id)
{
	struct request r;

	req_init(&r);
	req_u32(&r, PXE_A_BOOT_ID, id % 8);
	pxe_nl_boot_del_doit(NULL, &r.info);
}

static void lease_new(unsigned int client, u8 last, u16 expires)
{
	struct request r;
	u8 mac[ETH_ALEN];

	req_init(&r);
	client_mac(mac, client);
	req_put(&r, PXE_A_LEASE_MAC, mac, ETH_ALEN);
	req_u32(&r, PXE_A_LEASE_ADDR, config_addr(last));
	if (trace)
		fprintf(stderr, "  lease new client %u last %#x expires %#x\n",
			client % N_CLIENTS, last, expires);
	if (expires & 1)
		req_u32(&r, PXE_A_LEASE_EXPIRES, expires >> 1);
	if (last & 0x40) {
		u8 id[3] = { 0, 'i', (u8)client };

		req_put(&r, PXE_A_LEASE_CLIENT_ID, id, sizeof(id));
	}
	if (last & 0x20)
		req_str(&r, PXE_A_LEASE_HOSTNAME, "restored");
	pxe_nl_lease_new_doit(NULL, &r.info);
}

static void lease_del(unsigned int client)
{
	struct request r;
	u8 mac[ETH_ALEN];

	req_init(&r);
	client_mac(mac, client);
	req_put(&r, PXE_A_LEASE_MAC, mac, ETH_ALEN);
	pxe_nl_lease_del_doit(NULL, &r.info);
}

/* Every dump, in small skbs so they take several rounds. */
static void dump_all(void)
{
	int (*const dumps[])(struct sk_buff *, struct netlink_callback *) = {
		pxe_nl_pool_get_dumpit, pxe_nl_host_get_dumpit, pxe_nl_boot_get_dumpit,
		pxe_nl_lease_get_dumpit,
	};
	struct sock sk = { };
	struct nlmsghdr nlh = { };
	unsigned int d, round;

	for (d = 0; d < ARRAY_SIZE(dumps); d++) {
		struct netlink_callback cb = { .nlh = &nlh };
		struct sk_buff in = { };

		cb.skb = &in;
		for (round = 0; round < 200; round++) {
			struct sk_buff *skb = genlmsg_new(200, GFP_KERNEL);
			int n;

			if (!skb)
				break;
			skb->sk = &sk;
			n = dumps[d](skb, &cb);
			nlmsg_free(skb);
			if (n <= 0)
				break;
		}
	}
	{
		struct request r;

		req_init(&r);
		req_str(&r, PXE_A_POOL_NAME, "lan");
		pxe_nl_pool_get_doit(NULL, &r.info);
	}
}

static void link_gone(unsigned int i)
{
	if (!link_alive[i])
		return;
	rtnl_lock();
	mutex_lock(&the_pn.lock);
	pxe_dhcp_link_gone(&links[i]);
	mutex_unlock(&the_pn.lock);
	rtnl_unlock();
	link_alive[i] = false;
}

static void clock_step(u16 seconds)
{
	struct delayed_work *w = &the_pn.dhcp->expiry;

	jiffies += (unsigned long)seconds * HZ;
	if (w->pending && !time_before(jiffies, w->when)) {
		w->pending = false;
		w->work.func(&w->work);
	}
}

static void setup(void)
{
	unsigned int i;

	memset(&the_pn, 0, sizeof(the_pn));
	memset(&the_stats, 0, sizeof(the_stats));
	the_pn.stats = &the_stats;
	INIT_LIST_HEAD(&the_pn.links);
	/* Near the wrap of jiffies, as the kernel starts. */
	jiffies = (unsigned long)-300 * HZ;
	for (i = 0; i < N_LINKS; i++) {
		memset(&devs[i], 0, sizeof(devs[i]));
		devs[i].ifindex = i + 1;
		snprintf(devs[i].name, sizeof(devs[i].name), "pxe%u", i);
		memset(devs[i].broadcast, 0xff, ETH_ALEN);
		devs[i].dev_addr[0] = 2;
		devs[i].dev_addr[5] = i + 1;
		devs[i].ip_ptr = &in_devs[i];
		in_devs[i].ifa_list = &ifas[i][0];
		memset(&links[i], 0, sizeof(links[i]));
		links[i].pn = &the_pn;
		links[i].dev = &devs[i];
		link_alive[i] = true;
	}
	/* pxe0: 10.0.0.1/24 and 10.0.5.1/24; pxe1: 10.1.0.1/24. */
	ifas[0][0] = (struct in_ifaddr){ &ifas[0][1], ip4(10, 0, 0, 1),
					 ip4(255, 255, 255, 0) };
	ifas[0][1] = (struct in_ifaddr){ NULL, ip4(10, 0, 5, 1),
					 ip4(255, 255, 255, 0) };
	ifas[1][0] = (struct in_ifaddr){ NULL, ip4(10, 1, 0, 1),
					 ip4(255, 255, 255, 0) };
	links[0].server = ip4(10, 0, 0, 1);
	links[1].server = ip4(10, 1, 0, 1);
	assert(!pxe_dhcp_net_init(&the_pn));
}

/* ---- messages --------------------------------------------------------- */

/* @rcv gets a copy of exactly @rx->len bytes: a read past it shows. */
static void rcv_copy(struct pxe_rx *rx, const u8 *data,
		     bool (*rcv)(const struct pxe_rx *rx))
{
	u8 *copy;

	if (!link_alive[rx->link - links])
		return;
	copy = malloc(rx->len ? rx->len : 1);
	memcpy(copy, data, rx->len);
	rx->data = copy;
	rcv(rx);
	free(copy);
}

static void deliver(unsigned int link, const u8 *data, unsigned int len,
		    __be32 saddr, __be16 dport)
{
	static const u8 src_mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 0x77 };
	struct pxe_rx rx = {
		.link = &links[link],
		.pn = &the_pn,
		.src_mac = src_mac,
		.saddr = saddr,
		.daddr = dport == htons(DHCP_PROXY_PORT) ? links[link].server :
							   htonl(INADDR_BROADCAST),
		.sport = htons(DHCP_CLIENT_PORT),
		.dport = dport,
		.data = data,
		.len = len,
	};

	rcv_copy(&rx, data, pxe_dhcp_rcv);
}

static u8 *opt(u8 *p, u8 code, const void *data, u8 len)
{
	*p++ = code;
	*p++ = len;
	memcpy(p, data, len);
	return p + len;
}

/* An address for options 50, ciaddr, giaddr: mostly ours. */
static __be32 some_addr(u8 v)
{
	switch (v >> 5) {
	case 0: return 0;
	case 1: case 2: return ip4(10, 0, 0, 8 + (v & 15));
	case 3: return ip4(10, 0, 5, 98 + (v & 7));
	case 4: return ip4(10, 9, 0, 8 + (v & 7));
	case 5: return ip4(10, 1, 0, v & 15);
	case 6: return ip4(10, 0, 0, v & 31 ? 255 : 0);
	default: return ip4(192, 168, v & 3, 1);
	}
}

static void crafted(struct input *in)
{
	u8 b[600], *p = b + 240;
	u8 type = take8(in), who = take8(in), how = take8(in);
	u8 req_ip = take8(in), ci = take8(in), extra = take8(in);
	unsigned int client = who % N_CLIENTS;
	__be32 a, giaddr = 0;
	unsigned int link = how >> 7;
	__be16 dport = htons(how & 0x40 ? DHCP_PROXY_PORT : DHCP_SERVER_PORT);

	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[1] = 1;
	b[2] = 6;
	put_unaligned_be32(0x1000 + who, b + 4);
	if (how & 1)
		put_unaligned_be16(DHCP_FLAG_BROADCAST, b + 10);
	a = some_addr(ci);
	memcpy(b + 12, &a, 4);				/* ciaddr */
	if (how & 2) {
		giaddr = how & 4 ? ip4(10, 9, 0, 1) : ip4(172, 16, 0, 1);
		memcpy(b + 24, &giaddr, 4);
	}
	client_mac(b + 28, client);
	put_unaligned_be32(DHCP_COOKIE, b + 236);
	type = type % 9 ? type % 9 : 1;
	p = opt(p, 53, &type, 1);
	if (req_ip) {
		a = some_addr(req_ip);
		p = opt(p, 50, &a, 4);
	}
	if (how & 8) {
		a = how & 16 ? links[link].server : ip4(10, 0, 0, 254);
		p = opt(p, 54, &a, 4);
	}
	if (how & 32) {
		u8 id[7] = { 0, 'c', 'l', 'i', 'e', 'n', (u8)(who >> 3) };

		p = opt(p, 61, id, extra & 1 ? 7 : 1);
	}
	if (extra & 2)
		p = opt(p, 12, "a-client-host-name-that-is-longer-than-sixty-four-bytes-so-it-is-cut-short", extra & 4 ? 70 : 6);
	if (extra & 8) {
		static const char vc[] = "PXEClient:Arch:00007:UNDI:003016";
		u8 arch[2] = { 0, (u8)(extra & 16 ? 7 : 0) };
		u8 uuid[17] = { 0 };

		/* A Raspberry Pi 4's identifier. */
		if (who & 0x80)
			memcpy(uuid + 1, "RPi4", 4);
		p = opt(p, 60, vc, sizeof(vc) - 1);
		p = opt(p, 93, arch, 2);
		p = opt(p, 97, uuid, 17);
	} else if (who & 0x40) {
		/* UEFI HTTP Boot, x64 (16) or, wrongly, 7. */
		static const char vc[] = "HTTPClient:Arch:00016:UNDI:003000";
		u8 arch[2] = { 0, (u8)(extra & 16 ? 16 : 7) };

		p = opt(p, 60, vc, sizeof(vc) - 1);
		p = opt(p, 93, arch, 2);
	}
	if (extra & 32)
		p = opt(p, 77, "iPXE", 4);
	if (extra & 64) {
		u8 ms[2] = { (u8)(extra & 128 ? 0 : 2), 64 };

		p = opt(p, 57, ms, 2);
	}
	if (extra & 128) {
		u8 prl[] = { 1, 3, 6, 15, 28, 43, 51, 54, 58, 59, 60, 66, 67 };

		p = opt(p, 55, prl, sizeof(prl));
	}
	if (giaddr && (how & 4)) {
		u8 ri[4] = { 1, 2, 'p', '1' };

		p = opt(p, 82, ri, sizeof(ri));
	}
	*p++ = 255;
	if (trace)
		fprintf(stderr, "  type %u client %u how %#x req_ip %#x ci %#x extra %#x\n",
			type, client, how, req_ip, ci, extra);
	deliver(link, b, p - b, some_addr(ci), dport);
}

/*
 * DHCPv6 to :547 of @link, from a client's link-local address and @src_mac
 * (NULL: 02:00:00:00:00:66, no client's; a relay's).
 */
static void deliver6(unsigned int link, const u8 *data, unsigned int len,
		     bool relayed, const u8 *src_mac)
{
	static const u8 relay_mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 0x66 };
	static const struct in6_addr saddr = {
		.s6_addr = { 0xfe, 0x80, [14] = 0x12, [15] = 0x34 },
	};
	static const struct in6_addr all_servers = {
		.s6_addr = { 0xff, 0x02, [13] = 1, [15] = 2 },
	};
	struct pxe_rx rx = {
		.link = &links[link],
		.pn = &the_pn,
		.src_mac = src_mac ? src_mac : relay_mac,
		.saddr6 = &saddr,
		.daddr6 = &all_servers,
		.sport = htons(relayed ? DHCP6_SERVER_PORT : DHCP6_CLIENT_PORT),
		.dport = htons(DHCP6_SERVER_PORT),
		.len = len,
	};

	rcv_copy(&rx, data, pxe_dhcp6_rcv);
}

static u8 *opt6(u8 *p, u16 code, const void *data, u16 len)
{
	put_unaligned_be16(code, p);
	put_unaligned_be16(len, p + 2);
	if (len)
		memcpy(p + 4, data, len);
	return p + 4 + len;
}

static void crafted6(struct input *in, u8 how)
{
	u8 b[400], *p = b, msg[300], *m = msg;
	u8 type = take8(in), who = take8(in), extra = take8(in);
	u8 boot = take8(in);
	unsigned int client = who % N_CLIENTS;
	u8 duid[10] = { 0, 3, 0, 1 };
	u8 uuid[18] = { 0, 4, [17] = 0 };
	u8 lladdr[2 + ETH_ALEN] = { 0, 1 };
	u8 ia[12 + 28] = { 0 };
	u8 mac[ETH_ALEN];

	type = type % 12 ? type % 12 : 1;
	put_unaligned_be32((u32)type << 24 | (0x6000 + who), m);
	m += 4;
	client_mac(mac, client);
	memcpy(duid + 4, mac, ETH_ALEN);
	/* DUID-LL of the client's MAC, or a DUID-UUID that says none. */
	uuid[17] = client;
	if (!(extra & 1) && boot & 64)
		m = opt6(m, DHCP6_OPT_CLIENT_ID, uuid, sizeof(uuid));
	else if (!(extra & 1))
		m = opt6(m, DHCP6_OPT_CLIENT_ID, duid, sizeof(duid));
	if (extra & 2) {
		/* Ours (DUID-LL of the link's MAC) or another server's. */
		u8 sid[10] = { 0, 3, 0, 1 };

		memcpy(sid + 4, links[0].dev->dev_addr, ETH_ALEN);
		if (extra & 4)
			sid[9] ^= 0x80;
		m = opt6(m, DHCP6_OPT_SERVER_ID, sid, sizeof(sid));
	}
	if (extra & 8) {
		unsigned int ia_len = 12;

		put_unaligned_be32(who >> 6, ia);
		if (extra & 16) {
			/* An IA Address in the pool, or off it. */
			put_unaligned_be16(DHCP6_OPT_IAADDR, ia + 12);
			put_unaligned_be16(24, ia + 14);
			memcpy(ia + 16, &lan6_start, 16);
			ia[16 + 15] = extra & 32 ? 0x10 + (who & 15) : 0x99;
			if (extra & 64)
				ia[16 + 3] = 2;
			ia_len += 28;
		}
		m = opt6(m, DHCP6_OPT_IA_NA, ia, ia_len);
	}
	if (extra & 128)
		m = opt6(m, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	/* What boot rules match on: 6 asking for 59, 61, 16 and 15. */
	if (boot & 1)
		m = opt6(m, DHCP6_OPT_ORO, "\0\x3b\0\x17", 4);
	if (boot & 2)
		m = opt6(m, DHCP6_OPT_CLIENT_ARCH, boot & 4 ? "\0\x10" : "\0\x07", 2);
	if (boot & 8)
		m = opt6(m, DHCP6_OPT_VENDOR_CLASS, boot & 16 ?
			 "\0\0\x01\x57\0\x0aHTTPClient" :
			 "\0\0\x01\x57\0\x09PXEClient", boot & 16 ? 16 : 15);
	if (boot & 32)
		m = opt6(m, DHCP6_OPT_USER_CLASS, "\0\x04iPXE", 6);
	if (how & 16) {
		/* A relay on the pool's /64, or elsewhere, with an Interface-ID. */
		*p++ = DHCP6_RELAY_FORW;
		*p++ = 0;
		memcpy(p, &lan6_start, 16);
		if (how & 32)
			p[1] = 0x99;
		memset(p + 16, 0, 16);
		p += 32;
		p = opt6(p, DHCP6_OPT_INTERFACE_ID, "port1", 5);
		/* The client's MAC as the relay saw it (RFC 6939). */
		memcpy(lladdr + 2, mac, ETH_ALEN);
		if (how & 64)
			p = opt6(p, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, lladdr,
				 sizeof(lladdr));
		p = opt6(p, DHCP6_OPT_RELAY_MSG, msg, m - msg);
	} else {
		memcpy(p, msg, m - msg);
		p += m - msg;
	}
	if (trace)
		fprintf(stderr, "  dhcp6 type %u client %u how %#x extra %#x boot %#x\n",
			type, client, how, extra, boot);
	deliver6(how & 1, b, p - b, how & 16, how & 16 ? NULL : mac);
}

static void raw(struct input *in)
{
	u8 how = take8(in);
	unsigned int len;
	u8 buf[1500];

	if ((how & 0x0c) == 0x0c) {
		crafted6(in, how);
		return;
	}
	len = take16(in) % 1500;
	if (len > in->left)
		len = in->left;
	memcpy(buf, in->p, len);
	in->p += len;
	in->left -= len;
	if (how & 4)
		deliver6(how & 1, buf, len, false, NULL);
	else
		deliver(how & 1, buf, len, some_addr(how),
			htons(how & 2 ? DHCP_PROXY_PORT : DHCP_SERVER_PORT));
}

/* ---- invariants ------------------------------------------------------- */

/* The leases after @l: other addresses, other clients unless declined. */
static void check_later_leases(struct pxe_pool *pool, struct pxe_lease *l)
{
	struct pxe_lease *m;

	for (m = list_next_entry(l, node); &m->node != &pool->leases;
	     m = list_next_entry(m, node)) {
		if (pool->v6)
			assert(memcmp(&m->addr6, &l->addr6, 16));
		else
			assert(m->addr != l->addr);
		assert(l->state == PXE_LEASE_DECLINED ||
		       m->state == PXE_LEASE_DECLINED ||
		       l->id_len != m->id_len ||
		       memcmp(l->id, m->id, l->id_len));
	}
}

static u32 bits_taken(struct pxe_pool *pool)
{
	u32 bits = 0, off;

	for (off = 0; off < pool->size; off++)
		bits += test_bit(off, pool->taken);
	return bits;
}

/*
 * As below, for an IPv6 pool: every lease in the /64, once; in the range
 * unless at a reservation's address.
 */
static void check_pool6(struct pxe_pool *pool)
{
	struct pxe_lease *l;
	u32 n = 0, in_range = 0;

	list_for_each_entry(l, &pool->leases, node) {
		if (trace) {
			char text[INET6_ADDRSTRLEN];

			fprintf(stderr, "  %s: %s state %u mac %02x duid type %u\n",
				pool->name, inet_ntop(AF_INET6, &l->addr6, text,
						      sizeof(text)),
				l->state, l->mac[5],
				l->id_len > PXE_IAID_LEN + 1 ? l->id[PXE_IAID_LEN + 1] : 0);
		}
		n++;
		assert(l->state <= PXE_LEASE_DECLINED);
		assert((l->state == PXE_LEASE_DECLINED) == !l->by_client.pprev);
		assert(l->by_addr.pprev && *l->by_addr.pprev == &l->by_addr);
		assert(pxe_in_prefix6(pool, &l->addr6));
		if (pxe_in_range6(pool, &l->addr6)) {
			in_range++;
			assert(test_bit(pxe_range_offset6(pool, &l->addr6),
					pool->taken));
		}
		assert(l->id_len > PXE_IAID_LEN);
		check_later_leases(pool, l);
	}
	assert(n == pool->used);
	assert(bits_taken(pool) == in_range);
}

static void check_pools(void)
{
	struct pxe_pool *pool;

	list_for_each_entry(pool, &the_pn.dhcp->pools, node) {
		struct pxe_lease *l;
		u32 n = 0, in_range = 0;

		assert(!pool->lock.held);
		if (pool->proxy)
			continue;
		if (pool->v6) {
			check_pool6(pool);
			continue;
		}
		list_for_each_entry(l, &pool->leases, node) {
			if (trace)
				fprintf(stderr, "  %s: %08x state %u id %u:%02x%02x%02x exp %ld\n",
					pool->name, ntohl(l->addr), l->state,
					l->id_len, l->id[0], l->id[1], l->id[2],
					(long)(l->expires - jiffies) / HZ);
			n++;
			assert(l->state <= PXE_LEASE_DECLINED);
			/* Declined leases are nobody's: out of the client hash. */
			assert((l->state == PXE_LEASE_DECLINED) ==
			       !l->by_client.pprev);
			assert(l->by_addr.pprev && *l->by_addr.pprev == &l->by_addr);
			assert(memchr(l->hostname, 0, sizeof(l->hostname)));
			if (pxe_in_range(pool, l->addr)) {
				in_range++;
				assert(test_bit(ntohl(l->addr) - ntohl(pool->start),
						pool->taken));
			}
			check_later_leases(pool, l);
		}
		assert(n == pool->used);
		assert(bits_taken(pool) == in_range);
	}
	assert(!the_pn.lock.held && !shim_rtnl_held);
}

/* ---- the target ------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	u8 conf = take8(&in);
	u32 lease_time = lease_times[conf & 3];
	unsigned int i, ops = 0;

	if (trace < 0)
		trace = !!getenv("FUZZ_TRACE");
	shim_alloc_fail_mask = 0;
	setup();
	for (i = 0; i < 4; i++)
		if (i == 0 || conf & (4 << i))
			pool_add(i, lease_time);
	if (conf & 4)
		boot_add(0x10, 1);		/* PXE clients: pxelinux.0 */
	if (conf & 0x40)
		pool6_add(lease_time);

	while (in.left && ops++ < 256) {
		u8 op = take8(&in), arg = take8(&in);

		if (trace)
			fprintf(stderr, "op %u: %u arg %u\n", ops, op % 12, arg);

		shim_alloc_count = 0;
		switch (op % 12) {
		case 0: case 1: case 2: case 3:
			crafted(&in);
			break;
		case 4:
			raw(&in);
			break;
		case 5:
			clock_step(arg & 0x80 ? (arg & 0x7f) * 60 : arg);
			break;
		case 6:
			if (arg & 1)
				host_add(arg >> 1, take8(&in));
			else
				host_del(arg >> 1);
			break;
		case 7:
			if (arg & 1)
				boot_add(take8(&in), arg >> 1);
			else
				boot_del(arg >> 1);
			break;
		case 8:
			if (arg & 1) {
				u8 last = take8(&in);

				lease_new(arg >> 1, last, take16(&in));
			} else if (arg & 2) {
				lease_del(arg >> 2);
			} else {
				struct request r;

				req_init(&r);
				pxe_nl_lease_flush_doit(NULL, &r.info);
			}
			break;
		case 9:
			if ((arg & 0x0f) == 0x0e)
				pool6_add(lease_time);
			else if ((arg & 0x0f) == 0x0f)
				pool_del_name("lan6");
			else if (arg & 1)
				pool_del(arg >> 1);
			else
				pool_add(arg >> 1, lease_time);
			break;
		case 10:
			if (arg == 0xff)
				link_gone(1);
			else if (arg == 0xfe)
				link_gone(0);
			else
				dump_all();
			break;
		case 11:
			/* The next operation's allocations fail as @arg says. */
			shim_alloc_fail_mask = arg | (u32)take8(&in) << 8;
			check_pools();
			continue;
		}
		shim_alloc_fail_mask = 0;
		check_pools();
	}
	shim_alloc_fail_mask = 0;
	pxe_dhcp_net_exit(&the_pn);
	pxe_dhcp_net_free(&the_pn);
	return 0;
}
