/* SPDX-License-Identifier: ISC */
/*
 * Benchmark container: the server side of the paper's "32 KB send / receive"
 * measurements (bench/netbench.c is the host client). TCP and UDP on the same
 * port (default 7), one TCP client at a time. Requests:
 *
 *   'U' len32 payload  the container receives len bytes, then answers 'K'
 *                      (TCP: bytes after the header; UDP: the rest of one datagram)
 *   'D' len32 seed32   the container sends len bytes of netbench's content for seed
 *                      (TCP: on the stream; UDP: as one datagram)
 *   'T'                answers 16 bytes, host order: ns spent in the last 'D's
 *                      send call(s), ns from the last 'U's first payload byte in
 *                      to its last (TCP; 0 for UDP: one datagram arrives whole)
 *
 *   netperf [PORT]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LEN 65507

static unsigned char buf[MAX_LEN + 16], out[MAX_LEN];
static uint64_t send_ns, recv_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The same content as bench/netbench.c's fill(). */
static void fill(unsigned char *p, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static int read_full(int fd, void *p, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, (char *)p + got, len - got);
		if (n <= 0)
			return -1;
		if (!got && len > 1 && p == buf)
			recv_ns = now_ns(); /* first payload byte in */
		got += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *p, size_t len)
{
	for (size_t put = 0; put < len;) {
		ssize_t n = write(fd, (const char *)p + put, len - put);
		if (n <= 0)
			return -1;
		put += (size_t)n;
	}
	return 0;
}

/* One request on the TCP connection; -1 ends the connection. */
static int tcp_request(int fd)
{
	unsigned char h[9];
	uint64_t t[2];

	if (read_full(fd, h, 1))
		return -1;
	switch (h[0]) {
	case 'U': {
		if (read_full(fd, h + 1, 4))
			return -1;
		uint32_t len = get32(h + 1);
		if (len > MAX_LEN || read_full(fd, buf, len))
			return -1;
		recv_ns = now_ns() - recv_ns;
		return write_full(fd, "K", 1);
	}
	case 'D': {
		if (read_full(fd, h + 1, 8))
			return -1;
		uint32_t len = get32(h + 1);
		if (len > MAX_LEN)
			return -1;
		fill(out, len, get32(h + 5));
		uint64_t t0 = now_ns();
		int rc = write_full(fd, out, len);
		send_ns = now_ns() - t0;
		return rc;
	}
	case 'T':
		t[0] = send_ns, t[1] = recv_ns;
		return write_full(fd, t, sizeof t);
	default:
		return -1;
	}
}

static void udp_request(int fd)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
	ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
	uint64_t t[2];

	if (n < 1)
		return;
	if (buf[0] == 'U') {
		sendto(fd, "K", 1, 0, (struct sockaddr *)&from, flen);
	} else if (buf[0] == 'D' && n >= 9 && get32(buf + 1) <= MAX_LEN) {
		uint32_t len = get32(buf + 1);
		fill(out, len, get32(buf + 5));
		uint64_t t0 = now_ns();
		sendto(fd, out, len, 0, (struct sockaddr *)&from, flen);
		send_ns = now_ns() - t0;
	} else if (buf[0] == 'T') {
		t[0] = send_ns, t[1] = 0;
		sendto(fd, t, sizeof t, 0, (struct sockaddr *)&from, flen);
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7, one = 1, conn = -1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int u = socket(AF_INET, SOCK_DGRAM, 0), l = socket(AF_INET, SOCK_STREAM, 0);

	if (u < 0 || l < 0 || bind(u, (struct sockaddr *)&a, sizeof a) ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 16)) {
		fprintf(stderr, "netperf: port %d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("netperf: listening on tcp and udp port %d\n", port);
	fflush(stdout);
	for (;;) {
		struct pollfd p[3] = { { .fd = u, .events = POLLIN }, { .fd = l, .events = POLLIN },
				       { .fd = conn, .events = POLLIN } };
		if (poll(p, conn >= 0 ? 3 : 2, -1) < 0)
			return 1;
		if (p[0].revents)
			udp_request(u);
		if (conn >= 0 && p[2].revents && tcp_request(conn)) {
			close(conn);
			conn = -1;
		}
		if (p[1].revents & POLLIN) {
			int c = accept(l, NULL, NULL);
			if (c >= 0 && conn >= 0)
				close(c); /* one client at a time */
			else if (c >= 0) {
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				conn = c;
			}
		}
	}
}
