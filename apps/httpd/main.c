/* SPDX-License-Identifier: ISC */
/*
 * httpd: a small static-file web server for hako containers. Ordinary C
 * over BSD sockets and files: one poll() loop, non-blocking connections,
 * HTTP/1.1 keep-alive, bounded requests, one access-log line per request.
 *   httpd [-p PORT] [-r ROOT] [-c MAX-CONNECTIONS]
 * Every connection has a deadline: a request head must arrive whole within
 * HEAD_TIMEOUT of its first byte, an idle keep-alive connection and a
 * client that stops reading are closed after IDLE_TIMEOUT. So a client
 * that sends nothing, or sends slowly, never holds up the others.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

#define REQ_MAX      8192  /* bytes of one request head */
#define BODY_CHUNK   16384
#define DRAIN_MAX    (1 << 20) /* request body bytes we read and discard */
#define HEAD_TIMEOUT 10000 /* ms to send a whole request head */
#define IDLE_TIMEOUT 15000 /* ms a keep-alive connection may idle */
#define LINGER_MS    2000  /* ms to read and drop input after a closing answer */
#define CONN_MAX     1024

struct conn {
	int fd;
	char peer[INET_ADDRSTRLEN];
	long long deadline;       /* ms: close if nothing happens by then */
	char in[REQ_MAX];         /* request bytes not yet consumed */
	size_t in_len;
	long long drain;          /* request body bytes still to discard */
	char out[BODY_CHUNK];     /* response bytes not yet sent */
	size_t out_len, out_off;
	int file;                 /* body still to read from, or -1 */
	long long file_left;
	int responding;           /* a response is under way */
	int close_after;          /* close once it is sent */
	int lingering;            /* answer sent, write side shut: dropping input */
};

static const char *root = "";
static struct conn *conns[CONN_MAX];
static int max_conns = 256;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void conn_close(int i)
{
	struct conn *c = conns[i];

	if (c->file >= 0)
		close(c->file);
	close(c->fd);
	free(c);
	conns[i] = NULL;
}

static void log_line(const struct conn *c, const struct http_req *req, int status, long long bytes)
{
	if (req)
		printf("%s \"%s %s HTTP/1.%d\" %d %lld\n", c->peer, req->method_name, req->path,
		       req->minor, status, bytes);
	else
		printf("%s \"-\" %d %lld\n", c->peer, status, bytes);
}

/* Queue a response head; the body follows from c->file (or a short text). */
static void respond(struct conn *c, const struct http_req *req, int status, const char *type,
		    long long length, const char *extra, const char *text)
{
	int head_only = req && req->method == HTTP_HEAD;

	c->out_off = 0;
	c->out_len = (size_t)snprintf(c->out, sizeof(c->out),
		"HTTP/1.1 %d %s\r\nServer: hako-httpd\r\nContent-Type: %s\r\n"
		"Content-Length: %lld\r\nConnection: %s\r\n%s\r\n",
		status, http_reason(status), type, length, c->close_after ? "close" : "keep-alive",
		extra ? extra : "");
	if (text && !head_only && c->out_len + strlen(text) < sizeof(c->out)) {
		memcpy(c->out + c->out_len, text, strlen(text));
		c->out_len += strlen(text);
	}
	if (head_only && c->file >= 0) {
		close(c->file);
		c->file = -1;
	}
	c->file_left = c->file >= 0 ? length : 0;
	c->responding = 1;
	c->deadline = now_ms() + IDLE_TIMEOUT;
	log_line(c, req, status, head_only ? 0 : length);
}

static void respond_error(struct conn *c, const struct http_req *req, int status, const char *extra)
{
	char body[160];

	snprintf(body, sizeof(body), "<!doctype html><title>%d</title><h1>%d %s</h1>\n", status,
		 status, http_reason(status));
	respond(c, req, status, "text/html; charset=utf-8", (long long)strlen(body), extra, body);
}

