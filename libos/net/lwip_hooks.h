/* SPDX-License-Identifier: ISC */
/* lwip_hooks.h: the libOS's hooks into lwIP (LWIP_HOOK_FILENAME; implemented in tcp_hooks.c). */
#ifndef HAKO_LWIP_HOOKS_H
#define HAKO_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

struct pbuf;
struct netif;

/* RFC 6528 initial sequence numbers: a 4 µs clock plus a keyed hash of the connection. */
u32_t net_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
		  u16_t remote_port);
/*
 * Before lwIP sees an IPv4 packet: a SYN or RST may end a TIME_WAIT first;
 * a SYN that finds its listener's backlog full is answered with a reset
 * here (1: the packet was freed). 0: lwIP goes on with it.
 */
int net_tcp_syn_input(struct pbuf *p, struct netif *inp);

#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) net_tcp_isn(lip, lport, rip, rport)
#define LWIP_HOOK_IP4_INPUT(p, inp)               net_tcp_syn_input(p, inp)

#endif /* HAKO_LWIP_HOOKS_H */
