// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink side of pxectl.
 *
 * One socket, opened on the first request and kept for a whole batch.
 * Every request is answered by an ACK, an error or the end of a dump; the
 * error's extended ACK (the kernel's own words about what it rejected) is
 * parsed here, because libnl 3.7 does not hand it to us.
 *
 * A dump's parts are held until its end: when the kernel flags one
 * NLM_F_DUMP_INTR (the table changed between two parts, so a row may be
 * missing or repeated) the whole dump is asked again, up to DUMP_TRIES
 * times, and nothing of an interrupted one is printed.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/pxe.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "pxectl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DUMP_TRIES 5

static struct nl_sock *sock;
static int family;

/*
 * Every attribute of the family: replies are parsed against this.  Binary
 * attributes are NLA_UNSPEC; their readers check the length.
 */
static struct nla_policy pxe_policy[PXE_A_MAX + 1] = {
	[PXE_A_IFINDEX]	= { .type = NLA_U32 },
	[PXE_A_IFNAME]	= { .type = NLA_STRING },
	[PXE_A_LINK_SERVER]	= { .type = NLA_U32 },
	[PXE_A_LINK_RX_PACKETS]	= { .type = NLA_U64 },
	[PXE_A_POOL_NAME]	= { .type = NLA_STRING },
	[PXE_A_POOL_START]	= { .type = NLA_U32 },
	[PXE_A_POOL_END]	= { .type = NLA_U32 },
	[PXE_A_POOL_NETMASK]	= { .type = NLA_U32 },
	[PXE_A_POOL_ROUTER]	= { .type = NLA_U32 },
	[PXE_A_POOL_DNS]	= { .type = NLA_UNSPEC },
	[PXE_A_POOL_DOMAIN]	= { .type = NLA_STRING },
	[PXE_A_POOL_LEASE_TIME]	= { .type = NLA_U32 },
	[PXE_A_POOL_PROXY]	= { .type = NLA_FLAG },
	[PXE_A_POOL_SIZE]	= { .type = NLA_U32 },
	[PXE_A_POOL_USED]	= { .type = NLA_U32 },
	[PXE_A_HOST_MAC]	= { .type = NLA_UNSPEC },
	[PXE_A_HOST_ADDR]	= { .type = NLA_U32 },
	[PXE_A_HOST_NAME]	= { .type = NLA_STRING },
	[PXE_A_BOOT_ID]	= { .type = NLA_U32 },
	[PXE_A_BOOT_ARCH]	= { .type = NLA_U16 },
	[PXE_A_BOOT_VENDOR]	= { .type = NLA_STRING },
	[PXE_A_BOOT_USER_CLASS]	= { .type = NLA_STRING },
	[PXE_A_BOOT_MAC]	= { .type = NLA_UNSPEC },
	[PXE_A_BOOT_MAC_LEN]	= { .type = NLA_U8 },
	[PXE_A_BOOT_POOL]	= { .type = NLA_STRING },
	[PXE_A_BOOT_FILE]	= { .type = NLA_STRING },
	[PXE_A_BOOT_SERVER]	= { .type = NLA_U32 },
	[PXE_A_BOOT_PRIO]	= { .type = NLA_U32 },
	[PXE_A_BOOT_HITS]	= { .type = NLA_U64 },
	[PXE_A_BOOT_ARCH_ALT]	= { .type = NLA_U16 },
	[PXE_A_LEASE_MAC]	= { .type = NLA_UNSPEC },
	[PXE_A_LEASE_ADDR]	= { .type = NLA_U32 },
	[PXE_A_LEASE_EXPIRES]	= { .type = NLA_U32 },
	[PXE_A_LEASE_STATE]	= { .type = NLA_U8 },
	[PXE_A_LEASE_POOL]	= { .type = NLA_STRING },
	[PXE_A_LEASE_CLIENT_ID]	= { .type = NLA_UNSPEC },
	[PXE_A_LEASE_HOSTNAME]	= { .type = NLA_STRING },
	[PXE_A_LEASE_EVENT]	= { .type = NLA_U8 },
	[PXE_A_LEASE_BOOT_FILE]	= { .type = NLA_STRING },
	[PXE_A_IMAGE_NAME]	= { .type = NLA_STRING },
	[PXE_A_IMAGE_SIZE]	= { .type = NLA_U64 },
	[PXE_A_IMAGE_UPLOAD]	= { .type = NLA_U32 },
	[PXE_A_IMAGE_OFFSET]	= { .type = NLA_U64 },
	[PXE_A_IMAGE_DATA]	= { .type = NLA_UNSPEC },
	[PXE_A_IMAGE_SHA256]	= { .type = NLA_UNSPEC },
	[PXE_A_IMAGE_ACTIVE]	= { .type = NLA_U32 },
	[PXE_A_IMAGE_DOWNLOADS]	= { .type = NLA_U64 },
	[PXE_A_TFTP_EVENT]	= { .type = NLA_U8 },
	[PXE_A_TFTP_CLIENT]	= { .type = NLA_U32 },
	[PXE_A_TFTP_CLIENT_PORT]	= { .type = NLA_U16 },
	[PXE_A_TFTP_FILE]	= { .type = NLA_STRING },
	[PXE_A_TFTP_BYTES]	= { .type = NLA_U64 },
	[PXE_A_TFTP_DURATION]	= { .type = NLA_U64 },
	[PXE_A_TFTP_ERROR]	= { .type = NLA_U16 },
	[PXE_A_TFTP_MESSAGE]	= { .type = NLA_STRING },
	[PXE_A_TFTP_BLKSIZE]	= { .type = NLA_U16 },
	[PXE_A_TFTP_WINDOWSIZE]	= { .type = NLA_U16 },
	[PXE_A_STATS]	= { .type = NLA_NESTED },
	[PXE_A_LIMIT_IMAGE_MEMORY]	= { .type = NLA_U64 },
	[PXE_A_LIMIT_TFTP_SESSIONS]	= { .type = NLA_U32 },
	[PXE_A_LIMIT_TFTP_PER_CLIENT]	= { .type = NLA_U32 },
	[PXE_A_LIMIT_TFTP_BLKSIZE]	= { .type = NLA_U32 },
	[PXE_A_LIMIT_TFTP_WINDOWSIZE]	= { .type = NLA_U32 },
	[PXE_A_IMAGE_MEMORY_USED]	= { .type = NLA_U64 },
	[PXE_A_TFTP_SESSIONS_ACTIVE]	= { .type = NLA_U32 },
	[PXE_A_POOL_START6]	= { .type = NLA_UNSPEC, .minlen = 16 },
	[PXE_A_POOL_END6]	= { .type = NLA_UNSPEC, .minlen = 16 },
	[PXE_A_POOL_DNS6]	= { .type = NLA_UNSPEC },
	[PXE_A_LEASE_ADDR6]	= { .type = NLA_UNSPEC, .minlen = 16 },
	[PXE_A_LEASE_DUID]	= { .type = NLA_UNSPEC },
	[PXE_A_LEASE_IAID]	= { .type = NLA_U32 },
	[PXE_A_TFTP_CLIENT6]	= { .type = NLA_UNSPEC, .minlen = 16 },
	[PXE_A_LINK_RA]	= { .type = NLA_FLAG },
	[PXE_A_HOST_ADDR6]	= { .type = NLA_UNSPEC, .minlen = 16 },
};

