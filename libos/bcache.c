/* SPDX-License-Identifier: ISC */
/* bcache.c: the block cache: 64 blocks, least recently used goes first. */
#include "bcache.h"

#include <errno.h>
#include <string.h>

#include "libos.h"

#define DIRECT_MIN (8 * BCACHE_BLOCK) /* whole-block runs this long skip the cache */

static struct {
	uint64_t blk;
	uint64_t used; /* clock at the last use; 0: empty */
} slot[BCACHE_BLOCKS];
static uint8_t data[BCACHE_BLOCKS][BCACHE_BLOCK] __attribute__((aligned(64)));
static uint64_t clock;

const uint8_t *bcache_block(uint64_t blk)
{
	unsigned victim = 0;

	for (unsigned i = 0; i < BCACHE_BLOCKS; i++) {
		if (slot[i].used && slot[i].blk == blk) {
			slot[i].used = ++clock;
			return data[i];
		}
		if (slot[i].used < slot[victim].used)
			victim = i;
	}
	slot[victim].used = 0; /* refilled below; empty if the read fails */
	if (hako_block_read(blk * BCACHE_BLOCK, data[victim], BCACHE_BLOCK) != BCACHE_BLOCK)
		return NULL;
	slot[victim].blk = blk;
	slot[victim].used = ++clock;
	return data[victim];
}

long bcache_read(uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t left = len;

	while (left) {
		size_t in = off % BCACHE_BLOCK, n;
		if (in == 0 && left >= DIRECT_MIN) {
			n = left - left % BCACHE_BLOCK;
			if (n > HAKO_BLOCK_IO_MAX)
				n = HAKO_BLOCK_IO_MAX;
			if (hako_block_read(off, p, n) != (long)n)
				return -EIO;
		} else {
			const uint8_t *b = bcache_block(off / BCACHE_BLOCK);
			if (!b)
				return -EIO;
			n = BCACHE_BLOCK - in < left ? BCACHE_BLOCK - in : left;
			memcpy(p, b + in, n);
		}
		p += n, off += n, left -= n;
	}
	return (long)len;
}
