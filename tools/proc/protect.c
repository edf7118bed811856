/* SPDX-License-Identifier: ISC */
/*
 * proc platform, before the seal: protection keys through Linux's pkeys,
 * and nothing left executable in the process that could change PKRU.
 *
 * Keys: every key 1..15 is allocated here, in order, with the rights the
 * container starts with (Linux sets them in PKRU as it allocates), the
 * domains note's ranges are keyed, then the pool (3..14) goes back to
 * Linux so that the container's pkey_alloc gets the lowest free pool key.
 *
 * Code: the image was scanned by img_parse. The tender's own text (this
 * static binary's libc holds XRSTOR, in its lazy-binding trampolines) stays
 * executable only where the container side lives, section hako_ctext,
 * which is scanned with the same scanner; the rest is made non-executable
 * by proc_seal_enter. The vDSO is scanned too and unmapped if it holds
 * such bytes (nothing after the jump uses it). The call page is scanned
 * as written.
 */
#include "proc.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "image.h"

#define PAGE HAKO_PAGE_SIZE

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern const char __start_hako_ctext[], __stop_hako_ctext[];

static int err(const struct proc_opts *o, const char *what)
{
	fprintf(stderr, "hako: %s: %s\n", o->image, what);
	return 2;
}

static uint64_t page_down(uint64_t a) { return a & ~(PAGE - 1); }
static uint64_t page_up(uint64_t a) { return (a + PAGE - 1) & ~(PAGE - 1); }

/* Rights of key k in pkru, as pkey_alloc's access argument. */
static unsigned rights(uint32_t pkru, unsigned k)
{
	return (pkru >> 2 * k) & 3;
}

