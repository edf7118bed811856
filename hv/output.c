/* SPDX-License-Identifier: ISC */
/* A container's console output, on its way to the hv's console (COM1). */
#include "output.h"

#include "cons.h"
#include "lib.h"

void output_flush(struct pd *pd)
{
	if (!pd->linelen)
		return;
	printf("%s: ", pd->name);
	cons_write(pd->line, pd->linelen);
	cons_write("\n", 1);
	pd->linelen = 0;
}

/* Buffer one byte, sanitized: a line never ends inside a character. */
static void put(struct pd *pd, char c)
{
	char out[SAN_OUT_MAX];
	size_t n = san_byte(&pd->san, (uint8_t)c, out);
	int eol = n && out[n - 1] == '\n';

	n -= (size_t)eol;
	if (pd->linelen + n > sizeof(pd->line))
		output_flush(pd);
	memcpy(pd->line + pd->linelen, out, n);
	pd->linelen += (uint32_t)n;
	if (eol) {
		if (!pd->linelen)
			printf("%s: \n", pd->name);
		output_flush(pd);
	}
}

void output_write(struct pd *pd, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(pd, buf[i]);
}
