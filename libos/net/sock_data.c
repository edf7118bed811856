/* SPDX-License-Identifier: ISC */
/* sock_data.c: moving bytes through a socket: send, receive, and what poll sees. Never blocks. */
#include "net.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "lwip/tcp.h"
#include "lwip/udp.h"

#define UDP_PAYLOAD_MAX 65507 /* 65535 - IPv4 header - UDP header */

/* A position in an app's iovec array: the bytes from skip on are still to move. */
struct iov_cur {
	const struct iovec *iov;
	int cnt;
	size_t skip;
};

/* The next piece, at most max bytes: 1 with *base and *n set, 0 at the end. */
static int iov_next(struct iov_cur *c, size_t max, char **base, size_t *n)
{
	while (c->cnt > 0 && c->skip >= c->iov->iov_len) {
		c->skip -= c->iov->iov_len;
		c->iov++;
		c->cnt--;
	}
	if (c->cnt <= 0 || max == 0)
		return 0;
	*base = (char *)c->iov->iov_base + c->skip;
	*n = c->iov->iov_len - c->skip < max ? c->iov->iov_len - c->skip : max;
	c->skip += *n;
	return 1;
}

static bool tcp_writable(struct tcp_pcb *pcb)
{
	return tcp_sndbuf(pcb) >= TCP_SNDLOWAT && tcp_sndqueuelen(pcb) < TCP_SNDQUEUELOWAT;
}

static long tcp_send_some(struct sock *s, const struct iovec *iov, int cnt, size_t skip,
			  size_t len, int flags)
{
	struct tcp_pcb *pcb = s->pcb.tcp;
	size_t done = 0;

	if (s->shut_wr || (!pcb && s->state == SS_CLOSED)) {
		int e = sock_take_err(s);
		return -(e ? e : EPIPE); /* no SIGPIPE exists here: EPIPE only */
	}
	if (s->state == SS_CONNECTING)
		return -EAGAIN;
	if (s->state != SS_CONNECTED)
		return -ENOTCONN;
	for (struct iov_cur cur = { iov, cnt, skip }; done < len;) {
		size_t room = tcp_sndbuf(pcb), n;
		char *b;
		if (!room || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN ||
		    !iov_next(&cur, len - done < room ? len - done : room, &b, &n))
			break;
		u8_t more = done + n < len || (flags & MSG_MORE) ? TCP_WRITE_FLAG_MORE : 0;
		if (tcp_write(pcb, b, (u16_t)n, TCP_WRITE_FLAG_COPY | more) != ERR_OK)
			break; /* segment queue full: what was queued stands */
		done += n;
	}
	if (done)
		tcp_output(pcb);
	return done ? (long)done : -EAGAIN;
}

static long udp_send_one(struct sock *s, const struct iovec *iov, int cnt, size_t skip,
			 size_t len, const ip_addr_t *to, uint16_t port)
{
	struct pbuf *p;
	size_t off = 0, n;
	char *b;
	err_t e;

	if (len > UDP_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (!to && !(s->pcb.udp->flags & UDP_FLAGS_CONNECTED))
		return -EDESTADDRREQ;
	if (s->shut_wr)
		return -EPIPE;
	/* Big datagrams as a chain of pool pbufs: one RAM pbuf is limited to 64 KiB with headers. */
	if (!(p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, len > 1400 ? PBUF_POOL : PBUF_RAM)))
		return -ENOBUFS;
	for (struct iov_cur cur = { iov, cnt, skip }; off < len && iov_next(&cur, len - off, &b, &n);
	     off += n)
		pbuf_take_at(p, b, (u16_t)n, (u16_t)off);
	e = to ? udp_sendto(s->pcb.udp, p, to, port) : udp_send(s->pcb.udp, p);
	pbuf_free(p);
	return e == ERR_OK ? (long)len : -sock_errno(e);
}

long sock_send(struct sock *s, const struct iovec *iov, int cnt, size_t skip, size_t len,
	       int flags, const ip_addr_t *to, uint16_t port)
{
	if (s->type == SOCK_STREAM)
		return tcp_send_some(s, iov, cnt, skip, len, flags);
	return udp_send_one(s, iov, cnt, skip, len, to, port);
}

