/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: compose files, the containers `hako up` runs together.
 * The format (docs/usage.md):
 *
 *   # a comment (whole lines only)
 *   [web]                        a container and its name
 *   image  = build/apps/httpd.elf   required; relative paths are from the file's folder
 *   args   = -p 80 "two words"      split at spaces; "..." or '...' keep them
 *   memory = 64M                 2M to 16G (default 64M)
 *   ports  = 8080:80, 127.0.0.1:7777:7/udp   [IP:]HOST:CTR[/udp], comma-separated
 *   volume = build/site.img:ro   FILE[:ro], relative to the file's folder
 *   env    = KEY=VALUE           repeatable, one per line
 *
 * Every problem is one line naming the file, the line and the field.
 */
#ifndef HAKO_COMPOSE_H
#define HAKO_COMPOSE_H

#include "hako/bundle.h"
#include "spec.h"

#define COMPOSE_ARGS_MAX 64
#define COMPOSE_ENV_MAX  SPEC_ENV_MAX

/* One [name] section: the container as `hako up` runs it, and where each field was. */
struct compose_ctr {
	char name[HAKO_NAME_MAX];
	unsigned line;                     /* of its [name] */
	unsigned image_line, args_line, memory_line, ports_line, volume_line; /* 0: not given */
	char *image, *volume;              /* paths resolved; allocated */
	char *args[COMPOSE_ARGS_MAX];
	int nargs;
	struct spec spec;                  /* the container: points to the above */
};

struct compose {
	const char *file;
	struct compose_ctr *c;
	unsigned n;
};

/*
 * Read and check file; 0, or 2 after one line "hako: FILE:LINE: FIELD:
 * problem". With check, the image and volume files must be there and the
 * images must be containers (`hako down` only needs the names).
 */
int compose_read(const char *file, struct compose *out, int check);

/* 0 if no container of the file runs and its ports are free, else 2 after one line. */
int compose_can_start(const struct compose *cf);

#endif /* HAKO_COMPOSE_H */
