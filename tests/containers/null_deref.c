/* SPDX-License-Identifier: ISC */
/* null_deref: reads from a NULL pointer; the platform must stop it. */
#include <stdio.h>

int main(void)
{
	volatile int *p = NULL;

	printf("null_deref: reading address 0\n");
	fflush(stdout);
	int v = *p;
	printf("null_deref: survived, read %d: isolation FAILED\n", v);
	return 1;
}
