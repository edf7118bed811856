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
	for (int i = 0; i < cnt && done < len; i++) {
		size_t n = iov[i].iov_len;
		if (skip >= n) {
			skip -= n;
			continue;
		}
		n -= skip;
		while (n && done < len) {
			size_t room = tcp_sndbuf(pcb);
			size_t chunk = n < len - done ? n : len - done;
			if (chunk > room)
				chunk = room;
			if (!chunk || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN)
				goto out;
			u8_t more = done + chunk < len || (flags & MSG_MORE) ? TCP_WRITE_FLAG_MORE : 0;
			if (tcp_write(pcb, (char *)iov[i].iov_base + skip, (u16_t)chunk,
				      TCP_WRITE_FLAG_COPY | more) != ERR_OK)
				goto out; /* segment queue full: what was queued stands */
			skip += chunk;
			n -= chunk;
			done += chunk;
		}
		skip = 0;
	}
out:
	if (done)
		tcp_output(pcb);
	return done ? (long)done : -EAGAIN;
}

static long udp_send_one(struct sock *s, const struct iovec *iov, int cnt, size_t skip,
			 size_t len, const ip_addr_t *to, uint16_t port)
{
	struct pbuf *p;
	size_t off = 0;
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
	for (int i = 0; i < cnt && off < len; i++) {
		size_t n = iov[i].iov_len;
		if (skip >= n) {
			skip -= n;
			continue;
		}
		n -= skip;
		if (n > len - off)
			n = len - off;
		pbuf_take_at(p, (char *)iov[i].iov_base + skip, (u16_t)n, (u16_t)off);
		off += n;
		skip = 0;
	}
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
	size_t off = 0;

	for (int i = 0; i < cnt && off < len; i++) {
		size_t n = iov[i].iov_len;
		if (skip >= n) {
			skip -= n;
			continue;
		}
		n -= skip;
		if (n > len - off)
			n = len - off;
		pbuf_copy_partial(p, (char *)iov[i].iov_base + skip, (u16_t)n, (u16_t)off);
		off += n;
		skip = 0;
	}
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
