/* SPDX-License-Identifier: ISC */
/*
 * virtio-net driver: the switch's uplink. The receive ring is kept full
 * of hv buffers and drained by its interrupt (no polling: an idle hv
 * halts); each received frame goes into the switch and its buffer straight
 * back into the ring. Transmit copies a frame into a free buffer; finished
 * buffers are reclaimed on the next send (no transmit interrupt), and a
 * whole net_send batch costs one notification (vnet_flush).
 */
#include "virtio_net.h"

#include "cons.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "timer.h"
#include "virtio.h"

#define RXQ      0
#define TXQ      1
#define BUF_SIZE 2048 /* header + HAKO_FRAME_MAX fits; two buffers per page */

/* Every frame is preceded by this header (VIRTIO_F_VERSION_1: always 12 bytes). */
struct vnet_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};
_Static_assert(sizeof(struct vnet_hdr) == 12, "virtio-net header layout");

static struct virtio_dev dev;
static struct virtq rxq, txq;
static uint8_t *tx_free[VIRTQ_MAX];  /* transmit buffers not in the ring */
static unsigned ntx_free;
static int tx_pending;               /* chains added since the last notification */

/* The device is done with some transmit buffers: take them back. */
static void tx_reclaim(void)
{
	uint32_t len;
	void *buf;

	/* Bounded: at most one per descriptor the queue has. */
	for (unsigned i = 0; i < txq.size && (buf = virtq_get(&txq, &len)); i++)
		tx_free[ntx_free++] = buf;
}

static int vnet_tx(const uint8_t *frame, uint32_t len)
{
	struct virtq_buf b;
	uint8_t *buf;

	if (!ntx_free)
		tx_reclaim();
	if (!ntx_free || txq.broken)
		return -1;
	buf = tx_free[--ntx_free];
	memset(buf, 0, sizeof(struct vnet_hdr)); /* no offloads */
	memcpy(buf + sizeof(struct vnet_hdr), frame, len);
	b = (struct virtq_buf){ .pa = V2P(buf), .len = (uint32_t)sizeof(struct vnet_hdr) + len };
	if (virtq_add(&txq, &b, 1, buf)) {
		tx_free[ntx_free++] = buf;
		return -1;
	}
	tx_pending = 1;
	return 0;
}

static void vnet_flush(void)
{
	if (tx_pending)
		virtq_kick(&txq);
	tx_pending = 0;
}

static void tx_irq(void *arg)
{
	(void)arg; /* suppressed; reclaiming happens on send */
}

/* Poll for the device to finish every transmit buffer, 100 ms at most. */
static void vnet_drain(void)
{
	uint64_t end = time_mono_ns() + 100000000;

	tx_reclaim();
	while (ntx_free < txq.size && !txq.broken && time_mono_ns() < end) {
		pause();
		tx_reclaim();
	}
}

static const struct net_uplink_ops uplink = {
	.tx = vnet_tx, .flush = vnet_flush, .drain = vnet_drain,
};

static int rx_post(uint8_t *buf)
{
	struct virtq_buf b = { .pa = V2P(buf), .len = BUF_SIZE, .write = 1 };

	return virtq_add(&rxq, &b, 1, buf);
}

/* Frames arrived: each into the switch, its buffer back into the ring, one notification. */
static void rx_irq(void *arg)
{
	uint32_t len;
	uint8_t *buf;

	(void)arg;
	/* Bounded: more than two rings' worth is left to the next interrupt. */
	for (unsigned i = 0; i < 2u * rxq.size && (buf = virtq_get(&rxq, &len)); i++) {
		/* The switch checks the length; a header alone is nothing. */
		if (len > sizeof(struct vnet_hdr))
			net_input(buf + sizeof(struct vnet_hdr), len - (uint32_t)sizeof(struct vnet_hdr));
		rx_post(buf);
	}
	virtq_kick(&rxq);
}

/* n buffers of BUF_SIZE from hv pages, two per page, into out[]. 0, or -1 out of memory. */
static int alloc_bufs(uint8_t **out, unsigned n)
{
	for (unsigned i = 0; i < n; i += 2) {
		uint64_t pa = page_alloc();
		if (!pa)
			return -1;
		out[i] = P2V(pa);
		if (i + 1 < n)
			out[i + 1] = out[i] + BUF_SIZE;
	}
	return 0;
}

void vnet_init(void)
{
	static uint8_t *rx_bufs[VIRTQ_MAX];
	const char *why = "";

	if (virtio_find(VIRTIO_ID_NET, 0, &dev))
		return; /* no NIC: the switch connects the containers only */
	if (virtio_init(&dev, 0, &why) ||
	    virtq_init(&dev, &rxq, RXQ, VIRTQ_MAX, rx_irq, NULL, &why) ||
	    virtq_init(&dev, &txq, TXQ, VIRTQ_MAX, tx_irq, NULL, &why))
		goto fail;
	why = "out of hv memory for its buffers";
	if (alloc_bufs(rx_bufs, rxq.size) || alloc_bufs(tx_free, txq.size))
		goto fail;
	ntx_free = txq.size;
	virtq_intr(&txq, 0);
	for (unsigned i = 0; i < rxq.size; i++)
		if (rx_post(rx_bufs[i]))
			panic("virtio-net: receive ring refused buffer %u", i);
	virtio_ready(&dev);
	virtq_kick(&rxq);
	net_uplink(&uplink);
	printf("hako: virtio-net %02x:%02x.%x is the uplink (rx %u, tx %u buffers)\n", 0,
	       dev.pci->dev, dev.pci->fn, rxq.size, txq.size);
	return;
fail:
	printf("hako: virtio-net not used: %s\n", why);
}
