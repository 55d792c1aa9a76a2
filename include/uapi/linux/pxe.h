/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * pxe: in-kernel PXE boot server -- the generic netlink contract.
 *
 * This header is the one definition of the "pxe" family shared by the module
 * (kmod/), pxectl (ctl/) and the tests.  docs/netlink/pxe.yaml describes the
 * same family as a YNL spec; change both together.
 *
 * All state is per network namespace: a request acts on the namespace of the
 * socket it arrives on.  Commands that change state need CAP_NET_ADMIN in the
 * user namespace owning that network namespace.
 */
#ifndef _UAPI_LINUX_PXE_H
#define _UAPI_LINUX_PXE_H

#define PXE_GENL_NAME		"pxe"
#define PXE_GENL_VERSION	1
#define PXE_MCGRP_MONITOR	"monitor"

enum pxe_cmd {
	PXE_CMD_UNSPEC,

	/*
	 * link: the service attached to one network device.
	 *
	 * LINK_NEW   needs IFINDEX or IFNAME; LINK_SERVER is optional and
	 *            defaults to the device's first IPv4 address.
	 * LINK_DEL   needs IFINDEX or IFNAME.
	 * LINK_GET   dump: every link of the namespace; do: the one named.
	 *
	 * LINK_ADD_NTF, LINK_DEL_NTF: sent to the monitor group when a link
	 * appears or goes away (by request, or with its device); the
	 * attributes are those of a LINK_GET reply.
	 */
	PXE_CMD_LINK_NEW,
	PXE_CMD_LINK_DEL,
	PXE_CMD_LINK_GET,
	PXE_CMD_LINK_ADD_NTF,
	PXE_CMD_LINK_DEL_NTF,

	/*
	 * pool: addresses handed out on a link, or a proxyDHCP answerer.
	 *
	 * POOL_NEW   needs POOL_NAME, IFINDEX or IFNAME, and either
	 *            POOL_START + POOL_END or POOL_PROXY.  NETMASK defaults to
	 *            the link address's prefix, LEASE_TIME to 3600.
	 * POOL_DEL   needs POOL_NAME; its leases go with it.
	 * POOL_GET   dump: every pool; do: the one named.
	 */
	PXE_CMD_POOL_NEW,
	PXE_CMD_POOL_DEL,
	PXE_CMD_POOL_GET,

	/* host: a reservation, HOST_MAC -> HOST_ADDR [HOST_NAME]. */
	PXE_CMD_HOST_NEW,
	PXE_CMD_HOST_DEL,
	PXE_CMD_HOST_GET,

	/*
	 * boot: a boot-file rule.  BOOT_NEW needs BOOT_FILE; its reply carries
	 * the new rule's BOOT_ID.  BOOT_DEL needs BOOT_ID.  BOOT_GET dumps the
	 * rules in the order they are tried.
	 */
	PXE_CMD_BOOT_NEW,
	PXE_CMD_BOOT_DEL,
	PXE_CMD_BOOT_GET,

	/*
	 * lease: LEASE_NEW (restore) needs LEASE_MAC and LEASE_ADDR inside a
	 * pool; LEASE_DEL needs LEASE_MAC; LEASE_GET dumps; LEASE_FLUSH drops
	 * every lease.  LEASE_NTF goes to the monitor group with LEASE_EVENT.
	 */
	PXE_CMD_LEASE_NEW,
	PXE_CMD_LEASE_DEL,
	PXE_CMD_LEASE_GET,
	PXE_CMD_LEASE_FLUSH,
	PXE_CMD_LEASE_NTF,

	/*
	 * image: a named blob served over TFTP.
	 *
	 * IMAGE_NEW     IMAGE_NAME + IMAGE_SIZE; reply: IMAGE_UPLOAD, the id of
	 *               the upload (owned by the requesting socket).
	 * IMAGE_WRITE   IMAGE_UPLOAD + IMAGE_OFFSET + IMAGE_DATA.
	 * IMAGE_COMMIT  IMAGE_UPLOAD + IMAGE_SHA256: verified, then published
	 *               under its name, replacing any image of that name.
	 * IMAGE_ABORT   IMAGE_UPLOAD: drop an upload.
	 * IMAGE_DEL     IMAGE_NAME.  IMAGE_GET: dump or the one named.
	 */
	PXE_CMD_IMAGE_NEW,
	PXE_CMD_IMAGE_WRITE,
	PXE_CMD_IMAGE_COMMIT,
	PXE_CMD_IMAGE_ABORT,
	PXE_CMD_IMAGE_DEL,
	PXE_CMD_IMAGE_GET,

