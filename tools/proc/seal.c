/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: the last steps before the jump. Raw
 * system calls, freestanding like calls.c: once the tender's own code is
 * made non-executable, only the container side (section hako_ctext) runs.
 */
#include "proc.h"

#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "rawsys.h"

static _Noreturn void fail(const struct proc_seal *s, const char *what)
{
	const char *parts[] = { "hako: ", s->name, ": ", what, "\n" };

	for (unsigned i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		unsigned long n = 0;
		while (parts[i][n])
			n++;
		sys4(SYS_write, 2, (long)parts[i], (long)n, 0);
	}
	for (;;)
		sys4(SYS_exit_group, 2, 0, 0, 0);
}

_Noreturn void proc_seal_enter(const struct proc_seal *s, uint64_t entry, uint64_t sp,
			       uint64_t info)
{
	for (unsigned i = 0; i < s->ndrop; i++)
		if (sys4(SYS_mprotect, (long)s->drop[i].start, (long)s->drop[i].len, PROT_READ, 0))
			fail(s, "cannot make the tender's code non-executable");
	if (s->vdso.len && sys4(SYS_munmap, (long)s->vdso.start, (long)s->vdso.len, 0, 0))
		fail(s, "cannot unmap the vDSO");
	if (sys4(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0) ||
	    sys4(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)s->filter, 0))
		fail(s, "cannot install the seccomp filter");
	proc_enter(entry, sp, info, s->wipe.start, s->wipe.len);
}
