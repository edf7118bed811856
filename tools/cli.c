/* hako CLI: checks and messages shared by every platform's option parser. */
#include "cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hako/abi.h"

int cli_fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "hako: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 2;
}

int cli_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= HAKO_NAME_MAX || !strcmp(s, "hako"))
		return 0;
	for (; *s; s++)
		if (!(*s == '-' || *s == '_' || *s == '.' || (*s >= '0' && *s <= '9') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

uint64_t cli_parse_size(const char *s)
{
	unsigned long long v, unit = 1ull << 20;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': unit = 1ull << 10; end++; break;
	case 'm': case 'M': unit = 1ull << 20; end++; break;
	case 'g': case 'G': unit = 1ull << 30; end++; break;
	}
	if ((*end == 'b' || *end == 'B') && end[1] == 0)
		end++;
	if (*end || v > CLI_MEM_MAX / unit)
		return 0;
	v *= unit;
	return v >= CLI_MEM_MIN && v <= CLI_MEM_MAX ? v : 0;
}

const char *cli_port_busy(const char *addr, unsigned port, int udp)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd, rc, e;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return "not an IPv4 address";
	if ((fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0)) < 0)
		return strerror(errno);
	/* As passt and QEMU bind TCP: a socket in TIME_WAIT is no conflict, a live one is. */
	if (!udp)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	e = errno;
	close(fd);
	if (!rc)
		return NULL;
	if (e == EADDRINUSE)
		return "the port is already in use";
	if (e == EACCES)
		return "permission denied (ports below 1024 need root)";
	if (e == EADDRNOTAVAIL)
		return "no such address on this host";
	return strerror(e);
}
