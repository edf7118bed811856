/* SPDX-License-Identifier: ISC */
/* fd.c: the file descriptor table, the console files, and the Linux calls on descriptors. */
#include "fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "libos.h"

#define USER_TOP 0x800000000000ull /* end of the canonical low half */

/* --- the console: fd 0 reads as EOF, 1 and 2 write to the container's log --- */

static long console_readv(struct file *f, const struct iovec *iov, int cnt)
{
	return 0;
}

static long console_writev(struct file *f, const struct iovec *iov, int cnt)
{
	long total = 0;

	for (int i = 0; i < cnt; i++) {
		long n = hako_console(iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
	}
	return total;
}

static unsigned console_poll(struct file *f)
{
	return f->ops->readv ? POLLIN : POLLOUT;
}

static long console_ioctl(struct file *f, unsigned long req, void *arg)
{
	/* A window size makes musl line-buffer stdout, like a terminal would. */
	if (req == TIOCGWINSZ && f->ops->writev) {
		if (libos_user_ok(arg, sizeof(struct winsize)))
			return -EFAULT;
		*(struct winsize *)arg = (struct winsize){ .ws_row = 24, .ws_col = 80 };
		return 0;
	}
	return -ENOTTY;
}

static long console_fstat(struct file *f, struct stat *st)
{
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_nlink = 1, .st_blksize = 4096 };
	return 0;
}

static const struct file_ops console_in_ops = {
	.readv = console_readv, .poll = console_poll, .ioctl = console_ioctl,
	.fstat = console_fstat,
};
static const struct file_ops console_out_ops = {
	.writev = console_writev, .poll = console_poll, .ioctl = console_ioctl,
	.fstat = console_fstat,
};

/* Never released: the table starts with one reference each. */
static struct file console[3] = {
	{ .ops = &console_in_ops, .status = O_RDONLY, .refs = 1 },
	{ .ops = &console_out_ops, .status = O_WRONLY, .refs = 1 },
	{ .ops = &console_out_ops, .status = O_WRONLY, .refs = 1 },
};

/* --- the table ------------------------------------------------------------------ */

/* In .bss, not .data: an initialised table would be 16 KB more image to load. */
static struct {
	struct file *file;
	unsigned char cloexec;
} table[FD_MAX];
static bool table_ready;

static void table_init(void)
{
	for (int fd = 0; fd < 3; fd++)
		table[fd].file = &console[fd];
	table_ready = true;
}

struct file *fd_get(long fd)
{
	if (!table_ready)
		table_init();
	return fd >= 0 && fd < FD_MAX ? table[fd].file : NULL;
}

struct file *file_new(const struct file_ops *ops, void *priv, unsigned status)
{
	struct file *f = malloc(sizeof *f);

	if (f)
		*f = (struct file){ .ops = ops, .priv = priv, .status = status, .refs = 1 };
	return f;
}

static int install_from(struct file *f, long min, int cloexec)
{
	if (!table_ready)
		table_init();
	for (long fd = min; fd < FD_MAX; fd++) {
		if (!table[fd].file) {
			table[fd].file = f;
			table[fd].cloexec = !!cloexec;
			return (int)fd;
		}
	}
	return -EMFILE;
}

int fd_install(struct file *f, int cloexec)
{
	return install_from(f, 0, cloexec);
}

static void file_put(struct file *f)
{
	if (--f->refs == 0 && f->ops->release)
		f->ops->release(f);
}

long fd_sys_close(long fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	table[fd].file = NULL;
	file_put(f);
	return 0;
}

long fd_sys_dup(long fd)
{
	struct file *f = fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	if ((r = install_from(f, 0, 0)) >= 0)
		f->refs++;
	return r;
}

long fd_sys_dup3(long old, long new, long flags, int is_dup2)
{
	struct file *f = fd_get(old);

	if (!is_dup2 && (flags & ~O_CLOEXEC))
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (new < 0 || new >= FD_MAX)
		return -EBADF;
	if (old == new)
		return is_dup2 ? new : -EINVAL;
	f->refs++;
	if (table[new].file)
		fd_sys_close(new);
	table[new].file = f;
	table[new].cloexec = !!(flags & O_CLOEXEC);
	return new;
}

