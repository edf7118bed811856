/* SPDX-License-Identifier: ISC */
/* The hako calls: each argument is checked (lib/abicheck.c) before anything acts on it. */
#include "call.h"

#include "blk.h"
#include "cons.h"
#include "lib.h"
#include "net.h"
#include "output.h"
#include "pkey.h"
#include "sched.h"
#include "timer.h"
#include "umem.h"

extern char syscall_entry[];

void call_init(void)
{
	wrmsr(MSR_STAR, (uint64_t)(SEL_UDATA - 8) << 48 | (uint64_t)SEL_KCODE << 32);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Interrupts off, string ops forward, SMAP closed, no single-step into the hv. */
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_AC | RFLAGS_TF | RFLAGS_NT);
}

static long call_console(struct pd *pd, uint64_t buf, uint64_t len)
{
	struct abi_mem mem = umem_of(pd);
	long rc = abi_console(&mem, buf, &len);
	char chunk[256];

	if (rc)
		return rc;
	for (uint64_t done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof(chunk));
		if (umem_copy_in(pd, chunk, buf + done, n))
			return -HAKO_EFAULT;
		output_write(pd, chunk, n);
		done += n;
	}
	return (long)len;
}

static long call_time(uint64_t clock)
{
	long rc = abi_time(clock);

	if (rc)
		return rc;
	return (long)(clock == HAKO_CLOCK_MONOTONIC ? time_mono_ns() : time_wall_ns());
}

static long call_tls_set(struct pd *pd, uint64_t base)
{
	long rc = abi_tls(base);

	if (rc)
		return rc;
	pd->fs_base = base;
	wrmsr(MSR_FS_BASE, base); /* pd is the one loaded on the CPU */
	return 0;
}

void call_entry(struct regs *r)
{
	struct pd *pd = sched_current();
	uint64_t nr = r->rdi, a0 = r->rsi, a1 = r->rdx;
	char why[80];

	pkey_entry(pd);
	/*
	 * Calls come through the call page only (abi.h): a SYSCALL anywhere
	 * else is code trying to make a host system call, as on the proc
	 * platform, and ends the same way.
	 */
	if (r->rip != HAKO_CALL_VA + CALL_PAGE_SYSCALL_END) {
		snprintf(why, sizeof(why), "system call outside the call page (rip=%p, rax=0x%lx)",
			 (void *)r->rip, r->rax);
		sched_kill(r, why);
		return;
	}
	if (!pkey_call_allowed(pd, why, sizeof(why))) {
		sched_kill(r, why);
		return;
	}
	switch (nr) {
	case HAKO_CALL_CONSOLE:
		r->rax = (uint64_t)call_console(pd, a0, a1);
		break;
	case HAKO_CALL_EXIT:
		sched_exit(r, (int)(a0 & 0xff));
		break;
	case HAKO_CALL_TIME:
		r->rax = (uint64_t)call_time(a0);
		break;
	case HAKO_CALL_YIELD:
		sched_yield(r, (int64_t)a0, net_ready(pd));
		break;
	case HAKO_CALL_TLS_SET:
		r->rax = (uint64_t)call_tls_set(pd, a0);
		break;
	case HAKO_CALL_NET_SEND:
		r->rax = (uint64_t)net_send(pd, a0, a1);
		break;
	case HAKO_CALL_NET_RECV:
		r->rax = (uint64_t)net_recv(pd, a0, a1);
		break;
	case HAKO_CALL_BLOCK_READ:
		blk_rw(r, pd, 0, a0, a1, r->r10); /* may block: *r is then another container's */
		break;
	case HAKO_CALL_BLOCK_WRITE:
		blk_rw(r, pd, 1, a0, a1, r->r10);
		break;
	case HAKO_CALL_BLOCK_FLUSH:
		blk_flush(r, pd);
		break;
	case HAKO_CALL_PKEY_ALLOC:
		r->rax = (uint64_t)pkey_alloc(pd, a0, a1);
		break;
	case HAKO_CALL_PKEY_FREE:
		r->rax = (uint64_t)pkey_free(pd, a0);
		break;
	case HAKO_CALL_PKEY_MPROTECT:
		r->rax = (uint64_t)pkey_mprotect(pd, a0, a1, r->r10, r->r8);
		break;
	default:
		r->rax = (uint64_t)-HAKO_ENOSYS;
		break;
	}
}
