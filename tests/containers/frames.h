/* SPDX-License-Identifier: ISC */
/* Raw Ethernet/IPv4 helpers shared by the raw-frame test containers. */
#ifndef TESTS_FRAMES_H
#define TESTS_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hako/hako.h>

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* The Internet checksum over len bytes, starting from sum. */
static inline uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An Ethernet header to dst from this container's own MAC. */
static inline void eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, hako_start_info()->mac, 6);
	put16(f + 12, type);
}

#endif /* TESTS_FRAMES_H */
