/* hako CLI: `hako run` on either platform, in the foreground or detached (-d). */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "devopts.h"
#include "hako/name.h"
#include "hv_run.h"
#include "proc/proc.h"
#include "run_hv.h"
#include "state.h"
#include "super.h"

#define MEM_DEFAULT (64ull << 20)
#define ENV_MAX     64

/*
 * Take "--platform X" and "-d" out of the options before the image, so the
 * rest can go to the platform's own parser. Every other run option takes
 * one value.
 */
static int take_globals(int *argc, char **argv, const char **platform, int *detach)
{
	*platform = "hv";
	*detach = 0;
	for (int i = 1; i < *argc && argv[i][0] == '-' && strcmp(argv[i], "--");) {
		int take = 0;
		if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--detach"))
			*detach = take = 1;
		else if (!strcmp(argv[i], "--platform") && i + 1 < *argc)
			*platform = argv[i + 1], take = 2;
		else if (!strcmp(argv[i], "--platform"))
			return cli_fail("run: option '%s' needs a value", argv[i]);
		if (!take) {
			i += 2;
			continue;
		}
		memmove(argv + i, argv + i + take, (size_t)(*argc - i - take + 1) * sizeof(*argv));
		*argc -= take;
	}
	return 0;
}

/* "127.0.0.1:8080->80/tcp,..." for the record (and `hako ps`). */
static void ports_text(char *buf, size_t size, const struct proc_port *p, int n)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s:%u->%u/%s", i ? "," : "", p[i].addr,
					p[i].host, p[i].ctr, p[i].udp ? "udp" : "tcp");
	if (len >= size) /* too many to show: cut at the last whole one */
		*(strrchr(buf, ',') ? strrchr(buf, ',') : buf) = 0;
}

int run_ports_free(const struct proc_port *p, int n)
{
	for (int i = 0; i < n; i++) {
		const char *why = cli_port_busy(p[i].addr, p[i].host, p[i].udp);
		if (why) {
			fprintf(stderr, "hako: cannot publish %s:%u/%s: %s\n", p[i].addr, p[i].host,
				p[i].udp ? "udp" : "tcp", why);
			return 2;
		}
	}
	return 0;
}

/*
 * Record the instance, detach if asked, run it (go), record how it ended.
 * late: go records it itself, beside the start (super_run_proc), unless
 * it detaches (then the waiting parent must see a name clash first).
 */
static int launch(struct state_inst *in, int detach, int late,
		  int (*go)(void *arg, struct super *s), void *arg)
{
	struct super s = { .in = in, .notify = -1, .logfd = -1 };
	char log[STATE_PATH_MAX + 8];
	int err, parent;

	/* A pipe whose reader left (a child that failed, a parent that went) is an error, not our end. */
	signal(SIGPIPE, SIG_IGN);
	if ((!late || detach) && (err = state_claim(in)))
		return err;
	if (detach) {
		err = super_detach(&s, &parent);
		if (parent)
			return err;
		if (err)
			return super_finish(&s, err);
	} else if (in->logged) {
		snprintf(log, sizeof(log), "%s/log", in->dir);
		s.logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	}
	err = go(arg, &s);
	if (s.logfd >= 0)
		close(s.logfd);
	return super_finish(&s, err);
}

static int go_proc(void *arg, struct super *s)
{
	return super_run_proc(s, arg);
}

static int go_hv(void *arg, struct super *s)
{
	static char ctl[STATE_PATH_MAX + 8];
	struct run *r = arg;

	snprintf(ctl, sizeof(ctl), "%s/ctl", s->in->dir);
	if (strlen(ctl) < 100) /* a UNIX socket's path: 108 bytes */
		r->ctl = ctl;
	else
		fprintf(stderr, "hako: the state folder's path is too long for the control socket: "
				"`hako stop` will stop the whole hypervisor\n");
	return run_hv(r, s);
}

int run_hv_args(int argc, char **argv, int detach)
{
	struct run *r = calloc(1, sizeof(*r));
	struct state_inst in = { .platform = "hv", .logged = 1 };
	int err;

	if (!r)
		return cli_fail("out of %s", "memory");
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return fputs(hv_usage, stdout), 0;
	if ((err = hv_parse(r, argc, argv)))
		return err;
	if (r->bundle_in || r->bundle_out) /* test tools: nothing to record */
		return detach ? cli_fail("run: -d does not go with %s", "--bundle or --bundle-out")
			      : run_hv(r, NULL);
	if (!(in.c = calloc(r->n, sizeof(*in.c))))
		return cli_fail("out of %s", "memory");
	in.n = r->n;
	for (unsigned i = 0; i < r->n; i++) {
		struct state_ctr *c = &in.c[i];
		if ((err = run_ports_free(r->c[i].net.ports, r->c[i].net.nports)))
			return err;
		snprintf(c->name, sizeof(c->name), "%s", r->c[i].e.name);
		snprintf(c->image, sizeof(c->image), "%s", r->c[i].path);
		ports_text(c->ports, sizeof(c->ports), r->c[i].net.ports, r->c[i].net.nports);
	}
	return launch(&in, detach, 0, go_hv, r);
}

