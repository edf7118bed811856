/* SPDX-License-Identifier: ISC */
/* wfs_data.c: the engine's blocks: allocation, file data copied on write, and the commit. */
#include "wfs_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct wfs *wfs_alloc(const struct wfs_io *io, uint32_t block_count)
{
	struct wfs *fs = calloc(1, sizeof *fs);
	size_t bytes = (block_count + 7) / 8;

	if (!fs)
		return NULL;
	fs->io = io;
	fs->block_count = block_count;
	fs->used = calloc(1, bytes);
	fs->pinned = calloc(1, bytes);
	fs->cache = malloc(WFS_CACHE * sizeof *fs->cache);
	fs->hint = 1;
	if (!fs->used || !fs->pinned || !fs->cache) {
		free(fs->used), free(fs->pinned), free(fs->cache), free(fs);
		return NULL;
	}
	wfs_bit_set(fs->used, 0, 1);
	wfs_bit_set(fs->pinned, 0, 1);
	return fs;
}

/* The node ino if it is live (or orphaned) and of type (0: any). */
struct wfs_node *wfs_node(const struct wfs *fs, uint32_t ino, int type)
{
	struct wfs_node *n = ino < fs->count ? &fs->nodes[ino] : NULL;

	if (!n || n->type == WFS_FREE || (type && n->type != type))
		return NULL;
	return n;
}

/* --- blocks ------------------------------------------------------------------------------ */

/* A run of n free blocks (in neither bitmap), marked used; 0 if none. */
static uint32_t alloc_run(struct wfs *fs, uint32_t n)
{
	uint32_t run = 0;

	for (uint64_t k = 0; k < 2ull * fs->block_count; k++) {
		uint32_t b = (uint32_t)((fs->hint + k) % fs->block_count);
		if (b == 0 || wfs_bit(fs->used, b) || wfs_bit(fs->pinned, b)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			uint32_t first = b + 1 - n;
			for (uint32_t i = first; i <= b; i++)
				wfs_bit_set(fs->used, i, 1);
			fs->hint = b + 1;
			return first;
		}
	}
	return 0;
}

static const uint8_t *read_block(struct wfs *fs, uint32_t b)
{
	uint8_t *slot = fs->cache[b % WFS_CACHE];

	if (fs->cache_blk[b % WFS_CACHE] == b)
		return slot;
	fs->cache_blk[b % WFS_CACHE] = 0;
	if (fs->io->read(fs->io->ctx, (uint64_t)b * WFS_BLOCK, slot, WFS_BLOCK) != WFS_BLOCK)
		return NULL;
	fs->cache_blk[b % WFS_CACHE] = b;
	return slot;
}

static int write_block(struct wfs *fs, uint32_t b, const uint8_t *data)
{
	fs->cache_blk[b % WFS_CACHE] = 0;
	if (fs->io->write(fs->io->ctx, (uint64_t)b * WFS_BLOCK, data, WFS_BLOCK) != WFS_BLOCK)
		return -EIO;
	memcpy(fs->cache[b % WFS_CACHE], data, WFS_BLOCK);
	fs->cache_blk[b % WFS_CACHE] = b;
	return 0;
}

void wfs_release_blocks(struct wfs *fs, struct wfs_node *n, uint64_t from)
{
	for (uint64_t i = from; i < n->map_cap; i++) {
		if (n->map[i])
			wfs_bit_set(fs->used, n->map[i], 0), n->held--;
		n->map[i] = 0;
	}
}

/* Room in n's map for file blocks [0, blocks). */
static int map_grow(struct wfs_node *n, uint64_t blocks)
{
	uint64_t cap = n->map_cap ? n->map_cap : 8;
	uint32_t *map;

	if (blocks <= n->map_cap)
		return 0;
	while (cap < blocks)
		cap *= 2;
	if (!(map = realloc(n->map, cap * sizeof *map)))
		return -ENOMEM;
	memset(map + n->map_cap, 0, (cap - n->map_cap) * sizeof *map);
	n->map = map, n->map_cap = (uint32_t)cap;
	return 0;
}