/* Names for the attributes the kernel points at without saying why. */
static const char *const pxe_attr_names[PXE_A_MAX + 1] = {
	[PXE_A_IFINDEX]	= "ifindex",
	[PXE_A_IFNAME]	= "ifname",
	[PXE_A_LINK_SERVER]	= "link-server",
	[PXE_A_LINK_RX_PACKETS]	= "link-rx-packets",
	[PXE_A_LINK_RA]	= "link-ra",
	[PXE_A_POOL_NAME]	= "pool-name",
	[PXE_A_POOL_START]	= "pool-start",
	[PXE_A_POOL_END]	= "pool-end",
	[PXE_A_POOL_NETMASK]	= "pool-netmask",
	[PXE_A_POOL_ROUTER]	= "pool-router",
	[PXE_A_POOL_DNS]	= "pool-dns",
	[PXE_A_POOL_DOMAIN]	= "pool-domain",
	[PXE_A_POOL_LEASE_TIME]	= "pool-lease-time",
	[PXE_A_POOL_PROXY]	= "pool-proxy",
	[PXE_A_POOL_SIZE]	= "pool-size",
	[PXE_A_POOL_USED]	= "pool-used",
	[PXE_A_HOST_MAC]	= "host-mac",
	[PXE_A_HOST_ADDR]	= "host-addr",
	[PXE_A_HOST_NAME]	= "host-name",
	[PXE_A_HOST_ADDR6]	= "host-addr6",
	[PXE_A_BOOT_ID]	= "boot-id",
	[PXE_A_BOOT_ARCH]	= "boot-arch",
	[PXE_A_BOOT_VENDOR]	= "boot-vendor",
	[PXE_A_BOOT_USER_CLASS]	= "boot-user-class",
	[PXE_A_BOOT_MAC]	= "boot-mac",
	[PXE_A_BOOT_MAC_LEN]	= "boot-mac-len",
	[PXE_A_BOOT_POOL]	= "boot-pool",
	[PXE_A_BOOT_FILE]	= "boot-file",
	[PXE_A_BOOT_SERVER]	= "boot-server",
	[PXE_A_BOOT_PRIO]	= "boot-prio",
	[PXE_A_BOOT_HITS]	= "boot-hits",
	[PXE_A_BOOT_ARCH_ALT]	= "boot-arch-alt",
	[PXE_A_LEASE_MAC]	= "lease-mac",
	[PXE_A_LEASE_ADDR]	= "lease-addr",
	[PXE_A_LEASE_EXPIRES]	= "lease-expires",
	[PXE_A_LEASE_STATE]	= "lease-state",
	[PXE_A_LEASE_POOL]	= "lease-pool",
	[PXE_A_LEASE_CLIENT_ID]	= "lease-client-id",
	[PXE_A_LEASE_HOSTNAME]	= "lease-hostname",
	[PXE_A_LEASE_EVENT]	= "lease-event",
	[PXE_A_LEASE_BOOT_FILE]	= "lease-boot-file",
	[PXE_A_IMAGE_NAME]	= "image-name",
	[PXE_A_IMAGE_SIZE]	= "image-size",
	[PXE_A_IMAGE_UPLOAD]	= "image-upload",
	[PXE_A_IMAGE_OFFSET]	= "image-offset",
	[PXE_A_IMAGE_DATA]	= "image-data",
	[PXE_A_IMAGE_SHA256]	= "image-sha256",
	[PXE_A_IMAGE_ACTIVE]	= "image-active",
	[PXE_A_IMAGE_DOWNLOADS]	= "image-downloads",
	[PXE_A_TFTP_EVENT]	= "tftp-event",
	[PXE_A_TFTP_CLIENT]	= "tftp-client",
	[PXE_A_TFTP_CLIENT_PORT]	= "tftp-client-port",
	[PXE_A_TFTP_FILE]	= "tftp-file",
	[PXE_A_TFTP_BYTES]	= "tftp-bytes",
	[PXE_A_TFTP_DURATION]	= "tftp-duration",
	[PXE_A_TFTP_ERROR]	= "tftp-error",
	[PXE_A_TFTP_MESSAGE]	= "tftp-message",
	[PXE_A_TFTP_BLKSIZE]	= "tftp-blksize",
	[PXE_A_TFTP_WINDOWSIZE]	= "tftp-windowsize",
	[PXE_A_STATS]	= "stats",
	[PXE_A_LIMIT_IMAGE_MEMORY]	= "limit-image-memory",
	[PXE_A_LIMIT_TFTP_SESSIONS]	= "limit-tftp-sessions",
	[PXE_A_LIMIT_TFTP_PER_CLIENT]	= "limit-tftp-per-client",
	[PXE_A_LIMIT_TFTP_BLKSIZE]	= "limit-tftp-blksize",
	[PXE_A_LIMIT_TFTP_WINDOWSIZE]	= "limit-tftp-windowsize",
	[PXE_A_IMAGE_MEMORY_USED]	= "image-memory-used",
	[PXE_A_TFTP_SESSIONS_ACTIVE]	= "tftp-sessions-active",
	[PXE_A_POOL_START6]	= "pool-start6",
	[PXE_A_POOL_END6]	= "pool-end6",
	[PXE_A_POOL_DNS6]	= "pool-dns6",
};

static struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
};

/* What came back for one request. */
struct reply {
	const char *what;	/* names the request in errors */
	struct nl_msg *request;
	reply_fn fn;
	void *arg;
	bool done;		/* the ACK, the error or NLMSG_DONE arrived */
	bool failed;		/* a reply was unusable; the error is printed */
	bool interrupted;	/* the table changed while it was dumped */
	bool hold;		/* a dump: parts wait in held[] for its end */
	struct nl_msg **held;
	size_t n_held, max_held;
	int error;		/* errno from the kernel, 0 on success */
	char message[256];	/* the kernel's extack message, "" if none */
	int bad_attr;		/* attribute type the kernel rejected, or -1 */
	int missing_attr;	/* attribute type the kernel needed, or -1 */
};

void pxe_nl_close(void)
{
	nl_socket_free(sock);
	sock = NULL;
}

static int nl_open(void)
{
	struct nl_cb *cb;
	int err, one = 1;

	if (sock)
		return 0;

	/* NL_CB_DEBUG dumps every message sent and received to stderr. */
	cb = nl_cb_alloc(netlink_debug ? NL_CB_DEBUG : NL_CB_DEFAULT);
	sock = cb ? nl_socket_alloc_cb(cb) : NULL;
	nl_cb_put(cb);
	if (!sock) {
		pxe_error(NULL, "out of memory");
		return -1;
	}

	err = genl_connect(sock);
	if (err < 0) {
		pxe_error(NULL, "cannot open a generic netlink socket: %s",
			  nl_geterror(err));
		goto close;
	}

	/*
	 * Ask for the kernel's error messages.  libnl 3.7 has no
	 * nl_socket_set_ext_ack(); kernels before 4.12 refuse the option and
	 * then errno alone has to do, so a failure here is not one.
	 */
	(void)setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));

	family = genl_ctrl_resolve(sock, PXE_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		pxe_error(NULL, "pxe module not loaded (generic netlink family \"%s\" not found)",
			  PXE_GENL_NAME);
		goto close;
	}
	if (family < 0) {
		pxe_error(NULL, "cannot look up generic netlink family \"%s\": %s",
			  PXE_GENL_NAME, nl_geterror(family));
		goto close;
	}
	return 0;

