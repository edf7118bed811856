/* SPDX-License-Identifier: ISC */
/* hako CLI: `hako run` on either platform, in the foreground or detached (-d). */
#include "run.h"

#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hako/name.h"
#include "hv/hv.h"
#include "proc/proc.h"
#include "spec.h"
#include "state.h"
#include "super.h"

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
static void ports_text(char *buf, size_t size, const struct spec_port *p, int n)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s:%u->%u/%s", i ? "," : "", p[i].addr,
					p[i].host, p[i].ctr, p[i].udp ? "udp" : "tcp");
	if (len >= size) /* too many to show: cut at the last whole one */
		*(strrchr(buf, ',') ? strrchr(buf, ',') : buf) = 0;
}

/* 0 if every published port can be bound on the host, else 2 after one line. */
static int ports_free(const struct spec_port *p, int n)
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
	struct hv_run *r = arg;

	snprintf(ctl, sizeof(ctl), "%s/ctl", s->in->dir);
	if (strlen(ctl) < 100) /* a UNIX socket's path: 108 bytes */
		r->ctl = ctl;
	else
		fprintf(stderr, "hako: the state folder's path is too long for the control socket: "
				"`hako stop` will stop the whole hypervisor\n");
	return run_hv(r, s);
}

/* Record the hv instance r (its containers parsed and checked), then launch it. */
static int launch_hv(struct hv_run *r, int detach)
{
	struct state_inst in = { .platform = "hv", .logged = 1 };
	int err;

	if (!(in.c = calloc(r->n, sizeof(*in.c))))
		return cli_fail("out of %s", "memory");
	in.n = r->n;
	for (unsigned i = 0; i < r->n; i++) {
		const struct spec *sp = r->c[i].spec;
		struct state_ctr *c = &in.c[i];
		if ((err = ports_free(sp->ports, sp->nports)))
			return err;
		snprintf(c->name, sizeof(c->name), "%s", r->c[i].e.name);
		snprintf(c->image, sizeof(c->image), "%s", r->c[i].path);
		ports_text(c->ports, sizeof(c->ports), sp->ports, sp->nports);
	}
	return launch(&in, detach, 0, go_hv, r);
}

static int run_hv_args(int argc, char **argv, int detach)
{
	struct hv_run *r = calloc(1, sizeof(*r));
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
	return launch_hv(r, detach);
}

int run_hv_specs(const struct spec *specs, unsigned n, int detach)
{
	struct hv_run *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return cli_fail("out of %s", "memory");
	if ((err = hv_add_specs(r, specs, n)))
		return err;
	return launch_hv(r, detach);
}

static int name_busy(const char *name, void *arg)
{
	return state_name_busy(name);
}

static int run_proc(int argc, char **argv, int detach)
{
	struct state_inst in = { .platform = "proc", .logged = detach, .n = 1 };
	struct state_ctr c = { 0 };
	char name[HAKO_NAME_MAX];
	struct proc_opts o;
	struct spec s;
	int i = 1, err;

	spec_init(&s);
	if ((err = spec_parse(&s, argc, argv, &i, 0)))
		return err;
	in.name_given = s.name != NULL;
	if (s.name)
		snprintf(name, sizeof(name), "%s", s.name);
	else
		spec_default_name(s.image, name, name_busy, NULL);
	if ((err = proc_opts_of(&s, name, &o)) || (err = ports_free(s.ports, s.nports)))
		return err;
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.image, sizeof(c.image), "%s", s.image);
	ports_text(c.ports, sizeof(c.ports), s.ports, s.nports);
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
