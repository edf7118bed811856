/* SPDX-License-Identifier: ISC */
/* tcp_hooks.c: lwIP hooks for a server: RFC 6528 ISNs, and what a SYN meets first (TIME_WAIT, a full backlog). */
#include "net.h"

#include <stdint.h>

#include "libos.h"
#include "lwip/ip.h"
#include "lwip/ip4.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip_hooks.h"

/*
 * TIME_WAIT connections kept at most: lwIP keeps them in a list that every
 * new connection's SYN walks, for 2 MSL (lwipopts.h: 60 s, as Linux). A
 * server answering thousands of short connections a second would keep
 * tens of thousands; past this many, a new connection recycles the oldest
 * (Linux: net.ipv4.tcp_max_tw_buckets).
 */
#define TW_MAX        1024
#define ISN_TICK_NS   4000     /* RFC 6528: the clock part advances every 4 µs */

static uint64_t isn_key[2];
static bool isn_keyed;

/* --- SipHash-2-4 (Aumasson and Bernstein), of one to four 64-bit words ---------- */

#define ROTL(x, b) ((uint64_t)((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
	v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

static uint64_t siphash(const uint64_t k[2], const uint64_t *m, unsigned words)
{
	uint64_t v[4] = { k[0] ^ 0x736f6d6570736575ull, k[1] ^ 0x646f72616e646f6dull,
			  k[0] ^ 0x6c7967656e657261ull, k[1] ^ 0x7465646279746573ull };
	uint64_t last = (uint64_t)(words * 8) << 56;

	for (unsigned i = 0; i <= words; i++) {
		uint64_t w = i < words ? m[i] : last;
		v[3] ^= w;
		sip_round(v);
		sip_round(v);
		v[0] ^= w;
	}
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* --- initial sequence numbers ------------------------------------------------------ */

/*
 * lwIP's own ISN is a counter that starts at 6510 for every container: a
 * peer (or anyone on the path) could predict it. RFC 6528: ISN = M + F,
 * M a 4 µs clock, F a keyed hash of the connection's addresses and ports.
 * ISNs of one connection's incarnations then grow with time, which is what
 * lets a new SYN end a TIME_WAIT safely (RFC 6191).
 */
u32_t net_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
		  u16_t remote_port)
{
	uint64_t m[2];

	if (!isn_keyed) {
		libos_random_fill(isn_key, sizeof isn_key);
		isn_keyed = true;
	}
	m[0] = (uint64_t)ip_addr_get_ip4_u32(local_ip) << 32 | ip_addr_get_ip4_u32(remote_ip);
	m[1] = (uint64_t)local_port << 16 | remote_port;
	return (u32_t)((uint64_t)net_now() / ISN_TICK_NS + siphash(isn_key, m, 2));
}

/* --- a SYN or RST, before lwIP sees it ----------------------------------------------- */

static struct tcp_pcb_listen *listener_of(u16_t port, const ip4_addr_p_t *dst)
{
	for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
		if (l->local_port == port &&
		    (ip_addr_isany(&l->local_ip) || ip4_addr_cmp(ip_2_ip4(&l->local_ip), dst)))
			return l;
	return NULL;
}

static bool same_tuple(const struct tcp_pcb *pcb, const struct ip_hdr *ip, u16_t sport, u16_t dport)
{
	return pcb->remote_port == sport && pcb->local_port == dport &&
	       ip4_addr_cmp(ip_2_ip4(&pcb->remote_ip), &ip->src) &&
	       ip4_addr_cmp(ip_2_ip4(&pcb->local_ip), &ip->dest);
}

/*
 * A SYN for the addresses and ports of a connection in TIME_WAIT is a new
 * connection if its sequence number is past the old one's end: RFC 6191
 * without timestamps, i.e. RFC 1122 4.2.2.13, as Linux does. lwIP would
 * answer it with an ACK, the peer with a reset that lwIP ignores (RFC
 * 1337), and the peer would retry for up to the 2 MSL. An RST at exactly
 * the old connection's next sequence number (the answer to such an ACK)
 * ends the TIME_WAIT too, as Linux does by default (tcp_rfc1337 = 0).
 * The same SYN also ends an old connection in FIN_WAIT_2 that no socket
 * holds: everything we sent was acknowledged, and a peer that opens a new
 * connection from the same port has closed the old one (its FIN was lost;
 * passt does not send it again). Past TW_MAX, a SYN for a listening port
 * recycles the oldest TIME_WAIT. Ending one frees its pcb without a reset
 * (the peer would take it for the new connection's). Pcbs a socket still
 * holds are left alone (sock.c lets go of one once both sides closed).
 */
