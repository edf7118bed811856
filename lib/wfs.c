/* SPDX-License-Identifier: ISC */
/* wfs.c: the writable volume's superblocks and metadata checker: every byte is hostile until checked. */
#include "wfs.h"

#include <stdlib.h>
#include <string.h>

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* Is [off, off + len) inside [0, size)? Written so nothing overflows. */
static int in_range(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

uint32_t wfs_crc32c(const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;
	uint32_t crc = ~0u;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
			table[i] = c;
		}
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int wfs_probe(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	return (len >= 8 && !memcmp(p, WFS_MAGIC, 8)) ||
	       (len >= 2 * WFS_SECTOR && !memcmp(p + WFS_SECTOR, WFS_MAGIC, 8));
}

int wfs_super_check(const void *sector, uint64_t dev_size, struct wfs_super *sb, const char **why)
{
	memcpy(sb, sector, sizeof *sb);
	if (memcmp(sb->magic, WFS_MAGIC, 8))
		return fail(why, "not a wfs superblock (bad magic)");
	if (sb->crc != wfs_crc32c(sb, offsetof(struct wfs_super, crc)))
		return fail(why, "superblock checksum mismatch");
	if (sb->version != WFS_VERSION || sb->block_size != WFS_BLOCK || sb->flags || sb->reserved)
		return fail(why, "unknown version, block size or flags");
	if (sb->block_count < 2 || sb->block_count > WFS_BLOCKS_MAX ||
	    sb->block_count > dev_size / WFS_BLOCK)
		return fail(why, "volume larger than the device (truncated?) or out of range");
	if (sb->meta_len < sizeof(struct wfs_meta_head) || sb->meta_len > WFS_META_MAX)
		return fail(why, "metadata size out of range");
	if (sb->meta_block < 1 || sb->meta_block >= sb->block_count)
		return fail(why, "metadata index outside the volume");
	return 0;
}

int wfs_index_check(const struct wfs_super *sb, const struct wfs_index *index, const char **why)
{
	if (wfs_crc32c(index, sizeof *index) != sb->index_crc)
		return fail(why, "metadata index checksum mismatch");
	if (index->count != (sb->meta_len + WFS_BLOCK - 1) / WFS_BLOCK)
		return fail(why, "metadata index does not match the metadata size");
	for (uint32_t i = 0; i < WFS_INDEX_MAX; i++)
		if (i < index->count ? index->block[i] < 1 || index->block[i] >= sb->block_count
				     : index->block[i] != 0)
			return fail(why, "metadata block outside the volume");
	return 0;
}

/* The checked tables of one blob. */
struct tables {
	const struct wfs_meta_head *h;
	const struct wfs_inode *in;
	const struct wfs_extent *ext;
	const struct wfs_dirent *ent;
	const char *names;
};

static int layout(const struct wfs_super *sb, const uint8_t *meta, size_t len, struct tables *t,
		  const char **why)
{
	uint64_t need;

	if (len < sb->meta_len || wfs_crc32c(meta, sb->meta_len) != sb->meta_crc)
		return fail(why, "metadata checksum mismatch");
	t->h = (const void *)meta;
	if (t->h->magic != WFS_META_MAGIC || t->h->generation != sb->generation || t->h->reserved)
		return fail(why, "metadata header does not match the superblock");
	if (t->h->inode_count == 0 || t->h->inode_count > WFS_INODES_MAX)
		return fail(why, "inode count out of range");
	/* 64-bit sums of 32-bit counts times small sizes: nothing overflows. */
	need = sizeof *t->h + (uint64_t)t->h->inode_count * sizeof *t->in +
	       (uint64_t)t->h->extent_count * sizeof *t->ext +
	       (uint64_t)t->h->dirent_count * sizeof *t->ent + t->h->names_size;
	if (need != sb->meta_len)
		return fail(why, "metadata tables do not fill the blob exactly");
	t->in = (const void *)(meta + sizeof *t->h);
	t->ext = (const void *)(t->in + t->h->inode_count);
	t->ent = (const void *)(t->ext + t->h->extent_count);
	t->names = (const char *)(t->ent + t->h->dirent_count);
	return 0;
}

/* Marks [b, b + n) used; fails if any was already. */
static int claim(uint8_t *used, uint64_t b, uint64_t n)
{
	for (uint64_t i = b; i < b + n; i++) {
		if (used[i / 8] & (1u << (i % 8)))
			return -1;
		used[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	return 0;
}

static int check_file(const struct wfs_super *sb, const struct tables *t, const struct wfs_inode *n,
		      uint8_t *used, const char **why)
{
	uint64_t blocks = (n->size + WFS_BLOCK - 1) / WFS_BLOCK, next = 0;

	if (n->size > WFS_FILE_MAX || n->parent)
		return fail(why, "file too large or with a parent");
	for (uint32_t i = n->first; i < n->first + n->count; i++) {
		const struct wfs_extent *e = &t->ext[i];
		if (e->len == 0 || e->file_block < next || !in_range(e->file_block, e->len, blocks))
			return fail(why, "extents out of order or past the end of the file");
		if (e->dev_block < 1 || !in_range(e->dev_block, e->len, sb->block_count))
			return fail(why, "extent outside the volume");
		if (claim(used, e->dev_block, e->len))
			return fail(why, "a block is used twice");
		next = (uint64_t)e->file_block + e->len;
	}
	return 0;
}

static int name_ok(const struct tables *t, const struct wfs_dirent *d)
{
	const char *s = t->names + d->name_off;

	if (d->reserved || d->name_len == 0 || d->name_len > WFS_NAME_MAX ||
	    !in_range(d->name_off, d->name_len, t->h->names_size))
		return 0;
	for (unsigned i = 0; i < d->name_len; i++)
		if (s[i] == '\0' || s[i] == '/')
			return 0;
	return !(s[0] == '.' && (d->name_len == 1 || (d->name_len == 2 && s[1] == '.')));
}

/* Unsigned bytes, then the shorter name first. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int check_dir(const struct tables *t, uint32_t ino, const struct wfs_inode *n,
		     uint32_t *refs, const char **why)
{
	if (n->size || (ino == 0 ? n->parent != 0 : n->parent >= t->h->inode_count))
		return fail(why, "bad directory size or parent");
	for (uint32_t i = n->first; i < n->first + n->count; i++) {
		const struct wfs_dirent *d = &t->ent[i];
		if (!name_ok(t, d))
			return fail(why, "bad entry name");
		if (i > n->first && name_cmp(t->names + d[-1].name_off, d[-1].name_len,
					     t->names + d->name_off, d->name_len) >= 0)
			return fail(why, "entries not sorted or names repeated");
		if (d->inode == 0 || d->inode >= t->h->inode_count || t->in[d->inode].type == WFS_FREE)
			return fail(why, "entry names the root, a free or a missing inode");
		if (t->in[d->inode].type == WFS_DIR && t->in[d->inode].parent != ino)
			return fail(why, "directory's parent is not the directory naming it");
		if (refs[d->inode]++)
			return fail(why, "inode named twice");
	}
	return 0;
}

/* Every inode: its own fields and that its runs follow the previous ones. */
static int check_inodes(const struct wfs_super *sb, const struct tables *t, uint8_t *used,
			uint32_t *refs, const char **why)
{
	uint64_t next_ext = 0, next_ent = 0;

	for (uint32_t i = 0; i < t->h->inode_count; i++) {
		const struct wfs_inode *n = &t->in[i];
		uint64_t *next = n->type == WFS_DIR ? &next_ent : &next_ext;
		uint64_t limit = n->type == WFS_DIR ? t->h->dirent_count : t->h->extent_count;
		if (n->mode > 07777 || n->reserved || n->mtime_nsec >= 1000000000u)
			return fail(why, "bad inode mode, time or reserved field");
		if (n->type == WFS_FREE) {
			if (n->count || n->size || n->parent)
				return fail(why, "free inode with contents");
			continue;
		}
		if (n->first != *next || n->count > limit - n->first)
			return fail(why, "runs out of order or outside their table");
		*next += n->count;
		if (n->type == WFS_FILE ? check_file(sb, t, n, used, why) :
		    n->type == WFS_DIR  ? check_dir(t, i, n, refs, why) :
					  fail(why, "unknown inode type"))
			return -1;
	}
	if (next_ext != t->h->extent_count || next_ent != t->h->dirent_count)
		return fail(why, "extents or entries owned by no inode");
	return 0;
}

/* Each live inode but the root named once, the root never, and all reached from the root. */
static int check_tree(const struct tables *t, const uint32_t *refs, const char **why)
{
	uint32_t count = t->h->inode_count, live = 0, head = 0, tail = 0;
	uint32_t *queue = malloc(count * sizeof *queue);

	if (!queue)
		return fail(why, "out of memory");
	for (uint32_t i = 0; i < count; i++)
		if (t->in[i].type != WFS_FREE && (live++, refs[i] != (i != 0)))
			goto orphan;
	if (t->in[0].type != WFS_DIR) {
		free(queue);
		return fail(why, "root is not a directory");
	}
	queue[tail++] = 0;
	while (head < tail) { /* each inode enters once: it is named once */
		const struct wfs_inode *n = &t->in[queue[head++]];
		for (uint32_t i = n->first; n->type == WFS_DIR && i < n->first + n->count; i++)
			if (tail < count)
				queue[tail++] = t->ent[i].inode;
	}
	free(queue);
	if (tail != live)
		return fail(why, "directories not reached from the root (a cycle?)");
	return 0;
orphan:
	free(queue);
	return fail(why, "inode not named exactly once");
}

int wfs_meta_check(const struct wfs_super *sb, const struct wfs_index *index, const void *meta,
		   size_t len, uint8_t *used, const char **why)
{
	uint8_t *mine = NULL;
	uint32_t *refs = NULL;
	struct tables t;
	int rc = -1;

	if (wfs_index_check(sb, index, why) || layout(sb, meta, len, &t, why))
		return -1;
	if (!used && !(used = mine = calloc(1, (sb->block_count + 7) / 8)))
		return fail(why, "out of memory");
	if (!(refs = calloc(t.h->inode_count, sizeof *refs))) {
		fail(why, "out of memory");
		goto out;
	}
	claim(used, 0, 1); /* the superblocks */
	if (claim(used, sb->meta_block, 1)) {
		fail(why, "metadata index on the superblocks");
		goto out;
	}
	for (uint32_t i = 0; i < index->count; i++)
		if (claim(used, index->block[i], 1)) {
			fail(why, "a metadata block used twice");
			goto out;
		}
	if (check_inodes(sb, &t, used, refs, why) || check_tree(&t, refs, why))
		goto out;
	rc = 0;
out:
	free(refs);
	free(mine);
	return rc;
}
