// SPDX-License-Identifier: GPL-2.0
/*
 * pxe: the image store -- named blobs the TFTP server sends.
 *
 * An image is uploaded in three steps (IMAGE_NEW, IMAGE_WRITE..., IMAGE_COMMIT)
 * into pages allocated up front, hashed as it arrives (the crypto API's
 * "sha256": SHA-NI or AVX2 where the CPU has them), and published under its
 * name only once complete (and, if the uploader sent a SHA-256, verified):
 * a reader never sees it half loaded.  The hash runs in the writer's own
 * context, charged to its cgroup like the copy: a work item on another CPU
 * would overlap the two, but would let a container whose CPU is capped make
 * the kernel hash for it several times what it spends itself.
 * Published images never change; replacing one publishes another image
 * under the same name and drops the store's reference to the old one, whose
 * pages live on until its last download lets go.
 *
 * Published images sit in an RCU hash by name (read from softirq without
 * locks); uploads in progress sit on a list, and so do uploads committed
 * with IMAGE_STAGE: verified, waiting for their socket's IMAGE_PUBLISH to
 * go live together (pxectl image sync: a tree replaces the old one whole or
 * not at all).  All of them change under pxe_net.lock.
 * Every byte of every image, published, uploading or replaced but still
 * referenced, is charged to the namespace's image memory until it is freed.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/pxe.h>

#include "compat.h"
#include "pxe.h"

#define IMAGE_HASH_BITS		8
/* Bounded anyway by the memory limit, but empty uploads cost nothing. */
#define UPLOADS_MAX		64
/* Staged images cost their bytes (limited) and a little metadata each. */
#define STAGED_MAX		4096
/* Keeps the pages array within what kvmalloc() hands out. */
#define IMAGE_SIZE_MAX		BIT_ULL(39)

struct pxe_image_store {
	struct pxe_net *pn;
	struct hlist_head names[1 << IMAGE_HASH_BITS];	/* RCU readers */
	struct list_head uploads;	/* struct upload, under pn->lock */
	unsigned int nr_uploads;
	struct list_head staged;	/* verified, unpublished uploads */
	unsigned int nr_staged;
	u32 next_id;
	atomic64_t used;		/* bytes of every image not yet freed */
	atomic_t alive;			/* images not yet freed */
	struct notifier_block release;	/* drops a closed socket's uploads */
};

/* What the store knows about an image besides what pxe.h shares. */
struct image_entry {
	struct pxe_image image;
	struct hlist_node node;		/* in store->names once published */
};

/* An image being written (or staged): owned by one netlink socket. */
struct upload {
	struct list_head node;
	u32 id;
	u32 portid;
	u64 written;
	u64 line_ends;			/* '\n' and '\r' bytes seen */
	struct shash_desc *hash;	/* "sha256": the fastest the CPU has */
	struct image_entry *entry;	/* unpublished, no other reference */
};

/*
 * The name an image is stored and looked up under: a TFTP path relative to
 * the root, with DOS separators turned into '/'.  Returns its length, 0 when
 * nothing is left, -ENAMETOOLONG when it does not fit.
 */
static int normalise_name(const char *in, char out[PXE_IMAGE_NAME_MAX])
{
	int len = 0;

	while (*in == '/' || *in == '\\')
		in++;
	for (; *in; in++) {
		if (len >= PXE_IMAGE_NAME_MAX - 1)
			return -ENAMETOOLONG;
		out[len++] = *in == '\\' ? '/' : *in;
	}
	out[len] = '\0';
	return len;
}

static struct hlist_head *name_bucket(struct pxe_image_store *store,
				      const char *name, int len)
{
	u32 hash = full_name_hash(NULL, name, len);

	return &store->names[hash_32(hash, IMAGE_HASH_BITS)];
}

static void image_free(struct pxe_image *image)
{
	struct image_entry *entry = container_of(image, struct image_entry,
						 image);
	struct pxe_image_store *store = image->store;
	unsigned int i;

	/* Frames still in flight hold their own references to the pages. */
	for (i = 0; i < image->nr_pages; i++)
		if (image->pages[i])
			put_page(image->pages[i]);
	/* From softirq, kvfree() defers the vfree() part itself. */
	kvfree(image->pages);
	atomic64_sub(image->size, &store->used);
	atomic_dec(&store->alive);
	kfree(entry);
}

static void image_free_rcu(struct rcu_head *rcu)
{
	image_free(container_of(rcu, struct pxe_image, rcu));
}

