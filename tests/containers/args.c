/* SPDX-License-Identifier: ISC */
/* args: prints argc, every argv and every environment variable. */
#include <stdio.h>

int main(int argc, char **argv, char **envp)
{
	printf("argc = %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	for (char **e = envp; *e; e++)
		printf("env %s\n", *e);
	return argv[argc] == NULL ? 0 : 1;
}