/* Copies p[0..len) into iov[] from byte skip on; returns bytes copied. */
static size_t copy_out(struct pbuf *p, const struct iovec *iov, int cnt, size_t skip, size_t len)
{
	size_t off = 0, n;
	char *b;

	for (struct iov_cur cur = { iov, cnt, skip }; off < len && iov_next(&cur, len - off, &b, &n);
	     off += n)
		pbuf_copy_partial(p, b, (u16_t)n, (u16_t)off);
	return off;
}

static long tcp_recv_some(struct sock *s, const struct iovec *iov, int cnt, size_t skip,
			  size_t len, int flags)
{
	if (s->rx) {
		size_t n = copy_out(s->rx, iov, cnt, skip, len < s->rx->tot_len ? len : s->rx->tot_len);
		if (!(flags & MSG_PEEK)) {
			s->rx = pbuf_free_header(s->rx, (u16_t)n);
			if (s->pcb.tcp)
				tcp_recved(s->pcb.tcp, (u16_t)n); /* the window reopens as the app reads */
		}
		return (long)n;
	}
	if (s->eof || s->shut_rd)
		return 0;
	if (s->err)
		return -sock_take_err(s);
	if (s->state == SS_CONNECTING)
		return -EAGAIN;
	if (s->state != SS_CONNECTED)
		return s->state == SS_CLOSED ? 0 : -ENOTCONN;
	return len ? -EAGAIN : 0;
}

static long udp_recv_one(struct sock *s, const struct iovec *iov, int cnt, size_t skip,
			 size_t len, int flags, ip_addr_t *from, uint16_t *port, size_t *full)
{
	struct dgram *d = s->dq;

	if (!d)
		return s->shut_rd ? 0 : -EAGAIN;
	*full = d->p->tot_len;
	*from = d->addr;
	*port = d->port;
	size_t n = copy_out(d->p, iov, cnt, skip, len < *full ? len : *full);
	if (!(flags & MSG_PEEK)) {
		if (!(s->dq = d->next))
			s->dq_tail = &s->dq;
		s->dq_bytes -= *full;
		pbuf_free(d->p);
		free(d);
	}
	return (long)n;
}

long sock_recv(struct sock *s, const struct iovec *iov, int cnt, size_t skip, size_t len,
	       int flags, ip_addr_t *from, uint16_t *port, size_t *full)
{
	if (s->type == SOCK_STREAM)
		return tcp_recv_some(s, iov, cnt, skip, len, flags);
	return udp_recv_one(s, iov, cnt, skip, len, flags, from, port, full);
}

size_t sock_readable(struct sock *s)
{
	if (s->type == SOCK_STREAM)
		return s->rx ? s->rx->tot_len : 0;
	return s->dq ? s->dq->p->tot_len : 0; /* Linux: the next datagram's size */
}

unsigned sock_events(struct sock *s)
{
	unsigned ev = s->err ? POLLERR : 0;

	if (s->type != SOCK_STREAM)
		return ev | POLLOUT | (s->dq || s->shut_rd ? POLLIN | POLLRDNORM : 0);
	switch (s->state) {
	case SS_LISTEN:
		return ev | (s->acq ? POLLIN | POLLRDNORM : 0);
	case SS_NEW:
		return ev | POLLOUT | POLLHUP; /* as Linux reports an unconnected socket */
	case SS_CONNECTING:
		return ev;
	case SS_CONNECTED:
	case SS_CLOSED:
		break;
	}
	if (s->rx || s->eof || s->shut_rd || s->err)
		ev |= POLLIN | POLLRDNORM;
	if (s->eof)
		ev |= POLLRDHUP;
	if (!s->pcb.tcp || (s->eof && s->shut_wr))
		ev |= POLLHUP;
	if (!s->shut_wr && (!s->pcb.tcp || tcp_writable(s->pcb.tcp)))
		ev |= POLLOUT | POLLWRNORM; /* a write then reports the error */
	return ev;
}
