// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the ingress hook of an attached device.  Runs in softirq for every
 * packet the device receives; anything we do not own goes on untouched.
 *
 * We own, on the device itself (not its VLANs):
 *   - BOOTREQUESTs to :67 addressed to the limited broadcast, the link's
 *     server address or another local address of the device;
 *   - BOOTREQUESTs to :4011 at the link's server address (proxyDHCP);
 *   - whatever the TFTP server claims at the link's server address (:69 and
 *     live sessions);
 *   - on a link with an IPv6 pool: DHCPv6 to :547 at ff02::1:2 or an
 *     address of the device, and TFTP at an address of the device.
 * A datagram handed to dhcp.c or tftp.c has a valid IPv4 header whose
 * lengths fit the packet, is not a fragment, has a correct UDP checksum, is
 * trimmed to its IPv4 total length (no Ethernet padding) and sits in linear
 * memory.  Headers are read without touching the skb: a packet that is not
 * ours, or fails a check, goes on to the stack exactly as it came, and the
 * stack drops and counts what is broken.  docs/packet-path.md lists it all.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "dhcp6_msg.h"
#include "ndp_msg.h"
#include "pxe.h"
#include "tftp_msg.h"

#define DHCP_SERVER_PORT	67
#define PXE_PROXY_PORT		4011
#define BOOTREPLY		2

/* IPv4 header with room for the longest options (ihl 15). */
struct hook_iphdr {
	struct iphdr iph;
	u8 options[40];
};

static void count_rx(struct pxe_link *link)
{
	struct pxe_link_stats *stats = this_cpu_ptr(link->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_update_end(&stats->syncp);
}

/*
 * 802.1p: a tag with VLAN id 0 carries only a priority; as for the stack,
 * the frame is the device's own unless a VLAN device with id 0 claims it.
 */
static bool priority_tagged(const struct sk_buff *skb)
{
	return !skb_vlan_tag_get_id(skb) &&
	       skb->vlan_proto == htons(ETH_P_8021Q) &&
	       !__vlan_find_dev_deep_rcu(skb->dev, skb->vlan_proto, 0);
}

/*
 * What the stack itself would not hand to a UDP socket of this device, or
 * what belongs to another device: a VLAN's frames (the tag is still on the
 * skb while the parent's hook runs: vlan_do_receive() comes after ingress;
 * in-frame tags were already moved there by the core),
 * frames for another host, GSO/GRO super-packets (several datagrams behind
 * one header), frames without an Ethernet header or from a group address.
 */
static bool frame_may_be_ours(const struct sk_buff *skb)
{
	return (!skb_vlan_tag_present(skb) || priority_tagged(skb)) &&
	       skb->pkt_type != PACKET_OTHERHOST &&
	       !skb_is_gso(skb) &&
	       skb_mac_header_was_set(skb) &&
	       skb_mac_header_len(skb) >= ETH_HLEN &&
	       !is_multicast_ether_addr(eth_hdr(skb)->h_source);
}

/* @addr is an address of @dev: the server address may be just one of them. */
static bool dev_has_address(const struct net_device *dev, __be32 addr)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return true;
	return false;
}

/*
 * DHCP is ours only when it is a BOOTREQUEST meant for this box: DHCP
 * routed through it (a client's unicast to an upstream server) and
 * BOOTREPLYs (to a relay or client on this host) belong to the stack.
 */
static bool dhcp_for_us(const struct sk_buff *skb, const struct pxe_link *link,
			__be32 daddr, __be16 dport, unsigned int payload_off,
			unsigned int payload_len)
{
	u8 op_buf;
	const u8 *op;

	if (dport == htons(DHCP_SERVER_PORT)) {
		if (daddr != htonl(INADDR_BROADCAST) && daddr != link->server &&
		    !dev_has_address(link->dev, daddr))
			return false;
	} else if (dport != htons(PXE_PROXY_PORT) || daddr != link->server) {
		return false;
	}
	/* Too short to say: dhcp.c counts it as truncated. */
	if (!payload_len)
		return true;
	op = skb_header_pointer(skb, payload_off, 1, &op_buf);
	return op && *op != BOOTREPLY;
}

