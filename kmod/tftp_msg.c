// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the TFTP codec.  See tftp_msg.h.
 *
 * Every string of a request must end with a NUL inside the packet; that
 * is checked before a byte of it is looked at, so nothing here reads past
 * @len.
 */
#include "tftp_msg.h"

static u8 ascii_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool name_is(const char *s, const char *name)
{
	while (*s && ascii_lower(*s) == *name) {
		s++;
		name++;
	}
	return !*s && !*name;
}

/* A decimal number, nothing else; false on an empty string or overflow. */
static bool parse_decimal(const char *s, u64 *value)
{
	u64 v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned int digit = (u8)*s - '0';

		if (digit > 9 || v > (~0ULL - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*value = v;
	return true;
}

/* The NUL-terminated string at @buf[*off], moving *off past it. */
static const char *take_string(const u8 *buf, size_t len, size_t *off)
{
	const char *s = (const char *)buf + *off;
	const u8 *end;

	if (*off >= len)
		return NULL;
	end = memchr(buf + *off, 0, len - *off);
	if (!end)
		return NULL;
	*off = end - buf + 1;
	return s;
}

/* Records an option the first time it comes with a valid value. */
static void set_option(struct tftp_msg *msg, u8 bit, u64 *field,
		       const char *value)
{
	if (!(msg->opts & bit) && parse_decimal(value, field))
		msg->opts |= bit;
}

static void take_option(struct tftp_msg *msg, const char *name,
			const char *value)
{
	if (name_is(name, "blksize"))
		set_option(msg, TFTP_OPT_BLKSIZE, &msg->blksize, value);
	else if (name_is(name, "tsize"))
		set_option(msg, TFTP_OPT_TSIZE, &msg->tsize, value);
	else if (name_is(name, "timeout"))
		set_option(msg, TFTP_OPT_TIMEOUT, &msg->timeout, value);
	else if (name_is(name, "windowsize"))
		set_option(msg, TFTP_OPT_WINDOWSIZE, &msg->windowsize, value);
}

static int parse_request(const u8 *buf, size_t len, struct tftp_msg *msg)
{
	size_t off = 2;
	const char *mode, *name, *value;

	msg->filename = take_string(buf, len, &off);
	mode = take_string(buf, len, &off);
	if (!msg->filename || !mode)
		return -TFTP_ERR_UNTERMINATED;
	if (!*msg->filename)
		return -TFTP_ERR_EMPTY_NAME;
	if (name_is(mode, "octet"))
		msg->mode = TFTP_MODE_OCTET;
	else if (name_is(mode, "netascii"))
		msg->mode = TFTP_MODE_NETASCII;
	else
		return -TFTP_ERR_BAD_MODE;

	while (off < len) {
		name = take_string(buf, len, &off);
		value = take_string(buf, len, &off);
		if (!name || !value)
			return -TFTP_ERR_UNTERMINATED;
		take_option(msg, name, value);
	}
	return 0;
}

int tftp_parse(const u8 *buf, size_t len, struct tftp_msg *msg)
{
	const u8 *nul;

	memset(msg, 0, sizeof(*msg));
	if (len < 2)
		return -TFTP_ERR_TRUNCATED;
	msg->opcode = get_unaligned_be16(buf);

	switch (msg->opcode) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		return parse_request(buf, len, msg);
	case TFTP_DATA:
	case TFTP_ACK:
		if (len < TFTP_HDR_LEN)
			return -TFTP_ERR_TRUNCATED;
		msg->block = get_unaligned_be16(buf + 2);
		return 0;
	case TFTP_ERROR:
		if (len < TFTP_HDR_LEN)
			return -TFTP_ERR_TRUNCATED;
		msg->code = get_unaligned_be16(buf + 2);
		msg->message = (const char *)buf + TFTP_HDR_LEN;
		nul = memchr(buf + TFTP_HDR_LEN, 0, len - TFTP_HDR_LEN);
		msg->message_len = nul ? (size_t)(nul - buf) - TFTP_HDR_LEN :
					 len - TFTP_HDR_LEN;
		return 0;
	case TFTP_OACK:
		return 0;
	default:
		return -TFTP_ERR_BAD_OPCODE;
	}
}

/* Appends @s with its NUL; false when it does not fit. */
static bool put_string(u8 *buf, size_t size, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > size - *off)
		return false;
	memcpy(buf + *off, s, n);
	*off += n;
	return true;
}

