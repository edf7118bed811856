/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: when was main reached? Prints the monotonic time
 * (for exec -> main on proc) and the time since the platform began creating
 * the container (start info created_ns: domain created -> main).
 */
#include <stdio.h>
#include <time.h>

#include <hako/hako.h>

int main(void)
{
	int64_t now = hako_time(HAKO_CLOCK_MONOTONIC);

	printf("main_ns=%lld\n", (long long)now);
	printf("start_ns=%lld\n", (long long)(now - hako_start_info()->created_ns));
	return 0;
}
