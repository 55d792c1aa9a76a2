// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the ingress hook of an attached device.  Runs in softirq for every
 * packet the device receives; anything we do not own goes on untouched.
 *
 * We own UDP to :67 (DHCP), to :4011 at the link's address (proxyDHCP), and
 * whatever the TFTP server claims at the link's address (:69 and live
 * sessions).  A datagram handed to dhcp.c or tftp.c has a valid IPv4 header,
 * is not a fragment, has a correct UDP checksum and sits in linear memory.
 * Packets that fail those checks go on to the stack, which counts them.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "pxe.h"

#define DHCP_SERVER_PORT	67
#define PXE_PROXY_PORT		4011

static void count_rx(struct pxe_link *link)
{
	struct pxe_link_stats *stats = this_cpu_ptr(link->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_update_end(&stats->syncp);
}

/* Sender's checksum over the linear datagram, unless the device vouched. */
static bool udp_checksum_ok(const struct sk_buff *skb, const struct iphdr *iph,
			    const struct udphdr *uh, unsigned int ulen)
{
	if (!uh->check || skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	return !csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
				  csum_partial(uh, ulen, 0));
}

unsigned int pxe_hook_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct pxe_link *link = priv;
	const struct iphdr *iph;
	const struct udphdr *uh;
	unsigned int ihl, ulen;
	struct pxe_rx rx;
	bool dhcp, ours;

	count_rx(link);

	if (skb->protocol != htons(ETH_P_IP) ||
	    skb->pkt_type == PACKET_OTHERHOST ||
	    !pskb_may_pull(skb, sizeof(*iph)))
		return NF_ACCEPT;
	iph = (const struct iphdr *)skb->data;
	if (iph->version != 4 || iph->ihl < 5 ||
	    iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	ihl = iph->ihl * 4;
	if (!pskb_may_pull(skb, ihl + sizeof(*uh)))
		return NF_ACCEPT;
	iph = (const struct iphdr *)skb->data;
	uh = (const struct udphdr *)(skb->data + ihl);

	dhcp = uh->dest == htons(DHCP_SERVER_PORT) ||
	       (uh->dest == htons(PXE_PROXY_PORT) && iph->daddr == link->server);
	if (!dhcp && iph->daddr != link->server)
		return NF_ACCEPT;

	ulen = ntohs(uh->len);
	if (ntohs(iph->tot_len) > skb->len || ulen < sizeof(*uh) ||
	    ulen > ntohs(iph->tot_len) - ihl || ip_fast_csum(iph, iph->ihl))
		return NF_ACCEPT;
	if (skb_linearize(skb))
		return NF_ACCEPT;
	iph = (const struct iphdr *)skb->data;
	uh = (const struct udphdr *)(skb->data + ihl);
	if (!udp_checksum_ok(skb, iph, uh, ulen))
		return NF_ACCEPT;

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
