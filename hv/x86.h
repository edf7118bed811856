/* SPDX-License-Identifier: ISC */
/* x86-64 definitions and the few privileged instructions the hv uses. */
#ifndef HV_X86_H
#define HV_X86_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define KERNEL_VMA UL(0xffffffff80000000) /* the hv image, linked here */
#define DMAP_BASE  UL(0xffff800000000000) /* direct map of physical memory */
#define DMAP_SIZE  UL(0x100000000)        /* 4 GiB mapped at boot */
#define MMIO_BASE  UL(0xffff808000000000) /* device registers, uncached (vm_map_mmio) */
#define MMIO_SIZE  UL(0x40000000)         /* 1 GiB: one page directory's worth */
#define KSTACK_SIZE 16384
#define USER_TOP   UL(0x0000800000000000) /* end of the low canonical half */

/* GDT selectors; SYSRET wants user data at +8 and user code at +16. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x23 /* 0x20 | RPL 3 */
#define SEL_UCODE 0x2b /* 0x28 | RPL 3 */
#define SEL_TSS   0x30

#define VEC_TIMER    32
#define VEC_IRQ_FIRST 33 /* device interrupts (MSI-X), handed out by irq_alloc */
#define VEC_IRQ_LAST  63
#define VEC_SPURIOUS 0xff
#define VEC_SYSCALL  0x100 /* not a vector: marks a frame made by SYSCALL */

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_NE 0x00000020
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PAE        (1 << 5)
#define CR4_PGE        (1 << 7)
#define CR4_OSFXSR     (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP       (1 << 11)
#define CR4_FSGSBASE   (1 << 16)
#define CR4_OSXSAVE    (1 << 18)
#define CR4_SMEP       (1 << 20)
#define CR4_SMAP       (1 << 21)
#define CR4_PKE        (1 << 22)

#define MSR_EFER           0xc0000080
#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_SFMASK         0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_APIC_BASE      0x1b
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define RFLAGS_TF (1 << 8)
#define RFLAGS_IF (1 << 9)
#define RFLAGS_DF (1 << 10)
#define RFLAGS_NT (1 << 14)
#define RFLAGS_AC (1 << 18)

/* Page table entry bits. */
#define PTE_P   (UL(1) << 0)
#define PTE_W   (UL(1) << 1)
#define PTE_U   (UL(1) << 2)
#define PTE_PWT (UL(1) << 3)
#define PTE_PCD (UL(1) << 4)
#define PTE_PS  (UL(1) << 7)
#define PTE_G   (UL(1) << 8)
#define PTE_OWN (UL(1) << 9) /* software: the page belongs to the domain */
#define PTE_PKEY_SHIFT 59
#define PTE_PKEY (UL(15) << PTE_PKEY_SHIFT) /* the page's protection key (user pages) */
#define PTE_NX  (UL(1) << 63)
#define PTE_ADDR UL(0x000ffffffffff000)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define P2V(pa) ((void *)((uint64_t)(pa) + DMAP_BASE))
#define V2P(va) ((uint64_t)(va) - DMAP_BASE)
#define K2P(va) ((uint64_t)(va) - KERNEL_VMA)

/* The registers of an interrupted context, as entry.S saves them. */
struct regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vec, err;                  /* pushed by the stubs */
	uint64_t rip, cs, rflags, rsp, ss;  /* pushed by the CPU (or SYSCALL stub) */
};

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define CR_ACCESSORS(n)                                                            \
	static inline uint64_t read_cr##n(void)                                    \
	{                                                                          \
		uint64_t v;                                                        \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                  \
		return v;                                                          \
	}                                                                          \
	static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
CR_ACCESSORS(0)
CR_ACCESSORS(2)
CR_ACCESSORS(3)
CR_ACCESSORS(4)

static inline void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* PKRU (needs CR4.PKE): two bits per key, 2k access disable, 2k + 1 write disable. */
static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;
	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void wrpkru(uint32_t v)
{
	__asm__ volatile("wrpkru" :: "a"(v), "c"(0), "d"(0) : "memory");
}

static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void pause(void) { __asm__ volatile("pause"); }
static inline void wait_for_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

#endif /* !__ASSEMBLER__ */
#endif /* HV_X86_H */