/* Answer a parsed GET or HEAD from the file system. */
static void serve(struct conn *c, const struct http_req *req)
{
	char path[HTTP_PATH_MAX + 64], location[HTTP_PATH_MAX + 32];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, req->path);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (req->path[strlen(req->path) - 1] != '/') {
			snprintf(location, sizeof(location), "Location: %s/\r\n", req->path);
			respond_error(c, req, 301, location);
			return;
		}
		strncat(path, "index.html", sizeof(path) - strlen(path) - 1);
	}
	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		respond_error(c, req, errno == EACCES ? 403 : 404, NULL);
		return;
	}
	c->file = fd;
	respond(c, req, 200, http_mime(path), (long long)st.st_size, NULL, NULL);
}

/* Handle the request at the start of c->in if it is complete. 1 if one was handled. */
static int handle_request(struct conn *c)
{
	struct http_req req;
	int n = http_parse(c->in, c->in_len, sizeof(c->in), &req);

	if (n == 0)
		return 0;
	if (n < 0) {
		c->close_after = 1;
		respond_error(c, NULL, -n, NULL);
		return 1;
	}
	memmove(c->in, c->in + n, c->in_len - (size_t)n);
	c->in_len -= (size_t)n;
	c->close_after = !req.keep_alive;
	if (req.chunked) {
		c->close_after = 1;
		respond_error(c, &req, 501, NULL);
	} else if (req.content_length > DRAIN_MAX) {
		c->close_after = 1;
		respond_error(c, &req, 400, NULL);
	} else {
		/* A body we do not want is read and dropped, so keep-alive still works. */
		size_t have = 0;
		c->drain = req.content_length > 0 ? req.content_length : 0;
		have = c->drain < (long long)c->in_len ? (size_t)c->drain : c->in_len;
		memmove(c->in, c->in + have, c->in_len - have);
		c->in_len -= have;
		c->drain -= (long long)have;
		if (req.method == HTTP_OTHER)
			respond_error(c, &req, 405, "Allow: GET, HEAD\r\n");
		else
			serve(c, &req);
	}
	return 1;
}

/* Read what the client sent; 0 to keep the connection, -1 to close it. */
static int on_readable(struct conn *c)
{
	for (;;) {
		char scratch[4096];
		char *dst = c->drain ? scratch : c->in + c->in_len;
		size_t room = c->drain ? (size_t)(c->drain < (long long)sizeof(scratch) ? c->drain : (long long)sizeof(scratch))
				       : sizeof(c->in) - c->in_len;
		ssize_t n;

		if (room == 0)
			break; /* head buffer full: handle_request() answers 431 */
		n = recv(c->fd, dst, room, 0);
		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		if (c->drain)
			c->drain -= n;
		else
			c->in_len += (size_t)n;
		if (c->in_len == (size_t)n && !c->drain)
			c->deadline = now_ms() + HEAD_TIMEOUT; /* first bytes of a head */
	}
	return 0;
}

/*
 * After an answer that closes the connection, shut the write side and read
 * what the client is still sending for a while: closing with unread input
 * would make the kernel reset the connection and the client could lose
 * the answer (a 431 to an oversized request, say).
 */
static int linger(struct conn *c)
{
	if (shutdown(c->fd, SHUT_WR))
		return -1;
	c->lingering = 1;
	c->deadline = now_ms() + LINGER_MS;
	return 0;
}

static int drop_input(struct conn *c)
{
	char scratch[4096];
	ssize_t n;

	while ((n = recv(c->fd, scratch, sizeof(scratch), 0)) > 0)
		;
	return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ? -1 : 0;
}

