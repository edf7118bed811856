/* SPDX-License-Identifier: ISC */
/* Tiny freestanding runtime for the hv test containers. */
#include "ct.h"

/* The hako ABI note every image must carry. */
__attribute__((section(".note.hako"), aligned(4), used)) static const struct {
	uint32_t namesz, descsz, type;
	char name[8];
	uint32_t desc[2];
} note = { 5, 8, HAKO_NOTE_ABI, "hako", { HAKO_ABI_MAJOR, HAKO_ABI_MINOR } };

/* Entry: %rsp is 16-byte aligned; a call makes it what C expects. */
__asm__(".text\n.globl _start\n_start:\n\tcall ct_start\n\tud2\n");

void ct_start(const struct hako_start_info *si);

void put(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	call(HAKO_CALL_CONSOLE, (long)s, (long)n, 0, 0);
}

void putnum(const char *label, long v)
{
	char buf[64], tmp[24];
	size_t n = 0, k = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	while (*label && n < 32)
		buf[n++] = *label++;
	buf[n++] = ' ';
	if (v < 0)
		buf[n++] = '-';
	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (k)
		buf[n++] = tmp[--k];
	buf[n++] = '\n';
	call(HAKO_CALL_CONSOLE, (long)buf, (long)n, 0, 0);
}

void puthex(const char *label, unsigned long v)
{
	char buf[64];
	size_t n = 0;

	while (*label && n < 32)
		buf[n++] = *label++;
	buf[n++] = ' ';
	buf[n++] = '0';
	buf[n++] = 'x';
	for (int shift = 60; shift >= 0; shift -= 4)
		if (v >> shift || shift == 0)
			buf[n++] = "0123456789abcdef"[(v >> shift) & 15];
	buf[n++] = '\n';
	call(HAKO_CALL_CONSOLE, (long)buf, (long)n, 0, 0);
}

const char *arg(const struct hako_start_info *si, uint32_t i)
{
	const char *s = si->strings;

	if (i >= si->argc)
		return "";
	while (i--)
		while (*s++)
			;
	return s;
}

long num(const char *s)
{
	long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + *s++ - '0';
	return v;
}

int eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int64_t now(void)
{
	return call(HAKO_CALL_TIME, HAKO_CLOCK_MONOTONIC, 0, 0, 0);
}

void sleep_until(int64_t deadline)
{
	while (now() < deadline)
		call(HAKO_CALL_YIELD, deadline, 0, 0, 0);
}

void quit(int status)
{
	call(HAKO_CALL_EXIT, status, 0, 0, 0);
	for (;;)
		;
}

void ct_start(const struct hako_start_info *si)
{
	quit(main(si));
}