close:
	pxe_nl_close();
	return -1;
}

struct nl_msg *pxe_msg_new(uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	if (nl_open())
		return NULL;

	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags, cmd, PXE_GENL_VERSION)) {
		nlmsg_free(msg);
		pxe_error(NULL, "out of memory");
		return NULL;
	}
	return msg;
}

int pxe_msg_abort(const char *what, struct nl_msg *msg, int nlerr)
{
	nlmsg_free(msg);
	pxe_error(what, "cannot build the request: %s", nl_geterror(nlerr));
	return -1;
}

static const char *attr_name(int type)
{
	static char number[32];

	if (type > 0 && type <= PXE_A_MAX && pxe_attr_names[type])
		return pxe_attr_names[type];
	snprintf(number, sizeof(number), "number %d", type);
	return number;
}

/* NLMSGERR_ATTR_OFFS counts from the start of our request's header. */
static int attr_at_offset(struct nl_msg *request, uint32_t offset)
{
	struct nlmsghdr *hdr = nlmsg_hdr(request);

	if (offset < NLMSG_HDRLEN + GENL_HDRLEN || offset > hdr->nlmsg_len ||
	    hdr->nlmsg_len - offset < NLA_HDRLEN)
		return -1;
	return nla_type((struct nlattr *)((char *)hdr + offset));
}

/*
 * The extended ACK: attributes that follow the @fixed bytes of an
 * NLMSG_ERROR or NLMSG_DONE payload, present when NLM_F_ACK_TLVS says so.
 */
