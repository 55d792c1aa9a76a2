// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the DHCPv6 server -- Solicit/Advertise, Request, Renew, Rebind,
 * Release, Decline, Confirm and Information-Request (RFC 8415), straight
 * or through relays (Relay-Forw in, Relay-Repl out, dhcp6_msg.c walks and
 * rebuilds the chain).  Addresses only (IA_NA), one per IA, from IPv6
 * pools; leases keyed by the client's DUID and IAID (lease.c).
 *
 * Everything here runs in softirq from the ingress hook, as dhcp.c does:
 * configuration read under RCU, leases changed under their pool's
 * spinlock, the reply built straight into the skb that carries it.
 *
 * The server's DUID is DUID-LL of the link device's MAC: it needs no
 * stored state, so it is the same after a module reload or a reboot, as
 * RFC 8415 11 asks; it changes only when the device's MAC does.
 */
#include <linux/etherdevice.h>
#include <net/addrconf.h>
#include <net/ipv6.h>

#include "dhcp.h"

struct dhcp6_ctx {
	const struct pxe_rx *rx;
	struct pxe_net *pn;
	struct pxe_dhcp_net *dn;
	struct dhcp6_request req;
	struct pxe_client_id cid;	/* IAID + DUID: the IA's lease */
	const u8 *mac;			/* what the lease records */
	bool mac_known;			/* else mac is all zeros */
	const struct pxe_host *host;	/* the MAC's IPv6 reservation */
	u8 duid[DHCP6_DUID_LL_LEN];	/* the server's */
	struct in6_addr link_addr;	/* relayed: the client's link */
	struct in6_addr wanted;		/* the IA Address the client sent */
	/* Option 59: tftp://[server]/file, or a rule's URL as it is. */
	char boot_url[sizeof("tftp://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/") +
		      PXE_FILE_MAX];
};

static const u8 rx_stat[] = {
	[DHCP6_SOLICIT]			= PXE_STAT_DHCP6_RX_SOLICIT,
	[DHCP6_REQUEST]			= PXE_STAT_DHCP6_RX_REQUEST,
	[DHCP6_CONFIRM]			= PXE_STAT_DHCP6_RX_CONFIRM,
	[DHCP6_RENEW]			= PXE_STAT_DHCP6_RX_RENEW,
	[DHCP6_REBIND]			= PXE_STAT_DHCP6_RX_REBIND,
	[DHCP6_RELEASE]			= PXE_STAT_DHCP6_RX_RELEASE,
	[DHCP6_DECLINE]			= PXE_STAT_DHCP6_RX_DECLINE,
	[DHCP6_INFORMATION_REQUEST]	= PXE_STAT_DHCP6_RX_INFORMATION_REQUEST,
};

/* ---- which pool ------------------------------------------------------- */

bool pxe_dhcp6_serves(const struct pxe_link *link)
{
	struct pxe_pool *pool;
	bool serves = false;

	rcu_read_lock();
	list_for_each_entry_rcu(pool, &link->pn->dhcp->pools, node)
		if (pool->v6 && pool->link == link) {
			serves = true;
			break;
		}
	rcu_read_unlock();
	return serves;
}

/*
 * Relayed: a pool of any link whose /64 holds the link-address of the
 * relay closest to the client that names one (the client's link).  When
 * none does, one lightweight relay (RFC 6221, link-address ::) sits on
 * the link the message came in on, which is the client's: a pool of that
 * link, as for a client's own message.  Behind more lightweight relays,
 * or from a routing relay whose link-address is link-local (its client's
 * link is one we cannot know), none.
 */
static bool pool_serves(const struct pxe_pool *pool,
			const struct dhcp6_ctx *ctx)
{
	if (!pool->v6)
		return false;
	if (ctx->req.has_link)
		return pxe_in_prefix6(pool, &ctx->link_addr);
	return !ctx->req.link_local && ctx->req.relay_depth <= 1 &&
	       pool->link == ctx->rx->link;
}

static struct pxe_pool *any_serving_pool(struct dhcp6_ctx *ctx)
{
	struct pxe_pool *pool;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
		if (pool_serves(pool, ctx))
			return pool;
	return NULL;
}

/* ---- replies ---------------------------------------------------------- */

/*
 * Whether the client boots from the network: it asked for option 59, or
 * said which firmware it runs (61, or 16 "PXEClient" or "HTTPClient").
 */
