/* SPDX-License-Identifier: ISC */
/* Round-robin scheduler over the containers; the one place that switches them. */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "pd.h"
#include "x86.h"

#define SLICE_NS 10000000ul /* a container that never yields is preempted after 10 ms */
#define AHEAD_MIN_NS 500000ul /* slice a woken container needs left to go first */

/* Functions taking r may replace *r with another container's context. */
void sched_add(struct pd *pd);
void sched_failed(const char *name, const char *why);
struct pd *sched_current(void);
/* Pages the containers added may still take before their quotas are used up. */
uint64_t sched_quota_left(void);
/* Run the containers added; free_before: free pages before any was made. */
void sched_start(uint64_t free_before) __attribute__((noreturn));
void sched_tick(struct regs *r);
/* ready: the events already pending for the current container (HAKO_READY_*). */
void sched_yield(struct regs *r, int64_t deadline, uint32_t ready);
void sched_exit(struct regs *r, int status);
void sched_kill(struct regs *r, const char *why);

/*
 * Block the current container inside a call (its registers are saved from
 * r) until sched_wake; another runs in *r meanwhile.
 */
void sched_block(struct regs *r);
/*
 * Make p, PD_BLOCKED in a call or PD_SLEEPING in yield, runnable with rax
 * as its call's result; it runs before containers that used up their
 * slice. Safe from an interrupt handler.
 */
void sched_wake(struct pd *p, uint64_t rax);
/*
 * The host asked to stop the container called name (ctl.c): it ends with
 * "hako: NAME stopped" (HAKO_EXIT_STOPPED) before it would run again; the others
 * go on. 1 if there is such a container, else 0.
 */
int sched_stop(const char *name);
/* After a device interrupt: if it woke a container, let it run now. */
void sched_irq(struct regs *r);

#endif /* HV_SCHED_H */
