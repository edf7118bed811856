/* SPDX-License-Identifier: ISC */
/* udp-echo: sends every datagram (up to 64 KiB) back to its sender. Usage: udp-echo [PORT] (default 7). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static char buf[65536];

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		fprintf(stderr, "udp-echo: port %d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("udp-echo: listening on udp port %d\n", port);
	for (unsigned long count = 0;; count++) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
		if (n < 0) {
			fprintf(stderr, "udp-echo: recvfrom: %s\n", strerror(errno));
			return 1;
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n)
			fprintf(stderr, "udp-echo: sendto %s: %s\n", inet_ntoa(from.sin_addr), strerror(errno));
	}
}
