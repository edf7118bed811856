/* SPDX-License-Identifier: ISC */
/* sock_api.c: the Linux socket calls: check the app's arguments, block in the event loop, file ops. */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "fd.h"
#include "libos.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

/* --- the socket file -------------------------------------------------------------- */

static long sock_readv(struct file *f, const struct iovec *iov, int cnt);
static long sock_writev(struct file *f, const struct iovec *iov, int cnt);

static unsigned sock_poll(struct file *f)
{
	return sock_events(f->priv);
}

static long sock_ioctl(struct file *f, unsigned long req, void *arg)
{
	if (req != FIONREAD)
		return -ENOTTY;
	if (libos_user_ok(arg, sizeof(int)))
		return -EFAULT;
	*(int *)arg = (int)sock_readable(f->priv);
	return 0;
}

static long sock_fstat(struct file *f, struct stat *st)
{
	*st = (struct stat){ .st_mode = S_IFSOCK | 0777, .st_nlink = 1, .st_blksize = 4096 };
	return 0;
}

static void sock_release(struct file *f)
{
	sock_free(f->priv);
	free(f);
	net_flush(); /* the FIN or reset goes out now */
}

static const struct file_ops sock_ops = {
	.readv = sock_readv, .writev = sock_writev, .poll = sock_poll,
	.ioctl = sock_ioctl, .fstat = sock_fstat, .release = sock_release,
};

struct sock *sock_lookup(long fd, struct file **fp, long *err)
{
	struct file *f = fd_get(fd);

	*err = !f ? -EBADF : f->ops != &sock_ops ? -ENOTSOCK : 0;
	if (fp)
		*fp = f;
	return *err ? NULL : f->priv;
}

/* Gives s a descriptor; on failure s is closed again. */
static long sock_install(struct sock *s, long flags)
{
	unsigned status = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	struct file *f = file_new(&sock_ops, s, status);
	int fd;

	if (!f) {
		sock_free(s);
		return -ENOMEM;
	}
	if ((fd = fd_install(f, flags & SOCK_CLOEXEC)) < 0)
		sock_release(f);
	return fd;
}

/* --- blocking: retry in the event loop until done, non-blocking, or timed out --------- */

typedef long (*try_fn)(struct sock *s, void *ctx);

static long run(struct file *f, struct sock *s, int flags, int64_t timeo, try_fn try, void *ctx)
{
	long r = try(s, ctx);

	if (r != -EAGAIN)
		return r;
	libos_net_step(); /* frames already waiting may be the answer */
	r = try(s, ctx);
	if (r != -EAGAIN || (flags & MSG_DONTWAIT) || (f->status & O_NONBLOCK))
		return r;
	int64_t deadline = timeo > 0 ? net_now() + timeo : INT64_MAX;
	while (r == -EAGAIN && net_now() < deadline) {
		libos_wait(deadline);
		r = try(s, ctx);
	}
	return r;
}

/* --- addresses ----------------------------------------------------------------------- */

static long addr_in(const void *addr, long len, ip_addr_t *ip, uint16_t *port)
{
	const struct sockaddr_in *sin = addr;

	if (len < 0)
		return -EINVAL;
	if (libos_user_ok(addr, (size_t)len))
		return -EFAULT;
	if ((size_t)len < sizeof(sa_family_t))
		return -EINVAL;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if ((size_t)len < sizeof *sin)
		return -EINVAL;
	ip_addr_set_ip4_u32(ip, sin->sin_addr.s_addr);
	*port = ntohs(sin->sin_port);
	return 0;
}

/* Writes ip:port to the app's (addr, *lenp), truncated as Linux does; NULL addr is fine. */
static long addr_out(const ip_addr_t *ip, uint16_t port, void *addr, socklen_t *lenp)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (!addr)
		return 0;
	if (libos_user_ok(lenp, sizeof *lenp))
		return -EFAULT;
	if ((int)*lenp < 0)
		return -EINVAL;
	size_t n = *lenp < sizeof sin ? *lenp : sizeof sin;
	if (n && libos_user_ok(addr, n))
		return -EFAULT;
	sin.sin_addr.s_addr = ip ? ip_addr_get_ip4_u32(ip) : 0;
	memcpy(addr, &sin, n);
	*lenp = sizeof sin;
	return 0;
}

/* --- set-up calls ----------------------------------------------------------------------- */

