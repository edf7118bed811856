/* hv platform, host side: pack containers into a boot bundle and boot the hypervisor in QEMU. */
#include "run_hv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hako/abi.h"
#include "hako/bundle.h"
#include "cli.h"
#include "devopts.h"
#include "hv_disks.h"
#include "image.h"

/*
 * hako run --platform hv [HV-OPTIONS] SPEC [+ SPEC]...
 *   SPEC := [--name NAME] [-m SIZE] [-e KEY=VALUE]... [NET-OPTIONS] [--] IMAGE [ARGS...]
 *   NET-OPTIONS := [--ip A.B.C.D/N | --ip none] [--gw A.B.C.D] [-p [IP:]HOST:CTR[/udp]]...
 * Options before an IMAGE apply to that container only; a lone "+" starts
 * the next container (so "+" cannot be an argument). HV-OPTIONS, only
 * before the first SPEC:
 *   --hv PATH         the hypervisor ELF (default: $HAKO_HV, else
 *                     ../hv/hako-hv.elf next to this program, else build/hv/)
 *   --timeout SEC     stop QEMU after SEC seconds (status 124)
 *   --bundle-out FILE write the bundle to FILE and stop (for tests)
 *   --bundle FILE     boot FILE as the bundle, no SPEC (for tests)
 *   --net MODE        user | tap:NAME | switch | none (see usage[])
 *   --disk FILE[:ro]  a disk that SPECs take slices of with -v diskN:OFFSET:SIZE
 *   --pidfile FILE    QEMU writes its process ID to FILE (tests kill it hard)
 * A SPEC's -v FILE[:ro] gives it a whole file as its block device.
 * $HAKO_ACCEL=tcg|kvm overrides the accelerator choice.
 */

#define MEM_DEFAULT_MIB 64
#define QEMU_EXTRA_MIB  32 /* hv, page tables, firmware */
#define EXIT_OK         33 /* isa-debug-exit (0x10 << 1) | 1 */
#define EXIT_FAIL       35
#define EXIT_PANIC      37

/* Networking: the switch, and QEMU user networking's (slirp's) fixed plan. */
#define USER_NET   "10.0.2.0"
#define USER_BITS  24
#define FIRST_HOST 15          /* containers get 10.0.2.15, .16, ... */
#define NETDEV_MAX 8192

struct ctr {
	struct hako_bundle_entry e;
	struct proc_opts net;  /* --ip, --gw, -p, parsed as for the proc platform */
	int ip_set, gw_set, no_net;
	const char *path;
	void *image;
	size_t size;
};

struct run {
	struct ctr *c;
	unsigned n;
	const char *hv, *bundle_out, *bundle_in;
	unsigned timeout;
	const char *net;       /* --net: NULL until given */
	enum { NET_NONE, NET_SWITCH, NET_USER, NET_TAP } mode;
	char netdev[NETDEV_MAX]; /* QEMU's -netdev value (user, tap) */
	struct hv_disks disks;   /* --disk and -v files, in QEMU's (and the hv's) order */
	const char *pidfile;
};


static const char usage[] =
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
	"                     subnet 10.0.2.0/24, gateway .2, DNS .3\n"
	"  --net tap:NAME     switch + TAP device NAME (needs CAP_NET_ADMIN)\n"
	"  --net switch       only the switch between the containers (default with --ip)\n"
	"  --net none         no network (default)\n"
	"BLOCK (in a SPEC; 512-byte blocks, one device per container):\n"
	"  -v, --volume FILE[:ro]            the whole FILE (containers naming one file share it)\n"
	"  -v, --volume diskN:OFFSET:SIZE[:ro]  a slice of the N-th --disk, e.g. disk0:1M:64M;\n"
	"                     the container sees only its slice, as a device of SIZE bytes\n"
	"NET-OPTIONS (in a SPEC; with a network, every container is on the switch):\n"
	"  --ip A.B.C.D/N     the container's address (default 10.0.2.15, .16, ... in order)\n"
	"  --ip none          keep this container off the switch\n"
	"  --gw A.B.C.D       its gateway (default .2 with --net user, else none)\n"
	"  -p, --publish [IP:]HOSTPORT:CTRPORT[/udp]\n"
	"                     forward HOSTPORT on IP (default 127.0.0.1) to the container\n"
	"  the MAC of a container is 02:00 followed by its IPv4 address\n"
	"exit status: 0 if every container exited 0, else the first failing status\n"
	"(255 for a container the hypervisor killed or could not start).\n";

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
	const char *why;
	struct img img;
	struct stat st;
	FILE *f = fopen(c->path, "rb");

	if (!f) {
		fprintf(stderr, "hako: %s: cannot open: %s\n", c->path, strerror(errno));
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
		fprintf(stderr, "hako: %s: %s\n", c->path, why);
		return 2;
	}
	return 0;
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
	if (!cli_valid_name(name))
		strcpy(name, "ctr");
	for (unsigned k = 2, i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].e.name, name) == 0 && &r->c[i] != c) {
			snprintf(name + n, sizeof(name) - n, "-%u", k++ % 1000);
			i = (unsigned)-1; /* look again from the start */
		}
	}
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
			if (!cli_valid_name(v))
				return cli_fail("bad container name '%s': use 1-31 of [A-Za-z0-9._-], not 'hako'", v);
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
			return cli_fail("%s: arguments and environment too long", c->path);
	for (unsigned k = 0; k < nenv; k++, c->e.envc++)
		if (add_string(&c->e, envs[k]))
			return cli_fail("%s: arguments and environment too long", c->path);
	return read_image(c);
}

