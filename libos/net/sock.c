/* SPDX-License-Identifier: ISC */
/* sock.c: a socket over an lwIP raw-API pcb: callbacks queue what arrives, calls never block. */
#include "net.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "lwip/tcp.h"
#include "lwip/udp.h"

#define UDP_RCVBUF      (256 << 10)   /* default datagram queue, bytes (Linux: ~208 KiB) */
#define SYN_BACKLOG     255           /* half-open connections per listener (lwIP counts in a byte) */

int sock_errno(int lwip_err)
{
	switch (lwip_err) {
	case ERR_MEM:        return ENOMEM;
	case ERR_BUF:        return ENOBUFS;
	case ERR_TIMEOUT:    return ETIMEDOUT;
	case ERR_RTE:        return ENETUNREACH;
	case ERR_INPROGRESS: return EINPROGRESS;
	case ERR_VAL:        return EINVAL;
	case ERR_WOULDBLOCK: return EAGAIN;
	case ERR_USE:        return EADDRINUSE;
	case ERR_ALREADY:    return EALREADY;
	case ERR_ISCONN:     return EISCONN;
	case ERR_CONN:       return ENOTCONN;
	case ERR_IF:         return ENETDOWN;
	case ERR_ABRT:       return ECONNABORTED;
	case ERR_RST:        return ECONNRESET;
	case ERR_CLSD:       return ENOTCONN;
	default:             return EIO;
	}
}

int sock_take_err(struct sock *s)
{
	int e = s->err;

	s->err = 0;
	return e;
}

static struct sock *sock_alloc(int type)
{
	struct sock *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->type = type;
	s->linger = -1;
	s->dq_tail = &s->dq;
	s->acq_tail = &s->acq;
	s->rcvbuf = type == SOCK_STREAM ? TCP_WND : UDP_RCVBUF;
	s->sndbuf = type == SOCK_STREAM ? TCP_SND_BUF : UDP_RCVBUF;
	return s;
}

static struct tcp_pcb *tcp_detach(struct sock *s);

/* --- lwIP callbacks: they only record what happened; the calls below act on it --- */

static err_t tcp_recv_cb(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct sock *s = arg;

	if (!p) {
		s->eof = true;
		/*
		 * Both sides closed: lwIP ends the connection without us
		 * (CLOSING, TIME_WAIT), and frees a TIME_WAIT pcb without a
		 * callback. Let go of it now, so no socket holds a freed pcb.
		 */
		if (s->shut_wr)
			tcp_detach(s);
		return ERR_OK;
	}
	if (s->shut_rd) { /* read side shut: swallow, keep the window open */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	/* The queue is one chain with a 16-bit length; lwIP offers it again later. */
	if (s->rx && s->rx->tot_len + p->tot_len > 0xffff)
		return ERR_MEM;
	if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	return ERR_OK;
}

/* The pcb is already gone when this runs. */
static void tcp_err_cb(void *arg, err_t err)
{
	struct sock *s = arg;
	bool connecting = s->state == SS_CONNECTING;

	s->pcb.tcp = NULL;
	s->state = SS_CLOSED;
	if (err == ERR_CLSD) { /* both sides closed: no error */
		s->eof = true;
		return;
	}
	if (err == ERR_RST)
		s->err = connecting ? ECONNREFUSED : ECONNRESET;
	else if (err == ERR_ABRT) /* retransmissions or keepalives gave up */
		s->err = ETIMEDOUT;
	else
		s->err = sock_errno(err);
}

static err_t tcp_connected_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *s = arg;

	s->state = SS_CONNECTED;
	return ERR_OK;
}

static void tcp_attach(struct sock *s, struct tcp_pcb *pcb)
{
	s->pcb.tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, tcp_recv_cb);
	tcp_err(pcb, tcp_err_cb);
	if (s->nodelay)
		tcp_nagle_disable(pcb);
}

/* Cuts the socket off its pcb so no callback reaches it again. */
static struct tcp_pcb *tcp_detach(struct sock *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	s->pcb.tcp = NULL;
	if (pcb && s->state != SS_LISTEN) {
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_err(pcb, NULL);
	}
	return pcb;
}

static err_t tcp_accept_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *l = arg, *s;

	if (err != ERR_OK || !pcb || !l)
		return ERR_VAL;
	/* Queue full or no memory: lwIP resets the connection. */
	if (l->acq_len >= l->backlog || !(s = sock_alloc(SOCK_STREAM)))
		return ERR_MEM;
	s->nodelay = l->nodelay;
	s->state = SS_CONNECTED;
	tcp_attach(s, pcb);
	*l->acq_tail = s;
	l->acq_tail = &s->next;
	l->acq_len++;
	return ERR_OK;
}

static void udp_recv_cb(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
			u16_t port)
{
	struct sock *s = arg;
	struct dgram *d;

	/* Like Linux: a full receive queue drops the datagram. */
	if (s->shut_rd || s->dq_bytes + p->tot_len > (size_t)s->rcvbuf || !(d = malloc(sizeof *d))) {
		pbuf_free(p);
		return;
	}
	*d = (struct dgram){ .p = p, .addr = *addr, .port = port };
	*s->dq_tail = d;
	s->dq_tail = &d->next;
	s->dq_bytes += p->tot_len;
}

/* --- life ---------------------------------------------------------------------------- */

struct sock *sock_new(int type)
{
	struct sock *s = sock_alloc(type);
	struct tcp_pcb *pcb;

	if (!s)
		return NULL;
	if (type == SOCK_STREAM) {
		if ((pcb = tcp_new()))
			tcp_attach(s, pcb);
	} else if ((s->pcb.udp = udp_new())) {
		udp_recv(s->pcb.udp, udp_recv_cb, s);
	}
	if (!s->pcb.tcp) {
		free(s);
		return NULL;
	}
	return s;
}

