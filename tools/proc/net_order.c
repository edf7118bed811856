/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: which frames to passt may share one of
 * its reads. Freestanding like net.c.
 *
 * passt (Debian 12's 2023-03 version) groups the frames of one read by TCP
 * connection and hands each group to its TCP handler in a loop that counts
 * down the frames the handler consumed. The handler consumes one frame
 * while the connection is being set up (it has just sent us a SYN, or our
 * SYN opens it) or after our FIN, and the whole group otherwise; when a
 * group of two or more meets a state change on the way (the last ACK after
 * our FIN closes the connection, our SYN-ACK establishes it) the count
 * wraps around and passt loops for ever: it no longer reads its socket or
 * accepts connections, and survives the container. Any TCP peer could
 * cause that, e.g. with an oversized request or by half-closing.
 *
 * So a connection whose first frame still unread by passt is a SYN, or
 * that has sent a FIN, gets one frame per read: its next frame waits until
 * passt has read everything (SIOCOUTQ is 0). Data and ACKs of open
 * connections are not held: for them passt consumes the whole group.
 * Connections that sent a FIN are remembered in a table keyed by a secret
 * (a peer choosing its ports cannot evict others' entries at will); a SYN
 * on the same addresses and ports starts a new connection and forgets it.
 */
#include "net_order.h"

#define FLOWS_MAX     256    /* connections with frames passt has not read yet */
#define CLOSING_SLOTS 4096   /* connections that sent a FIN (a power of 2) */
#define PROBE         8      /* slots an entry may live in, from its hash on */
#define ETH_HLEN      14
#define TCP_FIN       0x01
#define TCP_SYN       0x02

struct flow {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* A connection with frames written since passt last read all; solo: it gets no second one. */
static struct unread {
	struct flow f;
	int solo;
} unread[FLOWS_MAX];
static unsigned n_unread;

/* Connections that sent a FIN; used: when last seen, for evicting the oldest of a probe run. */
static struct closing {
	struct flow f;
	uint32_t used;
	int valid;
} closing[CLOSING_SLOTS];
static uint32_t now_used;
static uint64_t key;

void net_order_init(uint64_t secret)
{
	key = secret | 1;
}

void net_order_drained(void)
{
	n_unread = 0;
}

/* The frame's TCP connection and flags, as passt groups them; 0 if it is not TCP over IPv4. */
static int flow_of(const uint8_t *f, uint32_t len, struct flow *fl, unsigned *flags)
{
	const uint8_t *ip = f + ETH_HLEN, *tcp;
	uint32_t hlen;

	if (len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 || ip[9] != 6)
		return 0;
	hlen = (ip[0] & 15) * 4u;
	if (hlen < 20 || len - ETH_HLEN < hlen + 4)
		return 0;
	tcp = ip + hlen;
	fl->saddr = (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 | (uint32_t)ip[14] << 8 | ip[15];
	fl->daddr = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 | (uint32_t)ip[18] << 8 | ip[19];
	fl->sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
	fl->dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
	*flags = len - ETH_HLEN >= hlen + 14 ? tcp[13] : 0;
	return 1;
}

static int same(const struct flow *a, const struct flow *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr && a->sport == b->sport &&
	       a->dport == b->dport;
}

/* A keyed mix of the four fields (not cryptographic: it only spreads what peers choose). */
static unsigned slot_of(const struct flow *fl)
{
	uint64_t h = key;

	h = (h ^ fl->saddr) * 0x9e3779b97f4a7c15ull;
	h = (h ^ fl->daddr ^ h >> 29) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ ((uint32_t)fl->sport << 16 | fl->dport) ^ h >> 31) * 0x94d049bb133111ebull;
	return (unsigned)(h >> 40) & (CLOSING_SLOTS - 1);
}

static struct closing *closing_find(const struct flow *fl)
{
	unsigned s = slot_of(fl);

	for (unsigned i = 0; i < PROBE; i++) {
		struct closing *c = &closing[(s + i) & (CLOSING_SLOTS - 1)];
		if (c->valid && same(&c->f, fl))
			return c;
	}
	return 0;
}

/* Remember fl, in a free slot of its run or in place of the run's oldest entry. */
static void closing_add(const struct flow *fl)
{
	struct closing *c = closing_find(fl), *old = 0;
	unsigned s = slot_of(fl);

	for (unsigned i = 0; !c && i < PROBE; i++) {
		struct closing *e = &closing[(s + i) & (CLOSING_SLOTS - 1)];
		if (!e->valid)
			c = e;
		else if (!old || now_used - e->used > now_used - old->used)
			old = e;
	}
	if (!c)
		c = old;
	*c = (struct closing){ .f = *fl, .used = now_used, .valid = 1 };
}

int net_order_admit(const uint8_t *f, uint32_t len)
{
	struct unread *u = 0;
	struct closing *c;
	struct flow fl;
	unsigned flags;

	if (!flow_of(f, len, &fl, &flags))
		return 1;
	now_used++;
	for (unsigned i = 0; i < n_unread && !u; i++)
		if (same(&unread[i].f, &fl))
			u = &unread[i];
	if (u && u->solo)
		return 0;
	c = closing_find(&fl);
	if (!u) {
		if (n_unread == FLOWS_MAX)
			return 0; /* cannot tell: wait until passt has read what it has */
		u = &unread[n_unread++];
		*u = (struct unread){ .f = fl, .solo = (flags & TCP_SYN) || c };
	}
	if (c)
		c->used = now_used;
	if (flags & TCP_SYN && c)
		c->valid = 0; /* a new connection on the same addresses and ports */
	if (flags & TCP_FIN)
		closing_add(&fl);
	return 1;
}
