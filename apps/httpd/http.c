/* SPDX-License-Identifier: ISC */
/* httpd: HTTP/1.x request parsing; every byte from the client is hostile. */
#include "http.h"

#include <string.h>
#include <strings.h>

#define HEADERS_MAX 100

/* One line of the head: [*pos, end of line), CR stripped; NULL at the end of buf. */
static const char *next_line(const char *buf, size_t len, size_t *pos, size_t *line_len)
{
	const char *start = buf + *pos, *nl = memchr(start, '\n', len - *pos);

	if (!nl)
		return NULL;
	*line_len = (size_t)(nl - start);
	if (*line_len && start[*line_len - 1] == '\r')
		(*line_len)--;
	*pos = (size_t)(nl - buf) + 1;
	return start;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the target's path into out: percent-escapes resolved, the query
 * dropped, then "." and ".." segments resolved without ever going above
 * the root. 0 or a negative status.
 */
static int decode_path(const char *t, size_t n, char *out)
{
	char tmp[HTTP_PATH_MAX];
	size_t m = 0, o = 0;

	if (n == 0 || t[0] != '/')
		return -400;
	for (size_t i = 0; i < n && t[i] != '?' && t[i] != '#'; i++) {
		char c = t[i];
		if (c == '%') {
			if (n - i < 3 || hex(t[i + 1]) < 0 || hex(t[i + 2]) < 0)
				return -400;
			c = (char)(hex(t[i + 1]) << 4 | hex(t[i + 2]));
			i += 2;
		}
		if ((unsigned char)c < 0x20 || c == 0x7f)
			return -400;
		if (m + 1 >= sizeof(tmp))
			return -414;
		tmp[m++] = c;
	}
	/* tmp[s] is a '/'; the segment is tmp[s + 1, e). */
	for (size_t s = 0, e; s < m; s = e) {
		for (e = s + 1; e < m && tmp[e] != '/'; e++)
			;
		if (e - s == 2 && tmp[s + 1] == '.')
			continue;                          /* "." */
		if (e - s == 3 && tmp[s + 1] == '.' && tmp[s + 2] == '.') {
			if (o == 0)
				return -400;               /* above the root */
			while (o > 0 && out[--o] != '/')
				;
			continue;
		}
		if (e - s == 1 && e < m)
			continue;                          /* "//" */
		memcpy(out + o, tmp + s, e - s);
		o += e - s;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = 0;
	return 0;
}

static int parse_request_line(const char *l, size_t n, struct http_req *req)
{
	const char *sp1 = memchr(l, ' ', n), *sp2, *v;
	size_t mlen, tlen, vlen;

	if (!sp1 || sp1 == l)
		return -400;
	mlen = (size_t)(sp1 - l);
	sp2 = memchr(sp1 + 1, ' ', n - mlen - 1);
	if (!sp2 || mlen >= sizeof(req->method_name))
		return -400;
	for (size_t i = 0; i < mlen; i++)
		if (l[i] < 'A' || l[i] > 'Z')
			return -400;
	memcpy(req->method_name, l, mlen);
	req->method_name[mlen] = 0;
	req->method = !strcmp(req->method_name, "GET") ? HTTP_GET :
		      !strcmp(req->method_name, "HEAD") ? HTTP_HEAD : HTTP_OTHER;
	tlen = (size_t)(sp2 - sp1 - 1);
	v = sp2 + 1;
	vlen = n - (size_t)(v - l);
	if (vlen != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
	    v[7] < '0' || v[7] > '9')
		return -400;
	if (v[5] != '1')
		return -505;
	req->minor = v[7] - '0';
	req->keep_alive = req->minor >= 1;
	if (tlen >= HTTP_PATH_MAX * 3)
		return -414;
	return decode_path(sp1 + 1, tlen, req->path);
}

/* Does the comma-separated header value contain token (any case)? */
static int has_token(const char *v, size_t n, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i + tl <= n; i++)
		if (!strncasecmp(v + i, token, tl) && (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',') &&
		    (i + tl == n || v[i + tl] == ' ' || v[i + tl] == ','))
			return 1;
	return 0;
}

static int parse_header(const char *l, size_t n, struct http_req *req)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t name_len, vlen;

	if (!colon || colon == l || l[0] == ' ' || l[0] == '\t')
		return -400; /* no name, or obsolete line folding */
	name_len = (size_t)(colon - l);
	for (size_t i = 0; i < name_len; i++)
		if (l[i] <= ' ' || l[i] >= 0x7f)
			return -400;
	v = colon + 1;
	vlen = n - name_len - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (name_len == 10 && !strncasecmp(l, "connection", 10)) {
		if (has_token(v, vlen, "close"))
			req->keep_alive = 0;
		else if (has_token(v, vlen, "keep-alive"))
			req->keep_alive = 1;
	} else if (name_len == 14 && !strncasecmp(l, "content-length", 14)) {
		long long cl = 0;
		if (vlen == 0 || vlen > 15)
			return -400;
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -400;
			cl = cl * 10 + (v[i] - '0');
		}
		if (req->content_length >= 0 && req->content_length != cl)
			return -400;
		req->content_length = cl;
	} else if (name_len == 17 && !strncasecmp(l, "transfer-encoding", 17)) {
		req->chunked = 1;
	}
	return 0;
}

int http_parse(const char *buf, size_t len, size_t max, struct http_req *req)
{
	size_t pos = 0, n;
	const char *l;
	int rc, headers = 0;

	*req = (struct http_req){ .content_length = -1 };
	/* Tolerate empty lines before a request (RFC 9112 2.2). */
	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	if (!(l = next_line(buf, len, &pos, &n)))
		return len >= max ? -431 : 0;
	if ((rc = parse_request_line(l, n, req)))
		return rc;
	while ((l = next_line(buf, len, &pos, &n))) {
		if (n == 0)
			return pos > max ? -431 : (int)pos;
		if (++headers > HEADERS_MAX)
			return -431;
		if ((rc = parse_header(l, n, req)))
			return rc;
	}
	return len >= max ? -431 : 0;
}

const char *http_mime(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
		{ "css", "text/css" },                  { "js", "text/javascript" },
		{ "json", "application/json" },         { "txt", "text/plain; charset=utf-8" },
		{ "svg", "image/svg+xml" },             { "png", "image/png" },
		{ "jpg", "image/jpeg" },                { "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },                 { "ico", "image/x-icon" },
		{ "webp", "image/webp" },               { "wasm", "application/wasm" },
		{ "pdf", "application/pdf" },           { "xml", "application/xml" },
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot + 1, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default:  return "Unknown";
	}
}
