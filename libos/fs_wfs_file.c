/* SPDX-License-Identifier: ISC */
/* fs_wfs_file.c: open files and directories of the writable volume: read, write, sync, readdir. */
#include "fs_wfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fd.h"
#include "fs.h"
#include "libos.h"

#define FS_DEV 0x0802 /* st_dev: "sda2", another disk than the read-only image */

static const struct file_ops wfs_ops;

struct wfs_file *wfs_file_of(struct file *f)
{
	return f && f->ops == &wfs_ops ? f->priv : NULL;
}

void fill_wfs_stat(uint32_t ino, struct stat *st)
{
	struct wfs_stat w;
	int dir;

	wfs_stat(wfs_vol, ino, &w);
	dir = w.type == WFS_DIR;
	*st = (struct stat){
		.st_dev = FS_DEV, .st_ino = ino + 1, .st_nlink = dir ? 2 : 1,
		.st_mode = (dir ? S_IFDIR : S_IFREG) | w.mode, .st_size = (off_t)w.size,
		.st_blksize = WFS_BLOCK, .st_blocks = (blkcnt_t)(w.blocks * (WFS_BLOCK / 512)),
		.st_atim = { w.mtime, w.mtime_nsec }, .st_mtim = { w.mtime, w.mtime_nsec },
		.st_ctim = { w.mtime, w.mtime_nsec },
	};
}

/* --- the open file ------------------------------------------------------------------------- */

