/* SPDX-License-Identifier: ISC */
/* virtio-blk: the disks behind the containers' block slices. */
#ifndef HV_VIRTIO_BLK_H
#define HV_VIRTIO_BLK_H

#include <stdint.h>

#define VBLK_SECTOR    512
#define VBLK_DISKS_MAX 8

enum vblk_type { VBLK_IN = 0, VBLK_OUT = 1, VBLK_FLUSH = 4 }; /* VIRTIO_BLK_T_* */

/*
 * One request. It MUST live in page_alloc'd memory (the device reads the
 * header and writes the status byte in place). The driver splits it into
 * as many device requests as seg_max/size_max make necessary, one after
 * the other, and calls done once, from the completion interrupt.
 */
struct vblk_req {
	/* Set by the caller. */
	enum vblk_type type;
	uint64_t sector;          /* first 512-byte sector on the disk */
	const uint64_t *pages;    /* physical 4 KiB pages holding the data, in order */
	uint32_t len;             /* bytes, a multiple of 512; 0 for a flush */
	void (*done)(struct vblk_req *r, int err); /* err: 0 or -HAKO_EIO */
	/* The driver's. */
	struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr;                    /* device-readable */
	volatile uint8_t status;  /* device-writable */
	uint32_t pos, chunk;      /* bytes done, bytes in the device request in flight */
	struct vblk_req *next;    /* waiting for descriptors */
};

/* Find and set up every virtio-blk device (bus order = disk number). */
void vblk_init(void);

unsigned vblk_count(void);
uint64_t vblk_capacity(unsigned disk); /* bytes */
int vblk_read_only(unsigned disk);     /* the device refuses writes (VIRTIO_BLK_F_RO) */
int vblk_flushes(unsigned disk);       /* it has a write cache to flush (VIRTIO_BLK_F_FLUSH) */

/* Start r on disk. 0 (done follows), or -HAKO_EIO if the disk is broken or missing. */
int vblk_submit(unsigned disk, struct vblk_req *r);

#endif /* HV_VIRTIO_BLK_H */
