/* The container-memory seam of the shared ABI checks (lib/abicheck.h): the pd gate. */
#ifndef HV_UMEM_H
#define HV_UMEM_H

#include "abicheck.h"
#include "pd.h"

/* pd's memory as the checks see it: user_ok is pd_check, copy_in is pd_copy_in. */
struct abi_mem umem_of(struct pd *pd);

#endif /* HV_UMEM_H */
