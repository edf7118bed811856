/* SPDX-License-Identifier: ISC */
/* hv platform, host side: read the hv's console lines by the contract in hako/protocol.h. */
#include "console.h"

#include <stdlib.h>
#include <string.h>

#include "hako/abi.h"
#include "hako/protocol.h"

#define PREFIX_LEN (sizeof(HAKO_LINE_PREFIX) - 1)

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The decimal number s starts with; -1 if it does not start with one. */
static int number(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n && n < 10 ? atoi(s) : -1;
}

/* After a container's name: how it ended, as an exit status; -1 if not an end line. */
static int end_status(const char *what)
{
	if (starts(what, HAKO_LINE_EXITED))
		return number(what + strlen(HAKO_LINE_EXITED));
	if (starts(what, HAKO_LINE_KILLED) || starts(what, HAKO_LINE_FAILED))
		return HAKO_EXIT_KILLED;
	if (!strcmp(what, HAKO_LINE_STOPPED))
		return HAKO_EXIT_STOPPED;
	return -1;
}

void hv_line_parse(const char *line, struct hv_line *l)
{
	const char *p = line + PREFIX_LEN, *what, *at;
	int counted, status;
	size_t n;

	*l = (struct hv_line){ .kind = HV_LINE_OTHER };
	if (!starts(line, HAKO_LINE_PREFIX))
		return;
	n = strcspn(p, " ");
	what = p + n;
	counted = n == strspn(p, "0123456789"); /* "N containers ...", not a name */
	if (counted && starts(what, HAKO_LINE_LOADED)) {
		l->kind = HV_LINE_LOADED;
	} else if (counted && starts(what, HAKO_LINE_SUMMARY) &&
		   (at = strstr(what, HAKO_LINE_STATUS)) &&
		   (status = number(at + strlen(HAKO_LINE_STATUS))) >= 0) {
		l->kind = HV_LINE_SUMMARY;
		l->status = status;
	} else if ((status = end_status(what)) >= 0) {
		*l = (struct hv_line){
			.kind = HV_LINE_END, .name = p, .name_len = n, .status = status
		};
	}
}
