/* SPDX-License-Identifier: ISC */
/* PVH entry: 32-bit protected mode, paging off -> long mode in the higher half. */
#include "x86.h"

/* QEMU finds the 32-bit entry point in this note (XEN_ELFNOTE_PHYS32_ENTRY). */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 8, 18
	.asciz "Xen"
	.balign 4
	.quad pvh_entry

/*
 * Boot page tables, filled at assembly time (filling them with paging off is
 * slow under some hypervisors). They live in the low, identity-linked
 * section, so their symbols are physical addresses:
 *   PML4[0]   -> identity of the first GiB (only until main drops it)
 *   PML4[256] -> direct map of 0..4 GiB at DMAP_BASE, RW, NX
 *   PML4[511] -> KERNEL_VMA maps the first GiB (vm_init narrows it to the image)
 */
#define PG_RW  (PTE_P | PTE_W)
#define PG_BIG (PTE_P | PTE_W | PTE_PS | PTE_G)

	.section .boot.data, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt_id + PG_RW
	.fill 255, 8, 0
	.quad boot_pdpt_dmap + PG_RW
	.fill 254, 8, 0
	.quad boot_pdpt_k + PG_RW
boot_pdpt_id:
	.quad boot_pd_k + PG_RW
	.fill 511, 8, 0
boot_pdpt_k:
	.fill 510, 8, 0
	.quad boot_pd_k + PG_RW
	.quad 0
	.globl boot_pd_k
boot_pd_k:
	.set i, 0
	.rept 512
	.quad (i << 21) + PG_BIG
	.set i, i + 1
	.endr
boot_pdpt_dmap:
	.quad boot_pd_dmap + 0x0000 + PG_RW
	.quad boot_pd_dmap + 0x1000 + PG_RW
	.quad boot_pd_dmap + 0x2000 + PG_RW
	.quad boot_pd_dmap + 0x3000 + PG_RW
	.fill 508, 8, 0
boot_pd_dmap:
	.set i, 0
	.rept 2048
	.quad (i << 21) + PG_BIG + PTE_NX
	.set i, i + 1
	.endr

boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdtr:
	.word boot_gdtr - boot_gdt - 1
	.long boot_gdt

/* %ebx = physical address of the PVH start info. No stack yet. */
	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	mov %ebx, %esi
	mov $(CR4_PAE | CR4_PGE), %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr
	mov $(CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE), %eax
	mov %eax, %cr0
	lgdt boot_gdtr
	ljmp $SEL_KCODE, $1f
	.code64
1:	movabs $start64, %rax
	jmp *%rax

	.text
start64:
	mov $SEL_KDATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	lea boot_stack_top(%rip), %rsp
	mov %esi, %edi
	call hv_main
1:	cli
	hlt
	jmp 1b

	.bss
	.balign 4096
	.globl boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