/* Sender's checksum, unless the device vouched; @skb may be paged. */
static bool udp_checksum_ok(struct sk_buff *skb, const struct iphdr *iph,
			    const struct udphdr *uh, unsigned int off,
			    unsigned int ulen)
{
	if (!uh->check || skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	return !csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
				  skb_checksum(skb, off, ulen, 0));
}

/* ---- IPv6: DHCPv6 and TFTP --------------------------------------------- */

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers (RFC 8415 7.1). */
static bool is_all_dhcp_servers(const struct in6_addr *addr)
{
	return addr->s6_addr32[0] == htonl(0xff020000) &&
	       !addr->s6_addr32[1] && !addr->s6_addr32[2] &&
	       addr->s6_addr32[3] == htonl(0x00010002);
}

/*
 * To ff02::1:2, or to an address of the device (a relay's unicast): strict,
 * or a global address of any other device would count as the device's.
 */
static bool dhcp6_dest_ours(const struct pxe_link *link,
			    const struct in6_addr *daddr)
{
	return is_all_dhcp_servers(daddr) ||
	       ipv6_chk_addr(dev_net(link->dev), daddr, link->dev, 1);
}

/*
 * TFTP over IPv6 is ours on a link with an IPv6 pool, to :69 or a port
 * of the transfer range, at an address of the device itself.
 */
static bool tftp6_for_us(const struct pxe_link *link,
			 const struct in6_addr *daddr, __be16 dport)
{
	const struct pxe_limits *limits = &link->pn->limits;
	u16 port = ntohs(dport);

	if (port != TFTP_PORT && (port < READ_ONCE(limits->tftp_port_min) ||
				  port > READ_ONCE(limits->tftp_port_max)))
		return false;
	return pxe_dhcp6_serves(link) &&
	       ipv6_chk_addr(dev_net(link->dev), daddr, link->dev, 1);
}

/*
 * The UDP destination port behind the IPv6 extension headers of @skb, 0
 * when there is none to read (not UDP, a later fragment, truncated).
 */
static __be16 udp_port_behind_ext(const struct sk_buff *skb, u8 nexthdr)
{
	struct udphdr uh_buf;
	const struct udphdr *uh;
	__be16 frag_off;
	int off;

	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
			       &frag_off);
	if (off < 0 || nexthdr != IPPROTO_UDP || (frag_off & htons(~0x7)))
		return 0;
	uh = skb_header_pointer(skb, off, sizeof(*uh), &uh_buf);
	return uh ? uh->dest : 0;
}

/*
 * Counts a DHCPv6 datagram for us that cannot be served and leaves it to
 * the stack, which drops and counts the broken ones itself, as for IPv4.
 */
static unsigned int dhcp6_refuse(struct pxe_link *link, enum pxe_stat stat)
{
	if (pxe_dhcp6_serves(link))
		pxe_stat_inc(link->pn, stat);
	return NF_ACCEPT;
}

/* The longest Router Solicitation read: its header and 31 option units. */
#define RS_MAX_LEN	256

/*
 * A Router Solicitation on a link that sends RAs: ra.c answers it.  The
 * packet is only read, never changed or kept: the stack gets it too.
 * RFC 4861 6.1.1: hop limit 255, a valid ICMPv6 checksum; a multicast
 * source is nobody's.  Longer than RS_MAX_LEN: counted, not answered.
 */
static noinline void hook_rs(struct pxe_link *link, struct sk_buff *skb,
			     const struct ipv6hdr *ip6h)
{
	u8 buf[RS_MAX_LEN];
	unsigned int plen = ntohs(ip6h->payload_len);
	const u8 *msg;
	u8 type_buf;
	const u8 *type;

	/* The type first: the address lookup is for solicitations only. */
	type = skb_header_pointer(skb, sizeof(*ip6h), 1, &type_buf);
	if (!type || *type != NDP_ROUTER_SOLICIT ||
	    ip6h->hop_limit != 255 || ipv6_addr_is_multicast(&ip6h->saddr) ||
	    !(ipv6_addr_is_ll_all_routers(&ip6h->daddr) ||
	      ipv6_chk_addr(dev_net(link->dev), &ip6h->daddr, link->dev, 1)))
		return;
	if (!plen || sizeof(*ip6h) + plen > skb->len || plen > sizeof(buf) ||
	    csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, plen, IPPROTO_ICMPV6,
			    skb_checksum(skb, sizeof(*ip6h), plen, 0))) {
		pxe_stat_inc(link->pn, PXE_STAT_RS_DROP_MALFORMED);
		return;
	}
	msg = skb_header_pointer(skb, sizeof(*ip6h), plen, buf);
	if (!msg)
		return;
	pxe_ra_rcv_rs(link, msg, plen, ipv6_addr_any(&ip6h->saddr));
}

