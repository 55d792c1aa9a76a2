// SPDX-License-Identifier: GPL-2.0
/*
 * The "pxe" generic netlink family spoken raw, without libnl or pxectl: the
 * errno and the extended-ack message of every refused LINK request, and what
 * a dump returns.  Each test runs in a network namespace of its own, where
 * only "lo" exists and has no address yet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pxe.h>

#include "kselftest_harness.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define SERVER_ADDR "10.0.0.1"

struct request {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[256];
};

/* What the kernel answered: the ack's error and extack message. */
struct reply {
	int error;		/* 0 or -errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
};

/* One link as a dump or a get describes it. */
struct link_entry {
	__u32 ifindex;
	char ifname[IFNAMSIZ];
	__u32 server;		/* network byte order */
	bool has_rx_packets;
};

static void put_attr(struct request *req, __u16 type, const void *data,
		     __u16 len)
{
	struct nlattr *nla = (void *)((char *)req + NLMSG_ALIGN(req->nlh.nlmsg_len));

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	req->nlh.nlmsg_len = NLMSG_ALIGN(req->nlh.nlmsg_len) + NLA_ALIGN(nla->nla_len);
}

static void put_u32(struct request *req, __u16 type, __u32 value)
{
	put_attr(req, type, &value, sizeof(value));
}

static void init_request(struct request *req, __u16 family, __u8 cmd,
			 __u16 flags)
{
	static __u32 seq;

	memset(req, 0, sizeof(*req));
	req->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req->nlh.nlmsg_type = family;
	req->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req->nlh.nlmsg_seq = ++seq;
	req->genl.cmd = cmd;
	req->genl.version = PXE_GENL_VERSION;
}

static int nl_open(void)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The extack message of an NLMSG_ERROR, if the kernel attached one. */
static void parse_extack(const struct nlmsghdr *nlh, struct reply *reply)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	const struct nlattr *nla;
	size_t off = sizeof(*err);
	size_t end = nlh->nlmsg_len - NLMSG_HDRLEN;

	reply->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Unless capped, the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= end) {
		nla = (const void *)((const char *)err + off);
		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > end)
			break;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(reply->msg, sizeof(reply->msg), "%.*s",
				 (int)(nla->nla_len - NLA_HDRLEN),
				 (const char *)nla + NLA_HDRLEN);
		off += NLA_ALIGN(nla->nla_len);
	}
}

static void parse_link(const struct nlmsghdr *nlh, struct link_entry *link)
{
	const struct nlattr *nla;
	int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	memset(link, 0, sizeof(*link));
	nla = (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	for (; len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN && nla->nla_len <= len;
	     len -= NLA_ALIGN(nla->nla_len),
	     nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len))) {
		const void *data = (const char *)nla + NLA_HDRLEN;

		switch (nla->nla_type & NLA_TYPE_MASK) {
		case PXE_A_IFINDEX:
			memcpy(&link->ifindex, data, 4);
			break;
		case PXE_A_IFNAME:
			snprintf(link->ifname, sizeof(link->ifname), "%.*s",
				 (int)(nla->nla_len - NLA_HDRLEN), (const char *)data);
			break;
		case PXE_A_LINK_SERVER:
			memcpy(&link->server, data, 4);
			break;
		case PXE_A_LINK_RX_PACKETS:
			link->has_rx_packets = true;
			break;
		}
	}
}

/*
 * Sends @req and reads until its ack (or NLMSG_DONE for a dump), filling
 * up to @max entries of @links from the data messages.  Returns the number
 * of data messages, or -1 on a socket error; reply->error is the ack's.
 */
static int transact(int fd, struct request *req, struct reply *reply,
		    struct link_entry *links, int max)
{
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh;
	int count = 0;
	ssize_t len;

