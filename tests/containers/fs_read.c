/* SPDX-License-Identifier: ISC */
/* fs_read: files of an hfs image: read three ways, stat, readdir, every error, no escape from the root. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MTIME 1700000000 /* tests.mk builds the image with --mtime 1700000000 */

static int failures;

static void fail(const char *what, long got, int err)
{
	printf("fs_read FAILED: %s = %ld (errno %d %s)\n", what, got, err, strerror(err));
	failures++;
}

/* r must be -1 with errno want. */
static void expect_err(long r, int want, const char *what)
{
	int err = errno;

	if (r != -1 || err != want)
		return fail(what, r, err);
	printf("ok: %s: %s\n", what, strerror(want));
}

static void expect_ok(long r, const char *what)
{
	if (r < 0)
		fail(what, r, errno);
}

/* POSIX cksum: CRC-32 (MSB first) over the bytes, then over the length. */
struct sum {
	uint32_t crc;
	uint64_t len;
};

static void sum_add(struct sum *s, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < n; i++) {
		s->crc ^= (uint32_t)p[i] << 24;
		for (int k = 0; k < 8; k++)
			s->crc = s->crc & 0x80000000u ? (s->crc << 1) ^ 0x04c11db7u : s->crc << 1;
	}
	s->len += n;
}

static uint32_t sum_end(struct sum s)
{
	uint64_t len = s.len;

	for (; len; len >>= 8) {
		uint8_t b = (uint8_t)len;
		uint64_t keep = s.len;
		sum_add(&s, &b, 1);
		s.len = keep;
	}
	return ~s.crc;
}

static char buf[70000];

/* The same file read with read(), stdio and pread() at odd offsets: all must agree. */
static void check_file(const char *path, const struct stat *st)
{
	struct sum a = { 0 }, b = { 0 }, c = { 0 };
	long n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail(path, fd, errno);
	while ((n = read(fd, buf, 4096)) > 0)
		sum_add(&a, buf, (size_t)n);
	expect_ok(n, "read");
	if (lseek(fd, 0, SEEK_END) != st->st_size)
		fail("lseek SEEK_END", lseek(fd, 0, SEEK_CUR), errno);
	/* pread: one byte, then runs of 1000 from offset 1 (never block-aligned). */
	if ((n = pread(fd, buf, 1, 0)) > 0)
		sum_add(&c, buf, 1);
	for (off_t off = 1; (n = pread(fd, buf, 1000, off)) > 0; off += n)
		sum_add(&c, buf, (size_t)n);
	expect_ok(n, "pread");
	close(fd);

	FILE *f = fopen(path, "r");
	if (!f)
		return fail("fopen", 0, errno);
	while ((n = (long)fread(buf, 1, 777, f)) > 0)
		sum_add(&b, buf, (size_t)n);
	fclose(f);

	if ((off_t)a.len != st->st_size || sum_end(a) != sum_end(b) || sum_end(a) != sum_end(c) ||
	    a.len != b.len || a.len != c.len)
		fail(path, (long)a.len, 0);
	if (st->st_mtime != MTIME)
		fail("st_mtime", (long)st->st_mtime, 0);
	printf("cksum %u %llu %s\n", sum_end(a), (unsigned long long)a.len, path);
}

/* Every file under dir, depth first, with readdir and stat. */
static void walk(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || depth > 8)
		return fail(dir, 0, errno);
	while ((e = readdir(d))) {
		char path[512];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (stat(path, &st))
			return fail(path, -1, errno);
		if ((e->d_type == DT_DIR) != !!S_ISDIR(st.st_mode) || e->d_ino != st.st_ino)
			fail("d_type/d_ino vs stat", e->d_type, 0);
		if (S_ISDIR(st.st_mode))
			walk(path, depth + 1);
		else
			check_file(path, &st);
	}
	closedir(d);
}

/* "ls -a /" in readdir order, twice (rewinddir). */
static void list_root(void)
{
	DIR *d = opendir("/");
	struct dirent *e;

	if (!d)
		return fail("opendir /", 0, errno);
	for (int pass = 0; pass < 2; pass++) {
		char line[256] = "";
		while ((e = readdir(d)))
			strcat(strcat(line, " "), e->d_name);
		printf("ls /:%s\n", line);
		rewinddir(d);
	}
	closedir(d);
}

