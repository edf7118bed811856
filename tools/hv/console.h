/* SPDX-License-Identifier: ISC */
/* hv platform, host side: what a line of the hv's console says (the lines of hako/protocol.h). */
#ifndef HAKO_HV_CONSOLE_H
#define HAKO_HV_CONSOLE_H

#include <stddef.h>

struct hv_line {
	enum { HV_LINE_OTHER, HV_LINE_LOADED, HV_LINE_END, HV_LINE_SUMMARY } kind;
	const char *name; /* HV_LINE_END: the container's name, in the line */
	size_t name_len;
	int status; /* HV_LINE_END: its exit status; HV_LINE_SUMMARY: the run's */
};

/*
 * Read one console line (its newline taken off) into l: every container
 * loaded, a container's end (exited, killed, failed to start, stopped) or
 * the summary; anything else, a container's own lines included, is
 * HV_LINE_OTHER. Pure: for the runner and its tests.
 */
void hv_line_parse(const char *line, struct hv_line *l);

#endif /* HAKO_HV_CONSOLE_H */
