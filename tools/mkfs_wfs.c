/* SPDX-License-Identifier: ISC */
/* mkfs_wfs: `hako mkfs --writable` (an empty or pre-filled wfs volume) and `hako fsck` (its checker). */
#include "mkfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wfs.h"

static const char *prog;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* --- the device: an image file --------------------------------------------------------------- */

static long file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return pread(*(int *)ctx, buf, len, (off_t)off) == (ssize_t)len ? (long)len : -EIO;
}

static long file_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return pwrite(*(int *)ctx, buf, len, (off_t)off) == (ssize_t)len ? (long)len : -EIO;
}

static long file_flush(void *ctx)
{
	return fdatasync(*(int *)ctx) ? -EIO : 0;
}

static void file_io(struct wfs_io *io, int *fd, uint64_t size)
{
	*io = (struct wfs_io){ .ctx = fd, .size = size, .read = file_read, .write = file_write,
			       .flush = file_flush };
}

/* --- mkfs --writable ------------------------------------------------------------------------------ */

static int copy_file(struct wfs *fs, uint32_t ino, const char *path, int64_t mtime)
{
	static char buf[1 << 16];
	uint64_t off = 0;
	int in = open(path, O_RDONLY | O_NOCTTY);
	ssize_t got;

	if (in < 0)
		return fail("cannot open '%s': %s", path, strerror(errno));
	while ((got = read(in, buf, sizeof buf)) > 0) {
		long r = wfs_write(fs, ino, off, buf, (size_t)got, mtime, 0);
		if (r != got) {
			close(in);
			return fail("'%s': %s", path, strerror(r < 0 ? (int)-r : ENOSPC));
		}
		off += (uint64_t)got;
	}
	close(in);
	return got < 0 ? fail("cannot read '%s': %s", path, strerror(errno)) : 0;
}

static int copy_tree(struct wfs *fs, uint32_t dir, const char *path, int64_t force_mtime, int depth)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return fail("cannot open directory '%s': %s", path, strerror(errno));
	while (!rc && (e = readdir(d))) {
		char sub[4096];
		struct stat st;
		uint32_t ino;
		int r;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub || depth > 200)
			rc = fail("'%s/%s': path too long", path, e->d_name);
		else if (lstat(sub, &st))
			rc = fail("cannot stat '%s': %s", sub, strerror(errno));
		else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			fprintf(stderr, "%s: warning: skipping '%s': not a regular file or directory\n", prog, sub);
		else if ((r = wfs_create(fs, dir, e->d_name, strlen(e->d_name),
					 S_ISDIR(st.st_mode) ? WFS_DIR : WFS_FILE, st.st_mode & 07777,
					 force_mtime >= 0 ? force_mtime : st.st_mtim.tv_sec, 0, &ino)))
			rc = fail("'%s': %s", sub, strerror(-r));
		else
			rc = S_ISDIR(st.st_mode) ? copy_tree(fs, ino, sub, force_mtime, depth + 1)
						 : copy_file(fs, ino, sub, force_mtime >= 0 ? force_mtime : st.st_mtim.tv_sec);
	}
	closedir(d);
	return rc;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': case 'k': v <<= 10, end++; break;
	case 'M': case 'm': v <<= 20, end++; break;
	case 'G': case 'g': v <<= 30, end++; break;
	}
	if (*end || v < 2 * WFS_BLOCK || v > (uint64_t)WFS_BLOCKS_MAX * WFS_BLOCK)
		return -1;
	*out = v / WFS_BLOCK * WFS_BLOCK;
	return 0;
}

