/* SPDX-License-Identifier: ISC */
/* Device interrupts: LAPIC vectors handed out to drivers (MSI-X), dispatched from trap(). */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <stdint.h>

#include "x86.h"

/*
 * A free vector in [VEC_IRQ_FIRST, VEC_IRQ_LAST] whose interrupts call
 * fn(arg) with interrupts off, or -1 when all are taken. fn MUST NOT
 * switch containers: it may wake some (sched_wake), and trap() lets the
 * scheduler run them when fn returns (sched_irq).
 */
int irq_alloc(void (*fn)(void *arg), void *arg);

/* The MSI message address and data that raise vector on this CPU. */
uint64_t irq_msi_address(void);
uint32_t irq_msi_data(int vector);

/* trap(): acknowledge, call the vector's handler. */
void irq_dispatch(struct regs *r);

#endif /* HV_IRQ_H */
