/* SPDX-License-Identifier: ISC */
/* Baseline for the null call: a Linux system call round trip on this host, in TSC cycles and ns. */
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITERS  100000
#define ROUNDS 5

int main(void)
{
	unsigned long long best_cyc = ~0ull;
	double best_ns = 0;

	for (int r = 0; r < ROUNDS; r++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		unsigned long long c0 = __rdtsc();
		for (int i = 0; i < ITERS; i++)
			syscall(SYS_getppid);
		unsigned long long cyc = (__rdtsc() - c0) / ITERS;
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (cyc < best_cyc) {
			best_cyc = cyc;
			best_ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / ITERS;
		}
	}
	printf("linux syscall (getppid): %llu cycles, %.0f ns per call (best of %d x %d)\n",
	       best_cyc, best_ns, ROUNDS, ITERS);
	return 0;
}
