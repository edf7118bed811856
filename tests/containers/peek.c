/* SPDX-License-Identifier: ISC */
/*
 * peek: two copies run side by side. "write" puts a secret at an address
 * that the "read" copy computes the same way (same binary, same allocation
 * sequence, same layout); the reader must see its own zeroed memory there,
 * never the writer's secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char secret[] = "hako-secret-of-the-writer";

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 }, longer = { 0, 400 * 1000 * 1000 };
	char *p = malloc(1 << 20); /* the same address in every copy */

	if (!p || argc < 2)
		return 2;
	if (!strcmp(argv[1], "write")) {
		strcpy(p, secret);
		printf("peek: wrote the secret at %p\n", (void *)p);
		fflush(stdout);
		nanosleep(&longer, NULL); /* the reader looks while it is there */
		printf("peek: writer done\n");
		return 0;
	}
	nanosleep(&pause, NULL);
	printf("peek: reading %p\n", (void *)p);
	if (memcmp(p, secret, sizeof(secret)) == 0) {
		printf("peek: saw the other container's secret: isolation FAILED\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(secret); i++)
		if (p[i]) {
			printf("peek: memory not zeroed\n");
			return 1;
		}
	printf("peek: saw only zeros\n");
	return 0;
}
