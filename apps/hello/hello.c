/* SPDX-License-Identifier: ISC */
/* hello: the smallest useful container: a greeting, then its arguments. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from hako\n");
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	return 0;
}
