/*
 * The container-memory seam of the shared ABI checks: lib/abicheck.c asks
 * the pd gate, so whatever the gate refuses (a page not the container's,
 * not writable, out of quota) every call refuses the same way.
 */
#include "umem.h"

static int user_ok(void *pd, uint64_t addr, uint64_t len, int write)
{
	return pd_check(pd, addr, len, write) == 0;
}

static int copy_in(void *pd, void *dst, uint64_t addr, uint64_t len)
{
	return pd_copy_in(pd, dst, addr, len) ? -1 : 0;
}

struct abi_mem umem_of(struct pd *pd)
{
	return (struct abi_mem){ .user_ok = user_ok, .copy_in = copy_in, .ctx = pd };
}
