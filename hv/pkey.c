/* SPDX-License-Identifier: ISC */
/*
 * Protection keys: the container's PKRU, the keys in its page tables, and
 * the pkey calls. A page's key is in PTE bits 62:59. A page not brought in
 * yet that pkey_mprotect gave a protection and a key holds them in its
 * non-present entry (a "template", never zero: it keeps PTE_NX); the
 * demand fault (pd_fault_in) maps the page with them.
 */
#include "pkey.h"

#include "cons.h"
#include "lib.h"
#include "mm.h"

#define PKEY_POOL ((uint16_t)(((1u << (HAKO_PKEY_POOL_LAST + 1)) - 1) & \
			      ~((1u << HAKO_PKEY_POOL_FIRST) - 1)))

static unsigned pte_key(uint64_t pte)
{
	return (unsigned)((pte & PTE_PKEY) >> PTE_PKEY_SHIFT);
}

/* Key 0 is everyone's; the others only once allocated (the note's keys never are). */
static int owned(const struct pd *pd, unsigned key)
{
	return key == 0 || (pd->pkeys >> key & 1);
}

int pkey_setup(struct pd *pd, const struct img *img, const char **why)
{
	pd->pkru = HAKO_PKRU_DEFAULT;
	for (unsigned i = 0; i < img->nseg; i++)
		if (img->seg[i].prot & IMG_W)
			pd->rw[pd->nrw++] = (struct pd_range){ img->seg[i].vaddr,
							       img->seg[i].vaddr + img->seg[i].memsz };
	if (!img->ndomains)
		return 0;
	if (!cpu.pku) {
		*why = "the image declares protection-key domains and this CPU has no PKU";
		return -1;
	}
	pd->domains = 1;
	pd->pkru = pd->libos_pkru = img->pkru[img->libos];
	/* Image pages are all mapped by now (load_segments); lib/image.c checked the ranges. */
	for (unsigned i = 0; i < img->nranges; i++) {
		for (uint64_t va = img->range[i].start; va < img->range[i].end; va += PAGE_SIZE) {
			uint64_t *pte = vm_lookup(&pd->vm, va);
			if (!pte || !(*pte & PTE_P))
				panic("pkey: %s: keyed image page %lx not mapped", pd->name, va);
			*pte = (*pte & ~PTE_PKEY) | (uint64_t)img->range[i].pkey << PTE_PKEY_SHIFT;
			pd->pkey_pages[img->range[i].pkey]++;
		}
	}
	return 0;
}

int pkey_call_allowed(const struct pd *pd, char *why, size_t n)
{
	if (!pd->domains || pd->pkru == pd->libos_pkru)
		return 1;
	snprintf(why, n, "hako call with PKRU 0x%08x, not the libOS domain's 0x%08x", pd->pkru,
		 pd->libos_pkru);
	return 0;
}

long pkey_alloc(struct pd *pd, uint64_t flags, uint64_t access)
{
	uint16_t free_keys = PKEY_POOL & ~pd->pkeys;
	unsigned key;

	if (!cpu.pku)
		return -HAKO_ENOTSUP;
	if (flags || access & ~(uint64_t)(HAKO_PKEY_DISABLE_ACCESS | HAKO_PKEY_DISABLE_WRITE))
		return -HAKO_EINVAL;
	if (!free_keys)
		return -HAKO_ENOSPC;
	key = (unsigned)__builtin_ctz(free_keys);
	pd->pkeys |= (uint16_t)(1u << key);
	/* As Linux: the caller's PKRU gets the rights. A domains image sets PKRU itself. */
	if (!pd->domains) {
		pd->pkru = (pd->pkru & ~(3u << 2 * key)) | (uint32_t)access << 2 * key;
		wrpkru(pd->pkru); /* pd is the container on the CPU */
	}
	return key;
}

long pkey_free(struct pd *pd, uint64_t key)
{
	if (!cpu.pku)
		return -HAKO_ENOTSUP;
	if (key >= HAKO_PKEYS)
		return -HAKO_EINVAL;
	if (key == 0 || !owned(pd, (unsigned)key))
		return -HAKO_EPERM;
	/* A freed key that pages still carry would hand them to its next owner. */
	if (pd->pkey_pages[key])
		return -HAKO_EBUSY;
	pd->pkeys &= (uint16_t)~(1u << key);
	return 0;
}

/* May pd re-key [start, end)? Its heap, its stack, one of its writable image segments. */
static int rekeyable(const struct pd *pd, uint64_t start, uint64_t end)
{
	if ((start >= pd->heap_base && end <= pd->heap_end) ||
	    (start >= pd->stack_base && end <= pd->stack_top))
		return 1;
	for (unsigned i = 0; i < pd->nrw; i++)
		if (start >= pd->rw[i].start && end <= pd->rw[i].end)
			return 1;
	return 0;
}

/*
 * Every entry of [start, end) made to exist and checked: 0, or -HAKO_E*.
 * A demand page keeps its non-present (empty or template) entry.
 */
static long check_range(struct pd *pd, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = vm_entry(&pd->vm, va);
		if (!pte)
			return -HAKO_ENOMEM; /* a page table over the quota */
		if (!owned(pd, pte_key(*pte)))
			return -HAKO_EPERM; /* e.g. the libOS's pages, keyed by the note */
	}
	return 0;
}

long pkey_mprotect(struct pd *pd, uint64_t addr, uint64_t len, uint64_t prot, uint64_t key)
{
	int64_t k = (int64_t)key;
	uint64_t end, flags;
	long rc;

	if (!cpu.pku)
		return -HAKO_ENOTSUP;
	/* Never PROT_EXEC: nothing becomes executable after the load-time scan. */
	if (prot & ~(uint64_t)(HAKO_PROT_READ | HAKO_PROT_WRITE) || k < -1 || k >= HAKO_PKEYS ||
	    addr & (PAGE_SIZE - 1))
		return -HAKO_EINVAL;
	if (k == -1)
		k = 0;
	if (!owned(pd, (unsigned)k))
		return -HAKO_EPERM;
	/* Both tests: addr + len may wrap; then round up without passing USER_TOP + a page. */
	if (addr >= USER_TOP || len > USER_TOP - addr)
		return -HAKO_EFAULT;
	end = addr + ((len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	if (len == 0)
		return 0;
	if (!rekeyable(pd, addr, end))
		return -HAKO_EFAULT;
	if ((rc = check_range(pd, addr, end)))
		return rc; /* nothing changed (page tables made on the way stay, charged) */
	/* PROT_NONE: a supervisor page, which ring 3 cannot touch and the gate refuses. */
	flags = PTE_NX | PTE_OWN | (prot ? PTE_U : 0) | (prot & HAKO_PROT_WRITE ? PTE_W : 0) |
		(uint64_t)k << PTE_PKEY_SHIFT;
	for (uint64_t va = addr; va < end; va += PAGE_SIZE) {
		uint64_t *pte = vm_lookup(&pd->vm, va), old = *pte;
		if (pte_key(old))
			pd->pkey_pages[pte_key(old)]--;
		if (k)
			pd->pkey_pages[k]++;
		*pte = (old & PTE_P) ? (old & PTE_ADDR) | flags | PTE_P : flags;
		if (old & PTE_P)
			invlpg(va); /* pd's table is the one on the CPU */
	}
	return 0;
}
