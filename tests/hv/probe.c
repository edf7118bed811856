/* SPDX-License-Identifier: ISC */
/*
 * proc only: try to run the tender's own code (its libc, which holds
 * XRSTOR). The call page's `movabs $proc_call, %rax` gives the tender's
 * address; its ELF header lies a few pages below, and with it the start of
 * its executable segment. The tender made that non-executable before the
 * jump: the call must fault.
 */
#include "ct.h"

typedef void (*fn)(void);

int main(const struct hako_start_info *si)
{
	const uint8_t *stub = (const uint8_t *)HAKO_CALL_VA;
	uint64_t target = 0, base;
	const uint8_t *eh;

	if (si->platform != HAKO_PLATFORM_PROC || stub[0] != 0x48 || stub[1] != 0xb8)
		return 3;
	for (int i = 0; i < 8; i++)
		target |= (uint64_t)stub[2 + i] << 8 * i;
	base = target & ~4095ul;
	/* Down page by page to the ELF header; the tender's segments are contiguous. */
	for (int i = 0; i < 4096 && *(const volatile uint32_t *)base != 0x464c457f; i++)
		base -= 4096;
	eh = (const uint8_t *)base;
	if (*(const uint32_t *)eh != 0x464c457f)
		return 3;
	for (unsigned i = 0; i < *(const uint16_t *)(eh + 56); i++) {
		const uint8_t *ph = eh + *(const uint64_t *)(eh + 32) + 56 * i;
		if (*(const uint32_t *)ph != 1 || !(*(const uint32_t *)(ph + 4) & 1))
			continue;
		const uint8_t *code = eh + *(const uint64_t *)(ph + 16);
		for (int k = 0; k < 4096; k++) {
			if (code[k] != 0xc3) /* a ret: whatever runs before it is harmless */
				continue;
			puthex("calling tender code at", (uint64_t)(code + k));
			((fn)(uintptr_t)(code + k))();
			put("tender code ran\n");
			return 4;
		}
	}
	return 3;
}