void pxe_image_put(struct pxe_image *image)
{
	/* After a grace period: a lookup may be looking at it right now. */
	if (refcount_dec_and_test(&image->ref))
		call_rcu(&image->rcu, image_free_rcu);
}

/* Under RCU or pn->lock. */
static struct image_entry *image_find(struct pxe_image_store *store,
				      const char *name, int len)
{
	struct image_entry *entry;

	hlist_for_each_entry_rcu(entry, name_bucket(store, name, len), node,
				 lockdep_is_held(&store->pn->lock))
		if (!strcmp(entry->image.name, name))
			return entry;
	return NULL;
}

struct pxe_image *pxe_image_get(struct pxe_net *pn, const char *name)
{
	struct pxe_image *image = NULL;
	char normal[PXE_IMAGE_NAME_MAX];
	struct image_entry *entry;
	int len;

	len = normalise_name(name, normal);
	if (len <= 0)
		return NULL;
	rcu_read_lock();
	entry = image_find(pn->images, normal, len);
	if (entry && refcount_inc_not_zero(&entry->image.ref))
		image = &entry->image;
	rcu_read_unlock();
	return image;
}

u64 pxe_image_memory_used(struct pxe_net *pn)
{
	return atomic64_read(&pn->images->used);
}

/* Charges @size to the store; the entry's pages are left to fill. */
static struct image_entry *image_new(struct pxe_image_store *store,
				     const char *name, u64 size)
{
	struct image_entry *entry;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL_ACCOUNT);
	if (!entry)
		return NULL;
	refcount_set(&entry->image.ref, 1);
	entry->image.store = store;
	entry->image.size = size;
	strscpy(entry->image.name, name, sizeof(entry->image.name));
	atomic64_add(size, &store->used);
	atomic_inc(&store->alive);
	return entry;
}

/*
 * Image memory is charged to the uploader's memory cgroup, and running out
 * of it (the cgroup's or the machine's) fails the upload: the OOM killer
 * would pick a victim that is not to blame.
 */
#define IMAGE_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Process context, may take long for big images: outside pn->lock. */
static int image_alloc_pages(struct pxe_image *image)
{
	unsigned int nr = DIV_ROUND_UP(image->size, PAGE_SIZE), i;

	if (!nr)
		return 0;
	image->pages = kvmalloc_array(nr, sizeof(*image->pages),
				      IMAGE_GFP | __GFP_ZERO);
	if (!image->pages)
		return -ENOMEM;
	image->nr_pages = nr;
	for (i = 0; i < nr; i++) {
		/* The last page's tail is never sent, but never leaks either. */
		gfp_t gfp = IMAGE_GFP | (i == nr - 1 ? __GFP_ZERO : 0);

		image->pages[i] = alloc_page(gfp);
		if (!image->pages[i])
			return -ENOMEM;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/* Process context: the hash state for a new upload. */
static int upload_hash_init(struct upload *up)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	up->hash = kmalloc(sizeof(*up->hash) + crypto_shash_descsize(tfm),
			   GFP_KERNEL_ACCOUNT);
	if (!up->hash) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	up->hash->tfm = tfm;
	return crypto_shash_init(up->hash);
}

/* Frees the hash state; idempotent. */
static void upload_hash_free(struct upload *up)
{
	if (up->hash) {
		crypto_free_shash(up->hash->tfm);
		kfree_sensitive(up->hash);
		up->hash = NULL;
	}
}

static void upload_free(struct upload *up)
{
	upload_hash_free(up);
	if (up->entry)
		image_free(&up->entry->image);
	kfree(up);
}

/*
 * Under pn->lock: the upload @id of @portid on @list (store->uploads, or
 * store->staged).  Another socket's upload does not exist for the caller.
 */
static struct upload *upload_find(struct pxe_image_store *store,
				  struct list_head *list, u32 id, u32 portid)
{
	struct upload *up;

	lockdep_assert_held(&store->pn->lock);
	list_for_each_entry(up, list, node)
		if (up->id == id && up->portid == portid)
			return up;
	return NULL;
}

static u32 upload_new_id(struct pxe_image_store *store)
{
	struct upload *up;
	bool taken;

	lockdep_assert_held(&store->pn->lock);
	do {
		if (!++store->next_id)
			store->next_id = 1;
		taken = false;
		list_for_each_entry(up, &store->uploads, node)
			taken |= up->id == store->next_id;
		list_for_each_entry(up, &store->staged, node)
			taken |= up->id == store->next_id;
	} while (taken);
	return store->next_id;
}

/* Drops a socket's uploads when it closes: a killed pxectl leaks nothing. */
static int release_event(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct pxe_image_store *store = container_of(nb, struct pxe_image_store,
						     release);
	struct netlink_notify *n = ptr;
	struct upload *up, *tmp;
	LIST_HEAD(gone);

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    n->net != store->pn->net)
		return NOTIFY_DONE;

	mutex_lock(&store->pn->lock);
	list_for_each_entry_safe(up, tmp, &store->uploads, node)
		if (up->portid == n->portid) {
			list_move(&up->node, &gone);
			store->nr_uploads--;
		}
	list_for_each_entry_safe(up, tmp, &store->staged, node)
		if (up->portid == n->portid) {
			list_move(&up->node, &gone);
			store->nr_staged--;
		}
	mutex_unlock(&store->pn->lock);

	list_for_each_entry_safe(up, tmp, &gone, node)
		upload_free(up);
	return NOTIFY_DONE;
}

