/* SPDX-License-Identifier: ISC */
/* The hako calls: SYSCALL entry, argument checks, and the handlers. */
#ifndef HV_CALL_H
#define HV_CALL_H

#include "pd.h"
#include "x86.h"

/* Program STAR/LSTAR/SFMASK. */
void call_init(void);
/* entry.S: a container executed SYSCALL; nr in rdi, args in rsi rdx r10 r8. */
void call_entry(struct regs *r);

#endif /* HV_CALL_H */