static void stale_input(const struct ip_hdr *ip, const struct tcp_hdr *th, u8_t flags)
{
	struct tcp_pcb *pcb, *oldest = NULL, *match = NULL;
	u16_t sport = lwip_ntohs(th->src), dport = lwip_ntohs(th->dest);
	u32_t seq = lwip_ntohl(th->seqno);
	unsigned n = 0;

	for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next, n++) {
		oldest = pcb; /* new ones are put first */
		if (!match && same_tuple(pcb, ip, sport, dport))
			match = pcb;
	}
	if (match && !match->callback_arg) {
		if (flags & TCP_RST ? seq == match->rcv_nxt : TCP_SEQ_GT(seq, match->rcv_nxt))
			tcp_abandon(match, 0);
		return;
	}
	if (match || (flags & TCP_RST))
		return;
	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
		if (same_tuple(pcb, ip, sport, dport))
			break;
	if (pcb && pcb->state == FIN_WAIT_2 && !pcb->callback_arg && TCP_SEQ_GT(seq, pcb->rcv_nxt))
		tcp_abandon(pcb, 0);
	else if (!pcb && n >= TW_MAX && !oldest->callback_arg && listener_of(dport, &ip->dest))
		tcp_abandon(oldest, 0);
}

/*
 * lwIP drops a SYN in silence when as many connections as the backlog
 * allows are half open (SYN_RCVD). A peer retransmits its SYN then, but
 * passt does not (Debian 12's version): its client would wait for good
 * and passt would hold the connection. Answer with a reset instead, as
 * Linux does when told to (tcp_abort_on_overflow); the peer knows at once.
 */
static int backlog_full(struct pbuf *p, const struct ip_hdr *ip, const struct tcp_hdr *th)
{
	struct tcp_pcb_listen *l = listener_of(lwip_ntohs(th->dest), &ip->dest);
	u16_t hlen = IPH_HL_BYTES(ip), seglen;
	ip_addr_t src, dst;

	if (!l || l->accepts_pending < l->backlog)
		return 0;
	seglen = (u16_t)(lwip_ntohs(IPH_LEN(ip)) - hlen - TCPH_HDRLEN_BYTES(th) + 1);
	ip_addr_copy_from_ip4(src, ip->src);
	ip_addr_copy_from_ip4(dst, ip->dest);
	tcp_rst(NULL, 0, lwip_ntohl(th->seqno) + seglen, &dst, &src, lwip_ntohs(th->dest),
		lwip_ntohs(th->src));
	pbuf_free(p);
	return 1;
}

/* Called for every IPv4 packet before lwIP looks at it; 1 if it was answered here (and freed). */
int net_tcp_syn_input(struct pbuf *p, struct netif *inp)
{
	const struct ip_hdr *ip = p->payload;
	const struct tcp_hdr *th;
	u16_t hlen;
	u8_t flags;

	if (p->len < IP_HLEN || IPH_PROTO(ip) != IP_PROTO_TCP ||
	    (IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)))
		return 0;
	hlen = IPH_HL_BYTES(ip);
	if (hlen < IP_HLEN || p->len < hlen + TCP_HLEN || lwip_ntohs(IPH_LEN(ip)) > p->tot_len)
		return 0;
	th = (const struct tcp_hdr *)((const u8_t *)ip + hlen);
	if (TCPH_HDRLEN_BYTES(th) < TCP_HLEN || lwip_ntohs(IPH_LEN(ip)) < hlen + TCPH_HDRLEN_BYTES(th))
		return 0;
	flags = TCPH_FLAGS(th);
	if (!(flags & TCP_RST) && (flags & (TCP_SYN | TCP_ACK)) != TCP_SYN)
		return 0;
	stale_input(ip, th, flags);
	return flags & TCP_RST ? 0 : backlog_full(p, ip, th);
}
