/* SPDX-License-Identifier: ISC */
/*
 * Images the load-time scan must refuse, one kind each (built with
 * -DSTRAY_<kind>); STRAY_lfence must be accepted and run. The bytes sit in
 * stray_code(), which the refused images never get to run.
 */
#include "ct.h"

__attribute__((noinline)) static void stray_code(uint8_t *area)
{
#if defined(STRAY_wrpkru)
	__asm__ volatile("xor %%ecx, %%ecx\n\txor %%edx, %%edx\n\twrpkru" :: "a"(0) : "ecx", "edx");
#elif defined(STRAY_imm) /* mov $0xef010f, %eax: B8 0F 01 EF 00, WRPKRU inside an immediate */
	__asm__ volatile("mov $0xef010f, %%eax" ::: "eax");
#elif defined(STRAY_gate) /* the exact gate, but no domains note declares its value */
	GATE(0x12345678);
#elif defined(STRAY_xrstor)
	__asm__ volatile("xrstor (%0)" :: "r"(area), "a"(-1), "d"(-1) : "memory");
#elif defined(STRAY_xrstors)
	__asm__ volatile("xrstors (%0)" :: "r"(area), "a"(-1), "d"(-1) : "memory");
#elif defined(STRAY_lfence)
	__asm__ volatile("lfence; mfence; sfence" ::: "memory");
#else
#error "which STRAY_ kind?"
#endif
	(void)area;
}

int main(const struct hako_start_info *si)
{
	static uint8_t area[4096] __attribute__((aligned(64)));

	stray_code(area);
	put("fences ran\n");
	return si->argc > 100; /* 0 */
}
