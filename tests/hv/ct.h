/* SPDX-License-Identifier: ISC */
/* Tiny freestanding runtime for the hv test containers: calls, printing, exit. */
#ifndef CT_H
#define CT_H

#include <stddef.h>
#include <stdint.h>

#include "hako/abi.h"

static inline long call(long nr, long a0, long a1, long a2, long a3)
{
	return ((long (*)(long, long, long, long, long))HAKO_CALL_VA)(nr, a0, a1, a2, a3);
}

void put(const char *s);
void putnum(const char *label, long v); /* "label v\n" */
void puthex(const char *label, unsigned long v); /* "label 0x...\n" */
const char *arg(const struct hako_start_info *si, uint32_t i); /* argv[i], "" past the end */
int eq(const char *a, const char *b);
long num(const char *s); /* decimal digits at s */
int64_t now(void);
void sleep_until(int64_t deadline);
__attribute__((noreturn)) void quit(int status);

static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;
	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/*
 * The one PKRU write an image may hold (abi.h): these exact bytes, with
 * value declared in the image's domains note. v: a constant expression.
 */
#define GATE_BYTES(v) ".byte 0xb8; .long " #v "; .byte 0x31, 0xc9, 0x31, 0xd2, 0x0f, 0x01, 0xef\n\t" \
		      ".byte 0x3d; .long " #v "; .byte 0x75, 0xed\n\t"
#define GATE(v) __asm__ volatile(GATE_BYTES(v) ::: "eax", "ecx", "edx", "memory")

/* Each test defines it; its return value is the exit status. */
int main(const struct hako_start_info *si);

#endif /* CT_H */
