/* SPDX-License-Identifier: ISC */
/* hako overlay: no threads or processes in a container; clone fails through the libOS. */
#include "pthread_impl.h"

/*
 * Going through the syscall layer (not a bare -ENOSYS) lets the libOS
 * count the attempt and name it in its "unsupported syscalls" line.
 */
int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	return __syscall(SYS_clone, flags, stack, 0, 0, 0);
}
