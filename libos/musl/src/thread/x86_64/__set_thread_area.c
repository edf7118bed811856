/* SPDX-License-Identifier: ISC */
/* hako overlay: set the thread pointer through the libOS (arch_prctl ARCH_SET_FS). */
#include "pthread_impl.h"

#define ARCH_SET_FS 0x1002 /* from Linux's <asm/prctl.h>, which musl does not ship */

int __set_thread_area(void *p)
{
	return __syscall(SYS_arch_prctl, ARCH_SET_FS, p);
}
