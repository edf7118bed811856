/* SPDX-License-Identifier: ISC */
/* tls: thread-local variables, one initialised and one zero, read and modified. */
#include <stdio.h>

static _Thread_local int counter = 42;
static __thread char zeroed[64];

static int bad(const char *what)
{
	printf("tls FAILED: %s\n", what);
	return 1;
}

int main(void)
{
	if (counter != 42)
		return bad("initialised variable does not start at 42");
	for (unsigned i = 0; i < sizeof zeroed; i++)
		if (zeroed[i])
			return bad("zero-initialised variable is not zero");
	counter += 58;
	zeroed[63] = 'x';
	if (counter != 100 || zeroed[63] != 'x')
		return bad("writes did not stick");
	printf("tls: counter %d at %p, zeroed[63] '%c'\n", counter, (void *)&counter, zeroed[63]);
	printf("tls ok\n");
	return 0;
}