static int net_mode(struct run *r)
{
	int ports = 0, ips = 0;

	for (unsigned i = 0; i < r->n; i++) {
		ports += r->c[i].net.nports;
		ips += r->c[i].ip_set || r->c[i].gw_set;
	}
	if (!r->net)
		r->mode = ports ? NET_USER : ips ? NET_SWITCH : NET_NONE;
	else if (!strcmp(r->net, "none"))
		r->mode = NET_NONE;
	else if (!strcmp(r->net, "switch"))
		r->mode = NET_SWITCH;
	else if (!strcmp(r->net, "user"))
		r->mode = NET_USER;
	else if (!strncmp(r->net, "tap:", 4) && r->net[4] && strlen(r->net) < 4 + 16 &&
		 !strpbrk(r->net + 4, "/,= "))
		r->mode = NET_TAP;
	else
		return cli_fail("bad network '%s': expected user, tap:NAME, switch or none", r->net);
	if (ports && r->mode != NET_USER)
		return cli_fail("-p needs the user network (--net user), not '%s'", r->net);
	if (ips && r->mode == NET_NONE)
		return cli_fail("--ip and --gw need a network (--net %s)", "user, tap:NAME or switch");
	return 0;
}

/* An address not taken by any container yet, from 10.0.2.FIRST_HOST up. */
static uint32_t free_addr(const struct run *r, unsigned *next)
{
	for (; *next < 255; ++*next) {
		uint32_t a = htonl(ntohl(inet_addr(USER_NET)) + *next);
		unsigned i;
		for (i = 0; i < r->n; i++)
			if (r->c[i].net.ipv4_addr == a)
				break;
		if (i == r->n)
			return a;
	}
	return 0;
}

/* user mode: one hostfwd per -p, to the container's address. */
static int add_forwards(struct run *r, const struct ctr *c)
{
	for (int k = 0; k < c->net.nports; k++) {
		const struct proc_port *p = &c->net.ports[k];
		char ip[INET_ADDRSTRLEN];
		size_t len = strlen(r->netdev);
		inet_ntop(AF_INET, &c->net.ipv4_addr, ip, sizeof(ip));
		if ((size_t)snprintf(r->netdev + len, sizeof(r->netdev) - len,
				     ",hostfwd=%s:%s:%u-%s:%u", p->udp ? "udp" : "tcp", p->addr,
				     p->host, ip, p->ctr) >= sizeof(r->netdev) - len)
			return cli_fail("too many published ports (%s)", "the QEMU option is too long");
	}
	return 0;
}

/*
 * Put every container (but those with --ip none) on the switch: address,
 * MAC 02:00:<address>, gateway and DNS; and build QEMU's -netdev.
 */
