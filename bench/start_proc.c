/* SPDX-License-Identifier: ISC */
/*
 * Start latency on the proc platform: exec of `hako run` to the container's
 * main, and the whole process (fork to exit), beside /bin/true in the same
 * run, and exec to main of an ordinary static Linux program (BASELINE), so
 * the share of the kernel's exec is visible.
 * Usage: start_proc HAKO IMAGE BASELINE [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/*
 * Run argv once. Returns the whole run in ns; *to_main gets exec -> main in
 * ns when the program prints "main_ns=<monotonic ns>", else -1.
 */
static long long run_once(char **argv, long long *to_main)
{
	char buf[256] = { 0 };
	long long t_fork, t_exec = 0, t_main = -1, t_end;
	int out[2], ts[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(out) || pipe(ts))
		exit(1);
	t_fork = now_ns();
	pid = fork();
	if (pid == 0) {
		long long t = now_ns();
		if (write(ts[1], &t, sizeof(t)) != sizeof(t))
			_exit(127);
		dup2(out[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(ts[1]);
	n = read(out[0], buf, sizeof(buf) - 1);
	waitpid(pid, &status, 0);
	t_end = now_ns();
	if (read(ts[0], &t_exec, sizeof(t_exec)) != sizeof(t_exec) ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "start_proc: %s failed\n", argv[0]);
		exit(1);
	}
	/* On hako, after the container's "NAME: " prefix. */
	if (n > 0 && strstr(buf, "main_ns=") && sscanf(strstr(buf, "main_ns="), "main_ns=%lld", &t_main) == 1)
		t_main -= t_exec;
	close(out[0]);
	close(ts[0]);
	*to_main = t_main;
	return t_end - t_fork;
}

static void report(const char *what, long long *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	printf("| %-34s | %8.1f | %8.1f | %8.1f |\n", what, v[n / 2] / 1e3, v[0] / 1e3,
	       v[n * 9 / 10] / 1e3);
}

int main(int argc, char **argv)
{
	int runs = argc > 4 ? atoi(argv[4]) : 100;
	static char run[] = "run", platform[] = "--platform", proc[] = "proc", bin_true[] = "/bin/true";
	char *hako[] = { argv[1], run, platform, proc, argv[2], NULL };
	char *base[] = { argv[3], NULL };
	char *truebin[] = { bin_true, NULL };
	long long *main_ns, *base_ns, *whole, *true_ns, dummy;

	if (argc < 4 || runs < 10 || runs > 10000) {
		fprintf(stderr, "usage: start_proc HAKO IMAGE BASELINE [RUNS 10..10000]\n");
		return 2;
	}
	main_ns = calloc(runs, sizeof(*main_ns));
	base_ns = calloc(runs, sizeof(*base_ns));
	whole = calloc(runs, sizeof(*whole));
	true_ns = calloc(runs, sizeof(*true_ns));
	for (int i = 0; i < runs; i++) { /* interleaved: all see the same machine */
		whole[i] = run_once(hako, &main_ns[i]);
		run_once(base, &base_ns[i]);
		true_ns[i] = run_once(truebin, &dummy);
		if (main_ns[i] < 0 || base_ns[i] < 0) {
			fprintf(stderr, "start_proc: no main_ns line\n");
			return 1;
		}
	}
	printf("| proc start (%d runs)               | median µs |   min µs |   p90 µs |\n", runs);
	printf("|------------------------------------|---------:|---------:|---------:|\n");
	report("exec -> container main", main_ns, runs);
	report("exec -> main, static Linux program", base_ns, runs);
	report("whole `hako run` (fork -> exit)", whole, runs);
	report("whole `/bin/true` (fork -> exit)", true_ns, runs);
	return 0;
}
