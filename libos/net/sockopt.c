/* SPDX-License-Identifier: ISC */
/* sockopt.c: setsockopt and getsockopt on the libOS's sockets (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP). */
#include "net.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "fd.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#define NS_PER_SEC 1000000000LL

/* The pcb's common IP fields (options, TTL, TOS); NULL once a TCP connection is gone. */
static struct ip_pcb *ip_pcb_of(struct sock *s)
{
	return s->type == SOCK_STREAM ? (struct ip_pcb *)s->pcb.tcp : (struct ip_pcb *)s->pcb.udp;
}

static struct tcp_pcb *live_tcp(struct sock *s)
{
	/* A listening pcb is a smaller struct: only the common fields are there. */
	return s->type == SOCK_STREAM && s->state != SS_LISTEN ? s->pcb.tcp : NULL;
}

static long set_timeout(int64_t *ns, const void *val, long len)
{
	const struct timeval *tv = val;

	if ((size_t)len < sizeof *tv)
		return -EINVAL;
	if (tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EDOM;
	if (tv->tv_sec < 0)
		*ns = 1; /* as Linux: a negative timeout does not wait */
	else if (tv->tv_sec >= INT64_MAX / NS_PER_SEC - 1)
		*ns = 0;
	else
		*ns = tv->tv_sec * NS_PER_SEC + tv->tv_usec * 1000;
	return 0;
}

static void set_ip_option(struct sock *s, u8_t opt, int on)
{
	struct ip_pcb *pcb = ip_pcb_of(s);

	if (!pcb)
		return;
	if (on)
		ip_set_option(pcb, opt);
	else
		ip_reset_option(pcb, opt);
}

static long set_socket_level(struct sock *s, long name, const void *val, long len, int v)
{
	switch (name) {
	case SO_REUSEADDR: set_ip_option(s, SOF_REUSEADDR, v); return 0;
	case SO_KEEPALIVE: set_ip_option(s, SOF_KEEPALIVE, v); return 0;
	case SO_BROADCAST: set_ip_option(s, SOF_BROADCAST, v); return 0;
	case SO_RCVBUF:    s->rcvbuf = v < 256 ? 256 : v; return 0;  /* UDP: bounds the queue */
	case SO_SNDBUF:    s->sndbuf = v < 256 ? 256 : v; return 0;  /* recorded only */
	case SO_RCVTIMEO:  return set_timeout(&s->rcvtimeo, val, len);
	case SO_SNDTIMEO:  return set_timeout(&s->sndtimeo, val, len);
	case SO_LINGER: {
		const struct linger *l = val;
		if ((size_t)len < sizeof *l)
			return -EINVAL;
		s->linger = l->l_onoff ? (l->l_linger < 0 ? 0 : l->l_linger) : -1;
		return 0;
	}
	}
	return -ENOPROTOOPT;
}

static long set_tcp_level(struct sock *s, long name, int v)
{
	struct tcp_pcb *tcp = live_tcp(s);

	if (s->type != SOCK_STREAM)
		return -ENOPROTOOPT;
	switch (name) {
	case TCP_NODELAY:
		s->nodelay = v != 0;
		if (tcp) {
			if (v)
				tcp_nagle_disable(tcp);
			else
				tcp_nagle_enable(tcp);
		}
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
		if (v < 1 || v > (name == TCP_KEEPCNT ? 127 : 32767))
			return -EINVAL;
		if (tcp && name == TCP_KEEPIDLE)
			tcp->keep_idle = (u32_t)v * 1000;
		else if (tcp && name == TCP_KEEPINTVL)
			tcp->keep_intvl = (u32_t)v * 1000;
		else if (tcp)
			tcp->keep_cnt = (u32_t)v;
		return 0;
	}
	return -ENOPROTOOPT;
}

long sock_sys_setsockopt(long fd, long level, long name, const void *val, long len)
{
	struct sock *s;
	struct ip_pcb *pcb;
	long r;
	int v;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if (len < 0)
		return -EINVAL;
	if (len && libos_user_ok(val, (size_t)len))
		return -EFAULT;
	/* Every option but the struct ones takes an int. */
	int is_struct = level == SOL_SOCKET &&
			(name == SO_RCVTIMEO || name == SO_SNDTIMEO || name == SO_LINGER);
	if (!is_struct && (size_t)len < sizeof(int))
		return -EINVAL;
	v = is_struct ? 0 : *(const int *)val;
	switch (level) {
	case SOL_SOCKET:
		return set_socket_level(s, name, val, len, v);
	case IPPROTO_TCP:
		return set_tcp_level(s, name, v);
	case IPPROTO_IP:
		pcb = ip_pcb_of(s);
		if (name != IP_TTL && name != IP_TOS)
			return -ENOPROTOOPT;
		if (v < (name == IP_TTL ? 1 : 0) || v > 255)
			return -EINVAL;
		if (pcb && name == IP_TTL)
			pcb->ttl = (u8_t)v;
		else if (pcb)
			pcb->tos = (u8_t)v;
		return 0;
	}
	return -ENOPROTOOPT;
}

/* The value of an int option; -ENOPROTOOPT for one we do not know. */
static long get_int(struct sock *s, long level, long name, int *v)
{
	struct ip_pcb *pcb = ip_pcb_of(s);
	struct tcp_pcb *tcp = live_tcp(s);

	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_TYPE:       *v = s->type; return 0;
		case SO_DOMAIN:     *v = AF_INET; return 0;
		case SO_PROTOCOL:   *v = s->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP; return 0;
		case SO_ERROR:      *v = sock_take_err(s); return 0;
		case SO_ACCEPTCONN: *v = s->state == SS_LISTEN; return 0;
		case SO_RCVBUF:     *v = s->rcvbuf; return 0;
		case SO_SNDBUF:     *v = s->sndbuf; return 0;
		case SO_REUSEADDR:  *v = pcb && ip_get_option(pcb, SOF_REUSEADDR); return 0;
		case SO_KEEPALIVE:  *v = pcb && ip_get_option(pcb, SOF_KEEPALIVE); return 0;
		case SO_BROADCAST:  *v = pcb && ip_get_option(pcb, SOF_BROADCAST); return 0;
		}
	} else if (level == IPPROTO_TCP && s->type == SOCK_STREAM) {
		switch (name) {
		case TCP_NODELAY:   *v = s->nodelay; return 0;
		case TCP_KEEPIDLE:  *v = tcp ? (int)(tcp->keep_idle / 1000) : 7200; return 0;
		case TCP_KEEPINTVL: *v = tcp ? (int)(tcp->keep_intvl / 1000) : 75; return 0;
		case TCP_KEEPCNT:   *v = tcp ? (int)tcp->keep_cnt : 9; return 0;
		case TCP_MAXSEG:    *v = tcp && tcp->mss ? tcp->mss : TCP_MSS; return 0;
		}
	} else if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TTL: *v = pcb ? pcb->ttl : IP_DEFAULT_TTL; return 0;
		case IP_TOS: *v = pcb ? pcb->tos : 0; return 0;
		}
	}
	return -ENOPROTOOPT;
}

