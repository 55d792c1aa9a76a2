// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl image": files the TFTP server sends, kept in kernel memory.
 *
 *	image load NAME FILE
 *	image del NAME
 *	image show [NAME | prefix PATH]
 *	image sync DIR [prefix PATH] [--delete]	(image_sync.c)
 *
 * A load is an upload: IMAGE_NEW reserves the memory, IMAGE_WRITEs fill it
 * in order, IMAGE_COMMIT hands over the SHA-256 pxectl computed and the
 * kernel hashes the bytes as they arrive and answers the commit with their
 * SHA-256 (handed a SHA-256, it publishes only if the two agree: apply and
 * sync, which hashed the file to decide, pass theirs).  Until then nothing
 * is visible; if pxectl dies, the kernel drops the upload.  The
 * upload here serves both load and sync, which stages its uploads and
 * publishes them together.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

/* The name the kernel stores: see normalise_name() in kmod/image.c. */
void image_name_normalise(const char *in, char *out, size_t size)
{
	size_t len = 0;

	while (*in == '/' || *in == '\\')
		in++;
	for (; *in && len + 1 < size; in++)
		out[len++] = *in == '\\' ? '/' : *in;
	out[len] = '\0';
}

int image_prefix_parse(const char *what, const char *text,
		       char prefix[PXE_IMAGE_NAME_MAX])
{
	size_t len;

	if (strlen(text) >= PXE_IMAGE_NAME_MAX - 1) {
		pxe_error(what, "prefix '%s' is too long: an image name under it would not fit in %d bytes",
			  text, PXE_IMAGE_NAME_MAX - 1);
		return -1;
	}
	image_name_normalise(text, prefix, PXE_IMAGE_NAME_MAX);
	len = strlen(prefix);
	while (len && prefix[len - 1] == '/')
		prefix[--len] = '\0';
	if (!len) {
		pxe_error(what, "prefix '%s' is empty once its '/' are dropped; leave it out for the top",
			  text);
		return -1;
	}
	return 0;
}

bool image_under_prefix(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);

	return !len || (!strncmp(name, prefix, len) && name[len] == '/');
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_begin(struct progress *pr, const char *name, uint64_t total,
		    unsigned int files)
{
	memset(pr, 0, sizeof(*pr));
	pr->shown = isatty(STDERR_FILENO);
	pr->name = name;
	pr->total = total;
	pr->files = files;
	pr->start = pr->last = now();
}

void progress_show(struct progress *pr, bool final)
{
	double t = now(), mb = pr->done / 1048576.0, rate;
	int width = 30, fill;

	if (!pr->shown || (!final && t - pr->last < 0.1))
		return;
	pr->last = t;
	progress_pending = !final;
	rate = t > pr->start ? mb / (t - pr->start) : 0;
	if (pr->files) {
		fprintf(stderr, "\r%s %u/%u files %.1f/%.1f MB %.1f MB/s",
			pr->name, pr->files_done, pr->files, mb,
			pr->total / 1048576.0, rate);
	} else {
		fill = pr->total ? (int)(width * pr->done / pr->total) : width;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.1f/%.1f MB %.1f MB/s",
			pr->name, fill, "##############################",
			width - fill, "",
			pr->total ? (int)(100 * pr->done / pr->total) : 100, mb,
			pr->total / 1048576.0, rate);
	}
	if (final)
		fputc('\n', stderr);
}

struct upload_id {
	const char *what;
	uint32_t id;
};

static int upload_id_reply(struct nlattr **attrs, void *arg)
{
	struct upload_id *up = arg;

	if (!attrs[PXE_A_IMAGE_UPLOAD]) {
		pxe_error(up->what, "kernel reply carries no upload id (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	up->id = nla_get_u32(attrs[PXE_A_IMAGE_UPLOAD]);
	return 0;
}

static int upload_begin(const char *what, const char *name, uint64_t size,
			uint32_t *id)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_NEW, 0);
	struct upload_id up = { .what = what };
	int err;

	if (!msg)
		return -1;
	err = nla_put_string(msg, PXE_A_IMAGE_NAME, name);
	if (!err)
		err = nla_put_u64(msg, PXE_A_IMAGE_SIZE, size);
	if (err)
		return pxe_msg_abort(what, msg, err);
	err = pxe_request(what, msg, upload_id_reply, &up);
	*id = up.id;
	return err;
}

/*
 * Drops an upload, or a staged one; the socket closing would too, but a
 * batch keeps it open.  One already gone (its commit ended it) is no error.
 */
void image_upload_abort(const char *what, uint32_t id)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_ABORT, 0);

	if (!msg)
		return;
	if (nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id)) {
		pxe_msg_abort(what, msg, -NLE_NOMEM);
		return;
	}
	pxe_request_or(what, msg, ENOENT);
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

struct commit_reply {
	const char *what;
	uint8_t *sha256;
};

