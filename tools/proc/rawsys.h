/* SPDX-License-Identifier: ISC */
/* proc platform, container side: raw Linux system calls (no libc, no errno). */
#ifndef HAKO_PROC_RAWSYS_H
#define HAKO_PROC_RAWSYS_H

#define RAW_EINTR  4
#define RAW_EAGAIN 11

static inline long sys5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys4(long n, long a, long b, long c, long d)
{
	return sys5(n, a, b, c, d, 0);
}

/* Byte copy: -fno-builtin code must not depend on libc's memcpy. */
static inline void raw_copy(void *dst, const void *src, unsigned long len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (len--)
		*d++ = *s++;
}

#endif /* HAKO_PROC_RAWSYS_H */