int pxe_image_net_init(struct pxe_net *pn)
{
	struct pxe_image_store *store;
	int err;

	store = kzalloc(sizeof(*store), GFP_KERNEL_ACCOUNT);
	if (!store)
		return -ENOMEM;
	store->pn = pn;
	INIT_LIST_HEAD(&store->uploads);
	INIT_LIST_HEAD(&store->staged);
	atomic64_set(&store->used, 0);
	atomic_set(&store->alive, 0);
	store->release.notifier_call = release_event;
	err = netlink_register_notifier(&store->release);
	if (err) {
		kfree(store);
		return err;
	}
	pn->images = store;
	return 0;
}

void pxe_image_net_exit(struct pxe_net *pn)
{
	struct pxe_image_store *store = pn->images;
	struct image_entry *entry;
	struct hlist_node *tmp;
	struct upload *up, *next;
	unsigned int i;

	netlink_unregister_notifier(&store->release);

	mutex_lock(&pn->lock);
	list_for_each_entry_safe(up, next, &store->uploads, node) {
		list_del(&up->node);
		upload_free(up);
	}
	store->nr_uploads = 0;
	list_for_each_entry_safe(up, next, &store->staged, node) {
		list_del(&up->node);
		upload_free(up);
	}
	store->nr_staged = 0;
	for (i = 0; i < ARRAY_SIZE(store->names); i++)
		hlist_for_each_entry_safe(entry, tmp, &store->names[i], node) {
			hlist_del_rcu(&entry->node);
			/* TFTP has ended every session before we get here. */
			WARN_ONCE(refcount_read(&entry->image.ref) != 1,
				  "pxe: image %s still referenced at netns exit\n",
				  entry->image.name);
			pxe_image_put(&entry->image);
		}
	mutex_unlock(&pn->lock);
}

/* After an rcu_barrier(): the images' RCU frees have all run. */
void pxe_image_net_free(struct pxe_net *pn)
{
	struct pxe_image_store *store = pn->images;

	/* A reference still held would free into a dead store: leak instead. */
	if (WARN_ON_ONCE(atomic_read(&store->alive)))
		return;
	WARN_ON_ONCE(atomic64_read(&store->used));
	pn->images = NULL;
	kfree(store);
}

/* --- netlink --------------------------------------------------------- */

/* The request's IMAGE_NAME, normalised into @name; 0 or -errno (extack). */
static int request_name(struct genl_info *info, char name[PXE_IMAGE_NAME_MAX])
{
	struct nlattr *attr = info->attrs[PXE_A_IMAGE_NAME];
	int len;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_NAME))
		return -EINVAL;
	len = normalise_name(nla_data(attr), name);
	if (len < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "image name is too long");
		return len;
	}
	if (!len) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "image name is empty (a name of only '/' or '\\' is empty too)");
		return -EINVAL;
	}
	return len;
}

static int upload_reply(struct genl_info *info, u32 id)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pxe_family, 0, PXE_CMD_IMAGE_NEW);
	if (!hdr || nla_put_u32(msg, PXE_A_IMAGE_UPLOAD, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Reserves an upload slot and charges @size, or says why not. */
static int upload_reserve(struct pxe_image_store *store, u64 size,
			  struct genl_info *info)
{
	struct pxe_net *pn = store->pn;
	u64 limit = READ_ONCE(pn->limits.image_memory);
	u64 used = atomic64_read(&store->used);

	lockdep_assert_held(&pn->lock);
	if (store->nr_uploads >= UPLOADS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "too many uploads in progress; wait for one to finish");
		return -EBUSY;
	}
	if (size > limit || used > limit - size) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_SIZE],
				    "image memory limit reached; raise it with 'pxectl settings set image-memory BYTES'");
		return -ENOSPC;
	}
	store->nr_uploads++;
	return 0;
}

