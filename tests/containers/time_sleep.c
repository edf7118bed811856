/* SPDX-License-Identifier: ISC */
/* time_sleep: the monotonic clock advances across a 20 ms sleep; the wall clock is after 2020. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#define Y2020 1577836800LL /* 2020-01-01 00:00:00 UTC */

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
	struct timespec a, b, wall, abs_to;
	struct timeval tv;

	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long slept = ns(&b) - ns(&a);
	if (slept < 20000000) {
		printf("time FAILED: slept only %lld ns\n", slept);
		return 1;
	}

	/* An absolute sleep 5 ms into the future. */
	abs_to = b;
	abs_to.tv_nsec += 5000000;
	if (abs_to.tv_nsec >= 1000000000) {
		abs_to.tv_sec++;
		abs_to.tv_nsec -= 1000000000;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_to, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (ns(&b) < ns(&abs_to)) {
		printf("time FAILED: woke %lld ns before the absolute deadline\n", ns(&abs_to) - ns(&b));
		return 1;
	}

	clock_gettime(CLOCK_REALTIME, &wall);
	gettimeofday(&tv, NULL);
	if (wall.tv_sec < Y2020 || tv.tv_sec < Y2020 || time(NULL) < Y2020) {
		printf("time FAILED: wall clock %lld is before 2020\n", (long long)wall.tv_sec);
		return 1;
	}
	printf("time ok (slept %lld us, wall %lld)\n", slept / 1000, (long long)wall.tv_sec);
	return 0;
}
