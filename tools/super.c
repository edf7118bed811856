/* SPDX-License-Identifier: ISC */
/* hako CLI: the supervisor beside a running instance (see super.h). */
#include "super.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "hako/protocol.h"
#include "output.h"

#define FAIL_TEXT_MAX  4096
#define DRAIN_READS    1024 /* after the end: reads of what is left in the pipes, at most */
#define NO_PIDFD_MS    100  /* without pidfd_open (Linux < 5.3): look for the end this often */
#define REAP_ROUNDS    200  /* of REAP_WAIT_US: how long a helper may take to end */
#define REAP_WAIT_US   10000

static void print_names(const struct state_inst *in)
{
	for (unsigned i = 0; i < in->n; i++)
		printf("%s\n", in->c[i].name);
}

/* The parent of -d: wait for the supervisor's one status byte (and its messages). */
static int wait_start(int fd, const struct state_inst *in)
{
	unsigned char status;
	char text[FAIL_TEXT_MAX];
	ssize_t n;
	int got;

	while ((n = read(fd, &status, 1)) < 0 && errno == EINTR)
		;
	got = n == 1;
	if (got && status == 0) {
		print_names(in);
		return 0;
	}
	while ((n = read(fd, text, sizeof(text))) > 0)
		fwrite(text, 1, (size_t)n, stderr);
	if (got)
		return status;
	return cli_fail("%s: the supervisor ended before the start", in->c[0].name);
}

int super_detach(struct super *s, int *parent)
{
	char log[STATE_PATH_MAX + 8];
	int pfd[2], null, fd;
	pid_t pid;

	*parent = 0;
	snprintf(log, sizeof(log), "%s/log", s->in->dir);
	if (pipe2(pfd, O_CLOEXEC))
		return cli_fail("pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		return cli_fail("fork: %s", strerror(errno));
	if (pid > 0) {
		*parent = 1;
		close(pfd[1]);
		return wait_start(pfd[0], s->in);
	}
	close(pfd[0]);
	/* Nothing the caller had open stays open here (a shell's pipe would wait for us). */
	s->notify = pfd[1] == 3 ? 3 : dup3(pfd[1], 3, O_CLOEXEC);
	if (s->notify != 3 || close_range(4, ~0u, 0))
		_exit(super_finish(s, cli_fail("cannot set up the supervisor: %s", strerror(errno))));
	setsid(); /* no terminal: its hang-up or ^C no longer reaches us */
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY | O_CLOEXEC, 0600);
	if (null < 0 || fd < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		fprintf(stderr, "hako: cannot open the log %s: %s\n", log, strerror(errno));
		_exit(super_finish(s, 2));
	}
	close(null);
	close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	state_set_pid(s->in, getpid(), 0);
	return 0;
}

void super_started(struct super *s, pid_t child)
{
	s->child = child;
	state_set_pid(s->in, getpid(), child);
}

void super_ready(struct super *s)
{
	unsigned char ok = 0;

	s->ready = 1;
	if (s->notify >= 0) {
		if (write(s->notify, &ok, 1) != 1) {
			/* the parent is gone: nobody to tell */
		}
		close(s->notify);
		s->notify = -1;
	}
}

void super_exit(struct super *s, const char *name, size_t len, int status)
{
	for (unsigned i = 0; i < s->in->n; i++)
		if (strlen(s->in->c[i].name) == len && !strncmp(s->in->c[i].name, name, len))
			state_exit(s->in, s->in->c[i].name, status);
}

/* Send the start's messages (the log so far) to the waiting parent. */
static void report_failure(struct super *s, int status)
{
	unsigned char b = (unsigned char)(status ? status : 1);
	char path[STATE_PATH_MAX + 8], text[FAIL_TEXT_MAX];
	ssize_t n;
	int fd;

	if (write(s->notify, &b, 1) == 1) {
		snprintf(path, sizeof(path), "%s/log", s->in->dir);
		fflush(NULL);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if ((n = read(fd, text, sizeof(text))) > 0 && write(s->notify, text, (size_t)n) != n) {
				/* the parent is gone */
			}
			close(fd);
		}
	}
	close(s->notify);
	s->notify = -1;
}

int super_finish(struct super *s, int status)
{
	if (!s->ready) {
		if (s->notify >= 0)
			report_failure(s, status);
		state_remove(s->in);
		return status;
	}
	state_end(s->in);
	state_prune();
	return status;
}

static volatile sig_atomic_t got_ready;
static volatile pid_t forward_to;

static void on_ready(int sig)
{
	(void)sig;
	got_ready = 1;
}