int pxe_nl_image_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_image_store *store = pn->images;
	char name[PXE_IMAGE_NAME_MAX];
	struct image_entry *entry;
	struct upload *up;
	u64 size;
	int err;

	err = request_name(info, name);
	if (err < 0)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_SIZE))
		return -EINVAL;
	size = nla_get_u64(info->attrs[PXE_A_IMAGE_SIZE]);
	if (size > IMAGE_SIZE_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_SIZE],
				    "image is too large");
		return -EFBIG;
	}
	up = kzalloc(sizeof(*up), GFP_KERNEL_ACCOUNT);
	if (!up)
		return -ENOMEM;
	err = upload_hash_init(up);
	if (err) {
		if (err != -ENOMEM)
			NL_SET_ERR_MSG(info->extack,
				       "cannot set up SHA-256 (the kernel's crypto API has no \"sha256\")");
		upload_free(up);
		return err;
	}

	mutex_lock(&pn->lock);
	err = upload_reserve(store, size, info);
	entry = err ? NULL : image_new(store, name, size);
	if (!err && !entry) {
		store->nr_uploads--;
		err = -ENOMEM;
	}
	mutex_unlock(&pn->lock);
	if (err) {
		upload_free(up);
		return err;
	}

	up->entry = entry;
	up->portid = info->snd_portid;
	err = image_alloc_pages(&entry->image);
	mutex_lock(&pn->lock);
	if (err) {
		store->nr_uploads--;
	} else {
		up->id = upload_new_id(store);
		list_add_tail(&up->node, &store->uploads);
	}
	mutex_unlock(&pn->lock);
	if (err) {
		if (err == -ENOMEM)
			NL_SET_ERR_MSG(info->extack,
				       "out of memory for the image (the memory cgroup's limit or the machine's); nothing was stored");
		upload_free(up);
		return err;
	}
	/* Without the reply the id is lost; the upload goes with the socket. */
	return upload_reply(info, up->id);
}

#define BYTES(b)	((b) * 0x0101010101010101ULL)

/* 0x01 in each byte of @x that is zero, 0x00 in the others (no carries). */
static u64 zero_bytes(u64 x)
{
	u64 low7 = BYTES(0x7f);

	return ~(((x & low7) + low7) | x | low7) >> 7;
}

/* The '\n' and '\r' bytes in @data: eight bytes at a time. */
static u64 count_line_ends(const u8 *data, unsigned int len)
{
	u64 n = 0, w;

	for (; len >= 8; data += 8, len -= 8) {
		memcpy(&w, data, sizeof(w));
		/* At most 8 + 8 ones: their sum fits the top byte. */
		n += ((zero_bytes(w ^ BYTES('\n')) +
		       zero_bytes(w ^ BYTES('\r'))) * BYTES(1)) >> 56;
	}
	for (; len; data++, len--)
		n += *data == '\n' || *data == '\r';
	return n;
}

static void copy_to_pages(struct pxe_image *image, u64 offset,
			  const u8 *data, unsigned int len)
{
	while (len) {
		unsigned int in_page = offset_in_page(offset);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - in_page);

		memcpy(page_address(image->pages[offset >> PAGE_SHIFT]) +
		       in_page, data, n);
		offset += n;
		data += n;
		len -= n;
	}
}

/* The upload a request names, owned by the requesting socket; or NULL. */
static struct upload *request_upload(struct pxe_image_store *store,
				     struct genl_info *info)
{
	struct upload *up;

	up = upload_find(store, &store->uploads,
			 nla_get_u32(info->attrs[PXE_A_IMAGE_UPLOAD]),
			 info->snd_portid);
	if (!up)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PXE_A_IMAGE_UPLOAD],
				    "no such upload");
	return up;
}

