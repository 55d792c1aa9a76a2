// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl image": files the TFTP server sends, kept in kernel memory.
 *
 *	image load NAME FILE
 *	image del NAME
 *	image show [NAME]
 *
 * A load is an upload: IMAGE_NEW reserves the memory, IMAGE_WRITEs fill it
 * in order, IMAGE_COMMIT hands over the SHA-256 pxectl computed and the
 * kernel publishes the image only if its own hash agrees.  Until then
 * nothing is visible; if pxectl dies, the kernel drops the upload.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include <linux/pxe.h>
#include <openssl/evp.h>

#include "pxectl.h"

#define SHA256_LEN 32

/* The name the kernel stores: see normalise_name() in kmod/image.c. */
static void normalise_name(const char *in, char *out, size_t size)
{
	size_t len = 0;

	while (*in == '/' || *in == '\\')
		in++;
	for (; *in && len + 1 < size; in++)
		out[len++] = *in == '\\' ? '/' : *in;
	out[len] = '\0';
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress {
	bool shown;		/* stderr is a terminal */
	double start, last;
};

static void progress_show(struct progress *pr, const char *name,
			  uint64_t done, uint64_t size, bool final)
{
	double t = now(), mb = done / 1048576.0, rate;
	int width = 30, fill;

	if (!pr->shown || (!final && t - pr->last < 0.1))
		return;
	pr->last = t;
	rate = t > pr->start ? mb / (t - pr->start) : 0;
	fill = size ? (int)(width * done / size) : width;
	fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.1f/%.1f MB %.1f MB/s",
		name, fill, "##############################", width - fill, "",
		size ? (int)(100 * done / size) : 100, mb, size / 1048576.0,
		rate);
	if (final)
		fputc('\n', stderr);
}

static int upload_id_reply(struct nlattr **attrs, void *arg)
{
	if (!attrs[PXE_A_IMAGE_UPLOAD]) {
		pxe_error("image load", "kernel reply carries no upload id (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	*(uint32_t *)arg = nla_get_u32(attrs[PXE_A_IMAGE_UPLOAD]);
	return 0;
}

static int upload_begin(const char *what, const char *name, uint64_t size,
			uint32_t *id)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_NEW, 0);
	int err;

	if (!msg)
		return -1;
	err = nla_put_string(msg, PXE_A_IMAGE_NAME, name);
	if (!err)
		err = nla_put_u64(msg, PXE_A_IMAGE_SIZE, size);
	if (err)
		return pxe_msg_abort(what, msg, err);
	return pxe_request(what, msg, upload_id_reply, id);
}

/* A failed load leaves nothing behind; the socket closing would too. */
static void upload_abort(uint32_t id)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_ABORT, 0);

	if (!msg)
		return;
	if (nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id)) {
		nlmsg_free(msg);
		return;
	}
	pxe_request("image load: abort", msg, NULL, NULL);
}

static int upload_write(struct pxe_pipeline *p, uint32_t id, uint64_t offset,
			const uint8_t *data, size_t len)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_WRITE, 0);
	int err;

	if (!msg)
		return -1;
	err = nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id);
	if (!err)
		err = nla_put_u64(msg, PXE_A_IMAGE_OFFSET, offset);
	if (!err)
		err = nla_put(msg, PXE_A_IMAGE_DATA, len, data);
	if (err)
		return pxe_msg_abort(p->what, msg, err);
	return pxe_pipeline_send(p, msg);
}

static int upload_commit(const char *what, uint32_t id,
			 const uint8_t sha256[SHA256_LEN])
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_COMMIT, 0);
	int err;

	if (!msg)
		return -1;
	err = nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id);
	if (!err)
		err = nla_put(msg, PXE_A_IMAGE_SHA256, SHA256_LEN, sha256);
	if (err)
		return pxe_msg_abort(what, msg, err);
	return pxe_request(what, msg, NULL, NULL);
}

/* The file's SHA-256, computed beside the upload: on another CPU, if any. */
struct hash_job {
	const uint8_t *data;
	uint64_t size;
	uint8_t sha256[SHA256_LEN];
	bool ok;
};

