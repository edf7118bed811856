/* SPDX-License-Identifier: ISC */
/* The boot bundle: validation of the host-packed archive of containers. */
#ifndef HV_BUNDLE_H
#define HV_BUNDLE_H

#include <stddef.h>

/*
 * Check the bundle at b (size bytes, from the initrd) and start each entry:
 * its domain, its devices, its turn in the scheduler. An entry that fails
 * is reported and skipped. Returns the number of entries, or -1 with *why
 * set if the bundle itself is unusable.
 */
int bundle_load(const void *b, size_t size, const char **why);

#endif /* HV_BUNDLE_H */
