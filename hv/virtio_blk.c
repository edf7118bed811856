/* SPDX-License-Identifier: ISC */
/* virtio-blk driver: one request queue per disk, requests split to what the device takes. */
#include "virtio_blk.h"

#include "cons.h"
#include "hako/abi.h"
#include "lib.h"
#include "mm.h"
#include "virtio.h"
#include "x86.h"

#define F_SIZE_MAX (1ull << 1)
#define F_SEG_MAX  (1ull << 2)
#define F_RO       (1ull << 5)
#define F_FLUSH    (1ull << 9)
#define CFG_CAPACITY 0x00
#define CFG_SIZE_MAX 0x08
#define CFG_SEG_MAX  0x0c
#define STATUS_OK    0
#define QUEUE_MAX    128 /* descriptors: plenty for one request per container at a time */
#define SEGS_MAX     (QUEUE_MAX - 2)

struct disk {
	struct virtio_dev dev;
	struct virtq q;
	uint64_t capacity;              /* bytes */
	uint32_t seg_max, size_max;     /* data segments per device request, bytes per segment */
	struct vblk_req *wait, *wait_tail; /* requests waiting for descriptors */
	int broken;
};

static struct disk disks[VBLK_DISKS_MAX];
static unsigned ndisks;

unsigned vblk_count(void) { return ndisks; }
uint64_t vblk_capacity(unsigned disk) { return disk < ndisks ? disks[disk].capacity : 0; }
int vblk_read_only(unsigned disk) { return disk < ndisks && (disks[disk].dev.features & F_RO); }
int vblk_flushes(unsigned disk) { return disk < ndisks && (disks[disk].dev.features & F_FLUSH); }

/*
 * Post the next device request of r: header, up to seg_max data segments
 * (runs of physically contiguous pages, each at most size_max), status.
 * 0, or -1 if the queue lacks descriptors now.
 */
static int post(struct disk *k, struct vblk_req *r)
{
	struct virtq_buf b[SEGS_MAX + 2];
	unsigned n = 1;
	uint32_t pos = r->pos;

	r->hdr.type = r->type;
	r->hdr.reserved = 0;
	r->hdr.sector = r->sector + pos / VBLK_SECTOR;
	r->status = 0xff;
	b[0] = (struct virtq_buf){ .pa = V2P(&r->hdr), .len = sizeof(r->hdr) };
	/* Bounded: one segment per page at most, and at most seg_max of them. */
	while (pos < r->len && n - 1 < k->seg_max) {
		uint64_t pa = r->pages[pos / PAGE_SIZE] + pos % PAGE_SIZE;
		uint32_t len = (uint32_t)MIN(PAGE_SIZE - pos % PAGE_SIZE, r->len - pos);
		struct virtq_buf *prev = &b[n - 1];
		if (n > 1 && prev->pa + prev->len == pa && prev->len + len <= k->size_max) {
			prev->len += len; /* contiguous with the last segment */
		} else {
			b[n++] = (struct virtq_buf){ .pa = pa, .len = len, .write = r->type == VBLK_IN };
		}
		pos += len;
	}
	b[n++] = (struct virtq_buf){ .pa = V2P(&r->status), .len = 1, .write = 1 };
	r->chunk = pos - r->pos;
	if (virtq_add(&k->q, b, n, r))
		return -1;
	return 0;
}

/* Post what waits, in order, while descriptors last. Returns whether any was posted. */
static int post_waiting(struct disk *k)
{
	int posted = 0;

	while (k->wait && !post(k, k->wait)) {
		k->wait = k->wait->next;
		if (!k->wait)
			k->wait_tail = NULL;
		posted = 1;
	}
	return posted;
}

static void queue(struct disk *k, struct vblk_req *r)
{
	r->next = NULL;
	if (k->wait_tail)
		k->wait_tail->next = r;
	else
		k->wait = r;
	k->wait_tail = r;
}

