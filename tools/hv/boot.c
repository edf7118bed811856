/* SPDX-License-Identifier: ISC */
/* hv platform, host side: boot the hypervisor in QEMU with the bundle, relay its console. */
#include "hv.h"

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

#include "cli.h"
#include "hako/protocol.h"
#include "console.h"
#include "qemu.h"
#include "super.h"

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

/* Someone stops the supervisor: QEMU goes first, then we record what ended. */
static void on_term(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* One whole console line: the status from the summary; readiness and each end for the supervisor. */
static void act_on(const char *line, int *status, int *seen, struct super *s)
{
	struct hv_line l;

	hv_line_parse(line, &l);
	if (l.kind == HV_LINE_SUMMARY)
		*status = l.status, *seen = 1;
	else if (l.kind == HV_LINE_LOADED && s && !s->ready)
		super_ready(s);
	else if (l.kind == HV_LINE_END && s)
		super_exit(s, l.name, l.name_len, l.status);
}

/* Echo QEMU's serial output (and copy it to the log, if any); act on each line. */
static int relay(int fd, int *status, struct super *s)
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
		if (s && s->logfd >= 0 && write(s->logfd, buf, (size_t)n) != n) {
			close(s->logfd); /* a full disk stops the copy, not the containers */
			s->logfd = -1;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			len = 0;
			act_on(line, status, &seen, s);
		}
	}
	return seen;
}

/* QEMU's choices for r: the host's accelerator, the environment's overrides, the run's devices. */
static void choose(const struct hv_run *r, const char *bundle, uint64_t mem_mib, struct hv_qemu *q)
{
	*q = (struct hv_qemu){
		.qemu = getenv("HAKO_QEMU") ? getenv("HAKO_QEMU") : "qemu-system-x86_64",
		.kvm = want_kvm(),
		.cpu = getenv("HAKO_QEMU_CPU"), /* e.g. max,pku=off (tests, benchmarks) */
		.mem_mib = mem_mib,
		.hv = find_hv(r->hv),
		.bundle = bundle,
		.netdev = r->mode == NET_USER || r->mode == NET_TAP ? r->netdev : NULL,
		.disks = &r->disks,
		.pidfile = r->pidfile,
		.ctl = r->ctl,
	};
}

/* Start argv with stdin /dev/null and stdout into a pipe, whose read end goes to *out. */
static pid_t spawn(const char *const *argv, int *out)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return cli_fail("pipe: %s", strerror(errno)), -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return cli_fail("fork: %s", strerror(errno)), -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		signal(SIGPIPE, SIG_DFL); /* ignored by the supervisor; QEMU sets its own */
		dup2(null, 0);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		cli_exec(argv[0], argv, NULL);
		fprintf(stderr, "hako: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	*out = pfd[0];
	return pid;
}

/* The shell's status from how QEMU ended (wst) and the summary's status, if seen. */
static int outcome(const struct hv_run *r, int wst, int seen, int status)
{
	if (WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL && r->timeout) {
		fprintf(stderr, "hako: timed out after %u s\n", r->timeout);
		return 124;
	}
	if (!WIFEXITED(wst))
		return cli_fail("qemu died (%s)", strsignal(WTERMSIG(wst)));
	switch (WEXITSTATUS(wst)) {
	case HAKO_QEMU_STATUS(HAKO_HV_OK):
		return 0;
	case HAKO_QEMU_STATUS(HAKO_HV_FAIL):
		return seen && status ? status : 1;
	case HAKO_QEMU_STATUS(HAKO_HV_PANIC):
		return cli_fail("the hypervisor %s", "panicked");
	default:
		fprintf(stderr, "hako: qemu exited with status %d\n", WEXITSTATUS(wst));
		return 125;
	}
}

/* Run QEMU until it ends, relaying its console; the exit status for the shell. */
static int boot(const struct hv_run *r, const char *bundle, uint64_t mem_mib, struct super *s)
{
	struct hv_qemu_line line;
	const char *why, *what = NULL;
	int fd, wst, status = 0, seen;
	struct hv_qemu q;

	choose(r, bundle, mem_mib, &q);
	if ((why = hv_qemu_line(&q, &line, &what)))
		return cli_fail(why, what);
	if (r->ctl)
		unlink(r->ctl); /* QEMU makes the socket afresh */
	if ((child = spawn(line.argv, &fd)) < 0)
		return 2;
	if (s)
		super_started(s, child);
	signal(SIGINT, SIG_IGN); /* ^C reaches QEMU; we clean up after it */
	signal(SIGTERM, on_term);
	signal(SIGHUP, on_term);
	if (r->timeout) {
		signal(SIGALRM, on_alarm);
		alarm(r->timeout);
	}
	seen = relay(fd, &status, s);
	close(fd);
	while (waitpid(child, &wst, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	child = 0;
	signal(SIGINT, SIG_DFL);
	if (r->ctl)
		unlink(r->ctl);
	return outcome(r, wst, seen, status);
}

int run_hv(struct hv_run *r, struct super *s)
{
	char tmp[PATH_MAX];
	uint64_t size = 0, mem = QEMU_EXTRA_MIB;
	const char *dir = getenv("TMPDIR");
	int fd, err;

	if (r->bundle_in) {
		struct stat st;
		if (stat(r->bundle_in, &st))
			return cli_fail("cannot open bundle %s", r->bundle_in);
		return boot(r, r->bundle_in, mem + 256 + ((uint64_t)st.st_size >> 20), s);
	}
	if (r->bundle_out) {
		fd = open(r->bundle_out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || hv_bundle_write(r, fd, &size) || close(fd))
			return cli_fail("cannot write %s", r->bundle_out);
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s/hako-bundle-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0)
		return cli_fail("cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
	if (hv_bundle_write(r, fd, &size) || close(fd)) {
		unlink(tmp);
		return cli_fail("cannot write the bundle %s", tmp);
	}
	for (unsigned i = 0; i < r->n; i++) /* + the hv's bounce buffer for a block device */
		mem += r->c[i].e.mem_mib + (r->c[i].e.flags & HAKO_BUNDLE_BLOCK ? 2 : 0);
	mem += (size >> 20) + 1;
	err = boot(r, tmp, mem < HV_RAM_MAX_MIB ? mem : HV_RAM_MAX_MIB, s); /* more is never used */
	unlink(tmp);
	return err;
}
