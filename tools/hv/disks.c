/* SPDX-License-Identifier: ISC */
/* hv platform, host side: parse -v and --disk and check them against the files. */
#include "disks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define SECTOR 512

/* "FILE[:ro|:rw]": strip the mode; 1 if read-only. */
static int take_mode(char *v)
{
	size_t n = strlen(v);

	if (n > 3 && (!strcmp(v + n - 3, ":ro") || !strcmp(v + n - 3, ":rw"))) {
		v[n - 3] = 0;
		return v[n - 1] == 'o';
	}
	return 0;
}

/* Open path as the hv will use it and learn its size; 0, or 2 after a message. */
static int probe(const char *path, int ro, uint64_t *size)
{
	struct stat st;
	int fd = open(path, ro ? O_RDONLY : O_RDWR);

	if (fd < 0) {
		char q[CLI_QUOTE_MAX];
		fprintf(stderr, "hako: cannot open block device image '%s': %s\n",
			cli_quote(q, sizeof(q), path), strerror(errno));
		return 2;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_fail("block device image '%s': not a regular file", path);
	}
	close(fd);
	*size = (uint64_t)st.st_size / SECTOR * SECTOR;
	if (!*size)
		return cli_fail("block device image '%s': smaller than one 512-byte block", path);
	return 0;
}

static int add(struct hv_disks *ds, const char *path, int ro)
{
	struct hv_disk *d = &ds->d[ds->n];
	int err;

	if (ds->n == HV_DISKS_MAX)
		return cli_fail("too many disks (%s at most)", "8");
	if (!(d->path = strdup(path)))
		return cli_fail("out of %s", "memory");
	if ((err = probe(path, ro, &d->size)))
		return err;
	d->ro = ro;
	ds->n++;
	return 0;
}

int hv_disk_add(struct hv_disks *ds, const char *v)
{
	char buf[4096];
	int ro, err;

	if (strlen(v) >= sizeof(buf) || !*v)
		return cli_fail("bad disk '%s': expected FILE or FILE:ro", v);
	strcpy(buf, v);
	ro = take_mode(buf);
	if ((err = add(ds, buf, ro)))
		return err;
	ds->named = ds->n;
	return 0;
}

/* Bytes with an optional k/M/G suffix; -1 if malformed or too large. */
static int parse_bytes(const char *s, uint64_t *v)
{
	unsigned long long n, unit = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': unit = 1ull << 10; end++; break;
	case 'm': case 'M': unit = 1ull << 20; end++; break;
	case 'g': case 'G': unit = 1ull << 30; end++; break;
	}
	if (errno || *end || n > UINT64_MAX / unit)
		return -1;
	*v = n * unit;
	return 0;
}

/* diskN:OFFSET:SIZE; 1 if v has that form (and fills e), 0 if not, 2 after a message. */
static int slice(struct hv_disks *ds, struct hako_bundle_entry *e, char *buf, const char *v)
{
	static const char bad[] = "bad volume '%s': expected diskN:OFFSET:SIZE[:ro], multiples of 512";
	char *off, *size, *end;
	unsigned long n;

	if (strncmp(buf, "disk", 4) || buf[4] < '0' || buf[4] > '9' || !(off = strchr(buf, ':')))
		return 0;
	n = strtoul(buf + 4, &end, 10);
	if (end != off)
		return 0;
	*off++ = 0;
	if (!(size = strchr(off, ':')))
		return cli_fail(bad, v);
	*size++ = 0;
	if (n >= ds->named)
		return cli_fail("volume '%s': no such --disk (they count from disk0)", v);
	if (parse_bytes(off, &e->block_offset) || parse_bytes(size, &e->block_size) ||
	    !e->block_size || (e->block_offset | e->block_size) % SECTOR)
		return cli_fail(bad, v);
	/* Both tests: offset + size may wrap. */
	if (e->block_offset > ds->d[n].size || e->block_size > ds->d[n].size - e->block_offset)
		return cli_fail("volume '%s': the slice does not fit in the disk", v);
	e->block_disk = (uint32_t)n;
	return 1;
}

int hv_disk_volume(struct hv_disks *ds, struct hako_bundle_entry *e, const char *path, int ro)
{
	char buf[4096], v[4096 + 3]; /* v: the volume as given, for messages */
	struct stat st, other;
	int err;
	unsigned i;

	if (strlen(path) >= sizeof(buf) || !*path)
		return cli_fail("bad volume '%s': expected FILE or FILE:ro", path);
	strcpy(buf, path);
	snprintf(v, sizeof(v), "%s%s", path, ro ? ":ro" : "");
	if ((err = slice(ds, e, buf, v)) == 2)
		return err;
	if (err == 0) {
		/* A whole file: the disk already made for it, else a new one. */
		if (stat(buf, &st))
			return (err = probe(buf, ro, &e->block_size)) ? err : 2;
		for (i = 0; i < ds->n; i++)
			if (!stat(ds->d[i].path, &other) && other.st_dev == st.st_dev &&
			    other.st_ino == st.st_ino)
				break;
		if (i == ds->n && (err = add(ds, buf, ro)))
			return err;
		e->block_disk = i;
		e->block_offset = 0;
		e->block_size = ds->d[i].size;
	}
	/* The disk is writable as soon as one container may write. */
	if (!ro && ds->d[e->block_disk].ro) {
		if (e->block_disk < ds->named)
			return cli_fail("volume '%s' writes to a disk given as read-only", v);
		if ((err = probe(ds->d[e->block_disk].path, 0, &ds->d[e->block_disk].size)))
			return err;
		ds->d[e->block_disk].ro = 0;
	}
	e->flags |= HAKO_BUNDLE_BLOCK | (ro ? HAKO_BUNDLE_BLOCK_RO : 0);
	return 0;
}
