/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: one container as the user asked for it, whatever the front end
 * (`hako run`'s options, a compose file's section, later an OCI
 * config.json) and whatever the platform. A front end fills a spec with
 * the parsers below (or, with values it has checked itself, field by
 * field); the platform then checks what it supports (tools/proc/opts.c,
 * tools/hv/) and never parses a string of it again.
 */
#ifndef HAKO_SPEC_H
#define HAKO_SPEC_H

#include <stdint.h>

#include "hako/abi.h"

#define SPEC_ENV_MAX     64
#define SPEC_PORTS_MAX   16
#define SPEC_MEM_DEFAULT (64ull << 20)

/* One published port: host addr:port forwarded to the container's port. */
struct spec_port {
	int udp;       /* 0: TCP, 1: UDP */
	char addr[16]; /* host IPv4 address to bind, dotted */
	uint16_t host, ctr;
};

enum spec_net { SPEC_NET_DEFAULT, SPEC_NET_NONE, SPEC_NET_TAP, SPEC_NET_PASST };
enum spec_ip { SPEC_IP_DEFAULT, SPEC_IP_STATIC, SPEC_IP_DHCP, SPEC_IP_NONE };

struct spec {
	const char *name;  /* --name, or NULL: the platform picks one (spec_default_name) */
	const char *image; /* the container's ELF file */
	uint64_t mem;      /* -m: bytes of heap and stack (CLI_MEM_MIN to CLI_MEM_MAX) */
	int argc;          /* its arguments after the image (argv[0] is the first) */
	char *const *argv;
	int envc;
	const char *env[SPEC_ENV_MAX]; /* -e: "KEY=VALUE" (spec_env_ok) */

	const char *volume; /* -v: the block device's file (hv: or diskN:OFFSET:SIZE), or NULL */
	int volume_ro;      /* -v ...:ro */
	enum spec_net net;  /* --net: the proc platform's device (the hv's is the run's) */
	const char *tap;    /* --net tap:NAME */
	int nports;         /* -p */
	struct spec_port ports[SPEC_PORTS_MAX];
	enum spec_ip ip;                  /* --ip */
	uint32_t ipv4_addr, ipv4_netmask; /* SPEC_IP_STATIC; network order */
	int gw_set;                       /* --gw */
	uint32_t ipv4_gateway;
};

/* An empty spec: no image yet, SPEC_MEM_DEFAULT, everything else unset. */
void spec_init(struct spec *s);

/* 1 if opt is a container option (spec_option); every one takes a value. */
int spec_is_option(const char *opt);

/*
 * One container option opt with its value v into s:
 *   --name NAME            the name rule (include/hako/name.h)
 *   -m, --memory SIZE      cli_parse_size
 *   -e, --env KEY=VALUE    at most SPEC_ENV_MAX
 *   -v, --volume VOL[:ro|:rw]  one per container
 *   --net tap:NAME|passt|none
 *   -p, --publish [IP:]HOSTPORT:CTRPORT[/udp|/tcp]   at most SPEC_PORTS_MAX
 *   --ip A.B.C.D/N|dhcp|none   N from 1 to 30
 *   --gw A.B.C.D
 * opt MUST be one of these (spec_is_option). v is kept, not copied (but
 * -v's value). Returns NULL, or a printf format with one %s (the value)
 * saying what is wrong.
 */
const char *spec_option(struct spec *s, const char *opt, const char *v);

/*
 * The command-line form from argv[*i]: options, an optional "--", IMAGE,
 * ARGS. With plus, a lone "+" ends the ARGS (for several containers) and
 * *i is left on it; else *i ends at argc. The option list stops at the
 * first word not starting with '-' (a lone "-" is an IMAGE). 0, or 2
 * after one line on stderr.
 */
int spec_parse(struct spec *s, int argc, char **argv, int *i, int plus);

/* An -e value: KEY=VALUE with a KEY. */
int spec_env_ok(const char *v);

/*
 * The name a spec without one gets: the image's file name up to its first
 * dot (or "ctr" if that breaks the name rule), then "-2", "-3", ... while
 * taken(name, arg) says it is taken. Into name (HAKO_NAME_MAX bytes).
 */
void spec_default_name(const char *image, char *name, int (*taken)(const char *name, void *arg),
		       void *arg);

/*
 * What every platform relies on, for a spec filled field by field: an
 * image, a name (if any) by the rule, memory in range, env entries
 * KEY=VALUE, counts in range. NULL, or why not.
 */
const char *spec_check(const struct spec *s);

#endif /* HAKO_SPEC_H */
