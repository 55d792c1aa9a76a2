/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxe: the TFTP codec -- TFTP messages (RFC 1350) with options (RFC 2347,
 * 2348, 2349, 7440) as bytes in and structs out, and back; the netascii
 * encoder; request path normalisation.  Pure: no skb, no locks, no
 * allocation; see codec.h.  Compiled into the module and into the host
 * unit tests and fuzz target unchanged.
 */
#ifndef _PXE_TFTP_MSG_H
#define _PXE_TFTP_MSG_H

#include "codec.h"

#define TFTP_PORT		69
#define TFTP_HDR_LEN		4	/* opcode + block, or opcode + code */

#define TFTP_BLKSIZE_DEFAULT	512
#define TFTP_BLKSIZE_MIN	8	/* RFC 2348 */
#define TFTP_BLKSIZE_MAX	65464
#define TFTP_TIMEOUT_MIN	1	/* seconds, RFC 2349 */
#define TFTP_TIMEOUT_MAX	255
#define TFTP_WINDOWSIZE_MIN	1	/* RFC 7440 */
#define TFTP_WINDOWSIZE_MAX	65535

enum tftp_opcode {
	TFTP_RRQ = 1,
	TFTP_WRQ,
	TFTP_DATA,
	TFTP_ACK,
	TFTP_ERROR,
	TFTP_OACK,
};

/* Error codes on the wire (RFC 1350, 2347). */
enum tftp_errcode {
	TFTP_EUNDEF = 0,	/* see the message */
	TFTP_ENOTFOUND,
	TFTP_EACCESS,
	TFTP_ENOSPACE,
	TFTP_EBADOP,
	TFTP_EBADID,
	TFTP_EEXISTS,
	TFTP_ENOUSER,
	TFTP_EOPTNEG,		/* option negotiation refused */
};

enum tftp_mode {
	TFTP_MODE_OCTET,
	TFTP_MODE_NETASCII,
};

/* Options of a request, as bits of tftp_msg.opts. */
enum tftp_opt {
	TFTP_OPT_BLKSIZE = 1 << 0,
	TFTP_OPT_TSIZE = 1 << 1,
	TFTP_OPT_TIMEOUT = 1 << 2,
	TFTP_OPT_WINDOWSIZE = 1 << 3,
};

/* Why a message was refused; tftp_parse() returns the negative value. */
enum tftp_error {
	TFTP_OK = 0,
	TFTP_ERR_TRUNCATED,	/* shorter than its opcode's fixed part */
	TFTP_ERR_BAD_OPCODE,	/* not 1..6 */
	TFTP_ERR_UNTERMINATED,	/* a string runs to the end of the packet */
	TFTP_ERR_BAD_MODE,	/* neither octet nor netascii (mail, ...) */
	TFTP_ERR_EMPTY_NAME,
};

/*
 * A parsed message.  Strings point into the parsed buffer, NUL-terminated
 * there: valid as long as the buffer.
 *
 * RRQ/WRQ: @filename, @mode, and the options: a bit in @opts for each
 * known option present with a decimal value that fits in 64 bits (the
 * first instance counts; names case-insensitive; unknown options and
 * options with bad values are skipped, their bit stays clear).
 * ACK and DATA: @block.  ERROR: @code and @message (may be empty; a
 * message that is not terminated is taken up to the end of the packet,
 * @message_len bytes, so that a sloppy client's abort still ends its
 * transfer).  OACK: nothing beyond the opcode.
 */
struct tftp_msg {
	u16 opcode;
	u16 block;
	u16 code;
	u8 mode;
	u8 opts;
	const char *filename;
	const char *message;
	size_t message_len;
	u64 blksize, tsize, timeout, windowsize;
};

/*
 * Parses @len bytes of UDP payload.  Returns 0 or -enum tftp_error; on
 * TFTP_ERR_BAD_MODE and on every error after the opcode, @msg->opcode is
 * set, so that the caller can answer a request it refuses.
 */
int tftp_parse(const u8 *buf, size_t len, struct tftp_msg *msg);

/* The options granted, for tftp_build_oack(): only bits in @opts are sent. */
struct tftp_oack {
	u8 opts;
	u16 blksize, timeout, windowsize;
	u64 tsize;
};

/* OACK with the options in @oack->opts.  Returns its length or -1. */
int tftp_build_oack(const struct tftp_oack *oack, u8 *buf, size_t size);

/*
 * ERROR @code with @message, cut to fit @size and always NUL-terminated.
 * Returns its length, or -1 when @size < TFTP_HDR_LEN + 1.
 */
int tftp_build_error(u16 code, const char *message, u8 *buf, size_t size);

/* The 4-byte DATA header of block number @block (wire value, mod 2^16). */
void tftp_build_data_hdr(u16 block, u8 *buf);

/*
 * netascii (RFC 764 as used by RFC 1350): LF goes out as CR LF and CR as
 * CR NUL.  A position in the encoded stream is the source offset plus the
 * second byte still owed by a pair cut at a block boundary, so that
 * encoding can stop at any output byte and resume there.
 */
struct tftp_netascii {
	u64 src;		/* source bytes consumed */
	u8 owed;		/* TFTP_NA_OWE_* */
};

#define TFTP_NA_OWE_NONE	0
#define TFTP_NA_OWE_LF		1	/* CR sent for a LF, LF still owed */
#define TFTP_NA_OWE_NUL		2	/* CR sent for a CR, NUL still owed */

/*
 * Encodes source bytes @src[0..@src_len) -- the bytes at offset @pos->src
 * of the source -- into @dst, at most @dst_len bytes, and advances @pos.
 * A byte owed by @pos comes first.  Stops when @dst is full or the source
 * chunk is used up (a pair that does not fit is split: its second byte is
 * owed).  @dst may be NULL to only advance @pos over @dst_len output bytes.
 * Returns the bytes written (or skipped).
 */
size_t tftp_netascii_encode(struct tftp_netascii *pos, const u8 *src,
			    size_t src_len, u8 *dst, size_t dst_len);

/* The size of @src[0..@len) once encoded. */
u64 tftp_netascii_size(const u8 *src, size_t len);

/*
 * Copies the requested @name into @out as an image name: leading '/'
 * (and '\') stripped, '\' turned into '/'.  Returns the length, or -1 when
 * nothing is left or it does not fit in @size with its NUL.
 */
int tftp_normalise_path(const char *name, char *out, size_t size);

#endif /* _PXE_TFTP_MSG_H */
