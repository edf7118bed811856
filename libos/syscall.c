/* SPDX-License-Identifier: ISC */
/* syscall.c: the Linux-syscall layer: musl's system calls, served inside the container. */
#include "libos.h"
#include "fd.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#define ARCH_SET_FS 0x1002 /* Linux <asm/prctl.h>; musl does not ship it */
#define ARCH_GET_FS 0x1003

static uint64_t fs_base;

static long sys_newfstatat(long fd, const char *path, struct stat *st, long flags)
{
	if ((flags & AT_EMPTY_PATH) && path && !*path)
		return fd_sys_fstat(fd, st);
	return fs_sys_newfstatat(fd, path, st, flags);
}

/* --- process, identity, signals --------------------------------------------- */

#define STR_(x) #x
#define STR(x) STR_(x)

static long sys_uname(struct utsname *u)
{
	if (!u)
		return -EFAULT;
	memset(u, 0, sizeof *u);
	strcpy(u->sysname, "hako");
	strncpy(u->nodename, libos_info->name, sizeof u->nodename - 1);
	strcpy(u->release, STR(HAKO_ABI_MAJOR) "." STR(HAKO_ABI_MINOR));
	strcpy(u->version, "hako libOS");
	strcpy(u->machine, "x86_64");
	return 0;
}

