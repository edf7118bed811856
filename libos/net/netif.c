/* SPDX-License-Identifier: ISC */
/* netif.c: lwIP in the libOS: the hako netif over the batched frame calls, timers, the event loop step. */
#include "net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libos.h"

#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define RX_ROUNDS     4               /* net_recv batches per step: then timers and the app run */
#define LOOP_ROUNDS   64              /* loopback delivery rounds per step */
#define DHCP_WAIT_NS  (5000000000LL)  /* how long the first socket waits for a lease */
#define TX_RETRY_NS   (1000000LL)     /* retry of frames the platform could not take yet */
#define EXIT_LINGER_NS (2000000000LL) /* at exit, how long queued TCP data may take to leave */

static bool started;
static bool attached;                 /* the platform gave us a network */
static struct netif hnet;

/* Receive: pool pbufs of a whole frame each, handed to net_recv and then to lwIP as they are. */
static struct pbuf *rx[HAKO_NET_BATCH_MAX];
static struct hako_iov rx_iov[HAKO_NET_BATCH_MAX];

/*
 * Send: frames copied out of lwIP's pbuf chains into a ring of frame slots,
 * sent in one call per batch. Frames the platform could not take yet stay
 * queued for the next flush; only a frame that finds the ring full is dropped.
 */
static uint8_t *tx_buf;               /* HAKO_NET_BATCH_MAX slots of HAKO_FRAME_MAX */
static uint16_t tx_len[HAKO_NET_BATCH_MAX];
static unsigned tx_head, tx_count;
static uint64_t tx_dropped;

int64_t net_now(void)
{
	return hako_time(HAKO_CLOCK_MONOTONIC);
}

/* lwIP's clock (ms, wraps: lwIP only compares differences). */
u32_t sys_now(void)
{
	return (u32_t)(net_now() / 1000000);
}

unsigned libos_net_rand(void)
{
	unsigned r;

	libos_random_fill(&r, sizeof r);
	return r;
}

/* --- output -------------------------------------------------------------------- */

void net_flush(void)
{
	struct hako_iov iov[HAKO_NET_BATCH_MAX];

	if (!tx_count)
		return;
	for (unsigned i = 0; i < tx_count; i++) {
		unsigned slot = (tx_head + i) % HAKO_NET_BATCH_MAX;
		iov[i] = (struct hako_iov){ .base = (uint64_t)(tx_buf + (size_t)slot * HAKO_FRAME_MAX),
					    .len = tx_len[slot] };
	}
	long n = hako_call(HAKO_CALL_NET_SEND, (long)iov, (long)tx_count, 0, 0);
	if (n < 0) { /* the device is gone or refuses: nothing queued can ever leave */
		tx_dropped += tx_count;
		n = tx_count;
	}
	if ((unsigned long)n > tx_count)
		n = tx_count;
	tx_head = (tx_head + (unsigned)n) % HAKO_NET_BATCH_MAX;
	tx_count -= (unsigned)n;
}

/* lwIP's link output: queue a copy of the frame; a full ring goes out at once. */
static err_t hako_linkoutput(struct netif *netif, struct pbuf *p)
{
	if (tx_count == HAKO_NET_BATCH_MAX)
		net_flush();
	if (p->tot_len > HAKO_FRAME_MAX || tx_count == HAKO_NET_BATCH_MAX) {
		tx_dropped++; /* like a full NIC queue: TCP retransmits */
		return ERR_IF;
	}
	unsigned slot = (tx_head + tx_count++) % HAKO_NET_BATCH_MAX;
	pbuf_copy_partial(p, tx_buf + (size_t)slot * HAKO_FRAME_MAX, p->tot_len, 0);
	tx_len[slot] = p->tot_len;
	return ERR_OK;
}

/* --- input ----------------------------------------------------------------------- */

static bool rx_refill(void)
{
	for (unsigned i = 0; i < HAKO_NET_BATCH_MAX; i++) {
		if (!rx[i] && !(rx[i] = pbuf_alloc(PBUF_RAW, HAKO_FRAME_MAX, PBUF_POOL)))
			return false;
		/* One pool pbuf holds a frame (PBUF_POOL_BUFSIZE), so the buffer is contiguous. */
		rx_iov[i] = (struct hako_iov){ .base = (uint64_t)rx[i]->payload, .len = HAKO_FRAME_MAX };
	}
	return true;
}

