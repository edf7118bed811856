/* SPDX-License-Identifier: ISC */
/* hv platform, host side: QEMU's command line for one boot of the hypervisor, made purely. */
#ifndef HAKO_HV_QEMU_H
#define HAKO_HV_QEMU_H

#include <stdint.h>

#include "disks.h"

#define HV_QEMU_ARGS_MAX 96
#define HV_QEMU_PATH_MAX 4096 /* bytes of a disk's or the control socket's path */

/* Everything the command line depends on; the caller looks at the host and the environment. */
struct hv_qemu {
	const char *qemu;             /* the program */
	int kvm;                      /* -accel kvm, else tcg */
	const char *cpu;              /* -cpu MODEL, or NULL: host with KVM, max with TCG */
	uint64_t mem_mib;             /* -m */
	const char *hv, *bundle;      /* -kernel, -initrd */
	const char *netdev;           /* the NIC's -netdev value (id n0), or NULL: no NIC */
	const struct hv_disks *disks; /* one -drive and virtio-blk device each, in order */
	const char *pidfile;          /* -pidfile, or NULL */
	const char *ctl;              /* the control socket (COM2's other end), or NULL */
};

/* The line: argv (NULL-terminated) and the strings it points to that are not q's. */
struct hv_qemu_line {
	const char *argv[HV_QEMU_ARGS_MAX];
	char mem[32];
	char ctl[2 * HV_QEMU_PATH_MAX + 64];
	char drive[HV_DISKS_MAX][2 * HV_QEMU_PATH_MAX + 100];
	char device[HV_DISKS_MAX][64];
};

/*
 * Fill *l for q: microvm with the hv as its kernel and the bundle as its
 * initrd, COM1 on stdio, the isa-debug-exit device, then the NIC, the
 * disks, the pidfile and the control channel (hako/protocol.h). A comma
 * in a path inside an option is doubled, as QEMU wants. NULL, or a
 * printf format with one %s (set in *what) saying what does not fit.
 */
const char *hv_qemu_line(const struct hv_qemu *q, struct hv_qemu_line *l, const char **what);

#endif /* HAKO_HV_QEMU_H */
