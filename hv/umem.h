/* SPDX-License-Identifier: ISC */
/* The gate from container addresses to hv memory, and the shared ABI checks' view of it. */
#ifndef HV_UMEM_H
#define HV_UMEM_H

#include <stddef.h>
#include <stdint.h>

#include "abicheck.h"
#include "pd.h"

/*
 * The one gate between container addresses and hv memory: copy len bytes
 * from/to the container's [uva, uva + len). Every page MUST be user,
 * present (demand pages are brought in), writable for copy_out, and its
 * protection key MUST allow the access to the PKRU pd called with.
 * Returns 0, or -HAKO_EFAULT without having copied anything past the bad page.
 */
int umem_copy_in(struct pd *pd, void *dst, uint64_t uva, size_t len);
int umem_copy_out(struct pd *pd, uint64_t uva, const void *src, size_t len);
/* Check the range as copy_in/out would, without copying. */
int umem_check(struct pd *pd, uint64_t uva, size_t len, int write);

/* pd's memory as the checks see it: user_ok is umem_check, copy_in is umem_copy_in. */
struct abi_mem umem_of(struct pd *pd);

#endif /* HV_UMEM_H */
