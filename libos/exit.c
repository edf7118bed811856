/* SPDX-License-Identifier: ISC */
/* exit.c: how a container ends: the unsupported-call summary, then the platform's exit. */
#include "libos.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Noreturn void hako_exit(int status)
{
	libos_report_unsupported();
	hako_call(HAKO_CALL_EXIT, status, 0, 0, 0);
	/* A platform that returns from exit broke the ABI; stop hard. */
	for (;;)
		__builtin_trap();
}

/*
 * vsnprintf with a string FILE on the stack touches neither locks nor TLS,
 * so this works even before musl has set up the thread pointer (a bad start
 * info panics that early). A panic while panicking exits at once.
 */
_Noreturn void hako_panic(const char *fmt, ...)
{
	static int panicking;
	char buf[256] = "panic: ";
	size_t n = strlen(buf);
	va_list ap;

	if (panicking++)
		hako_exit(HAKO_PANIC_STATUS);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	buf[n++] = '\n';
	hako_console(buf, n);
	hako_exit(HAKO_PANIC_STATUS);
}
