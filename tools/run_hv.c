/* hv platform, host side: pack containers into a boot bundle and boot the hypervisor in QEMU. */
#include "run_hv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hako/abi.h"
#include "hako/bundle.h"
#include "cli.h"
#include "image.h"

/*
 * hako run --platform hv [HV-OPTIONS] SPEC [+ SPEC]...
 *   SPEC := [--name NAME] [-m SIZE] [-e KEY=VALUE]... [--] IMAGE [ARGS...]
 * Options before an IMAGE apply to that container only; a lone "+" starts
 * the next container (so "+" cannot be an argument). HV-OPTIONS, only
 * before the first SPEC:
 *   --hv PATH         the hypervisor ELF (default: $HAKO_HV, else
 *                     ../hv/hako-hv.elf next to this program, else build/hv/)
 *   --timeout SEC     stop QEMU after SEC seconds (status 124)
 *   --bundle-out FILE write the bundle to FILE and stop (for tests)
 *   --bundle FILE     boot FILE as the bundle, no SPEC (for tests)
 * $HAKO_ACCEL=tcg|kvm overrides the accelerator choice.
 */

#define MEM_DEFAULT_MIB 64
#define QEMU_EXTRA_MIB  32 /* hv, page tables, firmware */
#define EXIT_OK         33 /* isa-debug-exit (0x10 << 1) | 1 */
#define EXIT_FAIL       35
#define EXIT_PANIC      37

struct ctr {
	struct hako_bundle_entry e;
	const char *path;
	void *image;
	size_t size;
};

struct run {
	struct ctr *c;
	unsigned n;
	const char *hv, *bundle_out, *bundle_in;
	unsigned timeout;
};

static const char usage[] =
	"usage: hako run --platform hv [HV-OPTIONS] SPEC [+ SPEC]...\n"
	"  SPEC: [--name NAME] [-m SIZE] [-e KEY=VALUE]... [--] IMAGE [ARGS...]\n"
	"  a lone '+' starts the next container; all run side by side in one hypervisor\n"
	"HV-OPTIONS (before the first SPEC):\n"
	"  --hv PATH          hypervisor ELF (default $HAKO_HV or build/hv/hako-hv.elf)\n"
	"  --timeout SEC      stop after SEC seconds (exit status 124)\n"
	"  --bundle-out FILE  only write the boot bundle\n"
	"  --bundle FILE      boot an existing bundle\n"
	"exit status: 0 if every container exited 0, else the first failing status\n"
	"(255 for a container the hypervisor killed or could not start).\n";

static int add_string(struct hako_bundle_entry *e, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > sizeof(e->strings) - e->strings_len)
		return -1;
	memcpy(e->strings + e->strings_len, s, n);
	e->strings_len += (uint32_t)n;
	return 0;
}

static int read_image(struct ctr *c)
{
	const char *why;
	struct img img;
	struct stat st;
	FILE *f = fopen(c->path, "rb");

	if (!f) {
		fprintf(stderr, "hako: %s: cannot open: %s\n", c->path, strerror(errno));
		return 2;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return cli_fail("%s: not a regular file", c->path);
	}
	if (st.st_size > IMG_MAX_SIZE) {
		fclose(f);
		return cli_fail("%s: file too large", c->path);
	}
	c->size = (size_t)st.st_size;
	c->image = malloc(c->size ? c->size : 1);
	if (!c->image || fread(c->image, 1, c->size, f) != c->size) {
		fclose(f);
		return cli_fail("%s: cannot read", c->path);
	}
	fclose(f);
	if (img_parse(c->image, c->size, &img, &why)) {
		fprintf(stderr, "hako: %s: %s\n", c->path, why);
		return 2;
	}
	return 0;
}

/* The default name: the file name up to its first dot, made unique. */
static void default_name(struct run *r, struct ctr *c)
{
	const char *b = strrchr(c->path, '/');
	char name[HAKO_NAME_MAX];
	size_t n;

	b = b ? b + 1 : c->path;
	n = strcspn(b, ".");
	n = n >= sizeof(name) - 4 ? sizeof(name) - 4 : n;
	memcpy(name, b, n);
	name[n] = 0;
	if (!cli_valid_name(name))
		strcpy(name, "ctr");
	for (unsigned k = 2, i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].e.name, name) == 0 && &r->c[i] != c) {
			snprintf(name + n, sizeof(name) - n, "-%u", k++ % 1000);
			i = (unsigned)-1; /* look again from the start */
		}
	}
	memcpy(c->e.name, name, sizeof(name));
}