/*
 * Puts len bytes of src (NULL: zeros) at byte in of file block fb. A block
 * the last commit reaches is never written: the new bytes go to a fresh one.
 */
static int put_block(struct wfs *fs, struct wfs_node *n, uint64_t fb, size_t in, const void *src,
		     size_t len)
{
	static uint8_t buf[WFS_BLOCK];
	uint32_t cur = n->map[fb], to = cur && !wfs_bit(fs->pinned, cur) ? cur : alloc_run(fs, 1);
	const uint8_t *old = NULL;

	if (!to)
		return -ENOSPC;
	if (len < WFS_BLOCK && cur && !(old = read_block(fs, cur))) {
		if (to != cur)
			wfs_bit_set(fs->used, to, 0);
		return -EIO;
	}
	if (old)
		memcpy(buf, old, WFS_BLOCK);
	else
		memset(buf, 0, WFS_BLOCK);
	if (src)
		memcpy(buf + in, src, len);
	else
		memset(buf + in, 0, len);
	if (write_block(fs, to, buf)) {
		if (to != cur)
			wfs_bit_set(fs->used, to, 0);
		return -EIO;
	}
	if (to != cur && cur)
		wfs_bit_set(fs->used, cur, 0);
	n->held += !cur;
	n->map[fb] = to;
	return 0;
}

/* --- file data ----------------------------------------------------------------------------- */

long wfs_read(struct wfs *fs, uint32_t ino, uint64_t off, void *buf, size_t len)
{
	struct wfs_node *n = wfs_node(fs, ino, 0);
	uint8_t *p = buf;
	size_t done = 0;

	if (!n)
		return -EINVAL;
	if (n->type == WFS_DIR)
		return -EISDIR;
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	while (done < len) {
		uint64_t pos = off + done, fb = pos / WFS_BLOCK;
		size_t in = pos % WFS_BLOCK, k = WFS_BLOCK - in < len - done ? WFS_BLOCK - in : len - done;
		const uint8_t *b = NULL;
		if (n->map[fb] && !(b = read_block(fs, n->map[fb])))
			return done ? (long)done : -EIO;
		if (b)
			memcpy(p + done, b + in, k);
		else
			memset(p + done, 0, k);
		done += k;
	}
	return (long)done;
}

static void touch(struct wfs *fs, struct wfs_node *n, int64_t sec, uint32_t nsec)
{
	n->sec = sec, n->nsec = nsec;
	fs->dirty = 1;
}

long wfs_write(struct wfs *fs, uint32_t ino, uint64_t off, const void *buf, size_t len,
	       int64_t sec, uint32_t nsec)
{
	struct wfs_node *n = wfs_node(fs, ino, 0);
	const uint8_t *p = buf;
	size_t done = 0;
	int r;

	if (!n)
		return -EINVAL;
	if (n->type == WFS_DIR)
		return -EISDIR;
	if (fs->broken)
		return -EIO;
	if (off > WFS_FILE_MAX || len > WFS_FILE_MAX - off)
		return -EFBIG;
	if ((r = map_grow(n, (off + len + WFS_BLOCK - 1) / WFS_BLOCK)))
		return r;
	while (done < len) {
		uint64_t pos = off + done;
		size_t in = pos % WFS_BLOCK, k = WFS_BLOCK - in < len - done ? WFS_BLOCK - in : len - done;
		if ((r = put_block(fs, n, pos / WFS_BLOCK, in, p + done, k)))
			break;
		done += k;
		if (pos + k > n->size)
			n->size = pos + k;
	}
	if (done || len == 0)
		touch(fs, n, sec, nsec);
	return done || len == 0 ? (long)done : r;
}

