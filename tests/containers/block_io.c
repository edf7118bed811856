/* SPDX-License-Identifier: ISC */
/*
 * block_io: the block device calls: pattern write/read-back, persistence,
 * every bad request, ro, none; slices of a shared disk (fill); data that
 * must survive the platform being killed (hold).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

#define BS 512u

static uint8_t buf[2 * HAKO_BLOCK_IO_MAX];
static const uint8_t ro_data[BS] = { 1 };
static int failures;

static void expect(long got, long want, const char *what)
{
	if (got == want) {
		printf("ok: %s = %ld\n", what, got);
		return;
	}
	printf("block_io FAILED: %s = %ld, expected %ld\n", what, got, want);
	failures++;
}

/* The byte the pattern puts at device offset off. */
static uint8_t pat(uint64_t off)
{
	return (uint8_t)(off * 7 + off / BS * 13 + 1);
}

static void fill(uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pat(off + i);
}

static int matches(uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pat(off + i))
			return 0;
	return 1;
}

/* The regions the pattern covers: first block, a 64 KiB run, the last block. */
static void regions(uint64_t cap, uint64_t off[3], size_t len[3])
{
	off[0] = 0, len[0] = BS;
	off[1] = 8 * BS, len[1] = 64u << 10;
	off[2] = cap - BS, len[2] = BS;
}

static void write_pattern(uint64_t cap)
{
	uint64_t off[3];
	size_t len[3];

	regions(cap, off, len);
	for (int i = 0; i < 3; i++) {
		fill(off[i], len[i]);
		expect(hako_block_write(off[i], buf, len[i]), (long)len[i], "write pattern");
	}
	expect(hako_block_flush(), 0, "flush");
}

static void read_pattern(uint64_t cap)
{
	uint64_t off[3];
	size_t len[3];

	regions(cap, off, len);
	for (int i = 0; i < 3; i++) {
		memset(buf, 0, len[i]);
		expect(hako_block_read(off[i], buf, len[i]), (long)len[i], "read pattern");
		expect(matches(off[i], len[i]), 1, "pattern read back");
	}
}

static void bad_requests(uint64_t cap)
{
	expect(hako_block_read(cap, buf, BS), -HAKO_ENOSPC, "read at capacity");
	expect(hako_block_read(cap - BS, buf, 2 * BS), -HAKO_ENOSPC, "read across the end");
	expect(hako_block_write(cap, buf, BS), -HAKO_ENOSPC, "write at capacity");
	expect(hako_block_write(cap - BS, buf, 2 * BS), -HAKO_ENOSPC, "write across the end");
	/* offset + len wraps to 512: a check of the end alone would pass it. */
	expect(hako_block_read(UINT64_MAX - BS + 1, buf, 2 * BS), -HAKO_ENOSPC, "read with wrapping offset");
	expect(hako_block_write(UINT64_MAX - BS + 1, buf, 2 * BS), -HAKO_ENOSPC, "write with wrapping offset");
	expect(hako_block_read(100, buf, BS), -HAKO_EINVAL, "unaligned offset");
	expect(hako_block_read(0, buf, 100), -HAKO_EINVAL, "unaligned length");
	expect(hako_block_write(BS / 2, buf, BS), -HAKO_EINVAL, "unaligned write offset");
	expect(hako_block_read(0, buf, HAKO_BLOCK_IO_MAX + BS), -HAKO_EINVAL, "length over the maximum");
	expect(hako_block_read(0, NULL, BS), -HAKO_EFAULT, "NULL buffer");
	expect(hako_block_read(0, (void *)0x200000, BS), -HAKO_EFAULT, "unmapped buffer");
	expect(hako_block_read(0, (void *)(uintptr_t)ro_data, BS), -HAKO_EFAULT, "read into read-only memory");
	/* The platform's own half of the address space is never the container's. */
	expect(hako_block_read(0, (void *)0xffff800000100000ul, BS), -HAKO_EFAULT, "read into platform memory");
	expect(hako_block_write(0, (void *)0xffffffff80000000ul, BS), -HAKO_EFAULT, "write from platform memory");
	expect(hako_block_read(0, buf, 0), 0, "empty read");
	expect(hako_block_read(0, buf, HAKO_BLOCK_IO_MAX), HAKO_BLOCK_IO_MAX, "read of the maximum");
}

