// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: replies.  Each is one skb, Ethernet + IPv4 + UDP built here, handed
 * to the attached device with dev_queue_xmit(): no socket, no route lookup,
 * no neighbour resolution -- the request told us where it came from.
 *
 * TFTP data is attached as fragments of the image's pages: the bytes are
 * never copied, the pages are referenced for as long as the skb lives.  The
 * UDP checksum is left to the device when it can compute it.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "pxe.h"

#define PXE_TX_HEADERS	(sizeof(struct iphdr) + sizeof(struct udphdr))
/* Headroom: room for the larger of the two network headers. */
#define PXE_TX_HEADROOM	(sizeof(struct ipv6hdr) + sizeof(struct udphdr))
#define PXE_TX_TTL	64
/* Replies to a relay may cross routers: the stack's usual default. */
#define PXE_TX_HOP_LIMIT	64

/*
 * The largest UDP payload of one unfragmented reply.  IPv4 needs an MTU of
 * at least 68 (RFC 791; below it the kernel removes the device's IPv4
 * addresses), so a smaller MTU counts as 68: the result is never below 40
 * and callers may subtract their own headers from it.  A DHCP reply (at
 * least 300 bytes) does not fit a device whose MTU is below 328; it is not
 * sent and counts in tx_errors.
 */
unsigned int pxe_tx_max_payload(const struct pxe_link *link)
{
	unsigned int mtu = READ_ONCE(link->dev->mtu);

	return max_t(unsigned int, mtu, IPV4_MIN_MTU) - PXE_TX_HEADERS;
}

/* The same for IPv6, whose devices have an MTU of at least 1280. */
unsigned int pxe_tx_max_payload6(const struct pxe_link *link)
{
	unsigned int mtu = READ_ONCE(link->dev->mtu);

	return max_t(unsigned int, mtu, IPV6_MIN_MTU) - PXE_TX_HEADROOM;
}

struct sk_buff *pxe_tx_alloc(const struct pxe_tx *tx, unsigned int len,
			     u8 **payload)
{
	struct net_device *dev = tx->link->dev;
	unsigned int headroom = LL_RESERVED_SPACE(dev) + PXE_TX_HEADROOM;
	struct sk_buff *skb;

	skb = alloc_skb(headroom + len + dev->needed_tailroom, GFP_ATOMIC);
	if (!skb) {
		pxe_stat_inc(tx->link->pn, PXE_STAT_TX_ERRORS);
		return NULL;
	}
	skb_reserve(skb, headroom);
	*payload = skb_put(skb, len);
	return skb;
}

void pxe_tx_free(struct sk_buff *skb)
{
	kfree_skb(skb);
}

/* The pseudo-header sum of @tx's addresses, folded, over @csum. */
static __sum16 tx_pseudo_csum(const struct pxe_tx *tx, unsigned int ulen,
			      __wsum csum)
{
	if (tx->v6)
		return csum_ipv6_magic(&tx->saddr6, &tx->daddr6, ulen,
				       IPPROTO_UDP, csum);
	return csum_tcpudp_magic(tx->saddr, tx->daddr, ulen, IPPROTO_UDP,
				 csum);
}

static void tx_checksum(const struct pxe_tx *tx, struct sk_buff *skb,
			struct udphdr *uh, unsigned int ulen)
{
	netdev_features_t features = tx->link->dev->features;
	netdev_features_t offload = tx->v6 ? NETIF_F_IPV6_CSUM :
					     NETIF_F_IP_CSUM;
	__wsum csum;

	if (features & (NETIF_F_HW_CSUM | offload)) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct udphdr, check);
		uh->check = ~tx_pseudo_csum(tx, ulen, 0);
		return;
	}
	skb->ip_summed = CHECKSUM_NONE;
	csum = skb_checksum(skb, skb_transport_offset(skb), ulen, 0);
	uh->check = tx_pseudo_csum(tx, ulen, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

static void push_ipv4(const struct pxe_tx *tx, struct sk_buff *skb)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = PXE_TX_TTL;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = tx->saddr;
	iph->daddr = tx->daddr;
	ip_send_check(iph);
}