int wfs_truncate(struct wfs *fs, uint32_t ino, uint64_t size, int64_t sec, uint32_t nsec)
{
	struct wfs_node *n = wfs_node(fs, ino, 0);
	uint64_t keep = (size + WFS_BLOCK - 1) / WFS_BLOCK;
	int r;

	if (!n)
		return -EINVAL;
	if (n->type == WFS_DIR)
		return -EISDIR;
	if (fs->broken)
		return -EIO;
	if (size > WFS_FILE_MAX)
		return -EFBIG;
	if ((r = map_grow(n, keep)))
		return r;
	if (size < n->size) {
		wfs_release_blocks(fs, n, keep);
		/* Bytes past the end stay zero, so growing the file later shows zeros. */
		if (size % WFS_BLOCK && n->map[size / WFS_BLOCK] &&
		    (r = put_block(fs, n, size / WFS_BLOCK, size % WFS_BLOCK, NULL,
				   WFS_BLOCK - size % WFS_BLOCK)))
			return r;
	}
	n->size = size;
	touch(fs, n, sec, nsec);
	return 0;
}

/* --- the commit ------------------------------------------------------------------------------ */

/* Extents of a file: runs of consecutive volume blocks. With out NULL, only counted. */
static uint32_t extents(const struct wfs_node *n, struct wfs_extent *out)
{
	uint64_t blocks = (n->size + WFS_BLOCK - 1) / WFS_BLOCK;
	uint32_t count = 0;

	for (uint64_t i = 0; i < blocks; i++) {
		if (!n->map[i])
			continue;
		if (i && n->map[i - 1] && n->map[i] == n->map[i - 1] + 1) {
			if (out)
				out[count - 1].len++;
			continue;
		}
		if (out)
			out[count] = (struct wfs_extent){ (uint32_t)i, n->map[i], 1 };
		count++;
	}
	return count;
}

static int live(const struct wfs_node *n)
{
	return n->type != WFS_FREE && !n->orphan;
}

/* The blob of the tree as it is now, in a buffer of whole blocks; NULL when out of memory. */
static uint8_t *serialize(const struct wfs *fs, struct wfs_meta_head *h, uint64_t *len)
{
	struct wfs_inode *in;
	struct wfs_extent *ext;
	struct wfs_dirent *ent;
	char *names;
	uint8_t *blob;

	*h = (struct wfs_meta_head){ .magic = WFS_META_MAGIC, .inode_count = fs->count,
				     .generation = fs->gen + 1 };
	for (uint32_t i = 0; i < fs->count; i++) {
		const struct wfs_node *n = &fs->nodes[i];
		if (live(n) && n->type == WFS_FILE)
			h->extent_count += extents(n, NULL);
		for (uint32_t e = 0; live(n) && e < n->nents; e++)
			h->dirent_count++, h->names_size += n->ents[e].len;
	}
	*len = sizeof *h + (uint64_t)h->inode_count * sizeof *in +
	       (uint64_t)h->extent_count * sizeof *ext + (uint64_t)h->dirent_count * sizeof *ent +
	       h->names_size;
	if (*len > WFS_META_MAX || !(blob = calloc(1, (*len + WFS_BLOCK - 1) / WFS_BLOCK * WFS_BLOCK)))
		return NULL;
	memcpy(blob, h, sizeof *h);
	in = (void *)(blob + sizeof *h);
	ext = (void *)(in + h->inode_count);
	ent = (void *)(ext + h->extent_count);
	names = (char *)(ent + h->dirent_count);
	for (uint32_t i = 0, ne = 0, nd = 0, nn = 0; i < fs->count; i++) {
		const struct wfs_node *n = &fs->nodes[i];
		if (!live(n))
			continue; /* stays a zeroed, free inode */
		in[i] = (struct wfs_inode){ .type = n->type, .mode = n->mode, .mtime = n->sec,
			.mtime_nsec = n->nsec, .parent = n->type == WFS_DIR ? n->parent : 0 };
		if (n->type == WFS_FILE) {
			in[i].size = n->size, in[i].first = ne;
			ne += in[i].count = extents(n, ext + ne);
			continue;
		}
		in[i].first = nd, in[i].count = n->nents;
		for (uint32_t e = 0; e < n->nents; e++, nd++) {
			ent[nd] = (struct wfs_dirent){ .inode = n->ents[e].ino, .name_off = nn,
						       .name_len = n->ents[e].len };
			memcpy(names + nn, n->ents[e].name, n->ents[e].len);
			nn += n->ents[e].len;
		}
	}
	return blob;
}

