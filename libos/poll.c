/* SPDX-License-Identifier: ISC */
/* poll.c: the event loop's one wait, and poll/ppoll/select/pselect6 over the descriptor table. */
#include "fd.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>

#include "libos.h"

#define NS_PER_SEC 1000000000LL

void libos_wait(int64_t deadline)
{
	int64_t net = libos_net_idle(); /* flushes output first */

	hako_yield(net < deadline ? net : deadline);
	libos_net_step();
}

static int64_t now_ns(void)
{
	return hako_time(HAKO_CLOCK_MONOTONIC);
}

/* ns from now to a deadline; a negative wait means forever. */
static int64_t deadline_in(int64_t ns)
{
	int64_t now = now_ns();

	return ns < 0 || ns > INT64_MAX - now ? INT64_MAX : now + ns;
}

static long timespec_ns(const struct timespec *ts, int64_t *ns)
{
	if (!ts) {
		*ns = -1;
		return 0;
	}
	if (libos_user_ok(ts, sizeof *ts))
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NS_PER_SEC)
		return -EINVAL;
	*ns = ts->tv_sec >= INT64_MAX / NS_PER_SEC - 1 ? -1 : ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
	return 0;
}

static unsigned file_events(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
}

static int poll_scan(struct pollfd *fds, unsigned long n)
{
	int ready = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct file *f = fd_get(fds[i].fd);
		unsigned ev;

		if (fds[i].fd < 0)
			ev = 0; /* ignored, as poll(2) says */
		else if (!f)
			ev = POLLNVAL;
		else
			ev = file_events(f) & ((unsigned)(unsigned short)fds[i].events | POLLERR | POLLHUP);
		fds[i].revents = (short)ev;
		ready += ev != 0;
	}
	return ready;
}

/*
 * The event loop of every blocking descriptor call: run the network once
 * (an app polling with timeout 0 in a loop must still see frames), then
 * scan, then sleep in yield until an event or the deadline.
 */
static long do_poll(struct pollfd *fds, unsigned long n, int64_t wait_ns)
{
	int64_t deadline = deadline_in(wait_ns);
	int ready;

	if (n > FD_MAX)
		return -EINVAL;
	if (n && libos_user_ok(fds, n * sizeof *fds))
		return -EFAULT;
	libos_net_step();
	while (!(ready = poll_scan(fds, n)) && now_ns() < deadline)
		libos_wait(deadline);
	return ready;
}

long fd_sys_poll(struct pollfd *fds, unsigned long n, long timeout_ms)
{
	return do_poll(fds, n, timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

long fd_sys_ppoll(struct pollfd *fds, unsigned long n, const void *ts)
{
	int64_t ns;
	long r;

	if ((r = timespec_ns(ts, &ns)))
		return r;
	return do_poll(fds, n, ns); /* no signal is ever delivered: the mask changes nothing */
}

/* select over poll: the three sets become one pollfd per descriptor named in any. */
static long do_select(long n, fd_set *rs, fd_set *ws, fd_set *es, int64_t wait_ns)
{
	fd_set *sets[3] = { rs, ws, es };
	struct pollfd *pfds;
	long count = 0, ready;

	if (n < 0 || n > FD_MAX)
		return -EINVAL;
	for (int k = 0; k < 3; k++)
		if (sets[k] && libos_user_ok(sets[k], sizeof(fd_set)))
			return -EFAULT;
	if (!(pfds = malloc((size_t)(n ? n : 1) * sizeof *pfds)))
		return -ENOMEM;
	for (int fd = 0; fd < n; fd++) {
		short ev = (rs && FD_ISSET(fd, rs) ? POLLIN : 0) | (ws && FD_ISSET(fd, ws) ? POLLOUT : 0) |
			   (es && FD_ISSET(fd, es) ? POLLPRI : 0);
		if (!ev)
			continue;
		if (!fd_get(fd)) {
			free(pfds);
			return -EBADF;
		}
		pfds[count++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	ready = do_poll(pfds, (unsigned long)count, wait_ns);
	if (ready < 0)
		goto out;
	for (int k = 0; k < 3; k++)
		if (sets[k])
			FD_ZERO(sets[k]);
	ready = 0; /* select counts bits, poll counts descriptors */
	for (long i = 0; i < count; i++) {
		short re = pfds[i].revents;
		if ((pfds[i].events & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR)))
			FD_SET(pfds[i].fd, rs), ready++;
		if ((pfds[i].events & POLLOUT) && (re & (POLLOUT | POLLERR)))
			FD_SET(pfds[i].fd, ws), ready++;
		if ((pfds[i].events & POLLPRI) && (re & POLLPRI))
			FD_SET(pfds[i].fd, es), ready++;
	}
out:
	free(pfds);
	return ready;
}

long fd_sys_select(long n, void *r, void *w, void *e, void *tvp)
{
	struct timeval *tv = tvp;
	int64_t ns = -1;

	if (tv) {
		if (libos_user_ok(tv, sizeof *tv))
			return -EFAULT;
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
			return -EINVAL;
		ns = tv->tv_sec >= INT64_MAX / NS_PER_SEC - 1 ? -1
							       : tv->tv_sec * NS_PER_SEC + tv->tv_usec * 1000;
	}
	return do_select(n, r, w, e, ns);
}

long fd_sys_pselect6(long n, void *r, void *w, void *e, const void *ts)
{
	int64_t ns;
	long rc;

	if ((rc = timespec_ns(ts, &ns)))
		return rc;
	return do_select(n, r, w, e, ns);
}
