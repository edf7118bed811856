/* SPDX-License-Identifier: ISC */
/* hako CLI: parse and check a container's options, one spec (spec.h) for every front end. */
#include "spec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hako/name.h"

#define VOLUME_MAX 4096 /* bytes of a -v value */

static int parse_ip(const char *s, uint32_t *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

/* A decimal number in [lo, hi], the whole string; -1 otherwise. */
static long parse_num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < lo || v > hi ? -1 : v;
}

static uint32_t mask_of(int bits)
{
	return htonl(bits ? ~0u << (32 - bits) : 0);
}

static const char *set_name(struct spec *s, const char *v)
{
	if (!hako_name_ok(v, strlen(v)))
		return "bad container name '%s': " HAKO_NAME_RULE;
	s->name = v;
	return NULL;
}

static const char *set_mem(struct spec *s, const char *v)
{
	if (!(s->mem = cli_parse_size(v)))
		return "bad memory size '%s': expected 2M to 16G, e.g. 64M";
	return NULL;
}

static const char *set_env(struct spec *s, const char *v)
{
	if (!spec_env_ok(v))
		return "bad environment variable '%s': expected KEY=VALUE";
	if (s->envc == SPEC_ENV_MAX)
		return "too many environment variables (64 at most; '%s' is one more)";
	s->env[s->envc++] = v;
	return NULL;
}

static const char *set_volume(struct spec *s, const char *v)
{
	size_t n = strlen(v);
	char *path;

	if (s->volume)
		return "only one -v is supported (got another: '%s')";
	s->volume_ro = 0;
	if (n > 3 && (!strcmp(v + n - 3, ":ro") || !strcmp(v + n - 3, ":rw"))) {
		s->volume_ro = v[n - 1] == 'o';
		n -= 3;
	}
	if (n == 0 || n >= VOLUME_MAX)
		return "bad volume '%s': expected FILE or FILE:ro";
	if (!(path = strndup(v, n)))
		return "out of memory (for the volume '%s')";
	s->volume = path;
	return NULL;
}

static const char *set_net(struct spec *s, const char *v)
{
	if (!strcmp(v, "none")) {
		s->net = SPEC_NET_NONE;
	} else if (!strcmp(v, "passt")) {
		s->net = SPEC_NET_PASST;
	} else if (!strncmp(v, "tap:", 4) && v[4] && strlen(v + 4) < IFNAMSIZ &&
		   !strchr(v + 4, '/')) {
		s->net = SPEC_NET_TAP;
		s->tap = v + 4;
	} else {
		return "bad network '%s': expected tap:NAME, passt or none";
	}
	return NULL;
}

static const char *set_port(struct spec *s, const char *v)
{
	static const char bad[] = "bad port '%s': expected [IP:]HOSTPORT:CTRPORT[/udp]";
	struct spec_port *p = &s->ports[s->nports];
	char buf[64], *proto, *ctr, *host, *ip = NULL;
	long h, c;
	uint32_t a;

	if (s->nports == SPEC_PORTS_MAX)
		return "too many -p options (16 at most; '%s' is one more)";
	if (strlen(v) >= sizeof(buf))
		return bad;
	strcpy(buf, v);
	p->udp = 0;
	if ((proto = strchr(buf, '/'))) {
		*proto++ = 0;
		if (strcmp(proto, "udp") && strcmp(proto, "tcp"))
			return bad;
		p->udp = !strcmp(proto, "udp");
	}
	if (!(ctr = strrchr(buf, ':')))
		return bad;
	*ctr++ = 0;
	host = buf;
	if ((ip = strchr(buf, ':'))) {
		*ip = 0;
		host = ip + 1;
		ip = buf;
	}
	h = parse_num(host, 1, 65535);
	c = parse_num(ctr, 1, 65535);
	if (h < 0 || c < 0 || (ip && !parse_ip(ip, &a)))
		return bad;
	/* Loopback unless asked: publish nothing by accident. */
	strcpy(p->addr, ip ? ip : "127.0.0.1");
	p->host = (uint16_t)h;
	p->ctr = (uint16_t)c;
	s->nports++;
	return NULL;
}

