/* SPDX-License-Identifier: ISC */
/* exit_status: exits with the status given as argv[1] (0 without one). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	printf("exit_status: exiting with %d\n", status);
	return status;
}
