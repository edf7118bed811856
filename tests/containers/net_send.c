/* SPDX-License-Identifier: ISC */
/*
 * net_send: the container as a TCP client: connects to HOST:PORT, sends SIZE
 * bytes (the content tests/net_client.c's sink expects) and exits at once;
 * the libOS must still deliver everything and the FIN.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Same generator as net_client.c's fill(). */
static void fill(unsigned char *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: net_send HOST PORT SIZE\n");
		return 2;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	size_t size = strtoul(argv[3], NULL, 0);
	unsigned char *buf = malloc(size);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (!buf || fd < 0 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		fprintf(stderr, "net_send: setup failed\n");
		return 1;
	}
	fill(buf, size, 7);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		fprintf(stderr, "net_send: connect %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (send(fd, buf, size, 0) != (ssize_t)size) {
		fprintf(stderr, "net_send: send: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("net_send: sent %zu bytes\n", size);
	return 0; /* exit() right after: the data is still on its way */
}
