/* SPDX-License-Identifier: ISC */
/*
 * The hako ABI's argument checks, one implementation for every platform
 * (freestanding): the hv and the proc tender both call these before they
 * act on a call, so a call answers the same, in the same order, on both.
 */
#ifndef HAKO_ABICHECK_H
#define HAKO_ABICHECK_H

#include <stdint.h>

#include "hako/abi.h"

#define ABI_FRAME_MIN 14 /* an Ethernet header */

/*
 * The platform's view of the container's memory: the one seam between
 * these checks and a platform's page tables or memory map.
 *
 * user_ok(ctx, addr, len, write) MUST return non-zero if every byte of
 * [addr, addr + len) is the container's to read (and, with write, to
 * write), else 0. It is only asked about len >= 1 and addr + len <=
 * HAKO_USER_END (no overflow). It MAY bring demand pages in.
 *
 * copy_in(ctx, dst, addr, len) copies a range user_ok accepted into
 * platform memory: 0, or -1 if it could not after all.
 */
struct abi_mem {
	int (*user_ok)(void *ctx, uint64_t addr, uint64_t len, int write);
	int (*copy_in)(void *ctx, void *dst, uint64_t addr, uint64_t len);
	void *ctx;
};

/* A platform's block device as the checks see it. */
struct abi_block {
	int attached;        /* 0: the block calls answer -HAKO_ENOTSUP */
	int read_only;
	uint32_t block_size; /* offset and len MUST be multiples of it */
	uint64_t capacity;   /* bytes */
};

/*
 * [addr, addr + len) as a call's buffer: 0, or -HAKO_EFAULT. Both ends
 * below HAKO_USER_END (overflow-safe), then the platform's user_ok. An
 * empty range only needs its start below HAKO_USER_END: nothing is read
 * or written through it.
 */
long abi_range(const struct abi_mem *m, uint64_t addr, uint64_t len, int write);

/* console(buf, len): cuts *len to HAKO_CONSOLE_MAX, then checks the buffer. 0 or -HAKO_E*. */
long abi_console(const struct abi_mem *m, uint64_t buf, uint64_t *len);

/* time(clock): 0 for a known clock, else -HAKO_EINVAL. */
long abi_time(uint64_t clock);

/* tls_set(base): 0 if base is a user address (below HAKO_USER_END), else -HAKO_EINVAL. */
long abi_tls(uint64_t base);

/*
 * block_read/block_write(off, buf, len), in this order: no device
 * (-HAKO_ENOTSUP); off or len not a multiple of the block size, or len
 * over HAKO_BLOCK_IO_MAX (-HAKO_EINVAL); the range past the device's end
 * (-HAKO_ENOSPC); buf NULL or not the container's, writable for a read
 * (-HAKO_EFAULT); a write to a read-only device (-HAKO_EPERM). 0 if the
 * request may go ahead.
 */
long abi_block(const struct abi_mem *m, const struct abi_block *dev, uint64_t off,
	       uint64_t buf, uint64_t len, int write);

/* block_flush(): -HAKO_ENOTSUP without a device, else 0. */
long abi_block_flush(const struct abi_block *dev);

/*
 * net_send/net_recv(iov, n), in this order: no network (-HAKO_ENOTSUP);
 * n over HAKO_NET_BATCH_MAX (-HAKO_EINVAL); the iov array not the
 * container's, writable too for recv, which stores the lengths back
 * (-HAKO_EFAULT); then each entry in turn, the first bad one deciding:
 * reserved not 0, a send frame not ABI_FRAME_MIN to HAKO_FRAME_MAX bytes
 * or a receive buffer under HAKO_FRAME_MAX (-HAKO_EINVAL), the frame or
 * buffer not the container's (-HAKO_EFAULT; a receive buffer's first
 * HAKO_FRAME_MAX bytes, writable). On 0 the array is copied into k
 * (HAKO_NET_BATCH_MAX entries) and every entry may be used as it says.
 */
long abi_frames(const struct abi_mem *m, int attached, struct hako_iov *k, uint64_t iov,
		uint64_t n, int recv);

#endif /* HAKO_ABICHECK_H */
