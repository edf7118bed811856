/* SPDX-License-Identifier: ISC */
/* hako CLI: read and check a compose file (format in compose.h and docs/usage.md). */
#include "compose.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hako/name.h"
#include "image.h"
#include "state.h"

#define LINE_MAX_LEN 4096

struct ctx {
	const char *file;
	char dir[PATH_MAX];  /* the file's folder, for relative paths */
	unsigned line;
	int check;           /* look at the image and volume files too */
	struct compose *cf;
	unsigned cap;        /* entries cf->c has room for */
};

static int bad(const struct ctx *x, unsigned line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int bad(const struct ctx *x, unsigned line, const char *field, const char *fmt, ...)
{
	char msg[CLI_QUOTE_MAX], qfile[CLI_QUOTE_MAX], qfield[CLI_QUOTE_MAX], qmsg[CLI_QUOTE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The file's text is hostile: what it says is quoted, never printed raw. */
	fprintf(stderr, "hako: %s:%u: %s: %s\n", cli_quote(qfile, sizeof(qfile), x->file), line,
		cli_quote(qfield, sizeof(qfield), field), cli_quote(qmsg, sizeof(qmsg), msg));
	return 2;
}

static char *trim(char *s)
{
	char *e = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static char *resolve(const struct ctx *x, const char *path)
{
	char *out;

	if (path[0] == '/' || !strcmp(x->dir, "."))
		return strdup(path);
	if (asprintf(&out, "%s/%s", x->dir, path) < 0)
		return NULL;
	return out;
}

/* The image must be a container: the same checks as every platform's loader. */
static int check_image(const struct ctx *x, const char *path)
{
	const char *why = NULL;
	struct stat st;
	struct img img;
	void *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bad(x, x->line, "image", "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > IMG_MAX_SIZE || st.st_size == 0)
		why = st.st_size ? "file too large" : "not an ELF file";
	else if (!(buf = malloc((size_t)st.st_size)) ||
		 read(fd, buf, (size_t)st.st_size) != st.st_size)
		why = "cannot read";
	else
		img_parse(buf, (size_t)st.st_size, &img, &why);
	free(buf);
	close(fd);
	return why ? bad(x, x->line, "image", "%s: %s", path, why) : 0;
}

/* args: split at blanks; "..." and '...' keep blanks. In place. */
static int split_args(const struct ctx *x, struct compose_ctr *c, char *p)
{
	while (*p) {
		char *out, ch;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (c->nargs == COMPOSE_ARGS_MAX)
			return bad(x, x->line, "args", "too many arguments (%d at most)", COMPOSE_ARGS_MAX);
		c->args[c->nargs++] = out = p;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p != '"' && *p != '\'') {
				*out++ = *p++;
				continue;
			}
			for (char q = *p++; *p != q; *out++ = *p++)
				if (!*p)
					return bad(x, x->line, "args", "unterminated %c quote", q);
			p++;
		}
		ch = *p;
		*out = 0;
		if (!strcmp(c->args[c->nargs - 1], "+"))
			return bad(x, x->line, "args", "'+' cannot be an argument (it separates containers)");
		if (ch)
			p++;
	}
	return 0;
}

static int set_ports(const struct ctx *x, struct compose_ctr *c, char *v)
{
	for (char *save, *tok = strtok_r(v, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		const char *why = spec_option(&c->spec, "-p", tok);
		if (why)
			return bad(x, x->line, "ports", why, tok);
		/* The same host port twice cannot work: QEMU would fail to start, less clearly. */
		const struct spec_port *p = &c->spec.ports[c->spec.nports - 1];
		for (unsigned i = 0; i < x->cf->n; i++)
			for (int k = 0; k < x->cf->c[i].spec.nports; k++) {
				const struct spec_port *q = &x->cf->c[i].spec.ports[k];
				if (q != p && q->host == p->host && q->udp == p->udp && !strcmp(q->addr, p->addr))
					return bad(x, x->line, "ports", "host port %s:%u/%s is published twice",
						   p->addr, p->host, p->udp ? "udp" : "tcp");
			}
	}
	return 0;
}

static int set_volume(const struct ctx *x, struct compose_ctr *c, char *v)
{
	size_t n = strlen(v);
	int ro = n > 3 && !strcmp(v + n - 3, ":ro");
	struct stat st;
	char *path;

	if (ro || (n > 3 && !strcmp(v + n - 3, ":rw")))
		v[n - 3] = 0;
	if (!(path = resolve(x, v)))
		return bad(x, x->line, "volume", "out of memory");
	if (x->check && stat(path, &st))
		return bad(x, x->line, "volume", "%s: cannot open: %s", path, strerror(errno));
	if (x->check && S_ISDIR(st.st_mode))
		return bad(x, x->line, "volume", "%s: a folder, not an image (make one with `hako mkfs`)", path);
	c->spec.volume = c->volume = path;
	c->spec.volume_ro = ro;
	return 0;
}

/* Single-valued fields may be given once. */
static int once(const struct ctx *x, const char *field, unsigned *line)
{
	if (*line)
		return bad(x, x->line, field, "given twice (first on line %u)", *line);
	*line = x->line;
	return 0;
}

static int field(struct ctx *x, struct compose_ctr *c, const char *key, char *v)
{
	if (!*v)
		return bad(x, x->line, key, "no value (expected %s = VALUE)", key);
	if (!strcmp(key, "image")) {
		if (once(x, key, &c->image_line) || !(c->image = resolve(x, v)))
			return 2;
		c->spec.image = c->image;
		return x->check ? check_image(x, c->image) : 0;
	}
	if (!strcmp(key, "args"))
		return once(x, key, &c->args_line) ? 2 : split_args(x, c, v);
	if (!strcmp(key, "memory")) {
		if (once(x, key, &c->memory_line))
			return 2;
		c->spec.mem = cli_parse_size(v);
		return c->spec.mem ? 0 : bad(x, x->line, key, "bad size '%s': expected 2M to 16G, e.g. 64M", v);
	}
	if (!strcmp(key, "ports"))
		return once(x, key, &c->ports_line) ? 2 : set_ports(x, c, v);
	if (!strcmp(key, "volume"))
		return once(x, key, &c->volume_line) ? 2 : set_volume(x, c, v);
	if (!strcmp(key, "env")) {
		if (!spec_env_ok(v))
			return bad(x, x->line, key, "bad variable '%s': expected KEY=VALUE", v);
		if (c->spec.envc == COMPOSE_ENV_MAX)
			return bad(x, x->line, key, "too many (%d at most)", COMPOSE_ENV_MAX);
		c->spec.env[c->spec.envc++] = v;
		return 0;
	}
	return bad(x, x->line, key, "unknown field (expected image, args, memory, ports, volume or env)");
}

static int section(struct ctx *x, char *s)
{
	char *end = strchr(s, ']'), *name;
	struct compose_ctr *c;

	if (!end || trim(end + 1)[0])
		return bad(x, x->line, "section", "expected [NAME]");
	*end = 0;
	name = trim(s + 1);
	if (!hako_name_ok(name, strlen(name)))
		return bad(x, x->line, "section", "bad container name '%s': " HAKO_NAME_RULE, name);
	for (unsigned i = 0; i < x->cf->n; i++)
		if (!strcmp(x->cf->c[i].name, name))
			return bad(x, x->line, "section", "[%s] is defined twice (first on line %u)", name,
				   x->cf->c[i].line);
	if (x->cf->n == HAKO_BUNDLE_MAX)
		return bad(x, x->line, "section", "too many containers in one hypervisor (%d at most: "
			   "put the others in another compose file)", HAKO_BUNDLE_MAX);
	if (x->cf->n == x->cap) { /* grown as needed: most files name a few containers */
		unsigned cap = x->cap ? 2 * x->cap : 8;
		if (!(c = realloc(x->cf->c, cap * sizeof(*c))))
			return bad(x, x->line, "section", "out of memory");
		memset(c + x->cap, 0, (cap - x->cap) * sizeof(*c));
		x->cf->c = c;
		x->cap = cap;
	}
	c = &x->cf->c[x->cf->n++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->line = x->line;
	spec_init(&c->spec);
	return 0;
}

static int finish_ctr(const struct ctx *x, const struct compose_ctr *c)
{
	return c->spec.image ? 0 : bad(x, c->line, "image", "[%s] has no image (expected image = FILE)",
				       c->name);
}

static int parse(struct ctx *x, FILE *f)
{
	char buf[LINE_MAX_LEN + 2];
	int err;

	while (fgets(buf, sizeof(buf), f)) {
		char *l, *eq;
		x->line++;
		if (!strchr(buf, '\n') && !feof(f))
			return bad(x, x->line, "syntax", "line longer than %d bytes", LINE_MAX_LEN);
		l = trim(buf);
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			if ((x->cf->n && (err = finish_ctr(x, &x->cf->c[x->cf->n - 1]))) || (err = section(x, l)))
				return err;
			continue;
		}
		if (!(eq = strchr(l, '=')))
			return bad(x, x->line, "syntax", "expected 'FIELD = VALUE' or '[NAME]'");
		*eq = 0;
		l = trim(l);
		if (!x->cf->n)
			return bad(x, x->line, *l ? l : "syntax", "outside a container (start one with [NAME])");
		if (!(eq = strdup(trim(eq + 1))))
			return bad(x, x->line, l, "out of memory");
		if ((err = field(x, &x->cf->c[x->cf->n - 1], l, eq)))
			return err;
	}
	if (ferror(f))
		return cli_fail("%s: cannot read", x->file);
	if (!x->cf->n) {
		return cli_fail("%s: no containers (expected a [NAME] section)", x->file);
	}
	return finish_ctr(x, &x->cf->c[x->cf->n - 1]);
}

int compose_read(const char *file, struct compose *out, int check)
{
	struct ctx x = { .file = file, .check = check, .cf = out };
	const char *slash = strrchr(file, '/');
	struct stat st;
	FILE *f;
	int err;

	memset(out, 0, sizeof(*out));
	out->file = file;
	if (!(f = fopen(file, "r"))) {
		char q[CLI_QUOTE_MAX];
		fprintf(stderr, "hako: %s: cannot open: %s\n", cli_quote(q, sizeof(q), file), strerror(errno));
		return 2;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return cli_fail("%s: not a regular file", file);
	}
	snprintf(x.dir, sizeof(x.dir), "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
	if (slash == file)
		strcpy(x.dir, "/");
	err = parse(&x, f);
	fclose(f);
	/* Now that the table has its final place: the spec's name and arguments are the section's. */
	for (unsigned i = 0; i < out->n; i++) {
		out->c[i].spec.name = out->c[i].name;
		out->c[i].spec.argv = out->c[i].args;
		out->c[i].spec.argc = out->c[i].nargs;
	}
	return err;
}

int compose_can_start(const struct compose *cf)
{
	const struct ctx x = { .file = cf->file };

	char field[HAKO_NAME_MAX + 2];

	for (unsigned i = 0; i < cf->n; i++)
		if (state_name_busy(cf->c[i].name)) {
			snprintf(field, sizeof(field), "[%s]", cf->c[i].name);
			return bad(&x, cf->c[i].line, field,
				   "a container of that name is already running (`hako down %s` stops it)",
				   cf->file);
		}
	for (unsigned i = 0; i < cf->n; i++)
		for (int k = 0; k < cf->c[i].spec.nports; k++) {
			const struct spec_port *p = &cf->c[i].spec.ports[k];
			const char *why = cli_port_busy(p->addr, p->host, p->udp);
			if (why)
				return bad(&x, cf->c[i].ports_line, "ports", "%s:%u/%s: %s", p->addr, p->host,
					   p->udp ? "udp" : "tcp", why);
		}
	return 0;
}
