/* SPDX-License-Identifier: ISC */
/* Fuzz target: the web server's request parser (apps/httpd/http.c). */
#include "fuzz.h"

#include <string.h>

#include "http.h"

#define HEAD_MAX 8192 /* as httpd's REQ_MAX: a head that fills it unfinished is a 431 */

/* A decoded path the server may join to its root: nothing climbs out, nothing hides. */
static void check_path(const char *p)
{
	size_t n = strnlen(p, HTTP_PATH_MAX);

	FUZZ_CHECK(n < HTTP_PATH_MAX && p[0] == '/');
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)p[i] >= 0x20 && p[i] != 0x7f);
	FUZZ_CHECK(!strstr(p, "/../") && !strstr(p, "/./") && !strstr(p, "//"));
	FUZZ_CHECK(strcmp(p, "/..") && strcmp(p, "/.") && (n < 3 || strcmp(p + n - 3, "/..")));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req req;
	int rc;

	if (size > HEAD_MAX)
		return 0;
	rc = http_parse((const char *)data, size, HEAD_MAX, &req);
	if (rc > 0) {
		FUZZ_CHECK((size_t)rc <= size);
		FUZZ_CHECK(strnlen(req.method_name, sizeof(req.method_name)) < sizeof(req.method_name));
		FUZZ_CHECK(req.minor >= 0 && req.minor <= 9);
		FUZZ_CHECK(req.content_length >= -1);
		check_path(req.path);
		FUZZ_CHECK(http_mime(req.path) != NULL);
	} else {
		FUZZ_CHECK(rc == 0 || rc == -400 || rc == -414 || rc == -431 || rc == -505);
		FUZZ_CHECK(rc != 0 || size < HEAD_MAX); /* a full buffer is never "wait for more" */
	}
	FUZZ_CHECK(strcmp(http_reason(rc < 0 ? -rc : 200), "Unknown"));
	return 0;
}