static bool wants_boot(const struct dhcp6_request *req)
{
	return dhcp6_requested(req, DHCP6_OPT_BOOTFILE_URL) || req->has_arch ||
	       dhcp6_is_pxe_client(req) ||
	       dhcp6_vendor_class_starts(req, "HTTPClient");
}

/*
 * Option 59 from the first boot rule that fits: a URL as the rule has
 * it, a TFTP path as a tftp:// URL naming this link's address that the
 * stack would use towards the pool (a global or unique local one; a
 * link-local address means nothing to the client without its zone, so
 * then there is no URL).  A rule's IPv4 server does not apply here.
 */
static void reply_boot(struct dhcp6_ctx *ctx, struct dhcp6_reply *r,
		       const struct pxe_pool *pool)
{
	struct net_device *dev = ctx->rx->link->dev;
	const struct pxe_boot_rule *rule;
	struct pxe_boot_query q;
	struct in6_addr server;

	if (!wants_boot(&ctx->req))
		return;
	/* ctx->mac, but none rather than zeros when it is not known. */
	pxe_boot_query6(&q, &ctx->req, ctx->mac_known ? ctx->mac : NULL);
	rule = pxe_boot_match(ctx->dn, &q, pool);
	if (!rule)
		return;
	if (rule->url) {
		r->boot_url = rule->file;
		return;
	}
	if (ipv6_dev_get_saddr(dev_net(dev), dev, &pool->start6, 0, &server) ||
	    ipv6_addr_type(&server) & IPV6_ADDR_LINKLOCAL) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_NO_BOOT_ADDRESS);
		return;
	}
	snprintf(ctx->boot_url, sizeof(ctx->boot_url), "tftp://[%pI6c]/%s",
		 &server, rule->file + (rule->file[0] == '/'));
	r->boot_url = ctx->boot_url;
}

static void reply_init(struct dhcp6_ctx *ctx, struct dhcp6_reply *r, u8 type,
		       const struct pxe_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->server_duid = ctx->duid;
	r->server_duid_len = sizeof(ctx->duid);
	if (pool) {
		r->n_dns = pool->n_dns6;
		memcpy(r->dns, pool->dns6, sizeof(r->dns));
		reply_boot(ctx, r, pool);
	}
}

/* The IA_NA of a reply: @addr for the pool's lease time, or a status. */
static void reply_ia(struct dhcp6_reply *r, const struct pxe_pool *pool,
		     const struct in6_addr *addr, u16 status,
		     const char *message)
{
	r->ia.present = true;
	r->ia.status = status;
	r->ia.message = message;
	if (status)
		return;
	/* RFC 8415 21.4: T1 0.5, T2 0.8 of the preferred lifetime. */
	r->ia.t1 = pool->lease_time / 2;
	r->ia.t2 = pool->lease_time / 5 * 4;
	memcpy(r->ia.addr, addr, sizeof(r->ia.addr));
	r->ia.preferred = pool->lease_time;
	r->ia.valid = pool->lease_time;
}

static void reply_status(struct dhcp6_reply *r, u16 status,
			 const char *message)
{
	r->has_status = true;
	r->status = status;
	r->status_message = message;
}

/*
 * To the client's link-local address on :546, or to the relay on :547,
 * at the Ethernet source of the request; from the address the request
 * was sent to when it was ours, else the one the stack would choose for
 * the destination (the link-local address for a client on the link).
 */
static bool reply_address(const struct dhcp6_ctx *ctx, struct pxe_tx *tx)
{
	const struct pxe_rx *rx = ctx->rx;
	struct net_device *dev = rx->link->dev;

	tx->link = rx->link;
	tx->v6 = true;
	tx->dst_mac = rx->src_mac;
	tx->daddr6 = *rx->saddr6;
	tx->sport = htons(DHCP6_SERVER_PORT);
	tx->dport = htons(ctx->req.relay_depth ? DHCP6_SERVER_PORT :
						 DHCP6_CLIENT_PORT);
	if (!ipv6_addr_is_multicast(rx->daddr6)) {
		tx->saddr6 = *rx->daddr6;
		return true;
	}
	return !ipv6_dev_get_saddr(dev_net(dev), dev, &tx->daddr6, 0,
				   &tx->saddr6);
}

