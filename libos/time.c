/* SPDX-License-Identifier: ISC */
/* time.c: Linux clocks and sleeps over the platform's time and yield calls. */
#include "libos.h"

#include <errno.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

#define NS_PER_SEC 1000000000LL

#ifndef CLOCK_REALTIME_ALARM
#define CLOCK_REALTIME_ALARM 8
#endif
#ifndef CLOCK_BOOTTIME_ALARM
#define CLOCK_BOOTTIME_ALARM 9
#endif

static int64_t mono_at_start;

void libos_time_init(void)
{
	mono_at_start = hako_time(HAKO_CLOCK_MONOTONIC);
}

/* Reads Linux clock clk in ns into *ns; 0, or -EINVAL for a clock we lack. */
static long clock_ns(long clk, int64_t *ns)
{
	int64_t t;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
		t = hako_time(HAKO_CLOCK_WALL);
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		t = hako_time(HAKO_CLOCK_MONOTONIC);
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		/* The platform reports no CPU time: charge the container its run time. */
		t = hako_time(HAKO_CLOCK_MONOTONIC);
		if (t >= 0)
			t -= mono_at_start;
		break;
	default:
		return -EINVAL;
	}
	if (t < 0)
		return t; /* the platform's -HAKO_E*, which are Linux errnos */
	*ns = t;
	return 0;
}

static struct timespec to_timespec(int64_t ns)
{
	return (struct timespec){ .tv_sec = ns / NS_PER_SEC, .tv_nsec = ns % NS_PER_SEC };
}

/* A caller's timespec to ns, saturating: a sleep of 10^12 s is a sleep forever. */
static long from_timespec(const struct timespec *ts, int64_t *ns)
{
	if (!ts)
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NS_PER_SEC)
		return -EINVAL;
	if (ts->tv_sec >= INT64_MAX / NS_PER_SEC - 1)
		*ns = INT64_MAX;
	else
		*ns = ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
	return 0;
}

long libos_clock_gettime(long clk, void *ts)
{
	int64_t ns;
	long r;

	if ((r = clock_ns(clk, &ns)) < 0)
		return r;
	if (!ts)
		return -EFAULT;
	*(struct timespec *)ts = to_timespec(ns);
	return 0;
}

long libos_clock_getres(long clk, void *ts)
{
	int64_t ns;
	long r;

	if ((r = clock_ns(clk, &ns)) < 0)
		return r;
	if (ts)
		*(struct timespec *)ts = (struct timespec){ .tv_sec = 0, .tv_nsec = 1 };
	return 0;
}

long libos_gettimeofday(void *tv)
{
	int64_t ns;
	long r;

	if ((r = clock_ns(CLOCK_REALTIME, &ns)) < 0)
		return r;
	if (tv)
		*(struct timeval *)tv = (struct timeval){ .tv_sec = ns / NS_PER_SEC,
							  .tv_usec = ns % NS_PER_SEC / 1000 };
	return 0;
}

long libos_time(void *t)
{
	int64_t ns;
	long r;

	if ((r = clock_ns(CLOCK_REALTIME, &ns)) < 0)
		return r;
	if (t)
		*(time_t *)t = ns / NS_PER_SEC;
	return ns / NS_PER_SEC;
}

/*
 * Sleeps until clock clk reads at least target. yield may come back early
 * (an event is ready), so the clock is re-read every round; the wait is
 * re-derived on the monotonic clock each time, so a wall clock that steps
 * is followed too.
 */
static long sleep_until(long clk, int64_t target)
{
	for (;;) {
		int64_t now, mono;
		long r;

		if ((r = clock_ns(clk, &now)) < 0)
			return r;
		if (now >= target)
			return 0;
		if ((r = clock_ns(CLOCK_MONOTONIC, &mono)) < 0)
			return r;
		int64_t left = target - now;
		libos_wait(left > INT64_MAX - mono ? INT64_MAX : mono + left); /* sockets stay served */
	}
}

static long sleep_for(long clk, int64_t ns)
{
	int64_t now;
	long r;

	if ((r = clock_ns(clk, &now)) < 0)
		return r;
	return sleep_until(clk, ns > INT64_MAX - now ? INT64_MAX : now + ns);
}

long libos_nanosleep(const void *req, void *rem)
{
	int64_t ns;
	long r;

	if ((r = from_timespec(req, &ns)) < 0)
		return r;
	if ((r = sleep_for(CLOCK_MONOTONIC, ns)) < 0)
		return r;
	if (rem) /* never interrupted: nothing remains */
		*(struct timespec *)rem = (struct timespec){ 0 };
	return 0;
}

long libos_clock_nanosleep(long clk, long flags, const void *req, void *rem)
{
	int64_t ns;
	long r;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		break;
	default:
		return -EINVAL;
	}
	if ((r = from_timespec(req, &ns)) < 0)
		return r;
	if (flags & TIMER_ABSTIME)
		return sleep_until(clk, ns);
	if ((r = sleep_for(clk, ns)) < 0)
		return r;
	if (rem)
		*(struct timespec *)rem = (struct timespec){ 0 };
	return 0;
}
