/* SPDX-License-Identifier: ISC */
/*
 * netbench: host client of the paper's network measurements (docs/benchmarks.md,
 * "The paper's measurements"). Prints markdown table rows: LABEL, then
 * median / p90 / min in µs over RUNS runs. Every byte that comes back is
 * checked; every wait is bounded (a lost UDP datagram is retried and counted).
 *
 *   netbench LABEL tcp  HOST PORT SIZE RUNS   against bench/containers/netperf.c:
 *       "ctr receives": first byte of 'U'+SIZE sent -> the container's 'K' in
 *       "ctr sends":    'D' request sent -> last of SIZE bytes in
 *       "ctr send call": in the container, its send call(s) for SIZE bytes
 *       (one TCP connection for all runs; TCP_NODELAY on both ends)
 *   netbench LABEL udp  HOST PORT SIZE RUNS   the same with one SIZE-byte datagram
 *   netbench LABEL echo-tcp|echo-udp HOST PORT SIZE RUNS
 *       against apps/tcp-echo or apps/udp-echo: SIZE bytes out -> SIZE bytes back
 *   netbench LABEL http HOST PORT PATH FILE RUNS
 *       GET PATH, body compared with FILE: "fresh": connect -> last body byte;
 *       "keep-alive": request -> last body byte on one open connection
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

#define TIMEOUT_MS 5000
#define MAX_RUNS   100000

static struct sockaddr_in peer;
static const char *label;
static int lost;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void fill(unsigned char *p, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

static void die(const char *what)
{
	printf("netbench: %s: FAILED: %s\n", what, errno ? strerror(errno) : "mismatch");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void row(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("| %s | %s | %d | %.0f | %.0f | %.0f |\n", label, what, n, v[n / 2],
	       v[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], v[0]);
}

static void put32(unsigned char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/* Waits for fd to be ready for events; dies after TIMEOUT_MS. */
static void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, TIMEOUT_MS) != 1)
		errno = ETIMEDOUT, die(what);
}

static void send_all(int fd, const void *p, size_t len)
{
	for (size_t put = 0; put < len;) {
		wait_fd(fd, POLLOUT, "send");
		ssize_t n = send(fd, (const char *)p + put, len - put, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			die("send");
		put += n > 0 ? (size_t)n : 0;
	}
}

static void recv_all(int fd, void *p, size_t len)
{
	for (size_t got = 0; got < len;) {
		wait_fd(fd, POLLIN, "recv");
		ssize_t n = recv(fd, (char *)p + got, len - got, MSG_DONTWAIT);
		if (n == 0)
			errno = 0, die("connection closed early");
		if (n < 0 && errno != EAGAIN)
			die("recv");
		got += n > 0 ? (size_t)n : 0;
	}
}

static int tcp_connect(void)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || (connect(fd, (struct sockaddr *)&peer, sizeof peer) && errno != EINPROGRESS))
		die("connect");
	wait_fd(fd, POLLOUT, "connect");
	int err = 0;
	socklen_t l = sizeof err;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
	if (err)
		errno = err, die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void tcp_bench(size_t size, int runs)
{
	unsigned char *out = malloc(size + 5), *in = malloc(size), *want = malloc(size), h[9], k;
	double *rx = calloc((size_t)runs, sizeof(double)), *tx = calloc((size_t)runs, sizeof(double));
	double *call = calloc((size_t)runs, sizeof(double)), t0;
	uint64_t t[2];
	int fd = tcp_connect();

	for (int i = 0; i < runs; i++) {
		out[0] = 'U';
		put32(out + 1, (uint32_t)size);
		fill(out + 5, size, (uint32_t)i);
		t0 = now_us();
		send_all(fd, out, size + 5);
		recv_all(fd, &k, 1);
		rx[i] = now_us() - t0;
		if (k != 'K')
			errno = 0, die("container receives: bad answer");

		h[0] = 'D';
		put32(h + 1, (uint32_t)size);
		put32(h + 5, (uint32_t)i);
		fill(want, size, (uint32_t)i);
		t0 = now_us();
		send_all(fd, h, 9);
		recv_all(fd, in, size);
		tx[i] = now_us() - t0;
		if (memcmp(in, want, size))
			errno = 0, die("container sends: content differs");

		send_all(fd, "T", 1);
		recv_all(fd, t, sizeof t);
		call[i] = (double)t[0] / 1e3;
	}
	close(fd);
	char what[64];
	snprintf(what, sizeof what, "TCP %zu B, container receives", size);
	row(what, rx, runs);
	snprintf(what, sizeof what, "TCP %zu B, container sends", size);
	row(what, tx, runs);
	snprintf(what, sizeof what, "TCP %zu B, container's send call", size);
	row(what, call, runs);
}

