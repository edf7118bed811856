/* SPDX-License-Identifier: ISC */
/* Freestanding helpers the compiler and the hv need: mem*, str*, poweroff. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stddef.h>
#include <stdint.h>

#include "hako/protocol.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
/* End QEMU with status HAKO_HV_OK, _FAIL or _PANIC (hako/protocol.h). */
void poweroff(unsigned status) __attribute__((noreturn));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

#endif /* HV_LIB_H */