/*
 * Cover the whole device with byte c, read it all back, and see nothing
 * but c: with another container filling its own slice of the same disk at
 * the same time, any overlap or reach past the slice shows.
 */
static void fill_all(uint64_t cap, int c)
{
	const size_t chunk = 64u << 10;

	for (uint64_t off = 0; off < cap; off += chunk) {
		size_t n = cap - off < chunk ? (size_t)(cap - off) : chunk;
		memset(buf, c, n);
		expect(hako_block_write(off, buf, n) == (long)n, 1, "fill write");
		hako_yield(0); /* let the neighbour interleave */
	}
	expect(hako_block_flush(), 0, "flush");
	for (uint64_t off = 0; off < cap; off += chunk) {
		size_t n = cap - off < chunk ? (size_t)(cap - off) : chunk, bad = 0;
		memset(buf, 0, n);
		expect(hako_block_read(off, buf, n) == (long)n, 1, "fill read");
		for (size_t i = 0; i < n; i++)
			bad += buf[i] != c;
		if (bad)
			expect((long)bad, 0, "bytes not ours in the slice");
		hako_yield(0);
	}
	expect(hako_block_read(cap, buf, BS), -HAKO_ENOSPC, "read just past the slice");
	expect(hako_block_write(cap, buf, BS), -HAKO_ENOSPC, "write just past the slice");
	expect(hako_block_read(UINT64_MAX - BS + 1, buf, 2 * BS), -HAKO_ENOSPC, "read with wrapping offset");
}

int main(int argc, char **argv)
{
	const struct hako_start_info *si = hako_start_info();
	const char *mode = argc > 1 ? argv[1] : "";
	uint64_t cap = si->block_capacity;

	if (!strcmp(mode, "none")) {
		expect(!!(si->flags & HAKO_INFO_BLOCK), 0, "no block flag");
		expect(hako_block_read(0, buf, BS), -HAKO_ENOTSUP, "read without a device");
		expect(hako_block_write(0, buf, BS), -HAKO_ENOTSUP, "write without a device");
		expect(hako_block_flush(), -HAKO_ENOTSUP, "flush without a device");
	} else {
		expect(!!(si->flags & HAKO_INFO_BLOCK), 1, "block flag");
		expect(si->block_size, BS, "block size");
		printf("capacity %llu\n", (unsigned long long)cap);
		if (!strcmp(mode, "write")) {
			write_pattern(cap);
			read_pattern(cap);
			bad_requests(cap);
		} else if (!strcmp(mode, "fill") && argc > 2) {
			fill_all(cap, argv[2][0]);
		} else if (!strcmp(mode, "hold")) {
			/* Written and flushed: the platform may now die at any moment. */
			write_pattern(cap);
			printf("flushed\n");
			fflush(stdout);
			for (;;)
				hako_yield(hako_time(HAKO_CLOCK_MONOTONIC) + 60000000000ll);
		} else if (!strcmp(mode, "verify")) {
			read_pattern(cap);
		} else if (!strcmp(mode, "ro")) {
			read_pattern(cap);
			fill(0, BS);
			expect(hako_block_write(0, buf, BS), -HAKO_EPERM, "write to a read-only device");
			expect(hako_block_flush(), 0, "flush of a read-only device");
		} else {
			printf("usage: block_io write|verify|ro|none|hold|fill CHAR\n");
			return 2;
		}
	}
	if (failures)
		return 1;
	printf("block_io %s ok\n", mode);
	return 0;
}
