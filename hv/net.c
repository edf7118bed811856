/* SPDX-License-Identifier: ISC */
/*
 * Container networking: the net calls on top of the switch. Every frame
 * is copied in through the pd gate before the switch looks at it, and
 * copied out of the port's queue only into buffers checked beforehand.
 */
#include "net.h"

#include "cons.h"
#include "hako/protocol.h"
#include "lib.h"
#include "mm.h"
#include "sched.h"
#include "switch.h"
#include "umem.h"

static void wake(struct sw_port *p);

static struct sw_ops ops = { .wake = wake };
static struct sw sw;
static const struct net_uplink_ops *uplink;

void net_init(void)
{
	sw_init(&sw, &ops);
}

void net_uplink(const struct net_uplink_ops *u)
{
	uplink = u;
	ops.uplink_tx = u->tx;
}

void net_input(const uint8_t *frame, uint32_t len)
{
	sw_input(&sw, frame, len);
}

/* A frame arrived for a container: one waiting in yield returns with the ready set. */
static void wake(struct sw_port *p)
{
	struct pd *pd = p->owner;

	if (pd->state == PD_SLEEPING)
		sched_wake(pd, HAKO_READY_NET);
}

/* Give back the port's page, its buffer pages (two buffers per page) and its counts. */
static void release(struct pd *pd, struct sw_port *p)
{
	for (unsigned i = 0; i < SW_QUEUE; i += 2)
		if (p->buf[i])
			vm_free(&pd->vm, V2P(p->buf[i]));
	if (p->held)
		vm_free(&pd->vm, V2P(p->held));
	vm_free(&pd->vm, V2P(p));
}

/* The port's drops, if any: one line at its end (the proc tender writes the same). */
static void report(const struct pd *pd, const struct sw_port *p)
{
	const uint64_t *r = p->refused;

	if (!p->dropped && !r[NETSRC_MAC] && !r[NETSRC_ARP] && !r[NETSRC_IPV4] && !r[NETSRC_TYPE])
		return;
	printf(HAKO_LINE_PREFIX "%s" HAKO_LINE_NET "dropped %lu sent frames with a forged source MAC, "
	       "%lu ARP and %lu IPv4 with a forged source address, %lu of a type not carried, "
	       "%lu received frames (queue full)\n",
	       pd->name, r[NETSRC_MAC], r[NETSRC_ARP], r[NETSRC_IPV4], r[NETSRC_TYPE], p->dropped);
}

static void detach(struct pd *pd);
static const struct pd_dev net_dev = { .detach = detach };

int net_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why)
{
	struct sw_port *p;
	uint64_t pa;

	if (!(e->flags & HAKO_BUNDLE_NET))
		return 0;
	*why = pd_oom_reason(pd);
	if (!(pa = vm_alloc(&pd->vm)))
		return -1;
	p = P2V(pa);
	for (unsigned i = 0; i < SW_QUEUE; i += 2) {
		if (!(pa = vm_alloc(&pd->vm))) {
			*why = pd_oom_reason(pd);
			release(pd, p);
			return -1;
		}
		p->buf[i] = P2V(pa);
		p->buf[i + 1] = p->buf[i] + SW_BUF_SIZE;
	}
	if (!(pa = vm_alloc(&pd->vm))) {
		*why = pd_oom_reason(pd);
		release(pd, p);
		return -1;
	}
	p->held = P2V(pa);
	if (sw_attach(&sw, p, e->mac, e->ipv4_addr, pd)) {
		*why = "MAC address already on the switch";
		release(pd, p);
		return -1;
	}
	pd->port = p;
	pd_attach(pd, &net_dev);
	return 0;
}

/* Take pd off the switch, report its drop counters if any, free its queue. */
static void detach(struct pd *pd)
{
	struct sw_port *p = pd->port;

	if (!p)
		return;
	report(pd, p);
	sw_detach(&sw, p);
	release(pd, p);
	/* Its last frames leave before the hv may power off (after the last container). */
	if (uplink)
		uplink->drain();
	pd->port = NULL;
}

uint64_t net_pages(const struct hako_bundle_entry *e)
{
	return e->flags & HAKO_BUNDLE_NET ? 1 + SW_QUEUE / 2 + 1 : 0; /* port, buffers, counts */
}

uint32_t net_ready(const struct pd *pd)
{
	return pd->port && pd->port->count ? HAKO_READY_NET : 0;
}

/* Copy the container's iov array in and check every entry (lib/abicheck.c); 0 or -HAKO_E*. */
static long copy_iovs(struct pd *pd, struct hako_iov *k, uint64_t uiov, uint64_t n, int recv)
{
	struct abi_mem mem = umem_of(pd);

	return abi_frames(&mem, pd->port != NULL, k, uiov, n, recv);
}

long net_send(struct pd *pd, uint64_t uiov, uint64_t n)
{
	static uint8_t frame[HAKO_FRAME_MAX]; /* one CPU, calls run one at a time */
	struct hako_iov k[HAKO_NET_BATCH_MAX];
	long rc = copy_iovs(pd, k, uiov, n, 0);
	uint64_t i;

	if (rc || n == 0)
		return rc;
	for (i = 0; i < n; i++) {
		/* Copied once, then checked and forwarded: the container cannot change it meanwhile. */
		if (umem_copy_in(pd, frame, k[i].base, k[i].len))
			break; /* not after the checks above; stop rather than trust that */
		if (!sw_send(&sw, pd->port, frame, k[i].len))
			break; /* its only destination is full: the rest of the batch waits */
	}
	if (uplink)
		uplink->flush(); /* one notification for the whole batch */
	return (long)i;
}

long net_recv(struct pd *pd, uint64_t uiov, uint64_t n)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];
	long rc = copy_iovs(pd, k, uiov, n, 1);
	const uint8_t *f;
	uint32_t len;
	uint64_t got;

	if (rc || n == 0)
		return rc;
	for (got = 0; got < n && (f = sw_peek(pd->port, &len)); got++) {
		/* The frame leaves the queue only once the container has it. */
		if (umem_copy_out(pd, k[got].base, f, len))
			break;
		k[got].len = len;
		sw_pop(pd->port);
	}
	if (got && umem_copy_out(pd, uiov, k, got * sizeof(*k)))
		return -HAKO_EFAULT;
	return (long)got;
}
