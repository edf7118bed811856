/* SPDX-License-Identifier: ISC */
/* Unit tests of the output sanitizer: terminal controls neutralized, UTF-8 kept or replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sanitize.h"

#define FFFD "\xef\xbf\xbd"

/* in (n bytes) through a fresh stream, ended: the NUL-terminated output. */
static const char *san(const char *in, size_t n)
{
	static char out[SAN_BUF_OUT(256) + SAN_OUT_MAX + 1];
	struct san s = { .npend = 0 };
	size_t len;

	assert_true(n <= 256);
	len = san_buf(&s, in, n, out);
	len += san_end(&s, out + len);
	out[len] = 0;
	return out;
}

#define SAN(lit) san(lit, sizeof(lit) - 1)

static void text_tabs_and_newlines_kept(void **state)
{
	(void)state;
	assert_string_equal(SAN("hello, world\n"), "hello, world\n");
	assert_string_equal(SAN("a\tb\n\nc"), "a\tb\n\nc");
	assert_string_equal(SAN(" ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./"), " ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./");
}

static void escape_sequences_neutralized(void **state)
{
	(void)state;
	/* Clear the screen, set the title, write the clipboard (OSC 52), ring the bell. */
	assert_string_equal(SAN("\x1b[2J\x1b[H"), "?[2J?[H");
	assert_string_equal(SAN("\x1b]0;pwned\x07"), "?]0;pwned?");
	assert_string_equal(SAN("\x1b]52;c;ZWNobyBvd25lZA==\x1b\\"), "?]52;c;ZWNobyBvd25lZA==?\\");
	/* A carriage return or backspaces would overwrite the "NAME: " prefix. */
	assert_string_equal(SAN("x\rhako: web killed\b\b"), "x?hako: web killed??");
	assert_string_equal(san("a\0b\x7f", 4), "a?b?");
	assert_string_equal(SAN("\x01\x1f\x0b\x0c"), "????");
}

static void c1_controls_neutralized(void **state)
{
	(void)state;
	/* Raw 0x9b (CSI to an 8-bit terminal) is no UTF-8 at all; U+009B encoded is a C1 control. */
	assert_string_equal(SAN("\x9b" "2J"), FFFD "2J");
	assert_string_equal(SAN("\xc2\x9b" "2J"), "?2J");
	assert_string_equal(SAN("\xc2\x80\xc2\x85\xc2\x9d\xc2\x9f"), "????");
	/* U+00A0 (no-break space), the first after the C1 range, is text. */
	assert_string_equal(SAN("\xc2\xa0"), "\xc2\xa0");
	for (int c = 0x80; c <= 0x9f; c++) {
		char in[2] = { (char)c, 0 };
		assert_string_equal(san(in, 1), FFFD);
	}
}

static void valid_utf8_kept(void **state)
{
	(void)state;
	assert_string_equal(SAN("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(SAN("\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf"),
			    "\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf");
}

static void ill_formed_replaced(void **state)
{
	(void)state;
	assert_string_equal(SAN("\xc0\xaf"), FFFD FFFD);            /* overlong '/' */
	assert_string_equal(SAN("\xe0\x80\xaf"), FFFD FFFD FFFD);    /* overlong, 3 bytes */
	assert_string_equal(SAN("\xed\xa0\x80"), FFFD FFFD FFFD);    /* a surrogate */
	assert_string_equal(SAN("\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD); /* past U+10FFFF */
	assert_string_equal(SAN("\xf5\xff\xfe"), FFFD FFFD FFFD);
	assert_string_equal(SAN("\x80" "a"), FFFD "a");
	/* A cut sequence is one replacement (its maximal subpart), then what follows. */
	assert_string_equal(SAN("\xe2\x82" "A"), FFFD "A");
	assert_string_equal(SAN("\xf0\x9f\x98" "A"), FFFD "A");
	assert_string_equal(SAN("\xf0\x9f\x98\n"), FFFD "\n");
	assert_string_equal(SAN("\xe2\x82\xe2\x82\xac"), FFFD "\xe2\x82\xac");
	/* And at the end of the stream. */
	assert_string_equal(SAN("ok\xe2\x82"), "ok" FFFD);
}

static void split_across_calls(void **state)
{
	static const uint8_t euro[3] = { 0xe2, 0x82, 0xac };
	struct san s = { .npend = 0 };
	char out[SAN_OUT_MAX];

	(void)state;
	assert_int_equal(san_byte(&s, euro[0], out), 0);
	assert_int_equal(san_byte(&s, euro[1], out), 0);
	assert_int_equal(san_byte(&s, euro[2], out), 3);
	assert_memory_equal(out, euro, 3);
	assert_int_equal(san_end(&s, out), 0);
	/* Held-back bytes, then a byte that cannot follow them: two replacements at once. */
	assert_int_equal(san_byte(&s, 0xf0, out), 0);
	assert_int_equal(san_byte(&s, 0x9f, out), 0);
	assert_int_equal(san_byte(&s, 0xc0, out), 6);
	assert_memory_equal(out, FFFD FFFD, 6);
}

static void decoder_lengths(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(san_utf8((const uint8_t *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(san_utf8((const uint8_t *)"\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(san_utf8((const uint8_t *)"\xe2\x82", 2, &cp), 0);
	assert_int_equal(san_utf8((const uint8_t *)"\xe2\x82\x41", 3, &cp), -2);
	assert_int_equal(san_utf8((const uint8_t *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(san_utf8((const uint8_t *)"\xbf", 1, &cp), -1);
}

/* Random bytes: the output stays in bounds, is clean, and sanitizing it again changes nothing. */
static void random_input_clean_and_stable(void **state)
{
	static char in[256], out[SAN_BUF_OUT(256) + SAN_OUT_MAX], again[sizeof(out) * 4];

	(void)state;
	srand(1);
	for (int round = 0; round < 20000; round++) {
		struct san s = { .npend = 0 }, t = { .npend = 0 };
		size_t n = (size_t)(rand() % 256), len, len2;
		for (size_t i = 0; i < n; i++)
			in[i] = (char)(round % 2 ? rand() : 0x80 | rand()); /* half of them mostly high bytes */
		len = san_buf(&s, in, n, out);
		assert_true(len <= SAN_BUF_OUT(n));
		len += san_end(&s, out + len);
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			int k = san_utf8((const uint8_t *)out + i, len - i, &cp);
			assert_true(k > 0);
			assert_false((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f));
			i += (size_t)k;
		}
		len2 = san_buf(&t, out, len, again);
		len2 += san_end(&t, again + len2);
		assert_int_equal(len2, len);
		assert_memory_equal(again, out, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_tabs_and_newlines_kept),
		cmocka_unit_test(escape_sequences_neutralized),
		cmocka_unit_test(c1_controls_neutralized),
		cmocka_unit_test(valid_utf8_kept),
		cmocka_unit_test(ill_formed_replaced),
		cmocka_unit_test(split_across_calls),
		cmocka_unit_test(decoder_lengths),
		cmocka_unit_test(random_input_clean_and_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
