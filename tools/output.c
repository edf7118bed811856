/* SPDX-License-Identifier: ISC */
/* hako CLI: a proc container's output, sanitized and prefixed with its name (see output.h). */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hako/abi.h"
#include "hako/protocol.h"

#define PREFIX_LEN (sizeof(HAKO_LINE_PREFIX) - 1)
#define KILLED_LEN (sizeof(HAKO_LINE_KILLED) - 1)
#define NET_LEN    (sizeof(HAKO_LINE_NET) - 1)

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the terminal or the log went away: the container goes on */
		p += w;
		n -= (size_t)w;
	}
}

/* One line, "NAME: text" with the prefix, in one write: lines of the two streams never mix. */
static void show(const struct output *o, int fd, const char *text, size_t len, int prefix)
{
	char buf[HAKO_NAME_MAX + 2 + OUTPUT_LINE_MAX + 1];
	size_t n = 0, k = strlen(o->name);

	if (prefix) {
		memcpy(buf, o->name, k);
		memcpy(buf + k, ": ", 2);
		n = k + 2;
	}
	memcpy(buf + n, text, len);
	n += len;
	buf[n++] = '\n';
	write_all(fd, buf, n);
}

/* Is l a line of the tender's? 1: "hako: NAME killed: ...", 2: "hako: NAME: net: ...", else 0. */
static int tender_line(const struct output *o, const char *l, size_t len)
{
	size_t k = strlen(o->name);

	if (len < PREFIX_LEN + k + KILLED_LEN || memcmp(l, HAKO_LINE_PREFIX, PREFIX_LEN) ||
	    memcmp(l + PREFIX_LEN, o->name, k))
		return 0;
	if (!memcmp(l + PREFIX_LEN + k, HAKO_LINE_KILLED, KILLED_LEN))
		return 1;
	return !memcmp(l + PREFIX_LEN + k, HAKO_LINE_NET, NET_LEN) ? 2 : 0;
}

/* Something followed the held line on stderr: it was the container's after all. */
static void release_held(struct output *o)
{
	if (o->held_len)
		show(o, o->err, o->held, o->held_len, 1);
	o->held_len = 0;
}

/* Stream which's line is complete (whole), or as long as a line may be: show it. */
static void line_done(struct output *o, int which, int whole)
{
	struct output_stream *s = &o->stream[which];
	int fd = which ? o->err : o->out;

	if (!o->started) {
		show(o, fd, s->line, s->len, 0);
	} else if (which == 1 && whole && tender_line(o, s->line, s->len)) {
		release_held(o);
		memcpy(o->held, s->line, s->len);
		o->held_len = s->len;
	} else {
		if (which == 1)
			release_held(o);
		show(o, fd, s->line, s->len, 1);
	}
	s->len = 0;
}

/* Append k sanitized bytes (no newline among them) to stream which's line. */
static void append(struct output *o, int which, const char *p, size_t k)
{
	struct output_stream *s = &o->stream[which];

	if (s->len + k > sizeof(s->line))
		line_done(o, which, 0); /* never cut inside a character: san_byte gives whole ones */
	memcpy(s->line + s->len, p, k);
	s->len += k;
}

void output_init(struct output *o, const char *name, int out, int err)
{
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->out = out;
	o->err = err;
}

void output_started(struct output *o)
{
	for (int which = 0; which < 2; which++)
		if (o->stream[which].len)
			line_done(o, which, 0); /* the tender's last unfinished words */
	o->started = 1;
}

void output_feed(struct output *o, int which, const char *buf, size_t n)
{
	struct output_stream *s = &o->stream[which];

	for (size_t i = 0; i < n; i++) {
		char out[SAN_OUT_MAX];
		size_t k = san_byte(&s->san, (uint8_t)buf[i], out);
		int eol = k && out[k - 1] == '\n';

		append(o, which, out, k - (size_t)eol);
		if (eol)
			line_done(o, which, 1);
	}
}

void output_end(struct output *o, int status)
{
	for (int which = 0; which < 2; which++) {
		char out[SAN_OUT_MAX];
		size_t k = san_end(&o->stream[which].san, out);

		append(o, which, out, k);
		if (o->stream[which].len)
			line_done(o, which, 0); /* an unfinished last line: never the tender's */
	}
	if (o->held_len && (tender_line(o, o->held, o->held_len) == 2 || status == HAKO_EXIT_KILLED))
		show(o, o->err, o->held, o->held_len, 0);
	else
		release_held(o);
	o->held_len = 0;
}
