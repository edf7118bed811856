/* SPDX-License-Identifier: ISC */
/* CPU features, control registers, and the per-container FPU/SSE state. */
#ifndef HV_CPU_H
#define HV_CPU_H

#include <stdint.h>

struct cpu_features {
	int smep, smap, umip, fsgsbase, xsave, xsaveopt, rdrand, pku;
	uint64_t xcr0;      /* state components saved per container */
	uint32_t fpu_size;  /* bytes of the save area */
	char accel[13];     /* who runs us: "TCG", "KVM", "bare metal", ... */
};
extern struct cpu_features cpu;

/*
 * Turn on NX, SMEP, SMAP, WP, UMIP, FSGSBASE, SSE, XSAVE and protection
 * keys (CR4.PKE) where the CPU has them; refuse a CPU without NX or SSE.
 */
void cpu_init(void);

/* A save area (one page, 64-byte aligned) in the state a new container starts with. */
void fpu_init_area(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

/* 64 random bits: RDRAND when the CPU has it, else TSC-mixed. */
uint64_t cpu_random(void);

#endif /* HV_CPU_H */
