/* SPDX-License-Identifier: ISC */
/* exec_heap: jumps into heap memory holding a `ret`; the platform must stop it (heap is NX). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	unsigned char *buf = malloc(64);

	if (!buf)
		return 2;
	buf[0] = 0xc3; /* ret */
	printf("exec_heap: calling heap address %p\n", (void *)buf);
	fflush(stdout);
	((void (*)(void))(void *)buf)();
	printf("exec_heap: survived, heap is executable: isolation FAILED\n");
	return 1;
}
