/* SPDX-License-Identifier: ISC */
/* Time: TSC clock, CMOS wall clock, LAPIC one-shot timer. */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <stdint.h>

#include "x86.h"

/* Calibrate the TSC and LAPIC timer against the PIT; read the RTC. */
void timer_init(void);

uint64_t time_mono_ns(void); /* since timer_init */
uint64_t time_wall_ns(void); /* since 1970, from the RTC at boot */
uint64_t time_tsc_hz(void);

/* Interrupt at (or soon after) monotonic time deadline; 0 cancels. */
void timer_arm(uint64_t deadline);
/*
 * From now on, every timer_arm interrupts no later than deadline (0: no
 * such bound): for a device polled at the tick (ctl.c), which sets the
 * next bound each time it is polled.
 */
void timer_poll_by(uint64_t deadline);
/* The local APIC: end of interrupt, and this CPU's ID (an MSI's destination). */
void lapic_eoi(void);
uint32_t lapic_id(void);

#endif /* HV_TIMER_H */
