/* SPDX-License-Identifier: ISC */
/*
 * The pkey calls and what the keys do, chosen by argv[1]:
 *   closed-read | closed-fresh | closed-write | wd-write | ro-write | none-read
 *       a heap page made inaccessible one way; the access must kill us
 *   misuse     every misuse of the three calls gets its error code
 *   hold RIGHTS MS   spin MS ms with key 3 allocated with RIGHTS (0..3),
 *       checking PKRU and our keyed page all along (two of these with
 *       different rights run interleaved under the timer)
 *   nopku      the platform has no PKU: flag clear, every call -ENOTSUP
 */
#include "ct.h"

#define PAGE 4096
#define R HAKO_PROT_READ
#define W HAKO_PROT_WRITE

static int failures;
static uint8_t data_page[PAGE] __attribute__((aligned(PAGE))) = { 1 };
static const uint8_t ro_page[PAGE] __attribute__((aligned(PAGE))) = { 1 };
static volatile uint64_t sink;

static long pkey_alloc(long flags, long access)
{
	return call(HAKO_CALL_PKEY_ALLOC, flags, access, 0, 0);
}

static long pkey_free(long key)
{
	return call(HAKO_CALL_PKEY_FREE, key, 0, 0, 0);
}

static long pkey_mprotect(uint64_t addr, long len, long prot, long key)
{
	return call(HAKO_CALL_PKEY_MPROTECT, (long)addr, len, prot, key);
}

static void expect(const char *what, long got, long want)
{
	if (got == want)
		return;
	put("FAIL ");
	putnum(what, got);
	failures++;
}

/* A heap page keyed with a fresh key of the given rights (or prot with key 0). */
static volatile uint8_t *keyed_page(const struct hako_start_info *si, long rights, long prot)
{
	volatile uint8_t *p = (volatile uint8_t *)(si->heap_base + 16 * PAGE);
	long key = rights < 0 ? -1 : pkey_alloc(0, rights);

	p[0] = 42; /* brought in first: the key must hold for present pages too */
	if (key < -1 || pkey_mprotect((uint64_t)p, PAGE, prot, key)) {
		putnum("setup failed, key", key);
		quit(3);
	}
	return p;
}

static void misuse_alloc_free(void)
{
	expect("alloc flags", pkey_alloc(1, 0), -HAKO_EINVAL);
	expect("alloc rights 4", pkey_alloc(0, 4), -HAKO_EINVAL);
	expect("free unallocated", pkey_free(HAKO_PKEY_POOL_FIRST), -HAKO_EPERM);
	for (long k = HAKO_PKEY_POOL_FIRST; k <= HAKO_PKEY_POOL_LAST; k++)
		expect("alloc from the pool", pkey_alloc(0, 0), k);
	expect("13th alloc", pkey_alloc(0, 0), -HAKO_ENOSPC);
	expect("free 0", pkey_free(0), -HAKO_EPERM);
	expect("free libOS key", pkey_free(HAKO_PKEY_LIBOS), -HAKO_EPERM);
	expect("free closed key", pkey_free(HAKO_PKEY_CLOSED), -HAKO_EPERM);
	expect("free 16", pkey_free(16), -HAKO_EINVAL);
	expect("free -1", pkey_free(-1), -HAKO_EINVAL);
	expect("free 5", pkey_free(5), 0);
	expect("free 5 twice", pkey_free(5), -HAKO_EPERM);
	expect("realloc gets 5", pkey_alloc(0, 0), 5);
}

static void misuse_mprotect(const struct hako_start_info *si)
{
	uint64_t heap = si->heap_base;

	expect("unaligned", pkey_mprotect(heap + 1, PAGE, R, 3), -HAKO_EINVAL);
	expect("PROT_EXEC", pkey_mprotect(heap, PAGE, R | HAKO_PROT_EXEC, 3), -HAKO_EINVAL);
	expect("prot 8", pkey_mprotect(heap, PAGE, 8, 3), -HAKO_EINVAL);
	expect("key 16", pkey_mprotect(heap, PAGE, R, 16), -HAKO_EINVAL);
	expect("key -2", pkey_mprotect(heap, PAGE, R, -2), -HAKO_EINVAL);
	expect("key 1", pkey_mprotect(heap, PAGE, R, HAKO_PKEY_LIBOS), -HAKO_EPERM);
	expect("key 15", pkey_mprotect(heap, PAGE, R, HAKO_PKEY_CLOSED), -HAKO_EPERM);
	expect("code", pkey_mprotect((uint64_t)main & ~(PAGE - 1ul), PAGE, R, 3), -HAKO_EFAULT);
	expect("rodata", pkey_mprotect((uint64_t)ro_page, PAGE, R | W, -1), -HAKO_EFAULT);
	expect("call page", pkey_mprotect(HAKO_CALL_VA, PAGE, R, 3), -HAKO_EFAULT);
	expect("info page", pkey_mprotect(HAKO_INFO_VA, PAGE, R | W, 3), -HAKO_EFAULT);
	expect("NULL", pkey_mprotect(0, PAGE, R, 3), -HAKO_EFAULT);
	expect("hv", pkey_mprotect(0xffffffff80000000ul, PAGE, R, 3), -HAKO_EFAULT);
	expect("wrapping", pkey_mprotect(heap, -PAGE, R, 3), -HAKO_EFAULT);
	expect("past heap end", pkey_mprotect(heap + si->heap_size - PAGE, 2 * PAGE, R, 3),
	       -HAKO_EFAULT);
	expect("heap into stack gap", pkey_mprotect(heap, 1ul << 46, R, 3), -HAKO_EFAULT);
	expect("len 0", pkey_mprotect(heap, 0, R, 3), 0);
	expect("data segment", pkey_mprotect((uint64_t)data_page, PAGE, R | W, 4), 0);
	data_page[1] = 2; /* key 4 was allocated open */
	expect("stack", pkey_mprotect(si->stack_base, PAGE, R | W, 4), 0);
	expect("heap, 1 MiB", pkey_mprotect(heap + PAGE, 1 << 20, R | W, 3), 0);
	((volatile uint8_t *)heap)[PAGE + 4096 * 7] = 1;
}

