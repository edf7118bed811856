/* SPDX-License-Identifier: ISC */
/*
 * The L2 switch. Pure: no hv state, no allocation, no locks (the hv runs
 * calls and interrupt handlers one at a time), so it is unit-tested on
 * the host (tests/unit/test_hv_switch.c). A container can only ever
 * receive frames addressed to its own MAC, broadcasts and multicasts, and
 * send frames from its own MAC and IPv4 address (lib/netsrc.c).
 */
#include "switch.h"

#include "lib.h"

#define ETH_MIN 14

static int is_group(const uint8_t *mac)
{
	return mac[0] & 1; /* broadcast or multicast */
}

static int same_mac(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 6) == 0;
}

void sw_init(struct sw *sw, const struct sw_ops *ops)
{
	memset(sw, 0, sizeof(*sw));
	sw->ops = ops;
}

int sw_attach(struct sw *sw, struct sw_port *p, const uint8_t mac[6], uint32_t ipv4, void *owner)
{
	if (is_group(mac) || sw->next_id >= SW_PORTS_MAX || sw->nports >= SW_PORTS_MAX)
		return -1;
	for (unsigned i = 0; i < sw->nports; i++)
		if (same_mac(sw->port[i]->src.mac, mac))
			return -1;
	memcpy(p->src.mac, mac, 6);
	p->src.ipv4 = ipv4;
	p->id = ++sw->next_id; /* 0 is the uplink's */
	p->owner = owner;
	p->head = p->count = 0;
	memset(p->held, 0, SW_HELD_SIZE);
	p->held_uplink = 0;
	memset(p->refused, 0, sizeof(p->refused));
	p->dropped = p->sent = p->received = 0;
	sw->port[sw->nports++] = p;
	return 0;
}

void sw_detach(struct sw *sw, struct sw_port *p)
{
	for (unsigned i = 0; i < sw->nports; i++) {
		if (sw->port[i] == p) {
			sw->port[i] = sw->port[--sw->nports];
			sw->port[sw->nports] = NULL;
			return;
		}
	}
}

/* How many frames of sender src port p holds. */
static uint8_t *held(struct sw_port *p, uint16_t src)
{
	return src == SW_UPLINK ? &p->held_uplink : &p->held[src - 1];
}

static struct sw_port *lookup(const struct sw *sw, const uint8_t *mac)
{
	for (unsigned i = 0; i < sw->nports; i++)
		if (same_mac(sw->port[i]->src.mac, mac))
			return sw->port[i];
	return NULL;
}

/*
 * Queue a copy for port to. 1 if queued, 0 if the queue is full or the
 * sender already holds its share of it: one sender can fill at most half
 * a queue, so a flood leaves room for everyone else's frames.
 */
static int enqueue(struct sw *sw, struct sw_port *to, uint16_t src, const uint8_t *f,
		   uint32_t len)
{
	uint32_t i;

	if (to->count == SW_QUEUE || *held(to, src) >= SW_SHARE)
		return 0;
	i = (to->head + to->count) % SW_QUEUE;
	memcpy(to->buf[i], f, len);
	to->slot[i].len = (uint16_t)len;
	to->slot[i].src = src;
	++*held(to, src);
	if (to->count++ == 0 && sw->ops->wake)
		sw->ops->wake(to);
	return 1;
}

/* To every port but the sender's; each full queue drops its copy. */
static void flood(struct sw *sw, const struct sw_port *from, const uint8_t *f, uint32_t len)
{
	uint16_t src = from ? from->id : SW_UPLINK;

	for (unsigned i = 0; i < sw->nports; i++) {
		struct sw_port *p = sw->port[i];
		if (p != from && !enqueue(sw, p, src, f, len))
			p->dropped++;
	}
}

int sw_send(struct sw *sw, struct sw_port *from, const uint8_t *f, uint32_t len)
{
	enum netsrc_verdict v = netsrc_check(&from->src, f, len);
	struct sw_port *to;

	if (v != NETSRC_OK) {
		from->refused[v]++;
		return 1; /* taken, and dropped for good: retrying would not make it honest */
	}
	if (is_group(f)) {
		flood(sw, from, f, len);
		if (sw->ops->uplink_tx && sw->ops->uplink_tx(f, len))
			sw->uplink_full++;
		from->sent++;
		return 1;
	}
	if ((to = lookup(sw, f))) {
		if (to == from) {
			from->sent++; /* to itself: a switch never sends back out of the same port */
			return 1;
		}
		if (!enqueue(sw, to, from->id, f, len))
			return 0;
	} else if (!sw->ops->uplink_tx) {
		/* Unknown unicast and no uplink: nowhere to go, like a cable to nothing. */
	} else if (sw->ops->uplink_tx(f, len)) {
		return 0;
	}
	from->sent++;
	return 1;
}

void sw_input(struct sw *sw, const uint8_t *f, uint32_t len)
{
	struct sw_port *to;

	if (len < ETH_MIN || len > HAKO_FRAME_MAX) {
		sw->uplink_dropped++;
		return;
	}
	if (is_group(f)) {
		flood(sw, NULL, f, len);
		return;
	}
	if (!(to = lookup(sw, f))) {
		sw->uplink_dropped++; /* never flooded: unicast reaches its owner or no one */
		return;
	}
	if (!enqueue(sw, to, SW_UPLINK, f, len))
		to->dropped++;
}

const uint8_t *sw_peek(const struct sw_port *p, uint32_t *len)
{
	if (!p->count)
		return NULL;
	*len = p->slot[p->head].len;
	return p->buf[p->head];
}

void sw_pop(struct sw_port *p)
{
	if (!p->count)
		return;
	--*held(p, p->slot[p->head].src);
	p->head = (p->head + 1) % SW_QUEUE;
	p->count--;
	p->received++;
}
