/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: the block device, a host file at
 * PROC_FD_BLOCK. Freestanding like calls.c (it runs on the container's
 * stack). The seccomp filter allows pread64/pwrite64/fdatasync on that
 * descriptor only, and no pwrite64/fdatasync at all for a read-only device,
 * so a container that overwrites the state below still cannot write.
 */
#include "dev.h"

#include <sys/syscall.h>

#include "hako/abi.h"
#include "rawsys.h"

#define EINTR_MAX 64 /* retries of one interrupted transfer before giving up */

static enum proc_block_mode mode;
static uint64_t capacity;

void proc_block_init(enum proc_block_mode m, uint64_t cap)
{
	mode = m;
	capacity = cap;
}

/* The checks every platform makes (lib/abicheck.c), in the order a caller can rely on. */
static struct abi_block dev(void)
{
	return (struct abi_block){ .attached = mode != PROC_BLOCK_NONE,
				   .read_only = mode == PROC_BLOCK_RO,
				   .block_size = PROC_BLOCK_SIZE, .capacity = capacity };
}

/* pread64/pwrite64 until len bytes moved; partial transfers continue. */
static long transfer(long nr, uint64_t off, uint64_t buf, uint64_t len)
{
	uint64_t done = 0;
	int eintr = 0;

	while (done < len) {
		long n = sys4(nr, PROC_FD_BLOCK, (long)(buf + done), (long)(len - done),
			      (long)(off + done));
		if (n == -RAW_EINTR && ++eintr < EINTR_MAX)
			continue;
		if (n <= 0) /* an error, or the file shrank under us */
			return -HAKO_EIO;
		done += (uint64_t)n;
	}
	return (long)len;
}

long proc_block_read(uint64_t off, uint64_t buf, uint64_t len)
{
	struct abi_block d = dev();
	long rc = abi_block(&proc_mem, &d, off, buf, len, 0);

	return rc ? rc : transfer(SYS_pread64, off, buf, len);
}

long proc_block_write(uint64_t off, uint64_t buf, uint64_t len)
{
	struct abi_block d = dev();
	long rc = abi_block(&proc_mem, &d, off, buf, len, 1);

	return rc ? rc : transfer(SYS_pwrite64, off, buf, len);
}

long proc_block_flush(void)
{
	struct abi_block d = dev();
	long rc = abi_block_flush(&d);
	int eintr = 0;

	if (rc)
		return rc;
	if (mode == PROC_BLOCK_RO)
		return 0; /* nothing can have been written */
	do
		rc = sys4(SYS_fdatasync, PROC_FD_BLOCK, 0, 0, 0);
	while (rc == -RAW_EINTR && ++eintr < EINTR_MAX);
	return rc ? -HAKO_EIO : 0;
}