static void *hash_file(void *arg)
{
	struct hash_job *job = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	job->ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		  EVP_DigestUpdate(ctx, job->data, job->size) &&
		  EVP_DigestFinal_ex(ctx, job->sha256, NULL);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

/* Sends @data in order, in chunks, several in flight. */
static int upload_data(const char *what, const char *name, uint32_t id,
		       const uint8_t *data, uint64_t size)
{
	struct progress pr = { .shown = isatty(STDERR_FILENO) };
	struct pxe_pipeline pipeline = { 0 };
	uint64_t offset = 0;
	size_t len;

	if (pxe_pipeline_begin(&pipeline, what))
		return -1;
	pr.start = pr.last = now();
	while (offset < size) {
		len = size - offset < PXE_IMAGE_CHUNK_MAX ?
			size - offset : PXE_IMAGE_CHUNK_MAX;
		if (upload_write(&pipeline, id, offset, data + offset, len)) {
			pxe_pipeline_wait(&pipeline, 0);
			return -1;
		}
		offset += len;
		progress_show(&pr, name, offset, size, false);
	}
	if (pxe_pipeline_wait(&pipeline, 0))
		return -1;
	progress_show(&pr, name, size, size, true);
	return 0;
}

/* One line, "NAME SIZE SHA256", or one JSON object (even in a batch). */
static void print_loaded(const char *name, uint64_t size,
			 const uint8_t sha256[SHA256_LEN])
{
	char hex[2 * SHA256_LEN + 1];
	struct json_object *obj;
	int i;

	for (i = 0; i < SHA256_LEN; i++)
		sprintf(hex + 2 * i, "%02x", sha256[i]);
	if (!json_output) {
		printf("%s %" PRIu64 " %s\n", name, size, hex);
		return;
	}
	obj = json_object_new_object();
	if (!obj ||
	    json_object_object_add(obj, "name", json_object_new_string(name)) ||
	    json_object_object_add(obj, "size", json_object_new_uint64(size)) ||
	    json_object_object_add(obj, "sha256", json_object_new_string(hex))) {
		pxe_error("image load", "out of memory");
	} else {
		puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(obj);
}

static int image_load(int argc, char *argv[])
{
	char name[PXE_IMAGE_NAME_MAX], what[32 + PXE_IMAGE_NAME_MAX];
	struct hash_job job = { 0 };
	bool hashed = false, uploaded;
	pthread_t hasher;
	const uint8_t *data = NULL;
	uint32_t id = 0;
	struct stat st;
	int fd, ret = 1;

	if (argc != 3) {
		pxe_error("image load", "expected NAME FILE");
		return 1;
	}
	snprintf(what, sizeof(what), "image load %s", argv[1]);
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		pxe_error(what, "cannot open '%s': %s", argv[2],
			  strerror(errno));
		goto close;
	}
	if (!S_ISREG(st.st_mode)) {
		pxe_error(what, "cannot load '%s': not a regular file", argv[2]);
		goto close;
	}
	if (st.st_size) {
		data = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (data == MAP_FAILED) {
			data = NULL;
			pxe_error(what, "cannot read '%s': %s", argv[2],
				  strerror(errno));
			goto close;
		}
		madvise((void *)data, st.st_size, MADV_SEQUENTIAL);
	}

	/* Big writes: allocate requests that hold a whole chunk. */
	nlmsg_set_default_size(PXE_IMAGE_CHUNK_MAX + 1024);
	if (upload_begin(what, argv[1], st.st_size, &id))
		goto unmap;
	job.data = data;
	job.size = st.st_size;
	if (pthread_create(&hasher, NULL, hash_file, &job)) {
		hash_file(&job);
		hashed = true;
	}
	uploaded = !upload_data(what, argv[1], id, data, st.st_size);
	if (!hashed)
		pthread_join(hasher, NULL);
	if (uploaded && !job.ok)
		pxe_error(what, "cannot compute SHA-256 (OpenSSL failed)");
	if (!uploaded || !job.ok) {
		upload_abort(id);
		goto unmap;
	}
	/* A failed commit has already dropped the upload. */
	if (upload_commit(what, id, job.sha256))
		goto unmap;

	normalise_name(argv[1], name, sizeof(name));
	print_loaded(name, st.st_size, job.sha256);
	ret = 0;
unmap:
	if (data)
		munmap((void *)data, st.st_size);
close:
	if (fd >= 0)
		close(fd);
	return ret;
}

static int image_del(int argc, char *argv[])
{
	char what[32 + PXE_IMAGE_NAME_MAX];
	struct nl_msg *msg;
	int err;

	if (argc != 2) {
		pxe_error("image del", "expected NAME");
		return 1;
	}
	snprintf(what, sizeof(what), "image del %s", argv[1]);
	msg = pxe_msg_new(PXE_CMD_IMAGE_DEL, 0);
	if (!msg)
		return 1;
	err = nla_put_string(msg, PXE_A_IMAGE_NAME, argv[1]);
	if (err)
		return pxe_msg_abort(what, msg, err) ? 1 : 0;
	return pxe_request(what, msg, NULL, NULL) ? 1 : 0;
}

static int image_print(struct nlattr **attrs, void *arg)
{
	if (!attrs[PXE_A_IMAGE_NAME] || !attrs[PXE_A_IMAGE_SIZE] ||
	    !attrs[PXE_A_IMAGE_SHA256] ||
	    nla_len(attrs[PXE_A_IMAGE_SHA256]) != SHA256_LEN) {
		pxe_error(arg, "kernel reply describes no image (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	output_row_begin();
	output_str("name", nla_get_string(attrs[PXE_A_IMAGE_NAME]));
	output_u64("size", nla_get_u64(attrs[PXE_A_IMAGE_SIZE]));
	output_hex("sha256", nla_data(attrs[PXE_A_IMAGE_SHA256]), SHA256_LEN);
	if (attrs[PXE_A_IMAGE_ACTIVE])
		output_u64("active", nla_get_u32(attrs[PXE_A_IMAGE_ACTIVE]));
	if (attrs[PXE_A_IMAGE_DOWNLOADS])
		output_u64("downloads",
			   nla_get_u64(attrs[PXE_A_IMAGE_DOWNLOADS]));
	output_row_end();
	return 0;
}

/* Also "image" alone. */
static int image_show(int argc, char *argv[])
{
	char what[32 + PXE_IMAGE_NAME_MAX] = "image show";
	struct nl_msg *msg;
	int err = 0;

	if (argc > 2) {
		pxe_error("image show", "unknown argument '%s'", argv[2]);
		return 1;
	}
	if (argc == 2)
		snprintf(what, sizeof(what), "image show %s", argv[1]);
	msg = pxe_msg_new(PXE_CMD_IMAGE_GET, argc == 2 ? 0 : NLM_F_DUMP);
	if (!msg)
		return 1;
	if (argc == 2)
		err = nla_put_string(msg, PXE_A_IMAGE_NAME, argv[1]);
	if (err)
		return pxe_msg_abort(what, msg, err) ? 1 : 0;
	output_list_begin();
	if (pxe_request(what, msg, image_print, what)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	return 0;
}

static int image_help(int argc, char *argv[]);

static const struct command image_commands[] = {
	{ "load",	image_load,	"NAME FILE" },
	{ "del",	image_del,	"NAME" },
	{ "delete",	image_del,	NULL },
	{ "show",	image_show,	"[NAME]" },
	{ "list",	image_show,	NULL },
	{ "help",	image_help,	"" },
	{}
};

static int image_help(int argc, char *argv[])
{
	usage_commands(stdout, "image", image_commands);
	printf("\n"
	       "Images are the files the TFTP server sends, held in kernel\n"
	       "memory.  NAME is the path clients ask for; a leading '/' is\n"
	       "dropped and '\\' stands for '/'.  Loading a NAME again replaces\n"
	       "the image: downloads in progress finish with the old bytes.\n"
	       "The kernel checks the SHA-256 of what it received before it\n"
	       "publishes an image.  All images together may take at most the\n"
	       "image-memory limit ('pxectl settings').\n");
	return 0;
}

int image_main(int argc, char *argv[])
{
	if (argc < 2)
		return image_show(argc, argv);
	return run_command(image_commands, "image", argc - 1, argv + 1);
}