	/* TFTP_NTF: a TFTP event (TFTP_EVENT) to the monitor group. */
	PXE_CMD_TFTP_NTF,

	/* STATS_GET: PXE_A_STATS (nested, one u64 per enum pxe_stat). */
	PXE_CMD_STATS_GET,

	/* LIMITS_SET: any of the PXE_A_LIMIT_* attributes; LIMITS_GET. */
	PXE_CMD_LIMITS_SET,
	PXE_CMD_LIMITS_GET,

	__PXE_CMD_MAX
};

#define PXE_CMD_MAX (__PXE_CMD_MAX - 1)

enum pxe_attr {
	PXE_A_UNSPEC,
	PXE_A_PAD,

	PXE_A_IFINDEX,		/* u32 */
	PXE_A_IFNAME,		/* string, < IFNAMSIZ */

	PXE_A_LINK_SERVER,	/* u32, IPv4 address in network byte order */
	PXE_A_LINK_RX_PACKETS,	/* u64, packets seen by the ingress hook */

	PXE_A_POOL_NAME,	/* string, < PXE_NAME_MAX */
	PXE_A_POOL_START,	/* u32, IPv4 address in network byte order */
	PXE_A_POOL_END,		/* u32, IPv4, inclusive */
	PXE_A_POOL_NETMASK,	/* u32, IPv4 mask */
	PXE_A_POOL_ROUTER,	/* u32, IPv4 */
	PXE_A_POOL_DNS,		/* binary: 1..PXE_DNS_MAX IPv4 addresses */
	PXE_A_POOL_DOMAIN,	/* string, < PXE_DOMAIN_MAX */
	PXE_A_POOL_LEASE_TIME,	/* u32, seconds */
	PXE_A_POOL_PROXY,	/* flag: proxyDHCP, no addresses */
	PXE_A_POOL_SIZE,	/* u32, addresses in the range (reply) */
	PXE_A_POOL_USED,	/* u32, addresses offered or leased (reply) */

	PXE_A_HOST_MAC,		/* binary, 6 bytes */
	PXE_A_HOST_ADDR,	/* u32, IPv4 */
	PXE_A_HOST_NAME,	/* string, < PXE_NAME_MAX */

	PXE_A_BOOT_ID,		/* u32 */
	PXE_A_BOOT_ARCH,	/* u16, option 93 code (IANA registry) */
	PXE_A_BOOT_VENDOR,	/* string: option 60 prefix, < PXE_NAME_MAX */
	PXE_A_BOOT_USER_CLASS,	/* string: one user class, < PXE_NAME_MAX */
	PXE_A_BOOT_MAC,		/* binary, 6 bytes */
	PXE_A_BOOT_MAC_LEN,	/* u8, prefix length of BOOT_MAC in bits */
	PXE_A_BOOT_POOL,	/* string, a pool name */
	PXE_A_BOOT_FILE,	/* string, < PXE_FILE_MAX (the BOOTP file field) */
	PXE_A_BOOT_SERVER,	/* u32, IPv4 next server; default: the link's */
	PXE_A_BOOT_PRIO,	/* u32, lower is tried first; default 100 */
	PXE_A_BOOT_HITS,	/* u64, answers this rule gave (reply) */

	PXE_A_LEASE_MAC,	/* binary, 6 bytes */
	PXE_A_LEASE_ADDR,	/* u32, IPv4 */
	PXE_A_LEASE_EXPIRES,	/* u32, seconds from now */
	PXE_A_LEASE_STATE,	/* u8, enum pxe_lease_state */
	PXE_A_LEASE_POOL,	/* string */
	PXE_A_LEASE_CLIENT_ID,	/* binary, option 61 */
	PXE_A_LEASE_HOSTNAME,	/* string, option 12 */
	PXE_A_LEASE_EVENT,	/* u8, enum pxe_lease_event (LEASE_NTF) */
	PXE_A_LEASE_BOOT_FILE,	/* string, boot file given (LEASE_NTF) */

