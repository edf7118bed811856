/* SPDX-License-Identifier: ISC */
/*
 * Container output made safe to show on a terminal (freestanding: the hv,
 * the proc supervisor and `hako logs` share it). What a container writes
 * is hostile: escape sequences clear the screen, set the window title or
 * write the user's clipboard (OSC 52), a carriage return overwrites the
 * line's "NAME: " prefix. The sanitizer keeps newlines, tabs and valid
 * UTF-8 text; every other control byte (C0 and DEL) and every C1 control
 * (U+0080 to U+009F) becomes '?', and every ill-formed UTF-8 sequence
 * becomes U+FFFD, so nothing the terminal would act on reaches it.
 */
#ifndef HAKO_SANITIZE_H
#define HAKO_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#define SAN_OUT_MAX 8                      /* bytes san_byte or san_end may write */
#define SAN_BUF_OUT(n) (3 * ((size_t)(n) + 3)) /* bytes san_buf may write for n in */

/*
 * int san_utf8(const uint8_t *p (p), size_t n (n), uint32_t *cp (cp))
 *   Decodes the UTF-8 sequence at p (n >= 1 bytes there) as Unicode's
 *   "well-formed" table says (no overlong forms, no surrogates, nothing
 *   past U+10FFFF). Returns its length k > 0 and sets *cp; 0 if the n
 *   bytes are a valid start of a longer sequence; -k if the first k bytes
 *   are an ill-formed subpart, to be replaced by one U+FFFD.
 */
int san_utf8(const uint8_t *p, size_t n, uint32_t *cp);

/* One stream's state: the start of a sequence that is not complete yet. */
struct san {
	uint8_t pend[3];
	uint8_t npend;
};

/*
 * size_t san_byte(struct san *s (s), uint8_t c (c), char *out (out))
 *   The next byte of a stream: writes what to show for it (and for bytes
 *   held back before it) to out, which MUST have room for SAN_OUT_MAX
 *   bytes, and returns how many. A '\n' comes out as the last byte when
 *   one goes in. Whole sequences only: output never ends mid-character.
 */
size_t san_byte(struct san *s, uint8_t c, char *out);

/* End of the stream: an unfinished sequence held back becomes U+FFFD. */
size_t san_end(struct san *s, char *out);

/* n bytes of the stream at once; out MUST have room for SAN_BUF_OUT(n) bytes. */
size_t san_buf(struct san *s, const void *in, size_t n, char *out);

#endif /* HAKO_SANITIZE_H */
