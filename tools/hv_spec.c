/* hv platform, host side: parse the containers (SPECs) of `hako run --platform hv`. */
#include "hv_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hako/name.h"
#include "image.h"
#include "state.h"

const char hv_usage[] =
	"usage: hako run --platform hv [HV-OPTIONS] SPEC [+ SPEC]...\n"
	"  SPEC: [--name NAME] [-m SIZE] [-e KEY=VALUE]... [--] IMAGE [ARGS...]\n"
	"  a lone '+' starts the next container; all run side by side in one hypervisor\n"
	"HV-OPTIONS (before the first SPEC):\n"
	"  --hv PATH          hypervisor ELF (default $HAKO_HV or build/hv/hako-hv.elf)\n"
	"  --timeout SEC      stop after SEC seconds (exit status 124)\n"
	"  --bundle-out FILE  only write the boot bundle\n"
	"  --bundle FILE      boot an existing bundle\n"
	"  --disk FILE[:ro]   a disk for slices: disk0, disk1, ... in order (repeatable)\n"
	"  --pidfile FILE     write QEMU's process ID to FILE\n"
	"  --net user         switch + QEMU user networking (rootless; default with -p):\n"
	"                     subnet 10.0.0.0/16, gateway 10.0.2.2, DNS 10.0.2.3\n"
	"  --net tap:NAME     switch + TAP device NAME (needs CAP_NET_ADMIN)\n"
	"  --net switch       only the switch between the containers (default with --ip)\n"
	"  --net none         no network (default)\n"
	"BLOCK (in a SPEC; 512-byte blocks, one device per container):\n"
	"  -v, --volume FILE[:ro]            the whole FILE (containers naming one file share it)\n"
	"  -v, --volume diskN:OFFSET:SIZE[:ro]  a slice of the N-th --disk, e.g. disk0:1M:64M;\n"
	"                     the container sees only its slice, as a device of SIZE bytes\n"
	"NET-OPTIONS (in a SPEC; with a network, every container is on the switch):\n"
	"  --ip A.B.C.D/N     the container's address (default 10.0.2.15/16, .16, ... in order)\n"
	"  --ip none          keep this container off the switch\n"
	"  --gw A.B.C.D       its gateway (default .2 with --net user, else none)\n"
	"  -p, --publish [IP:]HOSTPORT:CTRPORT[/udp]\n"
	"                     forward HOSTPORT on IP (default 127.0.0.1) to the container\n"
	"  the MAC of a container is 02:00 followed by its IPv4 address\n"
	"exit status: 0 if every container exited 0, else the first failing status\n"
	"(255 for a container the hypervisor killed or could not start).\n";

#define STRINGS_MAX "3584" /* HAKO_STRINGS_MAX, for the message */
_Static_assert(HAKO_STRINGS_MAX == 3584, "STRINGS_MAX says HAKO_STRINGS_MAX");

static int add_string(struct hako_bundle_entry *e, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > sizeof(e->strings) - e->strings_len)
		return -1;
	memcpy(e->strings + e->strings_len, s, n);
	e->strings_len += (uint32_t)n;
	return 0;
}

static int read_image(struct ctr *c)
{
	char q[CLI_QUOTE_MAX];
	const char *why;
	struct img img;
	struct stat st;
	FILE *f = fopen(c->path, "rb");

	if (!f) {
		fprintf(stderr, "hako: %s: cannot open: %s\n", cli_quote(q, sizeof(q), c->path), strerror(errno));
		return 2;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return cli_fail("%s: not a regular file", c->path);
	}
	if (st.st_size > IMG_MAX_SIZE) {
		fclose(f);
		return cli_fail("%s: file too large", c->path);
	}
	c->size = (size_t)st.st_size;
	c->image = malloc(c->size ? c->size : 1);
	if (!c->image || fread(c->image, 1, c->size, f) != c->size) {
		fclose(f);
		return cli_fail("%s: cannot read", c->path);
	}
	fclose(f);
	if (img_parse(c->image, c->size, &img, &why)) {
		fprintf(stderr, "hako: %s: %s\n", cli_quote(q, sizeof(q), c->path), why);
		return 2;
	}
	return 0;
}

/* By another container of this run, or a running one (a default name steps aside). */
static int name_taken(const struct run *r, const struct ctr *c, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (&r->c[i] != c && !strcmp(r->c[i].e.name, name))
			return 1;
	return !r->bundle_out && state_name_busy(name);
}

/* The default name: the file name up to its first dot, made unique. */
static void default_name(struct run *r, struct ctr *c)
{
	const char *b = strrchr(c->path, '/');
	char name[HAKO_NAME_MAX];
	size_t n;

	b = b ? b + 1 : c->path;
	n = strcspn(b, ".");
	n = n >= sizeof(name) - 4 ? sizeof(name) - 4 : n;
	memcpy(name, b, n);
	name[n] = 0;
	if (!hako_name_ok(name, strlen(name)))
		strcpy(name, "ctr"), n = 3;
	for (unsigned k = 2; k < 1000 && name_taken(r, c, name); k++)
		snprintf(name + n, sizeof(name) - n, "-%u", k);
	memcpy(c->e.name, name, sizeof(name));
}

