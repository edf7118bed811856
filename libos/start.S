/* SPDX-License-Identifier: ISC */
/* crt0: the container's entry point and the ABI note every image must carry. */
#include <hako/abi.h>

/*
 * The platform refuses an image without this note (abi.h). It is an
 * allocated SHT_NOTE section, so the linker puts it in a PT_NOTE segment
 * where a loader finds it without reading section headers.
 */
	.section .note.hako, "a", @note
	.balign 4
	.long 2f - 1f                   /* namesz, including the NUL */
	.long 4f - 3f                   /* descsz */
	.long HAKO_NOTE_ABI             /* type */
1:	.asciz HAKO_NOTE_NAME
2:	.balign 4
3:	.long HAKO_ABI_MAJOR
	.long HAKO_ABI_MINOR
4:	.balign 4

/*
 * _start: %rdi = start info, %rsp 16-byte aligned (abi.h). Clear %rbp so
 * backtraces end here, and call into C, which never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call libos_start
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