/*
 * DHCPv6 to :547 for us, on the device itself, and TFTP (tftp6_for_us()).
 * Extension headers before UDP are not followed: no client or relay sends
 * them (RFC 8415 puts nothing in them), and every header walked is attack
 * surface; such a DHCPv6 datagram is counted and left to the stack.  Every
 * length is checked against the bytes present before the datagram is
 * pulled linear.  A broken TFTP datagram goes to the stack uncounted, as
 * on the IPv4 path.
 */
static unsigned int hook_ipv6(struct pxe_link *link, struct sk_buff *skb)
{
	struct ipv6hdr ip6h_buf;
	struct udphdr uh_buf;
	const struct ipv6hdr *ip6h;
	const struct udphdr *uh;
	unsigned int plen, ulen;
	struct pxe_rx rx;
	bool dhcp, ours;

	ip6h = skb_header_pointer(skb, 0, sizeof(*ip6h), &ip6h_buf);
	if (!ip6h || ip6h->version != 6)
		return NF_ACCEPT;
	if (ip6h->nexthdr == IPPROTO_ICMPV6) {
		if (link->ra)
			hook_rs(link, skb, ip6h);
		return NF_ACCEPT;
	}
	if (ip6h->nexthdr != IPPROTO_UDP) {
		if (ipv6_ext_hdr(ip6h->nexthdr) &&
		    dhcp6_dest_ours(link, &ip6h->daddr) &&
		    udp_port_behind_ext(skb, ip6h->nexthdr) ==
		    htons(DHCP6_SERVER_PORT))
			return dhcp6_refuse(link, PXE_STAT_DHCP6_DROP_EXT_HEADER);
		return NF_ACCEPT;
	}
	uh = skb_header_pointer(skb, sizeof(*ip6h), sizeof(*uh), &uh_buf);
	if (!uh)
		return NF_ACCEPT;
	dhcp = uh->dest == htons(DHCP6_SERVER_PORT);
	if (dhcp ? !dhcp6_dest_ours(link, &ip6h->daddr) :
		   !tftp6_for_us(link, &ip6h->daddr, uh->dest))
		return NF_ACCEPT;
	/*
	 * A reply goes back to the source: a multicast one the stack drops
	 * (RFC 4291 2.7), :: is no client's or relay's, ::1 only the host's
	 * own (RFC 4291 2.5.3), and a v4-mapped one (2.5.5.2) no IPv6 node's,
	 * which tftp.c would take for an IPv4 client.  All are the stack's.
	 */
	if (ipv6_addr_is_multicast(&ip6h->saddr) ||
	    ipv6_addr_any(&ip6h->saddr) ||
	    ipv6_addr_loopback(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->saddr))
		return NF_ACCEPT;

	/* Payload length 0 is a jumbogram's: it has a hop-by-hop header. */
	plen = ntohs(ip6h->payload_len);
	ulen = ntohs(uh->len);
	if (plen < sizeof(*uh) || sizeof(*ip6h) + plen > skb->len ||
	    ulen < sizeof(*uh) || ulen > plen)
		return dhcp ? dhcp6_refuse(link, PXE_STAT_DHCP6_DROP_BAD_LENGTH) :
			      NF_ACCEPT;
	/*
	 * RFC 8200 8.1: a zero UDP checksum is invalid over IPv6, even when
	 * the device vouched for the datagram (udp6 refuses it all the same).
	 */
	if (!uh->check ||
	    (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	     skb->ip_summed != CHECKSUM_PARTIAL &&
	     csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen, IPPROTO_UDP,
			     skb_checksum(skb, sizeof(*ip6h), ulen, 0))))
		return dhcp ? dhcp6_refuse(link, PXE_STAT_DHCP6_DROP_BAD_CHECKSUM) :
			      NF_ACCEPT;
	if (!pxe_dhcp6_serves(link))
		return NF_ACCEPT;

	/*
	 * Ours and intact: trimmed to the IPv6 payload (Ethernet padding
	 * off) and pulled linear.  Not to the UDP length: a datagram the
	 * server then leaves to the stack must still be whole to ip6_rcv(),
	 * which drops one shorter than its payload length as truncated.
	 */
	if (pskb_trim_rcsum(skb, sizeof(*ip6h) + plen) || skb_linearize(skb))
		return NF_ACCEPT;
	ip6h = (const struct ipv6hdr *)skb->data;
	uh = (const struct udphdr *)(skb->data + sizeof(*ip6h));

	rx = (struct pxe_rx) {
		.link = link,
		.pn = link->pn,
		.skb = skb,
		.src_mac = eth_hdr(skb)->h_source,
		.saddr6 = &ip6h->saddr,
		.daddr6 = &ip6h->daddr,
		.sport = uh->source,
		.dport = uh->dest,
		.data = (const u8 *)(uh + 1),
		.len = ulen - sizeof(*uh),
	};
	ours = dhcp ? pxe_dhcp6_rcv(&rx) : pxe_tftp_rcv(&rx);
	if (!ours)
		return NF_ACCEPT;
	consume_skb(skb);
	return NF_STOLEN;
}

