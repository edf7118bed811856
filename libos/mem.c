/* SPDX-License-Identifier: ISC */
/* mem.c: the page allocator behind mmap/munmap/mremap, over the start info's heap. */
#include "libos.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE HAKO_PAGE_SIZE
#define NONE UINT64_MAX

/*
 * Two bitmaps, one bit per heap page, kept in the first pages of the heap
 * itself (no malloc below malloc; their size is fixed by the heap's):
 *   used:  handed out by mmap, or holding the bitmaps;
 *   dirty: was handed out once, so may hold old data.
 * The platform zero-fills the heap, so a never-used page is already zero
 * and only dirty pages are cleared, when mmap hands them out again.
 */
static uint64_t heap_base, npages;
static uint64_t *used, *dirty;
static uint64_t meta_pages;
static uint64_t hint; /* every page below it is used */

static int test(const uint64_t *map, uint64_t i) { return map[i / 64] >> (i % 64) & 1; }
static void set(uint64_t *map, uint64_t i) { map[i / 64] |= 1ULL << (i % 64); }
static void clear(uint64_t *map, uint64_t i) { map[i / 64] &= ~(1ULL << (i % 64)); }

void libos_mem_init(uint64_t base, uint64_t size)
{
	uint64_t words = (size / PAGE + 63) / 64;

	heap_base = base;
	meta_pages = (2 * words * sizeof(uint64_t) + PAGE - 1) / PAGE;
	if (size / PAGE <= meta_pages)
		return; /* no usable heap: every mmap fails with ENOMEM */
	npages = size / PAGE;
	used = (uint64_t *)base;
	dirty = used + words;
	for (uint64_t i = 0; i < meta_pages; i++)
		set(used, i);
	hint = meta_pages;
}

/* First fit: the lowest run of n free pages, or NONE. Skips whole words. */
static uint64_t find_run(uint64_t n)
{
	uint64_t i = hint, run = 0;

	while (i < npages && run < n) {
		uint64_t w = used[i / 64];
		if (i % 64 == 0 && w == ~0ULL) {
			run = 0;
			i += 64;
		} else if (i % 64 == 0 && w == 0 && i + 64 <= npages && run + 64 <= n) {
			run += 64;
			i += 64;
		} else {
			run = test(used, i) ? 0 : run + 1;
			i++;
		}
	}
	return run == n ? i - n : NONE;
}

/* Marks [first, first+n) used and zero, as a fresh anonymous mapping is. */
static void take(uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++) {
		set(used, i);
		if (test(dirty, i)) {
			memset((void *)(heap_base + i * PAGE), 0, PAGE);
			clear(dirty, i);
		}
	}
	if (first == hint)
		hint = first + n;
}

static void release(uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (test(used, i))
			set(dirty, i);
		clear(used, i);
	}
	if (first < hint)
		hint = first;
}

/*
 * Converts [addr, addr+len) to heap page indexes. Both ends are checked
 * (len is compared with what is left above addr, never added to it, so a
 * huge len cannot wrap). The bitmap pages are never the caller's.
 */
static long to_pages(uint64_t addr, uint64_t len, uint64_t *first, uint64_t *n)
{
	if (addr % PAGE || len == 0)
		return -EINVAL;
	if (addr < heap_base || addr - heap_base >= npages * PAGE)
		return -EINVAL;
	uint64_t off = addr - heap_base;
	if (len > npages * PAGE - off)
		return -EINVAL;
	*first = off / PAGE;
	*n = (len + PAGE - 1) / PAGE;
	if (*first < meta_pages)
		return -EINVAL;
	return 0;
}

/*
 * Only private anonymous memory exists. Protection is not enforced inside
 * the heap (the platform maps it read-write, never executable), so
 * PROT_NONE reads as read-write and PROT_EXEC is refused.
 */
long libos_mmap(uint64_t addr, uint64_t len, long prot, long flags, long fd, long off)
{
	uint64_t first, n;

	if (!(flags & MAP_ANONYMOUS))
		return fd >= 0 && fd <= 2 ? -ENODEV : -EBADF; /* no files to map */
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		return -EINVAL;
	if (prot & PROT_EXEC)
		return -EPERM;
	if (len == 0 || len > npages * PAGE)
		return len ? -ENOMEM : -EINVAL;
	n = (len + PAGE - 1) / PAGE;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		/* Replacing pages at a fixed place: only inside the heap. */
		if (to_pages(addr, len, &first, &n) < 0)
			return -ENOMEM;
		if (flags & MAP_FIXED_NOREPLACE)
			for (uint64_t i = first; i < first + n; i++)
				if (test(used, i))
					return -EEXIST;
		release(first, n);
		take(first, n);
		return (long)addr;
	}
	if ((first = find_run(n)) == NONE)
		return -ENOMEM;
	take(first, n);
	return (long)(heap_base + first * PAGE);
}

long libos_munmap(uint64_t addr, uint64_t len)
{
	uint64_t first, n;
	long r;

	if ((r = to_pages(addr, len, &first, &n)) < 0)
		return r;
	release(first, n);
	return 0;
}

/* Shrinks in place, grows in place when the pages above are free, else moves. */
long libos_mremap(uint64_t old, uint64_t old_len, uint64_t new_len, long flags, uint64_t new_addr)
{
	uint64_t first, n, want, to;

	if (flags & ~MREMAP_MAYMOVE)
		return -EINVAL; /* MREMAP_FIXED, MREMAP_DONTUNMAP: not supported */
	if (old % PAGE)
		return -EINVAL;
	if (to_pages(old, old_len, &first, &n) < 0)
		return -EFAULT; /* not (all) our mapping */
	if (new_len == 0)
		return -EINVAL;
	if (new_len > npages * PAGE)
		return -ENOMEM;
	want = (new_len + PAGE - 1) / PAGE;
	for (uint64_t i = first; i < first + n; i++)
		if (!test(used, i))
			return -EFAULT;
	if (want <= n) {
		release(first + want, n - want);
		return (long)old;
	}
	uint64_t grow = first + n;
	while (grow < first + want && grow < npages && !test(used, grow))
		grow++;
	if (grow == first + want) {
		take(first + n, want - n);
		return (long)old;
	}
	if (!(flags & MREMAP_MAYMOVE) || (to = find_run(want)) == NONE)
		return -ENOMEM;
	take(to, want);
	memcpy((void *)(heap_base + to * PAGE), (void *)old, n * PAGE);
	release(first, n);
	return (long)(heap_base + to * PAGE);
}

/* MADV_DONTNEED on private anonymous memory means "reads as zero from now on". */
long libos_madvise(uint64_t addr, uint64_t len, long advice)
{
	uint64_t first, n;

	if (addr % PAGE)
		return -EINVAL;
	if (advice != MADV_DONTNEED || to_pages(addr, len, &first, &n) < 0)
		return 0;
	for (uint64_t i = first; i < first + n; i++)
		if (test(used, i))
			memset((void *)(heap_base + i * PAGE), 0, PAGE);
	return 0;
}

long libos_mprotect(uint64_t addr, uint64_t len, long prot)
{
	if (addr % PAGE)
		return -EINVAL;
	if (prot & PROT_EXEC)
		return -EACCES;
	return 0; /* not enforced: see libos_mmap */
}

/*
 * There is no brk area: the break stays at the image's end, and every
 * request to move it "fails" by returning it unchanged, Linux's way of
 * saying no. musl's malloc then takes all its memory from mmap.
 */
long libos_brk(uint64_t addr)
{
	extern char _end[];

	return (long)(((uint64_t)_end + PAGE - 1) & ~(PAGE - 1));
}
