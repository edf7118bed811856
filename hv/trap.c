/* SPDX-License-Identifier: ISC */
/* GDT, TSS and IDT; exceptions from ring 3 kill the container, from ring 0 panic. */
#include "trap.h"

#include "cons.h"
#include "ctl.h"
#include "irq.h"
#include "lib.h"
#include "pkey.h"
#include "sched.h"
#include "timer.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap; /* iomap past the limit: no port for ring 3 */
} __attribute__((packed));

struct gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, reserved;
};

#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define IST_DB  4

uint8_t smap_enabled;
char kstack[KSTACK_SIZE] __attribute__((aligned(4096)));
static struct tss tss = { .iomap = sizeof(struct tss) };
static uint64_t gdt[8] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0,                  /* 0x18 (32-bit user code: never used) */
	0x00cff2000000ffff, /* 0x20 user data, DPL 3 */
	0x00affa000000ffff, /* 0x28 user code, 64-bit, DPL 3 */
	0, 0,               /* 0x30 TSS, 16 bytes */
};
static struct gate idt[256];
static uint8_t ist_stacks[4][8192] __attribute__((aligned(16)));

extern char trap_stubs[], trap_spurious[];

static void set_gate(int vec, void *handler, int ist)
{
	uint64_t a = (uint64_t)handler;

	idt[vec] = (struct gate){
		.off0 = (uint16_t)a, .sel = SEL_KCODE, .ist = (uint8_t)ist,
		.type = 0x8e, /* present, DPL 0, interrupt gate: IF cleared */
		.off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
	};
}

void trap_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr, idtr;
	uint64_t t = (uint64_t)&tss;

	tss.rsp[0] = (uint64_t)(kstack + KSTACK_SIZE);
	for (int i = 0; i < 4; i++)
		tss.ist[i] = (uint64_t)ist_stacks[i] + sizeof(ist_stacks[0]);
	gdt[6] = (sizeof(tss) - 1) | (t & 0xffffff) << 16 | 0x89ul << 40 | ((t >> 24) & 0xff) << 56;
	gdt[7] = t >> 32;
	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (uint64_t)gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w2"
			 :: "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_TSS) : "rax", "memory");

	for (int v = 0; v <= VEC_IRQ_LAST; v++)
		set_gate(v, trap_stubs + 16 * v, 0);
	set_gate(8, trap_stubs + 16 * 8, IST_DF);
	set_gate(2, trap_stubs + 16 * 2, IST_NMI);
	set_gate(18, trap_stubs + 16 * 18, IST_MC);
	/* A single-step trap could land on syscall_entry, still on the user's stack. */
	set_gate(1, trap_stubs + 16 * 1, IST_DB);
	set_gate(VEC_SPURIOUS, trap_spurious, 0);
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" :: "m"(idtr));
}

static const char *const names[32] = {
	[0] = "divide error", [1] = "debug trap", [2] = "NMI", [3] = "breakpoint",
	[4] = "overflow", [5] = "bound range exceeded", [6] = "invalid opcode",
	[7] = "device not available", [8] = "double fault", [10] = "invalid TSS",
	[11] = "segment not present", [12] = "stack segment fault",
	[13] = "general protection fault", [14] = "page fault",
	[16] = "x87 floating-point error", [17] = "alignment check",
	[18] = "machine check", [19] = "SIMD floating-point exception",
	[20] = "virtualization exception", [21] = "control protection fault",
};

static const char *name(uint64_t vec)
{
	return vec < 32 && names[vec] ? names[vec] : "reserved exception";
}

static void dump(const struct regs *r)
{
	printf("  rip %016lx cs %lx rflags %lx rsp %016lx ss %lx\n", r->rip, r->cs, r->rflags,
	       r->rsp, r->ss);
	printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
	printf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r->rsi, r->rdi, r->rbp, r->r8);
	printf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", r->r9, r->r10, r->r11, r->r12);
	printf("  r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", r->r13, r->r14, r->r15,
	       read_cr2());
	printf("  cr3 %016lx err %lx\n", read_cr3(), r->err);
}

/* Describe a ring-3 page fault from its error code. */
static const char *pf_reason(uint64_t err, uint64_t addr)
{
	if (addr >= USER_TOP)
		return "page fault: access to hv memory";
	if (!(err & 1))
		return pd_fault_reason(sched_current(), addr);
	if (err & (1 << 5))
		return "page fault: protection key violation";
	if (err & (1 << 4))
		return "page fault: execute NX page";
	if (err & (1 << 1))
		return "page fault: write to read-only page";
	return "page fault: access denied";
}

static void user_exception(struct regs *r)
{
	char why[160];

	if (r->vec == 14) {
		uint64_t addr = read_cr2();
		const char *access = r->err & (1 << 4) ? "exec" : r->err & (1 << 1) ? "write" : "read";

		if (!(r->err & 1) && pd_fault_in(sched_current(), addr, r->err & (1 << 1)) == 0)
			return; /* demand-zero heap or stack page, now mapped */
		snprintf(why, sizeof(why), "%s (rip=%p, addr=%p, %s)", pf_reason(r->err, addr),
			 (void *)r->rip, (void *)addr, access);
	} else {
		snprintf(why, sizeof(why), "%s (rip=%p, err=%lx)", name(r->vec), (void *)r->rip,
			 r->err);
	}
	sched_kill(r, why);
}

void trap(struct regs *r)
{
	if (r->cs & 3)
		pkey_entry(sched_current()); /* its rights, before anything switches */
	if (r->vec == VEC_TIMER) { /* the tick: the control channel, then the scheduler */
		lapic_eoi();
		ctl_poll();
		sched_tick(r);
		return;
	}
	if (r->vec >= VEC_IRQ_FIRST && r->vec <= VEC_IRQ_LAST) {
		irq_dispatch(r);
		sched_irq(r); /* a container the device woke runs now */
		return;
	}
	if (r->vec == VEC_SPURIOUS)
		return;
	if (r->vec == 1 && (r->cs & 3) == 0) {
		r->rflags &= ~(uint64_t)RFLAGS_TF; /* a ring-3 TF that leaked in: ignore */
		return;
	}
	/* NMI and machine check are the machine's, not the container's. */
	if ((r->cs & 3) == 0 || r->vec == 2 || r->vec == 18) {
		printf("hako: PANIC: %s in the hv\n", name(r->vec));
		dump(r);
		panic("halted");
	}
	user_exception(r);
}
