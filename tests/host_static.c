/* SPDX-License-Identifier: ISC */
/* An ordinary static Linux program: the platforms must refuse it as a container. */
#include <stdio.h>

int main(void)
{
	puts("host program");
	return 0;
}
