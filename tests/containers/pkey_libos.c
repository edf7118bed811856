/* SPDX-License-Identifier: ISC */
/*
 * pkey_libos: the pkey calls as an app makes them, through musl's
 * syscall() and the libOS, with Linux's errno values; a write() from a
 * buffer the app's PKRU closes fails with EFAULT and prints nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <hako/hako.h>

static int failures;

static void expect(long got, long want, int err, const char *what)
{
	if (got == want && (want != -1 || errno == err)) {
		printf("ok: %s\n", what);
		return;
	}
	printf("pkey_libos FAILED: %s = %ld (errno %d)\n", what, got, errno);
	failures++;
}

int main(void)
{
	char *p = aligned_alloc(4096, 8192);
	long key;

	if (!(hako_start_info()->flags & HAKO_INFO_PKU)) {
		expect(syscall(SYS_pkey_alloc, 0, 0), -1, EOPNOTSUPP, "no PKU: pkey_alloc");
		return failures ? 1 : (printf("pkey_libos ok (no PKU)\n"), 0);
	}
	memset(p, 'x', 8192);
	memcpy(p, "LEAKED-FROM-A-CLOSED-KEY\n", 25);
	key = syscall(SYS_pkey_alloc, 0, HAKO_PKEY_DISABLE_ACCESS);
	expect(key, HAKO_PKEY_POOL_FIRST, 0, "pkey_alloc");
	expect(syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_WRITE, key), 0, 0, "pkey_mprotect");
	expect(write(1, p, 25), -1, EFAULT, "write from a closed key");
	expect(syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_EXEC, key), -1, EINVAL,
	       "PROT_EXEC refused");
	expect(syscall(SYS_pkey_free, key), -1, EBUSY, "pkey_free of a key in use");
	expect(syscall(SYS_pkey_free, key + 1), -1, EPERM, "pkey_free of a key not allocated");
	expect(syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_WRITE, -1), 0, 0, "back to key 0");
	expect(syscall(SYS_pkey_free, key), 0, 0, "pkey_free");
	expect(p[1] == 'E', 1, 0, "readable again");
	free(p);
	return failures ? 1 : (printf("pkey_libos ok\n"), 0);
}
