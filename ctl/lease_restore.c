// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl lease restore FILE": the leases "pxectl -j lease show" saved,
 * added back after a reboot or a module reload.
 *
 * The whole file is checked before the first lease is added, so that a
 * truncated or edited file changes nothing.  Entries are named by their
 * index in the array, counted from 0 as in jq's ".[N]".  Only bound leases
 * come back, each with the seconds it had left when the file was written
 * less the file's age (after a reboot, the downtime counts); offers and
 * quarantined addresses are skipped.  A DHCPv6 lease (one with ip6) comes
 * back for the client's IA, its duid and iaid.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <linux/pxe.h>

#include "pxectl.h"

#define WHAT_MAX 512

/*
 * Reads all of @path ("-": standard input) into a NUL-terminated buffer;
 * @age is the seconds since it was written (0 for a pipe).
 */
static char *read_all(const char *path, size_t *len, uint32_t *age)
{
	FILE *file = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t size = 0, n;
	char *text = NULL, *bigger;
	struct stat st;
	time_t now;

	if (!file)
		return NULL;
	*age = 0;
	now = time(NULL);
	if (!fstat(fileno(file), &st) && S_ISREG(st.st_mode) &&
	    st.st_mtime < now)
		*age = now - st.st_mtime > UINT32_MAX ? UINT32_MAX :
		       now - st.st_mtime;
	*len = 0;
	for (;;) {
		if (*len + 1 >= size) {
			size = size ? 2 * size : 65536;
			bigger = realloc(text, size);
			if (!bigger) {
				errno = ENOMEM;
				goto fail;
			}
			text = bigger;
		}
		n = fread(text + *len, 1, size - *len - 1, file);
		*len += n;
		if (n)
			continue;
		if (ferror(file))
			goto fail;
		break;
	}
	text[*len] = '\0';
	if (file != stdin)
		fclose(file);
	return text;

fail:
	n = errno;
	free(text);
	if (file != stdin)
		fclose(file);
	errno = n;
	return NULL;
}

/*
 * The index of the top-level array entry that byte @end of @text lies in,
 * or -1 when it is outside the array: where a JSON syntax error is.
 */
static long entry_at(const char *text, size_t end)
{
	bool in_string = false, escaped = false;
	long entry = -1;
	int depth = 0;
	size_t i;

	for (i = 0; i < end && text[i]; i++) {
		char c = text[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (!depth++ && c == '[')
				entry = 0;
		} else if (c == ']' || c == '}') {
			depth--;
		} else if (c == ',' && depth == 1) {
			entry++;
		}
	}
	return depth > 0 ? entry : -1;
}

/* The JSON array of @text; NULL after naming what is wrong with it. */
static struct json_object *parse_array(const char *what, const char *text,
				       size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *array = NULL;
	enum json_tokener_error err;
	size_t end;
	long entry;

	if (!tok) {
		pxe_error(what, "out of memory");
		return NULL;
	}
	array = json_tokener_parse_ex(tok, text, len);
	err = json_tokener_get_error(tok);
	if (err == json_tokener_continue)
		err = json_tokener_error_parse_eof;
	end = json_tokener_get_parse_end(tok);
	if (!array || err != json_tokener_success) {
		entry = entry_at(text, err == json_tokener_error_parse_eof ?
				 len : end);
		if (entry >= 0)
			pxe_error(what, "entry %ld: invalid JSON (%s)", entry,
				  json_tokener_error_desc(err));
		else
			pxe_error(what, "invalid JSON (%s)",
				  json_tokener_error_desc(err));
		json_object_put(array);
		array = NULL;
	} else if (!json_object_is_type(array, json_type_array)) {
		pxe_error(what, "not a JSON array (expected what 'pxectl -j lease show' prints)");
		json_object_put(array);
		array = NULL;
	} else if (text[end + strspn(text + end, " \t\r\n")]) {
		pxe_error(what, "unexpected text after the JSON array");
		json_object_put(array);
		array = NULL;
	}
	json_tokener_free(tok);
	return array;
}