static int commit_reply(struct nlattr **attrs, void *arg)
{
	struct commit_reply *r = arg;

	if (!attrs[PXE_A_IMAGE_SHA256] ||
	    nla_len(attrs[PXE_A_IMAGE_SHA256]) != SHA256_LEN) {
		pxe_error(r->what, "kernel reply carries no SHA-256 (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	memcpy(r->sha256, nla_data(attrs[PXE_A_IMAGE_SHA256]), SHA256_LEN);
	return 0;
}

/* Hands over @want (if any) and takes the kernel's SHA-256 of the upload. */
static int upload_commit(const char *what, uint32_t id, const uint8_t *want,
			 bool stage, uint8_t sha256[SHA256_LEN])
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_COMMIT, 0);
	struct commit_reply r = { .what = what, .sha256 = sha256 };
	int err;

	if (!msg)
		return -1;
	err = nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id);
	if (!err && want)
		err = nla_put(msg, PXE_A_IMAGE_SHA256, SHA256_LEN, want);
	if (!err && stage)
		err = nla_put_flag(msg, PXE_A_IMAGE_STAGE);
	if (err)
		return pxe_msg_abort(what, msg, err);
	return pxe_request(what, msg, commit_reply, &r);
}

bool image_sha256(const uint8_t *data, uint64_t size,
		  uint8_t sha256[SHA256_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, data, size) &&
	     EVP_DigestFinal_ex(ctx, sha256, NULL);
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* Sends @data in order, in chunks, several in flight. */
static int upload_data(const char *what, uint32_t id, const uint8_t *data,
		       uint64_t size, struct progress *pr)
{
	struct pxe_pipeline pipeline = { 0 };
	uint64_t offset = 0;
	size_t len;

	if (pxe_pipeline_begin(&pipeline, what))
		return -1;
	while (offset < size) {
		len = size - offset < PXE_IMAGE_CHUNK_MAX ?
			size - offset : PXE_IMAGE_CHUNK_MAX;
		if (upload_write(&pipeline, id, offset, data + offset, len)) {
			pxe_pipeline_wait(&pipeline, 0);
			return -1;
		}
		offset += len;
		pr->done += len;
		progress_show(pr, false);
	}
	return pxe_pipeline_wait(&pipeline, 0);
}

int image_file_map(const char *what, const char *path, int flags,
		   struct image_file *file)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);

	if (fd < 0) {
		memset(file, 0, sizeof(*file));
		file->fd = -1;
		pxe_error(what, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	return image_file_map_fd(what, path, fd, file);
}

int image_file_map_fd(const char *what, const char *path, int fd,
		      struct image_file *file)
{
	struct stat st;

	memset(file, 0, sizeof(*file));
	file->fd = fd;
	if (fstat(file->fd, &st)) {
		pxe_error(what, "cannot open '%s': %s", path, strerror(errno));
		goto close;
	}
	if (!S_ISREG(st.st_mode)) {
		pxe_error(what, "cannot load '%s': not a regular file", path);
		goto close;
	}
	file->size = st.st_size;
	if (!file->size)
		return 0;
	file->data = mmap(NULL, file->size, PROT_READ, MAP_SHARED, file->fd, 0);
	if (file->data == MAP_FAILED) {
		file->data = NULL;
		pxe_error(what, "cannot read '%s': %s", path, strerror(errno));
		goto close;
	}
	madvise((void *)file->data, file->size, MADV_SEQUENTIAL);
	return 0;
close:
	if (file->fd >= 0)
		close(file->fd);
	file->fd = -1;
	return -1;
}

void image_file_unmap(struct image_file *file)
{
	if (file->data)
		munmap((void *)file->data, file->size);
	if (file->fd >= 0)
		close(file->fd);
	file->data = NULL;
	file->fd = -1;
}

int image_upload(const char *what, const char *name,
		 const struct image_file *file, bool stage,
		 struct progress *pr, uint32_t *id, const uint8_t *want,
		 uint8_t sha256[SHA256_LEN])
{
	/* Big writes: allocate requests that hold a whole chunk. */
	nlmsg_set_default_size(PXE_IMAGE_CHUNK_MAX + 1024);
	if (upload_begin(what, name, file->size, id))
		return -1;
	/*
	 * The kernel hashes what it receives as it arrives, and answers the
	 * commit with it: hashed once.  A commit refused before it weighs the
	 * hash (the staged limit, no memory) leaves the upload; one refused
	 * after has ended it, and its abort is a no-op.
	 */
	if (upload_data(what, *id, file->data, file->size, pr) ||
	    upload_commit(what, *id, want, stage, sha256)) {
		image_upload_abort(what, *id);
		return -1;
	}
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
	uint8_t sha256[SHA256_LEN];
	struct image_file file;
	struct progress pr;
	uint32_t id;
	int ret = 1;

	if (argc != 3) {
		pxe_error("image load", "expected NAME FILE");
		return 1;
	}
	snprintf(what, sizeof(what), "image load %s", argv[1]);
	if (image_file_map(what, argv[2], 0, &file))
		return 1;
	progress_begin(&pr, argv[1], file.size, 0);
	if (!image_upload(what, argv[1], &file, false, &pr, &id, NULL,
			  sha256)) {
		progress_show(&pr, true);
		image_name_normalise(argv[1], name, sizeof(name));
		print_loaded(name, file.size, sha256);
		ret = 0;
	}
	image_file_unmap(&file);
	return ret;
}

int image_delete(const char *what, const char *name, int answer)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_DEL, 0);
	int err;

	if (!msg)
		return -1;
	err = nla_put_string(msg, PXE_A_IMAGE_NAME, name);
	if (err)
		return pxe_msg_abort(what, msg, err);
	return pxe_request_or(what, msg, answer);
}

