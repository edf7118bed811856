/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: the state folder (see state.h). A record is a text file of
 * lines, written whole at the start and then only appended to, each line
 * by one write(2), so readers never see half a line of a live writer:
 *   hako 1                       format version
 *   platform proc|hv
 *   started UNIX-SECONDS
 *   logged 0|1
 *   ctr NAME PORTS IMAGE         one per container; the image path is the rest of the line
 *   pid PID START [CHILD CHILD-START]   the supervisor (newest line wins)
 *   exit NAME STATUS UNIX-SECONDS       STATUS -1: unknown
 *   end UNIX-SECONDS
 * Reading is forgiving: a line it does not understand is skipped.
 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hako/name.h"

#define RECORD_MAX (1u << 20) /* bytes of a record we read at most */
#define KEEP_FINISHED 32      /* finished instances kept for `ps -a` */

static char root[STATE_PATH_MAX - 96]; /* room for "/i/ID/record" after it */

static int make_private_dir(const char *path)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 077))
		return 0; /* there already (the usual case) */
	if (mkdir(path, 0700) && errno != EEXIST) {
		fprintf(stderr, "hako: cannot create the state folder %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Someone else's folder (say, made in /tmp first) must not hold our records. */
	if (lstat(path, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		fprintf(stderr, "hako: the state folder %s is not a private folder of ours "
				"(set $HAKO_STATE to another)\n", path);
		return -1;
	}
	return 0;
}

const char *state_dir(void)
{
	const char *env = getenv("HAKO_STATE"), *xdg = getenv("XDG_RUNTIME_DIR");
	char sub[STATE_PATH_MAX + 8];

	if (root[0])
		return root;
	if (env && *env)
		snprintf(root, sizeof(root), "%s", env);
	else if (xdg && *xdg)
		snprintf(root, sizeof(root), "%s/hako", xdg);
	else if (geteuid() == 0)
		snprintf(root, sizeof(root), "/run/hako");
	else
		snprintf(root, sizeof(root), "/tmp/hako-%u", (unsigned)geteuid());
	if (strlen(root) >= sizeof(root) - 1) {
		root[0] = 0;
		return cli_fail("the state folder's path is too long (%s)", "set $HAKO_STATE"), NULL;
	}
	if (make_private_dir(root) < 0) {
		root[0] = 0;
		return NULL;
	}
	/* Also when the folder was there already: a user may have made it. */
	for (int i = 0; i < 2; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", root, i ? "i" : "names");
		if (mkdir(sub, 0700) && errno != EEXIST) {
			fprintf(stderr, "hako: cannot create %s: %s\n", sub, strerror(errno));
			root[0] = 0;
			return NULL;
		}
	}
	return root;
}

static void append(struct state_inst *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(struct state_inst *in, const char *fmt, ...)
{
	char path[STATE_PATH_MAX + 16], line[STATE_PATH_MAX + 128];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	snprintf(path, sizeof(path), "%s/record", in->dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n)
		fprintf(stderr, "hako: cannot write %s: %s\n", path, strerror(errno));
	close(fd);
}

unsigned long long state_pid_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* The name (field 2) may hold anything; the rest follows its last ')'. */
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &start) != 1)
		return 0;
	/* A zombie has ended: only its parent has not looked yet. */
	return strncmp(strrchr(buf, ')'), ") Z", 3) ? start : 0;
}

/* Ours, read once: a claim and the pid lines after it need it. */
static unsigned long long self_start(void)
{
	static pid_t pid;
	static unsigned long long start;

	if (pid != getpid()) {
		pid = getpid();
		start = state_pid_start(pid);
	}
	return start;
}

int state_pid_is(pid_t pid, unsigned long long start)
{
	return pid > 0 && start && state_pid_start(pid) == start;
}

int state_alive(const struct state_inst *in)
{
	return !in->ended && state_pid_is(in->pid, in->pid_start);
}

int state_running(const struct state_inst *in, unsigned i)
{
	return i < in->n && !in->c[i].exited && state_alive(in);
}

