/* hako: the command line. `hako run` starts containers on a platform. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devopts.h"
#include "hako/abi.h"
#include "proc/proc.h"
#include "run_hv.h"

#define MEM_DEFAULT (64ull << 20)
#define MEM_MIN     (2ull << 20)
#define MEM_MAX     (16ull << 30)
#define ENV_MAX     64

static const char usage[] =
	"usage: hako run [OPTIONS] IMAGE [ARGS...]   run a container\n"
	"       hako help | version\n"
	"\n"
	"run options:\n"
	"  --platform proc|hv  where to run it (default: proc)\n"
	"  --name NAME         container name (default: the image's file name)\n"
	"  -m, --memory SIZE   memory for heap and stack, e.g. 64M, 1G (default 64M)\n"
	"  -e, --env KEY=VALUE set an environment variable (repeatable)\n"
	"\n"
	"devices (proc platform):\n"
	"  -v, --volume FILE[:ro]  block device backed by FILE (512-byte blocks; :ro read-only)\n"
	"  --net tap:NAME      attach to TAP device NAME (needs CAP_NET_ADMIN)\n"
	"  --net passt         rootless user-mode networking through passt (default with -p)\n"
	"  -p, --publish [IP:]HOSTPORT:CTRPORT[/udp]\n"
	"                      publish a container port through passt, on 127.0.0.1\n"
	"                      unless IP is given (repeatable; TCP unless /udp)\n"
	"  --ip A.B.C.D/N      the container's IPv4 address (passt default 10.0.2.15/24,\n"
	"                      passt is .2, the gateway, and .3, DNS, of the subnet)\n"
	"  --gw A.B.C.D        the container's IPv4 gateway\n"
	"  The container's MAC is 02:00 followed by its IPv4 address; its MTU is 1500.\n"
	"\n"
	"For several containers in one hypervisor see `hako run --platform hv --help`.\n";

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "hako: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see `hako help`)\n");
	return 2;
}

/* "64", "64M", "1G", "512k": bytes, or 0 if malformed or out of range. */
static unsigned long long parse_size(const char *s)
{
	unsigned long long v, unit = 1ull << 20;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': unit = 1ull << 10; end++; break;
	case 'm': case 'M': unit = 1ull << 20; end++; break;
	case 'g': case 'G': unit = 1ull << 30; end++; break;
	}
	if ((*end == 'b' || *end == 'B') && end[1] == 0)
		end++;
	if (*end || v > MEM_MAX / unit)
		return 0;
	v *= unit;
	return v >= MEM_MIN && v <= MEM_MAX ? v : 0;
}

static const char *base_name(const char *path)
{
	static char name[HAKO_NAME_MAX];
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	if (n == 0 || n >= sizeof(name))
		n = strlen(b) < sizeof(name) ? strlen(b) : sizeof(name) - 1;
	memcpy(name, b, n);
	name[n] = 0;
	return name;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= HAKO_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!(*s == '-' || *s == '_' || *s == '.' || (*s >= '0' && *s <= '9') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

/*
 * Take "--platform X" out of the options before the image, so the rest can
 * go to the platform's own parser. Every run option takes one value.
 */
static const char *take_platform(int *argc, char **argv)
{
	const char *platform = "proc";

	for (int i = 1; i + 1 < *argc && argv[i][0] == '-' && strcmp(argv[i], "--"); ) {
		if (strcmp(argv[i], "--platform")) {
			i += 2;
			continue;
		}
		platform = argv[i + 1];
		memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 1) * sizeof(*argv));
		*argc -= 2;
	}
	return platform;
}

static int cmd_run(int argc, char **argv)
{
	static char *envp[ENV_MAX];
	struct proc_opts o = { .mem = MEM_DEFAULT, .envp = envp };
	const char *platform = take_platform(&argc, argv);
	const char *why = NULL;
	int i;

#ifdef HAKO_NO_HV
	if (!strcmp(platform, "hv"))
		return fail("platform '%s' is not part of this build", platform);
#else
	if (!strcmp(platform, "hv"))
		return run_hv(argc, argv);
#endif
	if (strcmp(platform, "proc"))
		return fail("unknown platform '%s': expected proc or hv", platform);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--name") && v) {
			if (!valid_name(v))
				return fail("bad container name '%s': use 1-31 of [A-Za-z0-9._-]", v);
			o.name = v;
		} else if ((!strcmp(a, "-m") || !strcmp(a, "--memory")) && v) {
			if (!(o.mem = parse_size(v)))
				return fail("bad memory size '%s': expected 2M to 16G, e.g. 64M", v);
		} else if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && v) {
			if (!strchr(v, '=') || v[0] == '=')
				return fail("bad environment variable '%s': expected KEY=VALUE", v);
			if (o.envc == ENV_MAX)
				return fail("too many environment variables (%s)", "64 at most");
			envp[o.envc++] = argv[i + 1];
		} else if ((!strcmp(a, "-v") || !strcmp(a, "--volume")) && v) {
			why = devopt_volume(&o, v);
		} else if (!strcmp(a, "--net") && v) {
			why = devopt_net(&o, v);
		} else if ((!strcmp(a, "-p") || !strcmp(a, "--publish")) && v) {
			why = devopt_port(&o, v);
		} else if (!strcmp(a, "--ip") && v) {
			why = devopt_ip(&o, v);
		} else if (!strcmp(a, "--gw") && v) {
			why = devopt_gw(&o, v);
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			return fail(v || a[1] != '-' ? "run: unknown option '%s'" : "run: option '%s' needs a value", a);
		}
		if (why)
			return fail(why, v);
		i++; /* the option's value */
	}
	if ((why = devopt_finish(&o)))
		return fail("%s", why);
	if (i >= argc)
		return fail("run: no %s given", "IMAGE");
	o.image = argv[i];
	o.name = o.name ? o.name : base_name(o.image);
	o.argc = argc - i;
	o.argv = argv + i;
	o.argv[0] = (char *)o.name;
	return proc_run(&o);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fputs(usage, stderr), 2;
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return fputs(usage, stdout), 0;
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version"))
		return printf("hako %s, ABI %d.%d\n", HAKO_VERSION, HAKO_ABI_MAJOR, HAKO_ABI_MINOR), 0;
	return fail("unknown command '%s'", argv[1]);
}
