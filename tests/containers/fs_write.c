/* SPDX-License-Identifier: ISC */
/* fs_write: a writable volume: every writing call, its errors, and (after a restart) what persisted. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIG 300000 /* bytes of /big: several extents' worth */

static int failures;

static void fail(const char *what, long got, int err)
{
	printf("fs_write FAILED: %s = %ld (errno %d %s)\n", what, got, err, strerror(err));
	failures++;
}

static void expect_err(long r, int want, const char *what)
{
	int err = errno;

	if (r != -1 || err != want)
		return fail(what, r, err);
	printf("ok: %s: %s\n", what, strerror(want));
}

static long expect_ok(long r, const char *what)
{
	if (r < 0)
		fail(what, r, errno);
	return r;
}

/* The whole file at path must be want (len bytes). */
static void expect_file(const char *path, const void *want, size_t len)
{
	static char buf[BIG + 1];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof buf);

	if (fd < 0 || n != (long)len || memcmp(buf, want, len))
		fail(path, n, errno);
	if (fd >= 0)
		close(fd);
}

static char pattern(size_t i)
{
	return (char)('a' + (i * 7 + i / 4096) % 26);
}

static void expect_listing(const char *dir, const char *want)
{
	char got[256] = "";
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return fail("opendir", -1, errno);
	while ((e = readdir(d)) && strlen(got) + strlen(e->d_name) + 2 < sizeof got) {
		if (*got)
			strcat(got, " ");
		strcat(got, e->d_name);
	}
	closedir(d);
	if (strcmp(got, want))
		printf("fs_write FAILED: ls %s: '%s', want '%s'\n", dir, got, want), failures++;
}

