/* SPDX-License-Identifier: ISC */
/*
 * proc platform: open the container's devices before the seccomp filter:
 * the block device's file, a TAP device, or a passt child process joined
 * by a socket pair. Each lands at its fixed descriptor (dev.h).
 */
#include "proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define FD_HIGH       16     /* descriptors wait here before they are placed */
#define PASST_WAIT_MS 5000   /* for passt to bind its ports */
#define PASST_ARGS    (40 + 2 * PROC_PORTS_MAX)
#define NOBODY        65534  /* passt's user when we are root, as its --runas would pick */
#define EXIT_NOEXEC   127
#define EXIT_NOSETUP  126

/* "hako: <what> '<arg>': <why>"; returns 2, the status of a failed start. */
static int err(const char *what, const char *arg, const char *why)
{
	fprintf(stderr, "hako: %s", what);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	fprintf(stderr, "%s%s\n", why ? ": " : "", why ? why : "");
	return 2;
}

/* Move fd out of the way of the fixed numbers (close_range left 3+ free). */
static int raise_fd(int fd)
{
	int hi = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, FD_HIGH);

	if (fd >= 0)
		close(fd);
	return hi;
}

static int place_fd(int hi, int target)
{
	return dup3(hi, target, O_CLOEXEC) == target ? 0 : -1;
}

static int open_block(const struct proc_opts *o, struct hako_start_info *si,
		      struct proc_dev_config *cfg)
{
	int fd = raise_fd(open(o->block, (o->block_ro ? O_RDONLY : O_RDWR) | O_CLOEXEC));
	struct stat st;
	uint64_t cap;

	if (fd < 0 || fstat(fd, &st))
		return err("cannot open block device image", o->block, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err("block device image", o->block, "not a regular file");
	cap = (uint64_t)st.st_size / PROC_BLOCK_SIZE * PROC_BLOCK_SIZE;
	if (!cap)
		return err("block device image", o->block, "smaller than one 512-byte block");
	if (place_fd(fd, PROC_FD_BLOCK))
		return err("cannot place the block device", NULL, strerror(errno));
	si->flags |= HAKO_INFO_BLOCK;
	si->block_size = PROC_BLOCK_SIZE;
	si->block_capacity = cap;
	cfg->block = o->block_ro ? PROC_BLOCK_RO : PROC_BLOCK_RW;
	cfg->block_capacity = cap;
	return 0;
}

/* Attach to TAP device NAME (created by the kernel if missing and we may). */
static int open_tap(const char *tap)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd = raise_fd(open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));

	if (fd < 0)
		return err("cannot open /dev/net/tun", NULL, strerror(errno));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tap);
	if (ioctl(fd, TUNSETIFF, &ifr))
		return err("cannot attach to TAP device", tap, strerror(errno));
	if (place_fd(fd, PROC_FD_NET))
		return err("cannot place the network device", NULL, strerror(errno));
	return 0;
}

static const char *ip_str(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* passt's command line: our address plan, its socket, the published ports. */
static void passt_argv(const struct proc_opts *o, int fd, const char *ready, const char **argv,
		       char (*buf)[40])
{
	int n = 0, b = 0;

	argv[n++] = "passt";
	argv[n++] = "--foreground"; /* our child: it ends when the container's socket closes */
	argv[n++] = "--quiet";
	argv[n++] = "--ipv4-only";
	snprintf(buf[b], sizeof(buf[b]), "%d", fd);
	argv[n++] = "--fd";
	argv[n++] = buf[b++];
	argv[n++] = "--address";
	argv[n++] = ip_str(o->ipv4_addr, buf[b++]);
	argv[n++] = "--netmask";
	argv[n++] = ip_str(o->ipv4_netmask, buf[b++]);
	argv[n++] = "--gateway";
	argv[n++] = ip_str(o->ipv4_gateway, buf[b++]);
	argv[n++] = "--dns-forward";
	argv[n++] = ip_str(o->ipv4_dns, buf[b++]);
	argv[n++] = "--mtu";
	argv[n++] = "1500";
	argv[n++] = "--pid";
	argv[n++] = ready;
	for (int i = 0; i < o->nports; i++) {
		const struct proc_port *p = &o->ports[i];
		snprintf(buf[b], sizeof(buf[b]), "%s/%u:%u", p->addr, p->host, p->ctr);
		argv[n++] = p->udp ? "--udp-ports" : "--tcp-ports";
		argv[n++] = buf[b++];
	}
	argv[n] = NULL;
}

/*
 * Wait until passt is ready: it writes its PID to the `ready` FIFO once its
 * ports are bound, or closes its end of our socket if it fails.
 */
static int passt_wait(pid_t pid, int ready, int sock)
{
	struct pollfd p[2] = { { .fd = ready, .events = POLLIN }, { .fd = sock, .events = POLLIN } };
	char line[32];
	int status, n = poll(p, 2, PASST_WAIT_MS);

	if (n > 0 && (p[0].revents & POLLIN) && read(ready, line, sizeof(line)) > 0)
		return 0;
	if (n == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return err("passt did not start within 5 s", NULL, NULL);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOEXEC)
		return err("cannot run passt", NULL, "not found (install the 'passt' package)");
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOSETUP)
		return err("cannot run passt", NULL, "cannot tie it to the container's process");
	return err("passt failed to start", NULL, "see its message above");
}

