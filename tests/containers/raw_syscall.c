/* SPDX-License-Identifier: ISC */
/* raw_syscall: executes a raw `syscall` instruction (openat /etc/passwd); the platform must stop it. */
#include <stdio.h>

int main(void)
{
	long ret;

	printf("raw_syscall: trying openat(\"/etc/passwd\") with a raw syscall\n");
	fflush(stdout);
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(257L), "D"(-100L), "S"("/etc/passwd"), "d"(0L)
			     : "rcx", "r11", "memory");
	printf("raw_syscall: opened, returned %ld: isolation FAILED\n", ret);
	return 1;
}
