/* SPDX-License-Identifier: ISC */
/* Prints its start info and arguments through the console call, exits 0. */
#include "ct.h"

int main(const struct hako_start_info *si)
{
	const char *s = si->strings;

	if (si->magic != HAKO_INFO_MAGIC || si->platform != HAKO_PLATFORM_HV)
		return 1;
	put("hello from ");
	put(si->name);
	put("\n");
	for (uint32_t i = 0; i < si->argc + si->envc; i++) {
		put(i < si->argc ? "arg: " : "env: ");
		put(s);
		put("\n");
		while (*s++)
			;
	}
	putnum("heap KiB", (long)(si->heap_size >> 10));
	putnum("stack KiB", (long)(si->stack_size >> 10));
	/* The heap is zero-filled and ours to use. */
	volatile uint8_t *heap = (uint8_t *)si->heap_base;
	heap[0] = 1;
	heap[si->heap_size / 2] = 2;
	if (heap[1] != 0)
		return 2;
	put("partial line without newline");
	return 0;
}
