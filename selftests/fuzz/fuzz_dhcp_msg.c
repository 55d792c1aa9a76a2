// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the DHCP codec: whatever parses must also yield a
 * reply that fits the space given, and that reply must parse again (a
 * client has to be able to read what we send).
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "dhcp_msg.c"
#include "fuzz_assert.h"

/*
 * The reply's knobs come from the xid, which the parser ignores: the
 * fuzzer steers the builder through every path without upsetting parsing.
 */
static void reply_from(const u8 *data, struct dhcp_reply *r, char *file,
		       char *msg)
{
	u8 knobs = data[4];
	size_t flen = data[5];

	memset(r, 0, sizeof(*r));
	r->type = knobs & 1 ? DHCP_ACK : DHCP_OFFER;
	r->yiaddr = htonl(0x0a000064);
	r->next_server = htonl(0x0a000001);
	r->server_id = htonl(0x0a000001);
	r->netmask = htonl(0xffffff00);
	r->router = knobs & 2 ? htonl(0x0a000001) : 0;
	r->broadcast = htonl(0x0a0000ff);
	r->n_dns = (knobs >> 4) & 0xf;	/* up to 15: the builder clamps */
	memset(r->dns, 0x0a, sizeof(r->dns));
	r->domain = "lab.example.org";
	r->hostname = knobs & 4 ? "node-with-a-name" : NULL;
	r->lease_time = knobs & 8 ? 0 : 86400;
	r->tftp_server = "10.0.0.1";
	r->pxe = knobs & 1;
	r->rpi = data[6] & 1;
	r->http = data[6] & 2;

	/* A boot file of 0..255 bytes: some fit `file`, some do not. */
	memset(file, 'f', flen);
	file[flen] = 0;
	if (data[6] & 4)
		memcpy(file, "http://", flen < 7 ? flen : 7);
	r->boot_file = flen ? file : NULL;
	memset(msg, 'm', 200);
	msg[200] = 0;
	r->message = knobs & 2 ? msg : NULL;
}

static void build_and_reparse(const struct dhcp_request *req,
			      const struct dhcp_reply *r, size_t size)
{
	size_t limit = req->max_size > 576 ? req->max_size : 576;
	struct dhcp_request back;
	u8 *out = malloc(size);	/* exactly @size: ASan sees any overrun */
	int n;

	FUZZ_ASSERT(out);
	n = dhcp_build_reply(req, r, out, size);
	FUZZ_ASSERT(n >= DHCP_BOOTP_MIN_LEN);
	FUZZ_ASSERT((size_t)n <= size);
	FUZZ_ASSERT((size_t)n <= limit - 28);
	FUZZ_ASSERT(out[0] == DHCP_BOOTREPLY);

	out[0] = DHCP_BOOTREQUEST;
	FUZZ_ASSERT(dhcp_parse(out, n, &back) == 0);
	FUZZ_ASSERT(back.type == r->type);
	FUZZ_ASSERT(back.server_id == r->server_id);
	FUZZ_ASSERT(!memcmp(back.chaddr, req->chaddr, DHCP_CHADDR_LEN));
	free(out);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static const size_t sizes[] = { 300, 576, 1500 };
	struct dhcp_request req;
	struct dhcp_reply r;
	char file[256], msg[201];
	unsigned int i;

	if (dhcp_parse(data, len, &req))
		return 0;

	FUZZ_ASSERT(req.type >= DHCP_DISCOVER && req.type <= DHCP_INFORM);
	dhcp_is_pxe_client(&req);
	FUZZ_ASSERT(!(dhcp_is_http_client(&req) && dhcp_is_pxe_client(&req)));
	FUZZ_ASSERT(dhcp_client_takes(&req, true) ||
		    dhcp_client_takes(&req, false));
	FUZZ_ASSERT(dhcp_is_raspberry_pi(&req) == req.rpi);
	dhcp_has_user_class(&req, "iPXE");
	dhcp_requested(&req, DHCP_OPT_BOOT_FILE);

	reply_from(data, &r, file, msg);
	FUZZ_ASSERT(dhcp_is_url(file) == ((data[6] & 4) && data[5] >= 7));
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		build_and_reparse(&req, &r, sizes[i]);
	return 0;
}
