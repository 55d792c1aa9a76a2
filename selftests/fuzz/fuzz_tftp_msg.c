// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the TFTP codec: parse anything; from what parsed,
 * build an OACK and an ERROR and check they parse back; netascii-encode the
 * input in blocks of a size the input picks and check decoding gives the
 * input back.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tftp_msg.c"

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_tftp_msg: %s\n", what);
		abort();
	}
}

static void build_from(const struct tftp_msg *m)
{
	struct tftp_oack o = {
		.opts = m->opts, .blksize = m->blksize, .tsize = m->tsize,
		.timeout = m->timeout, .windowsize = m->windowsize,
	};
	struct tftp_msg back;
	u8 buf[600], req[620];
	char name[256];
	int n;

	n = tftp_build_oack(&o, buf, sizeof(buf));
	check(n >= 2, "OACK does not fit");
	/* As the option list of a request, it gives the same options back. */
	memcpy(req, "\0\1f\0octet\0", 10);
	memcpy(req + 10, buf + 2, n - 2);
	check(!tftp_parse(req, n + 8, &back), "OACK options do not parse");
	check(back.opts == m->opts, "OACK options changed");
	check(!(m->opts & TFTP_OPT_BLKSIZE) ||
	      back.blksize == (u16)m->blksize, "blksize changed");
	check(!(m->opts & TFTP_OPT_TSIZE) || back.tsize == m->tsize,
	      "tsize changed");

	if (m->filename) {
		n = tftp_normalise_path(m->filename, name, sizeof(name));
		check(n < 0 || (n > 0 && name[0] != '/' && !strchr(name, '\\') &&
				strlen(name) == (size_t)n), "bad normalised path");
		n = tftp_build_error(TFTP_ENOTFOUND, m->filename, buf,
				     sizeof(buf));
	} else {
		n = tftp_build_error(m->code, "", buf, sizeof(buf));
	}
	check(n >= 5 && !buf[n - 1], "ERROR not terminated");
	check(!tftp_parse(buf, n, &back) && back.opcode == TFTP_ERROR &&
	      back.message_len == (size_t)n - 5, "ERROR does not parse back");
}

static size_t netascii_decode(const u8 *in, size_t len, u8 *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '\r') {
			check(i + 1 < len && (in[i + 1] == '\n' || !in[i + 1]),
			      "lone CR in netascii");
			out[n++] = in[++i] ? '\n' : '\r';
		} else {
			check(in[i] != '\n', "bare LF in netascii");
			out[n++] = in[i];
		}
	}
	return n;
}

static void netascii_round_trip(const u8 *data, size_t size)
{
	struct tftp_netascii pos = { 0 };
	size_t bs = size ? data[0] % 16 + 1 : 1, n = 0, got;
	u8 *enc = malloc(2 * size + 1), *dec = malloc(size + 1);
	u64 want = tftp_netascii_size(data, size);

	do {
		/* Source fed in pieces too: from pos.src to at most 3 ahead. */
		size_t avail = size - pos.src;

		got = tftp_netascii_encode(&pos, data + pos.src,
					   avail < 3 ? avail : 3, enc + n, bs);
		n += got;
	} while (got || pos.src < size || pos.owed);
	check(n == want, "netascii size differs");
	check(netascii_decode(enc, n, dec) == size && !memcmp(dec, data, size),
	      "netascii does not decode to its input");
	free(enc);
	free(dec);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct tftp_msg m;

	if (!tftp_parse(data, size, &m))
		build_from(&m);
	netascii_round_trip(data, size);
	return 0;
}
