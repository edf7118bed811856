/* SPDX-License-Identifier: ISC */
/* Ways into the hv (exceptions, interrupts, SYSCALL) and the ways back to ring 3. */
#include "x86.h"

/* Offsets in struct regs (x86.h). */
#define R_RAX 112
#define R_VEC 120
#define R_RIP 136
#define R_CS  144

.macro PUSH_GPRS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

/* Interrupt and exception stubs: make every frame look the same. */
.macro STUB vec, err
	.balign 16
	.if \err == 0
	push $0
	.endif
	push $\vec
	jmp trap_common
.endm

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	.if \v == 8 || \v == 10 || \v == 11 || \v == 12 || \v == 13 || \v == 14 || \v == 17 || \v == 21 || \v == 29 || \v == 30
	STUB \v, 1
	.else
	STUB \v, 0
	.endif
	.endr
	.globl trap_spurious
trap_spurious:
	STUB VEC_SPURIOUS, 0

trap_common:
	PUSH_GPRS
	cld
	/* Ring 3 may have left AC set: close SMAP again before any C runs. */
	testb $1, smap_enabled(%rip)
	jz 1f
	clac
1:	mov %rsp, %rdi
	call trap
	testb $3, R_CS(%rsp)
	jnz user_return
	POP_GPRS
	add $16, %rsp
	iretq

/*
 * SYSCALL: RCX = user RIP, R11 = user RFLAGS, RSP still the user's; IF, DF
 * and AC are already clear (SFMASK). One CPU, interrupts off: a plain
 * variable can hold the user RSP until it is on the kernel stack.
 */
	.globl syscall_entry
syscall_entry:
	mov %rsp, syscall_rsp(%rip)
	lea kstack + KSTACK_SIZE(%rip), %rsp
	push $SEL_UDATA
	push syscall_rsp(%rip)
	push %r11
	push $SEL_UCODE
	push %rcx
	push $0
	push $VEC_SYSCALL
	PUSH_GPRS
	mov %rsp, %rdi
	call call_entry
	/* fall through */

/*
 * %rsp points at the struct regs of the container to run. A frame made by
 * SYSCALL goes back by SYSRET, unless its RIP is not a user address (SYSRET
 * would fault in ring 0 with the user's stack); everything else by IRET,
 * which restores every register.
 */
	.globl user_return
user_return:
	cmpq $VEC_SYSCALL, R_VEC(%rsp)
	jne 2f
	mov R_RIP(%rsp), %rax
	shr $47, %rax
	jnz 2f
	POP_GPRS
	mov 16(%rsp), %rcx  /* rip */
	mov 32(%rsp), %r11  /* rflags */
	mov 40(%rsp), %rsp  /* rsp */
	sysretq
2:	POP_GPRS
	add $16, %rsp
	iretq

/* void enter_user(struct regs *r): leave the current stack for good. */
	.globl enter_user
enter_user:
	mov %rdi, %rsp
	jmp user_return

	.bss
	.balign 16
syscall_rsp:
	.quad 0
