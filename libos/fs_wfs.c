/* SPDX-License-Identifier: ISC */
/* fs_wfs.c: a writable wfs volume on the block device: mount, paths, and the Linux calls on paths. */
#include "fs_wfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fd.h"
#include "fs.h"
#include "libos.h"

struct wfs *wfs_vol;
int wfs_readonly;
static uint32_t cwd; /* the working directory; the root is 0 */

#define RENAME_NOREPLACE 1 /* Linux <linux/fs.h>; musl 1.2.3 does not declare it */

/* --- mount -------------------------------------------------------------------------------- */

static long dev_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return hako_block_read(off, buf, len) == (long)len ? (long)len : -EIO;
}

static long dev_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return hako_block_write(off, buf, len) == (long)len ? (long)len : -EIO;
}

static long dev_flush(void *ctx)
{
	return hako_block_flush() ? -EIO : 0;
}

static struct wfs_io dev_io = { .read = dev_read, .write = dev_write, .flush = dev_flush };

static void say(const char *why)
{
	char line[160];
	int n = snprintf(line, sizeof line, "hako-libos: block device: wfs volume refused: %s\n", why);

	hako_console(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* Mounted from a constructor: the engine needs malloc, which needs musl's start (auxv) done. */
static int mount_pending;

__attribute__((constructor)) static void wfs_mount_now(void)
{
	static uint8_t sectors[2 * WFS_SECTOR];
	const char *why;
	long w;

	if (!mount_pending)
		return;
	mount_pending = 0;
	if (!(wfs_vol = wfs_mount(&dev_io, &why)))
		return say(why);
	/* The same bytes back: harmless, and tells whether the device takes writes (-v IMAGE:ro). */
	if (hako_block_read(0, sectors, sizeof sectors) != sizeof sectors)
		return say("read error on the superblocks");
	w = hako_block_write(0, sectors, sizeof sectors);
	wfs_readonly = w == -HAKO_EPERM;
	if (w != sizeof sectors && !wfs_readonly)
		say("write error on the superblocks");
}

int fs_wfs_init(const struct hako_start_info *info)
{
	static uint8_t sectors[2 * WFS_SECTOR];

	if (info->block_capacity < 2 * WFS_BLOCK ||
	    hako_block_read(0, sectors, sizeof sectors) != sizeof sectors || !wfs_probe(sectors, sizeof sectors))
		return 0;
	dev_io.size = info->block_capacity;
	mount_pending = 1;
	return 1;
}

void wfs_now(int64_t *sec, uint32_t *nsec)
{
	struct timespec ts = { 0 };

	libos_clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec, *nsec = (uint32_t)ts.tv_nsec;
}

/* --- paths ------------------------------------------------------------------------------------ */

/* Where a path leads: its last name in dir, and the inode if that exists. */
struct wpath {
	uint32_t dir;
	const char *name; /* the last component; NULL for "/", ".", "..": no name to create */
	size_t len;
	int slash;        /* a trailing slash: the last component must be a directory */
};

static uint32_t parent_of(uint32_t dir)
{
	struct wfs_stat st;

	return wfs_stat(wfs_vol, dir, &st) ? 0 : st.parent; /* the root is its own parent */
}

/*
 * Walks path from dirfd: 0 and *ino if it exists, 1 with p filled if only
 * its last name is missing, or -errno.
 */
static long walk(long dirfd, const char *path, struct wpath *p, uint32_t *ino)
{
	uint32_t cur = cwd;
	size_t i = 0, n = strnlen(path, PATH_MAX);
	struct wfs_stat st;

	if (n == PATH_MAX)
		return -ENAMETOOLONG;
	if (n == 0)
		return -ENOENT;
	if (path[0] == '/') {
		cur = 0;
	} else if (dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);
		struct wfs_file *wf = wfs_file_of(f);
		if (!f)
			return -EBADF;
		if (!wf || wfs_stat(wfs_vol, wf->ino, &st) || st.type != WFS_DIR)
			return -ENOTDIR;
		cur = wf->ino;
	}
	*p = (struct wpath){ .dir = cur };
	*ino = cur;
	for (;;) {
		size_t c = 0;
		while (path[i] == '/')
			i++;
		if (!path[i])
			return 0;
		while (path[i + c] && path[i + c] != '/')
			c++;
		if (wfs_stat(wfs_vol, *ino, &st) || st.type != WFS_DIR)
			return -ENOTDIR;
		p->dir = *ino, p->name = path + i, p->len = c, p->slash = path[i + c] == '/';
		if (c == 1 && path[i] == '.') {
			p->name = NULL;
		} else if (c == 2 && path[i] == '.' && path[i + 1] == '.') {
			*ino = parent_of(*ino), p->name = NULL;
		} else {
			long r = wfs_lookup(wfs_vol, *ino, path + i, c, ino);
			i += c;
			while (path[i] == '/')
				i++;
			if (r == -ENOENT && !path[i])
				return 1; /* only the last name is missing */
			if (r)
				return r;
			continue;
		}
		i += c;
	}
}

/* As walk(), for calls that need the inode to exist; a trailing slash needs a directory. */
static long resolve(long dirfd, const char *path, uint32_t *ino)
{
	struct wpath p;
	struct wfs_stat st;
	long r;

	if (libos_user_ok(path, 1))
		return -EFAULT;
	if ((r = walk(dirfd, path, &p, ino)))
		return r == 1 ? -ENOENT : r;
	wfs_stat(wfs_vol, *ino, &st);
	return p.slash && st.type != WFS_DIR ? -ENOTDIR : 0;
}

/* For calls that change a name: its directory and name, and the inode if it exists. */
static long resolve_name(long dirfd, const char *path, struct wpath *p, uint32_t *ino, int *exists)
{
	long r;

	if (libos_user_ok(path, 1))
		return -EFAULT;
	r = walk(dirfd, path, p, ino);
	if (r < 0)
		return r;
	*exists = r == 0;
	if (!p->name)
		return *exists ? -EEXIST : -ENOENT; /* "/", "." or "..": a name that cannot change */
	if (wfs_readonly)
		return -EROFS;
	return 0;
}

/* --- calls on paths ------------------------------------------------------------------------------ */

long wfs_sys_openat(long dirfd, const char *path, long flags, long mode)
{
	struct wpath p;
	struct wfs_stat st;
	uint32_t ino;
	long r;

	if (libos_user_ok(path, 1))
		return -EFAULT;
	r = walk(dirfd, path, &p, &ino);
	if (r == 1 && (flags & O_CREAT)) {
		int64_t sec;
		uint32_t nsec;
		if (wfs_readonly)
			return -EROFS;
		if (p.slash)
			return -EISDIR;
		wfs_now(&sec, &nsec);
		if ((r = wfs_create(wfs_vol, p.dir, p.name, p.len, WFS_FILE, (unsigned)mode & 07777, sec,
				    nsec, &ino)))
			return r;
		return wfs_open_ino(ino, flags & ~(long)O_TRUNC);
	}
	if (r)
		return r == 1 ? -ENOENT : r;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	wfs_stat(wfs_vol, ino, &st);
	if (st.type != WFS_DIR && ((flags & O_DIRECTORY) || p.slash))
		return -ENOTDIR;
	if (st.type == WFS_DIR && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if (wfs_readonly && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	return wfs_open_ino(ino, flags);
}

long wfs_sys_newfstatat(long dirfd, const char *path, struct stat *st, long flags)
{
	uint32_t ino;
	long r = resolve(dirfd, path, &ino);

	if (r)
		return r;
	fill_wfs_stat(ino, st);
	return 0;
}

long wfs_sys_faccessat(long dirfd, const char *path, long amode)
{
	struct wfs_stat st;
	uint32_t ino;
	long r = resolve(dirfd, path, &ino);

	if (r)
		return r;
	wfs_stat(wfs_vol, ino, &st);
	if ((amode & W_OK) && wfs_readonly)
		return -EROFS;
	if ((amode & X_OK) && st.type != WFS_DIR && !(st.mode & 0111))
		return -EACCES;
	return 0;
}

long wfs_sys_readlinkat(long dirfd, const char *path)
{
	uint32_t ino;
	long r = resolve(dirfd, path, &ino);

	return r ? r : -EINVAL; /* nothing is a symbolic link */
}

long wfs_sys_chdir(const char *path)
{
	struct wfs_stat st;
	uint32_t ino;
	long r = resolve(AT_FDCWD, path, &ino);

	if (r)
		return r;
	wfs_stat(wfs_vol, ino, &st);
	if (st.type != WFS_DIR)
		return -ENOTDIR;
	cwd = ino;
	return 0;
}

long wfs_sys_fchdir(long fd)
{
	struct file *f = fd_get(fd);
	struct wfs_file *wf = wfs_file_of(f);
	struct wfs_stat st;

	if (!f)
		return -EBADF;
	if (!wf || wfs_stat(wfs_vol, wf->ino, &st) || st.type != WFS_DIR)
		return -ENOTDIR;
	cwd = wf->ino;
	return 0;
}

/* Built from the end; a removed working directory answers ENOENT, as Linux does. */
long wfs_sys_getcwd(char *buf, size_t size)
{
	char path[PATH_MAX];
	size_t at = sizeof path - 1, len;
	struct wfs_entry e;
	uint32_t dir = cwd;
	int r;

	path[at] = '\0';
	for (uint32_t steps = 0; (r = wfs_name_of(wfs_vol, dir, &e)) == 1; steps++) {
		if (at < (size_t)e.name_len + 1 || steps > PATH_MAX / 2)
			return -ENAMETOOLONG;
		at -= e.name_len;
		memcpy(path + at, e.name, e.name_len);
		path[--at] = '/';
		dir = parent_of(dir);
	}
	if (r < 0 || dir != 0)
		return -ENOENT;
	if (at == sizeof path - 1)
		path[--at] = '/';
	len = sizeof path - at;
	if (libos_user_ok(buf, size))
		return -EFAULT;
	if (size < len)
		return -ERANGE;
	memcpy(buf, path + at, len);
	return (long)len;
}

long fs_sys_mkdirat(long dirfd, const char *path, long mode)
{
	int64_t sec;
	uint32_t nsec, ino;
	struct wpath p;
	int exists;
	long r;

	if (!wfs_vol)
		return -EROFS;
	if ((r = resolve_name(dirfd, path, &p, &ino, &exists)))
		return r;
	if (exists)
		return -EEXIST;
	wfs_now(&sec, &nsec);
	return wfs_create(wfs_vol, p.dir, p.name, p.len, WFS_DIR, (unsigned)mode & 07777, sec, nsec, &ino);
}

long fs_sys_unlinkat(long dirfd, const char *path, long flags)
{
	struct wpath p;
	uint32_t ino;
	int exists;
	long r;

	if (flags & ~(long)AT_REMOVEDIR)
		return -EINVAL;
	if (!wfs_vol)
		return -EROFS;
	r = resolve_name(dirfd, path, &p, &ino, &exists);
	if (r == -EEXIST) /* "/", "." or "..": as Linux answers */
		return !(flags & AT_REMOVEDIR) ? -EISDIR : p.len == 1 ? -EINVAL : -EBUSY;
	if (r)
		return r;
	if (!exists)
		return -ENOENT;
	if (p.slash && !(flags & AT_REMOVEDIR))
		return -ENOTDIR;
	return wfs_remove(wfs_vol, p.dir, p.name, p.len, !!(flags & AT_REMOVEDIR));
}

long fs_sys_renameat2(long odirfd, const char *opath, long ndirfd, const char *npath, long flags)
{
	struct wpath op, np;
	uint32_t oino, nino;
	int oexists, nexists;
	long r;

	if (flags & ~(long)RENAME_NOREPLACE)
		return -EINVAL; /* RENAME_EXCHANGE and RENAME_WHITEOUT: not here */
	if (!wfs_vol)
		return -EROFS;
	if ((r = resolve_name(odirfd, opath, &op, &oino, &oexists)))
		return r == -EEXIST ? -EBUSY : r;
	if (!oexists)
		return -ENOENT;
	if ((r = resolve_name(ndirfd, npath, &np, &nino, &nexists)))
		return r == -EEXIST ? -EBUSY : r;
	if (nexists && (flags & RENAME_NOREPLACE) && nino != oino)
		return -EEXIST;
	return wfs_rename(wfs_vol, op.dir, op.name, op.len, np.dir, np.name, np.len);
}

long fs_sys_truncate(const char *path, long len)
{
	struct wfs_stat st;
	int64_t sec;
	uint32_t nsec, ino;
	long r;

	if (!wfs_vol)
		return -EROFS;
	if ((r = resolve(AT_FDCWD, path, &ino)))
		return r;
	wfs_stat(wfs_vol, ino, &st);
	if (st.type == WFS_DIR)
		return -EISDIR;
	if (len < 0)
		return -EINVAL;
	if (wfs_readonly)
		return -EROFS;
	wfs_now(&sec, &nsec);
	return wfs_truncate(wfs_vol, ino, (uint64_t)len, sec, nsec);
}

long fs_sys_fchmodat(long dirfd, const char *path, long mode)
{
	uint32_t ino;
	long r;

	if (!wfs_vol)
		return -EROFS;
	if ((r = resolve(dirfd, path, &ino)))
		return r;
	return wfs_readonly ? -EROFS : wfs_set_attr(wfs_vol, ino, (int)(mode & 07777), -1, 0);
}

/*
 * One user, root: an owner change to root (or -1, "unchanged") succeeds and
 * any other is EPERM, as for a file system without owners. path NULL: fd's file.
 */
long fs_sys_chown(long dirfd, const char *path, long uid, long gid)
{
	uint32_t ino;
	long r;

	if (!wfs_vol)
		return -EROFS;
	if (path && (r = resolve(dirfd, path, &ino)))
		return r;
	if (!path && !wfs_file_of(fd_get(dirfd)))
		return fd_get(dirfd) ? -EROFS : -EBADF;
	if (wfs_readonly)
		return -EROFS;
	return ((int)uid == 0 || (int)uid == -1) && ((int)gid == 0 || (int)gid == -1) ? 0 : -EPERM;
}

/* utimensat: the modification time is kept (to the nanosecond); the access time is not. */
long fs_sys_utimensat(long dirfd, const char *path, const struct timespec *times, long flags)
{
	int64_t sec;
	uint32_t nsec, ino;
	long r;

	if (!wfs_vol)
		return -EROFS;
	if (times && libos_user_ok(times, 2 * sizeof *times))
		return -EFAULT;
	if (path) {
		if ((r = resolve(dirfd, path, &ino)))
			return r;
	} else {
		struct wfs_file *wf = wfs_file_of(fd_get(dirfd));
		if (!wf)
			return fd_get(dirfd) ? -EINVAL : -EBADF;
		ino = wf->ino;
	}
	wfs_now(&sec, &nsec);
	if (times && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (times && times[1].tv_nsec != UTIME_NOW) {
		if (times[1].tv_nsec < 0 || times[1].tv_nsec >= 1000000000 || times[1].tv_sec < 0)
			return -EINVAL;
		sec = times[1].tv_sec, nsec = (uint32_t)times[1].tv_nsec;
	}
	return wfs_readonly ? -EROFS : wfs_set_attr(wfs_vol, ino, -1, sec, nsec);
}
