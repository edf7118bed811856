/* SPDX-License-Identifier: ISC */
/* Protection domains: one container's address space, context and accounting. */
#ifndef HV_PD_H
#define HV_PD_H

#include <stddef.h>
#include <stdint.h>

#include "hako/abi.h"
#include "hako/bundle.h"
#include "image.h"
#include "sanitize.h"
#include "vm.h"
#include "x86.h"

#define CALL_PAGE_SYSCALL_END 5 /* offset of the ret after the call page's syscall */
#define PD_LINE_MAX 200 /* console line buffer; a longer line is split */

/* PD_SLEEPING: in yield until wake_ns or an event; PD_BLOCKED: in a call until sched_wake. */
enum pd_state { PD_RUNNABLE, PD_RUNNING, PD_SLEEPING, PD_BLOCKED };

struct sw_port;
struct blk;
struct pd;
struct pd_range { uint64_t start, end; };

/*
 * A device of a domain (blk.c, net.c): attached once pd_create made it,
 * and recorded with pd_attach so that pd_destroy detaches it (the last
 * attached first) without the domains knowing the devices.
 */
struct pd_dev {
	void (*detach)(struct pd *pd);
};
#define PD_DEVS_MAX 2 /* a block slice and a switch port */

struct pd {
	struct regs regs;        /* ring-3 context while not running */
	struct vm vm;            /* address space and memory quota */
	char name[HAKO_NAME_MAX];
	enum pd_state state;
	int stop;                /* the host asked to stop it: it ends at its next turn */
	uint64_t wake_ns;        /* PD_SLEEPING: monotonic deadline */
	uint64_t slice_left;     /* ns of its slice it had not used when it stopped */
	uint64_t fs_base, gs_base;
	void *fpu;               /* FPU/SSE save area, one page */
	uint64_t heap_base, heap_end, stack_base, stack_top;
	struct pd *next;         /* run queue */
	struct sw_port *port;    /* on the switch (net.c), or NULL */
	struct blk *blk;         /* its block slice (blk.c), or NULL */
	struct shared_image *shared; /* its read-only image pages (pd.c), or NULL */
	struct san san;          /* its console output, sanitized on the way in (output.c) */
	const struct pd_dev *devs[PD_DEVS_MAX]; /* attached, in order */
	unsigned ndevs;

	/* Protection keys (pkey.c). */
	uint32_t pkru;           /* PKRU at its last entry to the hv: its calls' rights */
	uint32_t libos_pkru;     /* with a domains note: the only PKRU a call may have */
	int domains;             /* the image declares domains */
	uint16_t pkeys;          /* pool keys it allocated, bit k for key k */
	uint32_t pkey_pages[HAKO_PKEYS]; /* pages carrying key k (k >= 1) */
	unsigned nrw;            /* its writable image segments, which */
	struct pd_range rw[IMG_MAX_SEGS]; /* pkey_mprotect may re-key */

	uint32_t linelen;
	char line[PD_LINE_MAX];
};

/*
 * Build a domain from a validated bundle entry and its ELF image: tables,
 * W^X segments, call page, start info, heap and stack ranges, leaving
 * reserve pages of its quota to its devices (the heap gets what is left).
 * Returns the domain ready to run once its devices are attached, or NULL
 * with *why set (nothing is left allocated).
 */
struct pd *pd_create(const struct hako_bundle_entry *e, const void *image, size_t size,
		     uint64_t reserve, const char **why);
/* Record dev as attached to pd (at most PD_DEVS_MAX: a broken invariant panics). */
void pd_attach(struct pd *pd, const struct pd_dev *dev);
/*
 * Detach pd's devices, last first, and return every page of pd to the
 * allocator. pd MUST not be loaded on the CPU.
 */
void pd_destroy(struct pd *pd);

/*
 * Map the demand-zero heap or stack page at addr. 0, or -1 if addr is in
 * no such range, -2 if the quota or the hv's memory is used up.
 */
int pd_fault_in(struct pd *pd, uint64_t addr, int write);
/* Why a fault on the non-present page at addr could not be served. */
const char *pd_fault_reason(const struct pd *pd, uint64_t addr);
/*
 * Which memory ran out when an allocation for pd failed: its quota, or
 * the hypervisor's (more quotas than RAM: docs/usage.md, Limits).
 */
const char *pd_oom_reason(const struct pd *pd);

/* The shared call page; made once at boot. */
void pd_init(void);

#endif /* HV_PD_H */
