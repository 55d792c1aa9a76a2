// SPDX-License-Identifier: GPL-2.0
/*
 * "pxectl image sync DIR [prefix PATH] [--delete]": a directory tree as
 * images, each named by its path below DIR, the way a TFTP server serves
 * its root.
 *
 * Whole or nothing.  The tree is walked and every entry checked first (a
 * symlink leading out of DIR or a name no image can have is named, and
 * stops the sync); then the images are read back, the files whose size and
 * SHA-256 an image of their name has already are left alone, and the
 * memory the others need is checked against the limit.  Only then are the
 * changed files uploaded, each committed with IMAGE_STAGE (verified, not
 * visible), and IMAGE_PUBLISH makes them visible together.  A failure
 * before that aborts every staged upload: the images there stay as they
 * were.  The deletions (--delete) come last.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <linux/pxe.h>

#include "pxectl.h"

/* A file of the tree, and what becomes of it. */
struct entry {
	char *name;		/* the image name: PREFIX/REL */
	char *path;		/* the file to read, with no symlink in it */
	bool load;		/* no image of its name has its bytes */
};

/* An image the kernel holds. */
struct held {
	char *name;
	uint64_t size;
	uint8_t sha256[SHA256_LEN];
	bool kept;		/* the tree has a file of its name */
};

struct sync {
	char *what;		/* "image sync DIR" */
	const char *dir;	/* as given */
	char *root;		/* realpath(DIR) */
	int root_fd;		/* O_PATH of root: files open beneath it */
	char prefix[PXE_IMAGE_NAME_MAX];	/* "" for none */
	bool delete;
	unsigned int problems;
	struct entry *entries;
	size_t n_entries, max_entries;
	struct held *held;
	size_t n_held, max_held;
	size_t loads, deleted;
	uint64_t load_bytes;
	uint32_t *staged;	/* upload ids, until published */
	size_t n_staged;
};

/* The directories above the one being read: a way back up is a loop. */
struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
};

static void out_of_memory(struct sync *s)
{
	pxe_error(s->what, "out of memory");
}

/* Makes room for one more of @size bytes in *@array. */
static int grow(struct sync *s, void **array, size_t n, size_t *max,
		size_t size)
{
	void *bigger;

	if (n < *max)
		return 0;
	bigger = reallocarray(*array, *max ? 2 * *max : 64, size);
	if (!bigger) {
		out_of_memory(s);
		return -1;
	}
	*array = bigger;
	*max = *max ? 2 * *max : 64;
	return 0;
}

/* An entry that stops the sync; the walk goes on to find the others. */
static void __attribute__((format(printf, 2, 3)))
problem(struct sync *s, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	pxe_error(s->what, "%s", text ? text : "out of memory");
	free(text);
	s->problems++;
}

static bool path_inside(const char *root, const char *path)
{
	size_t len = strlen(root);

	if (!strcmp(root, "/"))
		return true;
	return !strncmp(path, root, len) && (!path[len] || path[len] == '/');
}

/* A regular file: its image name must be one the kernel keeps as it is. */
static int add_file(struct sync *s, const char *rel, const char *path)
{
	struct entry *e;
	char *name, *normal;
	size_t len;

	if (asprintf(&name, "%s%s%s", s->prefix, *s->prefix ? "/" : "",
		     rel) < 0) {
		out_of_memory(s);
		return -1;
	}
	len = strlen(name);
	if (strchr(rel, '\\')) {
		normal = malloc(len + 1);
		if (normal)
			image_name_normalise(name, normal, len + 1);
		problem(s, "'%s': a '\\' in an image name stands for '/', so it would be the image '%s'",
			rel, normal ? normal : name);
		free(normal);
		free(name);
		return 0;
	}
	if (len >= PXE_IMAGE_NAME_MAX) {
		problem(s, "'%s': its image name would be %zu bytes%s, at most %d fit",
			rel, len, *s->prefix ? " with the prefix" : "",
			PXE_IMAGE_NAME_MAX - 1);
		free(name);
		return 0;
	}
	if (grow(s, (void **)&s->entries, s->n_entries, &s->max_entries,
		 sizeof(*s->entries))) {
		free(name);
		return -1;
	}
	e = &s->entries[s->n_entries];
	e->name = name;
	e->load = false;
	e->path = strdup(path);
	if (!e->path) {
		free(name);
		out_of_memory(s);
		return -1;
	}
	s->n_entries++;
	return 0;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a fifo";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a file";
}