/* @entry's string field @name, or NULL after an error when @required. */
static const char *string_field(const char *what, struct json_object *entry,
				const char *name, bool required, bool *bad)
{
	struct json_object *field;

	if (!json_object_object_get_ex(entry, name, &field)) {
		if (required) {
			pxe_error(what, "missing field '%s'", name);
			*bad = true;
		}
		return NULL;
	}
	if (!json_object_is_type(field, json_type_string)) {
		pxe_error(what, "field '%s' is not a string", name);
		*bad = true;
		return NULL;
	}
	return json_object_get_string(field);
}

static int parse_state(const char *what, const char *text, bool *bound)
{
	unsigned int i;

	for (i = 0; i < PXE_LEASE_STATES; i++) {
		if (lease_states[i] && !strcmp(text, lease_states[i])) {
			*bound = i == PXE_LEASE_BOUND;
			return 0;
		}
	}
	pxe_error(what, "invalid state '%s' (expected offered, bound or declined)",
		  text);
	return -1;
}

/* @entry's field @name: a number from 0 to UINT32_MAX (expires, iaid). */
static int u32_field(const char *what, struct json_object *entry,
		     const char *name, uint32_t *out)
{
	struct json_object *field;
	int64_t value;

	if (!json_object_object_get_ex(entry, name, &field)) {
		pxe_error(what, "missing field '%s'", name);
		return -1;
	}
	value = json_object_get_int64(field);
	if (!json_object_is_type(field, json_type_int) || value < 0 ||
	    value > UINT32_MAX) {
		pxe_error(what, "invalid %s '%s' (expected a number from 0 to %u)",
			  name, json_object_to_json_string(field), UINT32_MAX);
		return -1;
	}
	*out = value;
	return 0;
}

/*
 * A DHCPv6 entry of @what (it has ip6): the client's IA, as "-j lease
 * show" prints it, names the lease.
 */
static int parse_entry6(const char *what, struct json_object *entry,
			struct lease_entry *e)
{
	const char *mac, *ip6, *state, *duid;
	bool bad = false;

	mac = string_field(what, entry, "mac", true, &bad);
	ip6 = !bad ? string_field(what, entry, "ip6", true, &bad) : NULL;
	state = !bad ? string_field(what, entry, "state", true, &bad) : NULL;
	duid = !bad ? string_field(what, entry, "duid", true, &bad) : NULL;
	if (!bad)
		string_field(what, entry, "pool", false, &bad);
	if (bad ||
	    parse_mac(what, "mac", mac, e->mac, NULL) ||
	    parse_ipv6(what, "ip6", ip6, e->addr6) ||
	    parse_state(what, state, &e->bound) ||
	    parse_duid(what, "duid", duid, e) ||
	    u32_field(what, entry, "iaid", &e->iaid) ||
	    u32_field(what, entry, "expires", &e->expires))
		return -1;
	e->v6 = true;
	e->has_expires = true;
	return 0;
}

/* Checks entry @index of the saved array into @e. */
static int parse_entry(const char *file, size_t index,
		       struct json_object *entry, struct lease_entry *e)
{
	const char *mac, *ip, *state, *client_id;
	char what[WHAT_MAX];
	bool bad = false;

