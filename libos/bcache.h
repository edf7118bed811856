/* SPDX-License-Identifier: ISC */
/* bcache.h: a small LRU cache of device blocks over hako_block_read (read-only). */
#ifndef LIBOS_BCACHE_H
#define LIBOS_BCACHE_H

#include <stddef.h>
#include <stdint.h>

#define BCACHE_BLOCK  512u /* bytes per block: the hfs block, the ABI's block_size */
#define BCACHE_BLOCKS 64u  /* blocks kept: 32 KiB */

/*
 * Reads len bytes at byte offset off of the device into buf. The range
 * MUST lie inside the device. Parts of blocks, and short runs, go through
 * the cache; runs of whole blocks of 4 KiB and more go straight from the
 * device into buf. Returns len or -EIO.
 */
long bcache_read(uint64_t off, void *buf, size_t len);

/* The cached copy of block blk (at byte blk * BCACHE_BLOCK); NULL on a device error. */
const uint8_t *bcache_block(uint64_t blk);

#endif /* LIBOS_BCACHE_H */
