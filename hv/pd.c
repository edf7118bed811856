/* SPDX-License-Identifier: ISC */
/* Protection domains: build a container's private address space from its image. */
#include "pd.h"

#include "cons.h"
#include "cpu.h"
#include "image.h"
#include "lib.h"
#include "mm.h"
#include "pkey.h"
#include "timer.h"
#include "trap.h"

/*
 * Container address space (low half only; the hv's upper half is mapped
 * supervisor-only in every table):
 *   HAKO_CALL_VA       call page, r-x, shared by all
 *   HAKO_INFO_VA       start info, r--
 *   image              PT_LOAD segments, r-x / r-- / rw-
 *   HEAP_BASE          heap, rw- NX, demand-zero
 *   STACK_TOP - size   stack, rw- NX, demand-zero; unmapped guard below.
 * Nothing is ever mapped in the last page of the half: SYSRET to a RIP
 * there would fault in ring 0.
 */
#define HEAP_BASE      HAKO_IMAGE_MAX
#define STACK_TOP      0x00007ff000000000ul
#define STACK_MAX      (1ul << 20)
#define GUARD_WINDOW   (64ul << 10) /* a fault this far below the stack is an overflow */
#define OOM_QUOTA "out of memory: its memory quota is used up (give it more: -m, memory =)"
#define OOM_HV    "out of memory: the hypervisor has no free page left (see Limits in docs/usage.md)"

static uint64_t call_page; /* physical */

void pd_init(void)
{
	/* long hako_call(nr, a0, a1, a2, a3): mov %rcx,%r10; syscall; ret */
	static const uint8_t code[] = { 0x49, 0x89, 0xca, 0x0f, 0x05, 0xc3 };

	if (!(call_page = page_alloc()))
		panic("pd: no memory for the call page");
	memset(P2V(call_page), 0xcc, PAGE_SIZE); /* int3 everywhere else */
	memcpy(P2V(call_page), code, sizeof(code));
}

static uint64_t prot_flags(unsigned prot)
{
	if (prot & IMG_X)
		return PTE_OWN;                 /* r-x */
	if (prot & IMG_W)
		return PTE_OWN | PTE_W | PTE_NX; /* rw- */
	return PTE_OWN | PTE_NX;                /* r-- */
}

/*
 * Read-only segments are shared by every container started from the same
 * image in the bundle (the packer stores identical images once): one copy
 * of the code in memory, translated once by an emulator. Each container's
 * quota is charged for the pages as if they were its own.
 */
#define SHARED_MAX   64
#define SHARED_PAGES (PAGE_SIZE / sizeof(uint64_t)) /* read-only pages per image */

struct shared_image {
	const void *image;  /* key: where its bytes are in the bundle, */
	size_t size;        /*   and how many (a hostile bundle may reuse an offset) */
	unsigned users;
	unsigned npages;
	uint64_t *pages;    /* physical addresses, in segment order */
};
static struct shared_image shared[SHARED_MAX];

static uint64_t ro_pages(const struct img *img)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < img->nseg; i++)
		if (!(img->seg[i].prot & IMG_W))
			n += img->seg[i].memsz / PAGE_SIZE;
	return n;
}

/* The shared pages for image, made now if it is the first user; NULL: load privately. */
static struct shared_image *shared_get(const void *image, size_t size, const struct img *img)
{
	struct shared_image *free_slot = NULL;
	uint64_t pa;

	for (unsigned i = 0; i < SHARED_MAX; i++) {
		if (shared[i].users && shared[i].image == image && shared[i].size == size) {
			shared[i].users++;
			return &shared[i];
		}
		if (!shared[i].users && !free_slot)
			free_slot = &shared[i];
	}
	if (!free_slot || ro_pages(img) > SHARED_PAGES || !(pa = page_alloc()))
		return NULL;
	*free_slot = (struct shared_image){ .image = image, .size = size, .users = 1,
					    .pages = P2V(pa) };
	return free_slot;
}

static void shared_put(struct pd *pd)
{
	struct shared_image *sh = pd->shared;

	if (!sh)
		return;
	pd->vm.pages -= sh->npages; /* its charge for them */
	pd->shared = NULL;
	if (--sh->users)
		return;
	for (unsigned i = 0; i < sh->npages; i++)
		page_free(sh->pages[i]);
	page_free(V2P(sh->pages));
	sh->npages = 0;
}

/* Fill page pa of segment s, mapped at va, with its bytes from the file; the rest stays zero. */
static void fill_page(uint64_t pa, uint64_t va, const struct img_segment *s, const uint8_t *file)
{
	uint64_t data = s->vaddr + s->skip, data_end = data + s->filesz;
	uint64_t from = va > data ? va : data;
	uint64_t to = va + PAGE_SIZE < data_end ? va + PAGE_SIZE : data_end;

	if (from < to)
		memcpy((uint8_t *)P2V(pa) + (from - va), file + s->offset + (from - data), to - from);
}