static void reply_send(struct dhcp6_ctx *ctx, const struct dhcp6_reply *r)
{
	struct pxe_link *link = ctx->rx->link;
	struct pxe_tx tx = { };
	struct sk_buff *skb;
	unsigned int size;
	u8 *buf;
	int len;

	if (!reply_address(ctx, &tx)) {
		pxe_stat_inc(ctx->pn, PXE_STAT_TX_ERRORS);
		return;
	}
	size = pxe_tx_max_payload6(link);
	skb = pxe_tx_alloc(&tx, size, &buf);
	if (!skb)
		return;
	len = dhcp6_build_reply(&ctx->req, r, buf, size);
	if (len < 0) {
		pxe_tx_free(skb);
		pxe_stat_inc(ctx->pn, PXE_STAT_TX_ERRORS);
		return;
	}
	skb_trim(skb, len);
	if (!pxe_tx_send(&tx, skb))
		pxe_stat_inc(ctx->pn, r->type == DHCP6_ADVERTISE ?
				      PXE_STAT_DHCP6_TX_ADVERTISE :
				      PXE_STAT_DHCP6_TX_REPLY);
}

static void notify(struct dhcp6_ctx *ctx, u8 event,
		   const struct in6_addr *addr, const struct pxe_pool *pool,
		   u32 expires)
{
	pxe_lease6_notify(ctx->pn, event, ctx->mac, addr,
			  pool ? pool->name : NULL, expires, ctx->cid.data,
			  ctx->cid.len);
}

/* ---- leases ----------------------------------------------------------- */

static int ia_lease_in(struct dhcp6_ctx *ctx, struct pxe_pool *pool,
		       bool bind, bool may_create, struct in6_addr *addr)
{
	const struct in6_addr *wanted = ctx->req.ia_na.has_addr ?
					&ctx->wanted : NULL;

	if (!bind)
		return pxe_lease6_offer(pool, &ctx->cid, ctx->mac, ctx->host,
					wanted, addr);
	return pxe_lease6_bind(pool, &ctx->cid, ctx->mac, ctx->host, wanted,
			       may_create, addr);
}

/*
 * The IA's lease: in the pool that holds it, else (@may_create) in the
 * serving pool of the client's reservation, else in the first serving
 * pool with room.  An offer when !@bind.  Returns 0, -ENODEV (no pool
 * serves the client), -ENOENT (no lease and not @may_create), -ENOSPC or
 * -ENOMEM.
 */
static int ia_lease(struct dhcp6_ctx *ctx, bool bind, bool may_create,
		    struct pxe_pool **poolp, struct in6_addr *addr)
{
	struct pxe_pool *pool;
	int err = -ENODEV;

	list_for_each_entry_rcu(pool, &ctx->dn->pools, node) {
		if (!pool_serves(pool, ctx) ||
		    !pxe_lease_client_has(pool, &ctx->cid))
			continue;
		*poolp = pool;
		return ia_lease_in(ctx, pool, bind, may_create, addr);
	}
	if (ctx->host && may_create) {
		list_for_each_entry_rcu(pool, &ctx->dn->pools, node) {
			if (!pool_serves(pool, ctx) ||
			    !pxe_in_prefix6(pool, &ctx->host->addr6))
				continue;
			*poolp = pool;
			err = ia_lease_in(ctx, pool, bind, true, addr);
			if (err != -ENOSPC)
				return err;
		}
	}
	list_for_each_entry_rcu(pool, &ctx->dn->pools, node) {
		if (!pool_serves(pool, ctx))
			continue;
		*poolp = pool;
		if (!may_create)
			return -ENOENT;
		err = ia_lease_in(ctx, pool, bind, true, addr);
		if (err != -ENOSPC)
			break;
	}
	return err;
}

/* Counts why no lease was given; false when nothing is to be sent. */
static bool lease_failed(struct dhcp6_ctx *ctx, int err)
{
	switch (err) {
	case -ENODEV:
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_NO_POOL);
		return false;
	case -ENOMEM:
		/* No answer: the client asks again, as after a lost reply. */
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_NOMEM);
		return false;
	case -ENOSPC:
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_EXHAUSTED);
		return true;
	}
	return true;
}

/*
 * Solicit (Advertise, or with rapid commit a Reply binding the address),
 * Request, Renew and Rebind: the IA's address, or a status saying why not.
 */
