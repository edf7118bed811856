/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: sequential block reads and writes of one request
 * size over the whole device, timed with the monotonic clock.
 *   blockio SIZE [read|write]  (default read)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

static unsigned char buf[HAKO_BLOCK_IO_MAX];

int main(int argc, char **argv)
{
	const struct hako_start_info *si = hako_start_info();
	long size = argc > 1 ? atol(argv[1]) : 4096;
	int write = argc > 2 && !strcmp(argv[2], "write");
	uint64_t cap = si->block_capacity, n = 0;
	int64_t t0, ns;

	if (!(si->flags & HAKO_INFO_BLOCK) || size < 512 || size > (long)sizeof(buf) || size % 512)
		return 2;
	memset(buf, 0x5a, sizeof(buf));
	t0 = hako_time(HAKO_CLOCK_MONOTONIC);
	for (uint64_t off = 0; off + (uint64_t)size <= cap; off += (uint64_t)size, n++) {
		long rc = write ? hako_block_write(off, buf, (size_t)size)
				: hako_block_read(off, buf, (size_t)size);
		if (rc != size) {
			printf("error %ld at offset %llu\n", rc, (unsigned long long)off);
			return 1;
		}
	}
	if (write && hako_block_flush())
		return 1;
	ns = hako_time(HAKO_CLOCK_MONOTONIC) - t0;
	printf("%s %ld B: %llu requests, %.1f MiB/s, %.1f us per request\n",
	       write ? "write" : "read", size, (unsigned long long)n,
	       (double)n * (double)size / (1 << 20) / ((double)ns / 1e9), (double)ns / 1e3 / (double)n);
	return 0;
}
