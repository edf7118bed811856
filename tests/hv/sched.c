/* SPDX-License-Identifier: ISC */
/* argv[1]: "spin MS" burns the CPU without yielding; "tick N MS" prints N ticks MS apart. */
#include "ct.h"

int main(const struct hako_start_info *si)
{
	const char *mode = arg(si, 1);
	int64_t t0 = now();

	if (mode[0] == 's') { /* spin */
		int64_t end = t0 + num(arg(si, 2)) * 1000000;
		double x = 1.5, y = 1.5; /* SSE state must survive preemption */
		long n = 0;
		while (now() < end) {
			for (int i = 0; i < 1000; i++)
				x = x * 1.0000001 + 1e-9;
			n++;
		}
		for (long i = 0; i < n * 1000; i++)
			y = y * 1.0000001 + 1e-9;
		if (x != y) {
			put("FPU state corrupted\n");
			return 1;
		}
		putnum("spun ms", (now() - t0) / 1000000);
		return 0;
	}
	if (mode[0] == 't') { /* tick */
		long n = num(arg(si, 2)), ms = num(arg(si, 3));
		for (long i = 1; i <= n; i++) {
			int64_t want = t0 + i * ms * 1000000;
			sleep_until(want);
			putnum("tick late us", (now() - want) / 1000);
		}
		return 0;
	}
	if (mode[0] == 'f') { /* forever: only a kill ends it */
		for (;;)
			;
	}
	if (mode[0] == 'e') /* exit with a status */
		return (int)num(arg(si, 2));
	if (mode[0] == 'b') { /* bench: null call round trips */
		long n = num(arg(si, 2));
		int64_t a = now();
		for (long i = 0; i < n; i++)
			call(0, 0, 0, 0, 0);
		putnum("ns per call", (now() - a) / n);
		return 0;
	}
	return 2;
}