static int net_finish(struct run *r)
{
	uint32_t net = inet_addr(USER_NET), mask = htonl(~0u << (32 - USER_BITS));
	unsigned next = FIRST_HOST;
	int err;

	if ((err = net_mode(r)) || r->mode == NET_NONE)
		return err;
	if (r->mode == NET_USER)
		snprintf(r->netdev, sizeof(r->netdev), "user,id=n0,net=%s/%d", USER_NET, USER_BITS);
	else if (r->mode == NET_TAP)
		snprintf(r->netdev, sizeof(r->netdev), "tap,id=n0,ifname=%s,script=no,downscript=no",
			 r->net + 4);
	for (unsigned i = 0; i < r->n; i++) {
		struct ctr *c = &r->c[i];
		struct hako_bundle_entry *e = &c->e;
		if (c->no_net) {
			if (c->net.nports || c->gw_set)
				return cli_fail("%s: --ip none with -p or --gw", e->name);
			continue;
		}
		if (!c->ip_set) {
			if (!(c->net.ipv4_addr = free_addr(r, &next)))
				return cli_fail("no free address left in %s/24", USER_NET);
			c->net.ipv4_netmask = mask;
		}
		for (unsigned k = 0; k < i; k++)
			if (!r->c[k].no_net && r->c[k].net.ipv4_addr == c->net.ipv4_addr)
				return cli_fail("two containers with the same address (%s)", e->name);
		if (r->mode == NET_USER) {
			/* slirp answers for the whole subnet and owns .2 (gateway) and .3 (DNS). */
			uint32_t host = ntohl(c->net.ipv4_addr) & 0xff;
			if ((c->net.ipv4_addr & mask) != net || host < 4 || host == 255)
				return cli_fail("%s: with --net user, the address must be 10.0.2.4 to 10.0.2.254",
						e->name);
			if (!c->gw_set)
				c->net.ipv4_gateway = net | htonl(2);
			c->net.ipv4_dns = net | htonl(3);
			if ((err = add_forwards(r, c)))
				return err;
		}
		e->flags |= HAKO_BUNDLE_NET;
		e->ipv4_addr = c->net.ipv4_addr;
		e->ipv4_netmask = c->net.ipv4_netmask;
		e->ipv4_gateway = c->net.ipv4_gateway;
		e->ipv4_dns = c->net.ipv4_dns;
		e->mac[0] = 0x02;
		e->mac[1] = 0x00;
		memcpy(e->mac + 2, &e->ipv4_addr, 4);
	}
	return 0;
}

static int parse(struct run *r, int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--hv"))
			r->hv = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout"))
			r->timeout = (unsigned)atoi(argv[i + 1]);
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
		return i == argc ? net_finish(r) : cli_fail("run: --bundle takes no %s", "SPEC");
	r->c = calloc(HAKO_BUNDLE_MAX, sizeof(*r->c));
	if (!r->c)
		return cli_fail("out of %s", "memory");
	while (i < argc) {
		if (r->n == HAKO_BUNDLE_MAX)
			return cli_fail("too many containers (%s at most)", "256");
		int err = parse_spec(r, argc, argv, &i);
		if (err)
			return err;
		if (i < argc)
			i++; /* the "+" */
	}
	return r->n ? net_finish(r) : cli_fail("run: no %s given", "IMAGE");
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Header, entries, then each image at a 4 KiB-aligned offset. */
static int write_bundle(const struct run *r, int fd, uint64_t *size)
{
	static const char zero[4096];
	struct hako_bundle_header h = { .magic = HAKO_BUNDLE_MAGIC, .version = HAKO_BUNDLE_VERSION,
					.count = r->n };
	uint64_t off = sizeof(h) + (uint64_t)r->n * sizeof(struct hako_bundle_entry);

	for (unsigned i = 0; i < r->n; i++) {
		off = (off + 4095) & ~4095ull;
		r->c[i].e.image_offset = off;
		r->c[i].e.image_size = r->c[i].size;
		off += r->c[i].size;
	}
	h.size = off;
	*size = off;
	if (write_all(fd, &h, sizeof(h)))
		return -1;
	off = sizeof(h);
	for (unsigned i = 0; i < r->n; i++, off += sizeof(r->c[i].e))
		if (write_all(fd, &r->c[i].e, sizeof(r->c[i].e)))
			return -1;
	for (unsigned i = 0; i < r->n; i++) {
		if (write_all(fd, zero, r->c[i].e.image_offset - off) ||
		    write_all(fd, r->c[i].image, r->c[i].size))
			return -1;
		off = r->c[i].e.image_offset + r->c[i].size;
	}
	return 0;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * Real hardware virtualization only: kvm_intel/kvm_amd loaded and the CPU
 * flag present. kvm_pvm (a software KVM) breaks ring-3 SYSCALL in guests.
 */
static int want_kvm(void)
{
	const char *accel = getenv("HAKO_ACCEL");
	char line[4096];
	int found = 0;
	FILE *f;

	if (accel)
		return !strcmp(accel, "kvm");
	if (access("/dev/kvm", R_OK | W_OK) || exists("/sys/module/kvm_pvm") ||
	    !(exists("/sys/module/kvm_intel") || exists("/sys/module/kvm_amd")))
		return 0;
	if (!(f = fopen("/proc/cpuinfo", "r")))
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5))
			found = strstr(line, " vmx") || strstr(line, " svm");
	fclose(f);
	return found;
}

static const char *find_hv(const char *given)
{
	static char path[PATH_MAX];
	const char *env = getenv("HAKO_HV");
	ssize_t n;

	if (given)
		return given;
	if (env)
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n > 0) {
		path[n] = 0;
		char *slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash, "/../hv/hako-hv.elf");
			if (exists(path))
				return path;
		}
	}
	return "build/hv/hako-hv.elf";
}

static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

