/* SPDX-License-Identifier: ISC */
/* fs.h: files of the block device (a read-only hfs image or a writable wfs volume), /dev, and their Linux calls. */
#ifndef LIBOS_FS_H
#define LIBOS_FS_H

#include <stddef.h>
#include <stdint.h>

#include <hako/abi.h>

struct iovec;
struct stat;
struct timespec;

/*
 * Mounts the block device if it holds an hfs image or a wfs volume
 * (fs_wfs.c). A device without either magic means no files, silently; a
 * damaged one means no files and one console line saying why. Never fails
 * the container.
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

/*
 * The writers (fs_wfs.c, fs_wfs_file.c): on a wfs volume they change it;
 * without one the path calls give EROFS, as the read-only image always did.
 * fsync, fdatasync, sync and syncfs commit the whole volume (docs/fs.md).
 */
long fs_sys_pwrite64(long fd, const void *buf, size_t len, long off);
long fs_sys_pwritev(long fd, const struct iovec *iov, long cnt, long off);
long fs_sys_mkdirat(long dirfd, const char *path, long mode);
long fs_sys_unlinkat(long dirfd, const char *path, long flags);
long fs_sys_renameat2(long odirfd, const char *opath, long ndirfd, const char *npath, long flags);
long fs_sys_truncate(const char *path, long len);
long fs_sys_ftruncate(long fd, long len);
long fs_sys_fsync(long fd);
long fs_sys_sync(void);
long fs_sys_fchmod(long fd, long mode);
long fs_sys_fchmodat(long dirfd, const char *path, long mode);
long fs_sys_chown(long dirfd, const char *path, long uid, long gid);
long fs_sys_utimensat(long dirfd, const char *path, const struct timespec *times, long flags);
long fs_sys_fallocate(long fd, long mode, long off, long len);

/*
 * fs_mmap.c: mmap of a file reads it into private pages. A writable
 * MAP_SHARED mapping of a wfs file is written back (up to the file's end) by
 * msync, munmap, fsync, sync and exit; write() and the mapping do not see
 * each other in between.
 */
long fs_sys_mmap(uint64_t addr, uint64_t len, long prot, long flags, long fd, long off);
long fs_sys_munmap(uint64_t addr, uint64_t len);
long fs_sys_msync(uint64_t addr, uint64_t len, long flags);
void fs_mmap_write_back(void);

/* fs_dev.c: the devices every libc expects; -ENODEV when path names none of them. */
long fs_dev_open(const char *path, long flags);
long fs_dev_stat(const char *path, struct stat *st);

#endif /* LIBOS_FS_H */
