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
#include <json-c/json.h>

#include "pxectl.h"

static struct json_object *list;	/* the array being filled (-j) */
static struct json_object *row;		/* the object being filled (-j) */
static bool row_is_empty;		/* no separator before the first field */

/* json-c fails only when memory runs out, and then nothing is worth doing. */
static void __attribute__((noreturn)) out_of_memory(void)
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

void output_row_end(void)
{
	if (!json_output) {
		putchar('\n');
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
	/* Slashes stay as they are: image names are paths. */
	text = json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		out_of_memory();
	puts(text);
	output_list_discard();
}

void output_list_discard(void)
{
	json_object_put(row);
	json_object_put(list);
	row = NULL;
	list = NULL;
}
