/* SPDX-License-Identifier: ISC */
/* Container output made safe to show: one UTF-8 decoder, one replacement rule (see sanitize.h). */
#include "sanitize.h"

static const char replacement[3] = { (char)0xef, (char)0xbf, (char)0xbd }; /* U+FFFD */

int san_utf8(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07;
	else
		return -1; /* a continuation byte, C0/C1 (overlong) or F5..FF: never a start */
	/* The second byte's range rules out overlong forms, surrogates and anything past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (size_t i = 1; i < len; i++) {
		if (i >= n)
			return 0;
		if (p[i] < lo || p[i] > hi)
			return -(int)i;
		v = v << 6 | (p[i] & 0x3f);
		lo = 0x80, hi = 0xbf;
	}
	*cp = v;
	return (int)len;
}

/* One decoded character, k bytes at p: as it is, or '?' for a control. */
static size_t show(const uint8_t *p, int k, uint32_t cp, char *out)
{
	if (cp == '\n' || cp == '\t') {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
		out[0] = '?';
		return 1;
	}
	for (int i = 0; i < k; i++)
		out[i] = (char)p[i];
	return (size_t)k;
}

static size_t ill_formed(char *out)
{
	for (int i = 0; i < 3; i++)
		out[i] = replacement[i];
	return 3;
}

size_t san_byte(struct san *s, uint8_t c, char *out)
{
	uint8_t b[4];
	size_t n = 0, at = 0, len = 0;

	for (; n < s->npend; n++)
		b[n] = s->pend[n];
	b[n++] = c;
	/* Bounded: each pass consumes at least one of the n <= 4 bytes, or stops. */
	while (at < n) {
		uint32_t cp;
		int k = san_utf8(b + at, n - at, &cp);
		if (k == 0)
			break; /* a valid start: wait for the rest */
		if (k > 0)
			len += show(b + at, k, cp, out + len);
		else
			len += ill_formed(out + len);
		at += (size_t)(k > 0 ? k : -k);
	}
	/* Held back: a proper prefix of one sequence, so at most 3 bytes. */
	for (s->npend = 0; at < n; at++)
		s->pend[s->npend++] = b[at];
	return len;
}

size_t san_end(struct san *s, char *out)
{
	if (!s->npend)
		return 0;
	s->npend = 0;
	return ill_formed(out);
}

size_t san_buf(struct san *s, const void *in, size_t n, char *out)
{
	const uint8_t *p = in;
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += san_byte(s, p[i], out + len);
	return len;
}