/* Keys 1..15 allocated with the start PKRU's rights; 1 done, 0 no PKU, -1 failed. */
static int reserve_keys(const struct proc_opts *o, uint32_t start_pkru)
{
	if (o->no_pku)
		return 0; /* HAKO_PKU=off: for tests on machines that have PKU */
	for (unsigned k = 1; k < HAKO_PKEYS; k++) {
		long got = syscall(SYS_pkey_alloc, 0, rights(start_pkru, k));
		if (got < 0 && k == 1 && (errno == EINVAL || errno == ENOSPC || errno == ENOSYS))
			return 0;
		if (got != (long)k)
			return -1;
	}
	return 1;
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* Track the pages of the image's data segments, heap and stack; key the note's ranges. */
static int track_and_key(const struct proc_opts *o, const struct img *img,
			 const struct hako_start_info *si)
{
	uint64_t base[IMG_MAX_SEGS + 2], len[IMG_MAX_SEGS + 2], total = 0;
	unsigned prot[IMG_MAX_SEGS + 2], n = 0;
	uint8_t *map;

	for (unsigned i = 0; i < img->nseg; i++) {
		if (img->seg[i].prot & IMG_X)
			continue;
		base[n] = img->seg[i].vaddr, len[n] = img->seg[i].memsz;
		prot[n++] = img->seg[i].prot & (IMG_R | IMG_W);
	}
	base[n] = si->heap_base, len[n] = si->heap_size, prot[n++] = IMG_R | IMG_W;
	base[n] = si->stack_base, len[n] = si->stack_size, prot[n++] = IMG_R | IMG_W;
	for (unsigned i = 0; i < n; i++)
		total += len[i] / PAGE;
	map = mmap(NULL, page_up(total), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return err(o, "cannot allocate the page key map");
	for (unsigned i = 0; i < n; i++) {
		if (proc_pkey_track(base[i], len[i], prot[i], prot[i] & IMG_W, map))
			return err(o, "too many memory regions to track");
		map += len[i] / PAGE;
	}
	for (unsigned i = 0; i < img->nranges; i++) {
		const struct img_key_range *r = &img->range[i];
		unsigned p = 0;
		for (unsigned s = 0; s < img->nseg; s++)
			if (r->start >= img->seg[s].vaddr && r->start < img->seg[s].vaddr + img->seg[s].memsz)
				p = img->seg[s].prot & (IMG_R | IMG_W);
		if (pkey_mprotect((void *)r->start, r->end - r->start, (int)p, (int)r->pkey))
			return err(o, "cannot key the image's domain ranges");
		proc_pkey_keyed(r->start, r->end, p, r->pkey);
	}
	return 0;
}

static int keys(const struct proc_opts *o, const struct img *img, struct hako_start_info *si)
{
	uint32_t start = img->ndomains ? img->pkru[img->libos] : HAKO_PKRU_DEFAULT;
	int pku;

	if (img->ndomains && rights(start, 0))
		return err(o, "the libOS domain's PKRU closes key 0, which the proc tender uses");
	if ((pku = reserve_keys(o, start)) < 0)
		return err(o, "cannot reserve the protection keys");
	if (!pku) {
		if (img->ndomains)
			return err(o, "the image declares protection-key domains and this CPU has no PKU");
		fprintf(stderr, "hako: %s: no protection keys on this CPU: pkey calls return -ENOTSUP\n",
			o->name);
		return 0;
	}
	if (rdpkru() != start)
		return err(o, "PKRU is not what the container must start with");
	if (track_and_key(o, img, si))
		return 2;
	for (unsigned k = HAKO_PKEY_POOL_FIRST; k <= HAKO_PKEY_POOL_LAST; k++)
		if (syscall(SYS_pkey_free, k))
			return err(o, "cannot free the protection key pool");
	proc_pkey_init(1, img->ndomains > 0, start);
	si->flags |= HAKO_INFO_PKU;
	return 0;
}

/* Scan [start, end) of this process as executable bytes; 0 if clean. */
static int scan(uint64_t start, uint64_t end)
{
	struct img_code c = { start, (const uint8_t *)start, end - start };
	struct img_hit hit;

	return img_scan(&c, 1, NULL, 0, &hit);
}

/* The tender's executable segments, minus the container side's pages, go in seal->drop. */
static int own_code(const struct proc_opts *o, struct proc_seal *seal)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uint64_t bias = (uint64_t)eh, cs = page_down((uint64_t)__start_hako_ctext);
	uint64_t ce = page_up((uint64_t)__stop_hako_ctext);
	int inside = 0;

	if (scan(cs, ce))
		return err(o, "the tender's own code holds WRPKRU or XRSTOR");
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		uint64_t s = page_down(bias + ph[i].p_vaddr), e = page_up(bias + ph[i].p_vaddr + ph[i].p_memsz);
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		if (seal->ndrop + 2 > PROC_DROP_MAX)
			return err(o, "too many executable segments in the tender");
		if (cs >= s && ce <= e) {
			inside = 1;
			if (cs > s)
				seal->drop[seal->ndrop++] = (struct proc_range){ s, cs - s };
			if (e > ce)
				seal->drop[seal->ndrop++] = (struct proc_range){ ce, e - ce };
		} else {
			seal->drop[seal->ndrop++] = (struct proc_range){ s, e - s };
		}
	}
	return inside ? 0 : err(o, "cannot find the tender's container-side code");
}

/* The vDSO's code is scanned; if it holds a PKRU writer, it is unmapped at the seal. */
static void vdso(struct proc_seal *seal)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	uint64_t end = 0;
	int dirty = 0;

	if (!eh)
		return;
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		uint64_t s = (uint64_t)eh + ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (page_up(s + ph[i].p_memsz) > end)
			end = page_up(s + ph[i].p_memsz);
		if (ph[i].p_flags & PF_X)
			dirty |= scan(s, s + ph[i].p_filesz);
	}
	if (dirty)
		seal->vdso = (struct proc_range){ (uint64_t)eh, end - (uint64_t)eh };
}

int proc_protect(const struct proc_opts *o, const struct img *img, struct hako_start_info *si,
		 struct proc_seal *seal)
{
	if (keys(o, img, si) || own_code(o, seal))
		return 2;
	if (scan(HAKO_CALL_VA, HAKO_CALL_VA + PAGE))
		return err(o, "the call page would hold WRPKRU (its tender address); try again");
	vdso(seal);
	return 0;
}
