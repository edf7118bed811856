/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the shared ABI checks: every bad argument gets its code, in
 * the documented order, and the platform's memory check is asked only about
 * ranges that neither wrap nor leave the user half.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "abicheck.h"

/*
 * A fake container: [RW, RW + 64K) read-write, [RO, RO + 4K) read-only,
 * nothing else. Every question the checks ask is recorded.
 */
#define RW 0x10000ul
#define RO 0x40000ul
#define RW_SIZE (64u << 10)

static uint8_t rw_mem[RW_SIZE], ro_mem[4096];
static unsigned asked, copies;
static uint64_t last_addr, last_len;
static int last_write, copy_fails;

static uint8_t *backing(uint64_t addr, uint64_t len)
{
	if (addr >= RW && addr < RW + RW_SIZE && len <= RW + RW_SIZE - addr)
		return rw_mem + (addr - RW);
	if (addr >= RO && addr < RO + sizeof(ro_mem) && len <= RO + sizeof(ro_mem) - addr)
		return ro_mem + (addr - RO);
	return NULL;
}

static int user_ok(void *ctx, uint64_t addr, uint64_t len, int write)
{
	asked++;
	last_addr = addr, last_len = len, last_write = write;
	assert_true(len >= 1);
	assert_true(addr < HAKO_USER_END && len <= HAKO_USER_END - addr);
	return backing(addr, len) && !(write && addr >= RO);
}

static int copy_in(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	uint8_t *src = backing(addr, len);

	copies++;
	assert_non_null(src);
	if (copy_fails)
		return -1;
	memcpy(dst, src, len);
	return 0;
}

static const struct abi_mem mem = { .user_ok = user_ok, .copy_in = copy_in };

static int reset(void **state)
{
	asked = copies = 0;
	copy_fails = 0;
	memset(rw_mem, 0, sizeof(rw_mem));
	return 0;
}

static void ranges(void **state)
{
	assert_int_equal(abi_range(&mem, RW, 16, 1), 0);
	assert_int_equal(last_write, 1);
	assert_int_equal(abi_range(&mem, RW + RW_SIZE - 1, 2, 0), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, RO, 16, 1), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, RO, 16, 0), 0);
	asked = 0;
	/* Wrapping or leaving the user half: refused before the platform is asked. */
	assert_int_equal(abi_range(&mem, RW, UINT64_MAX, 0), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, UINT64_MAX - 15, 32, 0), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, HAKO_USER_END - 1, 2, 0), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, HAKO_USER_END, 1, 0), -HAKO_EFAULT);
	assert_int_equal(abi_range(&mem, 0xffffffff80000000ul, 8, 0), -HAKO_EFAULT);
	/* Empty ranges: only the start counts, nothing is asked. */
	assert_int_equal(abi_range(&mem, 0, 0, 1), 0);
	assert_int_equal(abi_range(&mem, HAKO_USER_END - 1, 0, 0), 0);
	assert_int_equal(abi_range(&mem, HAKO_USER_END, 0, 0), -HAKO_EFAULT);
	assert_int_equal(asked, 0);
}

static void console(void **state)
{
	uint64_t len = UINT64_MAX;

	/* Cut first, then checked: a huge len over a valid 4 KiB is fine. */
	assert_int_equal(abi_console(&mem, RW, &len), 0);
	assert_int_equal(len, HAKO_CONSOLE_MAX);
	assert_int_equal(last_len, HAKO_CONSOLE_MAX);
	assert_int_equal(last_write, 0);
	len = 5;
	assert_int_equal(abi_console(&mem, RO, &len), 0);
	assert_int_equal(len, 5);
	len = 65;
	assert_int_equal(abi_console(&mem, RW + RW_SIZE - 64, &len), -HAKO_EFAULT);
	len = 0;
	assert_int_equal(abi_console(&mem, 0, &len), 0);
	len = 1;
	assert_int_equal(abi_console(&mem, 0, &len), -HAKO_EFAULT);
}

static void tls_and_time(void **state)
{
	assert_int_equal(abi_tls(0), 0);
	assert_int_equal(abi_tls(HAKO_USER_END - 1), 0);
	assert_int_equal(abi_tls(HAKO_USER_END), -HAKO_EINVAL);
	assert_int_equal(abi_tls(0x00007ffffffffffful), -HAKO_EINVAL);
	assert_int_equal(abi_tls(0x0000800000000000ul), -HAKO_EINVAL);
	assert_int_equal(abi_tls(UINT64_MAX), -HAKO_EINVAL);
	assert_int_equal(abi_time(HAKO_CLOCK_MONOTONIC), 0);
	assert_int_equal(abi_time(HAKO_CLOCK_WALL), 0);
	assert_int_equal(abi_time(2), -HAKO_EINVAL);
	assert_int_equal(abi_time(UINT64_MAX), -HAKO_EINVAL);
	assert_int_equal(abi_time(1ul << 32), -HAKO_EINVAL);
}

static const struct abi_block disk = { .attached = 1, .block_size = 512, .capacity = 8192 };