static void check_errors(void)
{
	char small[8];
	int fd;

	expect_err(open("/nope", O_RDONLY), ENOENT, "open /nope");
	expect_err(open("/sub/nope/x", O_RDONLY), ENOENT, "open /sub/nope/x");
	expect_err(open("", O_RDONLY), ENOENT, "open empty path");
	expect_err(open("/hello.txt/x", O_RDONLY), ENOTDIR, "open /hello.txt/x");
	expect_err(open("/hello.txt/", O_RDONLY), ENOTDIR, "open /hello.txt/");
	expect_err(open("/hello.txt", O_RDONLY | O_DIRECTORY), ENOTDIR, "open file O_DIRECTORY");
	expect_err(open("/sub", O_WRONLY), EISDIR, "open dir O_WRONLY");
	expect_err(open("/hello.txt", O_WRONLY), EROFS, "open O_WRONLY");
	expect_err(open("/hello.txt", O_RDWR), EROFS, "open O_RDWR");
	expect_err(open("/hello.txt", O_RDONLY | O_TRUNC), EROFS, "open O_TRUNC");
	expect_err(open("/new.txt", O_WRONLY | O_CREAT, 0644), EROFS, "open O_CREAT");
	expect_err(open("/hello.txt", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST, "open O_EXCL");
	expect_err(mkdir("/newdir", 0755), EROFS, "mkdir");
	expect_err(unlink("/hello.txt"), EROFS, "unlink");
	expect_err(access("/hello.txt", W_OK), EROFS, "access W_OK");
	expect_err(access("/nope", F_OK), ENOENT, "access /nope");
	expect_ok(access("/hello.txt", R_OK), "access R_OK");
	expect_err(read(999, small, 1), EBADF, "read fd 999");
	expect_err(pread(1, small, 1, 0), ESPIPE, "pread stdout");
	expect_err(readlink("/hello.txt", small, sizeof small), EINVAL, "readlink of a file");

	if ((fd = open("/sub", O_RDONLY)) < 0)
		return fail("open /sub", fd, errno);
	expect_err(read(fd, small, 1), EISDIR, "read a directory");
	close(fd);
	if ((fd = open("/hello.txt", O_RDONLY)) < 0)
		return fail("open /hello.txt", fd, errno);
	expect_err(write(fd, "x", 1), EBADF, "write a read-only file");
	expect_err(lseek(fd, -1, SEEK_SET), EINVAL, "lseek to -1");
	expect_err(syscall(SYS_getdents64, fd, small, sizeof small), ENOTDIR, "getdents64 on a file");
	expect_err(openat(fd, "x", O_RDONLY), ENOTDIR, "openat on a file");
	close(fd);
	if ((fd = open("/", O_RDONLY | O_DIRECTORY)) < 0)
		return fail("open /", fd, errno);
	expect_err(syscall(SYS_getdents64, fd, small, sizeof small), EINVAL, "getdents64 tiny buffer");
	close(fd);
	expect_err(close(fd), EBADF, "close twice");
}

/* Same bytes as /hello.txt? */
static int is_hello(int fd, const char *what)
{
	char a[128] = "", b[128] = "";
	int h = open("/hello.txt", O_RDONLY);
	long na = read(fd, a, sizeof a), nb = read(h, b, sizeof b);

	close(h);
	close(fd);
	if (fd < 0 || na <= 0 || na != nb || memcmp(a, b, (size_t)na))
		return fail(what, fd, errno), 0;
	printf("ok: %s is /hello.txt\n", what);
	return 1;
}

static void check_root_jail(void)
{
	struct stat root, up;
	char cwd[256];
	int dir;

	if (stat("/", &root) || stat("/../../..", &up) || root.st_ino != up.st_ino)
		fail("stat /../../.. is not /", (long)up.st_ino, errno);
	else
		printf("ok: /../../.. is /\n");
	is_hello(open("/../../../hello.txt", O_RDONLY), "/../../../hello.txt");
	is_hello(open("//sub/./deeper/../..//hello.txt", O_RDONLY), "//sub/./deeper/../..//hello.txt");
	expect_ok(chdir("/sub/deeper"), "chdir /sub/deeper");
	printf("getcwd = %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
	expect_err(getcwd(cwd, 5) ? 0 : -1, ERANGE, "getcwd small buffer");
	is_hello(open("../../../../../hello.txt", O_RDONLY), "../../../../../hello.txt");
	expect_err(chdir("/hello.txt"), ENOTDIR, "chdir to a file");
	expect_ok(chdir(".."), "chdir ..");
	printf("getcwd = %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
	expect_ok(chdir("/"), "chdir /");
	if ((dir = open("/sub", O_RDONLY | O_DIRECTORY)) < 0)
		return fail("open /sub", dir, errno);
	is_hello(openat(dir, "../../hello.txt", O_RDONLY), "openat(/sub, ../../hello.txt)");
	struct stat st;
	expect_ok(fstatat(dir, "nested.txt", &st, 0), "fstatat(/sub, nested.txt)");
	expect_ok(fstat(dir, &st), "fstat /sub");
	if (!S_ISDIR(st.st_mode))
		fail("fstat /sub not a directory", st.st_mode, 0);
	close(dir);
}

static void check_stdio(void)
{
	char line[128] = "";
	FILE *f = fopen("/hello.txt", "r");

	if (!f || !fgets(line, sizeof line, f))
		return fail("fopen/fgets /hello.txt", 0, errno);
	fclose(f);
	printf("first line: %s", line);
	expect_err(fopen("/hello.txt", "w") ? 0 : -1, EROFS, "fopen w");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "read";
	char cwd[64];

	if (!strcmp(mode, "none")) { /* no image: no files, not an error */
		expect_err(open("/hello.txt", O_RDONLY), ENOENT, "open without an image");
		expect_err(opendir("/") ? 0 : -1, ENOENT, "opendir / without an image");
		printf("getcwd = %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
	} else {
		list_root();
		walk("/", 0);
		check_errors();
		check_root_jail();
		check_stdio();
	}
	if (failures)
		return printf("fs_read: %d FAILED\n", failures), 1;
	printf("fs_read %s ok\n", mode);
	return 0;
}