/*
 * One page of segment s at va: shared read-only pages come from (or go
 * into, for the first user) pd->shared; the others are fresh private pages.
 */
static int load_page(struct pd *pd, const struct img_segment *s, uint64_t va,
		     const uint8_t *file, unsigned *k)
{
	struct shared_image *sh = (s->prot & IMG_W) ? NULL : pd->shared;
	int first = sh && *k == sh->npages; /* the first user makes the pages */
	uint64_t pa, flags = prot_flags(s->prot);

	if (sh) {
		if (first) {
			if (pd->vm.pages >= pd->vm.quota || !(sh->pages[sh->npages] = page_alloc()))
				return -1;
			sh->npages++;
			pd->vm.pages++;
		}
		pa = sh->pages[(*k)++];
		flags &= ~PTE_OWN; /* freed with the last user, not with this domain */
	} else if (!(pa = vm_alloc(&pd->vm))) {
		return -1;
	}
	if (vm_map(&pd->vm, va, pa, flags)) {
		if (!sh)
			vm_free(&pd->vm, pa);
		return -1;
	}
	if (!sh || first)
		fill_page(pa, va, s, file);
	return 0;
}

static int load_segments(struct pd *pd, const struct img *img, const uint8_t *file)
{
	unsigned k = 0; /* next shared page */

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct img_segment *s = &img->seg[i];
		for (uint64_t va = s->vaddr; va < s->vaddr + s->memsz; va += PAGE_SIZE)
			if (load_page(pd, s, va, file, &k))
				return -1;
	}
	return 0;
}

static void fill_info(struct pd *pd, struct hako_start_info *si, const struct hako_bundle_entry *e,
		      int64_t created)
{
	si->created_ns = created;
	si->magic = HAKO_INFO_MAGIC;
	si->abi_major = HAKO_ABI_MAJOR;
	si->abi_minor = HAKO_ABI_MINOR;
	si->platform = HAKO_PLATFORM_HV;
	if (cpu.pku)
		si->flags |= HAKO_INFO_PKU;
	memcpy(si->name, pd->name, sizeof(si->name));
	si->heap_base = pd->heap_base;
	si->heap_size = pd->heap_end - pd->heap_base;
	si->stack_base = pd->stack_base;
	si->stack_size = pd->stack_top - pd->stack_base;
	for (int i = 0; i < 4; i++) {
		uint64_t r = cpu_random();
		memcpy(si->seed + 8 * i, &r, 8);
	}
	if (e->flags & HAKO_BUNDLE_NET) {
		si->flags |= HAKO_INFO_NET;
		memcpy(si->mac, e->mac, sizeof(si->mac));
		si->mtu = HAKO_FRAME_MAX - 14;
		si->ipv4_addr = e->ipv4_addr;
		si->ipv4_netmask = e->ipv4_netmask;
		si->ipv4_gateway = e->ipv4_gateway;
		si->ipv4_dns = e->ipv4_dns;
	}
	if (e->flags & HAKO_BUNDLE_BLOCK) {
		si->flags |= HAKO_INFO_BLOCK;
		si->block_size = 512;
		si->block_capacity = e->block_size; /* the slice is the whole device it sees */
	}
	si->argc = e->argc;
	si->envc = e->envc;
	si->strings_len = e->strings_len;
	memcpy(si->strings, e->strings, e->strings_len);
}

/*
 * Address space layout for a quota of mem bytes; -1 if the image does not
 * fit. The heap gets what is left after the image, the stack and the hv's
 * own pages for the container (pd, FPU area, info page, and page tables:
 * at most one per 2 MiB mapped plus a few per region), so a container can
 * touch all of its heap and stack without running out of quota.
 */
static int layout(struct pd *pd, const struct img *img, uint64_t mem)
{
	uint64_t image = 0, stack = MIN(STACK_MAX, mem / 4) & ~(PAGE_SIZE - 1);
	uint64_t overhead = (16 + mem / (2ul << 20)) * PAGE_SIZE;

	for (unsigned i = 0; i < img->nseg; i++)
		image += img->seg[i].memsz;
	if (image + stack + overhead + PAGE_SIZE > mem)
		return -1;
	pd->heap_base = HEAP_BASE;
	pd->heap_end = HEAP_BASE + ((mem - image - stack - overhead) & ~(PAGE_SIZE - 1));
	pd->stack_top = STACK_TOP;
	pd->stack_base = STACK_TOP - stack;
	return 0;
}

