/* SPDX-License-Identifier: ISC */
/* Protection keys: per-container PKRU, page keys, the pkey calls. */
#ifndef HV_PKEY_H
#define HV_PKEY_H

#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "image.h"
#include "pd.h"
#include "x86.h"

/*
 * Every entry from ring 3 (call, interrupt, fault) keeps the container's
 * PKRU in pd->pkru: the hv reaches container memory through supervisor
 * mappings, where PKRU does not apply, so the gate (pd.c) checks each
 * page's key against it instead; a blocked call's copy-out, done in an
 * interrupt while another container runs, still uses the caller's rights.
 */
static inline void pkey_entry(struct pd *pd)
{
	if (cpu.pku)
		pd->pkru = rdpkru();
}

/*
 * Before pd runs: its PKRU on the CPU. The hv never changes PKRU
 * otherwise (XCR0 leaves PKRU out of XSAVE), so a container keeps it
 * across calls; WRPKRU costs a TLB flush under TCG, so it is skipped
 * when nothing changes.
 */
static inline void pkey_load(const struct pd *pd)
{
	if (cpu.pku && rdpkru() != pd->pkru)
		wrpkru(pd->pkru);
}

/* May pkru access the page of leaf entry pte (for a write if write)? */
static inline int pkey_allows(uint32_t pkru, uint64_t pte, int write)
{
	uint32_t bits = pkru >> (2 * ((pte & PTE_PKEY) >> PTE_PKEY_SHIFT));

	return !(bits & 1) && !(write && (bits & 2));
}

/*
 * After the image is loaded: the start PKRU, the domains note's keyed
 * ranges, the segments pkey_mprotect may re-key. 0, or -1 with *why.
 */
int pkey_setup(struct pd *pd, const struct img *img, const char **why);

/*
 * The "who may call" rule: with a domains note, only the libOS's PKRU may
 * make a call. 1 if the call may go on, else 0 with the kill reason in why.
 */
int pkey_call_allowed(const struct pd *pd, char *why, size_t n);

/* The calls (abi.h); the arguments are the container's raw values. */
long pkey_alloc(struct pd *pd, uint64_t flags, uint64_t access);
long pkey_free(struct pd *pd, uint64_t key);
long pkey_mprotect(struct pd *pd, uint64_t addr, uint64_t len, uint64_t prot, uint64_t key);

#endif /* HV_PKEY_H */
