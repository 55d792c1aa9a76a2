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
 *     live sessions).
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
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "pxe.h"

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
	return skb->protocol == htons(ETH_P_IP) &&
	       (!skb_vlan_tag_present(skb) || priority_tagged(skb)) &&
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

unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct pxe_link *link = priv;
	struct hook_iphdr iph_buf;
	struct udphdr uh_buf;
	const struct iphdr *iph;
	const struct udphdr *uh;
	unsigned int ihl, tot_len, ulen;
	struct pxe_rx rx;
	bool dhcp, ours;

	count_rx(link);

	if (!frame_may_be_ours(skb))
		return NF_ACCEPT;
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
