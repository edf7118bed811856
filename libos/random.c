/* SPDX-License-Identifier: ISC */
/* random.c: getrandom from ChaCha20, keyed by the platform's seed, with fast key erasure. */
#include "libos.h"

#include <errno.h>
#include <string.h>

#define ROTL(x, n) ((x) << (n) | (x) >> (32 - (n)))
#define QR(a, b, c, d)                                      \
	(a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), \
	 a += b, d ^= a, d = ROTL(d, 8), c += d, b ^= c, b = ROTL(b, 7))

#define GRND_FLAGS 7 /* GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE: all the same here */
#define GETRANDOM_MAX (32u << 20) /* per call, as Linux caps it */

static uint32_t key[8];

/* One ChaCha20 block (RFC 8439) of key at counter ctr, nonce 0. */
static void chacha20_block(const uint32_t k[8], uint64_t ctr, uint32_t out[16])
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
			    k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
			    (uint32_t)ctr, (uint32_t)(ctr >> 32), 0, 0 };
	uint32_t *x = out;

	memcpy(x, in, sizeof in);
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] += in[i];
}

void libos_random_init(const uint8_t seed[32])
{
	memcpy(key, seed, sizeof key);
}

/*
 * Output comes from blocks 1, 2, ...; block 0 then becomes the next key
 * and the used key is overwritten, so memory read later cannot recover
 * what was handed out before (fast key erasure).
 */
void libos_random_fill(void *buf, size_t len)
{
	uint32_t blk[16];
	uint8_t *p = buf;

	for (uint64_t ctr = 1; len; ctr++) {
		size_t n = len < sizeof blk ? len : sizeof blk;
		chacha20_block(key, ctr, blk);
		memcpy(p, blk, n);
		p += n;
		len -= n;
	}
	chacha20_block(key, 0, blk);
	memcpy(key, blk, sizeof key);
	memset(blk, 0, sizeof blk);
	__asm__ __volatile__("" : : "r"(blk) : "memory"); /* keep the wipe */
}

long libos_getrandom(void *buf, size_t len, unsigned flags)
{
	if (flags & ~GRND_FLAGS)
		return -EINVAL;
	if (len && !buf)
		return -EFAULT;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	libos_random_fill(buf, len);
	return (long)len;
}
