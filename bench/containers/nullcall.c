/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: round trip of a null call (an unknown call number,
 * answered -ENOSYS by every platform) and of the time call, in TSC cycles
 * and ns, best of several rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#include <hako/hako.h>

#define ROUNDS 5

static void measure(const char *what, long nr, long arg, long iters)
{
	unsigned long long best_cyc = ~0ull;
	long long best_ns = -1;

	for (int r = 0; r < ROUNDS; r++) {
		int64_t t0 = hako_time(HAKO_CLOCK_MONOTONIC);
		unsigned long long c0 = __rdtsc();
		for (long i = 0; i < iters; i++)
			hako_call(nr, arg, 0, 0, 0);
		unsigned long long cyc = (__rdtsc() - c0) / iters;
		long long ns = (hako_time(HAKO_CLOCK_MONOTONIC) - t0) / iters;
		if (cyc < best_cyc) {
			best_cyc = cyc;
			best_ns = ns;
		}
	}
	printf("%s: %llu cycles, %lld ns per call (best of %d x %ld)\n", what, best_cyc,
	       best_ns, ROUNDS, iters);
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 100000;

	if (iters < 1 || iters > 100000000)
		return 2;
	measure("null call", 0, 0, iters);
	measure("time call", HAKO_CALL_TIME, HAKO_CLOCK_MONOTONIC, iters);
	return 0;
}