static void names_and_errors(void)
{
	int fd;

	expect_ok(mkdir("/d", 0755), "mkdir /d");
	expect_err(mkdir("/d", 0755), EEXIST, "mkdir twice");
	expect_err(mkdir("/nope/x", 0755), ENOENT, "mkdir in a missing directory");
	expect_ok(fd = open("/d/a", O_CREAT | O_EXCL | O_RDWR, 0644), "create /d/a");
	expect_err(open("/d/a", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST, "O_EXCL on an existing file");
	expect_err(open("/d/a/x", O_CREAT | O_RDWR, 0644), ENOTDIR, "create under a file");
	expect_err(open("/d", O_RDWR), EISDIR, "open a directory for writing");
	expect_err(rmdir("/d"), ENOTEMPTY, "rmdir a non-empty directory");
	expect_err(unlink("/d"), EISDIR, "unlink a directory");
	expect_err(rmdir("/d/a"), ENOTDIR, "rmdir a file");
	expect_err(rename("/d", "/d/inside"), EINVAL, "rename a directory into itself");
	expect_err(write(open("/d/a", O_RDONLY), "x", 1), EBADF, "write to a read-only descriptor");
	expect_ok(write(fd, "hello world\n", 12), "write");
	expect_ok(pwrite(fd, "tail", 4, 100000), "pwrite past the end");
	char buf[8] = { 1 };
	if (pread(fd, buf, 4, 50000) != 4 || memcmp(buf, "\0\0\0\0", 4))
		fail("a hole reads as zeros", 0, errno);
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat");
	if (st.st_size != 100004 || !S_ISREG(st.st_mode) || st.st_mtime < 1700000000)
		fail("fstat size and mtime", (long)st.st_size, 0);
	if (st.st_blocks != 16) /* two 4 KiB blocks held: bytes 0..11 and 100000..100003 */
		fail("fstat st_blocks", (long)st.st_blocks, 0);
	expect_ok(fchown(fd, 0, 0), "fchown to root");
	expect_err(fchown(fd, 1000, 1000), EPERM, "fchown to another user");
	expect_ok(ftruncate(fd, 5), "ftruncate");
	expect_ok(fsync(fd), "fsync");
	expect_ok(fdatasync(fd), "fdatasync");
	close(fd);
	expect_file("/d/a", "hello", 5);
}

static void append_and_rename(void)
{
	int fd = expect_ok(open("/log", O_CREAT | O_WRONLY | O_APPEND, 0600), "open O_APPEND");

	expect_ok(write(fd, "one\n", 4), "append one");
	lseek(fd, 0, SEEK_SET);
	expect_ok(write(fd, "two\n", 4), "append two (after a seek to 0)");
	close(fd);
	expect_file("/log", "one\ntwo\n", 8);
	fd = open("/c", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	expect_ok(write(fd, "old", 3), "write /c");
	close(fd);
	expect_ok(rename("/d/a", "/d/b"), "rename in a directory");
	expect_ok(rename("/d/b", "/c"), "rename over an existing file");
	expect_file("/c", "hello", 5);
	expect_err(open("/d/b", O_RDONLY), ENOENT, "the old name is gone");
	/* Removed while open: still readable through the descriptor. */
	fd = open("/gone", O_CREAT | O_RDWR, 0644);
	write(fd, "ghost", 5);
	expect_ok(unlink("/gone"), "unlink an open file");
	char buf[8] = { 0 };
	if (pread(fd, buf, 5, 0) != 5 || strcmp(buf, "ghost"))
		fail("read an unlinked open file", 0, errno);
	close(fd);
	expect_ok(truncate("/log", 8), "truncate by path");
}

static void big_file(void)
{
	static char buf[BIG];
	int fd = open("/big", O_CREAT | O_RDWR | O_TRUNC, 0644);

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = pattern(i);
	for (size_t at = 0; at < sizeof buf; at += 10000)
		expect_ok(write(fd, buf + at, 10000), "write /big");
	expect_ok(fsync(fd), "fsync /big");
	close(fd);
}

static void locks_and_devices(void)
{
	int fd = open("/c", O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1 };
	char z[16] = { 1 }, r[16] = { 0 };

	expect_ok(fcntl(fd, F_SETLK, &fl), "F_SETLK");
	expect_ok(fcntl(fd, F_SETLKW, &fl), "F_SETLKW");
	expect_ok(fcntl(fd, F_OFD_SETLK, &fl), "F_OFD_SETLK");
	fl.l_type = F_RDLCK;
	expect_ok(fcntl(fd, F_GETLK, &fl), "F_GETLK");
	if (fl.l_type != F_UNLCK)
		fail("F_GETLK sees no other lock", fl.l_type, 0);
	fl.l_type = 99;
	expect_err(fcntl(fd, F_SETLK, &fl), EINVAL, "F_SETLK with a bad type");
	close(fd);
	fd = open("/dev/null", O_RDWR);
	if (write(fd, "x", 1) != 1 || read(fd, r, 1) != 0)
		fail("/dev/null", fd, errno);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	if (read(fd, z, sizeof z) != sizeof z || memcmp(z, r, sizeof z))
		fail("/dev/zero", fd, errno);
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	if (read(fd, r, sizeof r) != sizeof r || !memcmp(z, r, sizeof r))
		fail("/dev/urandom", fd, errno);
	close(fd);
}

/* /m: a shared mapping's changes reach the file at msync; a private one's never do. */
static void mappings(void)
{
	static char buf[8192];
	int fd = open("/m", O_CREAT | O_RDWR, 0644);
	char *p, *q;

	memset(buf, 'x', sizeof buf);
	expect_ok(write(fd, buf, sizeof buf), "write /m");
	p = mmap(NULL, sizeof buf, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, sizeof buf, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || q == MAP_FAILED || p[100] != 'x' || q[8191] != 'x')
		return fail("mmap /m", (long)(p == MAP_FAILED), errno);
	memcpy(p + 4096, "shared", 6);
	memcpy(q, "private", 7);
	expect_ok(msync(p, sizeof buf, MS_SYNC), "msync");
	expect_ok(munmap(p, sizeof buf), "munmap shared");
	expect_ok(munmap(q, sizeof buf), "munmap private");
	memcpy(buf + 4096, "shared", 6);
	expect_file("/m", buf, sizeof buf);
	expect_err((long)mmap(NULL, 4096, PROT_READ, MAP_SHARED, 1, 0), ENODEV, "mmap the console");
	expect_err((long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, open("/m", O_RDONLY), 0),
		   EACCES, "a writable shared mapping of a read-only descriptor");
	close(fd);
}

/* After a restart on the same volume: everything above, as it was left. */
static void check(void)
{
	static char buf[BIG];
	struct stat st;

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = pattern(i);
	expect_file("/c", "hello", 5);
	expect_file("/log", "one\ntwo\n", 8);
	expect_file("/big", buf, sizeof buf);
	expect_listing("/", ". .. big c d log m");
	memset(buf, 'x', 8192);
	memcpy(buf + 4096, "shared", 6);
	expect_file("/m", buf, 8192);
	expect_listing("/d", ". ..");
	if (stat("/c", &st) || st.st_mtime < 1700000000 || st.st_size != 5)
		fail("stat /c after the restart", (long)st.st_size, errno);
	expect_ok(rmdir("/d"), "rmdir the empty directory");
	expect_err(open("/d", O_RDONLY), ENOENT, "rmdir took it");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "write";

	if (!strcmp(mode, "write")) {
		names_and_errors();
		append_and_rename();
		big_file();
		locks_and_devices();
		mappings();
	} else if (!strcmp(mode, "check")) {
		check();
	} else if (!strcmp(mode, "ro")) {
		expect_file("/c", "hello", 5);
		expect_err(open("/new", O_CREAT | O_WRONLY, 0644), EROFS, "create on a read-only device");
		expect_err(mkdir("/x", 0755), EROFS, "mkdir on a read-only device");
	}
	printf("fs_write %s %s\n", mode, failures ? "FAILED" : "ok");
	return failures != 0;
}