static void answer_ia(struct dhcp6_ctx *ctx, u8 type, bool bind,
		      bool may_create, u16 no_lease_status)
{
	struct pxe_pool *pool = NULL;
	struct dhcp6_reply r;
	struct in6_addr addr;
	int err;

	if (!ctx->req.ia_na.present) {
		/* Nothing to lease: the options alone (RFC 8415 18.3.1). */
		pool = any_serving_pool(ctx);
		if (!pool) {
			pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_NO_POOL);
			return;
		}
		reply_init(ctx, &r, type, pool);
		reply_send(ctx, &r);
		return;
	}
	err = ia_lease(ctx, bind, may_create, &pool, &addr);
	if (err && !lease_failed(ctx, err))
		return;
	reply_init(ctx, &r, type, pool);
	if (!err)
		reply_ia(&r, pool, &addr, 0, NULL);
	else if (err == -ENOENT)
		reply_ia(&r, pool, NULL, no_lease_status,
			 "no binding for this IA");
	else
		reply_ia(&r, pool, NULL, DHCP6_STATUS_NO_ADDRS_AVAIL,
			 "no addresses available");
	reply_send(ctx, &r);
	if (!err)
		notify(ctx, bind ? PXE_LEASE_EV_ACK : PXE_LEASE_EV_OFFER, &addr,
		       pool, bind ? pool->lease_time : PXE_OFFER_HOLD / HZ);
}

/* Release and Decline: the IA's lease ends; the Reply says Success. */
static void handle_release(struct dhcp6_ctx *ctx, bool decline)
{
	const struct in6_addr *addr = ctx->req.ia_na.has_addr ?
				      &ctx->wanted : NULL;
	struct pxe_pool *pool, *dropped = NULL;
	struct dhcp6_reply r;

	if (ctx->req.ia_na.present) {
		list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
			if (pool_serves(pool, ctx) &&
			    pxe_lease6_drop(pool, &ctx->cid, addr, decline)) {
				dropped = pool;
				break;
			}
	}
	if (dropped && decline) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DECLINED);
		notify(ctx, PXE_LEASE_EV_DECLINE, addr, dropped,
		       PXE_DECLINE_HOLD / HZ);
	} else if (dropped) {
		notify(ctx, PXE_LEASE_EV_RELEASE, addr, dropped, 0);
	}
	reply_init(ctx, &r, DHCP6_REPLY, NULL);
	reply_status(&r, DHCP6_STATUS_SUCCESS, NULL);
	reply_send(ctx, &r);
}

/*
 * Confirm: is the client's address on a link we serve?  RFC 8415 18.3.3:
 * without an address, no answer.
 */
static void handle_confirm(struct dhcp6_ctx *ctx)
{
	struct pxe_pool *pool, *onlink = NULL;
	struct dhcp6_reply r;

	if (!ctx->req.ia_na.has_addr)
		return;
	list_for_each_entry_rcu(pool, &ctx->dn->pools, node)
		if (pool_serves(pool, ctx) &&
		    pxe_in_prefix6(pool, &ctx->wanted)) {
			onlink = pool;
			break;
		}
	reply_init(ctx, &r, DHCP6_REPLY, onlink);
	if (onlink)
		reply_status(&r, DHCP6_STATUS_SUCCESS, NULL);
	else
		reply_status(&r, DHCP6_STATUS_NOT_ON_LINK,
			     "address is not on this link");
	reply_send(ctx, &r);
}

/* Options only, for a client that has its address already. */
static void handle_information_request(struct dhcp6_ctx *ctx)
{
	struct pxe_pool *pool = any_serving_pool(ctx);
	struct dhcp6_reply r;

	if (!pool) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_NO_POOL);
		return;
	}
	reply_init(ctx, &r, DHCP6_REPLY, pool);
	reply_send(ctx, &r);
}

/* ---- entry ------------------------------------------------------------ */

static void dispatch(struct dhcp6_ctx *ctx)
{
	switch (ctx->req.type) {
	case DHCP6_SOLICIT:
		if (ctx->req.rapid_commit)
			answer_ia(ctx, DHCP6_REPLY, true, true, 0);
		else
			answer_ia(ctx, DHCP6_ADVERTISE, false, true, 0);
		break;
	case DHCP6_REQUEST:
		answer_ia(ctx, DHCP6_REPLY, true, true, 0);
		break;
	case DHCP6_RENEW:
		answer_ia(ctx, DHCP6_REPLY, true, false,
			  DHCP6_STATUS_NO_BINDING);
		break;
	case DHCP6_REBIND:
		/* RFC 8415 18.3.5: a server may make the binding anew. */
		answer_ia(ctx, DHCP6_REPLY, true, true, 0);
		break;
	case DHCP6_RELEASE:
		handle_release(ctx, false);
		break;
	case DHCP6_DECLINE:
		handle_release(ctx, true);
		break;
	case DHCP6_CONFIRM:
		handle_confirm(ctx);
		break;
	case DHCP6_INFORMATION_REQUEST:
		handle_information_request(ctx);
		break;
	}
}

