// SPDX-License-Identifier: GPL-2.0
/*
 * Values of the pxectl grammar: addresses, MACs, numbers, sizes.  Each
 * parser names the keyword and quotes the text it could not take.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pxectl.h"

int parse_ipv4(const char *what, const char *keyword, const char *text,
	       uint32_t *addr_be)
{
	struct in_addr addr;

	if (inet_pton(AF_INET, text, &addr) != 1) {
		pxe_error(what, "invalid %s '%s' (expected an IPv4 address)",
			  keyword, text);
		return -1;
	}
	*addr_be = addr.s_addr;
	return 0;
}

int parse_ipv6(const char *what, const char *keyword, const char *text,
	       uint8_t addr[16])
{
	if (inet_pton(AF_INET6, text, addr) != 1) {
		pxe_error(what, "invalid %s '%s' (expected an IPv6 address)",
			  keyword, text);
		return -1;
	}
	return 0;
}

int parse_mac(const char *what, const char *keyword, const char *text,
	      uint8_t mac[6], unsigned int *prefix_len)
{
	unsigned int bytes[6], len = 48;
	char sep, rest;
	int n, i;

	n = sscanf(text, "%2x%c%2x%*c%2x%*c%2x%*c%2x%*c%2x%n", &bytes[0], &sep,
		   &bytes[1], &bytes[2], &bytes[3], &bytes[4], &bytes[5], &i);
	if (n != 7 || (sep != ':' && sep != '-'))
		goto invalid;
	for (n = 2; n < 17; n += 3)
		if (text[n] != sep)
			goto invalid;
	if (text[i] == '/' && prefix_len) {
		if (sscanf(text + i + 1, "%u%c", &len, &rest) != 1 || len > 48)
			goto invalid;
	} else if (text[i]) {
		goto invalid;
	}
	for (i = 0; i < 6; i++)
		mac[i] = bytes[i];
	if (prefix_len)
		*prefix_len = len;
	return 0;

invalid:
	pxe_error(what, "invalid %s '%s' (expected a MAC address like 52:54:00:12:34:56%s)",
		  keyword, text, prefix_len ? ", optionally /LEN" : "");
	return -1;
}

int parse_u32(const char *what, const char *keyword, const char *text,
	      uint32_t min, uint32_t max, uint32_t *value)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || *text == '-' || v < min || v > max) {
		pxe_error(what, "invalid %s '%s' (expected a number from %u to %u)",
			  keyword, text, min, max);
		return -1;
	}
	*value = v;
	return 0;
}

int parse_size(const char *what, const char *keyword, const char *text,
	       uint64_t *value)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (!errno && end != text && *text != '-') {
		switch (*end) {
		case 'K': case 'k': shift = 10; end++; break;
		case 'M': case 'm': shift = 20; end++; break;
		case 'G': case 'g': shift = 30; end++; break;
		case 'T': case 't': shift = 40; end++; break;
		}
		if (!*end && v <= (UINT64_MAX >> shift)) {
			*value = (uint64_t)v << shift;
			return 0;
		}
	}
	pxe_error(what, "invalid %s '%s' (expected bytes, optionally with K, M, G or T)",
		  keyword, text);
	return -1;
}

void format_mac(const uint8_t mac[6], char text[18])
{
	snprintf(text, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}
