/* SPDX-License-Identifier: ISC */
/* A container's console output: sanitized, buffered by line, printed with its name. */
#ifndef HV_OUTPUT_H
#define HV_OUTPUT_H

#include <stddef.h>

#include "pd.h"

/*
 * Take n bytes pd wrote to its console (already copied in): each byte
 * sanitized (lib/sanitize.c), so no control byte, C1 control or broken
 * UTF-8 reaches the host's terminal; a whole line is printed as
 * "NAME: text", and a line longer than the buffer is split, never inside
 * a character.
 */
void output_write(struct pd *pd, const char *buf, size_t n);
/* Print what is left of pd's current line (before a line of the hv's about pd). */
void output_flush(struct pd *pd);

#endif /* HV_OUTPUT_H */
