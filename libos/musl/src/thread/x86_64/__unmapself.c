/* SPDX-License-Identifier: ISC */
/* hako overlay: a detached thread's last act, via the libOS instead of `syscall`. */
#include "pthread_impl.h"

/*
 * Unreachable today (clone always fails), kept correct anyway: the libOS
 * munmap only updates its page bitmap and never touches the pages, so this
 * code may go on running on the stack it just released until exit.
 */
void __unmapself(void *base, size_t size)
{
	__syscall(SYS_munmap, base, size);
	for (;;)
		__syscall(SYS_exit, 0);
}
