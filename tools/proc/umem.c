/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side (freestanding, as calls.c): the container's
 * memory as the tender mapped it, the one check for its pointers, and the
 * shared ABI checks' view of it (lib/abicheck.h).
 */
#include "dev.h"

#include <stddef.h>
#include <stdint.h>

#include "rawsys.h"

#define MEM_REGIONS 16

/* What the tender mapped for the container, in no order. */
struct region {
	uint64_t base, end;
	unsigned prot; /* PROC_MEM_* */
};
static struct region mem[MEM_REGIONS];
static unsigned nmem;

/* A region past the table is left out: pointers into it fail safe (-EFAULT). */
void proc_mem_add(uint64_t base, uint64_t len, unsigned prot)
{
	if (nmem < MEM_REGIONS)
		mem[nmem++] = (struct region){ base, base + len, prot };
}

static const struct region *region_of(uint64_t addr)
{
	for (unsigned i = 0; i < nmem; i++)
		if (addr >= mem[i].base && addr < mem[i].end)
			return &mem[i];
	return NULL;
}

int proc_user_ok(uint64_t addr, uint64_t len, unsigned prot)
{
	uint64_t start = addr, total = len;

	/* A range may run on into the next region, as pages do; bounded: one pass per region. */
	for (unsigned pass = 0; pass < nmem; pass++) {
		const struct region *r = region_of(addr);
		if (!r || (r->prot & prot) != prot)
			return 0;
		/* len checked against the room left: no addr + len overflow. */
		if (len <= r->end - addr)
			return proc_pkey_ok(start, total, prot); /* each page's key and protection */
		len -= r->end - addr;
		addr = r->end;
	}
	return 0;
}

/* The memory map as the shared checks see it. */
static int user_ok(void *ctx, uint64_t addr, uint64_t len, int write)
{
	return proc_user_ok(addr, len, write ? PROC_MEM_R | PROC_MEM_W : PROC_MEM_R);
}

static int copy_in(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	raw_copy(dst, (const void *)addr, len);
	return 0;
}

const struct abi_mem proc_mem = { .user_ok = user_ok, .copy_in = copy_in };
