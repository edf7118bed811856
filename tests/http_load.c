/* SPDX-License-Identifier: ISC */
/*
 * http_load: hostile and heavy HTTP clients for the web server tests
 * (tests/httpd.sh) and its benchmark (bench/run), each bounded in count and time.
 *
 *   http_load PORT oversized       one request line of 70 KB: prints the status line
 *   http_load PORT halfclose N     N connections that send half a request, shut
 *                                  their write side and close without reading
 *   http_load PORT get MS          one GET / that must be answered within MS ms
 *   http_load PORT close N [S]     N sequential short connections, each one
 *                                  "Connection: close" GET / read to the end; at
 *                                  most S seconds in all (default 120)
 *
 * Every connection is to 127.0.0.1:PORT. Prints one line per check; exits 0
 * when it passed. `close` also prints the rate (bench/run reads it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OVERSIZED    70000   /* bytes of the request line's path */
#define CONNECT_MS   5000    /* per connection, also per read or write */
#define HALF_REQUEST "GET / HT"

static struct sockaddr_in peer;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A blocking socket connected to the server, with every call bounded; -1 on failure. */
static int dial(int ms)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&peer, sizeof peer)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads the answer until the server closes (or buf is full); the status code, or -1. */
static int read_status(int fd, char *buf, size_t size, size_t *got)
{
	int status;

	*got = 0;
	while (*got + 1 < size) {
		ssize_t n = recv(fd, buf + *got, size - 1 - *got, 0);
		if (n <= 0)
			break;
		*got += (size_t)n;
	}
	buf[*got] = 0;
	return sscanf(buf, "HTTP/1.%*d %d", &status) == 1 ? status : -1;
}

static int oversized(void)
{
	size_t len = OVERSIZED + 32, got;
	char *req = malloc(len), answer[512];
	int fd = dial(CONNECT_MS), n;

	if (!req || fd < 0)
		return printf("oversized: cannot connect: %s\n", strerror(errno)), 1;
	n = snprintf(req, len, "GET /");
	memset(req + n, 'a', OVERSIZED);
	n += OVERSIZED;
	n += snprintf(req + n, len - (size_t)n, " HTTP/1.1\r\n\r\n");
	/* The server may answer and close before it has read it all: a reset is fine. */
	send_all(fd, req, (size_t)n);
	int status = read_status(fd, answer, sizeof answer, &got);
	close(fd);
	free(req);
	printf("oversized: %d\n", status);
	return status == 431 ? 0 : 1;
}

static int halfclose(long count)
{
	long done = 0;

	for (long i = 0; i < count; i++) {
		int fd = dial(CONNECT_MS);
		if (fd < 0)
			break;
		if (!send_all(fd, HALF_REQUEST, strlen(HALF_REQUEST)) && !shutdown(fd, SHUT_WR))
			done++;
		close(fd);
	}
	printf("halfclosed %ld/%ld\n", done, count);
	return done == count ? 0 : 1;
}

static const char get_close[] = "GET / HTTP/1.1\r\nHost: hako\r\nConnection: close\r\n\r\n";

/* One short connection: 1 if it was answered 200 to the end. */
static int one_get(int ms)
{
	char answer[4096];
	size_t got;
	int fd = dial(ms), status;

	if (fd < 0)
		return 0;
	status = send_all(fd, get_close, sizeof get_close - 1) ? -1 :
		 read_status(fd, answer, sizeof answer, &got);
	close(fd);
	return status == 200;
}

static int get(int ms)
{
	double t0 = now_ms();
	int ok = one_get(ms);

	if (ok && now_ms() - t0 <= ms)
		return printf("get: 200 within %d ms\n", ms), 0;
	return printf("get: no answer within %d ms\n", ms), 1;
}

static int close_run(long count, double limit_s)
{
	double t0 = now_ms(), deadline = t0 + limit_s * 1e3, t;
	long ok = 0, i;

	for (i = 0; i < count && now_ms() < deadline; i++)
		ok += one_get(CONNECT_MS);
	t = (now_ms() - t0) / 1e3;
	printf("close %ld/%ld answered\n", ok, count);
	printf("rate %.0f requests/s (%ld in %.2f s)\n", t > 0 ? i / t : 0, i, t);
	return ok == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";
	long n = argc > 3 ? strtol(argv[3], NULL, 10) : 0;

	peer = (struct sockaddr_in){ .sin_family = AF_INET,
				     .sin_port = htons((uint16_t)atoi(argc > 1 ? argv[1] : "0")),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (!strcmp(what, "oversized") && argc == 3)
		return oversized();
	if (!strcmp(what, "halfclose") && argc == 4 && n > 0 && n <= 100000)
		return halfclose(n);
	if (!strcmp(what, "get") && argc == 4 && n > 0 && n <= 60000)
		return get((int)n);
	if (!strcmp(what, "close") && (argc == 4 || argc == 5) && n > 0 && n <= 1000000)
		return close_run(n, argc == 5 ? atof(argv[4]) : 120);
	fprintf(stderr, "usage: http_load PORT oversized | halfclose N | get MS | close N [S]\n");
	return 2;
}