/* The device stopped playing by the rules: every request it holds or waits for fails. */
static void fail_all(struct disk *k)
{
	k->broken = 1;
	for (unsigned i = 0; i < k->q.size; i++) {
		struct vblk_req *r = k->q.token[i];
		if (k->q.chain_len[i] && r) {
			k->q.chain_len[i] = 0;
			r->done(r, -HAKO_EIO);
		}
	}
	while (k->wait) {
		struct vblk_req *r = k->wait;
		k->wait = r->next;
		r->done(r, -HAKO_EIO);
	}
	k->wait_tail = NULL;
}

/* One device request of r finished: post the next, or end r. Returns whether it posted. */
static int complete(struct disk *k, struct vblk_req *r, uint32_t wrote)
{
	/* A read MUST have filled the data as well as the status byte. */
	if (r->status != STATUS_OK || (r->type == VBLK_IN && wrote < r->chunk + 1)) {
		r->done(r, -HAKO_EIO);
		return 0;
	}
	r->pos += r->chunk;
	if (r->pos < r->len) {
		if (!post(k, r))
			return 1;
		queue(k, r); /* descriptors taken by others first: wait in turn */
		return 0;
	}
	r->done(r, 0);
	return 0;
}

/* Completion interrupt: bounded by the queue size per pass. */
static void interrupt(void *arg)
{
	struct disk *k = arg;
	struct vblk_req *r;
	uint32_t wrote;
	int kick = 0;

	for (unsigned n = 0; n < k->q.size && (r = virtq_get(&k->q, &wrote)); n++)
		kick |= complete(k, r, wrote);
	if (k->q.broken) {
		fail_all(k);
		return;
	}
	kick |= post_waiting(k);
	if (kick)
		virtq_kick(&k->q);
}

int vblk_submit(unsigned disk, struct vblk_req *r)
{
	struct disk *k = &disks[disk];

	if (disk >= ndisks || k->broken)
		return -HAKO_EIO;
	r->pos = 0;
	if (k->wait || post(k, r)) {
		queue(k, r);
		return 0;
	}
	virtq_kick(&k->q);
	return 0;
}

static int setup(struct disk *k, unsigned index)
{
	const char *why;
	uint64_t sectors;
	uint32_t v;

	if (virtio_init(&k->dev, F_SIZE_MAX | F_SEG_MAX | F_RO | F_FLUSH, &why))
		goto fail;
	why = "cannot read its configuration";
	if (virtio_cfg_read(&k->dev, CFG_CAPACITY, &sectors, sizeof(sectors)))
		goto fail;
	k->capacity = sectors > UINT64_MAX / VBLK_SECTOR ? 0 : sectors * VBLK_SECTOR;
	k->seg_max = SEGS_MAX;
	k->size_max = HAKO_BLOCK_IO_MAX;
	if ((k->dev.features & F_SEG_MAX) && !virtio_cfg_read(&k->dev, CFG_SEG_MAX, &v, 4) && v)
		k->seg_max = MIN(v, SEGS_MAX);
	/* A segment is at least a page long (a smaller size_max is not worth serving). */
	if ((k->dev.features & F_SIZE_MAX) && !virtio_cfg_read(&k->dev, CFG_SIZE_MAX, &v, 4) && v)
		k->size_max = v < PAGE_SIZE ? (uint32_t)PAGE_SIZE : v;
	if (virtq_init(&k->dev, &k->q, 0, QUEUE_MAX, interrupt, k, &why))
		goto fail;
	k->seg_max = MIN(k->seg_max, (uint32_t)k->q.size - 2);
	virtio_ready(&k->dev);
	printf("hako: disk %u: %lu KiB%s, seg_max %u, size_max %u%s\n", index,
	       k->capacity >> 10, (k->dev.features & F_RO) ? " read-only" : "", k->seg_max,
	       k->size_max, (k->dev.features & F_FLUSH) ? ", flush" : "");
	return 0;
fail:
	printf("hako: disk %u: %s\n", index, why);
	return -1;
}

void vblk_init(void)
{
	for (unsigned i = 0; ndisks < VBLK_DISKS_MAX; i++) {
		struct disk *k = &disks[ndisks];
		if (virtio_find(VIRTIO_ID_BLK, i, &k->dev))
			break;
		/* A disk that fails keeps its number (the bundle counts by position) but serves nothing. */
		if (setup(k, ndisks))
			k->broken = 1;
		ndisks++;
	}
}
