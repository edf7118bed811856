/* hako CLI: `hako up FILE` runs a compose file's containers in one hypervisor; `hako down` stops them. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compose.h"
#include "state.h"

/* The `hako run --platform hv` command line for the whole file: SPEC + SPEC + ... */
static char **hv_argv(const struct compose *cf, int *argc)
{
	size_t max = 2;
	char **argv;
	int n = 0;

	for (unsigned i = 0; i < cf->n; i++)
		max += 12 + (size_t)(cf->c[i].nargs + 2 * cf->c[i].nports + 2 * cf->c[i].nenv);
	if (!(argv = calloc(max, sizeof(*argv))))
		return NULL;
	argv[n++] = "run";
	for (unsigned i = 0; i < cf->n; i++) {
		const struct compose_ctr *c = &cf->c[i];
		if (i)
			argv[n++] = "+";
		argv[n++] = "--name";
		argv[n++] = (char *)c->name;
		if (c->memory)
			argv[n++] = "-m", argv[n++] = c->memory;
		for (int k = 0; k < c->nports; k++)
			argv[n++] = "-p", argv[n++] = c->ports[k];
		if (c->volume)
			argv[n++] = "-v", argv[n++] = c->volume;
		for (int k = 0; k < c->nenv; k++)
			argv[n++] = "-e", argv[n++] = c->env[k];
		argv[n++] = "--";
		argv[n++] = c->image;
		for (int k = 0; k < c->nargs; k++)
			argv[n++] = c->args[k];
	}
	argv[n] = NULL;
	*argc = n;
	return argv;
}

static const char up_usage[] = "usage: hako up [-d] [--platform hv] FILE";

int cmd_up(int argc, char **argv)
{
	const char *file = NULL;
	struct compose cf;
	int detach = 0, err, n;
	char **args;

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
	if (!(args = hv_argv(&cf, &n)))
		return cli_fail("out of %s", "memory");
	return run_hv_args(n, args, detach);
}

int cmd_down(int argc, char **argv)
{
	int at = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1; /* after "--", FILE may start with '-' */
	const char *file = argv[at];
	struct compose cf;
	char **names;
	int err, n = 1;

	if (argc != at + 1 || (at == 1 && file[0] == '-'))
		return cli_fail("usage: hako down [--] FILE%s", "");
	if ((err = compose_read(file, &cf, 0)))
		return err;
	if (!(names = calloc(cf.n + 2, sizeof(*names))))
		return cli_fail("out of %s", "memory");
	names[0] = "stop";
	for (unsigned i = 0; i < cf.n; i++)
		if (state_name_busy(cf.c[i].name))
			names[n++] = cf.c[i].name;
	if (n == 1) {
		printf("nothing of %s is running\n", file);
		return 0;
	}
	return cmd_stop(n, names);
}
