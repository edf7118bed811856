/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: a proc container's output on its way to the terminal or the
 * log. The container's process writes its stdout and stderr into pipes;
 * the supervisor shows every line sanitized (lib/sanitize.h) and as
 * "NAME: text", as the hv does, so no container can write escape
 * sequences to the user's terminal or a line that starts "hako: ".
 *
 * The one exception is the tender's own last word: it shares the
 * container's process and writes its kill line ("hako: NAME killed: ...")
 * or its network summary ("hako: NAME: net: ...") to stderr just before
 * the process ends. Such a line is shown as the platform's only if it is
 * the last thing on stderr, names this container, and (a kill line) the
 * process ended with HAKO_EXIT_KILLED. A container can therefore at most
 * imitate its own end, never another container's nor a line before it.
 */
#ifndef HAKO_OUTPUT_H
#define HAKO_OUTPUT_H

#include <stddef.h>

#include "sanitize.h"

#define OUTPUT_LINE_MAX 1024 /* bytes of one shown line; a longer one is split */

struct output_stream {
	struct san san;
	size_t len;
	char line[OUTPUT_LINE_MAX];
};

struct output {
	const char *name;
	int out, err;                   /* where lines go: the supervisor's stdout, stderr */
	int started;                    /* the container runs: its lines get the prefix */
	struct output_stream stream[2]; /* the container's stdout, stderr */
	size_t held_len;                /* stderr's last line, if it may be the tender's */
	char held[OUTPUT_LINE_MAX];
};

/* Lines of container name go to out and err (descriptors). */
void output_init(struct output *o, const char *name, int out, int err);

/*
 * The container runs from now on. Before, the process is the tender
 * starting it, whose messages (why a start failed) are shown as they are,
 * sanitized but without the prefix.
 */
void output_started(struct output *o);

/* n bytes the process wrote to its stdout (which = 0) or stderr (1). */
void output_feed(struct output *o, int which, const char *buf, size_t n);

/* The process ended with exit status status: the last partial lines, then the tender's line. */
void output_end(struct output *o, int status);

#endif /* HAKO_OUTPUT_H */
