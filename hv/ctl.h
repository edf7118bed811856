/* SPDX-License-Identifier: ISC */
/* Control channel from the host: lines on COM2, polled at the timer interrupt. */
#ifndef HV_CTL_H
#define HV_CTL_H

#include <stdint.h>

/*
 * Look for COM2 (a second 16550 that the runner adds); without it, nothing
 * else here acts. With it, the timer is bounded to the next poll (after
 * timer_init).
 */
void ctl_init(void);
/*
 * Read what the host sent (a bounded number of bytes) and act on whole
 * lines. The only command is "stop NAME" (sched_stop); anything else is
 * ignored with a log line. The input is hostile: lines are bounded, bytes
 * are never echoed unchecked. Called from the timer interrupt; bounds the
 * timer to the next poll.
 */
void ctl_poll(void);

#endif /* HV_CTL_H */
