/* SPDX-License-Identifier: ISC */
/*
 * raw_dev: a raw host syscall NR(FD, buf, 512, 0) against a device
 * descriptor, bypassing the platform (e.g. pwrite64 on a read-only disk);
 * the seccomp filter's argument checks must stop it.  usage: raw_dev NR FD
 */
#include <stdio.h>
#include <stdlib.h>

static char buf[512];

int main(int argc, char **argv)
{
	long nr = argc > 2 ? atol(argv[1]) : 0, fd = argc > 2 ? atol(argv[2]) : 0, ret;
	register long r10 __asm__("r10") = 0;

	printf("raw_dev: trying syscall %ld on fd %ld\n", nr, fd);
	fflush(stdout);
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(fd), "S"(buf), "d"(512L), "r"(r10)
			     : "rcx", "r11", "memory");
	printf("raw_dev: survived, returned %ld: isolation FAILED\n", ret);
	return 1;
}
