/* SPDX-License-Identifier: ISC */
/*
 * net_client: the host side of the network tests: sends data to an echo
 * container and checks every byte that comes back.
 *
 *   net_client udp HOST PORT SIZE COUNT        COUNT datagrams of SIZE bytes, one at a time
 *   net_client tcp HOST PORT SIZE CLIENTS [IDLE]
 *                                              CLIENTS connections at once, each sends SIZE
 *                                              bytes and reads them back; IDLE more connect
 *                                              first and send nothing while the others run
 *   net_client refused HOST PORT               connect must fail with ECONNREFUSED
 *   net_client sink ADDR PORT SIZE             listen on ADDR:PORT, take one connection, check
 *                                              it brings exactly SIZE bytes (net_send.c's content)
 *
 * Prints one line per check; exits 0 when every check passed. Every wait is
 * bounded (TIMEOUT_MS), so a broken peer makes it fail, never hang.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 5000
#define MAX_CONNS  1024

static struct sockaddr_in peer;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Deterministic, position-dependent content, different per stream. */
static void fill(unsigned char *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

static int fail(const char *what)
{
	printf("FAILED: %s: %s\n", what, errno ? strerror(errno) : "mismatch");
	return 1;
}

static int udp_test(size_t size, int count)
{
	unsigned char *out = malloc(size), *in = malloc(size + 1);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	double t0 = now_ms();

	if (!out || !in || fd < 0)
		return fail("setup");
	for (int i = 0; i < count; i++) {
		fill(out, size, (unsigned)i);
		ssize_t n = -1;
		/* UDP may lose a datagram: up to 3 tries, each waiting TIMEOUT_MS / 3. */
		for (int try = 0; try < 3 && n < 0; try++) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			if (sendto(fd, out, size, 0, (struct sockaddr *)&peer, sizeof peer) != (ssize_t)size)
				return fail("sendto");
			if (poll(&p, 1, TIMEOUT_MS / 3) == 1)
				n = recv(fd, in, size + 1, 0);
		}
		errno = 0;
		if (n != (ssize_t)size || memcmp(in, out, size))
			return fail(n < 0 ? "no echo" : "echoed datagram differs");
	}
	printf("udp: %d x %zu bytes echoed intact, %.0f us per round trip\n", count, size,
	       (now_ms() - t0) * 1e3 / count);
	return 0;
}

struct conn {
	int fd;
	size_t sent, got;
	unsigned char *out;
};

static int tcp_connect_nb(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&peer, sizeof peer) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Drives every connection with poll: send, read back, compare; bounded by TIMEOUT_MS. */
static int tcp_run(struct conn *c, int n, size_t size)
{
	struct pollfd p[MAX_CONNS];
	unsigned char *in = malloc(size);
	double deadline = now_ms() + TIMEOUT_MS;
	int done = 0;

	if (!in)
		return fail("malloc");
	while (done < n) {
		int np = 0, map[MAX_CONNS];
		for (int i = 0; i < n; i++) {
			if (c[i].got == size)
				continue;
			p[np] = (struct pollfd){ .fd = c[i].fd, .events = POLLIN | (c[i].sent < size ? POLLOUT : 0) };
			map[np++] = i;
		}
		int left = (int)(deadline - now_ms());
		if (left <= 0 || poll(p, (nfds_t)np, left) <= 0) {
			errno = ETIMEDOUT;
			return fail("tcp echo");
		}
		for (int k = 0; k < np; k++) {
			struct conn *x = &c[map[k]];
			if ((p[k].revents & POLLOUT) && x->sent < size) {
				ssize_t w = send(x->fd, x->out + x->sent, size - x->sent, MSG_NOSIGNAL);
				if (w < 0 && errno != EAGAIN)
					return fail("send");
				x->sent += w > 0 ? (size_t)w : 0;
			}
			if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t r = recv(x->fd, in, size - x->got, 0);
				if (r < 0 && errno == EAGAIN)
					continue;
				if (r == 0)
					errno = 0;
				if (r <= 0)
					return fail(r ? "recv" : "connection closed early");
				errno = 0;
				if (memcmp(in, x->out + x->got, (size_t)r))
					return fail("echoed stream differs");
				if ((x->got += (size_t)r) == size)
					done++;
			}
		}
	}
	free(in);
	return 0;
}

