/* SPDX-License-Identifier: ISC */
/* write_code: writes over its own code; the platform must stop it (code is never writable). */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	volatile unsigned char *code = (volatile unsigned char *)(void *)main;

	printf("write_code: writing to main at %p\n", (void *)(uintptr_t)code);
	fflush(stdout);
	code[0] = 0xc3;
	printf("write_code: survived, code is writable: isolation FAILED\n");
	return 1;
}
