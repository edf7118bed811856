/* SPDX-License-Identifier: ISC */
/* wfs_tree.c: the engine's namespace: mount from a checked blob, directories, create, remove, rename. */
#include "wfs_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* --- mount ----------------------------------------------------------------------------------- */

static void free_node(struct wfs_node *n)
{
	for (uint32_t e = 0; e < n->nents; e++)
		free(n->ents[e].name);
	free(n->ents);
	free(n->map);
	*n = (struct wfs_node){ 0 };
}

void wfs_unmount(struct wfs *fs)
{
	if (!fs)
		return;
	for (uint32_t i = 0; i < fs->count; i++)
		free_node(&fs->nodes[i]);
	free(fs->nodes), free(fs->used), free(fs->pinned), free(fs->cache), free(fs);
}

/* The tables of a blob wfs_meta_check() accepted: every index in them is in range. */
struct tables {
	const struct wfs_extent *ext;
	const struct wfs_dirent *ent;
	const char *names;
};

static int load_node(struct wfs_node *n, const struct tables *t, const struct wfs_inode *in)
{
	*n = (struct wfs_node){ .type = in->type, .mode = in->mode, .parent = in->parent,
				.sec = in->mtime, .nsec = in->mtime_nsec, .size = in->size };
	if (in->type == WFS_FILE) {
		uint64_t blocks = (in->size + WFS_BLOCK - 1) / WFS_BLOCK;
		if (blocks && !(n->map = calloc(blocks, sizeof *n->map)))
			return -1;
		n->map_cap = (uint32_t)blocks;
		for (uint32_t i = in->first; i < in->first + in->count; i++)
			for (uint32_t k = 0; k < t->ext[i].len; k++, n->held++)
				n->map[t->ext[i].file_block + k] = t->ext[i].dev_block + k;
	} else if (in->type == WFS_DIR && in->count) {
		if (!(n->ents = calloc(in->count, sizeof *n->ents)))
			return -1;
		n->ents_cap = in->count;
		for (uint32_t i = 0; i < in->count; i++, n->nents++) {
			const struct wfs_dirent *d = &t->ent[in->first + i];
			if (!(n->ents[i].name = malloc(d->name_len)))
				return -1;
			memcpy(n->ents[i].name, t->names + d->name_off, d->name_len);
			n->ents[i].len = d->name_len, n->ents[i].ino = d->inode;
		}
	}
	return 0;
}

static int load(struct wfs *fs, const uint8_t *blob)
{
	const struct wfs_meta_head *h = (const void *)blob;
	const struct wfs_inode *in = (const void *)(h + 1);
	struct tables t;

	t.ext = (const void *)(in + h->inode_count);
	t.ent = (const void *)(t.ext + h->extent_count);
	t.names = (const char *)(t.ent + h->dirent_count);
	if (!(fs->nodes = calloc(h->inode_count, sizeof *fs->nodes)))
		return -1;
	fs->cap = h->inode_count;
	for (uint32_t i = 0; i < h->inode_count; i++, fs->count++)
		if (load_node(&fs->nodes[i], &t, &in[i]))
			return fs->count++, -1; /* freed by wfs_unmount() */
	return 0;
}

/* Tries one slot: its superblock, its blob, the whole check. */
static struct wfs *mount_slot(const struct wfs_io *io, const struct wfs_super *sb, const char **why)
{
	static struct wfs_index index;
	uint64_t blocks = (sb->meta_len + WFS_BLOCK - 1) / WFS_BLOCK;
	uint8_t *blob = malloc(blocks * WFS_BLOCK);
	struct wfs *fs = wfs_alloc(io, (uint32_t)sb->block_count);

	if (!blob || !fs) {
		*why = "out of memory";
		goto refuse;
	}
	if (io->read(io->ctx, sb->meta_block * WFS_BLOCK, &index, WFS_BLOCK) != WFS_BLOCK) {
		*why = "read error in the metadata index";
		goto refuse;
	}
	if (wfs_index_check(sb, &index, why))
		goto refuse;
	for (uint32_t i = 0; i < index.count; i++)
		if (io->read(io->ctx, (uint64_t)index.block[i] * WFS_BLOCK, blob + (size_t)i * WFS_BLOCK,
			     WFS_BLOCK) != WFS_BLOCK) {
			*why = "read error in the metadata";
			goto refuse;
		}
	if (wfs_meta_check(sb, &index, blob, sb->meta_len, fs->pinned, why))
		goto refuse;
	if (load(fs, blob)) {
		*why = "out of memory";
		goto refuse;
	}
	memcpy(fs->used, fs->pinned, (fs->block_count + 7) / 8);
	wfs_bit_set(fs->used, (uint32_t)sb->meta_block, 0); /* index and blob: pinned only */
	for (uint32_t i = 0; i < index.count; i++)
		wfs_bit_set(fs->used, index.block[i], 0);
	fs->gen = sb->generation;
	free(blob);
	return fs;
refuse:
	free(blob);
	wfs_unmount(fs);
	return NULL;
}