static void read_extack(struct nlmsghdr *hdr, size_t fixed,
			struct reply *reply)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    fixed > (size_t)nlmsg_datalen(hdr) ||
	    nlmsg_parse(hdr, fixed, tb, NLMSGERR_ATTR_MAX, extack_policy) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(reply->message, sizeof(reply->message), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		reply->bad_attr = attr_at_offset(reply->request,
				nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		reply->missing_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static void read_nlmsgerr(struct nlmsghdr *hdr, struct reply *reply)
{
	struct nlmsgerr *err = nlmsg_data(hdr);
	size_t fixed = sizeof(*err);

	/* Unless capped, the kernel echoes our whole request before the TLVs. */
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		fixed = sizeof(err->error) + (size_t)err->msg.nlmsg_len;

	reply->error = -err->error;
	read_extack(hdr, fixed, reply);
	reply->done = true;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	/* libnl passes the payload; the flags are in the header before it. */
	read_nlmsgerr((struct nlmsghdr *)((char *)err - NLMSG_HDRLEN), arg);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	read_nlmsgerr(nlmsg_hdr(msg), arg);
	return NL_STOP;
}

/* The end of a dump; one that failed part-way carries its error here. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct reply *reply = arg;
	int error;

	if (nlmsg_datalen(hdr) >= (int)sizeof(error)) {
		memcpy(&error, nlmsg_data(hdr), sizeof(error));
		if (error < 0)
			reply->error = -error;
		read_extack(hdr, sizeof(error), reply);
	}
	reply->done = true;
	return NL_STOP;
}

static void deliver(struct reply *reply, struct nl_msg *msg)
{
	struct nlattr *attrs[PXE_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, PXE_A_MAX, pxe_policy) < 0) {
		pxe_error(reply->what, "malformed reply from the kernel (%s)",
			  SAME_RELEASE_HINT);
		reply->failed = true;
	} else if (reply->fn(attrs, reply->arg) < 0) {
		reply->failed = true;
	}
}

static void hold(struct reply *reply, struct nl_msg *msg)
{
	if (reply->n_held == reply->max_held) {
		size_t max = reply->max_held ? 2 * reply->max_held : 64;
		struct nl_msg **held = realloc(reply->held,
					       max * sizeof(*held));

		if (!held) {
			pxe_error(reply->what, "out of memory");
			reply->failed = true;
			return;
		}
		reply->held = held;
		reply->max_held = max;
	}
	nlmsg_get(msg);
	reply->held[reply->n_held++] = msg;
}

static void drop_held(struct reply *reply)
{
	while (reply->n_held)
		nlmsg_free(reply->held[--reply->n_held]);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply *reply = arg;

	/* After a bad reply, keep reading so the socket is clean for the next. */
	if (reply->failed || !reply->fn)
		return NL_OK;
	if (reply->hold)
		hold(reply, msg);
	else
		deliver(reply, msg);
	return NL_OK;
}

static int on_dump_interrupted(struct nl_msg *msg, void *arg)
{
	struct reply *reply = arg;

	reply->interrupted = true;
	return NL_OK;
}

/* Out of sequence or truncated: not an answer to what we asked. */
static int on_invalid(struct nl_msg *msg, void *arg)
{
	struct reply *reply = arg;

	reply->error = EPROTO;
	reply->done = true;
	return NL_STOP;
}

static struct nl_cb *reply_callbacks(struct reply *reply)
{
	struct nl_cb *socket_cb = nl_socket_get_cb(sock);
	struct nl_cb *cb = nl_cb_clone(socket_cb);

	nl_cb_put(socket_cb);
	if (!cb)
		return NULL;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, reply);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, reply);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, reply);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, reply);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_interrupted, reply);
	nl_cb_set(cb, NL_CB_INVALID, NL_CB_CUSTOM, on_invalid, reply);
	return cb;
}

