/* Freestanding helpers the compiler and the hv need: mem*, str*, poweroff. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stddef.h>
#include <stdint.h>

/* isa-debug-exit values: QEMU exits with (value << 1) | 1. */
#define HV_EXIT_OK    0x10 /* every container exited 0 -> 33 */
#define HV_EXIT_FAIL  0x11 /* some container failed -> 35 */
#define HV_EXIT_PANIC 0x12 /* hv bug -> 37 */

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
void poweroff(unsigned status) __attribute__((noreturn));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

#endif /* HV_LIB_H */
