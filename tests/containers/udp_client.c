/* SPDX-License-Identifier: ISC */
/*
 * udp_client: a UDP echo client on the libOS's sockets (lwIP: a real ARP
 * cache, which a thief on the network would try to poison).
 *   udp_client SERVER COUNT THIEF
 * From port 5000: echoes until one comes back (10 s at most), then COUNT
 * datagrams one at a time, each answered within 500 ms or lost; answers
 * with another payload (net_thief's forged ones) are counted apart. Ends
 * with "quit" to SERVER (a net_echo stops) and "done" to THIEF port 9.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define CLIENT_PORT 5000
#define ECHO_PORT   7
#define THIEF_PORT  9
#define WAIT_MS     500

static int fd;
static long forged;

/* Wait up to WAIT_MS for the echo of want; other datagrams are forged ones. */
static int echoed(const char *want)
{
	char buf[256];

	for (int tries = 0; tries < 64; tries++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		if (poll(&p, 1, WAIT_MS) != 1)
			return 0;
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) < 0)
			return 0;
		buf[n] = 0;
		if (!strcmp(buf, want))
			return 1;
		forged += !strncmp(buf, "forged", 6);
	}
	return 0;
}

static void say(const char *ip, int port, const char *text)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	sendto(fd, text, strlen(text), 0, (struct sockaddr *)&a, sizeof(a));
}

int main(int argc, char **argv)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(CLIENT_PORT) };
	long count = argc > 2 ? atol(argv[2]) : 10, got = 0;
	char msg[32];
	int up = 0;

	if (argc < 4 || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		printf("udp_client: usage: udp_client SERVER COUNT THIEF (or no socket)\n");
		return 2;
	}
	for (int i = 0; i < 20 && !up; i++) {
		say(argv[1], ECHO_PORT, "warm");
		up = echoed("warm");
	}
	for (long i = 0; up && i < count; i++) {
		snprintf(msg, sizeof(msg), "hako %ld", i);
		say(argv[1], ECHO_PORT, msg);
		got += echoed(msg);
	}
	for (int i = 0; i < 3; i++) { /* a datagram may wait for ARP, and one is enough */
		say(argv[1], ECHO_PORT, "quit");
		say(argv[3], THIEF_PORT, "done");
		poll(NULL, 0, 20);
	}
	printf("udp_client: %ld/%ld echoes, %ld lost, %ld forged%s\n", got, count, count - got, forged,
	       up ? "" : " (no echo at all)");
	return got == count && !forged ? 0 : 1;
}