/* The IA's identity: IAID, then the DUID (at most 130 bytes, parsed). */
static void ia_id_init(struct dhcp6_ctx *ctx)
{
	const struct dhcp6_request *req = &ctx->req;
	struct pxe_client_id *cid = &ctx->cid;

	if (!req->ia_na.present || !req->client_id.data)
		return;
	put_unaligned_be32(req->ia_na.iaid, cid->buf);
	memcpy(cid->buf + PXE_IAID_LEN, req->client_id.data,
	       req->client_id.len);
	cid->data = cid->buf;
	cid->len = PXE_IAID_LEN + req->client_id.len;
	memcpy(&ctx->wanted, req->ia_na.addr, sizeof(ctx->wanted));
}

static bool is_server_message(u8 type)
{
	return type == DHCP6_ADVERTISE || type == DHCP6_REPLY ||
	       type == DHCP6_RECONFIGURE || type == DHCP6_RELAY_REPL;
}

static bool server_id_is_ours(const struct dhcp6_ctx *ctx)
{
	const struct dhcp6_bytes *id = &ctx->req.server_id;

	return !id->data || (id->len == sizeof(ctx->duid) &&
			     !memcmp(id->data, ctx->duid, id->len));
}

/*
 * The client's MAC: the Ethernet source on its own link; through relays,
 * the one the relay on its link saw (option 79), else its DUID's.  Its
 * IPv6 reservation applies only when it is known, whatever the DUID.
 */
static void client_mac(struct dhcp6_ctx *ctx)
{
	static const u8 no_mac[ETH_ALEN];
	const struct dhcp6_request *req = &ctx->req;

	ctx->mac_known = true;
	if (!req->relay_depth)
		ctx->mac = ctx->rx->src_mac;
	else if (req->relay.has_client_mac)
		ctx->mac = req->relay.client_mac;
	else if (req->has_mac)
		ctx->mac = req->mac;
	else
		ctx->mac_known = false;
	if (!ctx->mac_known)
		ctx->mac = no_mac;
	else
		ctx->host = pxe_host6_by_mac(ctx->dn, ctx->mac);
}

static bool dhcp6_rcv(struct dhcp6_ctx *ctx)
{
	const struct pxe_rx *rx = ctx->rx;
	struct dhcp6_request *req = &ctx->req;
	u8 type;

	if (!pxe_dhcp6_serves(rx->link))
		return false;
	/*
	 * A server's message to :547 is a Relay-Repl for a relay agent on
	 * this host (or another server's reply gone astray): the stack's, as
	 * BOOTREPLYs are on the IPv4 path.
	 */
	if (rx->len && is_server_message(rx->data[0]))
		return false;
	if (dhcp6_parse(rx->data, rx->len, req)) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_MALFORMED);
		return true;
	}
	type = req->type;
	if (type < ARRAY_SIZE(rx_stat) && rx_stat[type])
		pxe_stat_inc(ctx->pn, rx_stat[type]);

	if (dhcp6_duid_ll(rx->link->dev->dev_addr, ctx->duid,
			  sizeof(ctx->duid)) < 0)
		return true;
	if (!server_id_is_ours(ctx)) {
		pxe_stat_inc(ctx->pn, PXE_STAT_DHCP6_DROP_NOT_OURS);
		return true;
	}
	memcpy(&ctx->link_addr, req->link, sizeof(ctx->link_addr));
	client_mac(ctx);
	ia_id_init(ctx);
	dispatch(ctx);
	return true;
}

bool pxe_dhcp6_rcv(const struct pxe_rx *rx)
{
	struct dhcp6_ctx ctx = {
		.rx = rx,
		.pn = rx->pn,
		.dn = rx->pn->dhcp,
	};
	bool ours;

	rcu_read_lock();
	ours = dhcp6_rcv(&ctx);
	rcu_read_unlock();
	return ours;
}
