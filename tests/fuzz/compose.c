/* SPDX-License-Identifier: ISC */
/* Fuzz target: the compose file parser (tools/compose.c), through a memory file. */
#include "fuzz.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "compose.h"
#include "hako/name.h"
#include "state.h"

/*
 * The CLI reads one compose file and exits: compose_read frees nothing on
 * its error paths, by design. Leaks are not what this target looks for.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* compose_can_start's record lookup is not under test. */
int state_name_busy(const char *name)
{
	return 0;
}

static int fd = -1;
static char path[64];

static void check_ctr(const struct compose_ctr *c)
{
	const struct spec *s = &c->spec;

	FUZZ_CHECK(hako_name_ok(c->name, strlen(c->name)) && s->name == c->name);
	FUZZ_CHECK(s->image == c->image && c->image && c->image_line >= c->line);
	FUZZ_CHECK(s->volume == c->volume);
	FUZZ_CHECK(c->nargs >= 0 && c->nargs <= COMPOSE_ARGS_MAX);
	FUZZ_CHECK(s->argc == c->nargs && s->argv == c->args);
	FUZZ_CHECK(s->envc >= 0 && s->envc <= COMPOSE_ENV_MAX);
	FUZZ_CHECK(s->nports >= 0 && s->nports <= SPEC_PORTS_MAX);
	for (int i = 0; i < c->nargs; i++)
		FUZZ_CHECK(c->args[i] && strcmp(c->args[i], "+"));
	for (int i = 0; i < s->envc; i++)
		FUZZ_CHECK(spec_env_ok(s->env[i]));
	for (int i = 0; i < s->nports; i++)
		FUZZ_CHECK(s->ports[i].host && s->ports[i].ctr);
	FUZZ_CHECK(s->mem >= CLI_MEM_MIN && s->mem <= CLI_MEM_MAX);
	FUZZ_CHECK(spec_check(s) == NULL); /* what every platform relies on */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compose cf;

	if (fd < 0) {
		if ((fd = memfd_create("compose", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	/* Without check: the fields, not files named by fuzz input. */
	if (compose_read(path, &cf, 0) == 0) {
		FUZZ_CHECK(cf.n >= 1 && cf.n <= HAKO_BUNDLE_MAX);
		for (unsigned i = 0; i < cf.n; i++) {
			check_ctr(&cf.c[i]);
			for (unsigned k = 0; k < i; k++)
				FUZZ_CHECK(strcmp(cf.c[i].name, cf.c[k].name));
		}
	}
	/* What compose_read allocated that the structure still points to. */
	for (unsigned i = 0; cf.c && i < cf.n; i++) {
		free(cf.c[i].image);
		free(cf.c[i].volume);
	}
	free(cf.c);
	return 0;
}
