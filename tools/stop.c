/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: `hako stop NAME...`. proc: SIGTERM to the container's process,
 * SIGKILL if it has not ended in time. hv: "stop NAME" on the hypervisor's
 * control channel (COM2, a UNIX socket in the state folder): the hv ends
 * that container alone; the others keep running.
 */
#include "commands.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hako/protocol.h"
#include "state.h"

#define STOP_WAIT_S  10   /* default grace time (-t) */
#define KILL_WAIT_S  5    /* after SIGKILL, for the supervisor to notice */
#define POLL_US      50000

struct target {
	char name[HAKO_NAME_MAX];
	struct state_inst in;
	unsigned index;
	int fd;               /* hv: the control socket, open until it stopped */
	enum { ASKED, KILLED, FAILED, DONE } state;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Write "stop NAME" to the hypervisor's control socket; 0 or -1. The
 * socket stays open until the container ended: QEMU passes the line to
 * COM2 a few bytes at a time and drops what is left when we hang up.
 */
static int send_ctl(struct target *t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[HAKO_CTL_LINE_MAX + 1]; /* and the empty line before it */
	int n;

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/ctl", t->in.dir) >= sizeof(sa.sun_path))
		return -1;
	n = snprintf(line, sizeof(line), "\n" HAKO_CTL_STOP "%s\n", t->name);
	if ((t->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (!connect(t->fd, (struct sockaddr *)&sa, sizeof(sa)) && write(t->fd, line, (size_t)n) == n)
		return 0;
	close(t->fd);
	t->fd = -1;
	return -1;
}

/* Other containers still running in t's hypervisor? */
static int others_running(const struct target *t)
{
	for (unsigned i = 0; i < t->in.n; i++)
		if (i != t->index && state_running(&t->in, i))
			return 1;
	return 0;
}

/* The last resort: the container's process (proc), or QEMU when t is its last container. */
static int kill_hard(struct target *t)
{
	if (!strcmp(t->in.platform, "hv") && others_running(t))
		return -1; /* never take the neighbours down with it */
	if (!state_pid_is(t->in.child, t->in.child_start))
		return -1;
	t->state = KILLED;
	return kill(t->in.child, SIGKILL);
}

static int request(struct target *t)
{
	if (!strcmp(t->in.platform, "proc")) {
		if (!state_pid_is(t->in.child, t->in.child_start))
			return cli_fail("%s: its process is gone already", t->name);
		return kill(t->in.child, SIGTERM) ? cli_fail("kill: %s", strerror(errno)) : 0;
	}
	if (send_ctl(t) && kill_hard(t))
		return cli_fail("%s: cannot reach its hypervisor's control socket", t->name);
	return 0;
}

/*
 * Is t over? Reads its record again. On proc the supervisor ends with its
 * one container: it is over only when that process is gone too, so that
 * nothing of it (nor its helpers, which it reaps) is left when we return.
 */
static int ended(struct target *t)
{
	struct state_inst in;
	int running = 1;

	if (state_read(t->in.id, &in))
		return 1;
	for (unsigned i = 0; i < in.n; i++)
		if (!strcmp(in.c[i].name, t->name))
			running = state_running(&in, i);
	state_free(&in);
	if (!running && !strcmp(t->in.platform, "proc"))
		return !state_pid_is(t->in.pid, t->in.pid_start);
	return !running;
}

static int parse_wait(const char *v, unsigned *secs)
{
	char *end;
	unsigned long s;

	if (!v || *v < '0' || *v > '9')
		return -1;
	s = strtoul(v, &end, 10);
	if (*end || s > 3600)
		return -1;
	*secs = (unsigned)s;
	return 0;
}

int cmd_stop(int argc, char **argv)
{
	struct target *t = calloc((size_t)argc, sizeof(*t));
	unsigned wait = STOP_WAIT_S, n = 0, left;
	int status = 0;
	double deadline;

	if (!t)
		return cli_fail("out of %s", "memory");
	for (int i = 1, opts = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = 0; /* names only from here on */
		} else if (opts && (!strcmp(argv[i], "-t") || !strcmp(argv[i], "--time"))) {
			if (parse_wait(i + 1 < argc ? argv[++i] : NULL, &wait))
				return cli_fail("stop: -t needs seconds, 0 to 3600 (got '%s')",
						i < argc ? argv[i] : "");
		} else if (opts && argv[i][0] == '-') {
			return cli_fail("stop: unknown option '%s' (expected -t SEC)", argv[i]);
		} else if (state_find(argv[i], &t[n].in, &t[n].index)) {
			return cli_fail("no container named '%s' (see `hako ps -a`)", argv[i]);
		} else if (!state_running(&t[n].in, t[n].index)) {
			state_free(&t[n].in);
			return cli_fail("%s is not running", argv[i]);
		} else {
			snprintf(t[n].name, sizeof(t[n].name), "%s", argv[i]);
			t[n++].fd = -1;
		}
	}
	if (!n)
		return cli_fail("stop: no %s given", "NAME");
	for (unsigned i = 0; i < n; i++) /* ask all first: they stop side by side */
		if (request(&t[i]))
			status = 2, t[i].state = FAILED;
	deadline = now_s() + wait;
	do {
		left = 0;
		for (unsigned i = 0; i < n; i++) {
			struct target *x = &t[i];
			if (x->state == FAILED || x->state == DONE)
				continue;
			if (ended(x)) {
				printf("%s\n", x->name);
				x->state = DONE;
				if (x->fd >= 0) /* QEMU takes the next connection only now */
					close(x->fd), x->fd = -1;
			} else if (now_s() < deadline + (x->state == KILLED ? KILL_WAIT_S : 0)) {
				left++;
			} else if (x->state == ASKED && !kill_hard(x)) {
				left++; /* killed: give the supervisor a moment to notice */
			} else {
				fprintf(stderr, "hako: %s did not stop within %u s\n", x->name, wait);
				status = 1, x->state = FAILED;
			}
		}
		if (left)
			usleep(POLL_US);
	} while (left);
	for (unsigned i = 0; i < n; i++) {
		if (t[i].fd >= 0)
			close(t[i].fd);
		state_free(&t[i].in);
	}
	free(t);
	return status;
}