struct wfs *wfs_mount(const struct wfs_io *io, const char **why)
{
	static uint8_t sectors[2 * WFS_SECTOR];
	struct wfs_super sb[2];
	const char *reason[2] = { "no wfs superblock", "no wfs superblock" };
	int ok[2], first;
	struct wfs *fs;

	if (io->size < 2 * WFS_BLOCK || io->read(io->ctx, 0, sectors, sizeof sectors) != sizeof sectors) {
		*why = "device too small or unreadable";
		return NULL;
	}
	for (int s = 0; s < 2; s++)
		ok[s] = !wfs_super_check(sectors + s * WFS_SECTOR, io->size, &sb[s], &reason[s]);
	first = ok[1] && (!ok[0] || sb[1].generation > sb[0].generation);
	if (!ok[0] && !ok[1]) /* say why the slot that looks like a superblock failed */
		first = memcmp(sectors, WFS_MAGIC, 8) != 0;
	for (int k = 0; k < 2; k++) {
		int s = k ? !first : first;
		if (ok[s] && (fs = mount_slot(io, &sb[s], &reason[s])))
			return fs;
	}
	*why = reason[first];
	return NULL;
}

uint64_t wfs_generation(const struct wfs *fs)
{
	return fs->gen;
}

int wfs_format(const struct wfs_io *io, int64_t mtime, const char **why)
{
	static const uint8_t zero[2 * WFS_SECTOR];
	uint64_t blocks = io->size / WFS_BLOCK;
	struct wfs *fs;
	int r;

	if (blocks < 2 || blocks > WFS_BLOCKS_MAX) {
		*why = "volume size out of range (8 KiB to 16 GiB)";
		return -1;
	}
	if (!(fs = wfs_alloc(io, (uint32_t)blocks)) || !(fs->nodes = calloc(1, sizeof *fs->nodes))) {
		wfs_unmount(fs);
		*why = "out of memory";
		return -1;
	}
	fs->count = fs->cap = 1;
	fs->nodes[0] = (struct wfs_node){ .type = WFS_DIR, .mode = 0755, .sec = mtime };
	fs->dirty = 1;
	/* No old superblock may outlive the format with a higher generation. */
	r = io->write(io->ctx, 0, zero, sizeof zero) == sizeof zero ? wfs_sync(fs) : -EIO;
	wfs_unmount(fs);
	if (r)
		*why = r == -ENOSPC ? "volume too small" : "write error";
	return r ? -1 : 0;
}

/* --- names ------------------------------------------------------------------------------------- */

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

/* 1 and *at if dir holds name, else 0 and *at where it would go. */
static int find(const struct wfs_node *dir, const char *name, size_t len, uint32_t *at)
{
	uint32_t lo = 0, hi = dir->nents;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(name, len, dir->ents[mid].name, dir->ents[mid].len);
		if (c == 0)
			return *at = mid, 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return 0;
}

static int name_check(const char *name, size_t len)
{
	if (len > WFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 0 || memchr(name, '/', len) || memchr(name, '\0', len))
		return -EINVAL;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return -EINVAL;
	return 0;
}

int wfs_stat(const struct wfs *fs, uint32_t ino, struct wfs_stat *st)
{
	const struct wfs_node *n = wfs_node(fs, ino, 0);

	if (!n)
		return -EINVAL;
	*st = (struct wfs_stat){ .type = n->type, .mode = n->mode, .parent = n->parent,
		.size = n->type == WFS_DIR ? n->nents : n->size, .blocks = n->held,
		.mtime = n->sec, .mtime_nsec = n->nsec };
	return 0;
}

