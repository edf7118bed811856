/* SPDX-License-Identifier: ISC */
/* arch/cc.h: lwIP's compiler and platform glue for the hako libOS (musl, x86-64). */
#ifndef HAKO_LWIP_ARCH_CC_H
#define HAKO_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#include <hako/hako.h>

#define BYTE_ORDER LITTLE_ENDIAN

/* musl provides struct timeval; lwIP must not define its own. */
#define LWIP_TIMEVAL_PRIVATE 0

/* Random numbers for ports and DHCP ids, from the libOS's generator. */
unsigned libos_net_rand(void);
#define LWIP_RAND() libos_net_rand()

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
/* A broken lwIP invariant is a libOS bug: stop with a useful line. */
#define LWIP_PLATFORM_ASSERT(x) hako_panic("lwIP: %s (%s:%d)", x, __FILE__, __LINE__)

#endif /* HAKO_LWIP_ARCH_CC_H */
