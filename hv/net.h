/* SPDX-License-Identifier: ISC */
/* Container networking: each container's switch port, the net calls, the uplink hooks. */
#ifndef HV_NET_H
#define HV_NET_H

#include <stdint.h>

#include "hako/bundle.h"
#include "pd.h"

/* The switch, with no uplink until a NIC driver calls net_uplink. */
void net_init(void);

/*
 * Put pd on the switch if its entry has HAKO_BUNDLE_NET: a port whose
 * receive queue (SW_QUEUE frame buffers) is charged to pd's quota. When
 * pd_destroy detaches it, its drop counters are reported and its queue
 * freed. Returns 0, or -1 with *why set (nothing is left allocated).
 */
int net_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why);
/* Pages net_attach charges to the quota of a container with entry e. */
uint64_t net_pages(const struct hako_bundle_entry *e);

/*
 * The calls (abi.h): checked by lib/abicheck.c, as on proc; uiov and every
 * buffer go through the gate (umem.h).
 */
long net_send(struct pd *pd, uint64_t uiov, uint64_t n);
long net_recv(struct pd *pd, uint64_t uiov, uint64_t n);
/* HAKO_READY_NET if a frame waits for pd, else 0. */
uint32_t net_ready(const struct pd *pd);

/*
 * The NIC driver's side. tx hands one frame to the NIC (0, or -1 when its
 * ring is full), flush notifies it once after a batch, drain waits (a
 * bounded time) until the NIC has sent what it was given. Frames the NIC
 * received go in through net_input.
 */
struct net_uplink_ops {
	int (*tx)(const uint8_t *frame, uint32_t len);
	void (*flush)(void);
	void (*drain)(void);
};
void net_uplink(const struct net_uplink_ops *ops);
void net_input(const uint8_t *frame, uint32_t len);

#endif /* HV_NET_H */
