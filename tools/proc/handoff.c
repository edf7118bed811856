/* SPDX-License-Identifier: ISC */
/*
 * proc platform: start the tender as a fresh program. The container runs
 * inside the tender's process and can read every page of it, so the tender
 * must never hold anything of the host's: hako's child execs it with an
 * empty environment and argv { PROC_TENDER_ARGV0 }, and hands it the run's
 * options in a memory file at PROC_FD_CONFIG, which the tender reads and
 * closes first. The few host strings it still needs until the jump (paths
 * for its error lines, the TAP name, passt's program) are wiped, with the
 * stack below, just before the jump (proc_scrub), and the jump itself
 * zeroes glibc's heap (proc_heap), where glibc keeps hako's folder.
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define PROC_FD_CONFIG 3
#define PROC_FD_GO     4
#define FD_HIGH        16
#define WIRE_MAGIC     0x7374706f6f6b6168ull /* "hakoopts" */
#define WIRE_MAX       (64u << 10)
#define STRINGS_MAX    HAKO_STRINGS_MAX /* argv + envp strings, as the start info holds */
#define SCRUB_STACK    (64u << 10)      /* deeper than anything the start ran */

/* The options, their pointers cleared; then their strings, NUL-terminated, in field order. */
struct wire {
	uint64_t magic;
	uint32_t present; /* bit i: string field i below is there */
	uint32_t len;     /* bytes of strings after the header */
	struct proc_opts o;
};

static const char **field(struct proc_opts *o, int i)
{
	const char **f[] = { &o->name, &o->image, &o->block, &o->tap, &o->passt };

	return i < (int)(sizeof(f) / sizeof(f[0])) ? f[i] : NULL;
}

/* --- hako's child: pack, place, exec --- */

static size_t pack_str(char *buf, size_t at, const char *s)
{
	size_t n = strlen(s) + 1;

	if (at + n <= WIRE_MAX)
		memcpy(buf + at, s, n);
	return at + n;
}

/* The wire for o into buf (WIRE_MAX bytes); its size, or 0 if it does not fit. */
static size_t pack(char *buf, const struct proc_opts *o, int go_fd)
{
	struct wire *w = (struct wire *)buf;
	size_t at = sizeof(*w), strings;

	*w = (struct wire){ .magic = WIRE_MAGIC, .o = *o };
	for (int i = 0; field(&w->o, i); i++) {
		const char **f = field(&w->o, i);
		if (*f) {
			w->present |= 1u << i;
			at = pack_str(buf, at, *f);
			*f = NULL;
		}
	}
	strings = at;
	for (int i = 0; i < o->argc + o->envc; i++)
		at = pack_str(buf, at, i < o->argc ? o->argv[i] : o->envp[i - o->argc]);
	w->o.argv = w->o.envp = NULL;
	w->o.go_fd = go_fd;
	w->len = (uint32_t)(at - sizeof(*w));
	return at > WIRE_MAX || at - strings > STRINGS_MAX ? 0 : at;
}

/* passt's program file, found in PATH here (the tender has no PATH); NULL if none. */
static const char *find_passt(char *path, size_t size)
{
	const char *dirs = getenv("PATH");

	for (const char *d = dirs ? dirs : "/usr/bin:/bin"; *d;) {
		size_t n = strcspn(d, ":");
		if (n && (size_t)snprintf(path, size, "%.*s/passt", (int)n, d) < size &&
		    access(path, X_OK) == 0)
			return path;
		d += n + (d[n] == ':');
	}
	return NULL; /* the start says so */
}

static int fail(const struct proc_opts *o, const char *what)
{
	fprintf(stderr, "hako: %s: %s%s%s\n", o->image, what, errno ? ": " : "",
		errno ? strerror(errno) : "");
	return 2;
}

/* fd at target, kept across exec; fd itself is closed. */
static int place(int fd, int target)
{
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, FD_HIGH), rc;

	close(fd);
	rc = hi < 0 ? -1 : dup2(hi, target);
	if (hi >= 0)
		close(hi);
	return rc == target ? 0 : -1;
}

