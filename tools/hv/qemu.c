/* SPDX-License-Identifier: ISC */
/* hv platform, host side: QEMU's command line (qemu.h), with no look at the host. */
#include "qemu.h"

#include <stdio.h>
#include <string.h>

#include "hako/protocol.h"

/* QEMU splits options at commas: a comma in a value is written twice. -1 if it does not fit. */
static int quote(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if (n + 3 > size)
			return -1;
		if (*s == ',')
			out[n++] = ',';
		out[n++] = *s;
	}
	out[n] = 0;
	return 0;
}

static void add(struct hv_qemu_line *l, int *n, const char *opt, const char *v)
{
	l->argv[(*n)++] = opt;
	l->argv[(*n)++] = v;
}

/*
 * cache=writeback: the host's page cache, and the guest's flush is an
 * fdatasync. Data QEMU completed survives QEMU being killed.
 */
static const char *disks(const struct hv_disks *ds, struct hv_qemu_line *l, int *n,
			 const char **what)
{
	char path[2 * HV_QEMU_PATH_MAX];

	for (unsigned i = 0; ds && i < ds->n; i++) {
		const struct hv_disk *d = &ds->d[i];
		*what = d->path;
		if (strlen(d->path) >= HV_QEMU_PATH_MAX || quote(path, sizeof(path), d->path))
			return "disk file name too long: '%s'";
		snprintf(l->drive[i], sizeof(l->drive[i]),
			 "file=%s,format=raw,if=none,id=disk%u,cache=writeback,discard=ignore%s",
			 path, i, d->ro ? ",readonly=on" : "");
		snprintf(l->device[i], sizeof(l->device[i]),
			 "virtio-blk-pci,drive=disk%u,disable-legacy=on", i);
		add(l, n, "-drive", l->drive[i]);
		add(l, n, "-device", l->device[i]);
	}
	return NULL;
}

/* The control channel: COM2, whose other end is a socket `hako stop` writes to. */
static const char com2[] = "isa-serial,chardev=ctl,iobase=" HAKO_STR(
	HAKO_CTL_PORT) ",irq=" HAKO_STR(HAKO_CTL_IRQ);

static const char *control(const char *ctl, struct hv_qemu_line *l, int *n, const char **what)
{
	char path[2 * HV_QEMU_PATH_MAX];

	*what = ctl;
	if (strlen(ctl) >= HV_QEMU_PATH_MAX || quote(path, sizeof(path), ctl))
		return "control socket path too long: '%s'";
	snprintf(l->ctl, sizeof(l->ctl), "socket,id=ctl,path=%s,server=on,wait=off", path);
	add(l, n, "-chardev", l->ctl);
	add(l, n, "-device", com2);
	return NULL;
}

const char *hv_qemu_line(const struct hv_qemu *q, struct hv_qemu_line *l, const char **what)
{
	_Static_assert(HV_QEMU_ARGS_MAX >= 26 + 4 * HV_DISKS_MAX + 8, "every option fits");
	const char *why;
	int n = 0;

	snprintf(l->mem, sizeof(l->mem), "%lluM", (unsigned long long)q->mem_mib);
	l->argv[n++] = q->qemu;
	add(l, &n, "-accel", q->kvm ? "kvm" : "tcg");
	add(l, &n, "-cpu", q->cpu ? q->cpu : q->kvm ? "host" : "max");
	add(l, &n, "-M", "microvm,x-option-roms=off,pit=on,pic=off,rtc=on,isa-serial=on,pcie=on");
	add(l, &n, "-m", l->mem);
	l->argv[n++] = "-nodefaults";
	l->argv[n++] = "-no-reboot";
	add(l, &n, "-display", "none");
	add(l, &n, "-serial", "stdio");
	add(l, &n, "-device", "isa-debug-exit,iobase=" HAKO_STR(HAKO_EXIT_PORT) ",iosize=4");
	add(l, &n, "-kernel", q->hv);
	add(l, &n, "-initrd", q->bundle);
	if (q->netdev) {
		/* The NIC: the switch's uplink. Its own MAC does not matter, the containers have theirs. */
		add(l, &n, "-netdev", q->netdev);
		add(l, &n, "-device", "virtio-net-pci,netdev=n0,disable-legacy=on,romfile=");
	}
	if ((why = disks(q->disks, l, &n, what)))
		return why;
	if (q->pidfile)
		add(l, &n, "-pidfile", q->pidfile);
	if (q->ctl && (why = control(q->ctl, l, &n, what)))
		return why;
	l->argv[n] = NULL;
	return NULL;
}