static long rw_at(struct wfs_file *wf, uint64_t pos, const struct iovec *iov, int cnt, int write)
{
	long total = 0;
	int64_t sec = 0;
	uint32_t nsec = 0;

	if (write)
		wfs_now(&sec, &nsec);
	for (int i = 0; i < cnt; i++) {
		long n = write ? wfs_write(wfs_vol, wf->ino, pos + (uint64_t)total, iov[i].iov_base,
					   iov[i].iov_len, sec, nsec)
			       : wfs_read(wfs_vol, wf->ino, pos + (uint64_t)total, iov[i].iov_base,
					  iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

static long wfs_readv(struct file *f, const struct iovec *iov, int cnt)
{
	struct wfs_file *wf = f->priv;
	long n;

	if ((f->status & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if ((n = rw_at(wf, wf->pos, iov, cnt, 0)) > 0)
		wf->pos += (uint64_t)n;
	return n;
}

static long wfs_writev(struct file *f, const struct iovec *iov, int cnt)
{
	struct wfs_file *wf = f->priv;
	struct wfs_stat st;
	long n;

	if ((f->status & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (f->status & O_APPEND) {
		wfs_stat(wfs_vol, wf->ino, &st);
		wf->pos = st.size;
	}
	if ((n = rw_at(wf, wf->pos, iov, cnt, 1)) > 0)
		wf->pos += (uint64_t)n;
	return n;
}

static unsigned wfs_poll(struct file *f)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; /* a file never blocks */
}

static long wfs_fstat(struct file *f, struct stat *st)
{
	fill_wfs_stat(((struct wfs_file *)f->priv)->ino, st);
	return 0;
}

static void wfs_release(struct file *f)
{
	wfs_unref(wfs_vol, ((struct wfs_file *)f->priv)->ino);
	free(f->priv);
	free(f);
}

static const struct file_ops wfs_ops = {
	.readv = wfs_readv, .writev = wfs_writev, .poll = wfs_poll, .fstat = wfs_fstat,
	.release = wfs_release,
};

long wfs_open_ino(uint32_t ino, long flags)
{
	struct wfs_file *wf = malloc(sizeof *wf);
	struct file *f;
	long fd, r;

	if (!wf)
		return -ENOMEM;
	*wf = (struct wfs_file){ .ino = ino };
	if (!(f = file_new(&wfs_ops, wf, (unsigned)flags & (O_ACCMODE | O_NONBLOCK | O_APPEND)))) {
		free(wf);
		return -ENOMEM;
	}
	wfs_ref(wfs_vol, ino);
	if ((fd = fd_install(f, flags & O_CLOEXEC)) < 0) {
		wfs_release(f);
		return fd;
	}
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		int64_t sec;
		uint32_t nsec;
		wfs_now(&sec, &nsec);
		if ((r = wfs_truncate(wfs_vol, ino, 0, sec, nsec))) {
			fd_sys_close(fd);
			return r;
		}
	}
	return fd;
}

/* --- calls on descriptors ------------------------------------------------------------------- */

long wfs_sys_lseek(long fd, long off, long whence)
{
	struct wfs_file *wf = wfs_file_of(fd_get(fd));
	struct wfs_stat st;
	long base;

	wfs_stat(wfs_vol, wf->ino, &st);
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (long)wf->pos; break;
	case SEEK_END: base = (long)st.size; break;
	case SEEK_DATA:
	case SEEK_HOLE: /* holes read as zeros: data up to the end, one hole after it */
		if (st.type == WFS_DIR || off < 0)
			return -EINVAL;
		if ((uint64_t)off >= st.size)
			return -ENXIO;
		base = 0;
		off = whence == SEEK_HOLE ? (long)st.size : off;
		break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	wf->pos = (uint64_t)(base + off);
	return (long)wf->pos;
}

long wfs_sys_preadv(long fd, const struct iovec *iov, long cnt, long off)
{
	struct file *f = fd_get(fd);

	if ((f->status & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return rw_at(f->priv, (uint64_t)off, iov, (int)cnt, 0);
}

/* pwrite on an O_APPEND file appends, as on Linux. */
long wfs_sys_pwritev(long fd, const struct iovec *iov, long cnt, long off)
{
	struct file *f = fd_get(fd);
	struct wfs_file *wf = f->priv;
	struct wfs_stat st;

	if ((f->status & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (f->status & O_APPEND) {
		wfs_stat(wfs_vol, wf->ino, &st);
		off = (long)st.size;
	}
	return rw_at(wf, (uint64_t)off, iov, (int)cnt, 1);
}

/* Linux's struct linux_dirent64: d_ino, d_off, d_reclen, d_type, then the name. */
#define DIRENT_NAME 19

long wfs_sys_getdents64(long fd, void *buf, size_t len)
{
	struct wfs_file *wf = wfs_file_of(fd_get(fd));
	struct wfs_stat st;
	uint8_t *p = buf;
	size_t used = 0;

	if (wfs_stat(wfs_vol, wf->ino, &st) || st.type != WFS_DIR)
		return -ENOTDIR;
	if (libos_user_ok(buf, len))
		return -EFAULT;
	/* Cookies: 0 is ".", 1 is "..", 2 + i is entry i (an entry removed meanwhile shifts the rest). */
	for (;; wf->pos++) {
		struct wfs_entry e = { .ino = wf->ino, .type = WFS_DIR, .name_len = 1, .name = ".." };
		if (wf->pos == 1)
			e.ino = st.parent, e.name_len = 2;
		else if (wf->pos >= 2 && wfs_dir_entry(wfs_vol, wf->ino, wf->pos - 2, &e) != 1)
			break;
		uint16_t reclen = (uint16_t)((DIRENT_NAME + e.name_len + 1 + 7) & ~7u);
		uint64_t ino = e.ino + 1;
		int64_t next = (int64_t)wf->pos + 1;
		if (len - used < reclen) {
			if (!used)
				return -EINVAL; /* not even one entry fits */
			break;
		}
		memset(p + used, 0, reclen);
		memcpy(p + used, &ino, 8);
		memcpy(p + used + 8, &next, 8);
		memcpy(p + used + 16, &reclen, 2);
		p[used + 18] = e.type == WFS_DIR ? DT_DIR : DT_REG;
		memcpy(p + used + DIRENT_NAME, e.name, e.name_len);
		used += reclen;
	}
	return (long)used;
}

/* The open wfs file behind fd, or NULL with *err Linux's answer for anything else. */
static struct wfs_file *file_arg(long fd, long *err)
{
	struct file *f = fd_get(fd);
	struct wfs_file *wf = wfs_file_of(f);

	*err = !f ? -EBADF : wf ? 0 : -EINVAL;
	return wf;
}

long fs_sys_ftruncate(long fd, long len)
{
	long r;
	struct wfs_file *wf = file_arg(fd, &r);
	int64_t sec;
	uint32_t nsec;

	if (!wf)
		return r;
	if (len < 0 || (fd_get(fd)->status & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	wfs_now(&sec, &nsec);
	return wfs_truncate(wfs_vol, wf->ino, (uint64_t)len, sec, nsec);
}

/* fsync and fdatasync of any file or directory commit the whole volume: nothing less is atomic. */
long fs_sys_fsync(long fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!wfs_file_of(f))
		return 0; /* the console, sockets, the read-only image: nothing to write */
	return fs_sys_sync();
}

long fs_sys_sync(void)
{
	if (!wfs_vol || wfs_readonly)
		return 0;
	fs_mmap_write_back();
	return wfs_sync(wfs_vol);
}

long fs_sys_fchmod(long fd, long mode)
{
	long r;
	struct wfs_file *wf = file_arg(fd, &r);

	if (!wf)
		return r == -EINVAL ? -EROFS : r;
	return wfs_readonly ? -EROFS : wfs_set_attr(wfs_vol, wf->ino, (int)(mode & 07777), -1, 0);
}

/* fallocate mode 0 and KEEP_SIZE: blocks are taken when written, so only the size changes. */
long fs_sys_fallocate(long fd, long mode, long off, long len)
{
	long r;
	struct wfs_file *wf = file_arg(fd, &r);
	struct wfs_stat st;
	int64_t sec;
	uint32_t nsec;

	if (!wf)
		return r == -EINVAL ? -ENODEV : r;
	if (mode & ~(long)FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if (off < 0 || len <= 0 || off > INT64_MAX - len)
		return -EINVAL;
	wfs_stat(wfs_vol, wf->ino, &st);
	if ((mode & FALLOC_FL_KEEP_SIZE) || (uint64_t)(off + len) <= st.size)
		return 0;
	wfs_now(&sec, &nsec);
	return wfs_truncate(wfs_vol, wf->ino, (uint64_t)(off + len), sec, nsec);
}

long fs_sys_pwritev(long fd, const struct iovec *iov, long cnt, long off)
{
	struct file *f = fd_get(fd);
	size_t total;
	long r;

	if (!f)
		return -EBADF;
	if (!wfs_file_of(f))
		return f->ops->writev ? -ESPIPE : -EBADF; /* a pipe-like file, or one opened read-only */
	if (off < 0)
		return -EINVAL;
	if ((r = libos_iov_check(iov, cnt, &total)))
		return r;
	return wfs_sys_pwritev(fd, iov, cnt, off);
}

long fs_sys_pwrite64(long fd, const void *buf, size_t len, long off)
{
	struct iovec iov = libos_iov_out(buf, len);

	return fs_sys_pwritev(fd, &iov, 1, off);
}
