// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the DHCP server -- DISCOVER, REQUEST (SELECTING, INIT-REBOOT,
 * RENEWING, REBINDING), DECLINE, RELEASE and INFORM (RFC 2131), relayed
 * requests, and proxyDHCP for PXE clients (on :67 and :4011) and UEFI
 * HTTP Boot clients (on :67).
 *
 * Everything here runs in softirq from the ingress hook: configuration is
 * read under RCU, leases change under their pool's spinlock (lease.c), the
 * reply is built straight into the skb that carries it.
 */
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "dhcp.h"

struct dhcp_ctx {
	const struct pxe_rx *rx;
	struct pxe_net *pn;
	struct pxe_dhcp_net *dn;
	struct dhcp_request req;
	struct pxe_client_id cid;
	const struct pxe_boot_rule *rule;
	char tftp_server[16];		/* dotted quad for option 66 */
};

static const u8 drop_stat[] = {
	[DHCP_ERR_TRUNCATED]	= PXE_STAT_DHCP_DROP_TRUNCATED,
	[DHCP_ERR_BAD_OP]	= PXE_STAT_DHCP_DROP_BAD_OP,
	[DHCP_ERR_BAD_HTYPE]	= PXE_STAT_DHCP_DROP_BAD_HTYPE,
	[DHCP_ERR_BAD_HLEN]	= PXE_STAT_DHCP_DROP_BAD_HLEN,
	[DHCP_ERR_BAD_COOKIE]	= PXE_STAT_DHCP_DROP_BAD_COOKIE,
	[DHCP_ERR_BAD_OPTION]	= PXE_STAT_DHCP_DROP_BAD_OPTION,
	[DHCP_ERR_BAD_OVERLOAD]	= PXE_STAT_DHCP_DROP_BAD_OVERLOAD,
	[DHCP_ERR_NO_TYPE]	= PXE_STAT_DHCP_DROP_NO_TYPE,
};

static const u8 rx_stat[] = {
	[DHCP_DISCOVER]	= PXE_STAT_DHCP_RX_DISCOVER,
	[DHCP_REQUEST]	= PXE_STAT_DHCP_RX_REQUEST,
	[DHCP_DECLINE]	= PXE_STAT_DHCP_RX_DECLINE,
	[DHCP_RELEASE]	= PXE_STAT_DHCP_RX_RELEASE,
	[DHCP_INFORM]	= PXE_STAT_DHCP_RX_INFORM,
};

static void count_rx(struct dhcp_ctx *ctx)
{
	u8 type = ctx->req.type;
	u8 stat = type < ARRAY_SIZE(rx_stat) ? rx_stat[type] : 0;

	pxe_stat_inc(ctx->pn, stat ? stat : PXE_STAT_DHCP_RX_OTHER);
}

/* ---- which pool ------------------------------------------------------- */

/*
 * A client on the wire of @link is on the subnet of a pool there only when
 * the pool's subnet holds the server address or another address of the
 * device: a pool for relayed clients (another subnet) on the same link must
 * not hand its addresses to clients that cannot reach that subnet.
 */
static bool pool_on_segment(const struct pxe_pool *pool,
			    const struct pxe_link *link)
{
	const struct in_device *in_dev;
	const struct in_ifaddr *ifa;

	if (pxe_in_subnet(pool, link->server))
		return true;
	in_dev = __in_dev_get_rcu(link->dev);
	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (pxe_in_subnet(pool, ifa->ifa_local))
			return true;
	return false;
}

/* Relayed: a pool of any link whose subnet holds giaddr; else our link's. */
static bool pool_serves(const struct pxe_pool *pool, const struct dhcp_ctx *ctx)
{
	if (pool->proxy || pool->v6)
		return false;
	if (ctx->req.giaddr)
		return pxe_in_subnet(pool, ctx->req.giaddr);
	return pool->link == ctx->rx->link &&
	       pool_on_segment(pool, ctx->rx->link);
}

static struct pxe_pool *link_pool(struct pxe_dhcp_net *dn,
				  const struct pxe_link *link, bool proxy)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &dn->pools, node)
		if (pool->link == link && pool->proxy == proxy && !pool->v6)
			return pool;
	return NULL;
}

static struct pxe_pool *any_serving_pool(struct dhcp_ctx *ctx)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
		if (pool_serves(pool, ctx))
			return pool;
	return NULL;
}