static int wait_for_reply(struct nl_cb *cb, struct reply *reply)
{
	int received;

	while (!reply->done) {
		received = nl_recvmsgs_report(sock, cb);
		if (reply->done)
			break;
		if (received < 0) {
			pxe_error(reply->what, "cannot read the kernel's answer: %s",
				  nl_geterror(received));
			return -1;
		}
		if (received == 0) {
			pxe_error(reply->what, "the netlink socket closed before the kernel answered");
			return -1;
		}
	}
	return 0;
}

static void print_kernel_error(const struct reply *reply)
{
	const char *reason = strerror(reply->error);

	if (reply->message[0])
		pxe_error(reply->what, "%s", reply->message);
	else if (reply->error == EPERM)
		pxe_error(reply->what, "%s (needs CAP_NET_ADMIN over this network namespace)",
			  reason);
	else if (reply->missing_attr >= 0)
		pxe_error(reply->what, "%s (the kernel needs attribute %s: %s)",
			  reason, attr_name(reply->missing_attr),
			  SAME_RELEASE_HINT);
	else if (reply->bad_attr >= 0)
		pxe_error(reply->what, "%s (attribute %s)", reason,
			  attr_name(reply->bad_attr));
	else
		pxe_error(reply->what, "%s", reason);
}

static int report(const struct reply *reply)
{
	if (reply->failed)
		return -1;
	if (reply->error) {
		print_kernel_error(reply);
		return -1;
	}
	if (reply->interrupted) {
		pxe_error(reply->what, "the table changed while it was read, %d times in a row; run the command again when it is quieter",
			  DUMP_TRIES);
		return -1;
	}
	/* An extack message on success is the kernel's warning. */
	if (reply->message[0])
		pxe_error(reply->what, "warning: %s", reply->message);
	return 0;
}

/* pxe_request(), but the kernel's @answer errno is returned unprinted. */
static int request(const char *what, struct nl_msg *msg, reply_fn fn,
		   void *arg, int answer)
{
	struct reply reply = {
		.what = what,
		.request = msg,
		.fn = fn,
		.arg = arg,
		.bad_attr = -1,
		.missing_attr = -1,
	};
	struct nl_cb *cb = reply_callbacks(&reply);
	bool dump = (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int ret = -1, err, tries;
	size_t i;

	if (!cb) {
		pxe_error(NULL, "out of memory");
		goto out;
	}
	reply.hold = dump && fn;
	for (tries = 1; ; tries++) {
		nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
		err = nl_send_auto(sock, msg);
		if (err < 0) {
			pxe_error(what, "cannot send the request: %s",
				  nl_geterror(err));
			goto out;
		}
		if (wait_for_reply(cb, &reply))
			goto out;
		if (!dump || !reply.interrupted || reply.failed ||
		    reply.error || tries == DUMP_TRIES)
			break;
		drop_held(&reply);
		reply.done = false;
		reply.interrupted = false;
	}
	if (answer && reply.error == answer && !reply.failed) {
		ret = answer;
		goto out;
	}
	ret = report(&reply);
	for (i = 0; !ret && i < reply.n_held && !reply.failed; i++)
		deliver(&reply, reply.held[i]);
	if (reply.failed)
		ret = -1;
out:
	drop_held(&reply);
	free(reply.held);
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}

struct nl_msg **pxe_record;

int pxe_request(const char *what, struct nl_msg *msg, reply_fn fn, void *arg)
{
	if (pxe_record) {
		nlmsg_free(*pxe_record);
		*pxe_record = msg;
		return 0;
	}
	return request(what, msg, fn, arg, 0);
}

int pxe_request_or(const char *what, struct nl_msg *msg, int answer)
{
	return request(what, msg, NULL, NULL, answer);
}

/* A notification from the monitor group: parsed and handed on. */
static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *attrs[PXE_A_MAX + 1];
	struct monitor *monitor = arg;
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, PXE_A_MAX, pxe_policy) < 0) {
		pxe_error("monitor", "malformed event from the kernel (%s)",
			  SAME_RELEASE_HINT);
		return NL_OK;
	}
	if (monitor->fn(ghdr->cmd, attrs, monitor->arg) < 0)
		monitor->failed = true;
	return NL_OK;
}

