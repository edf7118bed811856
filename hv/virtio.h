/* SPDX-License-Identifier: ISC */
/*
 * virtio over PCI (modern, VIRTIO_F_VERSION_1 only) and split virtqueues.
 *
 * STATUS: ready for drivers (virtio_blk.c uses it; virtio_net.c may).
 *
 * A driver:
 *   struct virtio_dev d;  static struct virtq q;
 *   virtio_find(VIRTIO_ID_NET, 0, &d)            device by PCI ID, capabilities mapped
 *   virtio_init(&d, wanted_features)             reset, ACK, DRIVER, features, FEATURES_OK, MSI-X on
 *   virtio_cfg_read(&d, off, &x, sizeof(x))      device-specific config (generation-checked)
 *   virtq_init(&d, &q, index, max, handler, arg) rings in hv memory, one MSI-X vector per queue
 *   virtio_ready(&d)                             DRIVER_OK
 *   virtq_add(&q, bufs, n, token); virtq_kick(&q) post a chain (readable bufs first), notify
 *   in handler(arg): while ((tok = virtq_get(&q, &len))) ...   bounded, validated
 * Buffers are physical addresses of hv memory (no IOMMU: DMA address =
 * physical address). Handlers run in interrupt context with interrupts
 * off and MUST NOT switch containers (see irq.h; sched_wake is fine).
 * Nothing here trusts the device: used-ring indices, IDs and lengths are
 * checked and clamped; a device that breaks the rules gets its queue
 * marked broken (q->broken), which the driver turns into -HAKO_EIO.
 * Not used: event index (suppression is by the ring flags), indirect
 * descriptors, packed rings, INTx (MSI-X is required).
 */
#ifndef HV_VIRTIO_H
#define HV_VIRTIO_H

#include <stdint.h>

#include "pci.h"

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTQ_MAX          256 /* descriptors per queue the hv sets up at most */

struct virtio_dev {
	struct pci_dev *pci;
	volatile uint8_t *common;   /* common configuration structure */
	volatile uint8_t *isr;
	volatile uint8_t *device;   /* device-specific configuration */
	uint32_t device_len;
	volatile uint8_t *notify;
	uint32_t notify_len, notify_mult;
	uint64_t features;          /* negotiated */
};

/* What a chain is made of: readable buffers first, then device-writable ones. */
struct virtq_buf {
	uint64_t pa;   /* physical address of hv memory */
	uint32_t len;  /* > 0 */
	int write;     /* the device writes it */
};

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct virtq {
	struct virtio_dev *dev;
	uint16_t index, size;                /* size: a power of two <= VIRTQ_MAX */
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail;            /* flags, idx, ring[size], used_event */
	volatile uint32_t *used;             /* flags|idx, then {id, len} pairs */
	volatile uint16_t *notify_reg;
	uint16_t free_head, nfree;
	uint16_t avail_idx, last_used;       /* our copies: never read back from the device */
	int broken;                          /* the device broke the rules: no more I/O */
	int vector;                          /* LAPIC vector */
	/* Per head descriptor of a chain in flight (0 = not a head in flight). */
	uint16_t next[VIRTQ_MAX];            /* shadow of desc[].next */
	uint16_t chain_len[VIRTQ_MAX];
	uint32_t chain_wlen[VIRTQ_MAX];      /* writable bytes: the most a used len may say */
	void *token[VIRTQ_MAX];
};

/*
 * Find the index-th virtio device of type (VIRTIO_ID_*) in bus order,
 * modern (1af4:1040+type) or transitional, and map its capabilities.
 * 0, or -1 if there is none or its capabilities are unusable.
 */
int virtio_find(unsigned type, unsigned index, struct virtio_dev *d);

/*
 * Reset the device and negotiate VIRTIO_F_VERSION_1 plus what of wanted
 * the device offers (d->features); enable MSI-X. 0, or -1 with *why set
 * (the device is left FAILED).
 */
int virtio_init(struct virtio_dev *d, uint64_t wanted, const char **why);

/* Copy len bytes of device config at off into buf, consistently. 0, or -1 if out of range. */
int virtio_cfg_read(struct virtio_dev *d, unsigned off, void *buf, unsigned len);

/*
 * Set up queue index with at most max descriptors (rounded down to a power
 * of two, capped by the device and VIRTQ_MAX), its rings in fresh hv pages,
 * and an MSI-X vector that calls handler(arg). 0, or -1 with *why set.
 */
int virtq_init(struct virtio_dev *d, struct virtq *q, uint16_t index, uint16_t max,
	       void (*handler)(void *arg), void *arg, const char **why);

/* DRIVER_OK: the device may start using its queues. */
void virtio_ready(struct virtio_dev *d);

/*
 * Post one chain of n buffers (readable before writable), remembered by
 * token (non-NULL). 0, or -1 if fewer than n descriptors are free, the
 * order or a length is bad, or the queue is broken. Call virtq_kick after.
 */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token);
/* Tell the device about new chains, unless it asked not to be told. */
void virtq_kick(struct virtq *q);
/*
 * The token of the next chain the device finished, with *len the bytes it
 * wrote (clamped to the chain's writable size), or NULL when none is ready
 * or the device misbehaved (then q->broken is set).
 */
void *virtq_get(struct virtq *q, uint32_t *len);
/* Ask the device not to interrupt (polling), or to interrupt again. */
void virtq_intr(struct virtq *q, int on);

#endif /* HV_VIRTIO_H */
