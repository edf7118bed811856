/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target: the hv's split-virtqueue driver (hv/virtio.c), built for
 * the host against a fake device the input plays: it posts used entries
 * with any ID and length, moves the used index anywhere and scribbles on
 * the rings it shares with the driver. A model of the chains in flight
 * checks what the driver promises whatever the device does: a token
 * comes back only for a chain in flight, once, with a length no larger
 * than the chain's writable bytes; no descriptor is in two chains; the
 * free list is exactly the descriptors not in flight.
 */
#include "fuzz.h"

#include <string.h>

#include "irq.h"
#include "mm.h"
#include "virtio.h"

/*
 * The hv services virtio.c calls, on the host (its printf is the C
 * library's; cons.h is left out: it declares the hv's own printf).
 */
void panic(const char *fmt, ...) __attribute__((noreturn));
void panic(const char *fmt, ...)
{
	fprintf(stderr, "hv panic: %s\n", fmt);
	abort();
}
int irq_alloc(void (*fn)(void *arg), void *arg) { return 40; }
int pci_msix_route(struct pci_dev *d, unsigned entry, int vector) { return 0; }
/* Device discovery is not under test: the fake device is built by hand. */
struct pci_dev *pci_get(unsigned i) { return NULL; }
uint8_t pci_read8(const struct pci_dev *d, unsigned off) { return 0; }
uint32_t pci_read32(const struct pci_dev *d, unsigned off) { return 0; }
unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after) { return 0; }
int pci_msix_enable(struct pci_dev *d) { return 0; }

static uint8_t *pages[3];
static unsigned npages;

uint64_t page_alloc(void)
{
	if (npages == 3)
		return 0;
	memset(pages[npages], 0, PAGE_SIZE);
	return V2P(pages[npages++]);
}

/* The device's registers: the common configuration and one notify word. */
static uint8_t common[0x38];
static uint16_t notify[2];
static struct pci_dev pci;
static struct virtio_dev dev;
static struct virtq q;

/* The model: per descriptor, the head of the chain holding it (-1: free). */
static int owner[VIRTQ_MAX];
static struct { void *token; uint32_t wlen; unsigned n; } chain[VIRTQ_MAX];
static unsigned in_flight; /* descriptors */
static uintptr_t serial;

struct input { const uint8_t *p; size_t n; };

static unsigned take(struct input *in, unsigned bytes)
{
	unsigned v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (unsigned)*in->p << (8 * i);
	return v;
}

static void drv_add(struct input *in)
{
	unsigned b = take(in, 1), n = 1 + (b & 3), nw = (b >> 2) % (n + 1), k;
	struct virtq_buf bufs[4];
	uint16_t head, d;
	uint32_t wlen = 0;
	void *token = (void *)(++serial << 4);

	for (k = 0; k < n; k++) {
		bufs[k] = (struct virtq_buf){ .pa = 0x100000 + k * 0x1000, .len = 1 + take(in, 1) * 16,
					      .write = k >= n - nw };
		wlen += bufs[k].write ? bufs[k].len : 0;
	}
	if (virtq_add(&q, bufs, n, token)) {
		FUZZ_CHECK(q.broken || n > q.size - in_flight);
		return;
	}
	FUZZ_CHECK(!q.broken && n <= q.size - in_flight);
	head = q.avail[2 + ((q.avail_idx - 1) & (q.size - 1))]; /* just written by the driver */
	FUZZ_CHECK(head < q.size && q.avail[1] == q.avail_idx);
	chain[head].token = token;
	chain[head].wlen = wlen;
	chain[head].n = n;
	for (k = 0, d = head; k < n; k++) {
		FUZZ_CHECK(d < q.size && owner[d] < 0); /* never a descriptor in flight */
		FUZZ_CHECK(q.desc[d].len == bufs[k].len && !!(q.desc[d].flags & 2) == bufs[k].write);
		FUZZ_CHECK(!!(q.desc[d].flags & 1) == (k + 1 < n));
		owner[d] = head;
		d = q.desc[d].next;
	}
	in_flight += n;
}

