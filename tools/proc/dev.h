/* SPDX-License-Identifier: ISC */
/* proc platform: devices (block, network) as the container side sees them; freestanding. */
#ifndef HAKO_PROC_DEV_H
#define HAKO_PROC_DEV_H

#include <stdint.h>

#include "abicheck.h"
#include "netsrc.h"

/*
 * Device descriptors sit at fixed numbers so that the seccomp filter, built
 * before any container runs, can name them in its argument checks.
 */
#define PROC_FD_BLOCK 3
#define PROC_FD_NET   4

enum proc_block_mode { PROC_BLOCK_NONE, PROC_BLOCK_RO, PROC_BLOCK_RW, PROC_BLOCK_MODES };
enum proc_net_mode { PROC_NET_NONE, PROC_NET_TAP, PROC_NET_PASST, PROC_NET_MODES };

#define PROC_BLOCK_SIZE 512u

/* What the tender tells the container side before the jump (see tender.c). */
struct proc_dev_config {
	enum proc_block_mode block;
	uint64_t block_capacity;  /* bytes, a multiple of PROC_BLOCK_SIZE */
	enum proc_net_mode net;
	uint8_t mac[6];           /* the container's own MAC */
	uint32_t ipv4;            /* and address (network order; DHCP leases it too), or 0 */
	uint64_t flow_key;        /* passt: a random key for net_order.c's table */
};

/*
 * The calls, as calls.c dispatches them. Arguments are the container's raw
 * values; each function checks them. Results are >= 0 or -HAKO_E*.
 */
void proc_dev_init(const struct proc_dev_config *c);
void proc_block_init(enum proc_block_mode mode, uint64_t capacity);
void proc_net_init(enum proc_net_mode mode, const uint8_t mac[6], uint32_t ipv4);

long proc_block_read(uint64_t off, uint64_t buf, uint64_t len);
long proc_block_write(uint64_t off, uint64_t buf, uint64_t len);
long proc_block_flush(void);

long proc_net_send(uint64_t iov, uint64_t n);
long proc_net_recv(uint64_t iov, uint64_t n);
/* yield with a network: wait in ppoll until deadline (ns, monotonic) or a frame. */
long proc_net_wait(int64_t deadline, int64_t now);
int proc_net_attached(void);
/* Frames dropped so far: sent but refused by netsrc_check, by verdict; received with a bad length. */
void proc_net_drops(uint64_t refused[NETSRC_VERDICTS], uint64_t *bad_len);

/* umem.c: the container's memory, as the tender mapped it. */
#define PROC_MEM_R 1
#define PROC_MEM_W 2
#define PROC_USER_TOP 0x800000000000ull /* end of the canonical low half */
void proc_mem_add(uint64_t base, uint64_t len, unsigned prot);
/*
 * 1 if every byte of [addr, addr + len) lies in regions (adjacent ones too)
 * allowing prot, and every page's protection and key allow it to the
 * caller's PKRU; len may be 0.
 */
int proc_user_ok(uint64_t addr, uint64_t len, unsigned prot);
/* The same map as the shared ABI checks (lib/abicheck.h) see it. */
extern const struct abi_mem proc_mem;

/*
 * pkey.c: protection keys. The tender (protect.c) tells it, before the
 * seal, whether the host has PKU, the image's domains, and every range
 * whose pages may carry a key (map: len / page bytes, theirs to keep).
 */
void proc_pkey_init(int pku, int domains, uint32_t libos_pkru);
int proc_pkey_track(uint64_t base, uint64_t len, unsigned prot, int rekeyable, uint8_t *map);
void proc_pkey_keyed(uint64_t start, uint64_t end, unsigned prot, unsigned key);
/* The key part of proc_user_ok (after its region check). */
int proc_pkey_ok(uint64_t addr, uint64_t len, unsigned prot);
long proc_pkey_alloc(uint64_t flags, uint64_t access);
long proc_pkey_free(uint64_t key);
long proc_pkey_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t key);
/* A call page check failed with pkru: 1 and the libOS's value in *want (domains images). */
int proc_pkey_bad_call(uint32_t pkru, uint32_t *want);
/* Offset of the ud2 a domains image's call page reaches with the wrong PKRU (tender.c). */
#define PROC_CALL_BAD_PKRU 0x24

#endif /* HAKO_PROC_DEV_H */