static int parse_line(struct state_inst *in, char *l, size_t *cap)
{
	char name[HAKO_NAME_MAX], ports[STATE_PORTS_MAX];
	long long t;
	int status, k;

	if (sscanf(l, "platform %7s", in->platform) == 1 || sscanf(l, "logged %d", &in->logged) == 1) {
		/* taken */
	} else if (sscanf(l, "started %lld", &t) == 1) {
		in->started = (time_t)t;
	} else if (!strncmp(l, "pid ", 4)) {
		int pid = 0, child = 0;
		unsigned long long ps = 0, cs = 0;
		if (sscanf(l, "pid %d %llu %d %llu", &pid, &ps, &child, &cs) >= 2) {
			in->pid = pid, in->pid_start = ps;
			if (child > 0)
				in->child = child, in->child_start = cs;
		}
	} else if (sscanf(l, "ctr %31s %255s %n", name, ports, &k) == 2 && l[k]) {
		if (in->n == *cap) {
			struct state_ctr *c = realloc(in->c, (*cap ? *cap * 2 : 4) * sizeof(*c));
			if (!c)
				return -1;
			in->c = c;
			*cap = *cap ? *cap * 2 : 4;
		}
		struct state_ctr *c = &in->c[in->n++];
		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "%s", name);
		snprintf(c->ports, sizeof(c->ports), "%s", ports);
		snprintf(c->image, sizeof(c->image), "%s", l + k);
	} else if (sscanf(l, "exit %31s %d %lld", name, &status, &t) == 3) {
		for (unsigned i = 0; i < in->n; i++)
			if (!strcmp(in->c[i].name, name) && !in->c[i].exited) {
				in->c[i].exited = 1;
				in->c[i].status = status < 0 ? STATE_UNKNOWN : status;
				in->c[i].ended = (time_t)t;
				break;
			}
	} else if (sscanf(l, "end %lld", &t) == 1) {
		in->ended = 1;
		for (unsigned i = 0; i < in->n; i++)
			if (!in->c[i].exited)
				in->c[i].exited = 1, in->c[i].status = STATE_UNKNOWN, in->c[i].ended = (time_t)t;
	}
	return 0;
}

int state_read(const char *id, struct state_inst *in)
{
	char path[STATE_PATH_MAX + 80], *buf, *line, *save;
	struct stat st;
	size_t cap = 0;
	ssize_t n;
	int fd;

	memset(in, 0, sizeof(*in));
	if (!state_dir() || strlen(id) >= sizeof(in->id) || strchr(id, '/') || id[0] == '.')
		return -1;
	snprintf(in->id, sizeof(in->id), "%s", id);
	snprintf(in->dir, sizeof(in->dir), "%s/i/%s", root, id);
	snprintf(path, sizeof(path), "%s/record", in->dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	/* Sized to the file: a small record costs a small buffer. */
	n = fstat(fd, &st) ? 0 : st.st_size < RECORD_MAX ? st.st_size : RECORD_MAX;
	buf = malloc((size_t)n + 1);
	n = buf ? read(fd, buf, (size_t)n) : -1;
	close(fd);
	if (n <= 0) {
		free(buf);
		return -1;
	}
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (parse_line(in, line, &cap))
			break;
	free(buf);
	if (in->c && in->n && in->platform[0])
		return 0;
	state_free(in);
	return -1;
}

void state_free(struct state_inst *in)
{
	free(in->c);
	in->c = NULL;
	in->n = 0;
}

/* The instance id that names/NAME points at; 0 or -1. */
static int name_link(const char *name, char *id, size_t size)
{
	char path[STATE_PATH_MAX + 64];
	ssize_t n;

	if (!hako_name_ok(name, strlen(name)) || !state_dir())
		return -1;
	snprintf(path, sizeof(path), "%s/names/%s", root, name);
	n = readlink(path, id, size - 1);
	if (n <= 0)
		return -1;
	id[n] = 0;
	return 0;
}

int state_find(const char *name, struct state_inst *in, unsigned *index)
{
	char id[64];

	if (name_link(name, id, sizeof(id)) || state_read(id, in))
		return -1;
	for (unsigned i = 0; i < in->n; i++)
		if (!strcmp(in->c[i].name, name)) {
			*index = i;
			return 0;
		}
	state_free(in);
	return -1;
}

int state_name_busy(const char *name)
{
	struct state_inst in;
	unsigned i;
	int busy;

	if (state_find(name, &in, &i))
		return 0;
	busy = state_running(&in, i);
	state_free(&in);
	return busy;
}

/* The whole first version of the record, in one write (no stdio: a start waits for this). */
static int write_record(struct state_inst *in)
{
	char path[STATE_PATH_MAX + 16], *text = NULL;
	size_t size = 0, n;
	FILE *f = open_memstream(&text, &size);
	int fd, rc = -1;

	if (!f)
		return -1;
	fprintf(f, "hako 1\nplatform %s\nstarted %lld\nlogged %d\n", in->platform,
		(long long)in->started, in->logged);
	for (unsigned i = 0; i < in->n; i++)
		fprintf(f, "ctr %s %s %s\n", in->c[i].name, in->c[i].ports[0] ? in->c[i].ports : "-",
			in->c[i].image);
	fprintf(f, "pid %d %llu\n", (int)in->pid, in->pid_start);
	if (fclose(f))
		return free(text), -1;
	n = size;
	snprintf(path, sizeof(path), "%s/record", in->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, text, n) == (ssize_t)n)
		rc = 0;
	if (fd >= 0 && close(fd))
		rc = -1;
	free(text);
	return rc;
}

