/* SPDX-License-Identifier: ISC */
/* The hako ABI's argument checks, shared by every platform (see abicheck.h). */
#include "abicheck.h"

long abi_range(const struct abi_mem *m, uint64_t addr, uint64_t len, int write)
{
	/* Both tests are needed: addr + len may wrap around. */
	if (addr >= HAKO_USER_END || len > HAKO_USER_END - addr)
		return -HAKO_EFAULT;
	if (len && !m->user_ok(m->ctx, addr, len, write))
		return -HAKO_EFAULT;
	return 0;
}

long abi_console(const struct abi_mem *m, uint64_t buf, uint64_t *len)
{
	if (*len > HAKO_CONSOLE_MAX)
		*len = HAKO_CONSOLE_MAX;
	return abi_range(m, buf, *len, 0);
}

long abi_time(uint64_t clock)
{
	return clock == HAKO_CLOCK_MONOTONIC || clock == HAKO_CLOCK_WALL ? 0 : -HAKO_EINVAL;
}

long abi_tls(uint64_t base)
{
	return base < HAKO_USER_END ? 0 : -HAKO_EINVAL;
}

long abi_block(const struct abi_mem *m, const struct abi_block *dev, uint64_t off,
	       uint64_t buf, uint64_t len, int write)
{
	if (!dev->attached)
		return -HAKO_ENOTSUP;
	if (!dev->block_size || off % dev->block_size || len % dev->block_size ||
	    len > HAKO_BLOCK_IO_MAX)
		return -HAKO_EINVAL;
	/* Written as two tests so that off + len cannot wrap around. */
	if (off > dev->capacity || len > dev->capacity - off)
		return -HAKO_ENOSPC;
	/* A read writes the container's buffer. */
	if (!buf || abi_range(m, buf, len, !write))
		return -HAKO_EFAULT;
	if (write && dev->read_only)
		return -HAKO_EPERM;
	return 0;
}

long abi_block_flush(const struct abi_block *dev)
{
	return dev->attached ? 0 : -HAKO_ENOTSUP;
}

/* One entry of a batch, already copied in. */
static long frame_ok(const struct abi_mem *m, const struct hako_iov *v, int recv)
{
	if (v->reserved)
		return -HAKO_EINVAL;
	if (recv ? v->len < HAKO_FRAME_MAX : v->len < ABI_FRAME_MIN || v->len > HAKO_FRAME_MAX)
		return -HAKO_EINVAL;
	return abi_range(m, v->base, recv ? HAKO_FRAME_MAX : v->len, recv);
}

long abi_frames(const struct abi_mem *m, int attached, struct hako_iov *k, uint64_t iov,
		uint64_t n, int recv)
{
	uint64_t size = n * sizeof(*k); /* no overflow: n is checked first */
	long rc;

	if (!attached)
		return -HAKO_ENOTSUP;
	if (n > HAKO_NET_BATCH_MAX)
		return -HAKO_EINVAL;
	/* recv writes the lengths back: the array must be writable too. */
	if ((rc = abi_range(m, iov, size, recv)))
		return rc;
	/* Copied once, then checked: the container cannot change an entry after its check. */
	if (size && m->copy_in(m->ctx, k, iov, size))
		return -HAKO_EFAULT;
	for (uint64_t i = 0; i < n; i++)
		if ((rc = frame_ok(m, &k[i], recv)))
			return rc;
	return 0;
}
