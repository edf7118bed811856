/* SPDX-License-Identifier: ISC */
/* fs.c: files: the block device's read-only hfs image, mounted at start, behind the fd table. */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bcache.h"
#include "fd.h"
#include "fs_wfs.h"
#include "hfs.h"
#include "libos.h"

/* hfs hands its errors on as they are: they must be Linux's numbers. */
_Static_assert(HFS_ENOENT == ENOENT && HFS_ENOTDIR == ENOTDIR && HFS_EINVAL == EINVAL &&
	       HFS_ENAMETOOLONG == ENAMETOOLONG, "hfs error numbers are Linux's");
_Static_assert(BCACHE_BLOCK == HFS_BLOCK, "the cache holds hfs blocks");

#define FS_DEV 0x0801 /* st_dev of every file: "sda1", a plausible disk */

static struct hfs fs;
static int mounted;
static uint32_t cwd; /* inode of the working directory */

/* An open file or directory; pos is a byte offset, or a directory's entry cookie. */
struct fs_file {
	uint32_t ino;
	struct hfs_inode in;
	uint64_t pos;
};

static const struct file_ops fs_ops;

/* --- mount ------------------------------------------------------------------------- */

static void say(const char *what, const char *why)
{
	char line[160];
	int n = snprintf(line, sizeof line, "hako-libos: block device: %s: %s\n", what, why);

	hako_console(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* Reads the metadata into pages of its own; they are never freed once mounted. */
static void mount_meta(const struct hfs_super *sb, uint64_t capacity)
{
	const char *why;
	long p = libos_mmap(0, sb->meta_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p < 0)
		return say("no files", "no memory for the file system's metadata");
	if (bcache_read(0, (void *)p, sb->meta_size) < 0) {
		say("no files", "read error in the metadata");
	} else if (hfs_mount(&fs, (const void *)p, sb->meta_size, capacity, &why)) {
		say("hfs image refused", why);
	} else {
		mounted = 1;
		cwd = fs.sb.root;
		return;
	}
	libos_munmap((uint64_t)p, sb->meta_size);
}

void libos_fs_init(const struct hako_start_info *info)
{
	struct hfs_super sb;
	const uint8_t *b0;
	const char *why;

	if (!(info->flags & HAKO_INFO_BLOCK) || info->block_capacity < HFS_BLOCK)
		return;
	if (info->block_size != HFS_BLOCK)
		return say("no files", "block size is not 512");
	if (!(b0 = bcache_block(0)))
		return say("no files", "cannot read block 0");
	if (!hfs_probe(b0, HFS_BLOCK) && fs_wfs_init(info))
		return; /* a writable volume, mounted or refused */
	if (!hfs_probe(b0, HFS_BLOCK))
		return; /* a raw device, not a file system: no files, nothing to say */
	if (hfs_super_check(b0, HFS_BLOCK, info->block_capacity, &sb, &why))
		return say("hfs image refused", why);
	mount_meta(&sb, info->block_capacity);
}

/* --- paths --------------------------------------------------------------------------- */

static struct fs_file *fs_file_of(struct file *f)
{
	return f && f->ops == &fs_ops ? f->priv : NULL;
}

/* Resolves path against dirfd (AT_FDCWD: the working directory), as openat does. */
static long resolve(long dirfd, const char *path, uint32_t *ino)
{
	uint32_t base = cwd;

	if (libos_user_ok(path, 1))
		return -EFAULT;
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);
		struct fs_file *ff = fs_file_of(f);
		if (!f)
			return -EBADF;
		if (!ff || ff->in.type != HFS_DIR)
			return -ENOTDIR;
		base = ff->ino;
	}
	if (!mounted)
		return -ENOENT; /* no file system: no files */
	return hfs_lookup(&fs, base, path, ino);
}

static void fill_stat(uint32_t ino, const struct hfs_inode *in, struct stat *st)
{
	int dir = in->type == HFS_DIR;

	*st = (struct stat){
		.st_dev = FS_DEV, .st_ino = ino + 1, /* 0 reads as "no inode" to some readdirs */
		.st_nlink = 1, .st_mode = (dir ? S_IFDIR : S_IFREG) | in->mode,
		.st_size = (off_t)in->size, /* a directory: its number of entries */
		.st_blksize = 4096, .st_blocks = dir ? 0 : (blkcnt_t)((in->size + 511) / 512),
		.st_atim.tv_sec = in->mtime, .st_mtim.tv_sec = in->mtime, .st_ctim.tv_sec = in->mtime,
	};
}