/* The blob's blocks and the index written, flushed, the other slot written, flushed. */
static int commit(struct wfs *fs, const uint8_t *blob, const struct wfs_index *index,
		  const struct wfs_super *sb)
{
	uint8_t sector[WFS_SECTOR] = { 0 };
	const struct wfs_io *io = fs->io;

	memcpy(sector, sb, sizeof *sb);
	for (uint32_t i = 0; i < index->count; i++)
		if (io->write(io->ctx, (uint64_t)index->block[i] * WFS_BLOCK, blob + (size_t)i * WFS_BLOCK,
			      WFS_BLOCK) != WFS_BLOCK)
			return -EIO;
	if (io->write(io->ctx, sb->meta_block * WFS_BLOCK, index, WFS_BLOCK) != WFS_BLOCK ||
	    io->flush(io->ctx) ||
	    io->write(io->ctx, sb->generation % 2 * WFS_SECTOR, sector, WFS_SECTOR) != WFS_SECTOR ||
	    io->flush(io->ctx))
		return -EIO;
	return 0;
}

/* Blocks for the index (*at) and the blob: any free ones, contiguous or not. */
static int alloc_meta(struct wfs *fs, struct wfs_index *index, uint32_t blocks, uint32_t *at)
{
	memset(index, 0, sizeof *index);
	if (!(*at = alloc_run(fs, 1)))
		return -ENOSPC;
	for (index->count = 0; index->count < blocks; index->count++)
		if (!(index->block[index->count] = alloc_run(fs, 1)))
			break;
	if (index->count == blocks)
		return 0;
	wfs_bit_set(fs->used, *at, 0);
	for (uint32_t i = 0; i < index->count; i++)
		wfs_bit_set(fs->used, index->block[i], 0);
	return -ENOSPC;
}

int wfs_sync(struct wfs *fs)
{
	static struct wfs_index index;
	struct wfs_meta_head h;
	struct wfs_super sb;
	uint64_t len;
	uint8_t *blob;
	const char *why;
	uint32_t at;
	int r;

	if (fs->broken)
		return -EIO;
	if (!fs->dirty)
		return 0;
	if (!(blob = serialize(fs, &h, &len)))
		return len > WFS_META_MAX ? -ENOSPC : -ENOMEM;
	if ((r = alloc_meta(fs, &index, (uint32_t)((len + WFS_BLOCK - 1) / WFS_BLOCK), &at))) {
		free(blob);
		return r;
	}
	sb = (struct wfs_super){ .magic = WFS_MAGIC, .version = WFS_VERSION, .block_size = WFS_BLOCK,
		.generation = fs->gen + 1, .block_count = fs->block_count, .meta_block = at,
		.meta_len = (uint32_t)len, .meta_crc = wfs_crc32c(blob, len),
		.index_crc = wfs_crc32c(&index, sizeof index) };
	sb.crc = wfs_crc32c(&sb, offsetof(struct wfs_super, crc));
	/* Never write what a mount would refuse: the blob passes the checker first. */
	if (wfs_meta_check(&sb, &index, blob, len, NULL, &why) || commit(fs, blob, &index, &sb)) {
		free(blob);
		fs->broken = 1;
		return -EIO;
	}
	free(blob);
	fs->gen++;
	fs->dirty = 0;
	memcpy(fs->pinned, fs->used, (fs->block_count + 7) / 8);
	/* Index and blob: pinned now, free again once the next commit is. */
	wfs_bit_set(fs->used, at, 0);
	for (uint32_t i = 0; i < index.count; i++)
		wfs_bit_set(fs->used, index.block[i], 0);
	return 0;
}
