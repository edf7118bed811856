/* SPDX-License-Identifier: ISC */
/* libos_basics: the small Linux calls the libOS serves itself (stdin, tty, uname, ids, random, mmap). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <hako/hako.h>

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("libos_basics FAILED: %s (errno %d)\n", what, errno);
		failures++;
	}
}

static void check_files(void)
{
	char c;
	struct stat st;

	expect(getchar() == EOF, "stdin reads as EOF");
	expect(read(0, &c, 1) == 0, "read(0) returns 0");
	expect(isatty(1) && !isatty(0), "stdout is a tty, stdin is not");
	expect(fstat(1, &st) == 0 && S_ISCHR(st.st_mode), "fstat(1) is a character device");
	expect(write(7, "x", 1) == -1 && errno == EBADF, "write to fd 7 is EBADF");
	expect(lseek(1, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on the console is ESPIPE");
}

static void check_identity(void)
{
	struct utsname u;

	expect(uname(&u) == 0 && strcmp(u.sysname, "hako") == 0, "uname sysname is hako");
	expect(strcmp(u.nodename, hako_start_info()->name) == 0, "nodename is the container name");
	expect(getpid() == 1 && getuid() == 0 && getgid() == 0, "pid 1, uid/gid 0");
}

static void check_random(void)
{
	unsigned char a[64], b[64], zero[64] = { 0 };

	expect(getrandom(a, sizeof a, 0) == sizeof a, "getrandom fills 64 bytes");
	expect(getrandom(b, sizeof b, 0) == sizeof b, "getrandom again");
	expect(memcmp(a, b, sizeof a) != 0 && memcmp(a, zero, sizeof a) != 0, "random bytes differ");
}

static void check_mmap(void)
{
	size_t len = 5 * 4096;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect(p != MAP_FAILED, "mmap 5 pages");
	if (p == MAP_FAILED)
		return;
	memset(p, 0xee, len);
	expect(munmap(p, len) == 0, "munmap");
	unsigned char *q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect(q == p, "first fit hands the same pages back");
	for (size_t i = 0; i < len; i++)
		if (q[i]) {
			expect(0, "reused pages read as zero");
			break;
		}
	memset(q, 0x11, len);
	unsigned char *r = mremap(q, len, 64 * 4096, MREMAP_MAYMOVE);
	expect(r != MAP_FAILED && r[0] == 0x11 && r[len - 1] == 0x11 && r[len] == 0, "mremap grows and keeps");
	expect(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED,
	       "executable mmap refused");
	expect(mmap(NULL, (size_t)1 << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	       errno == ENOMEM, "huge mmap is ENOMEM");
	if (r != MAP_FAILED)
		munmap(r, 64 * 4096);
}

int main(void)
{
	check_files();
	check_identity();
	check_random();
	check_mmap();
	if (failures)
		return 1;
	printf("libos_basics ok\n");
	return 0;
}
