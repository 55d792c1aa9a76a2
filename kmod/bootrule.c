// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: boot-file rules -- which file (and from which server) a client is
 * told to boot, by architecture (option 93; DHCPv6 61), vendor class prefix
 * (60; DHCPv6 16, its first item), user class (77; DHCPv6 15), MAC prefix
 * and pool.  Both servers ask through a struct pxe_boot_query.
 *
 * A rule may name two architecture codes: RFC 4578 as published gives x64
 * UEFI code 9 and EFI byte code 7, its erratum 4624 and the IANA registry
 * the reverse.  Most x64 firmware sends 7, some (older iPXE among it) 9, so
 * pxectl's "efi-x64" asks for both.
 *
 * A Raspberry Pi's network boot sends architecture 0, as a PC BIOS does;
 * a client the codec knows for a Pi (req->rpi) is taken to be 41, "rpi",
 * instead, so that "arch rpi" rules catch it and "arch bios" ones do not.
 *
 * A rule whose file is a URL ("http://...") passes over PXE firmware, which
 * can only ask a TFTP server for a name, and a rule whose file is a TFTP
 * path passes over UEFI HTTP Boot clients, which can only fetch a URL
 * (dhcp_client_takes()): one list of rules serves both, as an admin used
 * to tagging dnsmasq's or Kea's answers by client class expects.
 *
 * The rules of a namespace form one array sorted by prio, then id, that is
 * replaced wholesale on every change and read under RCU: the first match
 * wins.  Ids count from 1 and are never reused within a namespace.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>

#include "dhcp.h"

static struct pxe_boot_table *boot_table(struct pxe_dhcp_net *dn)
{
	return rcu_dereference_protected(dn->boot,
					 lockdep_is_held(&dn->pn->lock));
}

static bool mac_prefix_matches(const struct pxe_boot_rule *rule,
			       const u8 *mac)
{
	unsigned int bytes = rule->mac_len / 8, bits = rule->mac_len % 8;
	u8 mask;

	if (!mac || memcmp(rule->mac, mac, bytes))
		return false;
	if (!bits)
		return true;
	mask = 0xff << (8 - bits);
	return !((rule->mac[bytes] ^ mac[bytes]) & mask);
}

static bool arch_matches(const struct pxe_boot_rule *rule,
			 const struct pxe_boot_query *q)
{
	unsigned int i;

	if (!rule->n_arch)
		return true;
	if (!q->has_arch)
		return false;
	for (i = 0; i < rule->n_arch; i++)
		if (q->arch == rule->arch[i])
			return true;
	return false;
}

static bool has_user_class(const struct pxe_boot_query *q, const char *name)
{
	if (q->req6)
		return dhcp6_has_user_class(q->req6, name);
	return dhcp_has_user_class(q->req4, name);
}

/*
 * An HTTP Boot client takes only a URL; PXE firmware only a TFTP path,
 * unless it is iPXE; any other client either.
 */
static bool client_takes(const struct pxe_boot_query *q, bool url)
{
	if (q->http)
		return url;
	return !url || q->url_ok;
}

static bool rule_matches(const struct pxe_boot_rule *rule,
			 const struct pxe_boot_query *q,
			 const struct pxe_pool *pool)
{
	size_t vlen = strlen(rule->vendor);

	if (!arch_matches(rule, q))
		return false;
	if (vlen && (q->vendor_len < vlen ||
		     memcmp(q->vendor, rule->vendor, vlen)))
		return false;
	if (rule->user_class[0] && !has_user_class(q, rule->user_class))
		return false;
	if (rule->mac_len && !mac_prefix_matches(rule, q->mac))
		return false;
	if (rule->pool[0] && (!pool || strcmp(rule->pool, pool->name)))
		return false;
	return client_takes(q, rule->url);
}

void pxe_boot_query4(struct pxe_boot_query *q, const struct dhcp_request *req)
{
	memset(q, 0, sizeof(*q));
	q->req4 = req;
	q->mac = req->chaddr;
	q->has_arch = req->has_arch || req->rpi;
	q->arch = req->rpi ? DHCP_ARCH_RPI : req->arch;
	q->vendor = req->vendor_class.data;
	q->vendor_len = req->vendor_class.len;
	q->http = dhcp_is_http_client(req);
	q->url_ok = dhcp_client_takes(req, true);
}