static void net_input(void)
{
	for (int round = 0; round < RX_ROUNDS; round++) {
		if (!rx_refill())
			return; /* out of memory: the frames wait in the platform's queue */
		long n = hako_call(HAKO_CALL_NET_RECV, (long)rx_iov, HAKO_NET_BATCH_MAX, 0, 0);
		if (n <= 0)
			return;
		for (long i = 0; i < n && i < HAKO_NET_BATCH_MAX; i++) {
			struct pbuf *p = rx[i];
			uint32_t len = rx_iov[i].len;
			rx[i] = NULL;
			if (len < SIZEOF_ETH_HDR || len > HAKO_FRAME_MAX) {
				pbuf_free(p);
				continue;
			}
			pbuf_realloc(p, (u16_t)len);
			if (hnet.input(p, &hnet) != ERR_OK)
				pbuf_free(p);
		}
		if (n < HAKO_NET_BATCH_MAX)
			return;
	}
}

/* Loopback output is queued on the netif; deliver it (and what it provokes). */
static bool loop_pending(void)
{
	struct netif *n;

	NETIF_FOREACH(n)
		if (n->loop_first)
			return true;
	return false;
}

static void loop_input(void)
{
	for (int round = 0; round < LOOP_ROUNDS && loop_pending(); round++)
		netif_poll_all();
}

/* --- the event loop's network part ---------------------------------------------------- */

void libos_net_step(void)
{
	if (!started)
		return;
	if (attached)
		net_input();
	loop_input();
	sys_check_timeouts();
	net_flush();
}

int64_t libos_net_idle(void)
{
	if (!started)
		return INT64_MAX;
	net_flush();
	if (loop_pending())
		return 0;
	if (tx_count) /* the platform's queue was full: no event says when it drains */
		return net_now() + TX_RETRY_NS;
	u32_t ms = sys_timeouts_sleeptime();
	if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		return INT64_MAX;
	return net_now() + (int64_t)ms * 1000000;
}

/* --- start ------------------------------------------------------------------------------ */

static err_t hako_netif_init(struct netif *netif)
{
	const struct hako_start_info *si = libos_info;

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = hako_linkoutput;
	netif->mtu = si->mtu >= 576 && si->mtu <= 1500 ? si->mtu : 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, si->mac, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

bool net_is_local(const ip_addr_t *addr)
{
	struct netif *n;

	if (ip4_addr_isloopback(ip_2_ip4(addr)))
		return true;
	NETIF_FOREACH(n)
		if (ip_addr_cmp(addr, &n->ip_addr))
			return true;
	return false;
}

static void wait_for_lease(void)
{
	int64_t deadline = net_now() + DHCP_WAIT_NS;

	char line[96];
	int n;

	while (!dhcp_supplied_address(&hnet) && net_now() < deadline)
		libos_wait(deadline);
	if (!dhcp_supplied_address(&hnet)) {
		hako_console("hako-libos: no DHCP lease yet, still trying\n", 44);
		return;
	}
	n = snprintf(line, sizeof(line), "hako-libos: DHCP lease %s", ip4addr_ntoa(netif_ip4_addr(&hnet)));
	n += snprintf(line + n, sizeof(line) - (size_t)n, " gateway %s\n",
		      ip4addr_ntoa(netif_ip4_gw(&hnet)));
	hako_console(line, (size_t)n);
}

static int attach(void)
{
	const struct hako_start_info *si = libos_info;
	ip4_addr_t ip, mask, gw;

	if (!(tx_buf = malloc((size_t)HAKO_NET_BATCH_MAX * HAKO_FRAME_MAX)))
		return -ENOMEM;
	ip.addr = si->ipv4_addr; /* network order, as lwIP keeps them */
	mask.addr = si->ipv4_netmask;
	gw.addr = si->ipv4_gateway;
	if (!netif_add(&hnet, &ip, &mask, &gw, NULL, hako_netif_init, ethernet_input))
		return -ENOMEM;
	netif_set_default(&hnet);
	netif_set_link_up(&hnet);
	netif_set_up(&hnet);
	attached = true;
	if (si->ipv4_addr == 0) {
		if (dhcp_start(&hnet) != ERR_OK)
			return -ENOMEM;
		wait_for_lease();
	}
	return 0;
}

static bool tcp_busy(void)
{
	for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
		if (pcb->unsent || pcb->unacked)
			return true;
	return false;
}

/*
 * exit() after a send: a kernel would still deliver the data (and the FIN
 * of a close). Give it a bounded time to leave, then go.
 */
static void net_linger(void)
{
	int64_t deadline = net_now() + EXIT_LINGER_NS;

	libos_net_step();
	while (tcp_busy() && net_now() < deadline)
		libos_wait(deadline);
	net_flush();
}

/* Once, at the first socket; a failure to attach sticks (every socket call reports it). */
int net_start(void)
{
	static int result;

	if (started)
		return result;
	lwip_init(); /* also brings up the loopback interface, 127.0.0.1 */
	started = true;
	atexit(net_linger);
	if (libos_info->flags & HAKO_INFO_NET)
		result = attach();
	return result;
}
