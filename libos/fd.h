/* SPDX-License-Identifier: ISC */
/* fd.h: the libOS's file descriptor table (console, sockets; files later) and its Linux calls. */
#ifndef LIBOS_FD_H
#define LIBOS_FD_H

#include <stddef.h>
#include <stdint.h>

struct iovec;
struct stat;
struct pollfd;

#define FD_MAX 1024 /* Linux's default RLIMIT_NOFILE, and FD_SETSIZE */

struct file;

/*
 * What one kind of file does. Any op MAY be NULL; the table then answers as
 * Linux does for a file that cannot do it (EBADF, ENOTTY, ESPIPE, ...).
 * readv/writev get an iovec array already checked by libos_iov_check(); they
 * return bytes moved or -errno, -EAGAIN when they would block on a
 * non-blocking file (f->status & O_NONBLOCK).
 */
struct file_ops {
	long (*readv)(struct file *f, const struct iovec *iov, int cnt);
	long (*writev)(struct file *f, const struct iovec *iov, int cnt);
	unsigned (*poll)(struct file *f); /* POLL* events ready now */
	long (*ioctl)(struct file *f, unsigned long req, void *arg);
	long (*fstat)(struct file *f, struct stat *st);
	void (*release)(struct file *f); /* last descriptor closed; frees f */
};

struct file {
	const struct file_ops *ops;
	void *priv;      /* the kind's own state (a struct sock, ...) */
	unsigned status; /* F_GETFL: O_RDWR-style mode | O_NONBLOCK */
	unsigned refs;   /* descriptors pointing here (dup) */
};

/* A new file with one reference, not yet in the table; NULL when out of memory. */
struct file *file_new(const struct file_ops *ops, void *priv, unsigned status);
/* Puts f at the lowest free descriptor; returns it, or -EMFILE (f untouched). */
int fd_install(struct file *f, int cloexec);
/* The file behind fd, or NULL if fd is not open. */
struct file *fd_get(long fd);

/* 0 if [p, p + len) can be an app buffer (non-NULL, no wrap), else -EFAULT. */
int libos_user_ok(const void *p, size_t len);
/* Checks an iovec array as readv/writev do; sets *total. 0, -EINVAL or -EFAULT. */
int libos_iov_check(const struct iovec *iov, long cnt, size_t *total);

/* Linux calls on descriptors (syscall.c dispatches to them). */
long fd_sys_read(long fd, void *buf, size_t len);
long fd_sys_write(long fd, const void *buf, size_t len);
long fd_sys_readv(long fd, const struct iovec *iov, long cnt);
long fd_sys_writev(long fd, const struct iovec *iov, long cnt);
long fd_sys_close(long fd);
long fd_sys_fcntl(long fd, long cmd, long arg);
long fd_sys_ioctl(long fd, unsigned long req, void *arg);
long fd_sys_fstat(long fd, struct stat *st);
long fd_sys_lseek(long fd);
long fd_sys_dup(long fd);
long fd_sys_dup3(long old, long new, long flags, int is_dup2);
long fd_sys_poll(struct pollfd *fds, unsigned long n, long timeout_ms);
long fd_sys_ppoll(struct pollfd *fds, unsigned long n, const void *ts);
long fd_sys_select(long n, void *r, void *w, void *e, void *tv);
long fd_sys_pselect6(long n, void *r, void *w, void *e, const void *ts);

/* The Linux socket calls (net/sock_api.c). */
long sock_sys_socket(long domain, long type, long proto);
long sock_sys_bind(long fd, const void *addr, long len);
long sock_sys_listen(long fd, long backlog);
long sock_sys_accept4(long fd, void *addr, void *lenp, long flags);
long sock_sys_connect(long fd, const void *addr, long len);
long sock_sys_sendto(long fd, const void *buf, size_t len, long flags, const void *addr, long alen);
long sock_sys_recvfrom(long fd, void *buf, size_t len, long flags, void *addr, void *alenp);
long sock_sys_sendmsg(long fd, const void *msg, long flags);
long sock_sys_recvmsg(long fd, void *msg, long flags);
long sock_sys_shutdown(long fd, long how);
long sock_sys_setsockopt(long fd, long level, long name, const void *val, long len);
long sock_sys_getsockopt(long fd, long level, long name, void *val, void *lenp);
long sock_sys_getname(long fd, void *addr, void *lenp, int peer);

#endif /* LIBOS_FD_H */
