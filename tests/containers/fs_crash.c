/* SPDX-License-Identifier: ISC */
/*
 * fs_crash: the crash test's writer (tests/fs_crash.sh). At start it checks
 * what earlier, killed runs left: /log holds records 1..M, whole and in
 * order, and /state (replaced by rename each record) names one of them. Then
 * it appends records, each made durable by fsync before "ack N" is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REC 64 /* bytes per record: "rec NNNNNNNN " + payload + "\n" */

static void say(const char *fmt, long n)
{
	char line[96];
	int len = snprintf(line, sizeof line, fmt, n);

	write(1, line, (size_t)len); /* straight to the console: nothing left in a buffer */
}

static void record(char *r, long n)
{
	int at = snprintf(r, REC, "rec %08ld ", n);

	for (int i = at; i < REC - 1; i++)
		r[i] = (char)('a' + (n + i) % 26);
	r[REC - 1] = '\n';
}

/* The records earlier runs left; exits 1 with a line if any is damaged. */
static long resume(int fd)
{
	char got[REC], want[REC];
	long n = 0, r;

	while ((r = pread(fd, got, REC, n * REC)) == REC) {
		record(want, n + 1);
		if (memcmp(got, want, REC)) {
			say("fs_crash FAILED: record %ld damaged\n", n + 1);
			exit(1);
		}
		n++;
	}
	if (r != 0) {
		say("fs_crash FAILED: a partial record after %ld\n", n);
		exit(1);
	}
	return n;
}

static long state(void)
{
	char buf[32] = { 0 };
	int fd = open("/state", O_RDONLY);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	read(fd, buf, sizeof buf - 1);
	close(fd);
	return strtol(buf, NULL, 10);
}

/* /state names record n, replaced atomically. */
static int set_state(long n)
{
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%ld\n", n);
	int fd = open("/state.tmp", O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, (size_t)len) != len || close(fd))
		return -1;
	return rename("/state.tmp", "/state");
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	int fd = open("/log", O_CREAT | O_RDWR | O_APPEND, 0644);
	long have, st;
	char r[REC];

	if (fd < 0)
		return say("fs_crash FAILED: open /log: errno %ld\n", errno), 1;
	have = resume(fd);
	st = state();
	if (st != have) /* both change before the same fsync, so one commit holds both */
		return say("fs_crash FAILED: /state says %ld\n", st), 1;
	say("fs_crash resume %ld\n", have);
	for (long n = have + 1; n <= have + count; n++) {
		record(r, n);
		if (write(fd, r, REC) != REC || set_state(n) || fsync(fd))
			return say("fs_crash FAILED: record %ld not written\n", n), 1;
		say("ack %ld\n", n);
	}
	say("fs_crash done %ld\n", have + count);
	return 0;
}
