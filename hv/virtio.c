/* SPDX-License-Identifier: ISC */
/* virtio-pci modern transport and split virtqueues; the device is checked, never trusted. */
#include "virtio.h"

#include "cons.h"
#include "irq.h"
#include "lib.h"
#include "mm.h"

#define VENDOR_VIRTIO 0x1af4
#define CAP_VENDOR    0x09
#define CFG_COMMON    1
#define CFG_NOTIFY    2
#define CFG_ISR       3
#define CFG_DEVICE    4

/* Common configuration (virtio 1.x, 4.1.4.3). */
#define C_DFSELECT   0x00
#define C_DF         0x04
#define C_GFSELECT   0x08
#define C_GF         0x0c
#define C_MSIX       0x10
#define C_NUMQ       0x12
#define C_STATUS     0x14
#define C_GEN        0x15
#define C_QSELECT    0x16
#define C_QSIZE      0x18
#define C_QMSIX      0x1a
#define C_QENABLE    0x1c
#define C_QNOTIFYOFF 0x1e
#define C_QDESC      0x20
#define C_QDRIVER    0x28
#define C_QDEVICE    0x30
#define COMMON_LEN   0x38

#define S_ACK         1
#define S_DRIVER      2
#define S_DRIVER_OK   4
#define S_FEATURES_OK 8
#define S_FAILED      128
#define NO_VECTOR     0xffff

#define DESC_NEXT  1
#define DESC_WRITE 2
#define AVAIL_NO_INTERRUPT 1
#define USED_NO_NOTIFY     1

