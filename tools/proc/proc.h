/* SPDX-License-Identifier: ISC */
/* proc platform: one container run as a seccomp-sandboxed Linux process. */
#ifndef HAKO_PROC_H
#define HAKO_PROC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dev.h"
#include "hako/abi.h"

#define PROC_PORTS_MAX 16

/* One published port: host addr:port forwarded to the container's port. */
struct proc_port {
	int udp;            /* 0: TCP, 1: UDP */
	char addr[16];      /* host IPv4 address to bind, dotted */
	uint16_t host, ctr;
};

struct proc_opts {
	const char *name;   /* container name, for its messages */
	const char *image;  /* path of the container ELF */
	uint64_t mem;       /* bytes of heap + stack the container may use */
	int argc;           /* argv[0] is the container name */
	const char *const *argv;
	int envc;
	const char *const *envp; /* "KEY=VALUE" */

	const char *block;  /* -v: image file of the block device, or NULL */
	int block_ro;       /* -v FILE:ro */
	enum proc_net_mode net;
	const char *tap;    /* --net tap:NAME */
	const char *passt;  /* passt's program file (proc_exec finds it in PATH), or NULL */
	int nports;         /* -p: ports passt publishes */
	struct proc_port ports[PROC_PORTS_MAX];
	uint32_t ipv4_addr, ipv4_netmask, ipv4_gateway, ipv4_dns; /* network order */
	int dhcp;           /* --ip dhcp: the container asks (passt answers) */
	int no_pku;         /* as on a CPU without PKU ($HAKO_PKU=off; for tests) */
	uint8_t mac[6];

	pid_t notify_pid;   /* if not 0: sent SIGUSR1 once the container is ready to run */
	int go_fd;          /* if > 2: wait for one byte on it before opening the devices
			       (the supervisor records the start meanwhile); EOF: give up, status 2 */
};

struct spec;

/*
 * opts.c (hako's side): o for the container s asks for, named name, once
 * checked for this platform: its network (passt's address plan, the
 * MAC), its device and its arguments. o points into s (and to arrays it
 * allocates). 0, or 2 after one line on stderr.
 */
int proc_opts_of(const struct spec *s, const char *name, struct proc_opts *o);

/*
 * handoff.c: proc_exec() runs o in a fresh tender program: it execs hako
 * itself as PROC_TENDER_ARGV0 with an empty environment, o passed through
 * a descriptor, so no host string (environment, command line, state
 * folder, heap) is in the process the container can read. It returns only
 * on failure: 2 after one line on stderr. hako's main() knows the tender
 * by its argv[0]: proc_tender_opts() reads o (NULL after one line on
 * stderr if there is none), which it hands to proc_run().
 * proc_scrub() wipes what the tender kept of o, and the stack below its
 * caller; proc_run calls it last before the jump. proc_heap() finds
 * glibc's heap (brk), which proc_enter zeroes: 0, or -1.
 */
#define PROC_TENDER_ARGV0 "hako-tender"
int proc_exec(const struct proc_opts *o);
const struct proc_opts *proc_tender_opts(void);
void proc_scrub(void);
int proc_heap(uint64_t *base, uint64_t *len);

/*
 * proc_run() loads the image into this process, seals the process with the
 * seccomp filter and jumps to the container. It returns only on failure
 * before the jump, after printing one line on stderr, with exit status 2.
 * From the jump on, the container owns the process: its exit status is the
 * process's; a fault or forbidden syscall ends it with HAKO_EXIT_KILLED.
 */
int proc_run(const struct proc_opts *o);

/*
 * devices.c: open the devices o asks for at their fixed descriptors (closing
 * every other one above stderr), start passt if needed, and describe them in
 * the start info and cfg. 0, or 2 after one line on stderr.
 */
int proc_devices_open(const struct proc_opts *o, struct hako_start_info *si,
		      struct proc_dev_config *cfg);

struct img;

struct proc_range {
	uint64_t start, len;
};

/* What proc_seal_enter does last, after the tender's libc is done for good. */
#define PROC_DROP_MAX 4
struct proc_seal {
	struct proc_range drop[PROC_DROP_MAX]; /* tender code made non-executable */
	unsigned ndrop;
	struct proc_range vdso;  /* unmapped when len is not 0 */
	const void *filter;      /* struct sock_fprog */
	const char *name;        /* the container's, for the error line */
	struct proc_range wipe;  /* zeroed by proc_enter: glibc's heap */
};

/*
 * protect.c: protection keys set up (start info flag HAKO_INFO_PKU, the
 * domains note's ranges keyed), the tender's own code and the vDSO
 * checked, seal->drop and seal->vdso filled. 0, or 2 after one line.
 */
int proc_protect(const struct proc_opts *o, const struct img *img, struct hako_start_info *si,
		 struct proc_seal *seal);

/*
 * seal.c (freestanding): make the tender's code outside the container
 * side non-executable, unmap a vDSO that failed the scan, set
 * no_new_privs, install the filter, then proc_enter (which wipes
 * s->wipe). Ends the process with status 2 and one line if any step fails.
 */
_Noreturn void proc_seal_enter(const struct proc_seal *s, uint64_t entry, uint64_t sp,
			       uint64_t info);

/* calls.c: the container-facing side, freestanding (see the file's comment). */
long proc_call(long nr, long a0, long a1, long a2, long a3);
void proc_fault_init(const char *name, uint64_t stack_guard);
void proc_fault(int sig, siginfo_t *info, void *uctx);
/*
 * Jump to entry on stack sp with %rdi = info, after zeroing [wipe, wipe +
 * wipe_len): glibc's heap, TLS included, which nothing uses from here on.
 */
_Noreturn void proc_enter(uint64_t entry, uint64_t sp, uint64_t info, uint64_t wipe,
			  uint64_t wipe_len);

#endif /* HAKO_PROC_H */