	snprintf(what, sizeof(what), "lease restore: %s: entry %zu", file,
		 index);
	if (!json_object_is_type(entry, json_type_object)) {
		pxe_error(what, "not a JSON object");
		return -1;
	}
	if (json_object_object_get_ex(entry, "ip6", NULL) &&
	    !json_object_object_get_ex(entry, "ip", NULL))
		return parse_entry6(what, entry, e);
	mac = string_field(what, entry, "mac", true, &bad);
	ip = !bad ? string_field(what, entry, "ip", true, &bad) : NULL;
	state = !bad ? string_field(what, entry, "state", true, &bad) : NULL;
	client_id = !bad ? string_field(what, entry, "client_id", false, &bad) :
		    NULL;
	e->hostname = !bad ? string_field(what, entry, "hostname", false, &bad) :
		      NULL;
	if (!bad)
		string_field(what, entry, "pool", false, &bad);
	if (bad ||
	    parse_mac(what, "mac", mac, e->mac, NULL) ||
	    parse_ipv4(what, "ip", ip, &e->addr) ||
	    parse_state(what, state, &e->bound) ||
	    u32_field(what, entry, "expires", &e->expires) ||
	    (client_id && *client_id &&
	     parse_hex(what, "client_id", client_id, e->client_id,
		       sizeof(e->client_id), &e->client_id_len)) ||
	    (e->hostname && check_lease_hostname(what, e->hostname)))
		return -1;
	e->has_expires = true;
	return 0;
}

/*
 * Adds the bound leases of @entries, in order, less the @age of the file:
 * a lease that ran out since it was saved stays out.  Stops at the first
 * lease the kernel refuses.
 */
static int add_bound(const char *file, struct lease_entry *entries,
		     size_t count, uint32_t age, size_t *added,
		     size_t *expired)
{
	char what[WHAT_MAX], mac[18];
	struct nl_msg *msg;
	size_t i;

	for (i = 0; i < count; i++) {
		if (!entries[i].bound)
			continue;
		if (entries[i].expires <= age) {
			(*expired)++;
			continue;
		}
		entries[i].expires -= age;
		format_mac(entries[i].mac, mac);
		snprintf(what, sizeof(what), "lease restore: %s: entry %zu (%s)",
			 file, i, mac);
		msg = lease_new_msg(what, &entries[i]);
		if (!msg || pxe_request(what, msg, NULL, NULL))
			return -1;
		(*added)++;
	}
	return 0;
}

static void print_restored(size_t added, size_t expired)
{
	if (json_output) {
		printf("{\"restored\":%zu,\"expired\":%zu}\n", added, expired);
		return;
	}
	printf("restored %zu lease%s", added, added == 1 ? "" : "s");
	if (expired)
		printf(" (%zu expired since the file was written)", expired);
	printf("\n");
}

int lease_restore(int argc, char *argv[])
{
	struct lease_entry *entries = NULL;
	struct json_object *array = NULL;
	size_t len, count, i, added = 0, expired = 0;
	uint32_t age;
	char what[WHAT_MAX], *text;
	int ret = 1;

	if (argc != 2) {
		pxe_error("lease restore", argc < 2 ?
			  "missing FILE ('-' for standard input)" :
			  "unexpected argument after FILE");
		return 1;
	}
	if (!strcmp(argv[1], "-") && batch_reads_stdin()) {
		pxe_error("lease restore", "cannot read leases from standard input: it holds the batch");
		return 1;
	}
	snprintf(what, sizeof(what), "lease restore: %s", argv[1]);
	text = read_all(argv[1], &len, &age);
	if (!text) {
		pxe_error("lease restore", "cannot read '%s': %s", argv[1],
			  strerror(errno));
		return 1;
	}
	array = parse_array(what, text, len);
	if (!array)
		goto out;
	count = json_object_array_length(array);
	entries = calloc(count ? count : 1, sizeof(*entries));
	if (!entries) {
		pxe_error(what, "out of memory");
		goto out;
	}
	for (i = 0; i < count; i++)
		if (parse_entry(argv[1], i,
				json_object_array_get_idx(array, i), &entries[i]))
			goto out;
	if (!add_bound(argv[1], entries, count, age, &added, &expired))
		ret = 0;
	if (!ret || added)
		print_restored(added, expired);
out:
	/* The hostnames point into @array: it goes last. */
	free(entries);
	json_object_put(array);
	free(text);
	return ret;
}
