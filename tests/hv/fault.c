/* SPDX-License-Identifier: ISC */
/* Breaks a rule chosen by argv[1]; the hv must kill it (and only it). */
#include "ct.h"

static const uint8_t data_code[] = { 0xc3 }; /* ret, in a non-executable page */
static volatile uint64_t sink;

static volatile int forever = 1;

static int recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	return forever ? recurse(n + 1) + pad[0] : 0;
}

int main(const struct hako_start_info *si)
{
	const char *what = si->strings;

	if (si->argc < 2)
		return 3;
	while (*what++) /* skip argv[0], the container's name */
		;

	put("about to: ");
	put(what);
	put("\n");
	if (eq(what, "read-hv"))
		sink = *(volatile uint64_t *)0xffffffff80000000ul;
	else if (eq(what, "read-hv-text"))
		sink = *(volatile uint64_t *)0xffffffff80110000ul;
	else if (eq(what, "read-dmap"))
		sink = *(volatile uint64_t *)0xffff800000100000ul;
	else if (eq(what, "write-code"))
		*(volatile uint8_t *)(uintptr_t)main = 0xc3;
	else if (eq(what, "write-callpage"))
		*(volatile uint8_t *)HAKO_CALL_VA = 0xc3;
	else if (eq(what, "write-info"))
		*(volatile uint32_t *)HAKO_INFO_VA = 0;
	else if (eq(what, "exec-data"))
		((void (*)(void))(uintptr_t)data_code)();
	else if (eq(what, "exec-stack")) {
		volatile uint8_t code[16] = { 0xc3 };
		((void (*)(void))(uintptr_t)code)();
	} else if (eq(what, "exec-heap")) {
		*(volatile uint8_t *)si->heap_base = 0xc3;
		((void (*)(void))si->heap_base)();
	} else if (eq(what, "null"))
		sink = *(volatile uint64_t *)0;
	else if (eq(what, "stack-overflow"))
		sink = (uint64_t)recurse(0);
	else if (eq(what, "heap-all")) { /* all of heap and stack fit the quota */
		for (uint64_t a = si->heap_base; a < si->heap_base + si->heap_size; a += 4096)
			*(volatile uint8_t *)a = 1;
		for (uint64_t a = si->stack_base; a < si->stack_base + si->stack_size; a += 4096)
			*(volatile uint8_t *)a = 1;
		put("touched all of heap and stack\n");
		return 0;
	} else if (eq(what, "heap-end"))
		sink = *(volatile uint8_t *)(si->heap_base + si->heap_size);
	else if (eq(what, "ud2"))
		__asm__ volatile("ud2");
	else if (eq(what, "hlt"))
		__asm__ volatile("hlt");
	else if (eq(what, "cli"))
		__asm__ volatile("cli");
	else if (eq(what, "int3"))
		__asm__ volatile("int3");
	else if (eq(what, "int80"))
		__asm__ volatile("int $0x80");
	else if (eq(what, "outb"))
		__asm__ volatile("outb %%al, $0xf4" :: "a"(0));
	else if (eq(what, "wrmsr"))
		__asm__ volatile("wrmsr" :: "c"(0xc0000082), "a"(0), "d"(0));
	else if (eq(what, "noncanonical"))
		sink = *(volatile uint64_t *)0x8000000000000000ul;
	else if (eq(what, "div0")) {
		volatile int z = 0;
		sink = (uint64_t)(100 / z);
	} else if (eq(what, "jump-hv"))
		((void (*)(void))0xffffffff80110000ul)();
	else if (eq(what, "sgdt")) {
		uint8_t g[10];
		__asm__ volatile("sgdt %0" : "=m"(g)); /* UMIP: #GP */
	} else if (eq(what, "tf-syscall")) {
		/* SYSCALL with TF set: a #DB may arrive on the hv's entry point. */
		long r;
		__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; syscall"
				 : "=a"(r) : "D"(HAKO_CALL_TIME), "S"(0) : "rcx", "r11", "memory");
		put("syscall with TF returned\n");
	} else if (eq(what, "raw-syscall")) {
		long r;
		__asm__ volatile("syscall" : "=a"(r) : "a"(257), "D"(HAKO_CALL_CONSOLE), "S"("x\n"), "d"(2)
				 : "rcx", "r11", "memory");
	} else if (eq(what, "tf")) {
		__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" ::: "memory");
	} else
		return 3;
	put("still alive: the hv did not stop me\n");
	return 4;
}