/* One SPEC from argv[*i]; leaves *i after it (on the "+" or at argc). */
static int parse_spec(struct run *r, int argc, char **argv, int *i)
{
	struct ctr *c = &r->c[r->n++];
	const char *name = NULL;
	char *envs[64];
	unsigned nenv = 0;

	c->e.mem_mib = MEM_DEFAULT_MIB;
	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; *i += 2) {
		const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
		if (!strcmp(a, "--")) {
			++*i;
			break;
		}
		if (!v)
			return cli_fail("run: option '%s' needs a value", a);
		if (!strcmp(a, "--name")) {
			if (!cli_valid_name(v))
				return cli_fail("bad container name '%s': use 1-31 of [A-Za-z0-9._-], not 'hako'", v);
			name = v;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--memory")) {
			if (!(c->e.mem_mib = (uint32_t)(cli_parse_size(v) >> 20)))
				return cli_fail("bad memory size '%s': expected 2M to 16G, e.g. 64M", v);
		} else if (!strcmp(a, "-e") || !strcmp(a, "--env")) {
			if (!strchr(v, '=') || v[0] == '=')
				return cli_fail("bad environment variable '%s': expected KEY=VALUE", v);
			if (nenv == 64)
				return cli_fail("too many environment variables (%s)", "64 at most");
			envs[nenv++] = argv[*i + 1];
		} else {
			return cli_fail("run: unknown option '%s' (see `hako run --platform hv --help`)", a);
		}
	}
	if (*i >= argc || !strcmp(argv[*i], "+"))
		return cli_fail("run: no %s given", "IMAGE");
	c->path = argv[(*i)++];
	if (name) {
		for (unsigned k = 0; k + 1 < r->n; k++)
			if (!strcmp(r->c[k].e.name, name))
				return cli_fail("two containers named '%s'", name);
		strcpy(c->e.name, name);
	} else {
		default_name(r, c);
	}
	if (add_string(&c->e, c->e.name))
		return 2;
	c->e.argc = 1;
	for (; *i < argc && strcmp(argv[*i], "+"); ++*i, c->e.argc++)
		if (add_string(&c->e, argv[*i]))
			return cli_fail("%s: arguments and environment too long", c->path);
	for (unsigned k = 0; k < nenv; k++, c->e.envc++)
		if (add_string(&c->e, envs[k]))
			return cli_fail("%s: arguments and environment too long", c->path);
	return read_image(c);
}

static int parse(struct run *r, int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--hv"))
			r->hv = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout"))
			r->timeout = (unsigned)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--bundle-out"))
			r->bundle_out = argv[i + 1];
		else if (!strcmp(argv[i], "--bundle"))
			r->bundle_in = argv[i + 1];
		else
			break;
	}
	if (r->bundle_in)
		return i == argc ? 0 : cli_fail("run: --bundle takes no %s", "SPEC");
	r->c = calloc(HAKO_BUNDLE_MAX, sizeof(*r->c));
	if (!r->c)
		return cli_fail("out of %s", "memory");
	while (i < argc) {
		if (r->n == HAKO_BUNDLE_MAX)
			return cli_fail("too many containers (%s at most)", "256");
		int err = parse_spec(r, argc, argv, &i);
		if (err)
			return err;
		if (i < argc)
			i++; /* the "+" */
	}
	return r->n ? 0 : cli_fail("run: no %s given", "IMAGE");
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Header, entries, then each image at a 4 KiB-aligned offset. */
static int write_bundle(const struct run *r, int fd, uint64_t *size)
{
	static const char zero[4096];
	struct hako_bundle_header h = { .magic = HAKO_BUNDLE_MAGIC, .version = HAKO_BUNDLE_VERSION,
					.count = r->n };
	uint64_t off = sizeof(h) + (uint64_t)r->n * sizeof(struct hako_bundle_entry);

	for (unsigned i = 0; i < r->n; i++) {
		off = (off + 4095) & ~4095ull;
		r->c[i].e.image_offset = off;
		r->c[i].e.image_size = r->c[i].size;
		off += r->c[i].size;
	}
	h.size = off;
	*size = off;
	if (write_all(fd, &h, sizeof(h)))
		return -1;
	off = sizeof(h);
	for (unsigned i = 0; i < r->n; i++, off += sizeof(r->c[i].e))
		if (write_all(fd, &r->c[i].e, sizeof(r->c[i].e)))
			return -1;
	for (unsigned i = 0; i < r->n; i++) {
		if (write_all(fd, zero, r->c[i].e.image_offset - off) ||
		    write_all(fd, r->c[i].image, r->c[i].size))
			return -1;
		off = r->c[i].e.image_offset + r->c[i].size;
	}
	return 0;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * Real hardware virtualization only: kvm_intel/kvm_amd loaded and the CPU
 * flag present. kvm_pvm (a software KVM) breaks ring-3 SYSCALL in guests.
 */
static int want_kvm(void)
{
	const char *accel = getenv("HAKO_ACCEL");
	char line[4096];
	int found = 0;
	FILE *f;

	if (accel)
		return !strcmp(accel, "kvm");
	if (access("/dev/kvm", R_OK | W_OK) || exists("/sys/module/kvm_pvm") ||
	    !(exists("/sys/module/kvm_intel") || exists("/sys/module/kvm_amd")))
		return 0;
	if (!(f = fopen("/proc/cpuinfo", "r")))
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5))
			found = strstr(line, " vmx") || strstr(line, " svm");
	fclose(f);
	return found;
}

