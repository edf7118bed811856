/* SPDX-License-Identifier: ISC */
/* CPU setup: protection bits in CR0/CR4/EFER, SSE/XSAVE, and FPU state switching. */
#include "cpu.h"

#include "cons.h"
#include "lib.h"
#include "trap.h"
#include "x86.h"

#define XCR0_X87 1
#define XCR0_SSE 2
#define XCR0_AVX 4
/* XCR0 bit 9 (PKRU) stays clear: a ring-3 XRSTOR could otherwise load PKRU. */

struct cpu_features cpu;

/* Name the layer below from the CPUID hypervisor leaf, for logs and benchmarks. */
static void find_accel(int under_hv)
{
	uint32_t r[4];

	memcpy(cpu.accel, "bare metal", 11);
	if (!under_hv)
		return;
	cpuid(0x40000000, 0, r);
	memcpy(cpu.accel, &r[1], 4);
	memcpy(cpu.accel + 4, &r[2], 4);
	memcpy(cpu.accel + 8, &r[3], 4);
	cpu.accel[12] = 0;
	if (!memcmp(cpu.accel, "TCGTCGTCGTCG", 12))
		memcpy(cpu.accel, "TCG", 4);
	else if (!memcmp(cpu.accel, "KVMKVMKVM", 9))
		memcpy(cpu.accel, "KVM", 4);
}

void cpu_init(void)
{
	uint32_t r[4], ext[4];

	cpuid(1, 0, r);
	cpuid(0x80000001, 0, ext);
	if (!(ext[3] & (1u << 20)) || !(r[3] & (1u << 25)) || !(r[3] & (1u << 24)))
		panic("cpu: NX, SSE and FXSR are required");
	cpu.xsave = !!(r[2] & (1u << 26));
	cpu.rdrand = !!(r[2] & (1u << 30));
	find_accel(!!(r[2] & (1u << 31)));
	cpuid(7, 0, ext);
	cpu.fsgsbase = !!(ext[1] & (1u << 0));
	cpu.smep = !!(ext[1] & (1u << 7));
	cpu.smap = !!(ext[1] & (1u << 20));
	cpu.umip = !!(ext[2] & (1u << 2));
	cpu.pku = !!(ext[2] & (1u << 3));

	write_cr0((read_cr0() | CR0_WP | CR0_NE | CR0_MP) & ~(uint64_t)(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | (cpu.smep ? CR4_SMEP : 0) |
		  (cpu.smap ? CR4_SMAP : 0) | (cpu.umip ? CR4_UMIP : 0) |
		  (cpu.fsgsbase ? CR4_FSGSBASE : 0) | (cpu.xsave ? CR4_OSXSAVE : 0) |
		  (cpu.pku ? CR4_PKE : 0));
	smap_enabled = (uint8_t)cpu.smap;

	cpu.fpu_size = 512;
	if (cpu.xsave) {
		cpuid(0xd, 0, r);
		cpu.xcr0 = r[0] & (XCR0_X87 | XCR0_SSE | XCR0_AVX);
		xsetbv(0, cpu.xcr0);
		cpuid(0xd, 0, r); /* EBX: size for the components now enabled */
		cpu.fpu_size = r[1];
		cpuid(0xd, 1, r);
		cpu.xsaveopt = !!(r[0] & 1);
		if (cpu.fpu_size > 4096)
			panic("cpu: xsave area of %u bytes", cpu.fpu_size);
	}
}

void fpu_init_area(void *area)
{
	memset(area, 0, cpu.fpu_size);
	*(uint16_t *)area = 0x37f;                  /* x87 control word: all masked */
	*(uint32_t *)((char *)area + 24) = 0x1f80;  /* MXCSR: all masked */
}

void fpu_save(void *area)
{
	uint32_t lo = (uint32_t)cpu.xcr0, hi = (uint32_t)(cpu.xcr0 >> 32);

	if (cpu.xsaveopt)
		__asm__ volatile("xsaveopt64 (%0)" :: "r"(area), "a"(lo), "d"(hi) : "memory");
	else if (cpu.xsave)
		__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	uint32_t lo = (uint32_t)cpu.xcr0, hi = (uint32_t)(cpu.xcr0 >> 32);

	if (cpu.xsave)
		__asm__ volatile("xrstor64 (%0)" :: "r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}

uint64_t cpu_random(void)
{
	static uint64_t mix = 0x9e3779b97f4a7c15ul;
	uint64_t v;

	for (int i = 0; cpu.rdrand && i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok)
			return v;
	}
	/* splitmix64 over the TSC: not secret, but differs per call and boot. */
	v = (mix += 0x9e3779b97f4a7c15ul) ^ rdtsc();
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ul;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebul;
	return v ^ (v >> 31);
}