/* --- checks on app pointers ---------------------------------------------------------- */

int libos_user_ok(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	/* Both ends: a + len alone could wrap past the top and look small. */
	if (!p || a >= USER_TOP || len > USER_TOP - a)
		return -EFAULT;
	return 0;
}

int libos_iov_check(const struct iovec *iov, long cnt, size_t *total)
{
	size_t sum = 0;

	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (cnt && libos_user_ok(iov, (size_t)cnt * sizeof *iov))
		return -EFAULT;
	for (long i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - sum)
			return -EINVAL;
		if (iov[i].iov_len && libos_user_ok(iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		sum += iov[i].iov_len;
	}
	*total = sum;
	return 0;
}

/* --- read, write and friends ------------------------------------------------------------- */

long fd_sys_readv(long fd, const struct iovec *iov, long cnt)
{
	struct file *f = fd_get(fd);
	size_t total;
	int r;

	if (!f || !f->ops->readv)
		return -EBADF;
	if ((r = libos_iov_check(iov, cnt, &total)))
		return r;
	return f->ops->readv(f, iov, (int)cnt);
}

long fd_sys_writev(long fd, const struct iovec *iov, long cnt)
{
	struct file *f = fd_get(fd);
	size_t total;
	int r;

	if (!f || !f->ops->writev)
		return -EBADF;
	if ((r = libos_iov_check(iov, cnt, &total)))
		return r;
	return f->ops->writev(f, iov, (int)cnt);
}

long fd_sys_read(long fd, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return fd_sys_readv(fd, &iov, 1);
}

long fd_sys_write(long fd, const void *buf, size_t len)
{
	struct iovec iov = libos_iov_out(buf, len);

	return fd_sys_writev(fd, &iov, 1);
}

long fd_sys_lseek(long fd)
{
	return fd_get(fd) ? -ESPIPE : -EBADF; /* nothing seekable yet */
}

long fd_sys_fstat(long fd, struct stat *st)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (libos_user_ok(st, sizeof *st))
		return -EFAULT;
	if (!f->ops->fstat) {
		*st = (struct stat){ .st_nlink = 1, .st_blksize = 4096 };
		return 0;
	}
	return f->ops->fstat(f, st);
}

/*
 * POSIX record locks, answered as for the only process there is: every lock
 * is granted and none is ever in the way (F_GETLK says F_UNLCK). The request
 * is checked as Linux checks it.
 */
static long record_lock(struct file *f, long cmd, struct flock *fl)
{
	unsigned acc = f->status & O_ACCMODE;
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;

	if (libos_user_ok(fl, sizeof *fl))
		return -EFAULT;
	if ((fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK) ||
	    (fl->l_whence != SEEK_SET && fl->l_whence != SEEK_CUR && fl->l_whence != SEEK_END) ||
	    (ofd && fl->l_pid != 0))
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		fl->l_type = F_UNLCK;
		return 0;
	}
	if ((fl->l_type == F_RDLCK && acc == O_WRONLY) || (fl->l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	return 0;
}

long fd_sys_fcntl(long fd, long cmd, long arg)
{
	struct file *f = fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_GETFD:
		return table[fd].cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		table[fd].cloexec = !!(arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->status;
	case F_SETFL: /* only the status flags Linux lets F_SETFL change */
		f->status = (f->status & ~(unsigned)(O_NONBLOCK | O_APPEND)) |
			    ((unsigned)arg & (O_NONBLOCK | O_APPEND));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return record_lock(f, cmd, (struct flock *)arg);
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= FD_MAX)
			return -EINVAL;
		if ((r = install_from(f, arg, cmd == F_DUPFD_CLOEXEC)) >= 0)
			f->refs++;
		return r;
	default:
		return -EINVAL;
	}
}

long fd_sys_ioctl(long fd, unsigned long req, void *arg)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	switch (req) {
	case FIONBIO:
		if (libos_user_ok(arg, sizeof(int)))
			return -EFAULT;
		if (*(int *)arg)
			f->status |= O_NONBLOCK;
		else
			f->status &= ~(unsigned)O_NONBLOCK;
		return 0;
	case FIOCLEX:
	case FIONCLEX:
		table[fd].cloexec = req == FIOCLEX;
		return 0;
	}
	return f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
}
