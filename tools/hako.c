/* hako: the command line. `hako run` starts containers on a platform. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devopts.h"
#include "cli.h"
#include "mkfs.h"
#include "hako/abi.h"
#include "proc/proc.h"
#include "run_hv.h"

#define MEM_DEFAULT (64ull << 20)
#define ENV_MAX     64

static const char usage[] =
	"usage: hako run [OPTIONS] IMAGE [ARGS...]   run a container\n"
	"       hako mkfs [--mtime SECONDS] DIR IMAGE  build a read-only file system image\n"
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

/* The run options, every one of which takes a value. */
static int known_option(const char *a)
{
	static const char *const opts[] = { "--name", "-m", "--memory", "-e", "--env", "-v",
					    "--volume", "--net", "-p", "--publish", "--ip", "--gw" };

	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static char *envp[ENV_MAX];
	struct proc_opts o = { .mem = MEM_DEFAULT, .envp = envp };
	const char *platform = take_platform(&argc, argv);
	const char *why = NULL;
	int i;

	if (!strcmp(platform, "hv"))
		return run_hv(argc, argv);
	if (strcmp(platform, "proc"))
		return cli_fail("unknown platform '%s': expected proc or hv", platform);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--name") && v) {
			if (!cli_valid_name(v))
				return cli_fail("bad container name '%s': use 1-31 of [A-Za-z0-9._-], not 'hako'", v);
			o.name = v;
		} else if ((!strcmp(a, "-m") || !strcmp(a, "--memory")) && v) {
			if (!(o.mem = cli_parse_size(v)))
				return cli_fail("bad memory size '%s': expected 2M to 16G, e.g. 64M", v);
		} else if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && v) {
			if (!strchr(v, '=') || v[0] == '=')
				return cli_fail("bad environment variable '%s': expected KEY=VALUE", v);
			if (o.envc == ENV_MAX)
				return cli_fail("too many environment variables (%s)", "64 at most");
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
			return cli_fail(known_option(a) ? "run: option '%s' needs a value"
						       : "run: unknown option '%s' (see `hako help`)", a);
		}
		if (why)
			return cli_fail(why, v);
		i++; /* the option's value */
	}
	if ((why = devopt_finish(&o)))
		return cli_fail("%s", why);
	if (i >= argc)
		return cli_fail("run: no %s given", "IMAGE");
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
	if (!strcmp(argv[1], "mkfs"))
		return argv[1] = "hako mkfs", mkfs_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return fputs(usage, stdout), 0;
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version"))
		return printf("hako %s, ABI %d.%d\n", HAKO_VERSION, HAKO_ABI_MAJOR, HAKO_ABI_MINOR), 0;
	return cli_fail("unknown command '%s' (see `hako help`)", argv[1]);
}
