/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: the pkey calls through Linux's pkeys,
 * and the key and protection of every page the container owns, so that
 * proc_user_ok() refuses a buffer the caller's PKRU does not allow (the
 * tender touches container memory from user mode with the caller's PKRU:
 * without the check it would fault instead of returning -EFAULT).
 * Freestanding like calls.c. The tender reserved every key before the
 * seal (protect.c) and handed the pool back to Linux, so Linux's lowest
 * free key is always the one this file expects; the seccomp filter allows
 * pkey_alloc/pkey_free/pkey_mprotect only with the arguments used here.
 */
#include "dev.h"

#include <stddef.h>
#include <sys/syscall.h>

#include "hako/abi.h"
#include "rawsys.h"

#define PAGE HAKO_PAGE_SIZE
#define POOL ((uint16_t)(((1u << (HAKO_PKEY_POOL_LAST + 1)) - 1) & \
			 ~((1u << HAKO_PKEY_POOL_FIRST) - 1)))
#define TRACK_MAX 16

/* A range whose pages' key and protection are kept, one byte each: key | prot << 4. */
struct track {
	uint64_t base, end;
	uint8_t *map;
	int rekeyable; /* heap, stack, writable image segment */
};

static struct track track[TRACK_MAX];
static unsigned ntrack;
static int pku, domains;
static uint32_t libos_pkru;
static uint16_t owned;               /* pool keys the container allocated */
static uint64_t pages[HAKO_PKEYS];   /* pages carrying key k (k >= 1) */

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

void proc_pkey_init(int have_pku, int have_domains, uint32_t libos)
{
	pku = have_pku;
	domains = have_domains;
	libos_pkru = libos;
}

int proc_pkey_track(uint64_t base, uint64_t len, unsigned prot, int rekeyable, uint8_t *map)
{
	if (ntrack == TRACK_MAX)
		return -1;
	for (uint64_t i = 0; i < len / PAGE; i++)
		map[i] = (uint8_t)(prot << 4);
	track[ntrack++] = (struct track){ base, base + len, map, rekeyable };
	return 0;
}

/* The tracked range holding [start, end), or NULL. */
static struct track *find(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < ntrack; i++)
		if (start >= track[i].base && end <= track[i].end)
			return &track[i];
	return NULL;
}

static void set(struct track *t, uint64_t start, uint64_t end, unsigned prot, unsigned key)
{
	for (uint64_t va = start; va < end; va += PAGE) {
		uint8_t *b = &t->map[(va - t->base) / PAGE];
		if (*b & 15)
			pages[*b & 15]--;
		if (key)
			pages[key]++;
		*b = (uint8_t)(key | prot << 4);
	}
}

void proc_pkey_keyed(uint64_t start, uint64_t end, unsigned prot, unsigned key)
{
	struct track *t = find(start, end);

	if (t)
		set(t, start, end, prot, key);
}

int proc_pkey_ok(uint64_t addr, uint64_t len, unsigned prot)
{
	uint32_t pkru;

	if (!pku || !len)
		return 1;
	pkru = rdpkru(); /* the caller's: the tender runs in its thread, with its rights */
	/* proc_user_ok checked the range lies in one region: no overflow below. */
	for (uint64_t va = addr & ~(PAGE - 1); va < addr + len; va += PAGE) {
		struct track *t = find(va, va + PAGE);
		unsigned b, bits;
		if (!t)
			continue; /* code and the call page: key 0, protection as mapped */
		b = t->map[(va - t->base) / PAGE];
		bits = pkru >> 2 * (b & 15);
		if ((prot & ~(b >> 4)) || (bits & 1) || ((prot & PROC_MEM_W) && (bits & 2)))
			return 0;
	}
	return 1;
}

long proc_pkey_alloc(uint64_t flags, uint64_t access)
{
	uint16_t free_keys = POOL & ~owned;
	long key, want;
	unsigned rights;

	if (!pku)
		return -HAKO_ENOTSUP;
	if (flags || access & ~(uint64_t)(HAKO_PKEY_DISABLE_ACCESS | HAKO_PKEY_DISABLE_WRITE))
		return -HAKO_EINVAL;
	if (!free_keys)
		return -HAKO_ENOSPC;
	want = __builtin_ctz(free_keys);
	/* Linux sets the caller's PKRU for the key; a domains image keeps its PKRU as it is. */
	rights = domains ? (rdpkru() >> 2 * want) & 3 : (unsigned)access;
	key = sys4(SYS_pkey_alloc, 0, rights, 0, 0);
	if (key != want) {
		if (key >= 0)
			sys4(SYS_pkey_free, key, 0, 0, 0);
		return -HAKO_ENOSPC;
	}
	owned |= (uint16_t)(1u << key);
	return key;
}

long proc_pkey_free(uint64_t key)
{
	if (!pku)
		return -HAKO_ENOTSUP;
	if (key >= HAKO_PKEYS)
		return -HAKO_EINVAL;
	if (!(owned >> key & 1))
		return -HAKO_EPERM;
	if (pages[key]) /* reallocated, it would hand its old pages to the new owner */
		return -HAKO_EBUSY;
	if (sys4(SYS_pkey_free, (long)key, 0, 0, 0))
		return -HAKO_EINVAL;
	owned &= (uint16_t)~(1u << key);
	return 0;
}

/* Every page of [start, end) in t carries key 0 or one the container owns? */
static int keys_owned(const struct track *t, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE) {
		unsigned k = t->map[(va - t->base) / PAGE] & 15;
		if (k && !(owned >> k & 1))
			return 0;
	}
	return 1;
}

long proc_pkey_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t key)
{
	int64_t k = (int64_t)key;
	struct track *t;
	uint64_t end;

	if (!pku)
		return -HAKO_ENOTSUP;
	/* Never PROT_EXEC (the filter refuses it too): nothing becomes executable after load. */
	if (prot & ~(uint64_t)(HAKO_PROT_READ | HAKO_PROT_WRITE) || k < -1 || k >= HAKO_PKEYS ||
	    addr & (PAGE - 1))
		return -HAKO_EINVAL;
	if (k == -1)
		k = 0;
	if (k && !(owned >> k & 1))
		return -HAKO_EPERM;
	if (prot & HAKO_PROT_WRITE)
		prot |= HAKO_PROT_READ; /* x86 pages: writable implies readable */
	/* Both tests: addr + len may wrap; the rounded end then stays below 2^64. */
	if (addr >= PROC_USER_TOP || len > PROC_USER_TOP - addr)
		return -HAKO_EFAULT;
	end = addr + ((len + PAGE - 1) & ~(PAGE - 1));
	if (len == 0)
		return 0;
	if (!(t = find(addr, end)) || !t->rekeyable)
		return -HAKO_EFAULT;
	if (!keys_owned(t, addr, end))
		return -HAKO_EPERM;
	if (sys4(SYS_pkey_mprotect, (long)addr, (long)(end - addr), (long)prot, k))
		return -HAKO_ENOMEM;
	set(t, addr, end, (unsigned)prot, (unsigned)k);
	return 0;
}

int proc_pkey_bad_call(uint32_t pkru, uint32_t *want)
{
	*want = libos_pkru;
	return domains && pkru != libos_pkru;
}
