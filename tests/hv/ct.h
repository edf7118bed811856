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
int64_t now(void);
void sleep_until(int64_t deadline);
__attribute__((noreturn)) void quit(int status);

/* Each test defines it; its return value is the exit status. */
int main(const struct hako_start_info *si);

#endif /* CT_H */