static void w8(struct virtio_dev *d, unsigned off, uint8_t v) { d->common[off] = v; }
static uint8_t r8(struct virtio_dev *d, unsigned off) { return d->common[off]; }
static void w16(struct virtio_dev *d, unsigned off, uint16_t v) { *(volatile uint16_t *)(d->common + off) = v; }
static uint16_t r16(struct virtio_dev *d, unsigned off) { return *(volatile uint16_t *)(d->common + off); }
static void w32(struct virtio_dev *d, unsigned off, uint32_t v) { *(volatile uint32_t *)(d->common + off) = v; }
static uint32_t r32(struct virtio_dev *d, unsigned off) { return *(volatile uint32_t *)(d->common + off); }
static void w64(struct virtio_dev *d, unsigned off, uint64_t v)
{
	w32(d, off, (uint32_t)v);
	w32(d, off + 4, (uint32_t)(v >> 32));
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* The structure a vendor capability points at, if it lies inside a BAR we mapped. */
static volatile uint8_t *cap_region(struct pci_dev *p, unsigned cap, uint32_t *len)
{
	unsigned bar = pci_read8(p, cap + 4);
	uint32_t off = pci_read32(p, cap + 8);

	*len = pci_read32(p, cap + 12);
	if (bar >= PCI_BARS || !p->bar[bar] || off > p->bar_size[bar] ||
	    *len > p->bar_size[bar] - off) /* two tests: off + len may wrap */
		return NULL;
	return p->bar[bar] + off;
}

static int map_caps(struct virtio_dev *d)
{
	struct pci_dev *p = d->pci;
	uint32_t len;

	for (unsigned cap = 0; (cap = pci_cap_find(p, CAP_VENDOR, cap));) {
		unsigned type = pci_read8(p, cap + 3);
		volatile uint8_t *at = cap_region(p, cap, &len);
		if (!at)
			continue;
		/* The first capability of each type is the one to use. */
		if (type == CFG_COMMON && !d->common && len >= COMMON_LEN)
			d->common = at;
		else if (type == CFG_NOTIFY && !d->notify && pci_read8(p, cap + 2) >= 20) {
			d->notify = at;
			d->notify_len = len;
			d->notify_mult = pci_read32(p, cap + 16);
		} else if (type == CFG_ISR && !d->isr && len >= 1)
			d->isr = at;
		else if (type == CFG_DEVICE && !d->device) {
			d->device = at;
			d->device_len = len;
		}
	}
	return d->common && d->notify && d->isr ? 0 : -1;
}

int virtio_find(unsigned type, unsigned index, struct virtio_dev *d)
{
	static const uint16_t transitional[] = { [VIRTIO_ID_NET] = 0x1000, [VIRTIO_ID_BLK] = 0x1001 };
	struct pci_dev *p;

	if (type >= ARRAY_SIZE(transitional))
		return -1;
	for (unsigned i = 0; (p = pci_get(i)); i++) {
		if (p->vendor != VENDOR_VIRTIO ||
		    (p->device != 0x1040 + type && p->device != transitional[type]))
			continue;
		if (index-- == 0) {
			*d = (struct virtio_dev){ .pci = p };
			return map_caps(d);
		}
	}
	return -1;
}

int virtio_init(struct virtio_dev *d, uint64_t wanted, const char **why)
{
	uint64_t offered;
	int spins = 0;

	w8(d, C_STATUS, 0);
	while (r8(d, C_STATUS) != 0)
		if (++spins == 1000000)
			return fail(why, "device does not reset");
	w8(d, C_STATUS, S_ACK);
	w8(d, C_STATUS, S_ACK | S_DRIVER);
	w32(d, C_DFSELECT, 0);
	offered = r32(d, C_DF);
	w32(d, C_DFSELECT, 1);
	offered |= (uint64_t)r32(d, C_DF) << 32;
	if (!(offered & VIRTIO_F_VERSION_1)) {
		w8(d, C_STATUS, S_FAILED);
		return fail(why, "device is not virtio 1.0");
	}
	d->features = offered & (wanted | VIRTIO_F_VERSION_1);
	w32(d, C_GFSELECT, 0);
	w32(d, C_GF, (uint32_t)d->features);
	w32(d, C_GFSELECT, 1);
	w32(d, C_GF, (uint32_t)(d->features >> 32));
	w8(d, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	if (!(r8(d, C_STATUS) & S_FEATURES_OK)) {
		w8(d, C_STATUS, S_FAILED);
		return fail(why, "device refused the features");
	}
	if (pci_msix_enable(d->pci)) {
		w8(d, C_STATUS, S_FAILED);
		return fail(why, "device has no usable MSI-X");
	}
	w16(d, C_MSIX, NO_VECTOR); /* no config-change interrupts */
	return 0;
}

int virtio_cfg_read(struct virtio_dev *d, unsigned off, void *buf, unsigned len)
{
	uint8_t gen, *out = buf;

	if (!d->device || off > d->device_len || len > d->device_len - off)
		return -1;
	/* Read until the generation holds still across the read (bounded). */
	for (int tries = 0; tries < 16; tries++) {
		gen = r8(d, C_GEN);
		for (unsigned i = 0; i < len; i++)
			out[i] = d->device[off + i];
		if (r8(d, C_GEN) == gen)
			return 0;
	}
	return -1;
}

int virtq_init(struct virtio_dev *d, struct virtq *q, uint16_t index, uint16_t max,
	       void (*handler)(void *arg), void *arg, const char **why)
{
	uint64_t desc, avail, used, noff;
	uint16_t size, entry = (uint16_t)(index + 1); /* MSI-X entry 0 is left for config */

	if (index >= r16(d, C_NUMQ))
		return fail(why, "device has no such queue");
	w16(d, C_QSELECT, index);
	size = r16(d, C_QSIZE);
	if (max > VIRTQ_MAX)
		max = VIRTQ_MAX;
	if (size > max)
		size = max;
	while (size & (size - 1))
		size &= (uint16_t)(size - 1); /* a power of two: ring positions are idx & (size - 1) */
	if (!size)
		return fail(why, "queue has no descriptors");
	/* 256 descriptors: desc 4 KiB, avail 518 bytes, used 2054 bytes; a page each. */
	if (!(desc = page_alloc()) || !(avail = page_alloc()) || !(used = page_alloc()))
		panic("virtio: out of memory for a queue");
	*q = (struct virtq){ .dev = d, .index = index, .size = size, .desc = P2V(desc),
			     .avail = P2V(avail), .used = P2V(used), .nfree = size };
	for (uint16_t i = 0; i < size; i++)
		q->next[i] = (uint16_t)(i + 1);
	noff = (uint64_t)r16(d, C_QNOTIFYOFF) * d->notify_mult;
	if (noff > d->notify_len || d->notify_len - noff < 2)
		return fail(why, "queue notify address outside its capability");
	q->notify_reg = (volatile uint16_t *)(d->notify + noff);
	if ((q->vector = irq_alloc(handler, arg)) < 0)
		return fail(why, "out of interrupt vectors");
	if (pci_msix_route(d->pci, entry, q->vector))
		return fail(why, "too few MSI-X entries");
	w16(d, C_QSIZE, size);
	w16(d, C_QMSIX, entry);
	if (r16(d, C_QMSIX) != entry)
		return fail(why, "device refused the queue's MSI-X vector");
	w64(d, C_QDESC, desc);
	w64(d, C_QDRIVER, avail);
	w64(d, C_QDEVICE, used);
	w16(d, C_QENABLE, 1);
	return 0;
}

void virtio_ready(struct virtio_dev *d)
{
	w8(d, C_STATUS, r8(d, C_STATUS) | S_DRIVER_OK);
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token)
{
	uint16_t head = q->free_head, i = head, last = head;
	uint64_t wlen = 0;

	if (q->broken || !token || n == 0 || n > q->nfree)
		return -1;
	for (unsigned k = 0; k < n; k++) {
		if (!bufs[k].len || (k && bufs[k - 1].write && !bufs[k].write))
			return -1; /* nothing posted yet */
	}
	for (unsigned k = 0; k < n; k++) {
		q->desc[i].addr = bufs[k].pa;
		q->desc[i].len = bufs[k].len;
		q->desc[i].flags = (uint16_t)((bufs[k].write ? DESC_WRITE : 0) | (k + 1 < n ? DESC_NEXT : 0));
		q->desc[i].next = k + 1 < n ? q->next[i] : 0;
		if (bufs[k].write)
			wlen += bufs[k].len;
		last = i;
		i = q->next[i];
	}
	q->free_head = q->next[last];
	q->nfree = (uint16_t)(q->nfree - n);
	q->chain_len[head] = (uint16_t)n;
	q->chain_wlen[head] = (uint32_t)MIN(wlen, UINT32_MAX);
	q->token[head] = token;
	q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the ring entry before the index */
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return 0;
}

void virtq_kick(struct virtq *q)
{
	/* Our index store before the device's flags load (store-load: a full fence). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(*(volatile uint16_t *)q->used & USED_NO_NOTIFY))
		*q->notify_reg = q->index;
}

static void *broken(struct virtq *q, const char *what)
{
	if (!q->broken)
		printf("hako: virtio %02x.%x queue %u: device misbehaved (%s); queue stopped\n",
		       q->dev->pci->dev, q->dev->pci->fn, q->index, what);
	q->broken = 1;
	return NULL;
}

void *virtq_get(struct virtq *q, uint32_t *len)
{
	uint16_t idx, pos, n;
	uint32_t id, wrote;
	void *token;

	if (q->broken)
		return NULL;
	idx = ((volatile uint16_t *)q->used)[1];
	if (idx == q->last_used)
		return NULL;
	/* More entries than were ever posted: the index is garbage. */
	if ((uint16_t)(idx - q->last_used) > q->size - q->nfree)
		return broken(q, "used index ran ahead");
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the index before the entry */
	pos = q->last_used & (q->size - 1);
	id = q->used[1 + 2 * pos];   /* each read once: the device may change them */
	wrote = q->used[2 + 2 * pos];
	/* Clamp the ID to the table and accept only the head of a chain in flight. */
	if (id >= q->size || !q->chain_len[id])
		return broken(q, "used ID not in flight");
	*len = MIN(wrote, q->chain_wlen[id]);
	token = q->token[id];
	/* Free the chain through our shadow links: bounded by its length. */
	n = q->chain_len[id];
	uint16_t last = (uint16_t)id;
	for (uint16_t k = 1; k < n; k++)
		last = q->next[last];
	q->next[last] = q->free_head;
	q->free_head = (uint16_t)id;
	q->nfree = (uint16_t)(q->nfree + n);
	q->chain_len[id] = 0;
	q->token[id] = NULL;
	q->last_used++;
	return token;
}

void virtq_intr(struct virtq *q, int on)
{
	q->avail[0] = on ? 0 : AVAIL_NO_INTERRUPT;
}