/* The serving pool whose range, else whose subnet, holds @addr. */
static struct pxe_pool *pool_of_addr(struct dhcp_ctx *ctx, __be32 addr)
{
	struct pxe_pool *pool, *subnet = NULL;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node) {
		if (!pool_serves(pool, ctx))
			continue;
		if (pxe_in_range(pool, addr))
			return pool;
		if (!subnet && pxe_in_subnet(pool, addr))
			subnet = pool;
	}
	return subnet;
}

/* ---- replies ---------------------------------------------------------- */

static void reply_init(struct dhcp_ctx *ctx, struct dhcp_reply *r, u8 type)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->server_id = ctx->rx->link->server;
}

static void reply_pool_options(struct dhcp_reply *r,
			       const struct pxe_pool *pool)
{
	r->netmask = pool->netmask;
	r->router = pool->router;
	r->broadcast = (pool->start & pool->netmask) | ~pool->netmask;
	memcpy(r->dns, pool->dns, sizeof(r->dns));
	r->n_dns = pool->n_dns;
	r->domain = pool->domain;
}

static void reply_boot(struct dhcp_ctx *ctx, struct dhcp_reply *r,
		       const struct pxe_pool *pool)
{
	const struct pxe_boot_rule *rule;
	struct pxe_boot_query q;

	r->pxe = dhcp_is_pxe_client(&ctx->req);
	pxe_boot_query4(&q, &ctx->req);
	rule = pxe_boot_match(ctx->dn, &q, pool);
	ctx->rule = rule;
	if (!rule)
		return;
	r->boot_file = rule->file;
	/*
	 * A Pi boots only from an offer with its 43, an HTTP Boot client
	 * only from one with 60 "HTTPClient" and a URL: a rule for it says
	 * so.  Without a rule, the HTTP client's offer is a plain one, which
	 * EDK2 can still pair with another server's proxy offer.
	 */
	r->rpi = ctx->req.rpi;
	r->http = dhcp_is_http_client(&ctx->req);
	r->next_server = rule->server ? rule->server : ctx->rx->link->server;
	snprintf(ctx->tftp_server, sizeof(ctx->tftp_server), "%pI4",
		 &r->next_server);
	r->tftp_server = ctx->tftp_server;
}

/* RFC 2131 4.1: where a reply goes. */
static void reply_address(const struct dhcp_ctx *ctx,
			  const struct dhcp_reply *r, struct pxe_tx *tx)
{
	const struct dhcp_request *req = &ctx->req;

	tx->dport = htons(DHCP_CLIENT_PORT);
	if (req->giaddr) {
		tx->daddr = req->giaddr;
		tx->dport = htons(DHCP_SERVER_PORT);
		tx->dst_mac = ctx->rx->src_mac;
	} else if (r->type == DHCP_NAK) {
		goto broadcast;
	} else if (req->ciaddr) {
		tx->daddr = req->ciaddr;
		tx->dst_mac = ctx->rx->src_mac;
	} else if ((ntohs(req->flags) & DHCP_FLAG_BROADCAST) || !r->yiaddr) {
		goto broadcast;
	} else {
		tx->daddr = r->yiaddr;
		tx->dst_mac = req->chaddr;
	}
	return;
broadcast:
	tx->daddr = htonl(INADDR_BROADCAST);
	tx->dst_mac = ctx->rx->link->dev->broadcast;
}

static void reply_count(struct pxe_net *pn, u8 type)
{
	if (type == DHCP_OFFER)
		pxe_stat_inc(pn, PXE_STAT_DHCP_TX_OFFER);
	else if (type == DHCP_ACK)
		pxe_stat_inc(pn, PXE_STAT_DHCP_TX_ACK);
	else
		pxe_stat_inc(pn, PXE_STAT_DHCP_TX_NAK);
}

/* Builds the reply in the skb that carries it; @tx: addressed, or NULL. */
static void reply_send(struct dhcp_ctx *ctx, const struct dhcp_reply *r,
		       struct pxe_tx *tx)
{
	struct pxe_link *link = ctx->rx->link;
	struct pxe_tx bcp = { };
	unsigned int size;
	struct sk_buff *skb;
	u8 *buf;
	int len;

	if (!tx) {
		tx = &bcp;
		reply_address(ctx, r, tx);
		tx->sport = htons(DHCP_SERVER_PORT);
	}
	tx->link = link;
	tx->saddr = link->server;

