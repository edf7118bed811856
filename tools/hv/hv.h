/* SPDX-License-Identifier: ISC */
/* hv platform, host side: a run of the hypervisor, as spec.c, net.c and boot.c share it. */
#ifndef HAKO_HV_H
#define HAKO_HV_H

#include <stddef.h>
#include <stdint.h>

#include "hako/bundle.h"
#include "disks.h"
#include "spec.h"

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
 * $HAKO_ACCEL=tcg|kvm overrides the accelerator choice, $HAKO_QEMU_CPU the
 * CPU model (e.g. max,pku=off: a CPU without protection keys).
 */

#define QEMU_EXTRA_MIB  32 /* hv, page tables, firmware */
/*
 * The most RAM the hv can use: microvm puts 3 GiB below 4 GiB, the rest
 * above, outside the hv's direct map (hv/x86.h). Containers whose quotas
 * add up to more still start: the hv says so at boot, and one that finds
 * no free page is stopped saying so (docs/usage.md, Limits).
 */
#define HV_RAM_MAX_MIB  3072

/*
 * Networking: the switch's address plan, also QEMU user networking's
 * (slirp's): a /16 with the usual 10.0.2.2 gateway and 10.0.2.3 DNS, so
 * every container of a full hypervisor has an address.
 */
#define USER_NET   "10.0.0.0"
#define USER_BITS  16
#define USER_SUBNET USER_NET "/16"
#define USER_GW    "10.0.2.2"
#define USER_DNS   "10.0.2.3"
#define FIRST_ADDR "10.0.2.15" /* containers get 10.0.2.15, .16, ... 10.0.3.0, ... */
#define NETDEV_MAX (128 << 10)  /* Linux's limit for one argument (MAX_ARG_STRLEN) */

struct hv_ctr {
	struct hako_bundle_entry e;
	const struct spec *spec; /* what was asked for: the runner's, kept while it runs */
	const char *path;      /* the image file */
	void *image;
	size_t size;
	int ip_set, no_net;    /* --ip A.B.C.D/N or dhcp; --ip none */
	uint32_t addr, mask;   /* its address on the switch (network order), once planned */
};

struct hv_run {
	struct hv_ctr *c;
	unsigned n;
	const char *hv, *bundle_out, *bundle_in;
	unsigned timeout;
	const char *net;       /* --net: NULL until given */
	enum { NET_NONE, NET_SWITCH, NET_USER, NET_TAP } mode;
	char netdev[NETDEV_MAX]; /* QEMU's -netdev value (user, tap) */
	struct hv_disks disks;   /* --disk and -v files, in QEMU's (and the hv's) order */
	const char *pidfile;
	const char *ctl;         /* the control socket QEMU listens on (COM2), or NULL */
};

/* spec.c: the whole command line into r; 0, or 2 after one line on stderr. */
int hv_parse(struct hv_run *r, int argc, char **argv);
/*
 * The containers of specs[0..n) into r (HV-OPTIONS already there): names,
 * strings, memory, volumes, images read and validated, then the network
 * planned. specs MUST outlive r. 0, or 2 after one line on stderr.
 */
int hv_add_specs(struct hv_run *r, const struct spec *specs, unsigned n);
extern const char hv_usage[];

/* net.c: addresses, MACs and QEMU's -netdev, once every SPEC is parsed. */
int hv_net_finish(struct hv_run *r);

/*
 * bundle.c: r's bundle into fd (its entries' image offsets filled), its
 * size in *size; 0, or -1 if a write failed.
 */
int hv_bundle_write(const struct hv_run *r, int fd, uint64_t *size);

struct super;

/*
 * boot.c: boot what hv_parse() put in r: write the bundle, start QEMU,
 * relay the console until it ends. With s, the supervisor sees QEMU's pid,
 * the start and every container's end (and the log gets a copy). Returns
 * the exit status for the shell: 0 if every container exited 0, else the
 * first failing container's status (255: killed or could not start; 124
 * after --timeout).
 */
int run_hv(struct hv_run *r, struct super *s);

#endif /* HAKO_HV_H */
