/* SPDX-License-Identifier: ISC */
/* hako overlay: signal return trampoline via the libOS instead of `syscall`. */
#include "syscall.h"
#include "atomic.h"

/*
 * No signal is ever delivered to a container (rt_sigaction fails), so this
 * only has to exist for sigaction.c. Should it run anyway, the layer counts
 * the rt_sigreturn and the container stops here.
 */
hidden void __restore_rt(void)
{
	__syscall(SYS_rt_sigreturn);
	a_crash();
}

weak_alias(__restore_rt, __restore);