void pxe_boot_query6(struct pxe_boot_query *q, const struct dhcp6_request *req,
		     const u8 *mac)
{
	memset(q, 0, sizeof(*q));
	q->req6 = req;
	q->mac = mac;
	q->has_arch = req->has_arch;
	q->arch = req->arch;
	dhcp6_vendor_class_first(req, &q->vendor, &q->vendor_len);
	q->http = dhcp6_vendor_class_starts(req, "HTTPClient");
	q->url_ok = dhcp6_has_user_class(req, "iPXE") ||
		    !dhcp6_is_pxe_client(req);
}

/* Softirq, under RCU: the first rule that fits, its hit counted. */
const struct pxe_boot_rule *pxe_boot_match(struct pxe_dhcp_net *dn,
					   const struct pxe_boot_query *q,
					   const struct pxe_pool *pool)
{
	struct pxe_boot_table *table = rcu_dereference(dn->boot);
	unsigned int i;

	if (!table)
		return NULL;
	for (i = 0; i < table->n; i++) {
		struct pxe_boot_rule *rule = table->rules[i];

		if (rule_matches(rule, q, pool)) {
			atomic64_inc(&rule->hits);
			return rule;
		}
	}
	return NULL;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct pxe_boot_rule *ra = *(const struct pxe_boot_rule **)a;
	const struct pxe_boot_rule *rb = *(const struct pxe_boot_rule **)b;

	if (ra->prio != rb->prio)
		return ra->prio < rb->prio ? -1 : 1;
	return ra->id < rb->id ? -1 : ra->id > rb->id;
}

/*
 * Publishes the current rules with @add added (if any) and @del left out
 * (if any); the rule @del itself is freed after readers are done.
 */
static int boot_replace(struct pxe_dhcp_net *dn, struct pxe_boot_rule *add,
			struct pxe_boot_rule *del)
{
	struct pxe_boot_table *old = boot_table(dn), *new;
	unsigned int i, n = 0, max = (old ? old->n : 0) + 1;

	new = kzalloc(struct_size(new, rules, max), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	for (i = 0; old && i < old->n; i++)
		if (old->rules[i] != del)
			new->rules[n++] = old->rules[i];
	if (add)
		new->rules[n++] = add;
	new->n = n;
	sort(new->rules, n, sizeof(new->rules[0]), rule_cmp, NULL);
	rcu_assign_pointer(dn->boot, new);
	dn->pn->gen++;
	if (old)
		kfree_rcu(old, rcu);
	if (del)
		kfree_rcu(del, rcu);
	return 0;
}

static void rule_from_attrs(struct pxe_boot_rule *rule, struct nlattr **a)
{
	rule->prio = a[PXE_A_BOOT_PRIO] ? nla_get_u32(a[PXE_A_BOOT_PRIO]) :
					  PXE_BOOT_PRIO_DEFAULT;
	if (a[PXE_A_BOOT_ARCH])
		rule->arch[rule->n_arch++] = nla_get_u16(a[PXE_A_BOOT_ARCH]);
	/* Only with BOOT_ARCH (checked); the same code twice is one. */
	if (rule->n_arch && a[PXE_A_BOOT_ARCH_ALT] &&
	    nla_get_u16(a[PXE_A_BOOT_ARCH_ALT]) != rule->arch[0])
		rule->arch[rule->n_arch++] = nla_get_u16(a[PXE_A_BOOT_ARCH_ALT]);
	if (a[PXE_A_BOOT_VENDOR])
		nla_strscpy(rule->vendor, a[PXE_A_BOOT_VENDOR],
			    sizeof(rule->vendor));
	if (a[PXE_A_BOOT_USER_CLASS])
		nla_strscpy(rule->user_class, a[PXE_A_BOOT_USER_CLASS],
			    sizeof(rule->user_class));
	if (a[PXE_A_BOOT_MAC]) {
		memcpy(rule->mac, nla_data(a[PXE_A_BOOT_MAC]), ETH_ALEN);
		rule->mac_len = a[PXE_A_BOOT_MAC_LEN] ?
			nla_get_u8(a[PXE_A_BOOT_MAC_LEN]) : ETH_ALEN * 8;
	}
	if (a[PXE_A_BOOT_POOL])
		nla_strscpy(rule->pool, a[PXE_A_BOOT_POOL], sizeof(rule->pool));
	nla_strscpy(rule->file, a[PXE_A_BOOT_FILE], sizeof(rule->file));
	rule->url = dhcp_is_url(rule->file);
	if (a[PXE_A_BOOT_SERVER])
		rule->server = nla_get_in_addr(a[PXE_A_BOOT_SERVER]);
}

int pxe_nl_boot_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_dhcp_net *dn = pn->dhcp;
	struct pxe_boot_rule *rule = NULL;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_BOOT_FILE))
		return -EINVAL;
	if (info->attrs[PXE_A_BOOT_ARCH_ALT] && !info->attrs[PXE_A_BOOT_ARCH]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PXE_A_BOOT_ARCH_ALT],
				    "BOOT_ARCH_ALT is valid only with BOOT_ARCH");
		return -EINVAL;
	}
	/*
	 * The reply carries the new rule's id: it is made first, so that a
	 * rule is added only when the caller can be told.
	 */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pxe_family, 0, PXE_CMD_BOOT_NEW);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out;
	}
	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule) {
		err = -ENOMEM;
		goto out;
	}
	rule_from_attrs(rule, info->attrs);

	mutex_lock(&pn->lock);
	if (rule->pool[0] && !pxe_pool_find(dn, rule->pool)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_BOOT_POOL],
				    "no such pool");
		err = -ENOENT;
	} else if (nla_put_u32(msg, PXE_A_BOOT_ID, dn->boot_next_id + 1)) {
		err = -EMSGSIZE;
	} else {
		rule->id = ++dn->boot_next_id;
		err = boot_replace(dn, rule, NULL);
		if (!err)
			rule = NULL;
	}
	mutex_unlock(&pn->lock);
	if (err)
		goto out;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