static void on_term(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

static int status_of(const struct proc_opts *o, int wst)
{
	int sig;

	if (WIFEXITED(wst))
		return WEXITSTATUS(wst);
	sig = WTERMSIG(wst);
	if (sig == SIGTERM || sig == SIGKILL)
		fprintf(stderr, HAKO_LINE_PREFIX "%s" HAKO_LINE_STOPPED "\n", o->name);
	else if (sig != SIGINT)
		fprintf(stderr, "hako: %s ended by signal %s\n", o->name, strsignal(sig));
	return 128 + sig;
}

/*
 * Not recorded yet (a foreground start): record it while the child loads
 * the image, and let it go on only if that worked. Start latency is a
 * target on this platform; the record costs as much as the load.
 */
static void send_go(void *arg)
{
	int *go = arg;

	if (write(*go, "g", 1) != 1) {
		/* the child is gone already: waitpid tells how */
	}
	close(*go);
	*go = -1;
}

static int claim_beside(struct super *s, pid_t pid, int go)
{
	int err = state_claim_then(s->in, send_go, &go), wst;

	if (go >= 0 && s->in->name_given) { /* taken: the child gives up, quietly (we said why) */
		close(go);
		waitpid(pid, &wst, 0);
		return err ? err : 2;
	}
	if (go >= 0) /* a default name, taken since we picked it: no one waited for it */
		close(go);
	if (err) /* it runs, but unrecorded: `hako ps` will not see it */
		fprintf(stderr, "hako: %s runs without a record\n", s->in->c[0].name);
	return 0;
}

/* The container said it runs (SIGUSR1): from now on its output is its own. */
static void note_ready(struct super *s, struct output *o)
{
	if (got_ready && !s->ready) {
		super_ready(s);
		output_started(o);
	}
}

/* Read what the pipes hold now (one read each, or all of it if drain); EOF closes one. */
static void read_pipes(struct output *o, struct pollfd *p, int drain)
{
	static char buf[16384];

	for (int which = 0; which < 2; which++) {
		for (int k = 0; p[which].fd >= 0 && k < (drain ? DRAIN_READS : 1); k++) {
			ssize_t n = read(p[which].fd, buf, sizeof(buf));
			if (n > 0) {
				output_feed(o, which, buf, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0) /* every writer gone: nothing more comes */
				close(p[which].fd), p[which].fd = -1;
			break; /* or EAGAIN: empty for now */
		}
	}
}

/*
 * Show the container's output until its process ends (*wst: how); 0 or
 * -1. The end is the process's, not the pipes': a passt child it started
 * holds them open too.
 */
static int relay_output(struct super *s, struct output *o, const int fd[2], pid_t pid, int *wst)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p[3] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 }, { pidfd, POLLIN, 0 } };
	pid_t r;

	while ((r = waitpid(pid, wst, WNOHANG)) == 0) {
		if (poll(p, 3, pidfd < 0 ? NO_PIDFD_MS : -1) < 0 && errno != EINTR)
			break;
		note_ready(s, o); /* SIGUSR1 precedes the container's first byte: its handler ran */
		read_pipes(o, p, 0);
	}
	if (pidfd >= 0)
		close(pidfd);
	note_ready(s, o);
	read_pipes(o, p, 1);
	for (int which = 0; which < 2; which++)
		if (p[which].fd >= 0)
			close(p[which].fd);
	return r == pid ? 0 : -1;
}

/* The child: the container's stdout and stderr are the pipes' write ends. */
static void child_output(int out[2], int err[2])
{
	if (dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
		_exit(2);
	close(out[0]), close(out[1]), close(err[0]), close(err[1]);
}

/*
 * The container's helpers (passt) end when its process ends and its
 * socket closes (devices.c) and, orphaned, come back to us: we are their
 * subreaper. Wait for them before recording the end, so that once `hako
 * stop` returns no process of the container is left and its published
 * ports are free. Bounded: a helper that does not end is named in one line.
 */
static void reap_helpers(const struct proc_opts *o)
{
	for (int round = 0; round < REAP_ROUNDS; round++) {
		pid_t p = waitpid(-1, NULL, WNOHANG);
		if (p < 0 && errno == ECHILD)
			return;
		if (p <= 0)
			usleep(REAP_WAIT_US);
	}
	fprintf(stderr, "hako: %s: a helper process did not end in %d s\n", o->name,
		REAP_ROUNDS * REAP_WAIT_US / 1000000);
}

int super_run_proc(struct super *s, struct proc_opts *o)
{
	struct sigaction sa = { .sa_handler = on_ready }, term = { .sa_handler = on_term };
	int wst, status, go[2] = { -1, -1 }, out[2], err_pipe[2], rd[2], err;
	struct output shown;
	pid_t pid;

	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: poll returns to look */
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* see reap_helpers */
	if (!s->in->dir[0] && pipe2(go, O_CLOEXEC))
		return cli_fail("pipe: %s", strerror(errno));
	if (pipe2(out, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
		return cli_fail("pipe: %s", strerror(errno));
	output_init(&shown, o->name, 1, 2); /* to our stdout and stderr: the terminal, or the log (-d) */
	fflush(NULL);
	if ((pid = fork()) < 0)
		return cli_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGUSR1, SIG_DFL);
		signal(SIGPIPE, SIG_DFL); /* the container's stdout works as a program's would */
		if (s->notify >= 0)
			close(s->notify);
		if (go[1] >= 0)
			close(go[1]);
		child_output(out, err_pipe);
		o->notify_pid = getppid();
		/*
		 * Only a name the user gave can clash (a default one steps
		 * aside), so only then does the start wait for the claim.
		 */
		o->go_fd = s->in->name_given ? go[0] : -1;
		_exit(proc_exec(o)); /* returns only if the start failed */
	}
	close(out[1]);
	close(err_pipe[1]);
	rd[0] = out[0], rd[1] = err_pipe[0];
	fcntl(rd[0], F_SETFL, O_NONBLOCK);
	fcntl(rd[1], F_SETFL, O_NONBLOCK);
	if (go[0] >= 0) {
		close(go[0]);
		if ((err = claim_beside(s, pid, go[1]))) /* the child gave up without a word */
			return err;
	}
	forward_to = pid;
	sigaction(SIGTERM, &term, NULL);
	sigaction(SIGHUP, &term, NULL);
	signal(SIGINT, SIG_IGN); /* ^C reaches the container itself: we record how it ended */
	super_started(s, pid);
	if (relay_output(s, &shown, rd, pid, &wst))
		return cli_fail("waitpid: %s", strerror(errno));
	reap_helpers(o);
	output_end(&shown, WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
	status = status_of(o, wst);
	if (s->ready)
		state_exit(s->in, o->name, status);
	return status;
}
