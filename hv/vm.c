/* SPDX-License-Identifier: ISC */
/* Page tables: the hv's W^X image mapping and the containers' private tables. */
#include "vm.h"

#include "cons.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"

#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U) /* the leaf entry decides the access */

uint64_t *kernel_pml4;
static uint64_t *mmio_pd;             /* page directory of the MMIO area */
static uint64_t mmio_next = MMIO_BASE; /* the area is handed out upwards, never returned */

extern char boot_pml4[], boot_pd_k[]; /* physical: linked in the low boot section */
extern char __text_start[], __rodata_start[], __data_start[], __end[];

/*
 * The MMIO area's tables exist before any container table copies the
 * upper half, so every container shares them (supervisor-only).
 */
static void mmio_init(void)
{
	uint64_t pdpt = page_alloc(), pd = page_alloc();

	if (!pdpt || !pd)
		panic("vm: no pages for the MMIO area");
	((uint64_t *)P2V(pdpt))[0] = pd | PTE_P | PTE_W;
	kernel_pml4[(MMIO_BASE >> 39) & 511] = pdpt | PTE_P | PTE_W;
	mmio_pd = P2V(pd);
}

volatile void *vm_map_mmio(uint64_t pa, uint64_t size)
{
	uint64_t off = pa & (PAGE_SIZE - 1), va = mmio_next;

	pa -= off;
	if (size > MMIO_SIZE)
		return NULL;
	size = (size + off + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (size > MMIO_BASE + MMIO_SIZE - mmio_next)
		return NULL;
	for (uint64_t n = 0; n < size; n += PAGE_SIZE) {
		uint64_t *pde = &mmio_pd[((va + n) >> 21) & 511], *pt, t;
		if (!(*pde & PTE_P)) {
			if (!(t = page_alloc()))
				return NULL;
			*pde = t | PTE_P | PTE_W;
		}
		pt = P2V(*pde & PTE_ADDR);
		/* PCD|PWT with the power-on PAT: uncached. Never user, never executable. */
		pt[((va + n) >> 12) & 511] = (pa + n) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX;
	}
	mmio_next += size;
	return (volatile uint8_t *)va + off;
}

void vm_init(void)
{
	uint64_t pt_pa = page_alloc();
	uint64_t *pt = P2V(pt_pa), *pd_k = P2V(boot_pd_k);

	if (!pt_pa)
		panic("vm: no page for the hv page table");
	/* Text r-x, rodata r--, data and bss rw-: nothing is writable and executable. */
	for (char *va = __text_start; va < __end; va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_G;
		if (va >= __rodata_start)
			flags |= PTE_NX;
		if (va >= __data_start)
			flags |= PTE_W;
		pt[K2P(va) >> 12] = K2P(va) | flags;
	}
	pd_k[0] = pt_pa | PTE_P | PTE_W;
	for (int i = 1; i < 512; i++)
		pd_k[i] = 0;
	kernel_pml4 = P2V(boot_pml4);
	kernel_pml4[0] = 0; /* the low half now belongs to containers alone */
	mmio_init();
	write_cr3(read_cr3());
	/* A global mapping survives a CR3 write: flush the old 2 MiB ones too. */
	write_cr4(read_cr4() & ~(uint64_t)CR4_PGE);
	write_cr4(read_cr4() | CR4_PGE);
}

uint64_t vm_alloc(struct vm *vm)
{
	uint64_t pa;

	if (vm->pages >= vm->quota || !(pa = page_alloc()))
		return 0;
	vm->pages++;
	return pa;
}

void vm_free(struct vm *vm, uint64_t pa)
{
	page_free(pa);
	vm->pages--;
}

int vm_create(struct vm *vm, uint64_t quota)
{
	uint64_t pa;

	vm->quota = quota;
	if (!(pa = vm_alloc(vm)))
		return -1;
	vm->pml4 = P2V(pa);
	memcpy(vm->pml4 + 256, kernel_pml4 + 256, 256 * sizeof(uint64_t));
	return 0;
}

/* Walk to the leaf entry of va, creating tables when vm is given. */
static uint64_t *walk(const struct vm *vm, uint64_t va, struct vm *alloc)
{
	uint64_t *table = vm->pml4;

	if (va >= USER_TOP)
		return NULL;
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa = alloc ? vm_alloc(alloc) : 0;
			if (!pa)
				return NULL;
			*e = pa | TABLE_FLAGS;
		}
		table = P2V(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

uint64_t *vm_lookup(const struct vm *vm, uint64_t va)
{
	return walk(vm, va, NULL);
}

uint64_t *vm_entry(struct vm *vm, uint64_t va)
{
	return walk(vm, va, vm);
}

int vm_map(struct vm *vm, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pte = walk(vm, va, vm);

	if (!pte || (*pte & PTE_P))
		return -1;
	*pte = pa | flags | PTE_P | PTE_U;
	return 0;
}

static void free_table(struct vm *vm, uint64_t *table, int level)
{
	for (int i = 0; i < 512; i++) {
		uint64_t e = table[i];
		if (!(e & PTE_P))
			continue;
		if (level > 1)
			free_table(vm, P2V(e & PTE_ADDR), level - 1);
		else if (e & PTE_OWN)
			vm_free(vm, e & PTE_ADDR);
	}
	vm_free(vm, V2P(table));
}

void vm_destroy(struct vm *vm)
{
	for (int i = 0; i < 256; i++)
		if (vm->pml4[i] & PTE_P)
			free_table(vm, P2V(vm->pml4[i] & PTE_ADDR), 3);
	vm_free(vm, V2P(vm->pml4));
	vm->pml4 = NULL;
}
