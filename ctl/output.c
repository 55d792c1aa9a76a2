// SPDX-License-Identifier: GPL-2.0
/*
 * What "show" commands print.
 *
 * A list of rows, each a sequence of key/value fields.  For people a row is
 * one line of "key value" pairs, printed as it comes; with -j the list is one
 * JSON array of objects, printed when it is complete, so that a failed
 * command never leaves half an array for a script to choke on.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "pxectl.h"

static struct json_object *list;	/* the array being filled (-j) */
static struct json_object *row;		/* the object being filled (-j) */
static void __attribute__((noreturn)) out_of_memory(void);
static bool row_is_empty;		/* no separator before the first field */
static bool streaming;			/* -j: each row its own line */

void output_stream(void)
{
	streaming = true;
}

static const char *json_text(struct json_object *object)
{
	/* Slashes stay as they are: image names are paths. */
	const char *text = json_object_to_json_string_ext(object,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!text)
		out_of_memory();
	return text;
}

/* json-c fails only when memory runs out, and then nothing is worth doing. */
static void out_of_memory(void)
{
	pxe_error(NULL, "out of memory");
	exit(1);
}

static void *must(void *allocated)
{
	if (!allocated)
		out_of_memory();
	return allocated;
}

void output_list_begin(void)
{
	if (json_output)
		list = must(json_object_new_array());
}

void output_row_begin(void)
{
	if (json_output)
		row = must(json_object_new_object());
	else
		row_is_empty = true;
}

static void add_json_field(const char *key, struct json_object *value)
{
	if (json_object_object_add(row, key, must(value))) {
		json_object_put(value);
		out_of_memory();
	}
}

void output_str(const char *key, const char *value)
{
	if (json_output) {
		add_json_field(key, json_object_new_string(value));
		return;
	}
	printf("%s%s %s", row_is_empty ? "" : " ", key, value);
	row_is_empty = false;
}

void output_word(const char *word)
{
	if (json_output)
		return;
	printf("%s%s", row_is_empty ? "" : " ", word);
	row_is_empty = false;
}

void output_u64(const char *key, uint64_t value)
{
	char text[24];

	if (json_output) {
		add_json_field(key, json_object_new_uint64(value));
		return;
	}
	snprintf(text, sizeof(text), "%" PRIu64, value);
	output_str(key, text);
}

void output_ipv4(const char *key, uint32_t addr_be)
{
	struct in_addr addr = { .s_addr = addr_be };
	char text[INET_ADDRSTRLEN];

	output_str(key, inet_ntop(AF_INET, &addr, text, sizeof(text)));
}

void output_ipv6(const char *key, const uint8_t addr[16])
{
	char text[INET6_ADDRSTRLEN];

	output_str(key, inet_ntop(AF_INET6, addr, text, sizeof(text)));
}

void output_mac(const char *key, const uint8_t mac[6])
{
	char text[18];

	format_mac(mac, text);
	output_str(key, text);
}

void output_hex(const char *key, const uint8_t *data, size_t len)
{
	char *text = must(malloc(2 * len + 1));
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(text + 2 * i, "%02x", data[i]);
	text[2 * len] = '\0';
	output_str(key, text);
	free(text);
}

void output_bool(const char *key, bool value)
{
	if (json_output)
		add_json_field(key, json_object_new_boolean(value));
	else
		output_str(key, value ? "yes" : "no");
}

void output_row_end(void)
{
	if (!json_output) {
		putchar('\n');
		return;
	}
	if (streaming) {
		puts(json_text(row));
		json_object_put(row);
		row = NULL;
		return;
	}
	if (json_object_array_add(list, row)) {
		json_object_put(row);
		out_of_memory();
	}
	row = NULL;
}

void output_list_end(void)
{
	const char *text;

	if (!json_output)
		return;
	text = json_text(list);
	puts(text);
	output_list_discard();
}

char *output_list_take(void)
{
	const char *text = json_text(list);
	size_t len = strlen(text);
	char *copy = must(malloc(len + 2));

	memcpy(copy, text, len);
	memcpy(copy + len, "\n", 2);
	output_list_discard();
	return copy;
}

void output_list_discard(void)
{
	json_object_put(row);
	json_object_put(list);
	row = NULL;
	list = NULL;
}