	size = max_t(unsigned int, ctx->req.max_size, DHCP_DEFAULT_MAX) - 28;
	size = min(size, pxe_tx_max_payload(link));
	skb = pxe_tx_alloc(tx, size, &buf);
	if (!skb)
		return;
	len = dhcp_build_reply(&ctx->req, r, buf, size);
	if (len < 0) {
		pxe_tx_free(skb);
		pxe_stat_inc(ctx->pn, PXE_STAT_TX_ERRORS);
		return;
	}
	skb_trim(skb, len);
	if (!pxe_tx_send(tx, skb))
		reply_count(ctx->pn, r->type);
}

static void notify(struct dhcp_ctx *ctx, u8 event, __be32 addr,
		   const struct pxe_pool *pool, u32 expires,
		   const char *hostname)
{
	pxe_lease_notify(ctx->pn, event, ctx->req.chaddr, addr,
			 pool ? pool->name : NULL, expires, hostname,
			 ctx->rule ? ctx->rule->file : NULL);
}

/* An OFFER or ACK carrying a lease from @pool. */
static void send_lease(struct dhcp_ctx *ctx, u8 type, struct pxe_pool *pool,
		       const struct pxe_lease_info *info)
{
	struct dhcp_reply r;

	reply_init(ctx, &r, type);
	r.yiaddr = info->addr;
	r.lease_time = pool->lease_time;
	r.hostname = info->hostname;
	reply_pool_options(&r, pool);
	reply_boot(ctx, &r, pool);
	reply_send(ctx, &r, NULL);
	notify(ctx, type == DHCP_OFFER ? PXE_LEASE_EV_OFFER : PXE_LEASE_EV_ACK,
	       info->addr, pool, info->expires, info->hostname);
}

static void send_nak(struct dhcp_ctx *ctx, struct pxe_pool *pool,
		     __be32 addr, const char *why)
{
	struct dhcp_reply r;

	reply_init(ctx, &r, DHCP_NAK);
	r.message = why;
	reply_send(ctx, &r, NULL);
	notify(ctx, PXE_LEASE_EV_NAK, addr, pool, 0, NULL);
}

/* ---- the messages ----------------------------------------------------- */

static int try_offer(struct dhcp_ctx *ctx, struct pxe_pool *pool)
{
	struct pxe_lease_info info;
	int err;

	err = pxe_lease_offer(ctx->dn, pool, &ctx->cid, ctx->req.chaddr,
			      ctx->req.requested_ip, ctx->rx->link->server,
			      &info);
	if (!err)
		send_lease(ctx, DHCP_OFFER, pool, &info);
	return err;
}

/*
 * The pool of the client's current lease, else of its reservation, else
 * the first serving pool with a free address.
 */
static void handle_discover(struct dhcp_ctx *ctx)
{
	const struct pxe_host *host;
	struct pxe_pool *pool;
	int err = -ENOENT;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
		if (pool_serves(pool, ctx) &&
		    pxe_lease_client_has(pool, &ctx->cid))
			goto offer;
	host = pxe_host4_by_mac(ctx->dn, ctx->req.chaddr);
	if (host) {
		list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
			if (pool_serves(pool, ctx) &&
			    pxe_in_subnet(pool, host->addr))
				goto offer;
	}
	list_for_each_entry_rcu(pool, &ctx->dn->pools, node) {
		if (!pool_serves(pool, ctx))
			continue;
		err = try_offer(ctx, pool);
		if (err != -ENOSPC)
			break;
	}
	goto count;
offer:
	err = try_offer(ctx, pool);
count:
	if (err == -ENOENT)
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NO_POOL);
	else if (err == -ENOSPC)
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_EXHAUSTED);
	else if (err == -ENOMEM)
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NOMEM);
}

/* SELECTING, for another server: its offer is no longer wanted. */
static void request_not_ours(struct dhcp_ctx *ctx)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
		if (pool_serves(pool, ctx))
			pxe_lease_drop(pool, &ctx->cid, 0, PXE_LEASE_OFFERED,
				       false);
	pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NOT_OURS);
}

