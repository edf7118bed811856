/* SPDX-License-Identifier: ISC */
/*
 * The one gate between container addresses and hv memory, and the seam of
 * the shared ABI checks: lib/abicheck.c asks the gate, so whatever the gate
 * refuses (a page not the container's, not writable, its key not allowed,
 * out of quota) every call refuses the same way.
 */
#include "umem.h"

#include "cpu.h"
#include "lib.h"
#include "mm.h"
#include "pkey.h"
#include "vm.h"

/* The hv's pointer to user address va, or NULL if the container may not access it so. */
static uint8_t *user_page(struct pd *pd, uint64_t va, int write)
{
	uint64_t *pte = vm_lookup(&pd->vm, va);

	if ((!pte || !(*pte & PTE_P)) && pd_fault_in(pd, va, write) == 0)
		pte = vm_lookup(&pd->vm, va);
	if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W)))
		return NULL;
	/* Supervisor accesses ignore PKRU: check the key against the caller's rights. */
	if (cpu.pku && !pkey_allows(pd->pkru, *pte, write))
		return NULL;
	return (uint8_t *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

/*
 * Walk [uva, uva + len) page by page through the container's own table and
 * copy through the direct map: SMAP never has to be opened, and a page the
 * container does not own can never be reached. The bytes go to in, or come
 * from out (the container's pages written); with neither, only check.
 */
static int user_copy(struct pd *pd, uint64_t uva, uint8_t *in, const uint8_t *out, size_t len,
		     int write)
{
	/* Both tests are needed: uva + len may wrap around. */
	if (uva >= USER_TOP || len > USER_TOP - uva)
		return -HAKO_EFAULT;
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (uva & (PAGE_SIZE - 1)));
		uint8_t *p = user_page(pd, uva, write);
		if (!p)
			return -HAKO_EFAULT;
		if (out)
			memcpy(p, out, n), out += n;
		else if (in)
			memcpy(in, p, n), in += n;
		uva += n;
		len -= n;
	}
	return 0;
}

int umem_copy_in(struct pd *pd, void *dst, uint64_t uva, size_t len)
{
	return user_copy(pd, uva, dst, NULL, len, 0);
}

int umem_copy_out(struct pd *pd, uint64_t uva, const void *src, size_t len)
{
	return user_copy(pd, uva, NULL, src, len, 1);
}

int umem_check(struct pd *pd, uint64_t uva, size_t len, int write)
{
	return user_copy(pd, uva, NULL, NULL, len, write);
}

static int user_ok(void *pd, uint64_t addr, uint64_t len, int write)
{
	return umem_check(pd, addr, len, write) == 0;
}

static int copy_in(void *pd, void *dst, uint64_t addr, uint64_t len)
{
	return umem_copy_in(pd, dst, addr, len) ? -1 : 0;
}

struct abi_mem umem_of(struct pd *pd)
{
	return (struct abi_mem){ .user_ok = user_ok, .copy_in = copy_in, .ctx = pd };
}
