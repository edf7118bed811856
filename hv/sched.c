/* SPDX-License-Identifier: ISC */
/*
 * Scheduler. One CPU, one kernel stack: a container's whole ring-3 context
 * lives in its struct pd while it is not running, and switching is copying
 * that context into the frame the CPU returns from. Nothing in the hv ever
 * blocks; an idle CPU halts until the next timer interrupt.
 */
#include "sched.h"

#include "cons.h"
#include "cpu.h"
#include "hako/protocol.h"
#include "lib.h"
#include "mm.h"
#include "output.h"
#include "pkey.h"
#include "timer.h"
#include "trap.h"

static struct pd *live[HAKO_BUNDLE_MAX];
static unsigned nlive;
static struct pd *cur;               /* running container, NULL when none */
static struct pd *runq, *runq_tail;  /* runnable, in turn order */
static struct pd *loaded;            /* owner of the CPU's CR3, FS/GS base, FPU state, PKRU */
static uint64_t slice_end;
static uint64_t free_at_start;
static unsigned ncontainers, nok, nfailed;
static uint64_t quota_left;          /* at start: what the quotas allow beyond what is used */
static int first_status;
static int woken;                    /* sched_wake made a container runnable */

static void enqueue(struct pd *p)
{
	p->state = PD_RUNNABLE;
	p->next = NULL;
	if (runq_tail)
		runq_tail->next = p;
	else
		runq = p;
	runq_tail = p;
}

static struct pd *dequeue(void)
{
	struct pd *p = runq;

	runq = p->next;
	if (!runq)
		runq_tail = NULL;
	return p;
}

/* Put p's address space and registers the CPU keeps on the CPU. */
static void load(struct pd *p)
{
	if (loaded == p)
		return;
	if (loaded) {
		loaded->fs_base = rdmsr(MSR_FS_BASE);
		loaded->gs_base = rdmsr(MSR_GS_BASE);
		fpu_save(loaded->fpu);
	}
	write_cr3(vm_cr3(&p->vm));
	wrmsr(MSR_FS_BASE, p->fs_base);
	wrmsr(MSR_GS_BASE, p->gs_base);
	fpu_restore(p->fpu);
	pkey_load(p);
	loaded = p;
}

/*
 * A container that waited goes ahead of the queue only while it has slice
 * left, so waking cannot buy the CPU forever: two containers that keep
 * waking each other spend their slices, then queue behind the others.
 */
static void make_runnable(struct pd *p)
{
	if (p->slice_left < AHEAD_MIN_NS) {
		p->slice_left = SLICE_NS;
		enqueue(p);
		return;
	}
	p->state = PD_RUNNABLE;
	p->next = runq;
	runq = p;
	if (!runq_tail)
		runq_tail = p;
	woken = 1;
}

/* cur leaves the CPU: keep its registers and what is left of its slice. */
static struct pd *take_cur(struct regs *r)
{
	struct pd *p = cur;
	uint64_t now = time_mono_ns();

	p->regs = *r;
	p->slice_left = slice_end > now ? slice_end - now : 0;
	cur = NULL;
	return p;
}

/* Make every sleeper whose deadline passed runnable; returns the next deadline (0: none). */
static uint64_t wake_sleepers(uint64_t now)
{
	uint64_t next = 0;

	for (unsigned i = 0; i < nlive; i++) {
		struct pd *p = live[i];
		if (p->state != PD_SLEEPING)
			continue;
		if (p->wake_ns > now) {
			if (!next || p->wake_ns < next)
				next = p->wake_ns;
			continue;
		}
		make_runnable(p);
	}
	return next;
}

static void arm(uint64_t next)
{
	timer_arm(next && next < slice_end ? next : slice_end);
}

static void finish(void)
{
	uint64_t nfree = mm_free_pages();

	printf(HAKO_LINE_PREFIX "%u" HAKO_LINE_SUMMARY "%u exited 0, %u failed" HAKO_LINE_STATUS
	       "%d; free pages %lu/%lu\n", ncontainers, nok, nfailed, first_status, nfree, free_at_start);
	poweroff(nfailed || nfree != free_at_start ? HAKO_HV_FAIL : HAKO_HV_OK);
}

static void retire(int status);