static void block_codes(void **state)
{
	const struct abi_block none = { 0 }, ro = { 1, 1, 512, 8192 }, zero = { 1, 0, 0, 8192 };

	assert_int_equal(abi_block(&mem, &none, 1, 0, 1, 0), -HAKO_ENOTSUP);
	assert_int_equal(abi_block(&mem, &disk, 1, RW, 512, 0), -HAKO_EINVAL);
	assert_int_equal(abi_block(&mem, &disk, 0, RW, 511, 0), -HAKO_EINVAL);
	assert_int_equal(abi_block(&mem, &disk, 0, RW, HAKO_BLOCK_IO_MAX + 512, 0), -HAKO_EINVAL);
	assert_int_equal(abi_block(&mem, &zero, 0, RW, 512, 0), -HAKO_EINVAL); /* no division by 0 */
	assert_int_equal(abi_block(&mem, &disk, 8192, RW, 512, 0), -HAKO_ENOSPC);
	assert_int_equal(abi_block(&mem, &disk, 7680, RW, 1024, 0), -HAKO_ENOSPC);
	assert_int_equal(abi_block(&mem, &disk, UINT64_MAX - 511, RW, 1024, 0), -HAKO_ENOSPC);
	assert_int_equal(abi_block(&mem, &disk, 0, 0, 512, 0), -HAKO_EFAULT);
	assert_int_equal(abi_block(&mem, &disk, 0, 0, 0, 0), -HAKO_EFAULT); /* NULL, even empty */
	assert_int_equal(abi_block(&mem, &disk, 0, RO, 512, 0), -HAKO_EFAULT); /* a read writes */
	assert_int_equal(abi_block(&mem, &disk, 0, RO, 512, 1), 0);
	assert_int_equal(abi_block(&mem, &disk, 0, RW + RW_SIZE - 256, 512, 1), -HAKO_EFAULT);
	assert_int_equal(abi_block(&mem, &ro, 0, RW, 512, 1), -HAKO_EPERM);
	assert_int_equal(abi_block(&mem, &ro, 0, RW, 512, 0), 0);
	assert_int_equal(abi_block(&mem, &disk, 8192, 0x200000, 0, 0), 0);
	assert_int_equal(abi_block(&mem, &disk, 7680, RW, 512, 0), 0);
	assert_int_equal(abi_block_flush(&none), -HAKO_ENOTSUP);
	assert_int_equal(abi_block_flush(&ro), 0);
}

/* Each check before the first failing one passes, none after it runs. */
static void block_order(void **state)
{
	const struct abi_block none = { 0 }, ro = { 1, 1, 512, 8192 };

	assert_int_equal(abi_block(&mem, &none, 1, 0, 1, 1), -HAKO_ENOTSUP);
	assert_int_equal(abi_block(&mem, &disk, 8192, 0, 1, 0), -HAKO_EINVAL);
	assert_int_equal(abi_block(&mem, &disk, 8192, 0, 512, 0), -HAKO_ENOSPC);
	assert_int_equal(asked, 0);
	assert_int_equal(abi_block(&mem, &ro, 0, 0, 512, 1), -HAKO_EFAULT);
	assert_int_equal(abi_block(&mem, &ro, 0, 0x200000, 512, 1), -HAKO_EFAULT);
	assert_int_equal(asked, 1);
}

static struct hako_iov *iovs(void)
{
	return (struct hako_iov *)rw_mem;
}

static void frame_batches(void **state)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];

	assert_int_equal(abi_frames(&mem, 0, k, 0, 1000, 0), -HAKO_ENOTSUP);
	assert_int_equal(abi_frames(&mem, 1, k, RW, HAKO_NET_BATCH_MAX + 1, 0), -HAKO_EINVAL);
	assert_int_equal(abi_frames(&mem, 1, k, RW, UINT64_MAX, 1), -HAKO_EINVAL);
	assert_int_equal(asked, 0);
	assert_int_equal(abi_frames(&mem, 1, k, 0, 1, 0), -HAKO_EFAULT);
	assert_int_equal(abi_frames(&mem, 1, k, RW + RW_SIZE - 8, 1, 0), -HAKO_EFAULT);
	assert_int_equal(abi_frames(&mem, 1, k, 0, 0, 0), 0); /* nothing to copy */
	assert_int_equal(copies, 0);
	/* recv stores lengths back: a read-only array is refused, for send it is fine. */
	memset(ro_mem, 0, sizeof(ro_mem));
	((struct hako_iov *)ro_mem)->len = 13;
	assert_int_equal(abi_frames(&mem, 1, k, RO, 1, 1), -HAKO_EFAULT);
	assert_int_equal(abi_frames(&mem, 1, k, RO, 1, 0), -HAKO_EINVAL);
	iovs()[0] = (struct hako_iov){ RW + 4096, 60, 0 };
	copy_fails = 1;
	assert_int_equal(abi_frames(&mem, 1, k, RW, 1, 0), -HAKO_EFAULT);
	copy_fails = 0;
	assert_int_equal(abi_frames(&mem, 1, k, RW, 1, 0), 0);
	assert_int_equal(k[0].base, RW + 4096);
	assert_int_equal(k[0].len, 60);
}