static int walk_dir(struct sync *s, const char *path, const char *rel,
		    const struct stat *st, const struct ancestor *up);

/* @path, found as @rel, is what @st describes (a symlink's target). */
static int walk_node(struct sync *s, const char *path, const char *rel,
		     const struct stat *st, const struct ancestor *up)
{
	if (S_ISDIR(st->st_mode))
		return walk_dir(s, path, rel, st, up);
	if (S_ISREG(st->st_mode))
		return add_file(s, rel, path);
	pxe_error(s->what, "skipping '%s': %s, not a regular file", rel,
		  file_kind(st->st_mode));
	return 0;
}

/* Followed only where it leads to stays inside the tree. */
static int walk_link(struct sync *s, const char *path, const char *rel,
		     const struct ancestor *up)
{
	char target[PATH_MAX], *real;
	struct stat st;
	ssize_t len;
	int ret = 0;

	len = readlink(path, target, sizeof(target) - 1);
	target[len > 0 ? len : 0] = '\0';
	real = realpath(path, NULL);
	if (!real)
		problem(s, "symlink '%s' -> '%s' leads nowhere: %s", rel,
			target, strerror(errno));
	else if (!path_inside(s->root, real))
		problem(s, "symlink '%s' -> '%s' points outside the directory",
			rel, target);
	else if (stat(real, &st))
		problem(s, "cannot read '%s': %s", rel, strerror(errno));
	else
		ret = walk_node(s, real, rel, &st, up);
	free(real);
	return ret;
}

