/* SPDX-License-Identifier: ISC */
/* httpd: HTTP/1.x request parsing and response helpers (pure, host-testable). */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <stddef.h>

#define HTTP_PATH_MAX 1024

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
	enum http_method method;
	char method_name[16];    /* as sent, for the log and 405 */
	char path[HTTP_PATH_MAX]; /* decoded, query removed, always starts with '/' */
	int minor;               /* HTTP/1.<minor> */
	int keep_alive;          /* the connection stays open after the answer */
	long long content_length; /* -1 if none */
	int chunked;             /* Transfer-Encoding: chunked */
};

/*
 * http_parse() looks at buf[0..len) for one complete request head (up to
 * the blank line). Returns the head's length (> 0) and fills *req, 0 if
 * the head is not complete yet, or a negative HTTP status for a request
 * that must be refused: -400 malformed, -414 target too long, -431 head
 * too large (when max bytes arrived without an end), -505 version.
 */
int http_parse(const char *buf, size_t len, size_t max, struct http_req *req);

/* The Content-Type for a path, by its extension. */
const char *http_mime(const char *path);

/* The reason phrase for a status code. */
const char *http_reason(int status);

#endif /* HTTPD_HTTP_H */
