/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: the hako calls and the fault handler.
 *
 * This code runs on the container's stack with the container's FS base, so
 * it must not touch libc (glibc keeps errno and the stack canary in TLS): it
 * is built freestanding, without stack protector, and talks to Linux with
 * raw system calls. The seccomp filter (filter.c) allows exactly the calls
 * made here and in the device files it dispatches to (block.c, net.c).
 * Every argument goes through the checks every platform shares
 * (lib/abicheck.c), with the container's memory map (umem.c) as their view.
 */
#include "proc.h"

#include <linux/audit.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <time.h>

#include "dev.h"
#include "hako/abi.h"
#include "hako/protocol.h"
#include "net_order.h"
#include "rawsys.h"

#define ARCH_SET_FS 0x1002

static char name[HAKO_NAME_MAX];
static uint64_t guard; /* the page below the stack */

void proc_dev_init(const struct proc_dev_config *c)
{
	proc_block_init(c->block, c->block_capacity);
	proc_net_init(c->net, c->mac, c->ipv4);
	net_order_init(c->flow_key);
}

static long write_all(int fd, const char *buf, unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		long n = sys4(SYS_write, fd, (long)(buf + done), (long)(len - done), 0);
		if (n == -4) /* EINTR */
			continue;
		if (n <= 0)
			return done ? (long)done : (n < 0 ? n : -HAKO_EIO);
		done += (unsigned long)n;
	}
	return (long)done;
}

static _Noreturn void exit_group(int status)
{
	for (;;)
		sys4(SYS_exit_group, status, 0, 0, 0);
}

static int64_t now(int clock)
{
	struct timespec ts;

	sys4(SYS_clock_gettime, clock, (long)&ts, 0, 0);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long do_yield(int64_t deadline)
{
	struct timespec ts = { deadline / 1000000000, deadline % 1000000000 };
	int64_t t = now(CLOCK_MONOTONIC);

	if (proc_net_attached())
		return proc_net_wait(deadline, t);
	if (deadline <= t)
		return 0;
	while (sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&ts, 0) == -4)
		;
	return 0;
}

static long console(uint64_t buf, uint64_t len)
{
	long rc = abi_console(&proc_mem, buf, &len);

	return rc ? rc : write_all(1, (const char *)buf, len);
}

static long tls_set(uint64_t base)
{
	long rc = abi_tls(base);

	if (rc)
		return rc;
	return sys4(SYS_arch_prctl, ARCH_SET_FS, (long)base, 0, 0) ? -HAKO_EINVAL : 0;
}

static void report_drops(void);

long proc_call(long nr, long a0, long a1, long a2, long a3)
{
	switch (nr) {
	case HAKO_CALL_CONSOLE:
		return console((uint64_t)a0, (uint64_t)a1);
	case HAKO_CALL_EXIT:
		report_drops();
		exit_group((int)(a0 & 0xff));
	case HAKO_CALL_TIME:
		if (abi_time((uint64_t)a0))
			return -HAKO_EINVAL;
		return now(a0 == HAKO_CLOCK_MONOTONIC ? CLOCK_MONOTONIC : CLOCK_REALTIME);
	case HAKO_CALL_YIELD:
		return do_yield(a0);
	case HAKO_CALL_TLS_SET:
		return tls_set((uint64_t)a0);
	case HAKO_CALL_NET_SEND:
		return proc_net_send((uint64_t)a0, (uint64_t)a1);
	case HAKO_CALL_NET_RECV:
		return proc_net_recv((uint64_t)a0, (uint64_t)a1);
	case HAKO_CALL_BLOCK_READ:
		return proc_block_read((uint64_t)a0, (uint64_t)a1, (uint64_t)a2);
	case HAKO_CALL_BLOCK_WRITE:
		return proc_block_write((uint64_t)a0, (uint64_t)a1, (uint64_t)a2);
	case HAKO_CALL_BLOCK_FLUSH:
		return proc_block_flush();
	case HAKO_CALL_PKEY_ALLOC:
		return proc_pkey_alloc((uint64_t)a0, (uint64_t)a1);
	case HAKO_CALL_PKEY_FREE:
		return proc_pkey_free((uint64_t)a0);
	case HAKO_CALL_PKEY_MPROTECT:
		return proc_pkey_mprotect((uint64_t)a0, (uint64_t)a1, (uint64_t)a2, (uint64_t)a3);
	default:
		return -HAKO_ENOSYS;
	}
}

