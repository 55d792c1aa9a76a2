// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for pxectl tests: marks every part of the first
 * PXE_TEST_DUMP_INTR netlink dumps a process reads NLM_F_DUMP_INTR, as the
 * kernel does when the table changes between two parts, so that pxectl's
 * retry is tested without racing a change against a dump.
 *
 *   cc -shared -fPIC -o dump_intr.so dump_intr.c -ldl
 *   PXE_TEST_DUMP_INTR=2 LD_PRELOAD=./dump_intr.so pxectl lease show
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static long dumps_done;

ssize_t recvmsg(int fd, struct msghdr *mh, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	const char *limit = getenv("PXE_TEST_DUMP_INTR");
	struct nlmsghdr *nlh;
	ssize_t ret;
	size_t len;

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))dlsym(RTLD_NEXT, "recvmsg");
	ret = real(fd, mh, flags);
	if (ret <= 0 || !limit || mh->msg_iovlen < 1)
		return ret;
	len = (size_t)ret < mh->msg_iov[0].iov_len ? (size_t)ret :
						      mh->msg_iov[0].iov_len;
	for (nlh = mh->msg_iov[0].iov_base; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (!(nlh->nlmsg_flags & NLM_F_MULTI) ||
		    dumps_done >= atol(limit))
			continue;
		nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
		/* A peek is read again: count each dump's end once. */
		if (nlh->nlmsg_type == NLMSG_DONE && !(flags & MSG_PEEK))
			dumps_done++;
	}
	return ret;
}
