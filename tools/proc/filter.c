/* proc platform: the seccomp filter, allowing only the host syscalls calls.c makes. */
#include "proc.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ARCH_SET_FS 0x1002

/* A forbidden syscall raises SIGSYS, whose handler names it and kills the container. */
int proc_filter_install(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	int rc = -ENOMEM;

	if (!ctx)
		goto out;
	/* Syscalls of another ABI (int $0x80, x32) end the process at once. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) ||
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
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0)))
		goto out_release;
	rc = seccomp_load(ctx);
out_release:
	seccomp_release(ctx);
out:
	if (rc)
		fprintf(stderr, "hako: cannot install the seccomp filter: %s\n", strerror(-rc));
	return rc;
}
