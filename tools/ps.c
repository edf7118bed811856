/* SPDX-License-Identifier: ISC */
/* hako CLI: `hako ps` (the containers in the state folder) and `hako logs`. */
#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sanitize.h"
#include "state.h"

#define FOLLOW_POLL_US 200000 /* `logs -f` looks for more output 5 times a second */

struct row {
	char name[HAKO_NAME_MAX], platform[8], state[48], uptime[24], ports[STATE_PORTS_MAX];
	time_t started;
	unsigned index;
};

struct rows {
	struct row *r;
	unsigned n, cap;
	int all;
};

static void duration(char *buf, size_t size, time_t secs)
{
	long s = secs < 0 ? 0 : (long)secs;

	if (s < 60)
		snprintf(buf, size, "%lds", s);
	else if (s < 3600)
		snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
}

static void add_rows(struct state_inst *in, void *arg)
{
	struct rows *rs = arg;
	time_t now = time(NULL);

	for (unsigned i = 0; i < in->n; i++) {
		const struct state_ctr *c = &in->c[i];
		int running = state_running(in, i);
		char ago[24];
		if (!running && !rs->all)
			continue;
		if (rs->n == rs->cap) {
			struct row *r = realloc(rs->r, (rs->cap ? rs->cap * 2 : 16) * sizeof(*r));
			if (!r)
				return;
			rs->r = r;
			rs->cap = rs->cap ? rs->cap * 2 : 16;
		}
		struct row *r = &rs->r[rs->n++];
		snprintf(r->name, sizeof(r->name), "%s", c->name);
		snprintf(r->platform, sizeof(r->platform), "%s", in->platform);
		snprintf(r->ports, sizeof(r->ports), "%s", c->ports);
		r->started = in->started;
		r->index = i;
		r->state[0] = 0;
		duration(r->uptime, sizeof(r->uptime), now - in->started);
		if (running)
			continue;
		strcpy(r->uptime, "-");
		duration(ago, sizeof(ago), now - (c->exited ? c->ended : in->started));
		if (c->exited && c->status != STATE_UNKNOWN)
			snprintf(r->state, sizeof(r->state), "exited (%d) %s ago", c->status, ago);
		else /* the supervisor died without saying: nobody knows the status */
			snprintf(r->state, sizeof(r->state), "exited (?)");
	}
}

static int by_start(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->started != y->started)
		return (x->started > y->started) - (x->started < y->started);
	return x->index != y->index ? (x->index > y->index) - (x->index < y->index)
				    : strcmp(x->name, y->name);
}

int cmd_ps(int argc, char **argv)
{
	struct rows rs = { 0 };

	for (int i = 1, opts = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--"))
			opts = 0;
		else if (opts && (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all")))
			rs.all = 1;
		else if (opts && argv[i][0] == '-')
			return cli_fail("ps: unknown option '%s' (expected -a)", argv[i]);
		else
			return cli_fail("ps: unexpected '%s' (it takes no NAME)", argv[i]);
	}
	if (!state_dir())
		return 2;
	state_each(add_rows, &rs);
	qsort(rs.r, rs.n, sizeof(*rs.r), by_start);
	printf("%-20s %-8s %-26s %-8s %s\n", "NAME", "PLATFORM", "STATE", "UPTIME", "PORTS");
	for (unsigned i = 0; i < rs.n; i++) {
		struct row *r = &rs.r[i];
		printf("%-20s %-8s %-26s %-8s %s\n", r->name, r->platform,
		       r->state[0] ? r->state : "running", r->uptime, strcmp(r->ports, "-") ? r->ports : "");
	}
	free(rs.r);
	return 0;
}

/*
 * A log holds every container's lines as "NAME: text" and the platform's
 * own as "hako: ...": keep NAME's lines and the platform's lines about
 * NAME, prefixes and all (without them a container's "hako: ..." text
 * would read as the platform's), sanitized once more on the way out:
 * the file is only as trustworthy as whoever could write it.
 */
static void show(const char *line, size_t len, const char *name)
{
	static char out[SAN_BUF_OUT(65536) + SAN_OUT_MAX];
	size_t n = strlen(name), k;
	struct san san = { .npend = 0 };

	if (!(len > n + 1 && !strncmp(line, name, n) && line[n] == ':') &&
	    !(len > n + 7 && !strncmp(line, "hako: ", 6) && !strncmp(line + 6, name, n) &&
	      (line[6 + n] == ' ' || line[6 + n] == ':')))
		return;
	k = san_buf(&san, line, len, out);
	k += san_end(&san, out + k);
	fwrite(out, 1, k, stdout);
}

/* Print whole lines of buf[0..*len), keep an unfinished one; at the end, print it too. */
static void drain(char *buf, size_t *len, const char *name, int last)
{
	size_t start = 0;

	for (size_t i = 0; i < *len; i++)
		if (buf[i] == '\n') {
			show(buf + start, i + 1 - start, name);
			start = i + 1;
		}
	if (last && start < *len) {
		show(buf + start, *len - start, name);
		start = *len;
	}
	memmove(buf, buf + start, *len - start);
	*len -= start;
}

static int still_running(const char *id, const char *name)
{
	struct state_inst in;
	int running = 0;

	if (state_read(id, &in))
		return 0;
	for (unsigned i = 0; i < in.n; i++)
		if (!strcmp(in.c[i].name, name))
			running = state_running(&in, i);
	state_free(&in);
	return running;
}

int cmd_logs(int argc, char **argv)
{
	static char buf[65536];
	char path[STATE_PATH_MAX + 8], id[64];
	const char *name = NULL;
	struct state_inst in;
	int follow = 0, fd;
	size_t len = 0;
	unsigned k;

	for (int i = 1, opts = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--"))
			opts = 0; /* the name only from here on */
		else if (opts && (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow")))
			follow = 1;
		else if (opts && argv[i][0] == '-')
			return cli_fail("logs: unknown option '%s' (expected -f)", argv[i]);
		else if (name)
			return cli_fail("logs: one NAME only (got '%s' too)", argv[i]);
		else
			name = argv[i];
	}
	if (!name)
		return cli_fail("logs: no %s given", "NAME");
	if (state_find(name, &in, &k))
		return cli_fail("no container named '%s' (see `hako ps -a`)", name);
	snprintf(path, sizeof(path), "%s/log", in.dir);
	snprintf(id, sizeof(id), "%s", in.id);
	if (!in.logged) {
		state_free(&in);
		return cli_fail("%s ran in the foreground: its output went to its terminal "
				"(start it with -d to keep a log)", name);
	}
	state_free(&in);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cli_fail("cannot open the log: %s", strerror(errno));
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		if (n > 0) {
			len += (size_t)n;
			drain(buf, &len, name, len == sizeof(buf));
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		fflush(stdout);
		/* At the end of the file: done, unless following a container that still runs. */
		if (n < 0 || !follow || !still_running(id, name)) {
			if (n == 0 && follow && (n = read(fd, buf + len, sizeof(buf) - len)) > 0) {
				len += (size_t)n; /* it wrote its last lines as it ended */
				continue;
			}
			break;
		}
		usleep(FOLLOW_POLL_US);
	}
	drain(buf, &len, name, 1);
	close(fd);
	return 0;
}