static int claim_locked(struct state_inst *in, void (*decided)(void *arg), void *arg)
{
	char path[STATE_PATH_MAX + 64];

	for (unsigned i = 0; i < in->n; i++)
		if (state_name_busy(in->c[i].name)) {
			fprintf(stderr, "hako: a container named '%s' is already running "
					"(stop it with `hako stop %s`, or pick another --name)\n",
				in->c[i].name, in->c[i].name);
			return 2;
		}
	if (decided) /* the names are ours while we hold the lock */
		decided(arg);
	snprintf(in->id, sizeof(in->id), "%s.XXXXXX", in->c[0].name);
	snprintf(in->dir, sizeof(in->dir), "%s/i/%s", root, in->id);
	if (!mkdtemp(in->dir)) {
		in->dir[0] = in->id[0] = 0;
		return cli_fail("cannot create a folder in the state folder: %s", strerror(errno));
	}
	snprintf(in->id, sizeof(in->id), "%s", strrchr(in->dir, '/') + 1);
	in->started = time(NULL);
	in->pid = getpid();
	in->pid_start = self_start();
	if (write_record(in))
		return cli_fail("cannot write the record in %s", in->dir);
	for (unsigned i = 0; i < in->n; i++) {
		snprintf(path, sizeof(path), "%s/names/%s", root, in->c[i].name);
		unlink(path);
		if (symlink(in->id, path))
			return cli_fail("cannot record the name in %s", path);
	}
	return 0;
}

int state_claim_then(struct state_inst *in, void (*decided)(void *arg), void *arg)
{
	char path[STATE_PATH_MAX + 8];
	int fd, err;

	if (!state_dir())
		return 2;
	snprintf(path, sizeof(path), "%s/.lock", root);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 || flock(fd, LOCK_EX)) {
		if (fd >= 0)
			close(fd);
		return cli_fail("cannot lock the state folder: %s", strerror(errno));
	}
	err = claim_locked(in, decided, arg);
	close(fd); /* and the lock with it */
	return err;
}

int state_claim(struct state_inst *in)
{
	return state_claim_then(in, NULL, NULL);
}

void state_set_pid(struct state_inst *in, pid_t pid, pid_t child)
{
	in->pid = pid;
	in->pid_start = pid == getpid() ? self_start() : state_pid_start(pid);
	in->child = child;
	in->child_start = child > 0 ? state_pid_start(child) : 0;
	if (child > 0)
		append(in, "pid %d %llu %d %llu\n", (int)pid, in->pid_start, (int)child, in->child_start);
	else
		append(in, "pid %d %llu\n", (int)pid, in->pid_start);
}

void state_exit(struct state_inst *in, const char *name, int status)
{
	append(in, "exit %s %d %lld\n", name, status, (long long)time(NULL));
}

void state_end(struct state_inst *in)
{
	append(in, "end %lld\n", (long long)time(NULL));
}

static void remove_dir(const char *dir, const char *id)
{
	static const char *const files[] = { "record", "log", "ctl" };
	char path[STATE_PATH_MAX + 256], link[64];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/names", root);
	if ((d = opendir(path))) { /* names that still point here */
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && !name_link(e->d_name, link, sizeof(link)) &&
			    !strcmp(link, id)) {
				snprintf(path, sizeof(path), "%s/names/%s", root, e->d_name);
				unlink(path);
			}
		closedir(d);
	}
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

void state_remove(struct state_inst *in)
{
	if (in->dir[0] && in->id[0]) /* only what state_claim made */
		remove_dir(in->dir, in->id);
}

void state_each(void (*fn)(struct state_inst *in, void *arg), void *arg)
{
	char path[STATE_PATH_MAX + 8];
	struct state_inst in;
	struct dirent *e;
	DIR *d;

	if (!state_dir())
		return;
	snprintf(path, sizeof(path), "%s/i", root);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && !state_read(e->d_name, &in)) {
			fn(&in, arg);
			state_free(&in);
		}
	closedir(d);
}

struct finished {
	char id[64];
	time_t when;
};

struct prune {
	struct finished *f;
	unsigned n, cap;
};

static void collect(struct state_inst *in, void *arg)
{
	struct prune *p = arg;

	if (state_alive(in) || p->n == p->cap)
		return;
	snprintf(p->f[p->n].id, sizeof(p->f[p->n].id), "%s", in->id);
	p->f[p->n++].when = in->started;
}

static int older_first(const void *a, const void *b)
{
	const struct finished *x = a, *y = b;
	return (x->when > y->when) - (x->when < y->when);
}

void state_prune(void)
{
	char path[STATE_PATH_MAX + 80];
	struct prune p = { 0 };
	unsigned entries = 0;
	struct dirent *e;
	DIR *d;

	if (!state_dir())
		return;
	snprintf(path, sizeof(path), "%s/i", root);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d)))
		entries += e->d_name[0] != '.';
	closedir(d);
	if (entries <= KEEP_FINISHED + 8) /* prune in batches: most runs only count */
		return;
	p.cap = entries + 16;
	if (!(p.f = calloc(p.cap, sizeof(*p.f))))
		return;
	state_each(collect, &p);
	qsort(p.f, p.n, sizeof(*p.f), older_first);
	for (unsigned i = 0; i + KEEP_FINISHED < p.n; i++) {
		snprintf(path, sizeof(path), "%s/i/%s", root, p.f[i].id);
		remove_dir(path, p.f[i].id);
	}
	free(p.f);
}
