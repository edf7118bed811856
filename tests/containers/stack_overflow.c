/* SPDX-License-Identifier: ISC */
/* stack_overflow: recurses without end; the guard page below the stack must stop it. */
#include <stdio.h>

/* The recursion is the point: its end is the guard page. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int depth(volatile char *prev)
{
	volatile char frame[1024];

	frame[0] = prev ? prev[0] + 1 : 0;
	return depth(frame) + frame[1023]; /* not a tail call */
}

int main(void)
{
	printf("stack_overflow: recursing\n");
	fflush(stdout);
	depth(NULL);
	printf("stack_overflow: survived: no guard page below the stack\n");
	return 1;
}