/* Sends req on the UDP socket and waits for an answer of exactly want_len; retries. */
static double udp_ask(int fd, const void *req, size_t len, void *ans, size_t want_len)
{
	for (int try = 0; try < 5; try++) {
		double t0 = now_us();
		if (send(fd, req, len, 0) != (ssize_t)len)
			die("sendto");
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			if (poll(&p, 1, TIMEOUT_MS / 5) != 1)
				break;
			ssize_t n = recv(fd, ans, want_len + 1, 0);
			if (n == (ssize_t)want_len)
				return now_us() - t0;
		}
		lost++;
	}
	errno = ETIMEDOUT;
	die("udp: no answer");
	return 0;
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 1 << 20;

	if (fd < 0 || connect(fd, (struct sockaddr *)&peer, sizeof peer))
		die("udp socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	return fd;
}

static void udp_bench(size_t size, int runs)
{
	unsigned char *out = malloc(size), *in = malloc(size + 1), *want = malloc(size), h[9], k[2];
	double *rx = calloc((size_t)runs, sizeof(double)), *tx = calloc((size_t)runs, sizeof(double));
	double *call = calloc((size_t)runs, sizeof(double));
	uint64_t t[3];
	int fd = udp_socket();

	for (int i = 0; i < runs; i++) {
		fill(out, size, (uint32_t)i);
		out[0] = 'U';
		rx[i] = udp_ask(fd, out, size, k, 1);
		if (k[0] != 'K')
			errno = 0, die("container receives: bad answer");
		h[0] = 'D';
		put32(h + 1, (uint32_t)size);
		put32(h + 5, (uint32_t)i);
		fill(want, size, (uint32_t)i);
		tx[i] = udp_ask(fd, h, 9, in, size);
		if (memcmp(in, want, size))
			errno = 0, die("container sends: content differs");
		udp_ask(fd, "T", 1, t, 16);
		call[i] = (double)t[0] / 1e3;
	}
	char what[64];
	snprintf(what, sizeof what, "UDP %zu B, container receives", size);
	row(what, rx, runs);
	snprintf(what, sizeof what, "UDP %zu B, container sends", size);
	row(what, tx, runs);
	snprintf(what, sizeof what, "UDP %zu B, container's send call", size);
	row(what, call, runs);
}

static void echo_bench(int tcp, size_t size, int runs)
{
	unsigned char *out = malloc(size), *in = malloc(size + 1);
	double *rt = calloc((size_t)runs, sizeof(double)), t0;
	int fd = tcp ? tcp_connect() : udp_socket();

	for (int i = 0; i < runs; i++) {
		fill(out, size, (uint32_t)i);
		if (tcp) {
			t0 = now_us();
			send_all(fd, out, size);
			recv_all(fd, in, size);
			rt[i] = now_us() - t0;
		} else {
			rt[i] = udp_ask(fd, out, size, in, size);
		}
		if (memcmp(in, out, size))
			errno = 0, die("echo: content differs");
	}
	close(fd);
	char what[64];
	snprintf(what, sizeof what, "%s %zu B, echo round trip", tcp ? "TCP" : "UDP", size);
	row(what, rt, runs);
}