static bool put_decimal(u8 *buf, size_t size, size_t *off, u64 v)
{
	char digits[21];
	int i = sizeof(digits) - 1;

	digits[i] = '\0';
	do {
		digits[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	return put_string(buf, size, off, digits + i);
}

static bool put_option(u8 *buf, size_t size, size_t *off, const char *name,
		       u64 value)
{
	return put_string(buf, size, off, name) &&
	       put_decimal(buf, size, off, value);
}

int tftp_build_oack(const struct tftp_oack *oack, u8 *buf, size_t size)
{
	size_t off = 2;

	if (size < 2)
		return -1;
	put_unaligned_be16(TFTP_OACK, buf);
	if ((oack->opts & TFTP_OPT_BLKSIZE) &&
	    !put_option(buf, size, &off, "blksize", oack->blksize))
		return -1;
	if ((oack->opts & TFTP_OPT_TSIZE) &&
	    !put_option(buf, size, &off, "tsize", oack->tsize))
		return -1;
	if ((oack->opts & TFTP_OPT_TIMEOUT) &&
	    !put_option(buf, size, &off, "timeout", oack->timeout))
		return -1;
	if ((oack->opts & TFTP_OPT_WINDOWSIZE) &&
	    !put_option(buf, size, &off, "windowsize", oack->windowsize))
		return -1;
	return off;
}

int tftp_build_error(u16 code, const char *message, u8 *buf, size_t size)
{
	size_t n = strlen(message);

	if (size < TFTP_HDR_LEN + 1)
		return -1;
	n = min(n, size - TFTP_HDR_LEN - 1);
	put_unaligned_be16(TFTP_ERROR, buf);
	put_unaligned_be16(code, buf + 2);
	memcpy(buf + TFTP_HDR_LEN, message, n);
	buf[TFTP_HDR_LEN + n] = '\0';
	return TFTP_HDR_LEN + n + 1;
}

void tftp_build_data_hdr(u16 block, u8 *buf)
{
	put_unaligned_be16(TFTP_DATA, buf);
	put_unaligned_be16(block, buf + 2);
}

static void put_byte(u8 *dst, size_t *n, u8 c)
{
	if (dst)
		dst[*n] = c;
	(*n)++;
}

size_t tftp_netascii_encode(struct tftp_netascii *pos, const u8 *src,
			    size_t src_len, u8 *dst, size_t dst_len)
{
	size_t used = 0, n = 0;

	while (n < dst_len) {
		if (pos->owed != TFTP_NA_OWE_NONE) {
			put_byte(dst, &n, pos->owed == TFTP_NA_OWE_LF ? '\n' : '\0');
			pos->owed = TFTP_NA_OWE_NONE;
			continue;
		}
		if (used == src_len)
			break;
		switch (src[used]) {
		case '\n':
			put_byte(dst, &n, '\r');
			pos->owed = TFTP_NA_OWE_LF;
			break;
		case '\r':
			put_byte(dst, &n, '\r');
			pos->owed = TFTP_NA_OWE_NUL;
			break;
		default:
			put_byte(dst, &n, src[used]);
			break;
		}
		used++;
	}
	pos->src += used;
	return n;
}

u64 tftp_netascii_size(const u8 *src, size_t len)
{
	u64 size = len;
	size_t i;

	for (i = 0; i < len; i++)
		size += src[i] == '\n' || src[i] == '\r';
	return size;
}

int tftp_normalise_path(const char *name, char *out, size_t size)
{
	size_t n = 0;

	while (*name == '/' || *name == '\\')
		name++;
	for (; *name; name++) {
		if (n + 1 >= size)
			return -1;
		out[n++] = *name == '\\' ? '/' : *name;
	}
	if (!n)
		return -1;
	out[n] = '\0';
	return n;
}
