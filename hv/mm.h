/* SPDX-License-Identifier: ISC */
/* Physical page allocator. */
#ifndef HV_MM_H
#define HV_MM_H

#include <stdint.h>

#define PAGE_SIZE 4096ul

/* Give the pages of RAM range [start, end) to the allocator, minus reserved ones. */
void mm_add(uint64_t start, uint64_t end);
/* Never hand out [start, end); MUST be called before mm_add covers it. */
void mm_reserve(uint64_t start, uint64_t end);

/* A zeroed page's physical address, or 0 when memory is exhausted. */
uint64_t page_alloc(void);
void page_free(uint64_t pa);

uint64_t mm_free_pages(void);
uint64_t mm_total_pages(void);

#endif /* HV_MM_H */