int proc_exec(const struct proc_opts *o)
{
	static const char *const argv[] = { PROC_TENDER_ARGV0, NULL }, *const envp[] = { NULL };
	static char buf[WIRE_MAX], passt[PATH_MAX];
	struct proc_opts with = *o;
	size_t size;
	int fd, go = o->go_fd > 2 ? o->go_fd : -1;

	with.passt = o->net == PROC_NET_PASST ? find_passt(passt, sizeof(passt)) : NULL;
	with.no_pku = o->no_pku || (getenv("HAKO_PKU") && !strcmp(getenv("HAKO_PKU"), "off"));
	errno = 0;
	if (!(size = pack(buf, &with, go >= 0 ? PROC_FD_GO : -1)))
		return fail(o, "arguments and environment too long");
	/* The go pipe first: it may sit where the options go. */
	if (go >= 0 && (go = fcntl(go, F_DUPFD_CLOEXEC, FD_HIGH)) < 0)
		return fail(o, "cannot pass the start's pipe");
	if ((fd = memfd_create("hako-options", MFD_CLOEXEC)) < 0 ||
	    write(fd, buf, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) ||
	    place(fd, PROC_FD_CONFIG) || (go >= 0 && place(go, PROC_FD_GO)))
		return fail(o, "cannot pass the options to the tender");
	/* Nothing else of ours goes across (the tender closes what it inherits anyway). */
	close_range(go >= 0 ? PROC_FD_GO + 1 : PROC_FD_CONFIG + 1, ~0u, 0);
	cli_exec("/proc/self/exe", argv, envp);
	return fail(o, "cannot start the tender (/proc/self/exe)");
}

/* --- the tender: read, run, forget --- */

static union {
	struct wire w;
	char bytes[WIRE_MAX];
} in;
static const char *strings[STRINGS_MAX + 1];
static struct proc_opts opts;
static size_t in_len; /* bytes of in that hold the options */

/* The next NUL-terminated string at *at, or NULL if it runs past end. */
static const char *take(size_t *at, size_t end)
{
	const char *s = in.bytes + *at, *nul = memchr(s, 0, end - *at);

	if (!nul)
		return NULL;
	*at += (size_t)(nul - s) + 1;
	return s;
}

static int unpack(size_t size)
{
	size_t at = sizeof(in.w), end;
	int n;

	if (size < sizeof(in.w) || in.w.magic != WIRE_MAGIC || in.w.len != size - sizeof(in.w))
		return -1;
	end = size;
	opts = in.w.o;
	for (int i = 0; field(&opts, i); i++)
		if ((in.w.present >> i & 1) && !(*field(&opts, i) = take(&at, end)))
			return -1;
	if (opts.argc < 1 || opts.argc > STRINGS_MAX || opts.envc < 0 || opts.envc > STRINGS_MAX ||
	    (n = opts.argc + opts.envc) > STRINGS_MAX || !opts.name || !opts.image)
		return -1;
	for (int i = 0; i < n; i++)
		if (!(strings[i] = take(&at, end)))
			return -1;
	opts.argv = strings;
	opts.envp = strings + opts.argc;
	return 0;
}

const struct proc_opts *proc_tender_opts(void)
{
	struct stat st = { 0 };
	ssize_t n = -1;

	if (fstat(PROC_FD_CONFIG, &st) == 0 && st.st_size > 0 && st.st_size <= WIRE_MAX)
		n = pread(PROC_FD_CONFIG, in.bytes, (size_t)st.st_size, 0);
	close(PROC_FD_CONFIG);
	in_len = n > 0 ? (size_t)n : 0;
	if (n != st.st_size || unpack((size_t)n)) {
		fprintf(stderr, "hako: %s is started by `hako run --platform proc`, not by hand\n",
			PROC_TENDER_ARGV0);
		return NULL;
	}
	return &opts;
}

/* Zero the stack below the caller: what the start's deeper calls left there. */
static __attribute__((noinline)) void scrub_stack(void)
{
	char below[SCRUB_STACK];

	explicit_bzero(below, sizeof(below));
	__asm__ volatile("" : : "r"(below) : "memory");
}

int proc_heap(uint64_t *base, uint64_t *len)
{
	char buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n = -1;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* start_brk is field 47; the name (field 2) may hold anything, the rest follows its last ')'. */
	p = strrchr(buf, ')');
	for (int f = 2; f < 47 && p; f++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &start) != 1 || !start)
		return -1;
	*base = start;
	*len = (uint64_t)sbrk(0) - start;
	return *len < (1ull << 32) ? 0 : -1;
}

void proc_scrub(void)
{
	explicit_bzero(&in, in_len); /* the rest was never touched */
	explicit_bzero(strings, (size_t)(opts.argc + opts.envc) * sizeof(strings[0]));
	explicit_bzero(&opts, sizeof(opts));
	scrub_stack();
}