/* ---- IPv4: DHCP and TFTP ---------------------------------------------- */

static unsigned int hook_ipv4(struct pxe_link *link, struct sk_buff *skb)
{
	struct hook_iphdr iph_buf;
	struct udphdr uh_buf;
	const struct iphdr *iph;
	const struct udphdr *uh;
	unsigned int ihl, tot_len, ulen;
	struct pxe_rx rx;
	bool dhcp, ours;

	iph = skb_header_pointer(skb, 0, sizeof(*iph), &iph_buf.iph);
	if (!iph || iph->version != 4 || iph->ihl < 5 ||
	    iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	ihl = iph->ihl * 4;
	tot_len = ntohs(iph->tot_len);
	if (tot_len < ihl + sizeof(*uh) || tot_len > skb->len)
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, ihl, sizeof(*uh), &uh_buf);
	if (!uh)
		return NF_ACCEPT;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > tot_len - ihl)
		return NF_ACCEPT;

	dhcp = uh->dest == htons(DHCP_SERVER_PORT) ||
	       uh->dest == htons(PXE_PROXY_PORT);
	if (dhcp) {
		if (!dhcp_for_us(skb, link, iph->daddr, uh->dest,
				 ihl + sizeof(*uh), ulen - sizeof(*uh)))
			return NF_ACCEPT;
	} else if (iph->daddr != link->server) {
		return NF_ACCEPT;
	}

	iph = skb_header_pointer(skb, 0, ihl, &iph_buf);
	if (!iph || ip_fast_csum(iph, iph->ihl))
		return NF_ACCEPT;
	if (!udp_checksum_ok(skb, iph, uh, ihl, ulen))
		return NF_ACCEPT;

	/*
	 * Addressed to us and intact: from here on the skb is changed, as
	 * ip_rcv() would change it -- Ethernet padding trimmed, the datagram
	 * pulled into linear memory for the parsers.
	 */
	if (pskb_trim_rcsum(skb, tot_len) || skb_linearize(skb))
		return NF_ACCEPT;
	iph = (const struct iphdr *)skb->data;
	uh = (const struct udphdr *)(skb->data + ihl);

	rx = (struct pxe_rx) {
		.link = link,
		.pn = link->pn,
		.skb = skb,
		.src_mac = eth_hdr(skb)->h_source,
		.saddr = iph->saddr,
		.daddr = iph->daddr,
		.sport = uh->source,
		.dport = uh->dest,
		.data = (const u8 *)(uh + 1),
		.len = ulen - sizeof(*uh),
	};
	ours = dhcp ? pxe_dhcp_rcv(&rx) : pxe_tftp_rcv(&rx);
	if (!ours)
		return NF_ACCEPT;
	consume_skb(skb);
	return NF_STOLEN;
}

unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct pxe_link *link = priv;

	count_rx(link);

	if (!frame_may_be_ours(skb))
		return NF_ACCEPT;
	if (skb->protocol == htons(ETH_P_IP))
		return hook_ipv4(link, skb);
	if (skb->protocol == htons(ETH_P_IPV6))
		return hook_ipv6(link, skb);
	return NF_ACCEPT;
}