/* Echo QEMU's serial output; pick the status out of the hv's summary line. */
static int relay(int fd, int *status)
{
	char buf[4096], line[512];
	size_t len = 0;
	int seen = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* The serial line ends lines with CR LF; the host wants LF. */
		ssize_t k = 0;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != '\r')
				buf[k++] = buf[i];
		n = k;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			len = 0;
			/* Only the hv writes lines starting "hako: " (no container is named so). */
			const char *p = strstr(line, "; status ");
			if (!strncmp(line, "hako: ", 6) && strstr(line, " containers, ") && p)
				*status = atoi(p + 9), seen = 1;
		}
	}
	return seen;
}

static int boot(const struct run *r, const char *bundle, uint64_t mem_mib)
{
	char mem[32];
	int kvm = want_kvm(), pfd[2], wst, status = 0, seen, n = 0;
	const char *argv[96] = {
		getenv("HAKO_QEMU") ? getenv("HAKO_QEMU") : "qemu-system-x86_64",
		"-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max",
		"-M", "microvm,x-option-roms=off,pit=on,pic=off,rtc=on,isa-serial=on,pcie=on",
		"-m", mem, "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=4",
		"-kernel", find_hv(r->hv), "-initrd", bundle, NULL,
	};

	snprintf(mem, sizeof(mem), "%lluM", (unsigned long long)mem_mib);
	while (argv[n])
		n++;
	if (r->mode == NET_USER || r->mode == NET_TAP) {
		/* The NIC: the switch's uplink. Its own MAC does not matter, the containers have theirs. */
		argv[n++] = "-netdev";
		argv[n++] = r->netdev;
		argv[n++] = "-device";
		argv[n++] = "virtio-net-pci,netdev=n0,disable-legacy=on,romfile=";
	}
	if (hv_disk_args(&r->disks, argv, &n, (int)(sizeof(argv) / sizeof(argv[0]))))
		return 2;
	if (r->pidfile) {
		argv[n++] = "-pidfile";
		argv[n++] = r->pidfile;
	}
	if (pipe(pfd))
		return cli_fail("pipe: %s", strerror(errno));
	fflush(stdout);
	child = fork();
	if (child < 0)
		return cli_fail("fork: %s", strerror(errno));
	if (child == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], (char **)argv);
		fprintf(stderr, "hako: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	signal(SIGINT, SIG_IGN); /* ^C reaches QEMU; we clean up after it */
	if (r->timeout) {
		signal(SIGALRM, on_alarm);
		alarm(r->timeout);
	}
	seen = relay(pfd[0], &status);
	close(pfd[0]);
	while (waitpid(child, &wst, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	signal(SIGINT, SIG_DFL);
	if (WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL && r->timeout) {
		fprintf(stderr, "hako: timed out after %u s\n", r->timeout);
		return 124;
	}
	if (!WIFEXITED(wst))
		return cli_fail("qemu died (%s)", strsignal(WTERMSIG(wst)));
	switch (WEXITSTATUS(wst)) {
	case EXIT_OK:
		return 0;
	case EXIT_FAIL:
		return seen && status ? status : 1;
	case EXIT_PANIC:
		return cli_fail("the hypervisor %s", "panicked");
	default:
		fprintf(stderr, "hako: qemu exited with status %d\n", WEXITSTATUS(wst));
		return 125;
	}
}

int run_hv(int argc, char **argv)
{
	char tmp[PATH_MAX];
	struct run r = { 0 };
	uint64_t size = 0, mem = QEMU_EXTRA_MIB;
	const char *dir = getenv("TMPDIR");
	int fd, err;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return fputs(usage, stdout), 0;
	if ((err = parse(&r, argc, argv)))
		return err;
	if (r.bundle_in) {
		struct stat st;
		if (stat(r.bundle_in, &st))
			return cli_fail("cannot open bundle %s", r.bundle_in);
		return boot(&r, r.bundle_in, mem + 256 + ((uint64_t)st.st_size >> 20));
	}
	if (r.bundle_out) {
		fd = open(r.bundle_out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_bundle(&r, fd, &size) || close(fd))
			return cli_fail("cannot write %s", r.bundle_out);
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s/hako-bundle-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0)
		return cli_fail("cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
	if (write_bundle(&r, fd, &size) || close(fd)) {
		unlink(tmp);
		return cli_fail("cannot write the bundle %s", tmp);
	}
	for (unsigned i = 0; i < r.n; i++) /* + the hv's bounce buffer for a block device */
		mem += r.c[i].e.mem_mib + (r.c[i].e.flags & HAKO_BUNDLE_BLOCK ? 2 : 0);
	err = boot(&r, tmp, mem + (size >> 20) + 1);
	unlink(tmp);
	return err;
}
