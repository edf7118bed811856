/* SPDX-License-Identifier: ISC */
/* Physical page allocator: a free list threaded through the free pages themselves. */
#include "mm.h"

#include "cons.h"
#include "lib.h"
#include "x86.h"

#define NRESERVED 8

/*
 * Free pages are either in a range never handed out yet, or on a list
 * threaded through the pages themselves. Ranges keep boot from touching
 * every page of RAM (a first touch is a host page fault under QEMU).
 */
#define NRANGES 32

static struct { uint64_t next, end; } fresh[NRANGES];
static int nfresh;
static uint64_t free_head; /* physical address of the first freed page, 0 = none */
static uint64_t nfree, ntotal;
static struct { uint64_t start, end; } reserved[NRESERVED];
static int nreserved;

void mm_reserve(uint64_t start, uint64_t end)
{
	if (nreserved == NRESERVED)
		panic("mm: too many reserved ranges");
	reserved[nreserved].start = start & ~(PAGE_SIZE - 1);
	reserved[nreserved].end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	nreserved++;
}

static int is_reserved(uint64_t pa)
{
	for (int i = 0; i < nreserved; i++)
		if (pa >= reserved[i].start && pa < reserved[i].end)
			return 1;
	return 0;
}

void mm_add(uint64_t start, uint64_t end)
{
	start = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	end &= ~(PAGE_SIZE - 1);
	if (end > DMAP_SIZE)
		end = DMAP_SIZE; /* only the direct map is reachable */
	/* Split the range around reserved pages into fresh ranges. */
	for (uint64_t pa = start; pa < end;) {
		uint64_t run = pa;
		while (run < end && !is_reserved(run))
			run += PAGE_SIZE;
		if (run > pa) {
			if (nfresh == NRANGES)
				return; /* a very fragmented map: the rest stays unused */
			fresh[nfresh].next = pa;
			fresh[nfresh].end = run;
			nfresh++;
			nfree += (run - pa) / PAGE_SIZE;
			ntotal += (run - pa) / PAGE_SIZE;
		}
		pa = run + PAGE_SIZE;
	}
}

uint64_t page_alloc(void)
{
	uint64_t pa = free_head;

	if (pa) {
		free_head = *(uint64_t *)P2V(pa);
	} else {
		while (nfresh && fresh[nfresh - 1].next == fresh[nfresh - 1].end)
			nfresh--;
		if (!nfresh)
			return 0;
		pa = fresh[nfresh - 1].next;
		fresh[nfresh - 1].next += PAGE_SIZE;
	}
	nfree--;
	memset(P2V(pa), 0, PAGE_SIZE); /* nothing leaks from a page's last owner */
	return pa;
}

void page_free(uint64_t pa)
{
	if (pa & (PAGE_SIZE - 1) || pa >= DMAP_SIZE || is_reserved(pa))
		panic("mm: freeing bad page %lx", pa);
	*(uint64_t *)P2V(pa) = free_head;
	free_head = pa;
	nfree++;
}

uint64_t mm_free_pages(void) { return nfree; }
uint64_t mm_total_pages(void) { return ntotal; }
