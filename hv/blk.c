/* SPDX-License-Identifier: ISC */
/*
 * Block calls. Data moves between the container and a per-container bounce
 * buffer in hv memory through the gate (umem_copy_in/out), and between the
 * bounce buffer and the disk by DMA. The device never sees a container
 * page, so a container can neither aim DMA at memory it does not own nor
 * change the data between the check and the device reading it.
 */
#include "blk.h"

#include "cons.h"
#include "lib.h"
#include "mm.h"
#include "sched.h"
#include "umem.h"
#include "virtio_blk.h"

#define BOUNCE_PAGES (HAKO_BLOCK_IO_MAX / PAGE_SIZE)

struct blk {
	struct vblk_req req;    /* first: the device reads and writes it in place */
	struct pd *pd;
	unsigned disk;
	int ro;
	uint64_t offset, size;  /* the slice, bytes */
	uint64_t uva;           /* a read in flight: where its data goes */
	uint32_t len;
	uint64_t pages[BOUNCE_PAGES]; /* the bounce buffer, physical */
};
_Static_assert(sizeof(struct blk) <= PAGE_SIZE, "block state fits one page");

static void free_blk(struct blk *b, unsigned npages)
{
	for (unsigned i = 0; i < npages; i++)
		page_free(b->pages[i]);
	page_free(V2P(b));
}

static void detach(struct pd *pd);
static const struct pd_dev blk_dev = { .detach = detach };

int blk_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why)
{
	uint64_t cap = vblk_capacity(e->block_disk), pa;
	struct blk *b;

	if (!(e->flags & HAKO_BUNDLE_BLOCK))
		return 0;
	if (e->block_disk >= vblk_count()) {
		*why = "its block device (disk) is missing";
		return -1;
	}
	/* Both tests: offset + size may wrap (bundle.c refused that already; cheap to repeat). */
	if (e->block_offset > cap || e->block_size > cap - e->block_offset) {
		*why = "block slice outside its disk";
		return -1;
	}
	*why = "out of hv memory for the block device";
	if (!(pa = page_alloc()))
		return -1;
	b = P2V(pa);
	for (unsigned i = 0; i < BOUNCE_PAGES; i++) {
		if (!(b->pages[i] = page_alloc())) {
			free_blk(b, i);
			return -1;
		}
	}
	b->pd = pd;
	b->disk = e->block_disk;
	b->ro = (e->flags & HAKO_BUNDLE_BLOCK_RO) || vblk_read_only(e->block_disk);
	b->offset = e->block_offset;
	b->size = e->block_size;
	pd->blk = b;
	pd_attach(pd, &blk_dev);
	return 0;
}

/* No request of pd may be in flight (pd is blocked while one is). */
static void detach(struct pd *pd)
{
	if (!pd->blk)
		return;
	if (pd->blk->req.done)
		panic("blk: %s ends with a request in flight", pd->name);
	free_blk(pd->blk, BOUNCE_PAGES);
	pd->blk = NULL;
}

/* Completion interrupt: move a read's data out, then let the caller run with the result. */
static void done(struct vblk_req *req, int err)
{
	struct blk *b = (struct blk *)req; /* req is the first member */
	long rc = err ? err : (long)b->len;

	for (uint32_t i = 0; !err && b->uva && i < b->len; i += PAGE_SIZE) {
		/* The pages were checked and brought in before the request; still, via the gate. */
		if (umem_copy_out(b->pd, b->uva + i, P2V(b->pages[i / PAGE_SIZE]), MIN(PAGE_SIZE, b->len - i))) {
			rc = -HAKO_EFAULT;
			break;
		}
	}
	req->done = NULL;
	sched_wake(b->pd, (uint64_t)rc);
}

/* Start req on the device and block the caller; or fail the call at once. */
static void start(struct regs *r, struct blk *b, enum vblk_type type, uint64_t off, uint32_t len)
{
	b->req = (struct vblk_req){ .type = type, .sector = (b->offset + off) / VBLK_SECTOR,
				    .pages = b->pages, .len = len, .done = done };
	b->len = len;
	if (vblk_submit(b->disk, &b->req)) {
		b->req.done = NULL;
		r->rax = (uint64_t)-HAKO_EIO;
		return;
	}
	sched_block(r);
}

/* The device as the shared checks (lib/abicheck.c) see it. */
static struct abi_block dev_of(const struct blk *b)
{
	return (struct abi_block){ .attached = b != NULL, .read_only = b && b->ro,
				   .block_size = VBLK_SECTOR, .capacity = b ? b->size : 0 };
}

/* The same checks, order and codes as on proc; abicheck's user_ok also brings demand pages in. */
static long check(struct pd *pd, uint64_t off, uint64_t buf, uint64_t len, int write)
{
	struct abi_block dev = dev_of(pd->blk);
	struct abi_mem mem = umem_of(pd);

	return abi_block(&mem, &dev, off, buf, len, write);
}

void blk_rw(struct regs *r, struct pd *pd, int write, uint64_t off, uint64_t buf, uint64_t len)
{
	struct blk *b = pd->blk;
	long rc = check(pd, off, buf, len, write);

	if (rc || len == 0) {
		r->rax = (uint64_t)rc;
		return;
	}
	b->uva = write ? 0 : buf;
	for (uint64_t i = 0; write && i < len; i += PAGE_SIZE) {
		if (umem_copy_in(pd, P2V(b->pages[i / PAGE_SIZE]), buf + i, MIN(PAGE_SIZE, len - i))) {
			r->rax = (uint64_t)-HAKO_EFAULT;
			return;
		}
	}
	start(r, b, write ? VBLK_OUT : VBLK_IN, off, (uint32_t)len);
}

void blk_flush(struct regs *r, struct pd *pd)
{
	struct abi_block dev = dev_of(pd->blk);
	struct blk *b = pd->blk;
	long rc = abi_block_flush(&dev);

	if (rc) {
		r->rax = (uint64_t)rc;
		return;
	}
	/* Nothing to flush for a read-only slice; a disk without a cache writes through. */
	if (b->ro || !vblk_flushes(b->disk)) {
		r->rax = 0;
		return;
	}
	b->uva = 0;
	start(r, b, VBLK_FLUSH, 0, 0);
}
