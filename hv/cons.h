/* SPDX-License-Identifier: ISC */
/* Serial console (COM1) and printf for the hv. */
#ifndef HV_CONS_H
#define HV_CONS_H

#include <stdarg.h>
#include <stddef.h>

void cons_init(void);
void cons_write(const char *s, size_t n);
/* Supports %s %c %d %u %x %p with l/ll, and a width with a 0 flag. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A broken hv invariant: print, power off with the panic status. */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* HV_CONS_H */
