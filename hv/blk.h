/* SPDX-License-Identifier: ISC */
/* The block calls: each container sees only its slice of a disk. */
#ifndef HV_BLK_H
#define HV_BLK_H

#include <stdint.h>

#include "hako/bundle.h"
#include "pd.h"

/*
 * Give pd the slice its bundle entry asks for (nothing if it asks for
 * none): the disk MUST exist and hold the whole slice. The hv's state and
 * bounce buffer for it (1 MiB + a page, hv memory, not the quota) are
 * returned when pd_destroy detaches it. 0, or -1 with *why set.
 */
int blk_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why);

/*
 * block_read (write = 0) / block_write (write = 1) and block_flush
 * (abi.h): checked by lib/abicheck.c, as on the proc platform; a request
 * that reaches the device blocks the container in *r until the completion
 * interrupt, and another container runs in *r meanwhile.
 */
void blk_rw(struct regs *r, struct pd *pd, int write, uint64_t off, uint64_t buf, uint64_t len);
void blk_flush(struct regs *r, struct pd *pd);

#endif /* HV_BLK_H */