static long sys_arch_prctl(long code, uint64_t addr)
{
	long r;

	switch (code) {
	case ARCH_SET_FS:
		r = hako_call(HAKO_CALL_TLS_SET, (long)addr, 0, 0, 0);
		if (r == 0)
			fs_base = addr;
		return r;
	case ARCH_GET_FS:
		if (!addr)
			return -EFAULT;
		*(uint64_t *)addr = fs_base;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * No signal handler can exist (rt_sigaction fails), so a signal a container
 * sends itself takes its default action: ignored, or the container ends
 * with 128 + the signal number, as a shell reports it (abort() gives 134).
 */
static long sys_kill_self(long sig)
{
	if (sig == 0)
		return 0;
	if (sig < 1 || sig >= _NSIG)
		return -EINVAL;
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 0; /* ignored, or "stop" with nobody to continue us */
	}
	hako_exit(128 + (int)sig);
}

static long sys_rt_sigprocmask(void *old, size_t size)
{
	if (old) {
		if (size > 128)
			return -EINVAL;
		memset(old, 0, size);
	}
	return 0; /* nothing to block: no signal is ever delivered */
}

/* --- the dispatcher ------------------------------------------------------------ */

/*
 * Called by musl in place of the `syscall` instruction, with Linux's
 * numbers, arguments and results (>= 0, or -errno). Arguments come from the
 * app itself, inside its own protection domain: they are checked for what
 * Linux would reject, not distrusted like the platform distrusts them.
 */
long __hako_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	switch (n) {
	case SYS_read:           return fd_sys_read(a, (void *)b, (size_t)c);
	case SYS_write:          return fd_sys_write(a, (const void *)b, (size_t)c);
	case SYS_readv:          return fd_sys_readv(a, (const struct iovec *)b, c);
	case SYS_writev:         return fd_sys_writev(a, (const struct iovec *)b, c);
	case SYS_ioctl:          return fd_sys_ioctl(a, (unsigned long)b, (void *)c);
	case SYS_fcntl:          return fd_sys_fcntl(a, b, c);
	case SYS_fstat:          return fd_sys_fstat(a, (struct stat *)b);
	case SYS_newfstatat:     return sys_newfstatat(a, (const char *)b, (struct stat *)c, d);
	case SYS_lseek:          return fs_sys_lseek(a, b, c);
	case SYS_close:          return fd_sys_close(a);
	case SYS_dup:            return fd_sys_dup(a);
	case SYS_dup2:           return fd_sys_dup3(a, b, 0, 1);
	case SYS_dup3:           return fd_sys_dup3(a, b, c, 0);
	case SYS_poll:           return fd_sys_poll((struct pollfd *)a, (unsigned long)b, c);
	case SYS_ppoll:          return fd_sys_ppoll((struct pollfd *)a, (unsigned long)b, (const void *)c);
	case SYS_select:         return fd_sys_select(a, (void *)b, (void *)c, (void *)d, (void *)e);
	case SYS_pselect6:       return fd_sys_pselect6(a, (void *)b, (void *)c, (void *)d, (const void *)e);

	case SYS_open:           return fs_sys_openat(AT_FDCWD, (const char *)a, b, c);
	case SYS_openat:         return fs_sys_openat(a, (const char *)b, c, d);
	case SYS_pread64:        return fs_sys_pread64(a, (void *)b, (size_t)c, d);
	case SYS_preadv:         return fs_sys_preadv(a, (const struct iovec *)b, c, d);
	case SYS_getdents64:     return fs_sys_getdents64(a, (void *)b, (size_t)c);
	case SYS_stat:           return fs_sys_newfstatat(AT_FDCWD, (const char *)a, (struct stat *)b, 0);
	case SYS_lstat:          return fs_sys_newfstatat(AT_FDCWD, (const char *)a, (struct stat *)b,
						      AT_SYMLINK_NOFOLLOW);
	case SYS_statx:          return fs_sys_statx(a, (const char *)b, c, d, (void *)e);
	case SYS_access:         return fs_sys_faccessat(AT_FDCWD, (const char *)a, b, 0);
	case SYS_faccessat:      return fs_sys_faccessat(a, (const char *)b, c, 0);
	case SYS_faccessat2:     return fs_sys_faccessat(a, (const char *)b, c, d);
	case SYS_readlink:       return fs_sys_readlinkat(AT_FDCWD, (const char *)a, (char *)b, (size_t)c);
	case SYS_readlinkat:     return fs_sys_readlinkat(a, (const char *)b, (char *)c, (size_t)d);
	case SYS_getcwd:         return fs_sys_getcwd((char *)a, (size_t)b);
	case SYS_chdir:          return fs_sys_chdir((const char *)a);
	case SYS_fchdir:         return fs_sys_fchdir(a);
	case SYS_pwrite64:       return fs_sys_pwrite64(a, (const void *)b, (size_t)c, d);
	case SYS_pwritev:        return fs_sys_pwritev(a, (const struct iovec *)b, c, d);
	case SYS_mkdir:          return fs_sys_mkdirat(AT_FDCWD, (const char *)a, b);
	case SYS_mkdirat:        return fs_sys_mkdirat(a, (const char *)b, c);
	case SYS_rmdir:          return fs_sys_unlinkat(AT_FDCWD, (const char *)a, AT_REMOVEDIR);
	case SYS_unlink:         return fs_sys_unlinkat(AT_FDCWD, (const char *)a, 0);
	case SYS_unlinkat:       return fs_sys_unlinkat(a, (const char *)b, c);
	case SYS_rename:         return fs_sys_renameat2(AT_FDCWD, (const char *)a, AT_FDCWD, (const char *)b, 0);
	case SYS_renameat:       return fs_sys_renameat2(a, (const char *)b, c, (const char *)d, 0);
	case SYS_renameat2:      return fs_sys_renameat2(a, (const char *)b, c, (const char *)d, e);
	case SYS_creat:          return fs_sys_openat(AT_FDCWD, (const char *)a, O_CREAT | O_WRONLY | O_TRUNC, b);
	case SYS_truncate:       return fs_sys_truncate((const char *)a, b);
	case SYS_ftruncate:      return fs_sys_ftruncate(a, b);
	case SYS_fallocate:      return fs_sys_fallocate(a, b, c, d);
	case SYS_fsync:
	case SYS_fdatasync:      return fs_sys_fsync(a);
	case SYS_sync:           fs_sys_sync(); return 0;
	case SYS_syncfs:         return fd_get(a) ? fs_sys_sync() : -EBADF;
	case SYS_chmod:          return fs_sys_fchmodat(AT_FDCWD, (const char *)a, b);
	case SYS_fchmodat:       return fs_sys_fchmodat(a, (const char *)b, c);
	case SYS_fchmod:         return fs_sys_fchmod(a, b);
	case SYS_utimensat:      return fs_sys_utimensat(a, (const char *)b, (const void *)c, d);
	case SYS_flock:          return fd_get(a) ? 0 : -EBADF; /* one process: every lock is granted */
	case SYS_chown:
	case SYS_lchown:         return fs_sys_chown(AT_FDCWD, (const char *)a, b, c);
	case SYS_fchownat:       return fs_sys_chown(a, (const char *)b, c, d);
	case SYS_fchown:         return fs_sys_chown(a, NULL, b, c);
	case SYS_link: case SYS_linkat: case SYS_symlink: case SYS_symlinkat:
	case SYS_mknod: case SYS_mknodat:
				 return -EROFS; /* no links or device files, on either format */

	case SYS_socket:         return sock_sys_socket(a, b, c);
	case SYS_bind:           return sock_sys_bind(a, (const void *)b, c);
	case SYS_listen:         return sock_sys_listen(a, b);
	case SYS_accept:         return sock_sys_accept4(a, (void *)b, (void *)c, 0);
	case SYS_accept4:        return sock_sys_accept4(a, (void *)b, (void *)c, d);
	case SYS_connect:        return sock_sys_connect(a, (const void *)b, c);
	case SYS_sendto:         return sock_sys_sendto(a, (const void *)b, (size_t)c, d, (const void *)e, f);
	case SYS_recvfrom:       return sock_sys_recvfrom(a, (void *)b, (size_t)c, d, (void *)e, (void *)f);
	case SYS_sendmsg:        return sock_sys_sendmsg(a, (const void *)b, c);
	case SYS_recvmsg:        return sock_sys_recvmsg(a, (void *)b, c);
	case SYS_shutdown:       return sock_sys_shutdown(a, b);
	case SYS_setsockopt:     return sock_sys_setsockopt(a, b, c, (const void *)d, e);
	case SYS_getsockopt:     return sock_sys_getsockopt(a, b, c, (void *)d, (void *)e);
	case SYS_getsockname:    return sock_sys_getname(a, (void *)b, (void *)c, 0);
	case SYS_getpeername:    return sock_sys_getname(a, (void *)b, (void *)c, 1);

	case SYS_exit:
	case SYS_exit_group:     fs_sys_sync(); hako_exit((int)a); /* what was written survives a clean exit */

	case SYS_clock_gettime:  return libos_clock_gettime(a, (void *)b);
	case SYS_clock_getres:   return libos_clock_getres(a, (void *)b);
	case SYS_gettimeofday:   return libos_gettimeofday((void *)a);
	case SYS_time:           return libos_time((void *)a);
	case SYS_nanosleep:      return libos_nanosleep((const void *)a, (void *)b);
	case SYS_clock_nanosleep: return libos_clock_nanosleep(a, b, (const void *)c, (void *)d);
	case SYS_sched_yield:    hako_yield(0); return 0;

	case SYS_brk:            return libos_brk((uint64_t)a);
	case SYS_mmap:           return fs_sys_mmap((uint64_t)a, (uint64_t)b, c, d, e, f);
	case SYS_munmap:         return fs_sys_munmap((uint64_t)a, (uint64_t)b);
	case SYS_msync:          return fs_sys_msync((uint64_t)a, (uint64_t)b, c);
	case SYS_mremap:         return libos_mremap((uint64_t)a, (uint64_t)b, (uint64_t)c, d, (uint64_t)e);
	case SYS_madvise:        return libos_madvise((uint64_t)a, (uint64_t)b, c);
	case SYS_mprotect:       return libos_mprotect((uint64_t)a, (uint64_t)b, c);
	/* The platform's calls have Linux's semantics and errno values (abi.h). */
	case SYS_pkey_alloc:     return hako_pkey_alloc((unsigned)a, (unsigned)b);
	case SYS_pkey_free:      return hako_pkey_free((int)a);
	case SYS_pkey_mprotect:  return hako_pkey_mprotect((void *)a, (size_t)b, (int)c, (int)d);

	case SYS_getpid:
	case SYS_gettid:
	case SYS_set_tid_address: return 1; /* the one process, the one thread */
	case SYS_getppid:        return 0;
	case SYS_getuid:
	case SYS_geteuid:
	case SYS_getgid:
	case SYS_getegid:        return 0;
	case SYS_arch_prctl:     return sys_arch_prctl(a, (uint64_t)b);
	case SYS_uname:          return sys_uname((struct utsname *)a);
	case SYS_getrandom:      return libos_getrandom((void *)a, (size_t)b, (unsigned)c);

	case SYS_rt_sigprocmask: return sys_rt_sigprocmask((void *)c, (size_t)d);
	case SYS_kill:           return (a == 0 || a == 1 || a == -1) ? sys_kill_self(b) : -ESRCH;
	case SYS_tkill:          return a == 1 ? sys_kill_self(b) : -ESRCH;
	case SYS_tgkill:         return a == 1 && b == 1 ? sys_kill_self(c) : -ESRCH;

	default:                 return libos_enosys(n);
	}
}