static void handle_request(struct dhcp_ctx *ctx)
{
	const struct dhcp_request *req = &ctx->req;
	bool selecting = req->server_id, init_reboot = false;
	struct pxe_lease_info info;
	struct pxe_pool *pool;
	__be32 addr;

	if (selecting && req->server_id != ctx->rx->link->server) {
		request_not_ours(ctx);
		return;
	}
	addr = req->ciaddr;
	if (!addr) {
		addr = req->requested_ip;
		init_reboot = !selecting;
	}
	if (!addr)
		return;

	pool = pool_of_addr(ctx, addr);
	if (!pool) {
		/* A renewing client of another server is not our business. */
		if (selecting || init_reboot)
			send_nak(ctx, NULL, addr, "address not on this network");
		return;
	}
	switch (pxe_lease_bind(ctx->dn, pool, &ctx->cid, req->chaddr, addr,
			       ctx->rx->link->server, !selecting, &req->hostname,
			       &info)) {
	case PXE_BIND_ACK:
		send_lease(ctx, DHCP_ACK, pool, &info);
		break;
	case PXE_BIND_NAK:
		send_nak(ctx, pool, addr, "address not available");
		break;
	case PXE_BIND_SILENT:
		/* RFC 2131 4.3.2: no record of an INIT-REBOOT client, silence. */
		if (!selecting && !init_reboot)
			send_nak(ctx, pool, addr, "no lease for this address");
		break;
	case PXE_BIND_NOMEM:
		/* No answer: the client asks again, as after a lost reply. */
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NOMEM);
		break;
	}
}

static void handle_decline(struct dhcp_ctx *ctx)
{
	const struct dhcp_request *req = &ctx->req;
	struct pxe_pool *pool;

	if (req->server_id && req->server_id != ctx->rx->link->server)
		return;
	pool = pool_of_addr(ctx, req->requested_ip);
	if (pool && req->requested_ip &&
	    pxe_lease_drop(pool, &ctx->cid, req->requested_ip, U8_MAX, true)) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DECLINED);
		notify(ctx, PXE_LEASE_EV_DECLINE, req->requested_ip, pool,
		       PXE_DECLINE_HOLD / HZ, NULL);
	}
}

static void handle_release(struct dhcp_ctx *ctx)
{
	const struct dhcp_request *req = &ctx->req;
	struct pxe_pool *pool;

	if (req->server_id && req->server_id != ctx->rx->link->server)
		return;
	pool = pool_of_addr(ctx, req->ciaddr);
	if (pool && req->ciaddr &&
	    pxe_lease_drop(pool, &ctx->cid, req->ciaddr, U8_MAX, false))
		notify(ctx, PXE_LEASE_EV_RELEASE, req->ciaddr, pool, 0, NULL);
}

/* Options for a client that has its address already: no lease. */
static void handle_inform(struct dhcp_ctx *ctx)
{
	const struct dhcp_request *req = &ctx->req;
	struct pxe_pool *pool;
	struct dhcp_reply r;

	pool = pool_of_addr(ctx, req->ciaddr ? req->ciaddr : ctx->rx->saddr);
	if (!pool)
		pool = any_serving_pool(ctx);
	if (!pool) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NO_POOL);
		return;
	}
	reply_init(ctx, &r, DHCP_ACK);
	r.ciaddr = req->ciaddr;
	reply_pool_options(&r, pool);
	reply_boot(ctx, &r, pool);
	reply_send(ctx, &r, NULL);
	notify(ctx, PXE_LEASE_EV_INFORM, req->ciaddr, pool, 0, NULL);
}

/* ---- proxyDHCP -------------------------------------------------------- */

/*
 * Boot information only, for a PXE or HTTP Boot client another server
 * gives addresses: reply_boot() makes it PXE's (60 "PXEClient", 43) or
 * HTTP's (60 "HTTPClient", the URL).
 */
static void proxy_answer(struct dhcp_ctx *ctx, struct pxe_pool *pool, u8 type,
			 struct pxe_tx *tx)
{
	struct dhcp_reply r;

	reply_init(ctx, &r, type);
	r.ciaddr = ctx->req.ciaddr;
	reply_boot(ctx, &r, pool);
	if (!ctx->rule)
		return;
	reply_send(ctx, &r, tx);
	notify(ctx, type == DHCP_OFFER ? PXE_LEASE_EV_OFFER : PXE_LEASE_EV_ACK,
	       0, pool, 0, NULL);
}

/* :4011 at our address: a PXE client's REQUEST, answered where it came from. */
static bool proxy_rcv_4011(struct dhcp_ctx *ctx, struct pxe_pool *pool)
{
	const struct pxe_rx *rx = ctx->rx;
	struct pxe_tx tx = {
		.dst_mac = rx->src_mac,
		.daddr = rx->saddr,
		.dport = rx->sport,
		.sport = htons(DHCP_PROXY_PORT),
	};

	count_rx(ctx);
	if ((ctx->req.type == DHCP_REQUEST || ctx->req.type == DHCP_INFORM) &&
	    dhcp_is_pxe_client(&ctx->req))
		proxy_answer(ctx, pool, DHCP_ACK, &tx);
	return true;
}