static void tcp_free(struct sock *s)
{
	struct tcp_pcb *pcb = tcp_detach(s);

	while (s->acq) { /* never accepted: reset them */
		struct sock *c = s->acq;
		s->acq = c->next;
		c->linger = 0;
		sock_free(c);
	}
	if (s->rx)
		pbuf_free(s->rx);
	if (!pcb)
		return;
	/*
	 * Unread data makes tcp_close send a reset, as Linux does. lwIP keeps
	 * closing in the background (FIN_WAIT, TIME_WAIT) without us.
	 */
	if (s->state == SS_LISTEN)
		tcp_close(pcb); /* never fails for a listening pcb; tcp_abort must not see one */
	else if (s->linger == 0 || tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

void sock_free(struct sock *s)
{
	if (s->type == SOCK_STREAM) {
		tcp_free(s);
	} else {
		while (s->dq) {
			struct dgram *d = s->dq;
			s->dq = d->next;
			pbuf_free(d->p);
			free(d);
		}
		udp_remove(s->pcb.udp);
	}
	free(s);
}

/* --- connection set-up ------------------------------------------------------------------ */

int sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t e;

	if (!ip_addr_isany(ip) && !net_is_local(ip))
		return -EADDRNOTAVAIL;
	if (s->type == SOCK_STREAM) {
		if (s->state != SS_NEW || !s->pcb.tcp || s->pcb.tcp->local_port)
			return -EINVAL;
		e = tcp_bind(s->pcb.tcp, ip, port);
	} else {
		if (s->pcb.udp->local_port)
			return -EINVAL;
		e = udp_bind(s->pcb.udp, ip, port);
	}
	return e == ERR_OK ? 0 : -sock_errno(e);
}

int sock_listen(struct sock *s, int backlog)
{
	struct tcp_pcb *lpcb;
	err_t e;

	if (backlog < 1)
		backlog = 1;
	if (s->state == SS_LISTEN) {
		s->backlog = backlog;
		return 0;
	}
	if (s->state != SS_NEW || !s->pcb.tcp)
		return -EINVAL;
	if (!s->pcb.tcp->local_port && (e = tcp_bind(s->pcb.tcp, IP_ADDR_ANY, 0)) != ERR_OK)
		return -sock_errno(e);
	/*
	 * The listening pcb replaces the one we had (freed on success only).
	 * lwIP's backlog bounds the half-open connections (SYN_RCVD), ours
	 * (acq) the ones not accepted yet: lwIP's is as large as it goes.
	 */
	if (!(lpcb = tcp_listen_with_backlog_and_err(s->pcb.tcp, SYN_BACKLOG, &e)))
		return -sock_errno(e);
	s->pcb.tcp = lpcb;
	s->state = SS_LISTEN;
	s->backlog = backlog;
	tcp_arg(lpcb, s);
	tcp_accept(lpcb, tcp_accept_cb);
	return 0;
}

struct sock *sock_accept(struct sock *s, int *err)
{
	struct sock *c = s->acq;

	*err = s->state == SS_LISTEN ? EAGAIN : EINVAL;
	if (!c || s->state != SS_LISTEN)
		return NULL;
	if (!(s->acq = c->next))
		s->acq_tail = &s->acq;
	s->acq_len--;
	c->next = NULL;
	return c;
}

int sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t e;

	if (s->type != SOCK_STREAM) {
		e = udp_connect(s->pcb.udp, ip, port);
		return e == ERR_OK ? 0 : -sock_errno(e);
	}
	switch (s->state) {
	case SS_CONNECTED:  return -EISCONN;
	case SS_CONNECTING: return -EALREADY;
	case SS_LISTEN:     return -EISCONN;
	case SS_CLOSED: { /* a failed attempt: start over on a fresh pcb */
		struct tcp_pcb *pcb = tcp_new();
		if (!pcb)
			return -ENOMEM;
		tcp_attach(s, pcb);
		s->state = SS_NEW;
		s->eof = s->shut_rd = s->shut_wr = false;
		break;
	}
	case SS_NEW:
		break;
	}
	if ((e = tcp_connect(s->pcb.tcp, ip, port, tcp_connected_cb)) != ERR_OK)
		return -sock_errno(e);
	s->state = SS_CONNECTING;
	return -EINPROGRESS;
}

int sock_connect_done(struct sock *s)
{
	switch (s->state) {
	case SS_CONNECTING: return -EAGAIN;
	case SS_CONNECTED:  return 0;
	default: {
		int e = sock_take_err(s);
		return -(e ? e : ECONNREFUSED);
	}
	}
}

int sock_shutdown(struct sock *s, bool rd, bool wr)
{
	if (s->type == SOCK_STREAM && s->state != SS_CONNECTED && s->state != SS_CLOSED)
		return -ENOTCONN;
	if (rd && !s->shut_rd) {
		s->shut_rd = true;
		if (s->rx) { /* what was not read is dropped, the window reopens */
			if (s->pcb.tcp)
				tcp_recved(s->pcb.tcp, s->rx->tot_len);
			pbuf_free(s->rx);
			s->rx = NULL;
		}
	}
	if (wr && !s->shut_wr) {
		s->shut_wr = true;
		if (s->type == SOCK_STREAM && s->pcb.tcp) {
			err_t e = tcp_shutdown(s->pcb.tcp, 0, 1); /* queues our FIN */
			if (e != ERR_OK)
				return -sock_errno(e);
			tcp_output(s->pcb.tcp);
		}
	}
	return 0;
}