/* Freeing a key pages still carry is refused; once they are re-keyed it works. */
static void misuse_free_in_use(const struct hako_start_info *si)
{
	volatile uint8_t *p = (volatile uint8_t *)(si->heap_base + PAGE);

	expect("free key in use", pkey_free(3), -HAKO_EBUSY);
	expect("re-key to 0", pkey_mprotect((uint64_t)p, 1 << 20, R | W, -1), 0);
	expect("free key 3", pkey_free(3), 0);
	expect("realloc closed", pkey_alloc(0, HAKO_PKEY_DISABLE_ACCESS), 3);
	p[0] = 1; /* key 0 now: the closed key 3 has no pages */
	expect("free key 4 in use", pkey_free(4), -HAKO_EBUSY);
}

static int misuse(const struct hako_start_info *si)
{
	uint32_t xcr0, hi;

	expect("PKU flag", !!(si->flags & HAKO_INFO_PKU), 1);
	/* hv: PKRU is not an XSAVE component, so no ring-3 XRSTOR could load it. */
	__asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
	if (si->platform == HAKO_PLATFORM_HV)
		expect("XCR0 bit 9 (PKRU)", xcr0 >> 9 & 1, 0);
	misuse_alloc_free();
	misuse_mprotect(si);
	misuse_free_in_use(si);
	putnum("failures", failures);
	return failures ? 1 : 0;
}

/* Spin ms ms checking that PKRU is ours; count the times another container ran. */
static int hold(const struct hako_start_info *si, long rights, long ms)
{
	volatile uint8_t *p = keyed_page(si, rights, R | W); /* the first key: 3 */
	uint32_t want = (HAKO_PKRU_DEFAULT & ~(3u << 6)) | (uint32_t)rights << 6;
	int64_t t = now(), end = t + ms * 1000000;
	long checks = 0, switched = 0;

	while (t < end) {
		for (int i = 0; i < 1000; i++, checks++) {
			if (rdpkru() != want) {
				puthex("PKRU changed to", rdpkru());
				return 1;
			}
			if (!(rights & HAKO_PKEY_DISABLE_ACCESS))
				sink += p[i]; /* key 3: only our rights allow it */
			if (!rights)
				p[i] = (uint8_t)(p[i] + 1);
		}
		int64_t t2 = now();
		switched += t2 - t > 2000000; /* 2 ms without us: someone else ran */
		t = t2;
	}
	puthex("pkru", want);
	putnum("checks", checks);
	putnum("preempted", switched);
	return 0;
}

static int nopku(const struct hako_start_info *si)
{
	expect("PKU flag", !!(si->flags & HAKO_INFO_PKU), 0);
	expect("alloc", pkey_alloc(0, 0), -HAKO_ENOTSUP);
	expect("free", pkey_free(3), -HAKO_ENOTSUP);
	expect("mprotect", pkey_mprotect(si->heap_base, PAGE, R, 0), -HAKO_ENOTSUP);
	putnum("failures", failures);
	return failures ? 1 : 0;
}

int main(const struct hako_start_info *si)
{
	const char *what = arg(si, 1);
	volatile uint8_t *p;

	if (eq(what, "misuse"))
		return misuse(si);
	if (eq(what, "hold"))
		return hold(si, num(arg(si, 2)) & 3, num(arg(si, 3)));
	if (eq(what, "nopku"))
		return nopku(si);
	put("about to: ");
	put(what);
	put("\n");
	if (eq(what, "closed-read")) {
		p = keyed_page(si, HAKO_PKEY_DISABLE_ACCESS, R | W);
		sink = p[0];
	} else if (eq(what, "closed-fresh")) { /* never touched before it was keyed */
		p = (volatile uint8_t *)(si->heap_base + 64 * PAGE);
		if (pkey_mprotect((uint64_t)p, PAGE, R | W, pkey_alloc(0, HAKO_PKEY_DISABLE_ACCESS)))
			return 3;
		sink = p[0];
	} else if (eq(what, "closed-write")) {
		p = keyed_page(si, HAKO_PKEY_DISABLE_ACCESS, R | W);
		p[0] = 1;
	} else if (eq(what, "wd-write")) {
		p = keyed_page(si, HAKO_PKEY_DISABLE_WRITE, R | W);
		putnum("read through a WD key", p[0]);
		p[0] = 1;
	} else if (eq(what, "ro-write")) {
		p = keyed_page(si, -1, R);
		putnum("read a read-only page", p[0]);
		p[0] = 1;
	} else if (eq(what, "none-read")) {
		p = keyed_page(si, -1, 0);
		sink = p[0];
	} else {
		return 3;
	}
	put("still alive: the access was not stopped\n");
	return 4;
}