static int image_del(int argc, char *argv[])
{
	char what[32 + PXE_IMAGE_NAME_MAX];

	if (argc != 2) {
		pxe_error("image del", "expected NAME");
		return 1;
	}
	snprintf(what, sizeof(what), "image del %s", argv[1]);
	return image_delete(what, argv[1], 0) ? 1 : 0;
}

int image_info_parse(const char *what, struct nlattr **attrs,
		     struct image_info *info)
{
	if (!attrs[PXE_A_IMAGE_NAME] || !attrs[PXE_A_IMAGE_SIZE] ||
	    !attrs[PXE_A_IMAGE_SHA256] ||
	    nla_len(attrs[PXE_A_IMAGE_SHA256]) != SHA256_LEN) {
		pxe_error(what, "kernel reply describes no image (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	info->name = nla_get_string(attrs[PXE_A_IMAGE_NAME]);
	info->size = nla_get_u64(attrs[PXE_A_IMAGE_SIZE]);
	info->sha256 = nla_data(attrs[PXE_A_IMAGE_SHA256]);
	return 0;
}

/* What "image show" prints: every image, one, or those under a prefix. */
struct show {
	const char *what;
	const char *prefix;	/* "" for all */
	unsigned long images;
	uint64_t bytes;
};

static int image_print(struct nlattr **attrs, void *arg)
{
	struct show *show = arg;
	struct image_info info;

	if (image_info_parse(show->what, attrs, &info))
		return -1;
	if (!image_under_prefix(info.name, show->prefix))
		return 0;
	show->images++;
	show->bytes += info.size;
	output_row_begin();
	output_str("name", info.name);
	output_u64("size", info.size);
	output_hex("sha256", info.sha256, SHA256_LEN);
	if (attrs[PXE_A_IMAGE_ACTIVE])
		output_u64("active", nla_get_u32(attrs[PXE_A_IMAGE_ACTIVE]));
	if (attrs[PXE_A_IMAGE_DOWNLOADS])
		output_u64("downloads",
			   nla_get_u64(attrs[PXE_A_IMAGE_DOWNLOADS]));
	output_row_end();
	return 0;
}

/*
 * Also "image" alone.  A list (not one NAME) ends with a line of totals
 * for people; JSON stays a plain array.
 */
static int image_show(int argc, char *argv[])
{
	char what[32 + PXE_IMAGE_NAME_MAX] = "image show";
	char prefix[PXE_IMAGE_NAME_MAX] = "";
	struct show show = { .what = what, .prefix = prefix };
	bool one = argc == 2;
	struct nl_msg *msg;
	int err = 0;

	if (argc == 3 && !strcmp(argv[1], "prefix")) {
		if (image_prefix_parse("image show", argv[2], prefix))
			return 1;
	} else if (argc > 2) {
		pxe_error("image show", "unknown argument '%s'", argv[2]);
		return 1;
	}
	if (one)
		snprintf(what, sizeof(what), "image show %s", argv[1]);
	msg = pxe_msg_new(PXE_CMD_IMAGE_GET, one ? 0 : NLM_F_DUMP);
	if (!msg)
		return 1;
	if (one)
		err = nla_put_string(msg, PXE_A_IMAGE_NAME, argv[1]);
	if (err)
		return pxe_msg_abort(what, msg, err) ? 1 : 0;
	output_list_begin();
	if (pxe_request(what, msg, image_print, &show)) {
		output_list_discard();
		return 1;
	}
	output_list_end();
	if (!one && !json_output)
		printf("total %lu images %" PRIu64 " bytes\n", show.images,
		       show.bytes);
	return 0;
}

static int image_help(int argc, char *argv[]);

static const struct command image_commands[] = {
	{ "load",	image_load,	"NAME FILE" },
	{ "sync",	image_sync,	"DIR [prefix PATH] [--delete]" },
	{ "del",	image_del,	"NAME" },
	{ "delete",	image_del,	NULL },
	{ "show",	image_show,	"[NAME | prefix PATH]" },
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
	       "image-memory limit ('pxectl settings').\n"
	       "\n"
	       "'sync' loads every regular file under DIR as the image named by\n"
	       "its path below DIR (below PATH/ with a prefix), skipping files\n"
	       "whose size and SHA-256 the image has already; '--delete' drops\n"
	       "the images under the prefix (all, without one) that DIR no longer\n"
	       "has.  Whole or nothing: the new images are published together, and\n"
	       "a problem found first (a symlink leading out of DIR, a name no\n"
	       "image can have, too little image memory) changes nothing.\n"
	       "'show prefix PATH' lists the images under PATH/.\n");
	return 0;
}

int image_main(int argc, char *argv[])
{
	if (argc < 2)
		return image_show(argc, argv);
	return run_command(image_commands, "image", argc - 1, argv + 1);
}