long sock_sys_getsockopt(long fd, long level, long name, void *val, void *lenp)
{
	union {
		int i;
		struct timeval tv;
		struct linger l;
	} out;
	size_t size = sizeof(int);
	struct sock *s;
	long r;

	if (!(s = sock_lookup(fd, NULL, &r)))
		return r;
	if (libos_user_ok(lenp, sizeof(socklen_t)))
		return -EFAULT;
	int len = *(int *)lenp;
	if (len < 0)
		return -EINVAL;
	if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
		int64_t ns = name == SO_RCVTIMEO ? s->rcvtimeo : s->sndtimeo;
		out.tv = (struct timeval){ .tv_sec = ns / NS_PER_SEC, .tv_usec = ns % NS_PER_SEC / 1000 };
		size = sizeof out.tv;
	} else if (level == SOL_SOCKET && name == SO_LINGER) {
		out.l = (struct linger){ .l_onoff = s->linger >= 0, .l_linger = s->linger < 0 ? 0 : s->linger };
		size = sizeof out.l;
	} else if ((r = get_int(s, level, name, &out.i))) {
		return r;
	}
	if ((size_t)len < size)
		size = (size_t)len; /* Linux truncates */
	if (size && libos_user_ok(val, size))
		return -EFAULT;
	memcpy(val, &out, size);
	*(socklen_t *)lenp = (socklen_t)size;
	return 0;
}