long sock_sys_socket(long domain, long type, long proto)
{
	long kind = type & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sock *s;
	long r;

	if (domain != AF_INET)
		return -EAFNOSUPPORT;
	if (kind != SOCK_STREAM && kind != SOCK_DGRAM)
		return kind == SOCK_RAW ? -EPERM : -EINVAL;
	if (proto && proto != (kind == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return -EPROTONOSUPPORT;
	if ((r = net_start()))
		return r;
	if (!(s = sock_new((int)kind)))
		return -ENOMEM;
	return sock_install(s, type);
}

long sock_sys_bind(long fd, const void *addr, long len)
{
	struct sock *s;
	ip_addr_t ip;
	uint16_t port;
	long r;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if ((r = addr_in(addr, len, &ip, &port)))
		return r;
	return sock_bind(s, &ip, port);
}

long sock_sys_listen(long fd, long backlog)
{
	struct sock *s;
	long r;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return sock_listen(s, backlog > 4096 ? 4096 : (int)backlog);
}

static long try_accept(struct sock *s, void *ctx)
{
	int e;

	*(struct sock **)ctx = sock_accept(s, &e);
	return *(struct sock **)ctx ? 0 : -e;
}

long sock_sys_accept4(long fd, void *addr, void *lenp, long flags)
{
	struct sock *s, *c;
	struct file *f;
	long r;

	if (flags & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (addr && libos_user_ok(lenp, sizeof(socklen_t)))
		return -EFAULT;
	if ((r = run(f, s, 0, s->rcvtimeo, try_accept, &c)))
		return r;
	if (c->pcb.tcp)
		r = addr_out(&c->pcb.tcp->remote_ip, c->pcb.tcp->remote_port, addr, lenp);
	else
		r = addr_out(NULL, 0, addr, lenp);
	if (r) {
		sock_free(c);
		return r;
	}
	return sock_install(c, flags);
}

static long try_connected(struct sock *s, void *ctx)
{
	return sock_connect_done(s);
}

long sock_sys_connect(long fd, const void *addr, long len)
{
	struct sock *s;
	struct file *f;
	ip_addr_t ip;
	uint16_t port;
	long r;

	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if (s->type == SOCK_DGRAM && len >= (long)sizeof(sa_family_t) && !libos_user_ok(addr, (size_t)len) &&
	    ((const struct sockaddr *)addr)->sa_family == AF_UNSPEC) {
		udp_disconnect(s->pcb.udp); /* AF_UNSPEC dissolves the association */
		return 0;
	}
	if ((r = addr_in(addr, len, &ip, &port)))
		return r;
	if (ip_addr_isany(&ip)) /* Linux: connecting to 0.0.0.0 means this host */
		ip_addr_set_loopback(0, &ip);
	r = sock_connect(s, &ip, port);
	net_flush(); /* the SYN leaves now */
	if (r != -EINPROGRESS || (f->status & O_NONBLOCK))
		return r;
	r = run(f, s, 0, s->sndtimeo, try_connected, NULL);
	return r == -EAGAIN ? -EINPROGRESS : r; /* timed out: it goes on in the background */
}

long sock_sys_shutdown(long fd, long how)
{
	struct sock *s;
	long r;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	r = sock_shutdown(s, how != SHUT_WR, how != SHUT_RD);
	net_flush();
	return r;
}

long sock_sys_getname(long fd, void *addr, void *lenp, int peer)
{
	struct sock *s;
	long r;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if (libos_user_ok(addr, 1))
		return -EFAULT;
	if (s->type == SOCK_STREAM) {
		struct tcp_pcb *pcb = s->pcb.tcp; /* a listening pcb shares these fields */
		if (peer && s->state != SS_CONNECTED)
			return -ENOTCONN;
		if (!pcb)
			return addr_out(NULL, 0, addr, lenp);
		return peer ? addr_out(&pcb->remote_ip, pcb->remote_port, addr, lenp)
			    : addr_out(&pcb->local_ip, pcb->local_port, addr, lenp);
	}
	struct udp_pcb *u = s->pcb.udp;
	if (peer && !(u->flags & UDP_FLAGS_CONNECTED))
		return -ENOTCONN;
	return peer ? addr_out(&u->remote_ip, u->remote_port, addr, lenp)
		    : addr_out(&u->local_ip, u->local_port, addr, lenp);
}

/* --- data calls ------------------------------------------------------------------------------- */

struct xfer {
	const struct iovec *iov;
	int cnt;
	size_t done, len;     /* bytes moved so far, of len */
	int flags;
	const ip_addr_t *to;  /* send */
	uint16_t port;
	ip_addr_t from;       /* recv */
	size_t full;          /* recv: the datagram's length */
};

static long try_send(struct sock *s, void *ctx)
{
	struct xfer *x = ctx;

	return sock_send(s, x->iov, x->cnt, x->done, x->len - x->done, x->flags, x->to, x->port);
}

static long try_recv(struct sock *s, void *ctx)
{
	struct xfer *x = ctx;

	return sock_recv(s, x->iov, x->cnt, x->done, x->len - x->done, x->flags, &x->from,
			 &x->port, &x->full);
}

/* A blocking stream send queues everything (or stops at an error or the timeout). */
static long do_send(struct file *f, struct xfer *x)
{
	struct sock *s = f->priv;
	long r;

	if (x->flags & MSG_OOB)
		return -EOPNOTSUPP;
	do {
		r = run(f, s, x->flags, s->sndtimeo, try_send, x);
		if (r > 0)
			x->done += (size_t)r;
	} while (r > 0 && x->done < x->len && s->type == SOCK_STREAM &&
		 !(x->flags & MSG_DONTWAIT) && !(f->status & O_NONBLOCK));
	net_flush();
	if (r < 0) /* an error after some bytes went: report the bytes */
		return x->done ? (long)x->done : r;
	return (long)x->done;
}

static long do_recv(struct file *f, struct xfer *x)
{
	struct sock *s = f->priv;
	long r;

	if (x->flags & MSG_OOB)
		return -EOPNOTSUPP;
	do {
		r = run(f, s, x->flags, s->rcvtimeo, try_recv, x);
		if (r > 0)
			x->done += (size_t)r;
	} while (r > 0 && (x->flags & MSG_WAITALL) && !(x->flags & MSG_PEEK) && x->done < x->len &&
		 s->type == SOCK_STREAM);
	net_flush(); /* a window update may be due */
	if (r < 0)
		return x->done ? (long)x->done : r;
	if ((x->flags & MSG_TRUNC) && s->type != SOCK_STREAM)
		return (long)x->full; /* Linux: MSG_TRUNC returns the real length */
	return (long)x->done;
}

static long sock_readv(struct file *f, const struct iovec *iov, int cnt)
{
	size_t len;

	libos_iov_check(iov, cnt, &len); /* already checked by fd.c */
	return do_recv(f, &(struct xfer){ .iov = iov, .cnt = cnt, .len = len });
}

static long sock_writev(struct file *f, const struct iovec *iov, int cnt)
{
	size_t len;

	libos_iov_check(iov, cnt, &len);
	return do_send(f, &(struct xfer){ .iov = iov, .cnt = cnt, .len = len });
}

long sock_sys_sendto(long fd, const void *buf, size_t len, long flags, const void *addr, long alen)
{
	struct iovec iov = libos_iov_out(buf, len);
	struct xfer x = { .iov = &iov, .cnt = 1, .len = len, .flags = (int)flags };
	ip_addr_t ip;
	struct sock *s;
	struct file *f;
	long r;

	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if ((r = libos_iov_check(&iov, 1, &len)))
		return r;
	if (addr && s->type == SOCK_DGRAM) { /* a stream socket ignores it, as Linux does */
		if ((r = addr_in(addr, alen, &ip, &x.port)))
			return r;
		x.to = &ip;
	}
	return do_send(f, &x);
}

long sock_sys_recvfrom(long fd, void *buf, size_t len, long flags, void *addr, void *alenp)
{
	struct iovec iov = { buf, len };
	struct xfer x = { .iov = &iov, .cnt = 1, .len = len, .flags = (int)flags };
	struct sock *s;
	struct file *f;
	long r;

	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if ((r = libos_iov_check(&iov, 1, &len)))
		return r;
	if (addr && libos_user_ok(alenp, sizeof(socklen_t)))
		return -EFAULT;
	if ((r = do_recv(f, &x)) < 0 || !addr)
		return r;
	if (s->type == SOCK_STREAM) { /* Linux leaves a stream's address alone but sets its length */
		*(socklen_t *)alenp = 0;
		return r;
	}
	long e = addr_out(&x.from, x.port, addr, alenp);
	return e ? e : r;
}

/* Checks a msghdr and its iovec array; *len gets the total. */
static long msg_check(const struct msghdr *m, size_t *len)
{
	if (libos_user_ok(m, sizeof *m))
		return -EFAULT;
	if ((unsigned)m->msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	return libos_iov_check(m->msg_iov, m->msg_iovlen, len);
}

long sock_sys_sendmsg(long fd, const void *msg, long flags)
{
	const struct msghdr *m = msg;
	struct xfer x = { .flags = (int)flags };
	ip_addr_t ip;
	struct sock *s;
	struct file *f;
	long r;

	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if ((r = msg_check(m, &x.len)))
		return r;
	x.iov = m->msg_iov;
	x.cnt = m->msg_iovlen;
	if (m->msg_name && s->type == SOCK_DGRAM) {
		if ((r = addr_in(m->msg_name, m->msg_namelen, &ip, &x.port)))
			return r;
		x.to = &ip;
	}
	return do_send(f, &x); /* ancillary data is not supported: ignored */
}

long sock_sys_recvmsg(long fd, void *msg, long flags)
{
	struct msghdr *m = msg;
	struct xfer x = { .flags = (int)flags };
	struct sock *s;
	struct file *f;
	long r;

	if (!(s = sock_lookup(fd, &f, &r)))
		return r;
	if ((r = msg_check(m, &x.len)))
		return r;
	x.iov = m->msg_iov;
	x.cnt = m->msg_iovlen;
	if ((r = do_recv(f, &x)) < 0)
		return r;
	m->msg_controllen = 0;
	m->msg_flags = s->type == SOCK_DGRAM && x.full > x.done ? MSG_TRUNC : 0;
	if (m->msg_name && s->type == SOCK_DGRAM) {
		long e = addr_out(&x.from, x.port, m->msg_name, &m->msg_namelen);
		if (e)
			return e;
	} else {
		m->msg_namelen = 0;
	}
	return r;
}
