/* fs.h: files of the block device's read-only hfs image (lib/hfs.h) and their Linux calls. */
#ifndef LIBOS_FS_H
#define LIBOS_FS_H

#include <stddef.h>

#include <hako/abi.h>

struct iovec;
struct stat;

/*
 * Mounts the block device if it holds an hfs image. A device without the
 * magic means no files, silently; a damaged image means no files and one
 * console line saying why. Never fails the container.
 */
void libos_fs_init(const struct hako_start_info *info);

/* Linux calls (syscall.c dispatches to them); results >= 0 or -errno. */
long fs_sys_openat(long dirfd, const char *path, long flags, long mode);
long fs_sys_newfstatat(long dirfd, const char *path, struct stat *st, long flags);
long fs_sys_statx(long dirfd, const char *path, long flags, long mask, void *stx);
long fs_sys_faccessat(long dirfd, const char *path, long amode, long flags);
long fs_sys_readlinkat(long dirfd, const char *path, char *buf, size_t len);
long fs_sys_getdents64(long fd, void *buf, size_t len);
long fs_sys_getcwd(char *buf, size_t size);
long fs_sys_chdir(const char *path);
long fs_sys_fchdir(long fd);
/* These fall back to the fd table's answer for descriptors that are not files. */
long fs_sys_lseek(long fd, long off, long whence);
long fs_sys_pread64(long fd, void *buf, size_t len, long off);
long fs_sys_preadv(long fd, const struct iovec *iov, long cnt, long off);

#endif /* LIBOS_FS_H */