	memset(reply, 0, sizeof(*reply));
	if (send(fd, req, req->nlh.nlmsg_len, 0) != (ssize_t)req->nlh.nlmsg_len)
		return -1;
	for (;;) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len <= 0)
			return -1;
		for (nlh = (void *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != req->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_extack(nlh, reply);
				return count;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* Ends a dump (which gets no separate ack). */
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					reply->error = *(int *)NLMSG_DATA(nlh);
				return count;
			}
			if (count < max)
				parse_link(nlh, &links[count]);
			count++;
		}
	}
}

/* The id of family @name, or 0 (with reply->error set) if it is missing. */
static __u16 resolve_family(int fd, const char *name, struct reply *reply)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct request req;
	struct nlmsghdr *nlh;
	struct nlattr *nla;
	__u16 id = 0;
	ssize_t len;
	int alen;

	init_request(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	req.nlh.nlmsg_flags &= ~NLM_F_ACK;
	req.genl.version = 1;
	put_attr(&req, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	memset(reply, 0, sizeof(*reply));
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0)
		return 0;
	len = recv(fd, buf, sizeof(buf), 0);
	nlh = (void *)buf;
	if (len <= 0 || !NLMSG_OK(nlh, len))
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		parse_extack(nlh, reply);
		return 0;
	}
	alen = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	nla = (void *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	for (; alen >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN && nla->nla_len <= alen;
	     alen -= NLA_ALIGN(nla->nla_len),
	     nla = (void *)((char *)nla + NLA_ALIGN(nla->nla_len)))
		if (nla->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&id, (char *)nla + NLA_HDRLEN, sizeof(id));
	return id;
}

FIXTURE(link) {
	int fd;
	__u16 family;
	__u32 server;
	struct request req;
	struct reply reply;
	struct link_entry links[8];
};

