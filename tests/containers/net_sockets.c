/* SPDX-License-Identifier: ISC */
/*
 * net_sockets: the libOS's BSD sockets over its loopback interface, no
 * network needed: errors as Linux gives them, blocking and non-blocking
 * TCP, refused connections, resets, poll/select, options, UDP up to 64 KiB.
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
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define EXPECT(cond, what)                                                           \
	do {                                                                         \
		if (!(cond)) {                                                       \
			printf("net_sockets FAILED: %s (line %d, errno %d %s)\n", what, \
			       __LINE__, errno, strerror(errno));                    \
			failures++;                                                  \
		}                                                                    \
	} while (0)

static struct sockaddr_in lo(int port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port; *port gets it. */
static int listener(int *port, int flags)
{
	struct sockaddr_in a = lo(0);
	socklen_t len = sizeof a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | flags, 0);

	EXPECT(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "SO_REUSEADDR");
	EXPECT(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "bind 127.0.0.1:0");
	EXPECT(listen(fd, 64) == 0, "listen");
	EXPECT(getsockname(fd, (struct sockaddr *)&a, &len) == 0 && len == sizeof a && a.sin_port,
	       "getsockname gives the ephemeral port");
	*port = ntohs(a.sin_port);
	return fd;
}

static void check_errors(void)
{
	struct sockaddr_in a = lo(1);
	int fd;

	errno = 0;
	EXPECT(socket(AF_INET6, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "AF_INET6 is EAFNOSUPPORT");
	EXPECT(socket(AF_INET, 99, 0) == -1 && errno == EINVAL, "bad type is EINVAL");
	EXPECT(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) == -1 && errno == EPROTONOSUPPORT,
	       "TCP with IPPROTO_UDP is EPROTONOSUPPORT");
	EXPECT(bind(1, (struct sockaddr *)&a, sizeof a) == -1 && errno == ENOTSOCK, "bind(stdout) is ENOTSOCK");
	EXPECT(bind(99, (struct sockaddr *)&a, sizeof a) == -1 && errno == EBADF, "bind(99) is EBADF");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT(fd >= 3, "a socket gets a descriptor above the console's");
	struct stat st;
	EXPECT(fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode), "fstat says socket");
	EXPECT(bind(fd, NULL, sizeof a) == -1 && errno == EFAULT, "bind(NULL) is EFAULT");
	EXPECT(bind(fd, (struct sockaddr *)&a, 4) == -1 && errno == EINVAL, "short address is EINVAL");
	a.sin_family = AF_UNIX;
	EXPECT(bind(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == EAFNOSUPPORT, "AF_UNIX address");
	a = lo(1);
	a.sin_addr.s_addr = inet_addr("10.1.2.3");
	EXPECT(bind(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == EADDRNOTAVAIL,
	       "bind to a foreign address is EADDRNOTAVAIL");
	EXPECT(send(fd, "x", 1, 0) == -1 && errno == ENOTCONN, "send unconnected is ENOTCONN");
	EXPECT(recv(fd, NULL, 1, 0) == -1 && errno == EFAULT, "recv into NULL is EFAULT");
	int v, len = 2;
	EXPECT(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, (socklen_t *)&len) == 0 && len == 2,
	       "getsockopt truncates to the caller's length");
	EXPECT(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, 2) == -1 && errno == EINVAL, "short optlen");
	EXPECT(setsockopt(fd, SOL_SOCKET, 12345, &v, sizeof v) == -1 && errno == ENOPROTOOPT,
	       "unknown option is ENOPROTOOPT");
	EXPECT(close(fd) == 0 && close(fd) == -1 && errno == EBADF, "close twice is EBADF");
}

static void check_refused(void)
{
	struct sockaddr_in a = lo(9); /* nothing listens on 9 */
	struct pollfd p;
	int err = 0, fd = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t len = sizeof err;

	EXPECT(connect(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == ECONNREFUSED,
	       "blocking connect to a closed port is ECONNREFUSED");
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	EXPECT(connect(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == EINPROGRESS,
	       "non-blocking connect is EINPROGRESS");
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	EXPECT(poll(&p, 1, 1000) == 1 && (p.revents & POLLERR), "refused connect polls POLLERR");
	EXPECT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED,
	       "SO_ERROR is ECONNREFUSED");
	EXPECT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "SO_ERROR clears");
	close(fd);
}

/* A connected pair through the listener: *c is the client (non-blocking), returns the server side. */
static int pair(int lfd, int port, int *c)
{
	struct sockaddr_in a = lo(port);
	struct pollfd p;
	int s;

	*c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	EXPECT(connect(*c, (struct sockaddr *)&a, sizeof a) == -1 && errno == EINPROGRESS, "connect");
	p = (struct pollfd){ .fd = *c, .events = POLLOUT };
	EXPECT(poll(&p, 1, 1000) == 1 && p.revents == POLLOUT, "connected client polls POLLOUT only");
	s = accept(lfd, NULL, NULL);
	EXPECT(s >= 0, "accept");
	return s;
}

