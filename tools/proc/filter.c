/* SPDX-License-Identifier: ISC */
/*
 * proc platform: the seccomp filters, allowing only the host syscalls the
 * container side (calls.c, block.c, net.c) makes. This is a build-time
 * program: it builds one filter per device configuration with libseccomp
 * and prints them as C arrays, so that starting a container costs one
 * seccomp() call instead of libseccomp's run-time probing, and a container
 * gets no syscall its devices do not need.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h> /* SIOCOUTQ is TIOCOUTQ */
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"
#include "hako/abi.h"

#define ARCH_SET_FS 0x1002

#define ALLOW_ON(ctx, call, fd) \
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call), 1, SCMP_A0(SCMP_CMP_EQ, fd))

static const char *const block_names[] = { "none", "ro", "rw" };
static const char *const net_names[] = { "none", "tap", "passt" };

/* Block: pread64 on the device only; pwrite64 and fdatasync only when writable. */
static int build_block(scmp_filter_ctx ctx, enum proc_block_mode m)
{
	int rc = 0;

	if (m != PROC_BLOCK_NONE)
		rc = ALLOW_ON(ctx, pread64, PROC_FD_BLOCK);
	if (!rc && m == PROC_BLOCK_RW && !(rc = ALLOW_ON(ctx, pwrite64, PROC_FD_BLOCK)))
		rc = ALLOW_ON(ctx, fdatasync, PROC_FD_BLOCK);
	return rc;
}

/*
 * Network: frames on the device only (TAP: readv + write per frame; passt:
 * read into the stream buffer + writev per batch + SIOCOUTQ), and ppoll for yield:
 * one pollfd, no signal mask. ppoll cannot check which fd is in the array,
 * but waiting on another descriptor gives nothing away.
 */
static int build_net(scmp_filter_ctx ctx, enum proc_net_mode m)
{
	int rc;

	if (m == PROC_NET_NONE)
		return 0;
	if (m == PROC_NET_TAP)
		rc = ALLOW_ON(ctx, readv, PROC_FD_NET) ?: ALLOW_ON(ctx, write, PROC_FD_NET);
	else
		rc = ALLOW_ON(ctx, read, PROC_FD_NET) ?: ALLOW_ON(ctx, writev, PROC_FD_NET) ?:
		     /* how much passt has not read yet (net_order.c) */
		     seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
				      SCMP_A0(SCMP_CMP_EQ, PROC_FD_NET), SCMP_A1(SCMP_CMP_EQ, SIOCOUTQ));
	return rc ?: seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ppoll), 2,
				      SCMP_A1(SCMP_CMP_EQ, 1), SCMP_A3(SCMP_CMP_EQ, 0));
}

/*
 * Protection keys (pkey.c): pkey_alloc with flags 0 and rights <= 3,
 * pkey_free of a pool key only (1, 2 and 15 stay the tender's), and
 * pkey_mprotect with at most PROT_READ|PROT_WRITE (never PROT_EXEC: no page
 * becomes executable after the load-time scan) and a key <= 15. The
 * addresses are checked by pkey.c; a container that calls these directly
 * can only take rights from itself. Harmless where the CPU has no PKU:
 * Linux then refuses pkey_alloc, and pkey_mprotect with key 0 is mprotect.
 */
static int build_pkeys(scmp_filter_ctx ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pkey_alloc), 2,
				  SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_LE, 3));

	for (unsigned k = HAKO_PKEY_POOL_FIRST; !rc && k <= HAKO_PKEY_POOL_LAST; k++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pkey_free), 1, SCMP_A0(SCMP_CMP_EQ, k));
	return rc ?: seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pkey_mprotect), 2,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, ~(uint64_t)(PROT_READ | PROT_WRITE), 0),
				      SCMP_A3(SCMP_CMP_LE, HAKO_PKEYS - 1));
}

/* A forbidden syscall raises SIGSYS, whose handler names it and kills the container. */
static int build(scmp_filter_ctx ctx, enum proc_block_mode b, enum proc_net_mode n)
{
	int rc;

	/* Syscalls of another ABI (int $0x80, x32) raise SIGSYS too: one kill line. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP)) ||
	    /* console on stdout, kill lines on stderr */
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 1,
				   SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 1,
				   SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_nanosleep), 2,
				   SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC),
				   SCMP_A1(SCMP_CMP_EQ, TIMER_ABSTIME))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(arch_prctl), 1,
				   SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS))) ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0)) ||
	    (rc = build_pkeys(ctx)) || (rc = build_block(ctx, b)) || (rc = build_net(ctx, n)))
		return rc;
	return 0;
}

/* Print the filter for one configuration as proc_filter_<block>_<net>[]. */
static int emit(enum proc_block_mode b, enum proc_net_mode n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	struct sock_filter *insn = NULL;
	FILE *tmp = tmpfile();
	long size;
	int rc;

	if (!ctx || !tmp)
		return perror("filter"), 1;
	if ((rc = build(ctx, b, n)) || (rc = seccomp_export_bpf(ctx, fileno(tmp)))) {
		fprintf(stderr, "filter: %s\n", strerror(-rc));
		return 1;
	}
	size = lseek(fileno(tmp), 0, SEEK_END);
	if (size <= 0 || size % sizeof(*insn) || !(insn = malloc(size)) ||
	    pread(fileno(tmp), insn, size, 0) != size)
		return fprintf(stderr, "filter: cannot read the exported filter\n"), 1;
	/* Not const: struct sock_fprog points to them so (the kernel copies a filter when it loads). */
	printf("static struct sock_filter proc_filter_%s_%s[] = {\n", block_names[b], net_names[n]);
	for (long i = 0; i < size / (long)sizeof(*insn); i++)
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", insn[i].code, insn[i].jt, insn[i].jf, insn[i].k);
	printf("};\n");
	free(insn);
	fclose(tmp);
	seccomp_release(ctx);
	return 0;
}

int main(void)
{
	printf("/* Generated by tools/proc/filter.c: the proc platform's seccomp filters. */\n");
	for (int b = 0; b < PROC_BLOCK_MODES; b++)
		for (int n = 0; n < PROC_NET_MODES; n++)
			if (emit(b, n))
				return 1;
	printf("\n/* [block mode][net mode] */\n");
	printf("static const struct sock_fprog proc_filters[%d][%d] = {\n", PROC_BLOCK_MODES, PROC_NET_MODES);
	for (int b = 0; b < PROC_BLOCK_MODES; b++) {
		printf("\t{\n");
		for (int n = 0; n < PROC_NET_MODES; n++)
			printf("\t\t{ sizeof(proc_filter_%1$s_%2$s) / sizeof(struct sock_filter),\n"
			       "\t\t  proc_filter_%1$s_%2$s },\n",
			       block_names[b], net_names[n]);
		printf("\t},\n");
	}
	printf("};\n");
	return 0;
}
