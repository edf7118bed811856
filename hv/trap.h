/* SPDX-License-Identifier: ISC */
/* Segments, the IDT, and what happens on an exception or interrupt. */
#ifndef HV_TRAP_H
#define HV_TRAP_H

#include "x86.h"

extern uint8_t smap_enabled; /* entry.S: clac on entry when set */
extern char kstack[KSTACK_SIZE]; /* entries from ring 3 land at its top */

void trap_init(void);
void trap(struct regs *r);
void enter_user(struct regs *r) __attribute__((noreturn));

/* The frame a ring-3 entry builds at the top of the kernel stack. */
static inline struct regs *user_frame(void)
{
	return (struct regs *)(kstack + KSTACK_SIZE) - 1;
}

#endif /* HV_TRAP_H */
