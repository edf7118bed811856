/* SPDX-License-Identifier: ISC */
/* hako.h: the libOS's C API for container code (thin wrappers over the ABI calls). */
#ifndef HAKO_HAKO_H
#define HAKO_HAKO_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"

/*
 * Exit status of a container that called hako_panic(). Distinct from
 * HAKO_EXIT_KILLED (255, the platform killed it) and from 128+signal
 * statuses (134 = abort()), so a test can tell "the libOS gave up" from
 * "the platform stopped it" and from "the app aborted".
 */
#define HAKO_PANIC_STATUS 250

/*
 * long hako_call(long nr, long a0, long a1, long a2, long a3)
 *   The raw platform call (HAKO_CALL_*), through the call page. Returns what
 *   the platform returns: >= 0 on success, a negative HAKO_E* on failure.
 */
long hako_call(long nr, long a0, long a1, long a2, long a3);

/* The read-only start info page; valid from before main() on. */
const struct hako_start_info *hako_start_info(void);

/*
 * long hako_console(const char *buf (buf), size_t len (len))
 *   Writes all len bytes to the container's log, looping over the
 *   platform's per-call limit. Returns len, or a negative HAKO_E* if the
 *   platform refused the first chunk.
 */
long hako_console(const char *buf, size_t len);

/*
 * Ends the container with status (& 0xff). Does not run atexit handlers or
 * flush stdio (use exit() for that); prints the libOS's unsupported-syscall
 * summary first if there is one.
 */
_Noreturn void hako_exit(int status);

/* Time in ns for HAKO_CLOCK_MONOTONIC or HAKO_CLOCK_WALL; < 0 on error. */
int64_t hako_time(int clock);

/*
 * Blocks until the monotonic clock reaches deadline (ns) or an event is
 * ready; returns the ready set (HAKO_READY_*). MAY return early: callers
 * that need the deadline to have passed re-check hako_time().
 */
long hako_yield(int64_t deadline);

/*
 * Network frames, batched (abi.h net_send / net_recv). hako_net_send sends
 * up to n (<= HAKO_NET_BATCH_MAX) frames carrying the start info's MAC as
 * source and returns how many were taken; hako_net_recv fills up to n
 * buffers of at least HAKO_FRAME_MAX bytes, sets each one's len and returns
 * how many it filled (0: nothing waiting; hako_yield() reports
 * HAKO_READY_NET when a frame arrives). Negative HAKO_E* on error,
 * -HAKO_ENOTSUP without a network (start info flag HAKO_INFO_NET).
 */
long hako_net_send(const struct hako_iov *frames, size_t n);
long hako_net_recv(struct hako_iov *bufs, size_t n);

/*
 * The block device (abi.h block_*): offset and len multiples of the start
 * info's block_size, len <= HAKO_BLOCK_IO_MAX, inside block_capacity.
 * Return len (flush: 0) or a negative HAKO_E*: -HAKO_EINVAL misaligned or
 * too long, -HAKO_ENOSPC out of range, -HAKO_EFAULT bad buffer, -HAKO_EPERM
 * write to a read-only device, -HAKO_EIO device error, -HAKO_ENOTSUP
 * without a device (start info flag HAKO_INFO_BLOCK).
 */
long hako_block_read(uint64_t offset, void *buf, size_t len);
long hako_block_write(uint64_t offset, const void *buf, size_t len);
long hako_block_flush(void);

/*
 * Protection keys (abi.h pkey_*): a key from the container's pool (3..14)
 * with the given HAKO_PKEY_DISABLE_* rights; give it back; key the pages of
 * [addr, addr + len) in the heap, stack or writable data with prot
 * (HAKO_PROT_READ|WRITE, never EXEC) and pkey (-1: key 0). Return the key
 * or 0, or a negative HAKO_E*: -HAKO_ENOTSUP without PKU (start info flag
 * HAKO_INFO_PKU), -HAKO_ENOSPC pool used up, -HAKO_EPERM a key not
 * allocated, -HAKO_EBUSY freeing a key pages still carry, -HAKO_EFAULT a
 * range outside that memory, -HAKO_EINVAL a bad argument.
 */
long hako_pkey_alloc(unsigned flags, unsigned access);
long hako_pkey_free(int pkey);
long hako_pkey_mprotect(void *addr, size_t len, int prot, int pkey);

/* Prints "panic: <message>" to the console and exits with HAKO_PANIC_STATUS. */
_Noreturn void hako_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* HAKO_HAKO_H */