out:
	kfree(rule);
	nlmsg_free(msg);
	return err;
}

int pxe_nl_boot_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_dhcp_net *dn = pn->dhcp;
	struct pxe_boot_table *table;
	unsigned int i;
	int err = -ENOENT;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_BOOT_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[PXE_A_BOOT_ID]);
	mutex_lock(&pn->lock);
	table = boot_table(dn);
	for (i = 0; table && i < table->n; i++)
		if (table->rules[i]->id == id) {
			err = boot_replace(dn, NULL, table->rules[i]);
			break;
		}
	mutex_unlock(&pn->lock);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_BOOT_ID],
				    "no boot rule with this id");
	return err;
}

static int fill_rule_match(struct sk_buff *skb,
			   const struct pxe_boot_rule *rule)
{
	if ((rule->n_arch > 0 &&
	     nla_put_u16(skb, PXE_A_BOOT_ARCH, rule->arch[0])) ||
	    (rule->n_arch > 1 &&
	     nla_put_u16(skb, PXE_A_BOOT_ARCH_ALT, rule->arch[1])) ||
	    (rule->vendor[0] &&
	     nla_put_string(skb, PXE_A_BOOT_VENDOR, rule->vendor)) ||
	    (rule->user_class[0] &&
	     nla_put_string(skb, PXE_A_BOOT_USER_CLASS, rule->user_class)) ||
	    (rule->mac_len &&
	     (nla_put(skb, PXE_A_BOOT_MAC, ETH_ALEN, rule->mac) ||
	      nla_put_u8(skb, PXE_A_BOOT_MAC_LEN, rule->mac_len))) ||
	    (rule->pool[0] &&
	     nla_put_string(skb, PXE_A_BOOT_POOL, rule->pool)))
		return -EMSGSIZE;
	return 0;
}

static int fill_rule(struct sk_buff *skb, const struct pxe_boot_rule *rule,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pxe_family, NLM_F_MULTI, PXE_CMD_BOOT_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, PXE_A_BOOT_ID, rule->id) ||
	    fill_rule_match(skb, rule) ||
	    nla_put_string(skb, PXE_A_BOOT_FILE, rule->file) ||
	    (rule->server &&
	     nla_put_in_addr(skb, PXE_A_BOOT_SERVER, rule->server)) ||
	    nla_put_u32(skb, PXE_A_BOOT_PRIO, rule->prio) ||
	    nla_put_u64_64bit(skb, PXE_A_BOOT_HITS,
			      atomic64_read(&rule->hits), PXE_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump cursor: cb->args[0] is the number of rules already sent. */
int pxe_nl_boot_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	struct pxe_boot_table *table;
	long done = cb->args[0];
	int err = 0;

	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	table = boot_table(pn->dhcp);
	while (table && done < table->n) {
		err = fill_rule(skb, table->rules[done], cb);
		if (err)
			break;
		done++;
	}
	mutex_unlock(&pn->lock);
	cb->args[0] = done;
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

/* Readers are gone: the namespace is on its way out. */
void pxe_boot_net_exit(struct pxe_dhcp_net *dn)
{
	struct pxe_boot_table *table = rcu_dereference_protected(dn->boot, 1);
	unsigned int i;

	if (!table)
		return;
	for (i = 0; i < table->n; i++)
		kfree(table->rules[i]);
	kfree(table);
}