static int build(const char *dir, const char *image, uint64_t size, int64_t mtime)
{
	char tmp[4096];
	struct wfs_io io;
	struct wfs *fs;
	const char *why;
	int fd, rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", image) >= (int)sizeof tmp)
		return fail("'%s': path too long", image);
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0)
		return fail("cannot create '%s': %s", tmp, strerror(errno));
	file_io(&io, &fd, size);
	if (ftruncate(fd, (off_t)size) || wfs_format(&io, mtime >= 0 ? mtime : time(NULL), &why)) {
		fail("cannot write '%s': %s", tmp, errno ? strerror(errno) : why);
	} else if (!(fs = wfs_mount(&io, &why))) {
		fail("internal error: the new volume does not mount: %s", why);
	} else {
		rc = dir ? copy_tree(fs, 0, dir, mtime, 0) : 0;
		if (!rc && (rc = wfs_sync(fs)))
			fail("'%s': %s", image, rc == -ENOSPC ? "volume too small for the metadata" : strerror(-rc));
		wfs_unmount(fs);
	}
	if (close(fd) || rc || rename(tmp, image)) {
		if (!rc)
			fail("cannot create '%s': %s", image, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int mkfs_wfs_main(int argc, char **argv)
{
	uint64_t size = 64u << 20;
	int64_t mtime = -1;
	int i = 2;

	prog = argv[0];
	for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]; i += 2) {
		if (!strcmp(argv[i], "--size") && !parse_size(argv[i + 1], &size))
			continue;
		if (!strcmp(argv[i], "--mtime")) {
			char *end;
			errno = 0;
			mtime = strtoll(argv[i + 1], &end, 10);
			if (!errno && end != argv[i + 1] && !*end && mtime >= 0)
				continue;
		}
		return fail("bad option '%s %s'", argv[i], argv[i + 1]), 2;
	}
	if (argc - i < 1 || argc - i > 2 || argv[i][0] == '-')
		return fprintf(stderr, "usage: %s --writable [--size SIZE] [--mtime SECONDS] [DIR] IMAGE\n"
			       "  builds a writable wfs volume of SIZE (default 64M; K, M, G), empty or with\n"
			       "  DIR's regular files and directories\n", prog), 2;
	return build(argc - i == 2 ? argv[i] : NULL, argv[argc - 1], size, mtime) ? 1 : 0;
}

/* --- fsck ---------------------------------------------------------------------------------------- */

struct counts {
	uint64_t dirs, files, bytes;
};

static int walk(struct wfs *fs, uint32_t dir, struct counts *c, int depth)
{
	static char buf[1 << 16];
	struct wfs_entry e;

	for (uint64_t i = 0; wfs_dir_entry(fs, dir, i, &e) == 1; i++) {
		struct wfs_stat st;
		uint32_t ino = e.ino;
		wfs_stat(fs, ino, &st);
		if (st.type == WFS_DIR) {
			c->dirs++;
			if (depth > 10000 || walk(fs, ino, c, depth + 1))
				return -1;
			continue;
		}
		c->files++, c->bytes += st.size;
		for (uint64_t off = 0; off < st.size; off += sizeof buf)
			if (wfs_read(fs, ino, off, buf, sizeof buf) < 0)
				return fail("read error in a file");
	}
	return 0;
}

/* Prints the file at path (from the root) to stdout. */
static int cat(struct wfs *fs, const char *path)
{
	static char buf[1 << 16];
	uint32_t ino = 0;
	long n;

	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");
		if (len && wfs_lookup(fs, ino, p, len, &ino))
			return fail("'%s': no such file", path);
		p += len + (p[len] == '/');
	}
	for (uint64_t off = 0; (n = wfs_read(fs, ino, off, buf, sizeof buf)) > 0; off += (uint64_t)n)
		fwrite(buf, 1, (size_t)n, stdout);
	return n < 0 ? fail("'%s': %s", path, strerror((int)-n)) : 0;
}

int fsck_main(int argc, char **argv)
{
	const char *catpath = NULL, *image, *why;
	struct counts c = { 1, 0, 0 };
	struct wfs_io io;
	struct wfs *fs;
	struct stat st;
	int fd, rc;

	prog = argv[0];
	if (argc == 4 && !strcmp(argv[1], "--cat"))
		catpath = argv[2];
	else if (argc != 2 || argv[1][0] == '-')
		return fprintf(stderr, "usage: %s [--cat PATH] IMAGE\n"
			       "  checks a writable wfs volume (every structure, every file read)\n", prog), 2;
	image = argv[argc - 1];
	if ((fd = open(image, O_RDONLY)) < 0 || fstat(fd, &st))
		return fail("cannot open '%s': %s", image, strerror(errno)), 1;
	file_io(&io, &fd, (uint64_t)st.st_size);
	if (!(fs = wfs_mount(&io, &why)))
		return fail("'%s': refused: %s", image, why), 1;
	rc = catpath ? cat(fs, catpath) : walk(fs, 0, &c, 0);
	if (!rc && !catpath)
		printf("%s: clean, generation %llu, %llu directories, %llu files, %llu bytes\n", image,
		       (unsigned long long)wfs_generation(fs), (unsigned long long)c.dirs,
		       (unsigned long long)c.files, (unsigned long long)c.bytes);
	wfs_unmount(fs);
	close(fd);
	return rc ? 1 : 0;
}
