/* SPDX-License-Identifier: ISC */
/* hako overlay: musl's system calls become plain calls into the libOS's Linux-syscall layer. */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

/*
 * A container never executes `syscall`: the platform would kill it. Every
 * __syscallN is an ordinary SysV call to __hako_syscall (libos/syscall.c),
 * which returns a Linux result (>= 0, or -errno) just as the kernel would.
 */
long __hako_syscall(long n, long a, long b, long c, long d, long e, long f);

static __inline long __syscall0(long n)
{
	return __hako_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return __hako_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return __hako_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return __hako_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return __hako_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __hako_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __hako_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO exists in a container: VDSO_USEFUL stays undefined. */

#define IPC_64 0
