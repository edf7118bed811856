/* SPDX-License-Identifier: ISC */
/* hv platform, host side: parse the containers (SPECs) of `hako run --platform hv`. */
#include "hv.h"

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

static int read_image(struct hv_ctr *c)
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
static int name_taken(const char *name, void *arg)
{
	const struct hv_run *r = arg;

	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->c[i].e.name, name))
			return 1;
	return !r->bundle_out && state_name_busy(name);
}

/* The container's name: the one given, else a default that no other of the run has. */
static int set_name(struct hv_run *r, struct hv_ctr *c, const struct spec *s)
{
	if (!s->name) {
		spec_default_name(c->path, c->e.name, name_taken, r);
		return 0;
	}
	for (unsigned k = 0; k < r->n; k++)
		if (!strcmp(r->c[k].e.name, s->name))
			return cli_fail("two containers named '%s'", s->name);
	snprintf(c->e.name, sizeof(c->e.name), "%s", s->name);
	return 0;
}

/* argv (the name first, then the arguments) and the environment, as the bundle holds them. */
static int set_strings(struct hv_ctr *c, const struct spec *s)
{
	if (add_string(&c->e, c->e.name))
		return 2;
	c->e.argc = 1;
	for (int k = 0; k < s->argc; k++, c->e.argc++)
		if (add_string(&c->e, s->argv[k]))
			return cli_fail("%s: arguments and environment too long (" STRINGS_MAX " bytes at most, "
					"a NUL after each)", c->path);
	for (int k = 0; k < s->envc; k++, c->e.envc++)
		if (add_string(&c->e, s->env[k]))
			return cli_fail("%s: arguments and environment too long (" STRINGS_MAX " bytes at most, "
					"a NUL after each)", c->path);
	return 0;
}

/* The network a SPEC asks for: the run's --net is the NIC; a container has an address or none. */
static int set_net(struct hv_ctr *c, const struct spec *s)
{
	if (s->net != SPEC_NET_DEFAULT)
		return cli_fail("run: on hv, %s goes before the first SPEC (it is the hypervisor's)", "--net");
	c->no_net = s->ip == SPEC_IP_NONE;
	c->ip_set = s->ip == SPEC_IP_STATIC || s->ip == SPEC_IP_DHCP; /* dhcp: address 0 */
	if (s->ip == SPEC_IP_STATIC) {
		c->addr = s->ipv4_addr;
		c->mask = s->ipv4_netmask;
	}
	return 0;
}

static int too_many(void)
{
	char max[16];

	snprintf(max, sizeof(max), "%d", HAKO_BUNDLE_MAX);
	return cli_fail("too many containers in one hypervisor (%s at most: "
			"run the others in another `hako run` or `hako up`)", max);
}

/* One container from its spec: the entry names, counts and sizes it; then its image. */
static int add_spec(struct hv_run *r, const struct spec *s)
{
	struct hv_ctr *c = &r->c[r->n];
	const char *why;
	int err;

	if ((why = spec_check(s)))
		return cli_fail("bad container: %s", why);
	c->spec = s;
	c->path = s->image;
	c->e.mem_mib = (uint32_t)(s->mem >> 20);
	if ((err = set_net(c, s)) || (err = set_name(r, c, s)) || (err = set_strings(c, s)))
		return err;
	if (s->volume && (err = hv_disk_volume(&r->disks, &c->e, s->volume, s->volume_ro)))
		return err;
	r->n++;
	return read_image(c);
}

int hv_add_specs(struct hv_run *r, const struct spec *specs, unsigned n)
{
	int err;

	if (n > HAKO_BUNDLE_MAX)
		return too_many();
	if (!(r->c = calloc(n, sizeof(*r->c))))
		return cli_fail("out of %s", "memory");
	for (unsigned i = 0; i < n; i++)
		if ((err = add_spec(r, &specs[i])))
			return err;
	return n ? hv_net_finish(r) : cli_fail("run: no %s given", "IMAGE");
}

int hv_parse(struct hv_run *r, int argc, char **argv)
{
	struct spec *specs;
	unsigned n;
	int i = 1, err;

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
			if ((err = hv_disk_add(&r->disks, argv[i + 1])))
				return err;
		} else if (!strcmp(argv[i], "--pidfile"))
			r->pidfile = argv[i + 1];
		else
			break;
	}
	if (r->bundle_in) /* its entries carry their addresses; --net still picks the NIC */
		return i == argc ? hv_net_finish(r) : cli_fail("run: --bundle takes no %s", "SPEC");
	if (!(specs = calloc(HAKO_BUNDLE_MAX, sizeof(*specs))))
		return cli_fail("out of %s", "memory");
	for (n = 0; i < argc; n++) {
		if (n == HAKO_BUNDLE_MAX)
			return too_many();
		spec_init(&specs[n]);
		if ((err = spec_parse(&specs[n], argc, argv, &i, 1)))
			return err;
		if (i < argc)
			i++; /* the "+" */
	}
	return hv_add_specs(r, specs, n);
}
