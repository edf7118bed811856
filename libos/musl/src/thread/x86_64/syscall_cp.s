/* hako overlay: cancellable syscall as a call into the libOS, no `syscall` instruction. */
/*
 * __syscall_cp_asm(cancel, nr, u, v, w, x, y, z) becomes
 * __hako_syscall(nr, u, v, w, x, y, z). The __cp_* labels keep their
 * meaning for pthread_cancel.c (no signal can interrupt a container today).
 */
.text
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type   __syscall_cp_asm,@function
__syscall_cp_asm:

__cp_begin:
	mov (%rdi),%eax
	test %eax,%eax
	jnz __cp_cancel
	mov %rsi,%rdi           /* nr */
	mov %rdx,%rsi           /* u */
	mov %rcx,%rdx           /* v */
	mov %r8,%rcx            /* w */
	mov %r9,%r8             /* x */
	mov 8(%rsp),%r9         /* y */
	pushq 16(%rsp)          /* z: 7th argument, on the stack; keeps %rsp 16-aligned */
	call __hako_syscall
	add $8,%rsp
__cp_end:
	ret
__cp_cancel:
	jmp __cancel
.size __syscall_cp_asm,.-__syscall_cp_asm
