/* SPDX-License-Identifier: ISC */
/* enosys.c: the system calls the libOS does not serve, counted and named once at exit. */
#include "libos.h"

#include <errno.h>

#define NR_MAX 512 /* above every x86-64 syscall number */

/* Names for the unsupported-syscall summary, generated from musl's <bits/syscall.h>. */
static const char *const sys_names[NR_MAX] = {
#include "sysnames.h"
};

static uint32_t unsupported[NR_MAX + 1]; /* [NR_MAX]: numbers out of range */

long libos_enosys(long n)
{
	uint32_t *c = &unsupported[n >= 0 && n < NR_MAX ? n : NR_MAX];
	if (*c < UINT32_MAX)
		(*c)++;
	return -ENOSYS;
}

/* Appends s to buf[*len..cap), keeping room for the final "\n\0". */
static void append(char *buf, size_t *len, size_t cap, const char *s)
{
	while (*s && *len + 2 < cap)
		buf[(*len)++] = *s++;
}

static void append_u32(char *buf, size_t *len, size_t cap, uint32_t v)
{
	char d[11], *p = d + sizeof d;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	append(buf, len, cap, p);
}

/* One console line naming every unsupported call made, e.g. "openat x2, socket x1". */
void libos_report_unsupported(void)
{
	static int reported;
	char line[512];
	size_t len = 0;
	int any = 0;

	if (reported++)
		return;
	append(line, &len, sizeof line, "hako-libos: unsupported syscalls: ");
	for (int n = 0; n <= NR_MAX; n++) {
		if (!unsupported[n])
			continue;
		if (any++)
			append(line, &len, sizeof line, ", ");
		if (n < NR_MAX && sys_names[n]) {
			append(line, &len, sizeof line, sys_names[n]);
		} else {
			append(line, &len, sizeof line, "syscall_");
			if (n < NR_MAX)
				append_u32(line, &len, sizeof line, (uint32_t)n);
			else
				append(line, &len, sizeof line, "out_of_range");
		}
		append(line, &len, sizeof line, " x");
		append_u32(line, &len, sizeof line, unsupported[n]);
	}
	if (!any)
		return;
	line[len++] = '\n';
	hako_console(line, len);
}
