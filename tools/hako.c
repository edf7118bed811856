/* SPDX-License-Identifier: ISC */
/* hako: the command line. Each command lives in its own file (commands.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hako/abi.h"
#include "mkfs.h"
#include "proc/proc.h"
#include "commands.h"

static const char usage[] =
	"usage: hako COMMAND [ARGS...]\n"
	"  run [OPTIONS] IMAGE [ARGS...]  run a container (see below)\n"
	"  up [-d] FILE                   run the containers of a compose file in one hypervisor\n"
	"  down FILE                      stop them\n"
	"  ps [-a]                        list running containers (-a: finished ones too)\n"
	"  logs [-f] NAME                 show a container's output (-f: follow it)\n"
	"  stop [-t SEC] NAME...          stop containers (others in the same hypervisor go on)\n"
	"  mkfs [--mtime SECONDS] DIR IMAGE  build a read-only file system image\n"
	"  mkfs --writable [--size SIZE] [DIR] IMAGE  build a writable volume\n"
	"  fsck [--cat PATH] IMAGE        check a writable volume (or print one file of it)\n"
	"  help | version\n"
	"\n"
	"run options:\n"
	"  --platform hv|proc  the hypervisor under QEMU (default), or a sandboxed process\n"
	"  -d, --detach        run in the background; print the name (see `hako logs`)\n"
	"  --name NAME         container name (default: the image's file name)\n"
	"  -m, --memory SIZE   memory for heap and stack, e.g. 64M, 1G (default 64M)\n"
	"  -e, --env KEY=VALUE set an environment variable (repeatable)\n"
	"  -v, --volume FILE[:ro]  block device backed by FILE (512-byte blocks; :ro read-only)\n"
	"  -p, --publish [IP:]HOSTPORT:CTRPORT[/udp]\n"
	"                      publish a container port on the host, on 127.0.0.1 unless\n"
	"                      IP is given (repeatable; TCP unless /udp); no root needed\n"
	"\n"
	"proc platform only:\n"
	"  --net tap:NAME      attach to TAP device NAME (needs CAP_NET_ADMIN)\n"
	"  --net passt         rootless user-mode networking through passt (default with -p)\n"
	"  --ip A.B.C.D/N      the container's IPv4 address (passt default 10.0.2.15/24,\n"
	"                      passt is .2, the gateway, and .3, DNS, of the subnet)\n"
	"  --ip dhcp           with passt: the container asks passt's DHCP server\n"
	"  --gw A.B.C.D        the container's IPv4 gateway\n"
	"  The container's MAC is 02:00 followed by its IPv4 address; its MTU is 1500.\n"
	"\n"
	"Several containers in one hypervisor (a lone '+' between them), disks and\n"
	"networks: `hako run --platform hv --help`. Walkthrough: docs/usage.md.\n";

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "run", cmd_run }, { "up", cmd_up }, { "down", cmd_down }, { "ps", cmd_ps },
		{ "logs", cmd_logs }, { "stop", cmd_stop },
	};

	/* A proc container's tender, started by hako itself (tools/proc/handoff.c). */
	if (argc == 1 && !strcmp(argv[0], PROC_TENDER_ARGV0)) {
		const struct proc_opts *o = proc_tender_opts();
		return o ? proc_run(o) : 2;
	}
	if (argc < 2)
		return fputs(usage, stderr), 2;
	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mkfs") || !strcmp(argv[1], "fsck")) {
		static char mkfs[] = "hako mkfs", fsck[] = "hako fsck"; /* for their messages */
		if (argv[1][0] == 'm')
			return argv[1] = mkfs, mkfs_main(argc - 1, argv + 1);
		return argv[1] = fsck, fsck_main(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return fputs(usage, stdout), 0;
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version"))
		return printf("hako %s, ABI %d.%d\n", HAKO_VERSION, HAKO_ABI_MAJOR, HAKO_ABI_MINOR), 0;
	return cli_fail("unknown command '%s' (see `hako help`)", argv[1]);
}
