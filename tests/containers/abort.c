/* SPDX-License-Identifier: ISC */
/* abort: abort() ends the container with 134 (128 + SIGABRT), as a shell reports it. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("abort: calling abort()\n");
	fflush(stdout);
	abort();
}