static const char *find_hv(const char *given)
{
	static char path[PATH_MAX];
	const char *env = getenv("HAKO_HV");
	ssize_t n;

	if (given)
		return given;
	if (env)
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n > 0) {
		path[n] = 0;
		char *slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash, "/../hv/hako-hv.elf");
			if (exists(path))
				return path;
		}
	}
	return "build/hv/hako-hv.elf";
}

static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

/* Echo QEMU's serial output; pick the status out of the hv's summary line. */
static int relay(int fd, int *status)
{
	char buf[4096], line[512];
	size_t len = 0;
	int seen = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* The serial line ends lines with CR LF; the host wants LF. */
		ssize_t k = 0;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != '\r')
				buf[k++] = buf[i];
		n = k;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			len = 0;
			/* Only the hv writes lines starting "hako: " (no container is named so). */
			const char *p = strstr(line, "; status ");
			if (!strncmp(line, "hako: ", 6) && strstr(line, " containers, ") && p)
				*status = atoi(p + 9), seen = 1;
		}
	}
	return seen;
}

static int boot(const struct run *r, const char *bundle, uint64_t mem_mib)
{
	char mem[32];
	int kvm = want_kvm(), pfd[2], wst, status = 0, seen;
	const char *argv[] = {
		getenv("HAKO_QEMU") ? getenv("HAKO_QEMU") : "qemu-system-x86_64",
		"-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max",
		"-M", "microvm,x-option-roms=off,pit=on,pic=off,rtc=on,isa-serial=on",
		"-m", mem, "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=4",
		"-kernel", find_hv(r->hv), "-initrd", bundle, NULL,
	};

	snprintf(mem, sizeof(mem), "%lluM", (unsigned long long)mem_mib);
	if (pipe(pfd))
		return cli_fail("pipe: %s", strerror(errno));
	fflush(stdout);
	child = fork();
	if (child < 0)
		return cli_fail("fork: %s", strerror(errno));
	if (child == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], (char **)argv);
		fprintf(stderr, "hako: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	signal(SIGINT, SIG_IGN); /* ^C reaches QEMU; we clean up after it */
	if (r->timeout) {
		signal(SIGALRM, on_alarm);
		alarm(r->timeout);
	}
	seen = relay(pfd[0], &status);
	close(pfd[0]);
	while (waitpid(child, &wst, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	signal(SIGINT, SIG_DFL);
	if (WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL && r->timeout) {
		fprintf(stderr, "hako: timed out after %u s\n", r->timeout);
		return 124;
	}
	if (!WIFEXITED(wst))
		return cli_fail("qemu died (%s)", strsignal(WTERMSIG(wst)));
	switch (WEXITSTATUS(wst)) {
	case EXIT_OK:
		return 0;
	case EXIT_FAIL:
		return seen && status ? status : 1;
	case EXIT_PANIC:
		return cli_fail("the hypervisor %s", "panicked");
	default:
		fprintf(stderr, "hako: qemu exited with status %d\n", WEXITSTATUS(wst));
		return 125;
	}
}

int run_hv(int argc, char **argv)
{
	char tmp[PATH_MAX];
	struct run r = { 0 };
	uint64_t size = 0, mem = QEMU_EXTRA_MIB;
	const char *dir = getenv("TMPDIR");
	int fd, err;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return fputs(usage, stdout), 0;
	if ((err = parse(&r, argc, argv)))
		return err;
	if (r.bundle_in) {
		struct stat st;
		if (stat(r.bundle_in, &st))
			return cli_fail("cannot open bundle %s", r.bundle_in);
		return boot(&r, r.bundle_in, mem + 256 + ((uint64_t)st.st_size >> 20));
	}
	if (r.bundle_out) {
		fd = open(r.bundle_out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_bundle(&r, fd, &size) || close(fd))
			return cli_fail("cannot write %s", r.bundle_out);
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s/hako-bundle-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0)
		return cli_fail("cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
	if (write_bundle(&r, fd, &size) || close(fd)) {
		unlink(tmp);
		return cli_fail("cannot write the bundle %s", tmp);
	}
	for (unsigned i = 0; i < r.n; i++)
		mem += r.c[i].e.mem_mib;
	err = boot(&r, tmp, mem + (size >> 20) + 1);
	unlink(tmp);
	return err;
}
