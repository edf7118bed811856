/* SPDX-License-Identifier: ISC */
/* fs_wfs.h: the Linux calls on a writable wfs volume (lib/wfs.h), shared by fs_wfs.c and fs_wfs_file.c. */
#ifndef LIBOS_FS_WFS_H
#define LIBOS_FS_WFS_H

#include <stddef.h>
#include <stdint.h>

#include <hako/abi.h>

#include "wfs.h"

struct file;
struct iovec;
struct stat;

/* fs_wfs.c: the volume, mounted at start if the device holds one. */
extern struct wfs *wfs_vol;
extern int wfs_readonly; /* the device refuses writes (-v IMAGE:ro): changes give EROFS */

/* 1 if the device holds a wfs volume (mounted once musl has started, or refused with one line), else 0. */
int fs_wfs_init(const struct hako_start_info *info);
/* Now, for mtimes. */
void wfs_now(int64_t *sec, uint32_t *nsec);

/* fs_wfs_file.c: open files and directories. */
struct wfs_file {
	uint32_t ino;
	uint64_t pos; /* bytes, or a directory's entry cookie */
};
/* The open wfs file behind f, or NULL. */
struct wfs_file *wfs_file_of(struct file *f);
long wfs_open_ino(uint32_t ino, long flags);
void fill_wfs_stat(uint32_t ino, struct stat *st);

/* The calls, as fs.h names them with fs_sys_; each answers for a mounted volume. */
long wfs_sys_openat(long dirfd, const char *path, long flags, long mode);
long wfs_sys_newfstatat(long dirfd, const char *path, struct stat *st, long flags);
long wfs_sys_faccessat(long dirfd, const char *path, long amode);
long wfs_sys_readlinkat(long dirfd, const char *path);
long wfs_sys_chdir(const char *path);
long wfs_sys_fchdir(long fd);
long wfs_sys_getcwd(char *buf, size_t size);
long wfs_sys_getdents64(long fd, void *buf, size_t len);
long wfs_sys_lseek(long fd, long off, long whence);
long wfs_sys_preadv(long fd, const struct iovec *iov, long cnt, long off);
long wfs_sys_pwritev(long fd, const struct iovec *iov, long cnt, long off);

#endif /* LIBOS_FS_WFS_H */