/* One entry of a batch: the code it earns. */
static long one(struct hako_iov v, int recv)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];

	iovs()[0] = v;
	return abi_frames(&mem, 1, k, RW, 1, recv);
}

static void frame_entries(void **state)
{
	const uint64_t buf = RW + 4096;

	assert_int_equal(one((struct hako_iov){ buf, 60, 1 }, 0), -HAKO_EINVAL);
	assert_int_equal(one((struct hako_iov){ buf, HAKO_FRAME_MAX, 0x80000000u }, 1), -HAKO_EINVAL);
	assert_int_equal(one((struct hako_iov){ buf, ABI_FRAME_MIN - 1, 0 }, 0), -HAKO_EINVAL);
	assert_int_equal(one((struct hako_iov){ buf, ABI_FRAME_MIN, 0 }, 0), 0);
	assert_int_equal(one((struct hako_iov){ buf, HAKO_FRAME_MAX, 0 }, 0), 0);
	assert_int_equal(one((struct hako_iov){ buf, HAKO_FRAME_MAX + 1, 0 }, 0), -HAKO_EINVAL);
	assert_int_equal(one((struct hako_iov){ buf, UINT32_MAX, 0 }, 0), -HAKO_EINVAL);
	assert_int_equal(one((struct hako_iov){ buf, HAKO_FRAME_MAX - 1, 0 }, 1), -HAKO_EINVAL);
	/* A big receive buffer: only its first HAKO_FRAME_MAX bytes are ever written. */
	assert_int_equal(one((struct hako_iov){ RW + RW_SIZE - HAKO_FRAME_MAX, UINT32_MAX, 0 }, 1), 0);
	assert_int_equal(last_len, HAKO_FRAME_MAX);
	assert_int_equal(last_write, 1);
	assert_int_equal(one((struct hako_iov){ RO, HAKO_FRAME_MAX, 0 }, 1), -HAKO_EFAULT);
	assert_int_equal(one((struct hako_iov){ RO, 60, 0 }, 0), 0);
	assert_int_equal(one((struct hako_iov){ 0, 60, 0 }, 0), -HAKO_EFAULT);
	assert_int_equal(one((struct hako_iov){ UINT64_MAX - 29, 60, 0 }, 0), -HAKO_EFAULT);
	assert_int_equal(one((struct hako_iov){ RW + RW_SIZE - 30, 60, 0 }, 0), -HAKO_EFAULT);
}

static void frame_order(void **state)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];
	const uint64_t buf = RW + 4096;

	iovs()[0] = (struct hako_iov){ buf, 60, 1 };
	iovs()[1] = (struct hako_iov){ 0, 60, 0 };
	assert_int_equal(abi_frames(&mem, 1, k, RW, 2, 0), -HAKO_EINVAL);
	iovs()[0] = (struct hako_iov){ 0, 60, 0 };
	iovs()[1] = (struct hako_iov){ buf, 60, 1 };
	assert_int_equal(abi_frames(&mem, 1, k, RW, 2, 0), -HAKO_EFAULT);
	/* A good entry first does not make the batch good. */
	iovs()[0] = (struct hako_iov){ buf, 60, 0 };
	iovs()[1] = (struct hako_iov){ buf, 13, 0 };
	assert_int_equal(abi_frames(&mem, 1, k, RW, 2, 0), -HAKO_EINVAL);
	/* A full batch of good entries. */
	for (int i = 0; i < HAKO_NET_BATCH_MAX; i++)
		iovs()[i] = (struct hako_iov){ buf + 16 * (uint64_t)i, 60, 0 };
	assert_int_equal(abi_frames(&mem, 1, k, RW, HAKO_NET_BATCH_MAX, 0), 0);
	assert_int_equal(k[HAKO_NET_BATCH_MAX - 1].base, buf + 16 * (HAKO_NET_BATCH_MAX - 1));
}

/* The entries are checked as copied: changing the container's array afterwards changes nothing. */
static int copy_then_change(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	int rc = copy_in(ctx, dst, addr, len);

	iovs()[0].reserved = 1;
	iovs()[0].base = 0;
	return rc;
}

static void frames_checked_as_copied(void **state)
{
	const struct abi_mem racing = { .user_ok = user_ok, .copy_in = copy_then_change };
	struct hako_iov k[HAKO_NET_BATCH_MAX];

	iovs()[0] = (struct hako_iov){ RW + 4096, 60, 0 };
	assert_int_equal(abi_frames(&racing, 1, k, RW, 1, 0), 0);
	assert_int_equal(k[0].reserved, 0);
	assert_int_equal(k[0].base, RW + 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ranges, reset),
		cmocka_unit_test_setup(console, reset),
		cmocka_unit_test_setup(tls_and_time, reset),
		cmocka_unit_test_setup(block_codes, reset),
		cmocka_unit_test_setup(block_order, reset),
		cmocka_unit_test_setup(frame_batches, reset),
		cmocka_unit_test_setup(frame_entries, reset),
		cmocka_unit_test_setup(frame_order, reset),
		cmocka_unit_test_setup(frames_checked_as_copied, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