/* cur gave up the CPU: run the next container in *r, halting while none is ready. */
static void schedule(struct regs *r)
{
	for (;;) {
		uint64_t now = time_mono_ns(), next = wake_sleepers(now);
		if (runq) {
			woken = 0;
			cur = dequeue();
			if (cur->stop) { /* the host asked (ctl.c): it ends instead of running */
				output_flush(cur);
				printf(HAKO_LINE_PREFIX "%s" HAKO_LINE_STOPPED "\n", cur->name);
				retire(HAKO_EXIT_STOPPED);
				continue;
			}
			cur->state = PD_RUNNING;
			load(cur);
			*r = cur->regs;
			slice_end = now + (cur->slice_left ? cur->slice_left : SLICE_NS);
			arm(next);
			return;
		}
		if (nlive == 0)
			finish();
		timer_arm(next);
		wait_for_interrupt();
	}
}

void sched_add(struct pd *pd)
{
	pd->slice_left = SLICE_NS;
	quota_left += pd->vm.quota - pd->vm.pages;
	live[nlive++] = pd;
	ncontainers++;
	enqueue(pd);
}

void sched_failed(const char *name, const char *why)
{
	printf(HAKO_LINE_PREFIX "%s" HAKO_LINE_FAILED "%s\n", name, why);
	ncontainers++;
	nfailed++;
	if (!first_status)
		first_status = HAKO_EXIT_KILLED;
}

struct pd *sched_current(void) { return cur; }

uint64_t sched_quota_left(void) { return quota_left; }

void sched_start(uint64_t free_before)
{
	struct regs *r = user_frame();

	free_at_start = free_before;
	schedule(r);
	enter_user(r);
}

void sched_tick(struct regs *r)
{
	uint64_t now, next;

	if (!(r->cs & 3))
		return; /* woke the idle loop in schedule(), which looks again */
	now = time_mono_ns();
	next = wake_sleepers(now);
	if (cur->stop || ((woken || now >= slice_end) && runq)) {
		enqueue(take_cur(r));
		schedule(r);
		return;
	}
	if (now >= slice_end)
		slice_end = now + SLICE_NS;
	arm(next);
}

void sched_yield(struct regs *r, int64_t deadline, uint32_t ready)
{
	r->rax = ready;
	if (cur->stop) { /* asked to stop while it ran: it must not go to sleep first */
		enqueue(take_cur(r));
		schedule(r);
		return;
	}
	if (ready && deadline > (int64_t)time_mono_ns())
		return; /* an event waits: no blocking */
	if (deadline <= (int64_t)time_mono_ns()) {
		if (!runq)
			return; /* nobody else wants the CPU */
		enqueue(take_cur(r));
	} else {
		struct pd *p = take_cur(r);
		p->state = PD_SLEEPING;
		p->wake_ns = (uint64_t)deadline;
	}
	schedule(r);
}

/* Take cur off the CPU and out of the tables, and give back all its memory. */
static void retire(int status)
{
	struct pd *p = cur;

	if (status == 0)
		nok++;
	else
		nfailed++;
	if (status && !first_status)
		first_status = status;
	for (unsigned i = 0; i < nlive; i++)
		if (live[i] == p)
			live[i] = live[--nlive];
	if (loaded == p) {
		write_cr3(V2P(kernel_pml4));
		loaded = NULL;
	}
	cur = NULL;
	pd_destroy(p);
}

static void end(struct regs *r, int status)
{
	retire(status);
	schedule(r);
}

int sched_stop(const char *name)
{
	size_t n = strlen(name) + 1;

	for (unsigned i = 0; i < nlive; i++) {
		struct pd *p = live[i];
		if (n > sizeof(p->name) || memcmp(p->name, name, n))
			continue;
		p->stop = 1;
		if (p->state == PD_SLEEPING)
			sched_wake(p, 0); /* a blocked one ends when its request completes */
		return 1;
	}
	return 0;
}

void sched_block(struct regs *r)
{
	take_cur(r)->state = PD_BLOCKED;
	schedule(r);
}

void sched_wake(struct pd *p, uint64_t rax)
{
	if (p->state != PD_BLOCKED && p->state != PD_SLEEPING)
		panic("sched: waking %s, which is not waiting", p->name);
	p->regs.rax = rax;
	make_runnable(p);
}

void sched_irq(struct regs *r)
{
	int was_woken = woken;

	woken = 0;
	if (!(r->cs & 3) || !was_woken || !cur)
		return; /* the idle loop in schedule() looks at the queue itself */
	enqueue(take_cur(r));
	schedule(r);
}

void sched_exit(struct regs *r, int status)
{
	output_flush(cur);
	printf(HAKO_LINE_PREFIX "%s" HAKO_LINE_EXITED "%d\n", cur->name, status);
	end(r, status);
}

void sched_kill(struct regs *r, const char *why)
{
	output_flush(cur);
	printf(HAKO_LINE_PREFIX "%s" HAKO_LINE_KILLED "%s\n", cur->name, why);
	end(r, HAKO_EXIT_KILLED);
}