/* The default name: the image's file name up to its first dot, made unique. */
static const char *base_name(const char *path)
{
	static char name[HAKO_NAME_MAX];
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	n = n < sizeof(name) - 4 ? n : sizeof(name) - 5;
	memcpy(name, b, n);
	name[n] = 0;
	if (!hako_name_ok(name, strlen(name)))
		strcpy(name, "ctr"), n = 3;
	for (unsigned k = 2; k < 1000 && state_name_busy(name); k++)
		snprintf(name + n, sizeof(name) - n, "-%u", k);
	return name;
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

/* One proc option and its value v into o; 0, or 2 after a message. */
static int proc_option(struct proc_opts *o, const char *a, const char *v)
{
	const char *why = NULL;

	if (!strcmp(a, "--name")) {
		if (!hako_name_ok(v, strlen(v)))
			return cli_fail("bad container name '%s': " HAKO_NAME_RULE, v);
		o->name = v;
	} else if (!strcmp(a, "-m") || !strcmp(a, "--memory")) {
		if (!(o->mem = cli_parse_size(v)))
			return cli_fail("bad memory size '%s': expected 2M to 16G, e.g. 64M", v);
	} else if (!strcmp(a, "-e") || !strcmp(a, "--env")) {
		if (!strchr(v, '=') || v[0] == '=')
			return cli_fail("bad environment variable '%s': expected KEY=VALUE", v);
		if (o->envc == ENV_MAX)
			return cli_fail("too many environment variables (%s)", "64 at most");
		o->envp[o->envc++] = (char *)v;
	} else if (!strcmp(a, "-v") || !strcmp(a, "--volume")) {
		why = devopt_volume(o, v);
	} else if (!strcmp(a, "--net")) {
		why = devopt_net(o, v);
	} else if (!strcmp(a, "-p") || !strcmp(a, "--publish")) {
		why = devopt_port(o, v);
	} else if (!strcmp(a, "--ip")) {
		why = devopt_ip(o, v);
	} else if (!strcmp(a, "--gw")) {
		why = devopt_gw(o, v);
	}
	return why ? cli_fail(why, v) : 0;
}

static int run_proc(int argc, char **argv, int detach)
{
	static char *envp[ENV_MAX];
	static struct proc_opts o = { .mem = MEM_DEFAULT, .envp = envp, .go_fd = -1 };
	struct state_inst in = { .platform = "proc", .logged = detach, .n = 1 };
	struct state_ctr c = { 0 };
	const char *why;
	int i, err;

	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!known_option(a))
			return cli_fail("run: unknown option '%s' (see `hako help`)", a);
		if (!v)
			return cli_fail("run: option '%s' needs a value", a);
		if ((err = proc_option(&o, a, v)))
			return err;
	}
	if ((why = devopt_finish(&o)))
		return cli_fail("%s", why);
	if (i >= argc)
		return cli_fail("run: no %s given", "IMAGE");
	o.image = argv[i];
	in.name_given = o.name != NULL;
	o.name = o.name ? o.name : base_name(o.image);
	o.argc = argc - i;
	o.argv = argv + i;
	o.argv[0] = (char *)o.name;
	if ((err = run_ports_free(o.ports, o.nports)))
		return err;
	snprintf(c.name, sizeof(c.name), "%s", o.name);
	snprintf(c.image, sizeof(c.image), "%s", o.image);
	ports_text(c.ports, sizeof(c.ports), o.ports, o.nports);
	in.c = &c;
	return launch(&in, detach, 1, go_proc, &o);
}

int cmd_run(int argc, char **argv)
{
	const char *platform;
	int detach, err;

	if ((err = take_globals(&argc, argv, &platform, &detach)))
		return err;
	if (!strcmp(platform, "hv"))
		return run_hv_args(argc, argv, detach);
	if (!strcmp(platform, "proc"))
		return run_proc(argc, argv, detach);
	return cli_fail("unknown platform '%s': expected hv or proc", platform);
}
