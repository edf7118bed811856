/* SPDX-License-Identifier: ISC */
/* The container-name rule, one function for the CLI, the bundle validator and the control channel. */
#ifndef HAKO_NAME_H
#define HAKO_NAME_H

#include <stddef.h>

#include "hako/abi.h"

/*
 * int hako_name_ok(const char *name (name), size_t len (len))
 *   1 if the len bytes at name are a container name, else 0. A name is
 *   1 to HAKO_NAME_MAX - 1 of [A-Za-z0-9._-], starts with a letter or a
 *   digit and is not "hako". So a name is never an option ("-x"), never a
 *   path step ("." or "..") nor hidden, and no line a container writes,
 *   shown as "NAME: text", can start like the platform's "hako: " lines.
 *   name need not be NUL-terminated; a NUL inside the len bytes fails.
 */
static inline int hako_name_ok(const char *name, size_t len)
{
	if (len == 0 || len >= HAKO_NAME_MAX)
		return 0;
	if (len == 4 && name[0] == 'h' && name[1] == 'a' && name[2] == 'k' && name[3] == 'o')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
			return 0;
	}
	return 1;
}

/* The rule in words, for error messages. */
#define HAKO_NAME_RULE "use 1-31 of [A-Za-z0-9._-], starting with a letter or digit, not 'hako'"

#endif /* HAKO_NAME_H */
