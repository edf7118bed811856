/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: the cost of switching PKRU. The image declares two
 * domains (abi.h): the libOS's (0xc0000000, where it starts) and an app
 * domain (0xfffffffc); a round trip is two gates of the exact form the
 * scan accepts. Also RDPKRU and a null call, which on hv checks the PKRU it
 * was made with and on proc goes through the call page's PKRU check.
 * TSC cycles and ns, best of several rounds. Under TCG every WRPKRU
 * flushes QEMU's TLB: only the same platform's numbers compare.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#include <hako/hako.h>

#define LIBOS_PKRU 0xc0000000
#define APP_PKRU   0xfffffffc
#define ROUNDS 15

__attribute__((section(".note.hako"), aligned(4), used)) static const struct {
	uint32_t namesz, descsz, type;
	char name[8];
	struct hako_domains h;
	struct hako_domain d[2];
} __attribute__((packed)) domains_note = {
	5, sizeof(struct hako_domains) + 2 * sizeof(struct hako_domain), HAKO_NOTE_DOMAINS, "hako",
	{ .ndomains = 2, .nranges = 0, .libos = 0 }, { { LIBOS_PKRU, 0 }, { APP_PKRU, 0 } },
};

#define STR_(x) #x
#define STR(x) STR_(x)
#define GATE(v) __asm__ volatile(".byte 0xb8; .long " STR(v) "; .byte 0x31, 0xc9, 0x31, 0xd2\n\t" \
				 ".byte 0x0f, 0x01, 0xef, 0x3d; .long " STR(v) "; .byte 0x75, 0xed" \
				 ::: "eax", "ecx", "edx", "memory")

enum what { EMPTY, RDPKRU, GATES, NULLCALL };

static void once(enum what w)
{
	uint32_t eax, edx;

	switch (w) {
	case EMPTY:
		__asm__ volatile("" ::: "memory");
		break;
	case RDPKRU:
		__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
		break;
	case GATES:
		GATE(APP_PKRU);
		GATE(LIBOS_PKRU);
		break;
	case NULLCALL:
		hako_call(0, 0, 0, 0, 0);
		break;
	}
}

static void measure(const char *label, enum what w, long iters)
{
	unsigned long long best_cyc = ~0ull;
	long long best_ns = -1;

	for (int r = 0; r < ROUNDS; r++) {
		int64_t t0 = hako_time(HAKO_CLOCK_MONOTONIC);
		unsigned long long c0 = __rdtsc();
		for (long i = 0; i < iters; i++)
			once(w);
		unsigned long long cyc = (__rdtsc() - c0) / iters;
		long long ns = (hako_time(HAKO_CLOCK_MONOTONIC) - t0) / iters;
		if (cyc < best_cyc)
			best_cyc = cyc, best_ns = ns;
	}
	printf("%s: %llu cycles, %lld ns (best of %d x %ld)\n", label, best_cyc, best_ns, ROUNDS, iters);
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 1000000;

	if (iters < 1 || iters > 100000000)
		return 2;
	measure("empty loop", EMPTY, iters);
	measure("rdpkru", RDPKRU, iters);
	measure("gate round trip (2 WRPKRU)", GATES, iters);
	measure("null call, domains image", NULLCALL, iters);
	return 0;
}