static void push_ipv6(const struct pxe_tx *tx, struct sk_buff *skb,
		      u8 nexthdr, u8 hop_limit)
{
	unsigned int payload_len = skb->len;
	struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(payload_len);
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = hop_limit;
	ip6h->saddr = tx->saddr6;
	ip6h->daddr = tx->daddr6;
}

/* Ethernet header on, out of the device; counts a failure. */
static int tx_frame(const struct pxe_tx *tx, struct sk_buff *skb)
{
	struct net_device *dev = tx->link->dev;
	__be16 proto = htons(tx->v6 ? ETH_P_IPV6 : ETH_P_IP);
	struct ethhdr *eth;
	int err;

	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, tx->dst_mac);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = proto;
	skb->protocol = proto;
	skb->dev = dev;

	/* net_xmit_eval() evaluates its argument twice: never pass a call. */
	err = dev_queue_xmit(skb);
	err = net_xmit_eval(err);
	if (err)
		pxe_stat_inc(tx->link->pn, PXE_STAT_TX_ERRORS);
	return err;
}

int pxe_tx_send(const struct pxe_tx *tx, struct sk_buff *skb)
{
	unsigned int ulen = skb->len + sizeof(struct udphdr);
	struct udphdr *uh;

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = tx->sport;
	uh->dest = tx->dport;
	uh->len = htons(ulen);
	uh->check = 0;

	if (tx->v6)
		push_ipv6(tx, skb, IPPROTO_UDP, PXE_TX_HOP_LIMIT);
	else
		push_ipv4(tx, skb);

	tx_checksum(tx, skb, uh, ulen);
	return tx_frame(tx, skb);
}

/* Neighbor Discovery: hop limit 255, or receivers drop it (RFC 4861 6.1). */
#define PXE_TX_ND_HOP_LIMIT	255

int pxe_tx_icmp6(const struct pxe_tx *tx, const void *msg, unsigned int len)
{
	struct sk_buff *skb;
	__sum16 *check;
	u8 *payload;

	if (WARN_ON_ONCE(!tx->v6 || len < 4))
		return -EINVAL;
	skb = pxe_tx_alloc(tx, len, &payload);
	if (!skb)
		return -ENOMEM;
	memcpy(payload, msg, len);
	skb_reset_transport_header(skb);
	check = (__sum16 *)(payload + 2);
	*check = 0;
	*check = csum_ipv6_magic(&tx->saddr6, &tx->daddr6, len, IPPROTO_ICMPV6,
				 csum_partial(payload, len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	push_ipv6(tx, skb, IPPROTO_ICMPV6, PXE_TX_ND_HOP_LIMIT);
	return tx_frame(tx, skb);
}

int pxe_tx_udp(const struct pxe_tx *tx, const void *data, unsigned int len)
{
	struct sk_buff *skb;
	u8 *payload;

	skb = pxe_tx_alloc(tx, len, &payload);
	if (!skb)
		return -ENOMEM;
	memcpy(payload, data, len);
	return pxe_tx_send(tx, skb);
}

int pxe_tx_pages(const struct pxe_tx *tx, const void *hdr,
		 unsigned int hdr_len, struct page **pages, u64 offset,
		 unsigned int len)
{
	struct sk_buff *skb;
	u8 *payload;
	int i = 0;

	skb = pxe_tx_alloc(tx, hdr_len, &payload);
	if (!skb)
		return -ENOMEM;
	memcpy(payload, hdr, hdr_len);

	while (len) {
		struct page *page = pages[offset >> PAGE_SHIFT];
		unsigned int off = offset & ~PAGE_MASK;
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);

		if (i == MAX_SKB_FRAGS) {
			pxe_stat_inc(tx->link->pn, PXE_STAT_TX_ERRORS);
			kfree_skb(skb);
			return -EMSGSIZE;
		}
		get_page(page);
		skb_fill_page_desc(skb, i++, page, off, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += n;
		offset += n;
		len -= n;
	}
	/*
	 * The image's pages are shared with every other transfer: whoever
	 * would write into the frags (a checksum helper, a tap) must copy.
	 */
	if (i)
		skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
	return pxe_tx_send(tx, skb);
}
