/* SPDX-License-Identifier: ISC */
/* malloc_stress: many malloc/realloc/free of mixed sizes, contents checked, calloc zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS  256
#define ROUNDS 20000
#define BIG    (192 * 1024) /* above musl's mmap threshold (128 KiB) */

static struct { unsigned char *p; size_t len; unsigned char tag; } slot[SLOTS];
static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Mostly small blocks, some medium, a few above the mmap threshold. */
static size_t pick_size(void)
{
	uint32_t r = next() % 100;

	if (r < 70)
		return 1 + next() % 256;
	if (r < 95)
		return 257 + next() % 16384;
	return BIG + next() % (64 * 1024);
}

static void fail(const char *what, int i)
{
	printf("malloc_stress FAILED: %s (slot %d)\n", what, i);
	exit(1);
}

static void check(int i)
{
	for (size_t k = 0; k < slot[i].len; k++)
		if (slot[i].p[k] != (unsigned char)(slot[i].tag + k))
			fail("contents changed", i);
}

static void fill(int i, size_t from)
{
	for (size_t k = from; k < slot[i].len; k++)
		slot[i].p[k] = (unsigned char)(slot[i].tag + k);
}

static void calloc_zero(void)
{
	for (int n = 0; n < 64; n++) {
		size_t len = n % 8 == 0 ? BIG + (size_t)n * 1000 : 1 + next() % 8192;
		unsigned char *p = calloc(1, len);
		if (!p)
			fail("calloc returned NULL", n);
		for (size_t k = 0; k < len; k++)
			if (p[k])
				fail("calloc memory not zero", n);
		memset(p, 0xa5, len); /* dirty it, so the next calloc must really clear */
		free(p);
	}
}

int main(void)
{
	calloc_zero();
	for (int round = 0; round < ROUNDS; round++) {
		int i = (int)(next() % SLOTS);
		if (slot[i].p)
			check(i);
		switch (next() % 3) {
		case 0: /* free */
			free(slot[i].p);
			slot[i].p = NULL;
			slot[i].len = 0;
			break;
		case 1: { /* realloc, keeping the common prefix */
			size_t len = pick_size();
			unsigned char *p = realloc(slot[i].p, len);
			if (!p)
				fail("realloc returned NULL", i);
			size_t keep = slot[i].len < len ? slot[i].len : len;
			slot[i].p = p;
			slot[i].len = keep;
			check(i);
			slot[i].len = len;
			fill(i, keep);
			break;
		}
		default: /* fresh malloc */
			free(slot[i].p);
			slot[i].len = pick_size();
			slot[i].tag = (unsigned char)next();
			slot[i].p = malloc(slot[i].len);
			if (!slot[i].p)
				fail("malloc returned NULL", i);
			fill(i, 0);
		}
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slot[i].p)
			check(i);
		free(slot[i].p);
	}
	calloc_zero();
	printf("malloc_stress ok (%d rounds)\n", ROUNDS);
	return 0;
}
