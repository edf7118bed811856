/* SPDX-License-Identifier: ISC */
/* Unit tests of the web server's request parser: hostile requests are refused, never trusted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

#define MAX 8192

static int parse(const char *s, struct http_req *req)
{
	return http_parse(s, strlen(s), MAX, req);
}

static void simple_get(void **state)
{
	const char *s = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
	struct http_req r;

	assert_int_equal(parse(s, &r), (int)(strstr(s, "GET /next") - s));
	assert_int_equal(r.method, HTTP_GET);
	assert_string_equal(r.path, "/index.html");
	assert_int_equal(r.minor, 1);
	assert_true(r.keep_alive);
	assert_int_equal(r.content_length, -1);
}

static void incomplete_heads_wait(void **state)
{
	struct http_req r;

	assert_int_equal(parse("", &r), 0);
	assert_int_equal(parse("GET / HTTP/1.1", &r), 0);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\n", &r), 0);
}

static void keep_alive_rules(void **state)
{
	struct http_req r;

	assert_true(parse("GET / HTTP/1.0\r\n\r\n", &r) > 0);
	assert_false(r.keep_alive);
	assert_true(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) > 0);
	assert_true(r.keep_alive);
	assert_true(parse("GET / HTTP/1.1\r\nconnection: upgrade, close\r\n\r\n", &r) > 0);
	assert_false(r.keep_alive);
	/* a token inside another word is not the token */
	assert_true(parse("GET / HTTP/1.1\r\nConnection: closed\r\n\r\n", &r) > 0);
	assert_true(r.keep_alive);
}

static void bare_lf_and_head(void **state)
{
	struct http_req r;

	assert_true(parse("HEAD /a HTTP/1.1\nHost: x\n\n", &r) > 0);
	assert_int_equal(r.method, HTTP_HEAD);
	assert_true(parse("DELETE /a HTTP/1.1\r\n\r\n", &r) > 0);
	assert_int_equal(r.method, HTTP_OTHER);
	assert_string_equal(r.method_name, "DELETE");
}

static void paths_are_normalised(void **state)
{
	static const struct { const char *target, *path; } cases[] = {
		{ "/", "/" },             { "/a/./b", "/a/b" },       { "/a/b/../c", "/a/c" },
		{ "/a//b", "/a/b" },      { "/dir/", "/dir/" },       { "/%41%62c", "/Abc" },
		{ "/a?x=/../..", "/a" },  { "/a#frag", "/a" },        { "/a/..", "/" },
		{ "/.", "/" },            { "/a/%2e%2e/b", "/b" },    { "/..a", "/..a" },
	};
	char req[256];
	struct http_req r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n\r\n", cases[i].target);
		assert_true(parse(req, &r) > 0);
		assert_string_equal(r.path, cases[i].path);
	}
}

static void escapes_and_garbage_refused(void **state)
{
	static const char *bad[] = {
		"GET /.. HTTP/1.1\r\n\r\n",          "GET /a/../.. HTTP/1.1\r\n\r\n",
		"GET /%2e%2e/etc HTTP/1.1\r\n\r\n",   "GET /a%00b HTTP/1.1\r\n\r\n",
		"GET /a%zz HTTP/1.1\r\n\r\n",         "GET /a% HTTP/1.1\r\n\r\n",
		"GET a HTTP/1.1\r\n\r\n",             "GET http://x/ HTTP/1.1\r\n\r\n",
		"get / HTTP/1.1\r\n\r\n",             "GET / HTTP/1.1 x\r\n\r\n",
		"GET /\r\n\r\n",                      "GET  / HTTP/1.1\r\n\r\n",
		"GET / FTP/1.1\r\n\r\n",              "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.1\r\n folded\r\n\r\n",  "GET / HTTP/1.1\r\n: empty\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
	};
	struct http_req r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &r) != -400)
			fail_msg("not refused with 400: %s", bad[i]);
	assert_int_equal(parse("GET / HTTP/2.0\r\n\r\n", &r), -505);
}

static void oversized_refused(void **state)
{
	char *big = malloc(MAX + 100);
	struct http_req r;

	/* a head that never ends within MAX bytes */
	memset(big, 'a', MAX + 99);
	big[MAX + 99] = 0;
	memcpy(big, "GET /", 5);
	assert_int_equal(parse(big, &r), -431);
	/* a target longer than any path */
	memcpy(big, "GET /", 5);
	memcpy(big + MAX - 20, " HTTP/1.1\r\n\r\n", 14);
	big[MAX - 6] = 0;
	assert_true(parse(big, &r) == -414 || parse(big, &r) == -431);
	/* too many headers */
	char *p = big + sprintf(big, "GET / HTTP/1.1\r\n");
	for (int i = 0; i < 150; i++)
		p += sprintf(p, "X: y\r\n");
	strcpy(p, "\r\n");
	assert_int_equal(http_parse(big, strlen(big), MAX + 100, &r), -431);
	free(big);
}

static void content_length_and_chunked(void **state)
{
	struct http_req r;

	assert_true(parse("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n", &r) > 0);
	assert_int_equal(r.content_length, 12);
	assert_true(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &r) > 0);
	assert_true(r.chunked);
}

static void mime_types(void **state)
{
	assert_string_equal(http_mime("/index.html"), "text/html; charset=utf-8");
	assert_string_equal(http_mime("/a/logo.SVG"), "image/svg+xml");
	assert_string_equal(http_mime("/a.b/noext"), "application/octet-stream");
	assert_string_equal(http_mime("/style.css"), "text/css");
}

/* Random bytes and mutations never crash the parser (ASan/UBSan). */
static void random_requests(void **state)
{
	static const char seed[] = "GET /a/b/../c%20d?q HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
				   "Connection: keep-alive\r\n\r\n";
	char buf[256];
	struct http_req r;

	srand(7);
	for (int round = 0; round < 50000; round++) {
		size_t n = sizeof(seed) - 1;
		memcpy(buf, seed, n);
		for (int k = rand() % 6; k >= 0; k--)
			buf[rand() % n] = (char)rand();
		n = rand() % 4 ? n : (size_t)rand() % n;
		int rc = http_parse(buf, n, sizeof(buf), &r);
		assert_true(rc <= (int)n);
		if (rc > 0) {
			assert_true(r.path[0] == '/');
			assert_null(strstr(r.path, "/../"));
			assert_true(strlen(r.path) < HTTP_PATH_MAX);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simple_get),
		cmocka_unit_test(incomplete_heads_wait),
		cmocka_unit_test(keep_alive_rules),
		cmocka_unit_test(bare_lf_and_head),
		cmocka_unit_test(paths_are_normalised),
		cmocka_unit_test(escapes_and_garbage_refused),
		cmocka_unit_test(oversized_refused),
		cmocka_unit_test(content_length_and_chunked),
		cmocka_unit_test(mime_types),
		cmocka_unit_test(random_requests),
	};

	return cmocka_run_group_tests_name("httpd_http", tests, NULL, NULL);
}