	PXE_A_IMAGE_NAME,	/* string, < PXE_IMAGE_NAME_MAX */
	PXE_A_IMAGE_SIZE,	/* u64, bytes */
	PXE_A_IMAGE_UPLOAD,	/* u32, upload id */
	PXE_A_IMAGE_OFFSET,	/* u64 */
	PXE_A_IMAGE_DATA,	/* binary, <= PXE_IMAGE_CHUNK_MAX */
	PXE_A_IMAGE_SHA256,	/* binary, 32 bytes */
	PXE_A_IMAGE_ACTIVE,	/* u32, downloads in flight (reply) */
	PXE_A_IMAGE_DOWNLOADS,	/* u64, downloads started (reply) */

	PXE_A_TFTP_EVENT,	/* u8, enum pxe_tftp_event */
	PXE_A_TFTP_CLIENT,	/* u32, IPv4 */
	PXE_A_TFTP_CLIENT_PORT,	/* u16, host byte order */
	PXE_A_TFTP_FILE,	/* string, the name requested */
	PXE_A_TFTP_BYTES,	/* u64, bytes acknowledged */
	PXE_A_TFTP_DURATION,	/* u64, nanoseconds */
	PXE_A_TFTP_ERROR,	/* u16, TFTP error code */
	PXE_A_TFTP_MESSAGE,	/* string, the error's text */
	PXE_A_TFTP_BLKSIZE,	/* u16 */
	PXE_A_TFTP_WINDOWSIZE,	/* u16 */

	PXE_A_STATS,		/* nested: u64 per enum pxe_stat */

	PXE_A_LIMIT_IMAGE_MEMORY,	/* u64, bytes for all images */
	PXE_A_LIMIT_TFTP_SESSIONS,	/* u32, sessions at once */
	PXE_A_LIMIT_TFTP_PER_CLIENT,	/* u32, sessions per client address */
	PXE_A_LIMIT_TFTP_BLKSIZE,	/* u32, largest blksize granted */
	PXE_A_LIMIT_TFTP_WINDOWSIZE,	/* u32, largest windowsize granted */
	PXE_A_IMAGE_MEMORY_USED,	/* u64, bytes held by images (reply) */
	PXE_A_TFTP_SESSIONS_ACTIVE,	/* u32, sessions now (reply) */
	PXE_A_LIMIT_TFTP_PORT_MIN,	/* u16, lowest transfer port (>= 1024) */
	PXE_A_LIMIT_TFTP_PORT_MAX,	/* u16, highest transfer port */

	/*
	 * A second option 93 code a boot rule also matches, only with
	 * BOOT_ARCH: RFC 4578 as first published swaps 7 (x64 UEFI) and 9
	 * (EFI byte code), so pxectl's "efi-x64" names both.
	 */
	PXE_A_BOOT_ARCH_ALT,	/* u16 */

	__PXE_A_MAX
};

#define PXE_A_MAX (__PXE_A_MAX - 1)

#define PXE_NAME_MAX		32	/* pool, host, vendor, user class; with NUL */
#define PXE_DOMAIN_MAX		256
#define PXE_FILE_MAX		128	/* the BOOTP file field */
#define PXE_IMAGE_NAME_MAX	256	/* TFTP path; with NUL */
#define PXE_IMAGE_CHUNK_MAX	65000	/* IMAGE_DATA per IMAGE_WRITE */
#define PXE_DNS_MAX		8
#define PXE_BOOT_PRIO_DEFAULT	100

enum pxe_lease_state {
	PXE_LEASE_OFFERED,	/* held for a client between OFFER and REQUEST */
	PXE_LEASE_BOUND,	/* acknowledged */
	PXE_LEASE_DECLINED,	/* quarantined after a DECLINE */
};

enum pxe_lease_event {
	PXE_LEASE_EV_OFFER,
	PXE_LEASE_EV_ACK,
	PXE_LEASE_EV_NAK,
	PXE_LEASE_EV_RELEASE,
	PXE_LEASE_EV_DECLINE,
	PXE_LEASE_EV_EXPIRE,
	PXE_LEASE_EV_INFORM,
};

enum pxe_tftp_event {
	PXE_TFTP_EV_START,	/* RRQ accepted */
	PXE_TFTP_EV_DONE,	/* last block acknowledged */
	PXE_TFTP_EV_ERROR,	/* ended by an ERROR, sent or received */
	PXE_TFTP_EV_TIMEOUT,	/* no ACK after every retry */
};