/*
 * :67 with only a proxy pool: answer PXE and HTTP Boot DISCOVERs, let the
 * packet go on.  (HTTP Boot never asks :4011: EDK2 takes the URL from
 * this OFFER and its address from the other server's.)
 */
static bool proxy_rcv_67(struct dhcp_ctx *ctx, struct pxe_pool *pool)
{
	if (ctx->req.type != DHCP_DISCOVER || ctx->req.giaddr ||
	    !(dhcp_is_pxe_client(&ctx->req) || dhcp_is_http_client(&ctx->req)))
		return false;
	count_rx(ctx);
	proxy_answer(ctx, pool, DHCP_OFFER, NULL);
	return false;
}

/* ---- entry ------------------------------------------------------------ */

static void client_id_init(struct dhcp_ctx *ctx)
{
	struct pxe_client_id *cid = &ctx->cid;

	if (ctx->req.client_id.len) {
		cid->data = ctx->req.client_id.data;
		cid->len = ctx->req.client_id.len;
		return;
	}
	pxe_client_id_from_mac(cid, ctx->req.chaddr);
}

static void dispatch(struct dhcp_ctx *ctx)
{
	count_rx(ctx);
	switch (ctx->req.type) {
	case DHCP_DISCOVER:
		handle_discover(ctx);
		break;
	case DHCP_REQUEST:
		handle_request(ctx);
		break;
	case DHCP_DECLINE:
		handle_decline(ctx);
		break;
	case DHCP_RELEASE:
		handle_release(ctx);
		break;
	case DHCP_INFORM:
		handle_inform(ctx);
		break;
	}
}

static bool dhcp_rcv(struct dhcp_ctx *ctx)
{
	const struct pxe_rx *rx = ctx->rx;
	struct pxe_pool *pool = link_pool(ctx->dn, rx->link, false);
	struct pxe_pool *proxy = link_pool(ctx->dn, rx->link, true);
	int err;

	if (!pool && !proxy)
		return false;
	err = dhcp_parse(rx->data, rx->len, &ctx->req);
	if (err) {
		/* Only a server of this link may swallow what it cannot read. */
		if (rx->dport == htons(DHCP_PROXY_PORT) ? !proxy : !pool)
			return false;
		if ((unsigned int)-err < ARRAY_SIZE(drop_stat) && drop_stat[-err])
			pxe_stat_inc(ctx->pn, drop_stat[-err]);
		return true;
	}
	client_id_init(ctx);

	if (rx->dport == htons(DHCP_PROXY_PORT))
		return proxy ? proxy_rcv_4011(ctx, proxy) : false;
	if (!ctx->req.giaddr && !pool)
		return proxy_rcv_67(ctx, proxy);
	if (ctx->req.giaddr && !any_serving_pool(ctx)) {
		if (!pool)
			return false;
		count_rx(ctx);
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP_DROP_NO_POOL);
		return true;
	}
	dispatch(ctx);
	return true;
}

bool pxe_dhcp_rcv(const struct pxe_rx *rx)
{
	struct dhcp_ctx ctx = {
		.rx = rx,
		.pn = rx->pn,
		.dn = rx->pn->dhcp,
	};
	bool ours;

	rcu_read_lock();
	ours = dhcp_rcv(&ctx);
	rcu_read_unlock();
	return ours;
}

/* ---- namespace -------------------------------------------------------- */

int pxe_dhcp_net_init(struct pxe_net *pn)
{
	struct pxe_dhcp_net *dn = kzalloc(sizeof(*dn), GFP_KERNEL_ACCOUNT);
	int err;

	if (!dn)
		return -ENOMEM;
	dn->pn = pn;
	err = pxe_lease_net_init(dn);
	if (err) {
		kfree(dn);
		return err;
	}
	pn->dhcp = dn;
	return 0;
}

/* Stops the expiry work; packet-path readers may still hold pointers. */
void pxe_dhcp_net_exit(struct pxe_net *pn)
{
	pxe_lease_net_exit(pn->dhcp);
}

/* After a grace period that began after pxe_dhcp_net_exit(). */
void pxe_dhcp_net_free(struct pxe_net *pn)
{
	struct pxe_dhcp_net *dn = pn->dhcp;

	pxe_lease_net_free(dn);
	pxe_boot_net_exit(dn);
	pn->dhcp = NULL;
	kfree(dn);
}

void pxe_dhcp_link_gone(struct pxe_link *link)
{
	ASSERT_RTNL();
	lockdep_assert_held(&link->pn->lock);
	pxe_lease_link_gone(link->pn->dhcp, link);
}