int wfs_lookup(const struct wfs *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
	const struct wfs_node *d = wfs_node(fs, dir, 0);
	uint32_t at;

	if (!d)
		return -EINVAL;
	if (d->type != WFS_DIR)
		return -ENOTDIR;
	if (len > WFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (!find(d, name, len, &at))
		return -ENOENT;
	*ino = d->ents[at].ino;
	return 0;
}

int wfs_dir_entry(const struct wfs *fs, uint32_t dir, uint64_t index, struct wfs_entry *out)
{
	const struct wfs_node *d = wfs_node(fs, dir, WFS_DIR);

	if (!d)
		return -ENOTDIR;
	if (index >= d->nents)
		return 0;
	*out = (struct wfs_entry){ .ino = d->ents[index].ino, .name_len = d->ents[index].len,
				   .type = fs->nodes[d->ents[index].ino].type, .name = d->ents[index].name };
	return 1;
}

int wfs_name_of(const struct wfs *fs, uint32_t dir, struct wfs_entry *out)
{
	const struct wfs_node *d = wfs_node(fs, dir, WFS_DIR);

	if (!d)
		return -ENOTDIR;
	if (dir == 0 || d->orphan)
		return 0;
	for (uint64_t i = 0;; i++) {
		int r = wfs_dir_entry(fs, d->parent, i, out);
		if (r <= 0)
			return r < 0 ? r : -ENOENT;
		if (out->ino == dir)
			return 1;
	}
}

/* --- changes ----------------------------------------------------------------------------------- */

/* A free inode number (grown if need be), or 0 when none is left. */
static uint32_t new_inode(struct wfs *fs)
{
	for (uint32_t i = fs->free_hint > 1 ? fs->free_hint : 1; i < fs->count; i++)
		if (fs->nodes[i].type == WFS_FREE)
			return fs->free_hint = i + 1, i;
	fs->free_hint = fs->count + 1;
	if (fs->count == WFS_INODES_MAX)
		return 0;
	if (fs->count == fs->cap) {
		uint32_t cap = fs->cap * 2;
		struct wfs_node *n = realloc(fs->nodes, cap * sizeof *n);
		if (!n)
			return 0;
		memset(n + fs->cap, 0, (cap - fs->cap) * sizeof *n);
		fs->nodes = n, fs->cap = cap;
	}
	return fs->count++;
}

/* Room for one more entry in d, and a copy of name: done first, so a change cannot half-happen. */
static int prepare_entry(struct wfs_node *d, const char *name, size_t len, char **copy)
{
	if (d->nents == d->ents_cap) {
		uint32_t cap = d->ents_cap ? 2 * d->ents_cap : 8;
		struct wfs_dent *e = realloc(d->ents, cap * sizeof *e);
		if (!e)
			return -ENOMEM;
		d->ents = e, d->ents_cap = cap;
	}
	if (!(*copy = malloc(len)))
		return -ENOMEM;
	memcpy(*copy, name, len);
	return 0;
}

static void insert_entry(struct wfs_node *d, uint32_t at, uint32_t ino, char *name, size_t len)
{
	memmove(&d->ents[at + 1], &d->ents[at], (d->nents - at) * sizeof *d->ents);
	d->ents[at] = (struct wfs_dent){ .ino = ino, .len = (uint16_t)len, .name = name };
	d->nents++;
}

static void delete_entry(struct wfs_node *d, uint32_t at)
{
	free(d->ents[at].name);
	memmove(&d->ents[at], &d->ents[at + 1], (d->nents - at - 1) * sizeof *d->ents);
	d->nents--;
}

/* The inode is named no more: freed now, or at its last reference. */
static void drop_inode(struct wfs *fs, uint32_t ino)
{
	struct wfs_node *n = &fs->nodes[ino];

	if (n->refs) {
		n->orphan = 1;
		return;
	}
	if (n->type == WFS_FILE)
		wfs_release_blocks(fs, n, 0);
	free_node(n);
	if (ino < fs->free_hint)
		fs->free_hint = ino;
}

/* The directory dir, ready to change: a live one, or why not. */
static int changing(struct wfs *fs, uint32_t dir, struct wfs_node **d)
{
	if (!(*d = wfs_node(fs, dir, 0)))
		return -EINVAL;
	if ((*d)->type != WFS_DIR)
		return -ENOTDIR;
	if ((*d)->orphan)
		return -ENOENT;
	return fs->broken ? -EIO : 0;
}

int wfs_create(struct wfs *fs, uint32_t dir, const char *name, size_t len, int type, unsigned mode,
	       int64_t sec, uint32_t nsec, uint32_t *ino)
{
	struct wfs_node *d;
	uint32_t at, i;
	char *copy;
	int r;

	if ((r = changing(fs, dir, &d)) || (r = name_check(name, len)))
		return r;
	if ((type != WFS_FILE && type != WFS_DIR) || mode > 07777)
		return -EINVAL;
	if (find(d, name, len, &at))
		return -EEXIST;
	if ((r = prepare_entry(d, name, len, &copy)))
		return r;
	if (!(i = new_inode(fs))) {
		free(copy);
		return -ENOSPC;
	}
	d = &fs->nodes[dir]; /* new_inode() may have moved the table */
	fs->nodes[i] = (struct wfs_node){ .type = (uint16_t)type, .mode = (uint16_t)mode,
		.parent = type == WFS_DIR ? dir : 0, .sec = sec, .nsec = nsec };
	insert_entry(d, at, i, copy, len);
	d->sec = sec, d->nsec = nsec;
	fs->dirty = 1;
	*ino = i;
	return 0;
}

int wfs_remove(struct wfs *fs, uint32_t dir, const char *name, size_t len, int is_dir)
{
	struct wfs_node *d, *n;
	uint32_t at;
	int r;

	if ((r = changing(fs, dir, &d)))
		return r;
	if (len > WFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (!find(d, name, len, &at))
		return -ENOENT;
	n = &fs->nodes[d->ents[at].ino];
	if (is_dir && n->type != WFS_DIR)
		return -ENOTDIR;
	if (!is_dir && n->type == WFS_DIR)
		return -EISDIR;
	if (n->type == WFS_DIR && n->nents)
		return -ENOTEMPTY;
	drop_inode(fs, d->ents[at].ino);
	delete_entry(d, at);
	fs->dirty = 1;
	return 0;
}

/* Is a inside the tree of directory b (a == b counts)? Bounded: parents lead up to the root. */
static int within(const struct wfs *fs, uint32_t a, uint32_t b)
{
	for (uint32_t steps = 0; steps <= fs->count; steps++, a = fs->nodes[a].parent) {
		if (a == b)
			return 1;
		if (a == 0)
			return 0;
	}
	return 1; /* a loop: cannot happen in a checked tree; refuse the rename */
}

int wfs_rename(struct wfs *fs, uint32_t odir, const char *oname, size_t olen, uint32_t ndir,
	       const char *nname, size_t nlen)
{
	struct wfs_node *od, *nd, *src;
	uint32_t at, to, s;
	int r, exists;
	char *copy;

	if ((r = changing(fs, odir, &od)) || (r = changing(fs, ndir, &nd)) ||
	    (r = name_check(nname, nlen)))
		return r;
	if (olen > WFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (!find(od, oname, olen, &at))
		return -ENOENT;
	s = od->ents[at].ino, src = &fs->nodes[s];
	if ((exists = find(nd, nname, nlen, &to))) {
		struct wfs_node *t = &fs->nodes[nd->ents[to].ino];
		if (nd->ents[to].ino == s)
			return 0;
		if (src->type == WFS_DIR && t->type != WFS_DIR)
			return -ENOTDIR;
		if (src->type != WFS_DIR && t->type == WFS_DIR)
			return -EISDIR;
		if (t->type == WFS_DIR && t->nents)
			return -ENOTEMPTY;
	}
	if (src->type == WFS_DIR && within(fs, ndir, s))
		return -EINVAL; /* into itself */
	if ((r = prepare_entry(nd, nname, nlen, &copy)))
		return r;
	/* Nothing can fail from here on. */
	if (exists) {
		drop_inode(fs, nd->ents[to].ino);
		delete_entry(nd, to);
	}
	find(od, oname, olen, &at);
	delete_entry(od, at);
	find(nd, nname, nlen, &to);
	insert_entry(nd, to, s, copy, nlen);
	if (src->type == WFS_DIR)
		src->parent = ndir;
	fs->dirty = 1;
	return 0;
}

int wfs_set_attr(struct wfs *fs, uint32_t ino, int mode, int64_t sec, uint32_t nsec)
{
	struct wfs_node *n = wfs_node(fs, ino, 0);

	if (!n)
		return -EINVAL;
	if (fs->broken)
		return -EIO;
	if (mode >= 0)
		n->mode = (uint16_t)(mode & 07777);
	if (sec >= 0)
		n->sec = sec, n->nsec = nsec;
	fs->dirty = 1;
	return 0;
}

void wfs_ref(struct wfs *fs, uint32_t ino)
{
	if (ino < fs->count)
		fs->nodes[ino].refs++;
}

void wfs_unref(struct wfs *fs, uint32_t ino)
{
	struct wfs_node *n = ino < fs->count ? &fs->nodes[ino] : NULL;

	if (n && n->refs && --n->refs == 0 && n->orphan)
		drop_inode(fs, ino);
}