static int tcp_test(size_t size, int clients, int idle)
{
	static struct conn c[MAX_CONNS];
	int idle_fd[MAX_CONNS];
	double t0;

	if (clients < 1 || clients + idle > MAX_CONNS)
		return errno = EINVAL, fail("arguments");
	for (int i = 0; i < idle; i++)
		if ((idle_fd[i] = tcp_connect_nb()) < 0)
			return fail("idle connect");
	t0 = now_ms();
	for (int i = 0; i < clients; i++) {
		c[i] = (struct conn){ .fd = tcp_connect_nb(), .out = malloc(size) };
		if (c[i].fd < 0 || !c[i].out)
			return fail("connect");
		fill(c[i].out, size, 1000u + (unsigned)i);
	}
	if (tcp_run(c, clients, size))
		return 1;
	printf("tcp: %d clients x %zu bytes echoed intact in %.1f ms", clients, size, now_ms() - t0);
	printf(idle ? ", %d idle clients connected meanwhile\n" : "\n", idle);
	for (int i = 0; i < clients; i++)
		close(c[i].fd);
	for (int i = 0; i < idle; i++)
		close(idle_fd[i]);
	return 0;
}

static int refused_test(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = { .tv_sec = TIMEOUT_MS / 1000 };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&peer, sizeof peer) == 0)
		return errno = 0, fail("connect to a closed port succeeded");
	if (errno != ECONNREFUSED)
		return fail("connect to a closed port");
	printf("refused: connect failed with ECONNREFUSED\n");
	close(fd);
	return 0;
}

/* The other direction: the container connects out, sends, and exits. */
static int sink_test(size_t size)
{
	unsigned char *want = malloc(size), *got = malloc(size + 1);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0), fd;
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	size_t n = 0;

	if (!want || !got || lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(lfd, (struct sockaddr *)&peer, sizeof peer) || listen(lfd, 1))
		return fail("listen");
	printf("sink: listening\n");
	fflush(stdout);
	if (poll(&p, 1, TIMEOUT_MS) != 1 || (fd = accept(lfd, NULL, NULL)) < 0)
		return fail("accept");
	fill(want, size, 7);
	for (;;) {
		p = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (poll(&p, 1, TIMEOUT_MS) != 1)
			return errno = ETIMEDOUT, fail("recv");
		ssize_t r = recv(fd, got + n, size + 1 - n, 0);
		if (r < 0)
			return fail("recv");
		if (r == 0)
			break;
		if ((n += (size_t)r) > size)
			return errno = 0, fail("more bytes than sent");
	}
	errno = 0;
	if (n != size || memcmp(got, want, size))
		return fail("received stream differs");
	printf("sink: %zu bytes received intact, then EOF\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: net_client udp|tcp|refused|sink HOST PORT [SIZE [COUNT [IDLE]]]\n");
		return 2;
	}
	peer.sin_family = AF_INET;
	peer.sin_port = htons((uint16_t)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &peer.sin_addr) != 1) {
		fprintf(stderr, "net_client: bad address %s\n", argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "refused"))
		return refused_test();
	if (argc < 6 && strcmp(argv[1], "sink"))
		return fprintf(stderr, "net_client: SIZE and COUNT needed\n"), 2;
	if (!strcmp(argv[1], "sink") && argc == 5)
		return sink_test(strtoul(argv[4], NULL, 0));
	size_t size = strtoul(argv[4], NULL, 0);
	int count = atoi(argv[5]);
	if (!strcmp(argv[1], "udp"))
		return udp_test(size, count);
	if (!strcmp(argv[1], "tcp"))
		return tcp_test(size, count, argc > 6 ? atoi(argv[6]) : 0);
	fprintf(stderr, "net_client: unknown test %s\n", argv[1]);
	return 2;
}
