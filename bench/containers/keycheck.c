/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: what the key checks cost a call. net_recv with 64
 * receive buffers and nothing queued checks every buffer (a page or two
 * each) and returns 0: nearly all of it is the user-memory gate. Run it on
 * a platform with PKU (every page's key is checked against the caller's
 * PKRU) and without (hv: HAKO_QEMU_CPU=max,pku=off; proc: HAKO_PKU=off).
 * Needs a network (hv --net switch, proc --net passt). Best of 15 rounds (the machine may be busy).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#include <hako/hako.h>

#define ROUNDS 15

static void measure(const char *label, long nr, long a0, long a1, long iters)
{
	unsigned long long best_cyc = ~0ull;
	long long best_ns = -1;
	long rc = 0;

	for (int r = 0; r < ROUNDS; r++) {
		int64_t t0 = hako_time(HAKO_CLOCK_MONOTONIC);
		unsigned long long c0 = __rdtsc();
		for (long i = 0; i < iters; i++)
			rc = hako_call(nr, a0, a1, 0, 0);
		unsigned long long cyc = (__rdtsc() - c0) / iters;
		long long ns = (hako_time(HAKO_CLOCK_MONOTONIC) - t0) / iters;
		if (cyc < best_cyc)
			best_cyc = cyc, best_ns = ns;
	}
	printf("%s (pku %d, rc %ld): %llu cycles, %lld ns per call\n", label,
	       !!(hako_start_info()->flags & HAKO_INFO_PKU), rc, best_cyc, best_ns);
}

int main(int argc, char **argv)
{
	static struct hako_iov iov[HAKO_NET_BATCH_MAX];
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	uint8_t *bufs = aligned_alloc(4096, HAKO_NET_BATCH_MAX * 2048);

	if (iters < 1 || iters > 100000000 || !bufs)
		return 2;
	for (int i = 0; i < HAKO_NET_BATCH_MAX; i++) {
		bufs[i * 2048] = 1; /* brought in: the first call must not pay for demand paging */
		iov[i] = (struct hako_iov){ (uint64_t)(bufs + i * 2048), HAKO_FRAME_MAX, 0 };
	}
	measure("null call", 0, 0, 0, iters);
	measure("net_recv, 64 empty buffers", HAKO_CALL_NET_RECV, (long)iov, HAKO_NET_BATCH_MAX, iters);
	return 0;
}
