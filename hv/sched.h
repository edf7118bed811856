/* Round-robin scheduler over the containers; the one place that switches them. */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "pd.h"
#include "x86.h"

#define SLICE_NS 10000000ul /* a container that never yields is preempted after 10 ms */

/* Functions taking r may replace *r with another container's context. */
void sched_add(struct pd *pd);
void sched_failed(const char *name, const char *why);
struct pd *sched_current(void);
/* Run the containers added; free_before: free pages before any was made. */
void sched_start(uint64_t free_before) __attribute__((noreturn));
void sched_tick(struct regs *r);
void sched_yield(struct regs *r, int64_t deadline);
void sched_exit(struct regs *r, int status);
void sched_kill(struct regs *r, const char *why);

#endif /* HV_SCHED_H */