int pxe_nl_image_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct nlattr *data = info->attrs[PXE_A_IMAGE_DATA];
	struct upload *up, *gone = NULL;
	unsigned int len;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_UPLOAD) ||
	    GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_DATA))
		return -EINVAL;
	len = nla_len(data);

	mutex_lock(&pn->lock);
	up = request_upload(pn->images, info);
	if (!up) {
		err = -ENOENT;
	} else if (nla_get_u64(info->attrs[PXE_A_IMAGE_OFFSET]) != up->written) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_OFFSET],
				    "write is not at the end of the upload");
		err = -EINVAL;
	} else if (len > up->entry->image.size - up->written) {
		NL_SET_ERR_MSG_ATTR(info->extack, data,
				    "write past the image's size");
		err = -EINVAL;
	} else if (crypto_shash_update(up->hash, nla_data(data), len)) {
		/* Never for "sha256"; a hash gone wrong ends it all. */
		list_del(&up->node);
		pn->images->nr_uploads--;
		gone = up;
		err = -EIO;
	} else {
		copy_to_pages(&up->entry->image, up->written, nla_data(data), len);
		up->line_ends += count_line_ends(nla_data(data), len);
		up->written += len;
	}
	mutex_unlock(&pn->lock);
	if (gone)
		upload_free(gone);
	return err;
}

/* Under pn->lock: the image goes live, replacing any of the same name. */
static void image_publish(struct pxe_image_store *store,
			  struct image_entry *entry, struct image_entry **old)
{
	int len = strlen(entry->image.name);

	lockdep_assert_held(&store->pn->lock);
	*old = image_find(store, entry->image.name, len);
	if (*old)
		hlist_replace_rcu(&(*old)->node, &entry->node);
	else
		hlist_add_head_rcu(&entry->node,
				   name_bucket(store, entry->image.name, len));
	store->pn->gen++;
}

int pxe_nl_image_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_image_store *store = pn->images;
	struct nlattr *want = info->attrs[PXE_A_IMAGE_SHA256];
	bool stage = nla_get_flag(info->attrs[PXE_A_IMAGE_STAGE]);
	struct image_entry *old = NULL;
	struct upload *up, *gone = NULL;
	u8 digest[SHA256_DIGEST_SIZE];
	struct pxe_image *image;
	struct sk_buff *reply;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_UPLOAD))
		return -EINVAL;
	/* First: a commit refused for want of memory leaves the upload. */
	reply = genlmsg_new(nla_total_size(SHA256_DIGEST_SIZE), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &pxe_family, 0,
				PXE_CMD_IMAGE_COMMIT);
	if (!hdr) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}

	mutex_lock(&pn->lock);
	up = request_upload(store, info);
	if (!up) {
		err = -ENOENT;
		goto unlock;
	}
	image = &up->entry->image;
	if (up->written != image->size) {
		NL_SET_ERR_MSG(info->extack, "upload is incomplete");
		err = -EINVAL;
		goto unlock;
	}
	if (stage && store->nr_staged >= STAGED_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_STAGE],
				    "too many staged images; publish or abort them first");
		err = -EBUSY;
		goto unlock;
	}
	/* Whatever the verdict, the upload is over. */
	list_del(&up->node);
	store->nr_uploads--;
	gone = up;
	err = crypto_shash_final(up->hash, digest);
	upload_hash_free(up);
	if (err)
		goto unlock;
	if (want && memcmp(digest, nla_data(want), sizeof(digest))) {
		NL_SET_ERR_MSG_ATTR(info->extack, want,
				    "SHA-256 mismatch: the image was not stored");
		err = -EBADMSG;
		goto unlock;
	}
	/* Sized for it: this cannot fail, but if it did, nothing is stored. */
	err = nla_put(reply, PXE_A_IMAGE_SHA256, sizeof(digest), digest);
	if (err)
		goto unlock;
	memcpy(image->sha256, digest, sizeof(image->sha256));
	image->netascii_size = image->size + up->line_ends;
	gone = NULL;
	if (stage) {
		/* Published by IMAGE_PUBLISH, or freed with the socket. */
		list_add_tail(&up->node, &store->staged);
		store->nr_staged++;
	} else {
		image_publish(store, up->entry, &old);
		up->entry = NULL;
		gone = up;
	}
unlock:
	mutex_unlock(&pn->lock);

	if (old)
		pxe_image_put(&old->image);
	/* Refused (its entry goes too), or what is left once published. */
	if (gone)
		upload_free(gone);
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	genlmsg_end(reply, hdr);
	/* The image is stored either way: a lost answer does not undo that. */
	genlmsg_reply(reply, info);
	return 0;
}

