/* SPDX-License-Identifier: ISC */
/* hako CLI: `hako up FILE` runs a compose file's containers in one hypervisor; `hako down` stops them. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compose.h"
#include "run.h"
#include "state.h"

static const char up_usage[] = "usage: hako up [-d] [--platform hv] FILE";

int cmd_up(int argc, char **argv)
{
	const char *file = NULL;
	struct compose cf;
	struct spec *specs;
	int detach = 0, err;

	for (int i = 1, opts = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = 0; /* the file only from here on */
		} else if (opts && (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--detach"))) {
			detach = 1;
		} else if (opts && !strcmp(argv[i], "--platform")) {
			if (i + 1 >= argc || strcmp(argv[++i], "hv"))
				return cli_fail("up: runs the containers in one hypervisor: --platform hv only (got '%s')",
						i < argc ? argv[i] : "");
		} else if ((opts && argv[i][0] == '-') || file) {
			char q[CLI_QUOTE_MAX];
			fprintf(stderr, "hako: up: unexpected '%s' (%s)\n", cli_quote(q, sizeof(q), argv[i]), up_usage);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (!file)
		return cli_fail("up: no FILE given (%s)", up_usage);
	if ((err = compose_read(file, &cf, 1)) || (err = compose_can_start(&cf)))
		return err;
	if (!(specs = calloc(cf.n, sizeof(*specs))))
		return cli_fail("out of %s", "memory");
	for (unsigned i = 0; i < cf.n; i++)
		specs[i] = cf.c[i].spec;
	return run_hv_specs(specs, cf.n, detach);
}

int cmd_down(int argc, char **argv)
{
	int at = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1; /* after "--", FILE may start with '-' */
	const char *file = argv[at];
	struct compose cf;
	static char stop[] = "stop"; /* argv[0] of cmd_stop */
	char **names;
	int err, n = 1;

	if (argc != at + 1 || (at == 1 && file[0] == '-'))
		return cli_fail("usage: hako down [--] FILE%s", "");
	if ((err = compose_read(file, &cf, 0)))
		return err;
	if (!(names = calloc(cf.n + 2, sizeof(*names))))
		return cli_fail("out of %s", "memory");
	names[0] = stop;
	for (unsigned i = 0; i < cf.n; i++)
		if (state_name_busy(cf.c[i].name))
			names[n++] = cf.c[i].name;
	if (n == 1) {
		printf("nothing of %s is running\n", file);
		return 0;
	}
	return cmd_stop(n, names);
}
