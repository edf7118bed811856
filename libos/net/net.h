/* SPDX-License-Identifier: ISC */
/* net.h: internal interfaces of the libOS network stack: lwIP glue (netif.c) and sockets (sock*.c). */
#ifndef LIBOS_NET_H
#define LIBOS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"

struct iovec;
struct tcp_pcb;
struct udp_pcb;

/* --- netif.c: lwIP, the hako netif and the stack's part of the event loop --- */

/* Starts lwIP and the interfaces (on the first socket). 0, or -ENOMEM. */
int net_start(void);
/* Hands queued output frames to the platform (one net_send per batch). */
void net_flush(void);
/* The monotonic clock, ns. */
int64_t net_now(void);
/* Whether addr is one of this container's addresses (or 127/8). */
bool net_is_local(const ip_addr_t *addr);

/* --- sock.c: one socket over an lwIP pcb, the raw API's callbacks ---------------- */

enum sock_state {
	SS_NEW,        /* no connection yet (TCP), or any UDP socket */
	SS_LISTEN,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_CLOSED,     /* TCP connection gone: reset, failed, or fully closed */
};

struct dgram {
	struct dgram *next;
	struct pbuf *p;
	ip_addr_t addr;
	uint16_t port;
};

struct sock {
	int type;                 /* SOCK_STREAM or SOCK_DGRAM */
	enum sock_state state;
	union {
		struct tcp_pcb *tcp;  /* NULL once lwIP freed it (err callback) */
		struct udp_pcb *udp;
	} pcb;
	int err;                  /* pending error for SO_ERROR, a positive errno */
	bool eof;                 /* TCP: the peer's FIN arrived */
	bool shut_rd, shut_wr;

	struct pbuf *rx;          /* TCP: bytes received, not yet read */
	struct dgram *dq;         /* UDP: datagrams received, not yet read */
	struct dgram **dq_tail;
	size_t dq_bytes;

	struct sock *acq;         /* listener: connections not yet accepted */
	struct sock **acq_tail;
	struct sock *next;        /* link in the listener's acq */
	int acq_len, backlog;

	/* options (SO_* / TCP_*) */
	bool nodelay;
	int linger;               /* -1 off, else SO_LINGER seconds */
	int rcvbuf, sndbuf;
	int64_t rcvtimeo, sndtimeo; /* ns, 0 = forever */
};

struct sock *sock_new(int type);             /* NULL when out of memory */
void sock_free(struct sock *s);              /* closes the connection too */
int sock_take_err(struct sock *s);           /* SO_ERROR: returns and clears */
int sock_errno(int lwip_err);                /* an lwIP err_t as a positive errno */
int sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int sock_listen(struct sock *s, int backlog);
int sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port);
int sock_connect_done(struct sock *s);       /* 0, -EAGAIN while connecting, -errno */
struct sock *sock_accept(struct sock *s, int *err);
int sock_shutdown(struct sock *s, bool rd, bool wr);
unsigned sock_events(struct sock *s);       /* POLL* ready now */
size_t sock_readable(struct sock *s);       /* FIONREAD */

/*
 * One attempt at moving data, never blocking. iov[] (cnt entries) is
 * used from byte skip on, at most len bytes. Return bytes moved, or
 * -EAGAIN if nothing could move now, or another -errno.
 */
long sock_send(struct sock *s, const struct iovec *iov, int cnt, size_t skip, size_t len,
	       int flags, const ip_addr_t *to, uint16_t port);
/* For UDP, from and port get the sender; *full gets the datagram's whole length. */
long sock_recv(struct sock *s, const struct iovec *iov, int cnt, size_t skip, size_t len,
	       int flags, ip_addr_t *from, uint16_t *port, size_t *full);

/* --- sock_api.c ------------------------------------------------------------------- */

struct file;
/* The socket behind fd; NULL with *err = -EBADF or -ENOTSOCK. */
struct sock *sock_lookup(long fd, struct file **fp, long *err);

#endif /* LIBOS_NET_H */