static int walk_entry(struct sync *s, const char *dir_path,
		      const char *dir_rel, const char *name,
		      const struct ancestor *up)
{
	char *path = NULL, *rel = NULL;
	struct stat st;
	int ret = 0;

	if (asprintf(&path, "%s/%s", dir_path, name) < 0 ||
	    asprintf(&rel, "%s%s%s", dir_rel ? dir_rel : "",
		     dir_rel ? "/" : "", name) < 0) {
		out_of_memory(s);
		ret = -1;
	} else if (lstat(path, &st)) {
		problem(s, "cannot read '%s': %s", rel, strerror(errno));
	} else if (S_ISLNK(st.st_mode)) {
		ret = walk_link(s, path, rel, up);
	} else {
		ret = walk_node(s, path, rel, &st, up);
	}
	free(path);
	free(rel);
	return ret;
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* Byte order, whatever the locale: the order of the names is stable. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* @rel is NULL for DIR itself. */
static int walk_dir(struct sync *s, const char *path, const char *rel,
		    const struct stat *st, const struct ancestor *up)
{
	struct ancestor self = { st->st_dev, st->st_ino, up };
	const struct ancestor *a;
	struct dirent **list;
	int n, i, ret = 0;

	for (a = up; a; a = a->up) {
		if (a->dev == st->st_dev && a->ino == st->st_ino) {
			pxe_error(s->what, "skipping '%s': it leads back into a directory above it (a loop)",
				  rel);
			return 0;
		}
	}
	n = scandir(path, &list, not_dots, by_name);
	if (n < 0) {
		problem(s, "cannot read directory '%s': %s", rel ? rel : s->dir,
			strerror(errno));
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!ret)
			ret = walk_entry(s, path, rel, list[i]->d_name, &self);
		free(list[i]);
	}
	free(list);
	return ret;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

static int sync_walk(struct sync *s)
{
	struct stat st;

	s->root = realpath(s->dir, NULL);
	if (s->root)
		s->root_fd = open(s->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!s->root || s->root_fd < 0 || stat(s->root, &st)) {
		pxe_error(s->what, "cannot open '%s': %s", s->dir,
			  strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		pxe_error(s->what, "'%s' is not a directory", s->dir);
		return -1;
	}
	if (walk_dir(s, s->root, NULL, &st, NULL))
		return -1;
	if (s->problems) {
		pxe_error(s->what, "%u %s in the tree: nothing was changed",
			  s->problems, s->problems == 1 ? "problem" : "problems");
		return -1;
	}
	qsort(s->entries, s->n_entries, sizeof(*s->entries), entry_cmp);
	return 0;
}

static int held_reply(struct nlattr **attrs, void *arg)
{
	struct sync *s = arg;
	struct image_info info;
	struct held *h;

	if (image_info_parse(s->what, attrs, &info) ||
	    grow(s, (void **)&s->held, s->n_held, &s->max_held,
		 sizeof(*s->held)))
		return -1;
	h = &s->held[s->n_held];
	h->name = strdup(info.name);
	if (!h->name) {
		out_of_memory(s);
		return -1;
	}
	h->size = info.size;
	memcpy(h->sha256, info.sha256, SHA256_LEN);
	h->kept = false;
	s->n_held++;
	return 0;
}

static int held_cmp(const void *a, const void *b)
{
	return strcmp(((const struct held *)a)->name,
		      ((const struct held *)b)->name);
}

/*
 * Maps @e's file, opened beneath the tree's root whatever became of the
 * path since the walk: a directory or link swapped for one that leads
 * out of the tree (by whoever else may write there) fails with EXDEV
 * instead of loading, say, /etc/shadow as a TFTP image.
 */
static int sync_map(struct sync *s, const char *what, const struct entry *e,
		    struct image_file *file)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	size_t len = strcmp(s->root, "/") ? strlen(s->root) : 0;
	const char *rel = e->path + len;
	long fd;

	memset(file, 0, sizeof(*file));
	file->fd = -1;
	if (strncmp(e->path, s->root, len) || *rel != '/') {
		pxe_error(what, "'%s' is not in '%s'", e->path, s->root);
		return -1;
	}
	fd = syscall(SYS_openat2, s->root_fd, rel + 1, &how, sizeof(how));
	if (fd < 0 && errno == EXDEV) {
		pxe_error(what, "cannot open '%s': it leads out of the directory now",
			  e->path);
		return -1;
	}
	if (fd < 0) {
		pxe_error(what, "cannot open '%s': %s", e->path, strerror(errno));
		return -1;
	}
	return image_file_map_fd(what, e->path, fd, file);
}

/* The file has the bytes of @h: the same size and the same SHA-256. */
static int same_bytes(struct sync *s, const struct entry *e,
		      const struct held *h)
{
	uint8_t sha256[SHA256_LEN];
	struct image_file file;
	int ret = 0;

	if (sync_map(s, s->what, e, &file))
		return -1;
	if (file.size == h->size) {
		if (!image_sha256(file.data, file.size, sha256)) {
			pxe_error(s->what, "cannot compute SHA-256 (OpenSSL failed)");
			ret = -1;
		} else {
			ret = !memcmp(sha256, h->sha256, SHA256_LEN);
		}
	}
	image_file_unmap(&file);
	return ret;
}

/* Which files to load: those no image of their name has the bytes of. */
static int sync_compare(struct sync *s)
{
	struct nl_msg *msg = pxe_msg_new(PXE_CMD_IMAGE_GET, NLM_F_DUMP);
	struct held key, *h;
	struct entry *e;
	int same;

	if (!msg || pxe_request(s->what, msg, held_reply, s))
		return -1;
	qsort(s->held, s->n_held, sizeof(*s->held), held_cmp);
	for (e = s->entries; e < s->entries + s->n_entries; e++) {
		key.name = e->name;
		h = bsearch(&key, s->held, s->n_held, sizeof(*s->held),
			    held_cmp);
		same = 0;
		if (h) {
			h->kept = true;
			same = same_bytes(s, e, h);
			if (same < 0)
				return -1;
		}
		e->load = !same;
		s->loads += e->load;
	}
	return 0;
}

struct memory {
	const char *what;
	uint64_t limit, used;
};

static int memory_reply(struct nlattr **attrs, void *arg)
{
	struct memory *m = arg;

	if (!attrs[PXE_A_LIMIT_IMAGE_MEMORY] || !attrs[PXE_A_IMAGE_MEMORY_USED]) {
		pxe_error(m->what, "kernel reply carries no image memory limit (%s)",
			  SAME_RELEASE_HINT);
		return -1;
	}
	m->limit = nla_get_u64(attrs[PXE_A_LIMIT_IMAGE_MEMORY]);
	m->used = nla_get_u64(attrs[PXE_A_IMAGE_MEMORY_USED]);
	return 0;
}

/*
 * The images replaced stay in memory until the new ones are published: at
 * the peak the namespace holds what it holds now and every file loaded.
 * The sizes are those of the walk; a file that grows since is the
 * kernel's to refuse.
 */
static int sync_check_memory(struct sync *s)
{
	struct memory m = { .what = s->what };
	struct nl_msg *msg;
	struct entry *e;
	struct stat st;

	for (e = s->entries; e < s->entries + s->n_entries; e++) {
		if (!e->load)
			continue;
		if (stat(e->path, &st)) {
			pxe_error(s->what, "cannot open '%s': %s", e->path,
				  strerror(errno));
			return -1;
		}
		s->load_bytes += st.st_size;
	}
	if (!s->loads)
		return 0;
	msg = pxe_msg_new(PXE_CMD_LIMITS_GET, 0);
	if (!msg || pxe_request(s->what, msg, memory_reply, &m))
		return -1;
	if (m.used <= m.limit && s->load_bytes <= m.limit - m.used)
		return 0;
	pxe_error(s->what, "not enough image memory: loading %" PRIu64 " bytes beside the %" PRIu64 " in use needs a limit of at least %" PRIu64 ", it is %" PRIu64 " (replaced images are freed only once the new ones are published); raise it with 'pxectl settings set image-memory BYTES'",
		  s->load_bytes, m.used, m.used + s->load_bytes, m.limit);
	return -1;
}

/* Whole or nothing: every staged upload goes, nothing was published. */
static void drop_staged(struct sync *s)
{
	size_t i;

	for (i = 0; i < s->n_staged; i++)
		image_upload_abort(s->what, s->staged[i]);
	if (s->n_staged)
		pxe_error(s->what, "nothing was changed: the %zu %s staged so far %s dropped",
			  s->n_staged, s->n_staged == 1 ? "image" : "images",
			  s->n_staged == 1 ? "was" : "were");
	else
		pxe_error(s->what, "nothing was changed");
	s->n_staged = 0;
}

static int stage_one(struct sync *s, const struct entry *e,
		     struct progress *pr)
{
	uint8_t sha256[SHA256_LEN];
	struct image_file file;
	char *what;
	int ret = -1;

	if (asprintf(&what, "%s: %s", s->what, e->name) < 0) {
		out_of_memory(s);
		return -1;
	}
	if (!sync_map(s, what, e, &file)) {
		ret = image_upload(what, e->name, &file, true, pr,
				   &s->staged[s->n_staged], NULL, sha256);
		image_file_unmap(&file);
	}
	free(what);
	if (ret)
		return -1;
	s->n_staged++;
	pr->files_done++;
	progress_show(pr, false);
	return 0;
}

/* Uploads the changed files, staged, and publishes them at once. */
static int sync_publish(struct sync *s)
{
	struct nl_msg *msg;
	struct progress pr;
	struct entry *e;

	if (!s->loads)
		return 0;
	s->staged = calloc(s->loads, sizeof(*s->staged));
	if (!s->staged) {
		out_of_memory(s);
		return -1;
	}
	progress_begin(&pr, s->dir, s->load_bytes, s->loads);
	for (e = s->entries; e < s->entries + s->n_entries; e++) {
		if (e->load && stage_one(s, e, &pr))
			goto drop;
	}
	msg = pxe_msg_new(PXE_CMD_IMAGE_PUBLISH, 0);
	if (!msg || pxe_request(s->what, msg, NULL, NULL))
		goto drop;
	progress_show(&pr, true);
	s->n_staged = 0;
	s->load_bytes = pr.done;	/* as sent, should a file have changed */
	return 0;
drop:
	drop_staged(s);
	return -1;
}

/* After the publish: what a delete could not do is said, the rest goes on. */
static int sync_delete(struct sync *s)
{
	struct held *h;
	char *what;
	int ret = 0, err;

	for (h = s->held; s->delete && h < s->held + s->n_held; h++) {
		if (h->kept || !image_under_prefix(h->name, s->prefix))
			continue;
		if (asprintf(&what, "%s: del %s", s->what, h->name) < 0) {
			out_of_memory(s);
			return -1;
		}
		/* Deleted meanwhile by someone else: gone is gone. */
		err = image_delete(what, h->name, ENOENT);
		free(what);
		if (err < 0)
			ret = -1;
		else if (!err)
			s->deleted++;
	}
	return ret;
}

static void print_summary(const struct sync *s)
{
	size_t unchanged = s->n_entries - s->loads;

	/* Not through output.c: a "show" later in a batch stays an array. */
	if (json_output)
		printf("{\"loaded\":%zu,\"unchanged\":%zu,\"deleted\":%zu,\"bytes_loaded\":%" PRIu64 "}\n",
		       s->loads, unchanged, s->deleted, s->load_bytes);
	else
		printf("%zu loaded, %zu unchanged, %zu deleted, %" PRIu64 " bytes loaded\n",
		       s->loads, unchanged, s->deleted, s->load_bytes);
}

static void sync_free(struct sync *s)
{
	size_t i;

	for (i = 0; i < s->n_entries; i++) {
		free(s->entries[i].name);
		free(s->entries[i].path);
	}
	for (i = 0; i < s->n_held; i++)
		free(s->held[i].name);
	free(s->entries);
	free(s->held);
	free(s->staged);
	free(s->root);
	if (s->root_fd >= 0)
		close(s->root_fd);
	free(s->what);
}

int image_sync(int argc, char *argv[])
{
	struct keyword keywords[] = {
		{ .name = "prefix", .meta = "PATH" },
		{ .name = "--delete", .flag = true },
		{}
	};
	struct sync s = { .root_fd = -1 };
	int ret = 1;

	if (argc < 2) {
		pxe_error("image sync", "expected DIR [prefix PATH] [--delete]");
		return 1;
	}
	s.dir = argv[1];
	if (asprintf(&s.what, "image sync %s", s.dir) < 0) {
		pxe_error("image sync", "out of memory");
		return 1;
	}
	if (parse_keywords(s.what, argc - 2, argv + 2, keywords) ||
	    (keywords[0].value &&
	     image_prefix_parse(s.what, keywords[0].value, s.prefix)))
		goto out;
	s.delete = keywords[1].value != NULL;
	if (sync_walk(&s) || sync_compare(&s) || sync_check_memory(&s) ||
	    sync_publish(&s))
		goto out;
	ret = sync_delete(&s) ? 1 : 0;
	print_summary(&s);
out:
	sync_free(&s);
	return ret;
}
