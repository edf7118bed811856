/* SPDX-License-Identifier: ISC */
/* wfs_priv.h: the engine's in-memory volume, shared by wfs_tree.c and wfs_data.c only. */
#ifndef HAKO_WFS_PRIV_H
#define HAKO_WFS_PRIV_H

#include "wfs.h"

#define WFS_CACHE 32 /* blocks in the read cache, direct-mapped */

struct wfs_dent {
	uint32_t ino;
	uint16_t len;
	char *name; /* len bytes, malloc'd */
};

struct wfs_node {
	uint16_t type, mode;
	uint32_t parent;
	int64_t sec;
	uint32_t nsec;
	uint32_t refs;         /* open references (wfs_ref) */
	int orphan;            /* removed while referenced: freed at the last unref */
	uint64_t size;         /* file: bytes */
	uint32_t *map;         /* file: volume block of each file block, 0 a hole */
	uint32_t map_cap;      /* entries allocated; those past the size are 0 */
	uint64_t held;         /* entries that are not 0 */
	struct wfs_dent *ents; /* directory: sorted by name */
	uint32_t nents, ents_cap;
};

struct wfs {
	const struct wfs_io *io;
	uint64_t gen;          /* of the last commit */
	uint32_t block_count;
	struct wfs_node *nodes;
	uint32_t count, cap;
	/* Bitmaps of block_count bits. A block may be allocated only when in neither. */
	uint8_t *used;         /* reached from the in-memory tree (and block 0) */
	uint8_t *pinned;       /* reached from the last commit: never overwritten */
	int dirty;             /* changes since the last commit */
	int broken;            /* a commit failed on the device: read-only from now on */
	uint32_t hint;         /* where the next allocation search starts */
	uint32_t free_hint;    /* no free inode below it (but 0, the root) */
	uint32_t cache_blk[WFS_CACHE]; /* 0: empty (block 0 is never cached) */
	uint8_t (*cache)[WFS_BLOCK];
};

static inline int wfs_bit(const uint8_t *map, uint32_t b)
{
	return map[b / 8] >> (b % 8) & 1;
}

static inline void wfs_bit_set(uint8_t *map, uint32_t b, int on)
{
	if (on)
		map[b / 8] |= (uint8_t)(1u << (b % 8));
	else
		map[b / 8] &= (uint8_t)~(1u << (b % 8));
}

/* wfs_data.c */
struct wfs *wfs_alloc(const struct wfs_io *io, uint32_t block_count);
void wfs_release_blocks(struct wfs *fs, struct wfs_node *n, uint64_t from_block);
struct wfs_node *wfs_node(const struct wfs *fs, uint32_t ino, int type);

#endif /* HAKO_WFS_PRIV_H */
