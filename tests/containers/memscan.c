/* SPDX-License-Identifier: ISC */
/*
 * memscan: looks for secrets in every page of its process it can read.
 * It cannot ask where those pages are without faulting (no host calls,
 * and every ABI call refuses memory that is not the container's), so the
 * host test writes the process's readable ranges (from /proc/PID/maps) to
 * the block device once this prints "memscan: ready"; reading exactly
 * those never faults. Each secret comes as the hex of its bytes XOR 0x5a:
 * its plain bytes are in memory only where they leaked.
 * usage: memscan HEX...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

#define MAP_SIZE    (64u << 10)
#define RANGES_MAX  256
#define SECRETS_MAX 8
#define KEY_MAX     128
#define SHOW_MAX    4    /* hits printed per secret */
#define WAIT_TRIES  1000 /* 10 ms each */
#define MASK        0x5a

static char map[MAP_SIZE + 1];
static uint64_t lo[RANGES_MAX], hi[RANGES_MAX];
static uint8_t key[SECRETS_MAX][KEY_MAX];
static size_t key_len[SECRETS_MAX];
static unsigned long hits[SECRETS_MAX];

static int unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s) / 2;

	if (n == 0 || n > max || strlen(s) % 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], 0 };
		out[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	return (int)n;
}

/* Wait for the host's map: "HAKOMAP\n", "start-end\n" lines, "END\n". The number of ranges, or -1. */
static int read_map(void)
{
	int n = 0;
	char *line;

	for (int i = 0; i < WAIT_TRIES; i++) {
		if (hako_block_read(0, map, MAP_SIZE) != MAP_SIZE)
			return -1;
		if (!strncmp(map, "HAKOMAP\n", 8) && strstr(map, "\nEND\n"))
			break;
		hako_yield(hako_time(HAKO_CLOCK_MONOTONIC) + 10000000);
	}
	if (strncmp(map, "HAKOMAP\n", 8))
		return -1;
	for (line = strchr(map, '\n') + 1; strncmp(line, "END\n", 4) && n < RANGES_MAX; n++) {
		char *end;
		lo[n] = strtoull(line, &end, 16);
		hi[n] = *end == '-' ? strtoull(end + 1, &end, 16) : 0;
		if (*end != '\n' || hi[n] <= lo[n])
			return -1;
		line = end + 1;
	}
	return n;
}

/* Every secret at every byte of [from, to). */
static void scan(uint64_t from, uint64_t to, int nkeys)
{
	for (const volatile uint8_t *p = (const uint8_t *)from; (uint64_t)p < to; p++) {
		for (int k = 0; k < nkeys; k++) {
			size_t j = 0;
			while (j < key_len[k] && (uint64_t)(p + j) < to && (p[j] ^ MASK) == key[k][j])
				j++;
			if (j < key_len[k])
				continue;
			if (hits[k]++ < SHOW_MAX)
				printf("memscan: secret %d found at %p\n", k + 1, (const void *)(uintptr_t)p);
		}
	}
}

static int in_map(uint64_t a, int n)
{
	for (int i = 0; i < n; i++)
		if (a >= lo[i] && a < hi[i])
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct hako_start_info *si = hako_start_info();
	uint64_t target, bytes = 0;
	int nkeys = argc - 1, n, k;

	for (k = 0; k < nkeys && k < SECRETS_MAX; k++)
		if ((n = unhex(argv[k + 1], key[k], KEY_MAX)) < 0)
			return printf("memscan: bad secret %d\n", k + 1), 2;
		else
			key_len[k] = (size_t)n;
	printf("memscan: ready\n");
	fflush(stdout);
	if ((n = read_map()) <= 0)
		return printf("memscan: no map from the host\n"), 1;
	/* The map must be this process's: the call page, its target (the tender on proc), the stack. */
	memcpy(&target, (const uint8_t *)HAKO_CALL_VA + 2, sizeof(target));
	printf("memscan: map of %d ranges; call page %d, its target %d, stack %d, heap %d\n", n,
	       in_map(HAKO_CALL_VA, n), in_map(target, n), in_map(si->stack_base, n),
	       in_map(si->heap_base, n));
	for (int i = 0; i < n; i++) {
		scan(lo[i], hi[i], nkeys);
		bytes += hi[i] - lo[i];
	}
	printf("memscan: read %d ranges, %llu KiB\n", n, (unsigned long long)(bytes >> 10));
	for (k = 0; k < nkeys; k++)
		printf("memscan: secret %d: %lu hits\n", k + 1, hits[k]);
	return 0;
}