FIXTURE_SETUP(link)
{
	/* 6.1's harness runs the test even when its setup SKIPs: fail. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET))
		TH_LOG("unshare(CLONE_NEWNET): %s (run as root, in a VM: selftests/vm-run)",
		       strerror(errno));
	self->fd = nl_open();
	ASSERT_LE(0, self->fd) TH_LOG("netlink socket: %s", strerror(errno));
	self->family = resolve_family(self->fd, PXE_GENL_NAME, &self->reply);
	ASSERT_NE(0, self->family) TH_LOG("generic netlink family \"pxe\" not found (%s): is pxe.ko loaded?",
					   strerror(-self->reply.error));
	self->server = inet_addr(SERVER_ADDR);
}

FIXTURE_TEARDOWN(link)
{
	close(self->fd);
}

/* A do-request; returns the ack's error (0 or -errno). */
static int link_do(FIXTURE_DATA(link) *self, __u8 cmd, int ifindex,
		   const __u32 *server)
{
	init_request(&self->req, self->family, cmd, 0);
	if (ifindex)
		put_u32(&self->req, PXE_A_IFINDEX, ifindex);
	if (server)
		put_u32(&self->req, PXE_A_LINK_SERVER, *server);
	if (transact(self->fd, &self->req, &self->reply, self->links, 8) < 0)
		return -EIO;
	return self->reply.error;
}

/* A dump of every link; returns how many (or -1 on failure). */
static int link_dump(FIXTURE_DATA(link) *self)
{
	int count;

	init_request(&self->req, self->family, PXE_CMD_LINK_GET, NLM_F_DUMP);
	count = transact(self->fd, &self->req, &self->reply, self->links, 8);
	if (count < 0 || self->reply.error)
		return -1;
	return count;
}

#define EXPECT_EXTACK(text) \
	EXPECT_NE(NULL, strstr(self->reply.msg, text)) \
		TH_LOG("extack \"%s\", expected \"%s\"", self->reply.msg, text)

TEST_F(link, fresh_netns_dump_is_empty)
{
	ASSERT_EQ(0, link_dump(self));
}

TEST_F(link, new_without_device_is_einval_missing_device)
{
	ASSERT_EQ(-EINVAL, link_do(self, PXE_CMD_LINK_NEW, 0, &self->server));
	EXPECT_EXTACK("missing device");
	EXPECT_EXTACK("PXE_A_IFINDEX or PXE_A_IFNAME is required");
}

TEST_F(link, new_with_unknown_ifindex_is_enodev)
{
	ASSERT_EQ(-ENODEV, link_do(self, PXE_CMD_LINK_NEW, 9999, &self->server));
	EXPECT_EXTACK("no such network device");
}

TEST_F(link, new_on_lo_without_address_is_eaddrnotavail)
{
	ASSERT_EQ(-EADDRNOTAVAIL, link_do(self, PXE_CMD_LINK_NEW, 1, NULL));
	EXPECT_EXTACK("device has no IPv4 address; give one with 'server ADDR'");
	EXPECT_EQ(0, link_dump(self));
}

TEST_F(link, new_on_lo_with_server_then_dump_lists_it)
{
	ASSERT_EQ(0, link_do(self, PXE_CMD_LINK_NEW, 1, &self->server));
	EXPECT_STREQ("", self->reply.msg);
	ASSERT_EQ(1, link_dump(self));
	EXPECT_EQ(1, self->links[0].ifindex);
	EXPECT_STREQ("lo", self->links[0].ifname);
	EXPECT_EQ(self->server, self->links[0].server);
	EXPECT_TRUE(self->links[0].has_rx_packets);
}

TEST_F(link, new_by_ifname_then_get_by_ifindex)
{
	init_request(&self->req, self->family, PXE_CMD_LINK_NEW, 0);
	put_attr(&self->req, PXE_A_IFNAME, "lo", 3);
	put_u32(&self->req, PXE_A_LINK_SERVER, self->server);
	ASSERT_LE(0, transact(self->fd, &self->req, &self->reply, self->links, 8));
	ASSERT_EQ(0, self->reply.error) TH_LOG("extack: %s", self->reply.msg);

	init_request(&self->req, self->family, PXE_CMD_LINK_GET, 0);
	put_u32(&self->req, PXE_A_IFINDEX, 1);
	ASSERT_EQ(1, transact(self->fd, &self->req, &self->reply, self->links, 8));
	ASSERT_EQ(0, self->reply.error);
	EXPECT_STREQ("lo", self->links[0].ifname);
	EXPECT_EQ(self->server, self->links[0].server);
}

TEST_F(link, second_new_is_eexist)
{
	ASSERT_EQ(0, link_do(self, PXE_CMD_LINK_NEW, 1, &self->server));
	ASSERT_EQ(-EEXIST, link_do(self, PXE_CMD_LINK_NEW, 1, &self->server));
	EXPECT_EXTACK("device already has a pxe link");
	EXPECT_EQ(1, link_dump(self));
}

TEST_F(link, del_then_del_again_is_enoent)
{
	ASSERT_EQ(0, link_do(self, PXE_CMD_LINK_NEW, 1, &self->server));
	ASSERT_EQ(0, link_do(self, PXE_CMD_LINK_DEL, 1, NULL));
	EXPECT_EQ(0, link_dump(self));
	ASSERT_EQ(-ENOENT, link_do(self, PXE_CMD_LINK_DEL, 1, NULL));
	EXPECT_EXTACK("no pxe link on this device");
}

TEST_F(link, get_without_link_is_enoent)
{
	ASSERT_EQ(-ENOENT, link_do(self, PXE_CMD_LINK_GET, 1, NULL));
	EXPECT_EXTACK("no pxe link on this device");
}

TEST_F(link, broadcast_server_is_einval)
{
	__u32 broadcast = 0xffffffff;

	ASSERT_EQ(-EINVAL, link_do(self, PXE_CMD_LINK_NEW, 1, &broadcast));
	EXPECT_EXTACK("server address must be a unicast IPv4 address");
	EXPECT_EQ(0, link_dump(self));
}

TEST_F(link, multicast_server_is_einval)
{
	__u32 multicast = inet_addr("224.0.0.1");

	ASSERT_EQ(-EINVAL, link_do(self, PXE_CMD_LINK_NEW, 1, &multicast));
	EXPECT_EXTACK("server address must be a unicast IPv4 address");
}

TEST_HARNESS_MAIN