/* --- the kill line: "hako: <name> killed: <reason> (<details>)" --- */

/* Never zero-filled whole: a compiler may do that with a call to memset, outside this code. */
struct line {
	char buf[384]; /* the longest: the network line with five 20-digit counts */
	unsigned len;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void put_num(struct line *l, unsigned long v, unsigned base)
{
	char tmp[24];
	int i = 0;

	if (base == 16)
		put(l, "0x");
	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i > 0 && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = tmp[--i];
}

static const char *syscall_name(long nr)
{
	static const struct { short nr; const char *name; } names[] = {
		{ SYS_read, "read" },     { SYS_open, "open" },       { SYS_mmap, "mmap" },
		{ SYS_mprotect, "mprotect" }, { SYS_ioctl, "ioctl" }, { SYS_socket, "socket" },
		{ SYS_connect, "connect" }, { SYS_clone, "clone" },   { SYS_fork, "fork" },
		{ SYS_execve, "execve" }, { SYS_kill, "kill" },       { SYS_ptrace, "ptrace" },
		{ SYS_openat, "openat" }, { SYS_rt_sigaction, "rt_sigaction" },
		{ SYS_getpid, "getpid" }, { SYS_unlink, "unlink" },   { SYS_bpf, "bpf" },
		{ SYS_write, "write" },   { SYS_pread64, "pread64" }, { SYS_pwrite64, "pwrite64" },
		{ SYS_readv, "readv" },   { SYS_writev, "writev" },   { SYS_fdatasync, "fdatasync" },
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == nr)
			return names[i].name;
	return "syscall";
}

/* Page-fault error code bits, as the CPU reports them in REG_ERR. */
#define PF_PRESENT 1
#define PF_WRITE   2
#define PF_FETCH   16

/* The same reasons and details as the hv's kill lines, so logs read alike. */
static const char *fault_reason(int sig, const siginfo_t *si, long err)
{
	uint64_t addr = (uint64_t)si->si_addr;

	switch (sig) {
	case SIGSEGV:
		if (si->si_code != SEGV_MAPERR && si->si_code != SEGV_ACCERR && si->si_code != SEGV_PKUERR)
			return "general protection fault";
		if (addr - guard < HAKO_PAGE_SIZE)
			return "stack overflow: page fault in the guard below the stack";
		if (si->si_code == SEGV_MAPERR)
			return "page fault: address not mapped";
		if (si->si_code == SEGV_PKUERR)
			return "page fault: protection key violation";
		if (err & PF_FETCH)
			return "page fault: execute NX page";
		if (err & PF_WRITE)
			return "page fault: write to read-only page";
		return "page fault: access denied";
	case SIGBUS:  return "bus error";
	case SIGILL:  return "invalid opcode";
	case SIGFPE:  return si->si_code == FPE_INTDIV ? "divide error" : "arithmetic exception";
	case SIGTRAP: return "debug trap";
	case SIGSYS:  return "forbidden host syscall";
	default:      return "signal";
	}
}

static void put_pkru(struct line *l, uint32_t v)
{
	put(l, "0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		put(l, (char[]){ "0123456789abcdef"[(v >> shift) & 15], 0 });
}

/* A domains image's call page found a PKRU other than the libOS's (tender.c): say so. */
static int bad_pkru_call(struct line *l, int sig, const ucontext_t *uc)
{
	uint32_t pkru = (uint32_t)uc->uc_mcontext.gregs[REG_RAX], want;

	if (sig != SIGILL || (uint64_t)uc->uc_mcontext.gregs[REG_RIP] !=
			     HAKO_CALL_VA + PROC_CALL_BAD_PKRU || !proc_pkey_bad_call(pkru, &want))
		return 0;
	put(l, "hako call with PKRU ");
	put_pkru(l, pkru);
	put(l, ", not the libOS domain's ");
	put_pkru(l, want);
	return 1;
}

void proc_fault(int sig, siginfo_t *si, void *uctx)
{
	const ucontext_t *uc = uctx;
	long err = uc->uc_mcontext.gregs[REG_ERR];
	struct line l;

	l.len = 0;
	put(&l, HAKO_LINE_PREFIX);
	put(&l, name);
	put(&l, HAKO_LINE_KILLED);
	if (bad_pkru_call(&l, sig, uc))
		goto out;
	put(&l, fault_reason(sig, si, err));
	put(&l, " (");
	if (sig == SIGSYS) {
		/* int $0x80 reaches the filter as an i386 call: its number means another call */
		put(&l, si->si_arch == AUDIT_ARCH_X86_64 ? syscall_name(si->si_syscall) : "int $0x80");
		put(&l, " ");
		put_num(&l, (unsigned long)si->si_syscall, 10);
		put(&l, ", ");
	}
	put(&l, "rip=");
	put_num(&l, (unsigned long)uc->uc_mcontext.gregs[REG_RIP], 16);
	if (sig == SIGSEGV || sig == SIGBUS) {
		put(&l, ", addr=");
		put_num(&l, (unsigned long)si->si_addr, 16);
		put(&l, err & PF_FETCH ? ", execute" : err & PF_WRITE ? ", write" : ", read");
	}
	put(&l, ")");
out:
	put(&l, "\n");
	write_all(2, l.buf, l.len);
	exit_group(HAKO_EXIT_KILLED);
}

/* "hako: <name>: net: dropped ..." at exit, if the network dropped anything. */
static void report_drops(void)
{
	uint64_t r[NETSRC_VERDICTS], bad_len;
	struct line l;

	l.len = 0;
	proc_net_drops(r, &bad_len);
	if (!r[NETSRC_MAC] && !r[NETSRC_ARP] && !r[NETSRC_IPV4] && !r[NETSRC_TYPE] && !bad_len)
		return;
	/* The words of the hv's line (hv/net.c), the last count aside. */
	put(&l, HAKO_LINE_PREFIX);
	put(&l, name);
	put(&l, HAKO_LINE_NET "dropped ");
	put_num(&l, r[NETSRC_MAC], 10);
	put(&l, " sent frames with a forged source MAC, ");
	put_num(&l, r[NETSRC_ARP], 10);
	put(&l, " ARP and ");
	put_num(&l, r[NETSRC_IPV4], 10);
	put(&l, " IPv4 with a forged source address, ");
	put_num(&l, r[NETSRC_TYPE], 10);
	put(&l, " of a type not carried, ");
	put_num(&l, bad_len, 10);
	put(&l, " received frames of a bad length\n");
	write_all(2, l.buf, l.len);
}

void proc_fault_init(const char *n, uint64_t stack_guard)
{
	guard = stack_guard;
	unsigned i;

	for (i = 0; n[i] && i < sizeof(name) - 1; i++)
		name[i] = n[i];
	name[i] = 0;
}

/*
 * Jump into the container: its stack, %rdi = start info, FS base 0 and no
 * tender values left in registers; glibc's heap zeroed on the way (the
 * tender's TLS is in it: nothing after this may use glibc).
 */
__asm__(".text\n"
	".globl proc_enter\n"
	".type proc_enter, @function\n"
	"proc_enter:\n"
	"	mov %rdi, %r12\n"
	"	mov %rsi, %r13\n"
	"	mov %rdx, %r14\n"
	"	mov %rcx, %r15\n"
	"	mov %r8, %rbx\n"
	"	mov $" "158" ", %eax\n" /* arch_prctl(ARCH_SET_FS, 0) */
	"	mov $0x1002, %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	cld\n"
	"	mov %r15, %rdi\n"
	"	mov %rbx, %rcx\n"
	"	xor %eax, %eax\n"
	"	rep stosb\n"
	"	mov %r13, %rsp\n"
	"	mov %r14, %rdi\n"
	"	mov %r12, %r11\n"
	"	xor %eax, %eax\n	xor %ebx, %ebx\n	xor %ecx, %ecx\n	xor %edx, %edx\n"
	"	xor %esi, %esi\n	xor %ebp, %ebp\n	xor %r8d, %r8d\n	xor %r9d, %r9d\n"
	"	xor %r10d, %r10d\n	xor %r12d, %r12d\n	xor %r13d, %r13d\n	xor %r14d, %r14d\n"
	"	xor %r15d, %r15d\n"
	"	jmp *%r11\n"
	".size proc_enter, .-proc_enter\n");