int pxe_nl_image_publish_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct pxe_image_store *store = pn->images;
	struct upload *up, *tmp;
	struct image_entry *old;
	LIST_HEAD(done);

	mutex_lock(&pn->lock);
	list_for_each_entry_safe(up, tmp, &store->staged, node) {
		if (up->portid != info->snd_portid)
			continue;
		image_publish(store, up->entry, &old);
		/* What is left of the upload carries the replaced image out. */
		up->entry = old;
		list_move_tail(&up->node, &done);
		store->nr_staged--;
	}
	mutex_unlock(&pn->lock);

	list_for_each_entry_safe(up, tmp, &done, node) {
		if (up->entry)
			pxe_image_put(&up->entry->image);
		kfree(up);
	}
	return 0;
}

int pxe_nl_image_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	struct upload *up;

	if (GENL_REQ_ATTR_CHECK(info, PXE_A_IMAGE_UPLOAD))
		return -EINVAL;
	mutex_lock(&pn->lock);
	up = upload_find(pn->images, &pn->images->staged,
			 nla_get_u32(info->attrs[PXE_A_IMAGE_UPLOAD]),
			 info->snd_portid);
	if (up) {
		list_del(&up->node);
		pn->images->nr_staged--;
	} else {
		up = request_upload(pn->images, info);
		if (up) {
			list_del(&up->node);
			pn->images->nr_uploads--;
		}
	}
	mutex_unlock(&pn->lock);
	if (!up)
		return -ENOENT;
	upload_free(up);
	return 0;
}

int pxe_nl_image_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	char name[PXE_IMAGE_NAME_MAX];
	struct image_entry *entry;
	int len;

	len = request_name(info, name);
	if (len < 0)
		return len;
	mutex_lock(&pn->lock);
	entry = image_find(pn->images, name, len);
	if (entry) {
		hlist_del_rcu(&entry->node);
		pn->gen++;
	}
	mutex_unlock(&pn->lock);
	if (!entry) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_NAME],
				    "no such image");
		return -ENOENT;
	}
	/* Downloads in flight keep their reference and finish. */
	pxe_image_put(&entry->image);
	return 0;
}

/* @cb: the dump in progress, NULL outside dumps. */
static int fill_image(struct sk_buff *skb, const struct pxe_image *image,
		      u32 portid, u32 seq, int flags,
		      struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pxe_family, flags,
			  PXE_CMD_IMAGE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PXE_A_IMAGE_NAME, image->name) ||
	    nla_put_u64_64bit(skb, PXE_A_IMAGE_SIZE, image->size, PXE_A_PAD) ||
	    nla_put(skb, PXE_A_IMAGE_SHA256, sizeof(image->sha256),
		    image->sha256) ||
	    nla_put_u32(skb, PXE_A_IMAGE_ACTIVE, atomic_read(&image->active)) ||
	    nla_put_u64_64bit(skb, PXE_A_IMAGE_DOWNLOADS,
			      atomic64_read(&image->downloads), PXE_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int pxe_nl_image_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pxe_net *pn = pxe_net(genl_info_net(info));
	char name[PXE_IMAGE_NAME_MAX];
	struct image_entry *entry;
	struct sk_buff *msg;
	int len, err;

	len = request_name(info, name);
	if (len < 0)
		return len;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&pn->lock);
	entry = image_find(pn->images, name, len);
	if (entry) {
		err = fill_image(msg, &entry->image, info->snd_portid,
				 info->snd_seq, 0, NULL);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PXE_A_IMAGE_NAME],
				    "no such image");
		err = -ENOENT;
	}
	mutex_unlock(&pn->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Dump cursor: the hash bucket, and the images of it already sent. */
struct image_dump {
	long bucket;
	long done;
};

int pxe_nl_image_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct image_dump *pos = (struct image_dump *)cb->args;
	struct pxe_net *pn = pxe_net(sock_net(skb->sk));
	struct pxe_image_store *store = pn->images;
	struct image_entry *entry;
	int err = 0;
	long i;

	BUILD_BUG_ON(sizeof(*pos) > sizeof(cb->args));
	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	for (; pos->bucket < (long)ARRAY_SIZE(store->names); pos->bucket++) {
		i = 0;
		hlist_for_each_entry(entry, &store->names[pos->bucket], node) {
			if (i++ < pos->done)
				continue;
			err = fill_image(skb, &entry->image,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
			if (err)
				goto out;
			pos->done++;
		}
		pos->done = 0;
	}
out:
	mutex_unlock(&pn->lock);
	/* A full buffer means: come back for the rest. */
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}
