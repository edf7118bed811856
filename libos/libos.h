/* SPDX-License-Identifier: ISC */
/* libos.h: internal interfaces between the libOS's modules (not for apps). */
#ifndef LIBOS_H
#define LIBOS_H

#include <stddef.h>
#include <stdint.h>

#include <sys/uio.h>

#include <hako/hako.h>

/* A buffer that is only read, in an iovec (whose base is not const): a write's. */
static inline struct iovec libos_iov_out(const void *buf, size_t len)
{
	union {
		const void *c;
		void *v;
	} b = { .c = buf };

	return (struct iovec){ b.v, len };
}

/* start.c */
_Noreturn void libos_start(const struct hako_start_info *info);
extern const struct hako_start_info *libos_info;

/* syscall.c: the Linux-syscall layer musl calls instead of `syscall`. */
long __hako_syscall(long n, long a, long b, long c, long d, long e, long f);

/* enosys.c: a call the libOS does not serve: counted, -ENOSYS; the count's one line (at exit). */
long libos_enosys(long n);
void libos_report_unsupported(void);

/* time.c: Linux clock and sleep calls. */
void libos_time_init(void);
long libos_clock_gettime(long clk, void *ts);
long libos_clock_getres(long clk, void *ts);
long libos_gettimeofday(void *tv);
long libos_time(void *t);
long libos_nanosleep(const void *req, void *rem);
long libos_clock_nanosleep(long clk, long flags, const void *req, void *rem);

/* poll.c: the event loop's one wait: network output and timers, then yield until deadline or an event. */
void libos_wait(int64_t deadline);

/* net/netif.c: the network's part of the event loop (no-ops until the first socket). */
void libos_net_step(void);   /* frames in, loopback, timers, frames out */
int64_t libos_net_idle(void); /* flushes output; when the stack must next run (INT64_MAX: never) */

/* mem.c: the page allocator over the start info's heap range. */
void libos_mem_init(uint64_t base, uint64_t size);
long libos_mmap(uint64_t addr, uint64_t len, long prot, long flags, long fd, long off);
long libos_munmap(uint64_t addr, uint64_t len);
long libos_mremap(uint64_t old, uint64_t old_len, uint64_t new_len, long flags, uint64_t new_addr);
long libos_madvise(uint64_t addr, uint64_t len, long advice);
long libos_mprotect(uint64_t addr, uint64_t len, long prot);
long libos_brk(uint64_t addr);

/* random.c: a ChaCha20 generator keyed by the platform's seed. */
void libos_random_init(const uint8_t seed[32]);
void libos_random_fill(void *buf, size_t len);
long libos_getrandom(void *buf, size_t len, unsigned flags);

#endif /* LIBOS_H */
