/* SPDX-License-Identifier: ISC */
/*
 * tcp-echo: echoes everything each client sends, many clients at once with
 * poll() and non-blocking sockets. Usage: tcp-echo [PORT] (default 7).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 512
#define BUF_SIZE    (64 << 10)

struct client {
	int fd;
	size_t head, tail; /* bytes [head, tail) of buf are still to be echoed */
	int eof;           /* the client finished sending */
	char *buf;
};

static struct client clients[MAX_CLIENTS];
static struct pollfd pfds[MAX_CLIENTS + 1];
static int nclients;

static int listen_on(int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 128) < 0) {
		fprintf(stderr, "tcp-echo: port %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

static void drop(int i)
{
	close(clients[i].fd);
	free(clients[i].buf);
	clients[i] = clients[--nclients];
}

static void accept_all(int lfd)
{
	int fd, one = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		char *buf = malloc(BUF_SIZE);
		if (nclients == MAX_CLIENTS || !buf) {
			free(buf);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		clients[nclients++] = (struct client){ .fd = fd, .buf = buf };
	}
	if (errno != EAGAIN)
		fprintf(stderr, "tcp-echo: accept: %s\n", strerror(errno));
}

/* Reads what fits, writes what is pending; 0 when the client is done or failed. */
static int serve(struct client *c, short revents)
{
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && !c->eof && c->tail < BUF_SIZE) {
		ssize_t n = read(c->fd, c->buf + c->tail, BUF_SIZE - c->tail);
		if (n > 0)
			c->tail += (size_t)n;
		else if (n == 0)
			c->eof = 1;
		else if (errno != EAGAIN)
			return 0;
	}
	if (c->head < c->tail) {
		ssize_t n = write(c->fd, c->buf + c->head, c->tail - c->head);
		if (n > 0)
			c->head += (size_t)n;
		else if (n < 0 && errno != EAGAIN)
			return 0;
		if (c->head == c->tail)
			c->head = c->tail = 0;
	}
	return !(c->eof && c->head == c->tail);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	int lfd = listen_on(port);

	printf("tcp-echo: listening on tcp port %d\n", port);
	for (;;) {
		pfds[0] = (struct pollfd){ .fd = lfd, .events = nclients < MAX_CLIENTS ? POLLIN : 0 };
		for (int i = 0; i < nclients; i++) {
			struct client *c = &clients[i];
			short ev = (!c->eof && c->tail < BUF_SIZE ? POLLIN : 0) | (c->head < c->tail ? POLLOUT : 0);
			pfds[i + 1] = (struct pollfd){ .fd = c->fd, .events = ev };
		}
		int n = nclients;
		if (poll(pfds, (nfds_t)n + 1, -1) < 0) {
			fprintf(stderr, "tcp-echo: poll: %s\n", strerror(errno));
			return 1;
		}
		/* Backwards: drop() moves the last client into the freed slot. */
		for (int i = n - 1; i >= 0; i--)
			if (pfds[i + 1].revents && !serve(&clients[i], pfds[i + 1].revents))
				drop(i);
		if (pfds[0].revents & POLLIN)
			accept_all(lfd);
	}
}
