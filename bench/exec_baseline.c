/* SPDX-License-Identifier: ISC */
/* Baseline for start_proc: an ordinary static Linux program reporting when main was reached. */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("main_ns=%lld\n", (long long)ts.tv_sec * 1000000000 + ts.tv_nsec);
	return 0;
}