/* The device says it used the chain at head id, len bytes written. */
static void dev_used(struct input *in)
{
	unsigned b = take(in, 1), id = take(in, 2), len = take(in, 4);
	volatile uint16_t *idx = (volatile uint16_t *)q.used + 1;
	uint16_t pos = *idx & (q.size - 1);

	if (b & 1) { /* a head really in flight, if there is one */
		for (unsigned i = 0; i < q.size; i++)
			if (owner[(id + i) % q.size] == (int)((id + i) % q.size)) {
				id = (id + i) % q.size;
				break;
			}
	}
	q.used[1 + 2 * pos] = id;
	q.used[2 + 2 * pos] = len;
	*idx = (uint16_t)(*idx + (b & 2 ? take(in, 2) : 1));
}

static void dev_scribble(struct input *in)
{
	unsigned which = take(in, 1) % 3, off = take(in, 2) % PAGE_SIZE;
	volatile uint8_t *page = which == 0 ? (volatile uint8_t *)q.desc :
				 which == 1 ? (volatile uint8_t *)q.avail : (volatile uint8_t *)q.used;

	page[off] = (uint8_t)take(in, 1);
}

static void drv_get(void)
{
	uint32_t len;
	void *tok;

	for (unsigned i = 0; i <= q.size; i++) {
		int head = -1;
		if (!(tok = virtq_get(&q, &len)))
			break;
		for (unsigned d = 0; d < q.size; d++)
			if (owner[d] == (int)d && chain[d].token == tok)
				head = (int)d;
		FUZZ_CHECK(head >= 0);           /* a chain in flight, handed back once */
		FUZZ_CHECK(len <= chain[head].wlen);
		for (unsigned d = 0; d < q.size; d++)
			if (owner[d] == head)
				owner[d] = -1;
		in_flight -= chain[head].n;
		chain[head].token = NULL;
	}
	FUZZ_CHECK(!tok || !q.broken);
}

/* The driver's free list is exactly the descriptors the model says are free. */
static void check_free_list(void)
{
	uint8_t seen[VIRTQ_MAX] = { 0 };
	uint16_t d = q.free_head;

	FUZZ_CHECK(q.nfree == q.size - in_flight);
	for (unsigned k = 0; k < q.nfree; k++) {
		FUZZ_CHECK(d < q.size && owner[d] < 0 && !seen[d]);
		seen[d] = 1;
		d = q.next[d];
	}
}

static int setup(struct input *in)
{
	const char *why;

	for (unsigned i = 0; i < 3; i++)
		if (!pages[i] && !(pages[i] = aligned_alloc(PAGE_SIZE, PAGE_SIZE)))
			abort();
	npages = 0;
	memset(common, 0, sizeof(common));
	common[0x12] = 1;                                   /* one queue */
	memcpy(common + 0x18, &(uint16_t){ (uint16_t)take(in, 2) }, 2); /* its size */
	pci = (struct pci_dev){ .dev = 3 };
	dev = (struct virtio_dev){ .pci = &pci, .common = common, .notify = (uint8_t *)notify,
				   .notify_len = sizeof(notify) };
	for (unsigned i = 0; i < VIRTQ_MAX; i++)
		owner[i] = -1;
	in_flight = 0;
	if (virtq_init(&dev, &q, 0, VIRTQ_MAX, NULL, NULL, &why))
		return -1;
	FUZZ_CHECK(q.size >= 1 && q.size <= VIRTQ_MAX && !(q.size & (q.size - 1)));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (setup(&in))
		return 0;
	while (in.n) {
		switch (take(&in, 1) % 6) {
		case 0: drv_add(&in); break;
		case 1: dev_used(&in); break;
		case 2: dev_scribble(&in); break;
		case 3: drv_get(); break;
		case 4: virtq_kick(&q); FUZZ_CHECK(notify[0] == 0); break;
		case 5: virtq_intr(&q, (int)take(&in, 1) & 1); break;
		}
		if (!q.broken)
			check_free_list();
	}
	drv_get();
	return 0;
}
