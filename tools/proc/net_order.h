/* SPDX-License-Identifier: ISC */
/* proc platform, container side: which frames to passt may share one of its reads (net_order.c). */
#ifndef HAKO_PROC_NET_ORDER_H
#define HAKO_PROC_NET_ORDER_H

#include <stdint.h>

/* secret: random, so that peers cannot choose which connections share a table slot. */
void net_order_init(uint64_t secret);
/* passt has read every byte written so far (SIOCOUTQ was 0). */
void net_order_drained(void);
/*
 * May frame f (len bytes, at least an Ethernet header) be written now? 1:
 * yes, and it counts as unread by passt from now on; 0: it must wait until
 * net_order_drained().
 */
int net_order_admit(const uint8_t *f, uint32_t len);

#endif /* HAKO_PROC_NET_ORDER_H */