/* One of a SPEC's network options, parsed by the proc platform's parsers. */
static int net_option(struct ctr *c, const char *a, const char *v)
{
	const char *why;

	if (!strcmp(a, "--ip") && !strcmp(v, "none")) {
		c->no_net = 1;
		return 0;
	}
	if (!strcmp(a, "--ip"))
		why = devopt_ip(&c->net, v), c->ip_set = 1;
	else if (!strcmp(a, "--gw"))
		why = devopt_gw(&c->net, v), c->gw_set = 1;
	else
		why = devopt_port(&c->net, v);
	return why ? cli_fail(why, v) : 0;
}

/* One SPEC from argv[*i]; leaves *i after it (on the "+" or at argc). */
static int parse_spec(struct run *r, int argc, char **argv, int *i)
{
	struct ctr *c = &r->c[r->n++];
	const char *name = NULL;
	char *envs[64];
	unsigned nenv = 0;

	c->e.mem_mib = MEM_DEFAULT_MIB;
	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; *i += 2) {
		const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
		if (!strcmp(a, "--")) {
			++*i;
			break;
		}
		if (!v)
			return cli_fail("run: option '%s' needs a value", a);
		if (!strcmp(a, "--ip") || !strcmp(a, "--gw") || !strcmp(a, "-p") ||
		    !strcmp(a, "--publish")) {
			int err = net_option(c, a, v);
			if (err)
				return err;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--volume")) {
			int err = hv_disk_volume(&r->disks, &c->e, v);
			if (err)
				return err;
		} else if (!strcmp(a, "--name")) {
			if (!hako_name_ok(v, strlen(v)))
				return cli_fail("bad container name '%s': " HAKO_NAME_RULE, v);
			name = v;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--memory")) {
			if (!(c->e.mem_mib = (uint32_t)(cli_parse_size(v) >> 20)))
				return cli_fail("bad memory size '%s': expected 2M to 16G, e.g. 64M", v);
		} else if (!strcmp(a, "-e") || !strcmp(a, "--env")) {
			if (!strchr(v, '=') || v[0] == '=')
				return cli_fail("bad environment variable '%s': expected KEY=VALUE", v);
			if (nenv == 64)
				return cli_fail("too many environment variables (%s)", "64 at most");
			envs[nenv++] = argv[*i + 1];
		} else {
			return cli_fail("run: unknown option '%s' (see `hako run --platform hv --help`)", a);
		}
	}
	if (*i >= argc || !strcmp(argv[*i], "+"))
		return cli_fail("run: no %s given", "IMAGE");
	c->path = argv[(*i)++];
	if (name) {
		for (unsigned k = 0; k + 1 < r->n; k++)
			if (!strcmp(r->c[k].e.name, name))
				return cli_fail("two containers named '%s'", name);
		strcpy(c->e.name, name);
	} else {
		default_name(r, c);
	}
	if (add_string(&c->e, c->e.name))
		return 2;
	c->e.argc = 1;
	for (; *i < argc && strcmp(argv[*i], "+"); ++*i, c->e.argc++)
		if (add_string(&c->e, argv[*i]))
			return cli_fail("%s: arguments and environment too long (" STRINGS_MAX " bytes at most, "
					"a NUL after each)", c->path);
	for (unsigned k = 0; k < nenv; k++, c->e.envc++)
		if (add_string(&c->e, envs[k]))
			return cli_fail("%s: arguments and environment too long (" STRINGS_MAX " bytes at most, "
					"a NUL after each)", c->path);
	return read_image(c);
}

int hv_parse(struct run *r, int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--hv"))
			r->hv = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout")) {
			char *end;
			unsigned long t = strtoul(argv[i + 1], &end, 10);
			if (*end || !t || t > 86400 || argv[i + 1][0] == '-')
				return cli_fail("bad timeout '%s': expected seconds, 1 to 86400", argv[i + 1]);
			r->timeout = (unsigned)t;
		}
		else if (!strcmp(argv[i], "--bundle-out"))
			r->bundle_out = argv[i + 1];
		else if (!strcmp(argv[i], "--bundle"))
			r->bundle_in = argv[i + 1];
		else if (!strcmp(argv[i], "--net"))
			r->net = argv[i + 1];
		else if (!strcmp(argv[i], "--disk")) {
			int err = hv_disk_add(&r->disks, argv[i + 1]);
			if (err)
				return err;
		} else if (!strcmp(argv[i], "--pidfile"))
			r->pidfile = argv[i + 1];
		else
			break;
	}
	if (r->bundle_in) /* its entries carry their addresses; --net still picks the NIC */
		return i == argc ? hv_net_finish(r) : cli_fail("run: --bundle takes no %s", "SPEC");
	r->c = calloc(HAKO_BUNDLE_MAX, sizeof(*r->c));
	if (!r->c)
		return cli_fail("out of %s", "memory");
	while (i < argc) {
		if (r->n == HAKO_BUNDLE_MAX) {
			char max[16];
			snprintf(max, sizeof(max), "%d", HAKO_BUNDLE_MAX);
			return cli_fail("too many containers in one hypervisor (%s at most: "
					"run the others in another `hako run` or `hako up`)", max);
		}
		int err = parse_spec(r, argc, argv, &i);
		if (err)
			return err;
		if (i < argc)
			i++; /* the "+" */
	}
	return r->n ? hv_net_finish(r) : cli_fail("run: no %s given", "IMAGE");
}
