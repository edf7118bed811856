/* SPDX-License-Identifier: ISC */
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
#include "sanitize.h"

/* The escape for one ASCII byte the quoting shows by name, or NULL. */
static const char *named_escape(uint32_t c)
{
	return c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\\' ? "\\\\" : NULL;
}

const char *cli_quote(char *buf, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t len = 0, left = strlen(s);

	/* Each step writes at most 8 bytes (a C1 control: two \xNN), and "..." and the NUL fit. */
	while (left && len + 8 + 4 <= size) {
		uint32_t cp = 0x80;
		int k = san_utf8(p, left, &cp);
		const char *esc;
		if (k <= 0)
			k = 1, cp = 0x80; /* an ill-formed byte: \xNN, as a control */
		if (k == 1 && (esc = named_escape(cp))) {
			memcpy(buf + len, esc, 2);
			len += 2;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			for (int i = 0; i < k; i++) {
				buf[len++] = '\\', buf[len++] = 'x';
				buf[len++] = hex[p[i] >> 4], buf[len++] = hex[p[i] & 15];
			}
		} else {
			memcpy(buf + len, p, (size_t)k);
			len += (size_t)k;
		}
		p += k;
		left -= (size_t)k;
	}
	if (left)
		memcpy(buf + len, "...", 3), len += 3;
	buf[len] = 0;
	return buf;
}

int cli_fail(const char *fmt, const char *arg)
{
	char q[CLI_QUOTE_MAX];

	fprintf(stderr, "hako: ");
	fprintf(stderr, fmt, cli_quote(q, sizeof(q), arg));
	fprintf(stderr, "\n");
	return 2;
}

int cli_exec(const char *file, const char *const *argv, const char *const *envp)
{
	union {
		const char *const *c;
		char *const *v;
	} a = { .c = argv }, e = { .c = envp };

	return envp ? execve(file, a.v, e.v) : execvp(file, a.v);
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