struct pd *pd_create(const struct hako_bundle_entry *e, const void *image, size_t size,
		     uint64_t reserve, const char **why)
{
	static const char oom[] = "out of memory"; /* made precise where it happened */
	int64_t created = (int64_t)time_mono_ns();
	uint64_t pd_pa, fpu_pa, info_pa;
	struct img img;
	struct pd *pd;

	if (img_parse(image, size, &img, why))
		return NULL;
	if (!(pd_pa = page_alloc())) {
		*why = OOM_HV;
		return NULL;
	}
	pd = P2V(pd_pa);
	memcpy(pd->name, e->name, sizeof(pd->name));
	/* The devices' pages come out of the quota too: the heap is what is left. */
	if (reserve > (uint64_t)e->mem_mib << 8 ||
	    layout(pd, &img, ((uint64_t)e->mem_mib << 20) - reserve * PAGE_SIZE)) {
		*why = "memory quota too small for the image";
		goto free_pd;
	}
	*why = oom;
	pd->vm.pages = 1; /* the pd page itself */
	if (vm_create(&pd->vm, (uint64_t)e->mem_mib << 8)) {
		*why = OOM_HV; /* the quota has room for a table: the layout checked */
		goto free_pd;
	}
	if (!(fpu_pa = vm_alloc(&pd->vm)))
		goto free_vm;
	pd->fpu = P2V(fpu_pa);
	fpu_init_area(pd->fpu);
	if (!(info_pa = vm_alloc(&pd->vm)))
		goto free_fpu;
	if (vm_map(&pd->vm, HAKO_INFO_VA, info_pa, PTE_OWN | PTE_NX)) {
		vm_free(&pd->vm, info_pa);
		goto free_fpu;
	}
	fill_info(pd, P2V(info_pa), e, created);
	if ((pd->shared = shared_get(image, size, &img)) && pd->shared->users > 1) {
		/* the pages exist: charge them all now, as if they were its own */
		if (pd->vm.pages + pd->shared->npages > pd->vm.quota) {
			pd->shared->users--;
			pd->shared = NULL;
			goto free_fpu;
		}
		pd->vm.pages += pd->shared->npages;
	}
	if (vm_map(&pd->vm, HAKO_CALL_VA, call_page, 0) || load_segments(pd, &img, image))
		goto free_fpu;
	if (pkey_setup(pd, &img, why))
		goto free_fpu;

	pd->regs = (struct regs){
		.rip = img.entry, .cs = SEL_UCODE, .rflags = RFLAGS_IF | 2,
		.rsp = pd->stack_top, .ss = SEL_UDATA, .rdi = HAKO_INFO_VA,
	};
	pd->state = PD_RUNNABLE;
	return pd;

free_fpu:
	if (*why == oom)
		*why = pd_oom_reason(pd);
	vm_free(&pd->vm, fpu_pa);
free_vm:
	vm_destroy(&pd->vm);
	shared_put(pd);
free_pd:
	page_free(pd_pa);
	return NULL;
}

void pd_attach(struct pd *pd, const struct pd_dev *dev)
{
	if (pd->ndevs == PD_DEVS_MAX)
		panic("pd %s: more than %d devices", pd->name, PD_DEVS_MAX);
	pd->devs[pd->ndevs++] = dev;
}

void pd_destroy(struct pd *pd)
{
	while (pd->ndevs)
		pd->devs[--pd->ndevs]->detach(pd);
	vm_destroy(&pd->vm);
	shared_put(pd);
	vm_free(&pd->vm, V2P(pd->fpu));
	if (pd->vm.pages != 1)
		panic("pd %s: %lu pages unaccounted for", pd->name, pd->vm.pages - 1);
	page_free(V2P(pd));
}

static int demand_zero(const struct pd *pd, uint64_t addr)
{
	return (addr >= pd->heap_base && addr < pd->heap_end) ||
	       (addr >= pd->stack_base && addr < pd->stack_top);
}

int pd_fault_in(struct pd *pd, uint64_t addr, int write)
{
	uint64_t pa, va = addr & ~(PAGE_SIZE - 1), *pte;

	if (!demand_zero(pd, addr))
		return -1;
	if (!(pa = vm_alloc(&pd->vm)))
		return -2;
	/* pkey_mprotect may have left its protection and key in the empty entry (pkey.c). */
	if ((pte = vm_lookup(&pd->vm, va)) && *pte && !(*pte & PTE_P)) {
		*pte |= pa | PTE_P;
		return 0;
	}
	if (vm_map(&pd->vm, va, pa, PTE_OWN | PTE_W | PTE_NX)) {
		vm_free(&pd->vm, pa); /* only a missing page table: out of memory too */
		return -2;
	}
	return 0;
}

const char *pd_oom_reason(const struct pd *pd)
{
	/* What failed needed a page and at most three tables for it. */
	return pd->vm.pages + 4 > pd->vm.quota ? OOM_QUOTA : OOM_HV;
}

const char *pd_fault_reason(const struct pd *pd, uint64_t addr)
{
	if (demand_zero(pd, addr))
		return pd_oom_reason(pd);
	if (addr < pd->stack_base && addr >= pd->stack_base - GUARD_WINDOW)
		return "stack overflow: page fault in the guard below the stack";
	return "page fault: address not mapped";
}