/* --- the open file ---------------------------------------------------------------------- */

static long read_at(const struct fs_file *ff, uint64_t pos, void *buf, size_t len)
{
	uint64_t dev_off, n = hfs_file_span(&ff->in, pos, len, &dev_off);

	return n ? bcache_read(dev_off, buf, n) : 0;
}

static long fs_readv(struct file *f, const struct iovec *iov, int cnt)
{
	struct fs_file *ff = f->priv;
	long total = 0;

	if (ff->in.type == HFS_DIR)
		return -EISDIR;
	for (int i = 0; i < cnt; i++) {
		long n = read_at(ff, ff->pos, iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		ff->pos += (uint64_t)n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

static unsigned fs_poll(struct file *f)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; /* a file never blocks */
}

static long fs_fstat(struct file *f, struct stat *st)
{
	struct fs_file *ff = f->priv;

	fill_stat(ff->ino, &ff->in, st);
	return 0;
}

static void fs_release(struct file *f)
{
	free(f->priv);
	free(f);
}

static const struct file_ops fs_ops = {
	.readv = fs_readv, .poll = fs_poll, .fstat = fs_fstat, .release = fs_release,
};

long fs_sys_openat(long dirfd, const char *path, long flags, long mode)
{
	long acc = flags & O_ACCMODE, fd;
	struct fs_file *ff;
	struct hfs_inode in;
	struct file *f;
	uint32_t ino;
	long r;

	if (!libos_user_ok(path, 1) && (r = fs_dev_open(path, flags)) != -ENODEV)
		return r;
	if (wfs_vol)
		return wfs_sys_openat(dirfd, path, flags, mode);
	if ((r = resolve(dirfd, path, &ino)) == -ENOENT && (flags & O_CREAT))
		return -EROFS;
	if (r)
		return r;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	hfs_stat(&fs, ino, &in);
	if (in.type == HFS_DIR && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (in.type != HFS_DIR && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		return -EROFS;
	if (!(ff = malloc(sizeof *ff)))
		return -ENOMEM;
	*ff = (struct fs_file){ .ino = ino, .in = in };
	if (!(f = file_new(&fs_ops, ff, O_RDONLY | (flags & O_NONBLOCK)))) {
		free(ff);
		return -ENOMEM;
	}
	if ((fd = fd_install(f, flags & O_CLOEXEC)) < 0)
		fs_release(f);
	return fd;
}

/* --- calls on descriptors ------------------------------------------------------------------ */

long fs_sys_lseek(long fd, long off, long whence)
{
	struct fs_file *ff = fs_file_of(fd_get(fd));
	int dir;
	long base;

	if (wfs_file_of(fd_get(fd)))
		return wfs_sys_lseek(fd, off, whence);
	if (!ff)
		return fd_sys_lseek(fd);
	dir = ff->in.type == HFS_DIR;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (long)ff->pos; break;
	case SEEK_END: if (dir) return -EINVAL; base = (long)ff->in.size; break;
	case SEEK_DATA:
	case SEEK_HOLE: /* no holes: data up to the end, one hole after it */
		if (dir || off < 0)
			return -EINVAL;
		if ((uint64_t)off >= ff->in.size)
			return -ENXIO;
		base = 0;
		off = whence == SEEK_HOLE ? (long)ff->in.size : off;
		break;
	default: return -EINVAL;
	}
	/* base <= file size < 2^63, so only a positive off can overflow. */
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	ff->pos = (uint64_t)(base + off);
	return (long)ff->pos;
}

/* pread's answer for a descriptor that is no file of ours, or a directory. */
static long pread_check(long fd, struct fs_file *ff, long off)
{
	struct wfs_file *wf = wfs_file_of(fd_get(fd));
	struct wfs_stat st;

	if (wf)
		return wfs_stat(wfs_vol, wf->ino, &st) || st.type == WFS_DIR ? -EISDIR : off < 0 ? -EINVAL : 0;
	if (!ff)
		return fd_get(fd) ? -ESPIPE : -EBADF;
	if (ff->in.type == HFS_DIR)
		return -EISDIR;
	return off < 0 ? -EINVAL : 0;
}

long fs_sys_pread64(long fd, void *buf, size_t len, long off)
{
	struct fs_file *ff = fs_file_of(fd_get(fd));
	long r = pread_check(fd, ff, off);

	if (r)
		return r;
	if (len && libos_user_ok(buf, len))
		return -EFAULT;
	if (!ff) {
		struct iovec iov = { buf, len };
		return wfs_sys_preadv(fd, &iov, 1, off);
	}
	return read_at(ff, (uint64_t)off, buf, len);
}

long fs_sys_preadv(long fd, const struct iovec *iov, long cnt, long off)
{
	struct fs_file *ff = fs_file_of(fd_get(fd));
	long r = pread_check(fd, ff, off), total = 0;
	size_t sum;

	if (r || (r = libos_iov_check(iov, cnt, &sum)))
		return r;
	if (!ff)
		return wfs_sys_preadv(fd, iov, cnt, off);
	for (long i = 0; i < cnt; i++) {
		long n = read_at(ff, (uint64_t)off + (uint64_t)total, iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

/* Linux's struct linux_dirent64: d_ino, d_off, d_reclen, d_type, then the name. */
#define DIRENT_NAME 19

static size_t put_dirent(uint8_t *p, uint64_t ino, int64_t next, unsigned type, const char *name,
			 size_t len)
{
	uint16_t reclen = (uint16_t)((DIRENT_NAME + len + 1 + 7) & ~(size_t)7);

	memset(p, 0, reclen);
	memcpy(p, &ino, 8);
	memcpy(p + 8, &next, 8);
	memcpy(p + 16, &reclen, 2);
	p[18] = (uint8_t)type;
	memcpy(p + DIRENT_NAME, name, len);
	return reclen;
}

long fs_sys_getdents64(long fd, void *buf, size_t len)
{
	struct file *f = fd_get(fd);
	struct fs_file *ff = fs_file_of(f);
	size_t used = 0;

	if (!f)
		return -EBADF;
	if (wfs_file_of(f))
		return wfs_sys_getdents64(fd, buf, len);
	if (!ff || ff->in.type != HFS_DIR)
		return -ENOTDIR;
	if (libos_user_ok(buf, len))
		return -EFAULT;
	/* Cookies: 0 is ".", 1 is "..", 2 + i is entry i. */
	for (;; ff->pos++) {
		struct hfs_entry e = { .ino = ff->ino, .type = HFS_DIR, .name_len = 1, .name = ".." };
		if (ff->pos == 1)
			e.ino = ff->in.parent, e.name_len = 2;
		else if (ff->pos >= 2 && hfs_dir_entry(&fs, ff->ino, ff->pos - 2, &e) != 1)
			break;
		if (len - used < ((DIRENT_NAME + e.name_len + 1 + 7) & ~7u)) {
			if (!used)
				return -EINVAL; /* not even one entry fits */
			break;
		}
		used += put_dirent((uint8_t *)buf + used, e.ino + 1, (int64_t)ff->pos + 1,
				   e.type == HFS_DIR ? DT_DIR : DT_REG, e.name, e.name_len);
	}
	return (long)used;
}

/* --- calls on paths -------------------------------------------------------------------- */

long fs_sys_newfstatat(long dirfd, const char *path, struct stat *st, long flags)
{
	struct hfs_inode in;
	uint32_t ino;
	long r;

	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (libos_user_ok(st, sizeof *st))
		return -EFAULT;
	if ((flags & AT_EMPTY_PATH) && !libos_user_ok(path, 1) && !*path && dirfd != AT_FDCWD)
		return fd_sys_fstat(dirfd, st);
	if ((flags & AT_EMPTY_PATH) && !libos_user_ok(path, 1) && !*path)
		path = ".";
	if (!libos_user_ok(path, 1) && fs_dev_stat(path, st) == 0)
		return 0;
	if (wfs_vol)
		return wfs_sys_newfstatat(dirfd, path, st, flags);
	if ((r = resolve(dirfd, path, &ino)))
		return r;
	hfs_stat(&fs, ino, &in);
	fill_stat(ino, &in, st);
	return 0;
}

/* Linux's struct statx, which musl 1.2.3 does not declare. */
struct linux_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};
struct linux_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct linux_statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "statx layout");
#define STATX_BASIC_STATS 0x7ffu

long fs_sys_statx(long dirfd, const char *path, long flags, long mask, void *buf)
{
	struct linux_statx *sx = buf;
	struct stat st;
	long r;

	if (libos_user_ok(sx, sizeof *sx))
		return -EFAULT;
	/* AT_STATX_SYNC_TYPE bits ask about caches: nothing here changes. */
	if ((r = fs_sys_newfstatat(dirfd, path, &st, flags & ~0x6000L)))
		return r;
	*sx = (struct linux_statx){
		.mask = STATX_BASIC_STATS, .blksize = (uint32_t)st.st_blksize,
		.nlink = (uint32_t)st.st_nlink, .mode = (uint16_t)st.st_mode, .ino = st.st_ino,
		.size = (uint64_t)st.st_size, .blocks = (uint64_t)st.st_blocks,
		.atime.tv_sec = st.st_atim.tv_sec, .mtime.tv_sec = st.st_mtim.tv_sec,
		.ctime.tv_sec = st.st_ctim.tv_sec,
		.dev_major = (uint32_t)(st.st_dev >> 8), .dev_minor = (uint32_t)(st.st_dev & 0xff),
	};
	return 0;
}

long fs_sys_faccessat(long dirfd, const char *path, long amode, long flags)
{
	struct hfs_inode in;
	uint32_t ino;
	long r;

	if (amode & ~(long)(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (!libos_user_ok(path, 1) && fs_dev_stat(path, &(struct stat){ 0 }) == 0)
		return 0;
	if (wfs_vol)
		return wfs_sys_faccessat(dirfd, path, amode);
	if ((r = resolve(dirfd, path, &ino)))
		return r;
	hfs_stat(&fs, ino, &in);
	if (amode & W_OK)
		return -EROFS;
	/* The app runs as root: execute needs one x bit on a file, as Linux's root. */
	if ((amode & X_OK) && in.type != HFS_DIR && !(in.mode & 0111))
		return -EACCES;
	return 0;
}

long fs_sys_readlinkat(long dirfd, const char *path, char *buf, size_t len)
{
	uint32_t ino;
	long r = wfs_vol ? wfs_sys_readlinkat(dirfd, path) : resolve(dirfd, path, &ino);

	return r ? r : -EINVAL; /* it exists, and nothing is a symbolic link */
}

long fs_sys_chdir(const char *path)
{
	struct hfs_inode in;
	uint32_t ino;
	long r = wfs_vol ? wfs_sys_chdir(path) : resolve(AT_FDCWD, path, &ino);

	if (r || wfs_vol)
		return r;
	hfs_stat(&fs, ino, &in);
	if (in.type != HFS_DIR)
		return -ENOTDIR;
	cwd = ino;
	return 0;
}

long fs_sys_fchdir(long fd)
{
	struct file *f = fd_get(fd);
	struct fs_file *ff = fs_file_of(f);

	if (wfs_vol)
		return wfs_sys_fchdir(fd);
	if (!f)
		return -EBADF;
	if (!ff || ff->in.type != HFS_DIR)
		return -ENOTDIR;
	cwd = ff->ino;
	return 0;
}

/* Built from the end: each step up costs at least 2 bytes, so at most HFS_PATH_MAX / 2 steps. */
long fs_sys_getcwd(char *buf, size_t size)
{
	char path[HFS_PATH_MAX];
	size_t at = sizeof path - 1, len;
	uint32_t dir = cwd;
	struct hfs_inode in;
	struct hfs_entry e;

	if (wfs_vol)
		return wfs_sys_getcwd(buf, size);
	path[at] = '\0';
	while (mounted && hfs_name_of(&fs, dir, &e) == 1) {
		if (at < (size_t)e.name_len + 1)
			return -ENAMETOOLONG;
		at -= e.name_len;
		memcpy(path + at, e.name, e.name_len);
		path[--at] = '/';
		hfs_stat(&fs, dir, &in);
		dir = in.parent; /* lower than dir: the walk ends at the root */
	}
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
