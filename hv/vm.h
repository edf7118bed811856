/* SPDX-License-Identifier: ISC */
/* Page tables: the hv's own mappings and one private table per container. */
#ifndef HV_VM_H
#define HV_VM_H

#include <stdint.h>

/* A container's address space and the pages charged to its quota. */
struct vm {
	uint64_t *pml4;   /* direct-map pointer; the upper half is the hv's, shared */
	uint64_t pages;   /* pages charged: tables, mappings, hv-side state */
	uint64_t quota;   /* most pages it may hold */
};

extern uint64_t *kernel_pml4;

/* Map the hv image W^X and drop the boot identity map. */
void vm_init(void);

/*
 * Map device memory [pa, pa + size) uncached, supervisor-only, NX, in the
 * hv's MMIO area (shared by every container table, never user-accessible).
 * Returns the hv's pointer, or NULL when the area or memory ran out.
 */
volatile void *vm_map_mmio(uint64_t pa, uint64_t size);

/* An empty address space charged to vm (pml4 included). 0 or -1. */
int vm_create(struct vm *vm, uint64_t quota);
/* A zeroed page charged to vm, or 0 if over quota or out of memory. */
uint64_t vm_alloc(struct vm *vm);
void vm_free(struct vm *vm, uint64_t pa);
/*
 * Map the user page va -> pa with flags (PTE_* beyond P and U). Tables
 * on the way are charged to vm. 0, or -1 if va is taken or memory ran out.
 */
int vm_map(struct vm *vm, uint64_t va, uint64_t pa, uint64_t flags);
/* The leaf entry for user address va, or NULL if no table covers it. */
uint64_t *vm_lookup(const struct vm *vm, uint64_t va);
/* The same, creating (and charging) the tables on the way; NULL when memory ran out. */
uint64_t *vm_entry(struct vm *vm, uint64_t va);
/* Free every table and every PTE_OWN page of the low half. */
void vm_destroy(struct vm *vm);

static inline uint64_t vm_cr3(const struct vm *vm)
{
	return (uint64_t)vm->pml4 - 0xffff800000000000ul;
}

#endif /* HV_VM_H */
