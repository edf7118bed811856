/* SPDX-License-Identifier: ISC */
/* hv platform, host side: the disk files behind the containers' block slices. */
#ifndef HAKO_HV_DISKS_H
#define HAKO_HV_DISKS_H

#include <stdint.h>

#include "hako/bundle.h"

#define HV_DISKS_MAX 8 /* as many as the hv drives (hv/virtio_blk.h) */

struct hv_disk {
	char *path;
	uint64_t size;      /* bytes, rounded down to 512 */
	int ro;             /* every user only reads: QEMU opens it read-only */
};

struct hv_disks {
	struct hv_disk d[HV_DISKS_MAX];
	unsigned n;
	unsigned named;     /* the first `named` came from --disk */
};

/* --disk FILE[:ro]: a disk that containers take slices of. 0, or 2 after a message. */
int hv_disk_add(struct hv_disks *ds, const char *v);

/*
 * A container's -v, its mode taken off (ro: read-only): FILE (the whole
 * file, its own disk unless another container names the same file) or
 * diskN:OFFSET:SIZE (a slice of the N-th --disk; OFFSET and SIZE in bytes
 * with an optional k, M or G, both multiples of 512). Fills e's block
 * fields. 0, or 2 after a message.
 */
int hv_disk_volume(struct hv_disks *ds, struct hako_bundle_entry *e, const char *v, int ro);

#endif /* HAKO_HV_DISKS_H */
