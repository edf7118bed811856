/* SPDX-License-Identifier: ISC */
/* fs_dev.c: /dev/null, /dev/zero, /dev/urandom and /dev/random, whatever the block device holds. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#include "fd.h"
#include "libos.h"

enum dev_kind { DEV_NULL, DEV_ZERO, DEV_RANDOM };

static const struct {
	const char *path;
	enum dev_kind kind;
	unsigned minor; /* Linux's: major 1 */
} devs[] = {
	{ "/dev/null", DEV_NULL, 3 }, { "/dev/zero", DEV_ZERO, 5 },
	{ "/dev/random", DEV_RANDOM, 8 }, { "/dev/urandom", DEV_RANDOM, 9 },
};

static long dev_readv(struct file *f, const struct iovec *iov, int cnt)
{
	unsigned i = (unsigned)(uintptr_t)f->priv;
	long total = 0;

	if (devs[i].kind == DEV_NULL)
		return 0;
	for (int k = 0; k < cnt; k++) {
		if (devs[i].kind == DEV_ZERO)
			memset(iov[k].iov_base, 0, iov[k].iov_len);
		else
			libos_random_fill(iov[k].iov_base, iov[k].iov_len);
		total += (long)iov[k].iov_len;
	}
	return total;
}

/* Every write is taken whole and dropped (to the random devices too: Linux mixes it in). */
static long dev_writev(struct file *f, const struct iovec *iov, int cnt)
{
	long total = 0;

	for (int k = 0; k < cnt; k++)
		total += (long)iov[k].iov_len;
	return total;
}

static unsigned dev_poll(struct file *f)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static void dev_stat(unsigned i, struct stat *st)
{
	*st = (struct stat){ .st_mode = S_IFCHR | 0666, .st_nlink = 1, .st_blksize = 4096,
			     .st_rdev = makedev(1, devs[i].minor), .st_dev = 5, .st_ino = 100 + i };
}

static long dev_fstat(struct file *f, struct stat *st)
{
	dev_stat((unsigned)(uintptr_t)f->priv, st);
	return 0;
}

static void dev_release(struct file *f)
{
	free(f);
}

static const struct file_ops dev_ops = {
	.readv = dev_readv, .writev = dev_writev, .poll = dev_poll, .fstat = dev_fstat,
	.release = dev_release,
};

/* Which device path names, or -1. path is already known to be a readable string. */
static int dev_find(const char *path)
{
	for (unsigned i = 0; i < sizeof devs / sizeof devs[0]; i++)
		if (!strcmp(path, devs[i].path))
			return (int)i;
	return -1;
}

long fs_dev_open(const char *path, long flags)
{
	int i = dev_find(path);
	struct file *f;
	long fd;

	if (i < 0)
		return -ENODEV;
	if (flags & (O_DIRECTORY | O_EXCL))
		return flags & O_EXCL ? -EEXIST : -ENOTDIR;
	if (!(f = file_new(&dev_ops, (void *)(uintptr_t)i, (unsigned)flags & (O_ACCMODE | O_NONBLOCK))))
		return -ENOMEM;
	if ((fd = fd_install(f, flags & O_CLOEXEC)) < 0)
		dev_release(f);
	return fd;
}

long fs_dev_stat(const char *path, struct stat *st)
{
	int i = dev_find(path);

	if (i < 0)
		return -ENODEV;
	dev_stat((unsigned)i, st);
	return 0;
}