static const char *set_ip(struct spec *s, const char *v)
{
	char buf[32], *slash;
	long bits;

	if (!strcmp(v, "dhcp") || !strcmp(v, "none")) {
		s->ip = v[0] == 'd' ? SPEC_IP_DHCP : SPEC_IP_NONE;
		return NULL;
	}
	if (strlen(v) >= sizeof(buf) || !(slash = strchr(strcpy(buf, v), '/')))
		return "bad address '%s': expected A.B.C.D/N, dhcp or none";
	*slash = 0;
	bits = parse_num(slash + 1, 1, 30);
	if (bits < 0 || !parse_ip(buf, &s->ipv4_addr))
		return "bad address '%s': expected A.B.C.D/N, N from 1 to 30";
	s->ipv4_netmask = mask_of((int)bits);
	s->ip = SPEC_IP_STATIC;
	return NULL;
}

static const char *set_gw(struct spec *s, const char *v)
{
	if (!parse_ip(v, &s->ipv4_gateway))
		return "bad gateway '%s': expected A.B.C.D";
	s->gw_set = 1;
	return NULL;
}

static const struct option {
	const char *opt, *alias;
	const char *(*set)(struct spec *s, const char *v);
} options[] = {
	{ "--name", NULL, set_name }, { "-m", "--memory", set_mem },
	{ "-e", "--env", set_env },   { "-v", "--volume", set_volume },
	{ "--net", NULL, set_net },   { "-p", "--publish", set_port },
	{ "--ip", NULL, set_ip },     { "--gw", NULL, set_gw },
};

static const struct option *find(const char *opt)
{
	for (unsigned i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(opt, options[i].opt) ||
		    (options[i].alias && !strcmp(opt, options[i].alias)))
			return &options[i];
	return NULL;
}

void spec_init(struct spec *s)
{
	*s = (struct spec){ .mem = SPEC_MEM_DEFAULT };
}

int spec_is_option(const char *opt)
{
	return find(opt) != NULL;
}

const char *spec_option(struct spec *s, const char *opt, const char *v)
{
	return find(opt)->set(s, v);
}

static int is_plus(const char *a, int plus)
{
	return plus && !strcmp(a, "+");
}

int spec_parse(struct spec *s, int argc, char **argv, int *i, int plus)
{
	const char *why;

	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; *i += 2) {
		const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
		if (!strcmp(a, "--")) {
			++*i;
			break;
		}
		if (!spec_is_option(a))
			return cli_fail("run: unknown option '%s' (see `hako help`)", a);
		if (!v)
			return cli_fail("run: option '%s' needs a value", a);
		if ((why = spec_option(s, a, v)))
			return cli_fail(why, v);
	}
	if (*i >= argc || is_plus(argv[*i], plus))
		return cli_fail("run: no %s given", "IMAGE");
	s->image = argv[(*i)++];
	s->argv = argv + *i;
	for (s->argc = 0; *i < argc && !is_plus(argv[*i], plus); ++*i)
		s->argc++;
	return 0;
}

int spec_env_ok(const char *v)
{
	return strchr(v, '=') && v[0] != '=';
}

void spec_default_name(const char *image, char *name, int (*taken)(const char *name, void *arg),
		       void *arg)
{
	const char *b = strrchr(image, '/');
	size_t n;

	b = b ? b + 1 : image;
	n = strcspn(b, ".");
	n = n < HAKO_NAME_MAX - 4 ? n : HAKO_NAME_MAX - 5; /* room for "-999" */
	memcpy(name, b, n);
	name[n] = 0;
	if (!hako_name_ok(name, n))
		strcpy(name, "ctr"), n = 3;
	for (unsigned k = 2; k < 1000 && taken(name, arg); k++)
		snprintf(name + n, HAKO_NAME_MAX - n, "-%u", k);
}

const char *spec_check(const struct spec *s)
{
	if (!s->image || !*s->image)
		return "no image";
	if (s->name && !hako_name_ok(s->name, strlen(s->name)))
		return "a bad container name";
	if (s->mem < CLI_MEM_MIN || s->mem > CLI_MEM_MAX)
		return "memory outside 2M to 16G";
	if (s->argc < 0 || s->envc < 0 || s->envc > SPEC_ENV_MAX || s->nports < 0 ||
	    s->nports > SPEC_PORTS_MAX)
		return "too many arguments, variables or ports";
	for (int i = 0; i < s->envc; i++)
		if (!spec_env_ok(s->env[i]))
			return "an environment variable that is not KEY=VALUE";
	for (int i = 0; i < s->nports; i++)
		if (!s->ports[i].host || !s->ports[i].ctr)
			return "a published port 0";
	return NULL;
}