/*
 * Counters of a namespace, the attribute types inside PXE_A_STATS.  New
 * counters are added at the end; a reader skips those it does not know.
 */
enum pxe_stat {
	PXE_STAT_UNSPEC,

	PXE_STAT_DHCP_RX_DISCOVER,
	PXE_STAT_DHCP_RX_REQUEST,
	PXE_STAT_DHCP_RX_DECLINE,
	PXE_STAT_DHCP_RX_RELEASE,
	PXE_STAT_DHCP_RX_INFORM,
	PXE_STAT_DHCP_RX_OTHER,		/* a type a server never receives */
	PXE_STAT_DHCP_TX_OFFER,
	PXE_STAT_DHCP_TX_ACK,
	PXE_STAT_DHCP_TX_NAK,
	PXE_STAT_DHCP_DROP_TRUNCATED,	/* shorter than the fixed header */
	PXE_STAT_DHCP_DROP_BAD_OP,	/* op is not BOOTREQUEST */
	PXE_STAT_DHCP_DROP_BAD_HTYPE,	/* not Ethernet */
	PXE_STAT_DHCP_DROP_BAD_HLEN,	/* hlen is not 6 */
	PXE_STAT_DHCP_DROP_BAD_COOKIE,
	PXE_STAT_DHCP_DROP_BAD_OPTION,	/* an option runs past the end */
	PXE_STAT_DHCP_DROP_BAD_OVERLOAD, /* option 52 invalid or looping */
	PXE_STAT_DHCP_DROP_NO_TYPE,	/* no option 53 */
	PXE_STAT_DHCP_DROP_NO_POOL,	/* no pool serves the client's subnet */
	PXE_STAT_DHCP_DROP_EXHAUSTED,	/* the pool has no free address */
	PXE_STAT_DHCP_DROP_NOT_OURS,	/* REQUEST for another server */
	PXE_STAT_DHCP_DROP_NOMEM,
	PXE_STAT_DHCP_DECLINED,		/* addresses quarantined */

	PXE_STAT_TFTP_RX_RRQ,
	PXE_STAT_TFTP_RX_WRQ,
	PXE_STAT_TFTP_RX_ACK,
	PXE_STAT_TFTP_RX_ERROR,		/* client aborts, ERROR 8 included */
	PXE_STAT_TFTP_RX_DUP_ACK,	/* duplicate ACKs, answered by nothing */
	PXE_STAT_TFTP_TX_OACK,
	PXE_STAT_TFTP_TX_DATA,
	PXE_STAT_TFTP_TX_BYTES,		/* payload bytes of DATA sent */
	PXE_STAT_TFTP_RETRANSMITS,	/* DATA or OACK sent again */
	PXE_STAT_TFTP_TIMEOUTS,		/* sessions ended without an ACK */
	PXE_STAT_TFTP_SESSIONS,		/* sessions started */
	PXE_STAT_TFTP_COMPLETED,	/* sessions whose last block was ACKed */
	PXE_STAT_TFTP_DROP_MALFORMED,
	PXE_STAT_TFTP_DROP_LIMIT,	/* refused: session limit */
	PXE_STAT_TFTP_DROP_NOMEM,
	PXE_STAT_TFTP_TX_ERROR_0,	/* ERROR sent, by code (0..8) */
	PXE_STAT_TFTP_TX_ERROR_1,
	PXE_STAT_TFTP_TX_ERROR_2,
	PXE_STAT_TFTP_TX_ERROR_3,
	PXE_STAT_TFTP_TX_ERROR_4,
	PXE_STAT_TFTP_TX_ERROR_5,
	PXE_STAT_TFTP_TX_ERROR_6,
	PXE_STAT_TFTP_TX_ERROR_7,
	PXE_STAT_TFTP_TX_ERROR_8,

	PXE_STAT_TX_ERRORS,		/* replies the device refused */

	PXE_STAT_TFTP_HALF_OPEN_EVICTED, /* unacknowledged, ended for a request */
	PXE_STAT_TFTP_HALF_OPEN_EXPIRED, /* unacknowledged, ended after 3 s */

	PXE_STAT_MONITOR_DROP_NOMEM,	/* events not sent: no memory */

	__PXE_STAT_MAX
};

#define PXE_STAT_MAX (__PXE_STAT_MAX - 1)

#endif /* _UAPI_LINUX_PXE_H */