static void check_tcp(void)
{
	static char out[32768], in[32768];
	int port, c, lfd = listener(&port, 0);
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	double t;

	struct sockaddr_in same = lo(port);
	int busy = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT(bind(busy, (struct sockaddr *)&same, sizeof same) == -1 && errno == EADDRINUSE,
	       "binding the listener's port again is EADDRINUSE");
	close(busy);

	int s = pair(lfd, port, &c);
	EXPECT(getpeername(s, (struct sockaddr *)&a, &len) == 0 && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	       "getpeername on the accepted socket");
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = (char)(i * 7 + i / 256);
	/* 32 KB each way: the client is non-blocking, so loop the two halves by hand. */
	size_t sent = 0, got = 0;
	for (int round = 0; round < 1000 && got < sizeof in; round++) {
		ssize_t n = send(c, out + sent, sizeof out - sent, 0);
		if (n > 0)
			sent += (size_t)n;
		n = recv(s, in + got, sizeof in - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
	}
	EXPECT(sent == sizeof out && got == sizeof in && !memcmp(in, out, sizeof in), "32 KB client -> server");
	EXPECT(send(s, out, sizeof out, 0) == (ssize_t)sizeof out, "blocking send of 32 KB");
	EXPECT(fcntl(c, F_SETFL, 0) == 0 && !(fcntl(c, F_GETFL) & O_NONBLOCK), "F_SETFL clears O_NONBLOCK");
	memset(in, 0, sizeof in);
	EXPECT(recv(c, in, sizeof in, MSG_WAITALL) == (ssize_t)sizeof in && !memcmp(in, out, sizeof in),
	       "MSG_WAITALL gets the 32 KB back");

	int avail = 0, on = 1;
	EXPECT(send(c, "hello", 5, 0) == 5, "send 5");
	struct pollfd p = { .fd = s, .events = POLLIN };
	EXPECT(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "POLLIN on data");
	EXPECT(ioctl(s, FIONREAD, &avail) == 0 && avail == 5, "FIONREAD counts 5");
	EXPECT(recv(s, in, 2, MSG_PEEK) == 2 && !memcmp(in, "he", 2), "MSG_PEEK");
	EXPECT(read(s, in, sizeof in) == 5 && !memcmp(in, "hello", 5), "read after peek");
	EXPECT(ioctl(s, FIONBIO, &on) == 0 && recv(s, in, 1, 0) == -1 && errno == EAGAIN,
	       "FIONBIO then empty recv is EAGAIN");

	struct timeval tv = { .tv_usec = 100000 };
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
	EXPECT(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "SO_RCVTIMEO");
	t = now_ms();
	EXPECT(recv(s, in, 1, 0) == -1 && errno == EAGAIN && now_ms() - t >= 95, "recv times out after 100 ms");

	int nd = 0;
	len = sizeof nd;
	EXPECT(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0 &&
	       getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nd, &len) == 0 && nd == 1, "TCP_NODELAY round trip");

	/* dup: the socket lives until its last descriptor closes. */
	int d = dup(c);
	EXPECT(d > c && close(c) == 0 && write(d, "x", 1) == 1 && recv(s, in, 1, 0) == 1, "dup keeps it open");

	EXPECT(shutdown(d, SHUT_WR) == 0, "shutdown(SHUT_WR)");
	p = (struct pollfd){ .fd = s, .events = POLLIN | POLLRDHUP };
	EXPECT(poll(&p, 1, 1000) == 1 && (p.revents & POLLRDHUP), "the peer's FIN polls POLLRDHUP");
	EXPECT(recv(s, in, 1, 0) == 0, "recv after FIN is 0");
	EXPECT(send(d, "x", 1, 0) == -1 && errno == EPIPE, "send after SHUT_WR is EPIPE");
	EXPECT(send(s, "bye", 3, 0) == 3 && recv(d, in, 3, MSG_WAITALL) == 3, "half-closed: other way works");
	close(s);
	close(d);

	/* Closing with unread data resets the connection, as Linux does. */
	s = pair(lfd, port, &c);
	EXPECT(send(c, "unread", 6, 0) == 6, "send unread");
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	poll(&p, 1, 1000);
	close(s);
	p = (struct pollfd){ .fd = c, .events = POLLIN };
	EXPECT(poll(&p, 1, 1000) == 1 && (p.revents & (POLLERR | POLLHUP)), "reset polls POLLERR|POLLHUP");
	EXPECT(recv(c, in, 1, 0) == -1 && errno == ECONNRESET, "recv after reset is ECONNRESET");
	EXPECT(send(c, "x", 1, 0) == -1 && errno == EPIPE, "send after reset is EPIPE");
	close(c);

	/* accept on an empty non-blocking listener; select sees a pending one. */
	int nb = 1;
	ioctl(lfd, FIONBIO, &nb);
	EXPECT(accept(lfd, NULL, NULL) == -1 && errno == EAGAIN, "accept with none pending is EAGAIN");
	struct sockaddr_in to = lo(port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT(connect(c, (struct sockaddr *)&to, sizeof to) == 0, "blocking connect");
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(lfd, &rs);
	struct timeval zero = { 1, 0 };
	EXPECT(select(lfd + 1, &rs, NULL, NULL, &zero) == 1 && FD_ISSET(lfd, &rs), "select: listener readable");
	s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	EXPECT(s >= 0 && fcntl(s, F_GETFD) == FD_CLOEXEC, "accept4 SOCK_CLOEXEC");
	close(s);
	close(c);
	close(lfd);
}

/* Many connections at once, one of them idle, all through one listener and poll(). */
static void check_many(void)
{
	enum { N = 30 };
	int port, lfd = listener(&port, 0), c[N], s[N];
	char buf[16];

	for (int i = 0; i < N; i++)
		s[i] = pair(lfd, port, &c[i]);
	for (int i = 1; i < N; i++) /* c[0] stays idle */
		send(c[i], &i, sizeof i, 0);
	int ok = 0;
	for (int i = 1; i < N; i++) {
		int v = -1;
		struct pollfd p = { .fd = s[i], .events = POLLIN };
		if (poll(&p, 1, 1000) == 1 && recv(s[i], &v, sizeof v, 0) == sizeof v && v == i)
			ok++;
	}
	EXPECT(ok == N - 1, "29 busy connections served while one stays idle");
	struct pollfd idle = { .fd = s[0], .events = POLLIN };
	double t = now_ms();
	EXPECT(poll(&idle, 1, 50) == 0 && now_ms() - t >= 45, "poll on the idle one times out (50 ms)");
	struct linger now = { .l_onoff = 1, .l_linger = 0 };
	EXPECT(setsockopt(c[0], SOL_SOCKET, SO_LINGER, &now, sizeof now) == 0 && close(c[0]) == 0,
	       "SO_LINGER 0 close");
	idle = (struct pollfd){ .fd = s[0], .events = POLLIN };
	EXPECT(poll(&idle, 1, 1000) == 1 && recv(s[0], buf, sizeof buf, 0) == -1 && errno == ECONNRESET,
	       "SO_LINGER 0 resets the connection");
	for (int i = 1; i < N; i++)
		close(c[i]);
	for (int i = 0; i < N; i++)
		close(s[i]);
	EXPECT(setsockopt(lfd, SOL_SOCKET, SO_LINGER, &now, sizeof now) == 0 && close(lfd) == 0,
	       "SO_LINGER 0 on a listener closes it");
}

static void check_udp(void)
{
	static char out[65507], in[65536];
	struct sockaddr_in a = lo(0), from;
	socklen_t len = sizeof a;
	int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);

	EXPECT(bind(r, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(r, (struct sockaddr *)&a, &len) == 0,
	       "udp bind");
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = (char)(i * 13 + i / 1000);
	size_t sizes[] = { 1, 1472, 1473, 32768, sizeof out };
	for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		len = sizeof from;
		EXPECT(sendto(w, out, sizes[k], 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)sizes[k], "sendto");
		EXPECT(recvfrom(r, in, sizeof in, 0, (struct sockaddr *)&from, &len) == (ssize_t)sizes[k] &&
		       !memcmp(in, out, sizes[k]) && len == sizeof from && from.sin_port,
		       "datagram comes back whole");
	}
	EXPECT(sendto(w, out, 65508, 0, (struct sockaddr *)&a, sizeof a) == -1 && errno == EMSGSIZE,
	       "65508 bytes is EMSGSIZE");
	EXPECT(send(w, out, 10, 0) == -1 && errno == EDESTADDRREQ, "send unconnected is EDESTADDRREQ");

	sendto(w, out, 100, 0, (struct sockaddr *)&a, sizeof a);
	EXPECT(recv(r, in, 10, MSG_PEEK | MSG_TRUNC) == 100, "MSG_TRUNC returns the real length");
	struct iovec iov = { in, 10 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	EXPECT(recvmsg(r, &m, 0) == 10 && (m.msg_flags & MSG_TRUNC), "recvmsg flags MSG_TRUNC");

	EXPECT(connect(w, (struct sockaddr *)&a, sizeof a) == 0 && send(w, "ping", 4, 0) == 4, "udp connect + send");
	struct pollfd p = { .fd = r, .events = POLLIN };
	EXPECT(poll(&p, 1, 1000) == 1 && recv(r, in, sizeof in, 0) == 4, "udp poll + recv");
	p = (struct pollfd){ .fd = r, .events = POLLIN };
	EXPECT(poll(&p, 1, 0) == 0, "nothing more");
	close(r);
	close(w);
}

int main(void)
{
	check_errors();
	check_refused();
	check_tcp();
	check_many();
	check_udp();
	if (failures)
		return 1;
	printf("net_sockets ok\n");
	return 0;
}