int pxe_monitor(struct monitor *monitor)
{
	int group, err;

	if (nl_open())
		return -1;
	group = genl_ctrl_resolve_grp(sock, PXE_GENL_NAME, PXE_MCGRP_MONITOR);
	if (group < 0) {
		pxe_error("monitor", "cannot find multicast group \"%s\": %s",
			  PXE_MCGRP_MONITOR, nl_geterror(group));
		return -1;
	}
	err = nl_socket_add_membership(sock, group);
	if (err == -NLE_PERM) {
		pxe_error("monitor", "events need CAP_NET_ADMIN over the network namespace (%s)",
			  nl_geterror(err));
		return -1;
	}
	if (err < 0) {
		pxe_error("monitor", "cannot join multicast group \"%s\": %s",
			  PXE_MCGRP_MONITOR, nl_geterror(err));
		return -1;
	}
	/* Events carry no sequence numbers. */
	nl_socket_disable_seq_check(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, on_event, monitor);
	if (monitor->ready)
		monitor->ready(monitor->arg);

	while (!monitor->failed) {
		err = nl_recvmsgs_default(sock);
		/* Events dropped while we were slow: say so, keep going. */
		if (err == -NLE_NOMEM) {
			pxe_error("monitor", "events were lost (the socket buffer overflowed)");
			continue;
		}
		if (err < 0) {
			pxe_error("monitor", "cannot read events: %s",
				  nl_geterror(err));
			return -1;
		}
	}
	return -1;
}

/*
 * Pipelined requests, for bulk transfers: the kernel handles each request
 * while it is sent, so waiting for its ACK before sending the next one only
 * adds a round trip per request.  Answers still come back in order and are
 * read in order, each checked against the request it answers.
 */
int pxe_pipeline_begin(struct pxe_pipeline *p, const char *what)
{
	int one = 1;

	memset(p, 0, sizeof(*p));
	p->what = what;
	if (nl_open())
		return -1;
	/*
	 * Room for a request of the largest size; errors must not echo
	 * requests back, or a few of them fill the receive buffer.
	 */
	if (nl_socket_set_buffer_size(sock, 1 << 20, 1 << 20) < 0 ||
	    setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one))) {
		pxe_error(what, "cannot size the netlink socket's buffers: %s",
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads the oldest answer; after a failure, reads it without a word. */
static int pipeline_read_one(struct pxe_pipeline *p)
{
	struct nl_msg *msg = p->msgs[p->head];
	struct reply reply = {
		.what = p->what,
		.request = msg,
		.bad_attr = -1,
		.missing_attr = -1,
	};
	struct nl_cb *cb = reply_callbacks(&reply);
	int ret = -1;

	if (!cb) {
		pxe_error(NULL, "out of memory");
	} else if (wait_for_reply(cb, &reply) == 0) {
		ret = 0;
		if (!p->failed && report(&reply))
			ret = -1;
	}
	nl_cb_put(cb);
	nlmsg_free(msg);
	p->head = (p->head + 1) % PXE_PIPELINE_MAX;
	p->count--;
	return ret;
}

int pxe_pipeline_wait(struct pxe_pipeline *p, unsigned int left)
{
	while (p->count > left) {
		if (pipeline_read_one(p)) {
			p->failed = true;
			/* The socket stays usable: read what is still due. */
			while (p->count)
				pipeline_read_one(p);
		}
	}
	return p->failed ? -1 : 0;
}

int pxe_pipeline_send(struct pxe_pipeline *p, struct nl_msg *msg)
{
	int err;

	if (p->count == PXE_PIPELINE_MAX &&
	    pxe_pipeline_wait(p, PXE_PIPELINE_MAX - 1)) {
		nlmsg_free(msg);
		return -1;
	}
	err = nl_send_auto(sock, msg);
	if (err < 0) {
		pxe_error(p->what, "cannot send the request: %s",
			  nl_geterror(err));
		nlmsg_free(msg);
		pxe_pipeline_wait(p, 0);
		p->failed = true;
		return -1;
	}
	p->msgs[(p->head + p->count) % PXE_PIPELINE_MAX] = msg;
	p->count++;
	return 0;
}