/*
 * The child that becomes passt. It ends with the container's process
 * however that ends: the socket it holds is the process's only other end,
 * so passt sees it close, forwards what the container sent last (a kill
 * signal at that moment lost the last frames) and exits; the supervisor
 * reaps it (super.c). As root we become nobody here instead of passt
 * doing so itself (--runas).
 */
static _Noreturn void passt_child(const char *path, int fd, const char *const *argv, pid_t parent)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fcntl(fd, F_SETFD, 0); /* the one descriptor passt inherits */
	if (geteuid() == 0 && (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
		_exit(EXIT_NOSETUP);
	if (getppid() != parent) /* the container's process is gone already */
		_exit(EXIT_NOSETUP);
	/* Found in PATH beforehand: the tender has none, and passt needs no environment. */
	cli_exec(path, argv, NULL);
	_exit(EXIT_NOEXEC);
}

static int start_passt(const struct proc_opts *o)
{
	char dir[] = "/tmp/hako-passt-XXXXXX", ready[64], buf[PASST_ARGS][40];
	const char *argv[PASST_ARGS];
	int sv[2] = { -1, -1 }, rfd = -1, rc = 2;
	pid_t pid, parent;

	if (!o->passt)
		return err("cannot run passt", NULL, "not found (install the 'passt' package)");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    (sv[0] = raise_fd(sv[0])) < 0 || (sv[1] = raise_fd(sv[1])) < 0)
		return err("cannot create the socket for passt", NULL, strerror(errno));
	/* passt may run as nobody: a FIFO it can write in a directory only we can list. */
	if (!mkdtemp(dir) || chmod(dir, 0711))
		return err("cannot create a directory for passt", dir, strerror(errno));
	snprintf(ready, sizeof(ready), "%s/ready", dir);
	if (mkfifo(ready, 0600) || chmod(ready, 0622) ||
	    (rfd = open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		err("cannot create a FIFO for passt", ready, strerror(errno));
		goto out_fifo;
	}
	passt_argv(o, sv[1], ready, argv, buf);
	parent = getpid();
	if ((pid = fork()) < 0) {
		err("cannot start passt", NULL, strerror(errno));
		goto out_fifo;
	}
	if (pid == 0)
		passt_child(o->passt, sv[1], argv, parent);
	close(sv[1]);
	rc = passt_wait(pid, rfd, sv[0]);
	/* Closed now: its number may be PROC_FD_NET, which the socket takes next. */
	close(rfd);
	rfd = -1;
	if (rc)
		goto out_fifo;
	/* A write to a passt that died returns EPIPE instead of killing the container. */
	signal(SIGPIPE, SIG_IGN);
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) || place_fd(sv[0], PROC_FD_NET))
		rc = err("cannot place the network device", NULL, strerror(errno));
out_fifo:
	if (rfd >= 0)
		close(rfd);
	unlink(ready);
	rmdir(dir);
	return rc;
}

static int open_net(const struct proc_opts *o, struct hako_start_info *si,
		    struct proc_dev_config *cfg)
{
	int rc = o->net == PROC_NET_TAP ? open_tap(o->tap) : start_passt(o);

	if (rc)
		return rc;
	si->flags |= HAKO_INFO_NET;
	memcpy(si->mac, o->mac, sizeof(si->mac));
	if (!o->dhcp) { /* else 0.0.0.0: the libOS asks for a lease */
		si->ipv4_addr = o->ipv4_addr;
		si->ipv4_netmask = o->ipv4_netmask;
		si->ipv4_gateway = o->ipv4_gateway;
		si->ipv4_dns = o->ipv4_dns;
	}
	cfg->net = o->net;
	memcpy(cfg->mac, o->mac, sizeof(cfg->mac));
	cfg->ipv4 = o->ipv4_addr; /* with --ip dhcp too: passt leases exactly this one */
	if (getrandom(&cfg->flow_key, sizeof(cfg->flow_key), 0) != sizeof(cfg->flow_key))
		return err("cannot get random bytes", NULL, strerror(errno));
	return 0;
}

int proc_devices_open(const struct proc_opts *o, struct hako_start_info *si,
		      struct proc_dev_config *cfg)
{
	/* Nothing inherited leaks in, and the fixed numbers are free. */
	if (close_range(3, ~0u, 0))
		return err("cannot close inherited descriptors", NULL, strerror(errno));
	if (o->block && open_block(o, si, cfg))
		return 2;
	if (o->net != PROC_NET_NONE && open_net(o, si, cfg))
		return 2;
	/* Only the devices stay open. */
	if (close_range(PROC_FD_NET + 1, ~0u, 0))
		return err("cannot close descriptors", NULL, strerror(errno));
	return 0;
}
