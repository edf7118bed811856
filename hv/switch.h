/* SPDX-License-Identifier: ISC */
/* The L2 switch between the containers' ports and the uplink (the NIC). */
#ifndef HV_SWITCH_H
#define HV_SWITCH_H

#include <stdint.h>

#include "hako/abi.h"
#include "hako/bundle.h"
#include "netsrc.h"

#define SW_QUEUE     256  /* frames a port's receive queue holds */
#define SW_SHARE     128  /* most frames one sender may hold in one queue */
#define SW_BUF_SIZE  2048 /* bytes per frame buffer: two per page */
#define SW_PORTS_MAX HAKO_BUNDLE_MAX /* container ports; the uplink is not one */
#define SW_HELD_SIZE 4096 /* bytes of a port's per-sender counts: one page */
#define SW_UPLINK    0    /* sender id of frames from the uplink */

/*
 * A container's port. The owner provides the memory (struct and buffers,
 * charged to the container's quota): nothing in the switch is allocated
 * per frame, so no sender can make the hv run out of memory, and a queue
 * that is full drops, never grows. Counters are read by the owner.
 */
struct sw_port {
	struct netsrc src;         /* its MAC and IPv4 address: what it may send as */
	uint16_t id;               /* sender id, 1..SW_PORTS_MAX, never reused */
	void *owner;               /* for sw_ops.wake */
	uint8_t *buf[SW_QUEUE];    /* SW_BUF_SIZE bytes each; slot i uses buf[i] */
	struct { uint16_t len, src; } slot[SW_QUEUE];
	uint32_t head, count;      /* queued frames: slots head, head+1, ... (mod SW_QUEUE) */
	uint8_t *held;             /* SW_HELD_SIZE bytes: frames queued here from sender id - 1 */
	uint8_t held_uplink;       /*   and from the uplink */
	uint64_t refused[NETSRC_VERDICTS]; /* sent, failed netsrc_check, dropped: by verdict */
	uint64_t dropped;          /* for it, lost to a full queue or a sender's used-up share */
	uint64_t sent, received;
};
_Static_assert(sizeof(struct sw_port) <= 4096, "a port fits one page");
_Static_assert(SW_PORTS_MAX <= SW_HELD_SIZE && SW_SHARE <= 255, "a count per sender fits held[]");

struct sw_ops {
	/* Port p's queue just became non-empty. */
	void (*wake)(struct sw_port *p);
	/* Hand a frame to the NIC: 0, or -1 when its transmit ring is full. NULL: no uplink. */
	int (*uplink_tx)(const uint8_t *frame, uint32_t len);
};

struct sw {
	const struct sw_ops *ops;
	struct sw_port *port[SW_PORTS_MAX]; /* attached, in no particular order */
	unsigned nports;
	uint16_t next_id;
	uint64_t uplink_dropped;   /* frames from the uplink nobody took, or of a bad length */
	uint64_t uplink_full;      /* broadcasts the uplink's full ring could not take */
};

void sw_init(struct sw *sw, const struct sw_ops *ops);

/*
 * Attach p with the unicast address mac and the IPv4 address ipv4
 * (network order, 0: none); p->buf[] MUST point to SW_QUEUE buffers of
 * SW_BUF_SIZE bytes, p->held to SW_HELD_SIZE bytes (the owner's memory,
 * like the buffers). Returns 0, or -1 if mac is not unicast, is already
 * on the switch, or the switch has had SW_PORTS_MAX ports.
 */
int sw_attach(struct sw *sw, struct sw_port *p, const uint8_t mac[6], uint32_t ipv4, void *owner);
/* Take p off the switch; frames queued for it are forgotten. */
void sw_detach(struct sw *sw, struct sw_port *p);

/*
 * Forward a frame a container sent from port from (len 14..HAKO_FRAME_MAX,
 * checked by the caller). By destination MAC: to the one port with that
 * MAC; broadcast and multicast to every port but the sender's and to the
 * uplink; unknown unicast to the uplink only. A frame that fails the
 * source check (lib/netsrc.h: its MAC, ARP and IPv4 source addresses are
 * the port's own, no other type) is dropped and counted. The frame MUST
 * be the switch's copy, not the sender's memory. Returns 1 if the frame was
 * taken (delivered, or dropped for good), 0 if its only destination is
 * full and the sender should try again later.
 */
int sw_send(struct sw *sw, struct sw_port *from, const uint8_t *frame, uint32_t len);

/* A frame from the uplink: to the port with its destination MAC, or to all for broadcast. */
void sw_input(struct sw *sw, const uint8_t *frame, uint32_t len);

/* The oldest frame queued for p and its length, or NULL if none. */
const uint8_t *sw_peek(const struct sw_port *p, uint32_t *len);
/* Drop the oldest frame queued for p (after sw_peek returned it). */
void sw_pop(struct sw_port *p);

#endif /* HV_SWITCH_H */