/* Send what is queued, refilling from the file; 0 to keep, -1 to close. */
static int on_writable(struct conn *c)
{
	while (c->responding) {
		if (c->out_off == c->out_len) {
			ssize_t r = 0;
			c->out_off = c->out_len = 0;
			if (c->file >= 0 && c->file_left > 0)
				r = read(c->file, c->out, sizeof(c->out));
			if (r < 0)
				return -1;
			if (r == 0) { /* response done */
				if (c->file >= 0)
					close(c->file);
				c->file = -1;
				c->responding = 0;
				if (c->close_after)
					return linger(c);
				c->deadline = now_ms() + IDLE_TIMEOUT;
				break;
			}
			c->out_len = (size_t)r;
			c->file_left -= r;
		}
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		c->out_off += (size_t)n;
		c->deadline = now_ms() + IDLE_TIMEOUT; /* the client is reading: progress */
	}
	return 0;
}

static void accept_all(int lfd)
{
	for (;;) {
		struct sockaddr_in sa;
		socklen_t len = sizeof(sa);
		int fd = accept4(lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC), i;
		struct conn *c;

		if (fd < 0)
			return;
		for (i = 0; i < max_conns && conns[i]; i++)
			;
		if (i == max_conns || !(c = malloc(sizeof(*c)))) {
			close(fd); /* full: the client sees the connection closed */
			continue;
		}
		*c = (struct conn){ .fd = fd, .file = -1, .deadline = now_ms() + IDLE_TIMEOUT };
		inet_ntop(AF_INET, &sa.sin_addr, c->peer, sizeof(c->peer));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
		conns[i] = c;
	}
}

static int listen_on(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 128)) {
		perror("httpd: listen");
		exit(1);
	}
	return fd;
}

/* One pass over every connection: read, answer, write, time out. */
static void step(struct pollfd *pfd, int *map, int n)
{
	long long now = now_ms();

	for (int k = 1; k < n; k++) {
		int i = map[k];
		struct conn *c = conns[i];
		int bad = pfd[k].revents & (POLLERR | POLLNVAL);

		if (c->lingering) {
			if ((pfd[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL) && drop_input(c)) ||
			    now >= c->deadline)
				conn_close(i);
			continue;
		}
		if (!bad && (pfd[k].revents & (POLLIN | POLLHUP)) && on_readable(c))
			bad = 1;
		while (!bad && !c->responding && !c->drain && !c->lingering && handle_request(c))
			bad = on_writable(c) < 0;
		if (!bad && c->responding && on_writable(c))
			bad = 1;
		if (!bad && now >= c->deadline)
			bad = 1; /* slow head, idle keep-alive, or a client that stopped reading */
		if (bad)
			conn_close(i);
	}
}

int main(int argc, char **argv)
{
	static struct pollfd pfd[CONN_MAX + 1];
	static int map[CONN_MAX + 1];
	int port = 80, opt, lfd;

	while ((opt = getopt(argc, argv, "p:r:c:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'r': root = strcmp(optarg, "/") ? optarg : ""; break;
		case 'c': max_conns = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: httpd [-p PORT] [-r ROOT] [-c MAX-CONNECTIONS]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535 || max_conns <= 0 || max_conns > CONN_MAX) {
		fprintf(stderr, "httpd: bad port or connection limit\n");
		return 2;
	}
	/* The access log is written out whenever the server is about to wait:
	 * one write per burst of requests, not one per request. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	lfd = listen_on(port);
	printf("httpd: serving %s on port %d\n", *root ? root : "/", port);
	for (;;) {
		long long now = now_ms(), next = now + IDLE_TIMEOUT;
		int n = 1;

		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < max_conns; i++) {
			struct conn *c = conns[i];
			if (!c)
				continue;
			pfd[n] = (struct pollfd){ .fd = c->fd, .events = c->responding ? POLLOUT : POLLIN };
			map[n++] = i;
			if (c->deadline < next)
				next = c->deadline;
		}
		fflush(stdout);
		if (poll(pfd, (nfds_t)n, (int)(next > now ? next - now : 0)) < 0 && errno != EINTR) {
			perror("httpd: poll");
			return 1;
		}
		if (pfd[0].revents & POLLIN)
			accept_all(lfd);
		step(pfd, map, n);
	}
}