/* Reads one response (status 200, Content-Length) on fd; the body must equal want. */
static void http_response(int fd, const unsigned char *want, size_t wlen, unsigned char *buf, size_t cap)
{
	size_t got = 0, need = 0;
	char *end = NULL;

	while (!end || got < need) {
		if (got == cap)
			errno = 0, die("http: response too big");
		wait_fd(fd, POLLIN, "http recv");
		ssize_t n = recv(fd, buf + got, cap - got, MSG_DONTWAIT);
		if (n == 0)
			errno = 0, die("http: connection closed early");
		if (n < 0 && errno != EAGAIN)
			die("http recv");
		got += n > 0 ? (size_t)n : 0;
		if (!end && (end = memmem(buf, got, "\r\n\r\n", 4))) {
			char *cl = memmem(buf, (size_t)(end - (char *)buf), "Content-Length:", 15);
			if (strncmp((char *)buf, "HTTP/1.1 200 ", 13) || !cl)
				errno = 0, die("http: not a 200 with Content-Length");
			need = (size_t)(end + 4 - (char *)buf) + strtoul(cl + 15, NULL, 10);
		}
	}
	errno = 0;
	if (got != need || need - (size_t)(end + 4 - (char *)buf) != wlen || memcmp(end + 4, want, wlen))
		die("http: body differs from the file");
}

static void http_bench(const char *path, const char *file, int runs)
{
	static unsigned char want[1 << 20], buf[1 << 20];
	char req[512];
	double *fresh = calloc((size_t)runs, sizeof(double)), *ka = calloc((size_t)runs, sizeof(double));
	FILE *f = fopen(file, "rb");
	size_t wlen;

	if (!f)
		die(file);
	wlen = fread(want, 1, sizeof want, f);
	fclose(f);
	int rl = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", path);
	for (int i = 0; i < runs; i++) {
		double t0 = now_us();
		int fd = tcp_connect();
		send_all(fd, req, (size_t)rl);
		http_response(fd, want, wlen, buf, sizeof buf);
		fresh[i] = now_us() - t0;
		close(fd);
	}
	int fd = tcp_connect();
	for (int i = 0; i < runs; i++) {
		double t0 = now_us();
		send_all(fd, req, (size_t)rl);
		http_response(fd, want, wlen, buf, sizeof buf);
		ka[i] = now_us() - t0;
	}
	close(fd);
	char what[96];
	snprintf(what, sizeof what, "HTTP GET %s (%zu B), fresh connection", path, wlen);
	row(what, fresh, runs);
	snprintf(what, sizeof what, "HTTP GET %s (%zu B), keep-alive", path, wlen);
	row(what, ka, runs);
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: netbench LABEL tcp|udp|echo-tcp|echo-udp HOST PORT SIZE RUNS\n"
				"       netbench LABEL http HOST PORT PATH FILE RUNS\n");
		return 2;
	}
	label = argv[1];
	peer.sin_family = AF_INET;
	peer.sin_port = htons((uint16_t)atoi(argv[4]));
	if (inet_pton(AF_INET, argv[3], &peer.sin_addr) != 1)
		return fprintf(stderr, "netbench: bad address %s\n", argv[3]), 2;
	const char *mode = argv[2];
	if (!strcmp(mode, "http")) {
		int runs = argc > 7 ? atoi(argv[7]) : 0;
		if (runs < 1 || runs > MAX_RUNS)
			return fprintf(stderr, "netbench: RUNS 1..%d\n", MAX_RUNS), 2;
		http_bench(argv[5], argv[6], runs);
		return 0;
	}
	size_t size = strtoul(argv[5], NULL, 0);
	int runs = atoi(argv[6]);
	if (runs < 1 || runs > MAX_RUNS || size < 9 || size > 65507)
		return fprintf(stderr, "netbench: SIZE 9..65507, RUNS 1..%d\n", MAX_RUNS), 2;
	if (!strcmp(mode, "tcp"))
		tcp_bench(size, runs);
	else if (!strcmp(mode, "udp"))
		udp_bench(size, runs);
	else if (!strcmp(mode, "echo-tcp") || !strcmp(mode, "echo-udp"))
		echo_bench(mode[5] == 't', size, runs);
	else
		return fprintf(stderr, "netbench: unknown mode %s\n", mode), 2;
	if (lost)
		printf("| %s | UDP datagrams lost and sent again | %d | | | |\n", label, lost);
	return 0;
}
