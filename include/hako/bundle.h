/* SPDX-License-Identifier: ISC */
/* hako boot bundle: the containers the hv runs, packed by the host into the initrd. */
#ifndef HAKO_BUNDLE_H
#define HAKO_BUNDLE_H

#include <stdint.h>

#include "hako/abi.h"

/*
 * Layout (all little-endian, offsets from the start of the bundle):
 *   struct hako_bundle_header
 *   struct hako_bundle_entry[count]
 *   the ELF images, each at its entry's image_offset (the packer aligns
 *   them to 4096; the hv does not rely on it)
 * The hv treats every field as hostile: sizes and offsets are checked
 * against the bundle size without overflow, strings MUST be NUL-terminated.
 */
#define HAKO_BUNDLE_MAGIC   0x4c444e424f4b4148ull /* "HAKOBNDL" */
#define HAKO_BUNDLE_VERSION 1
#define HAKO_BUNDLE_MAX     4096    /* containers per bundle: one hypervisor (docs/usage.md, Limits) */
#define HAKO_MEM_MIN_MIB    2
#define HAKO_MEM_MAX_MIB    16384

/* Entry flags. */
#define HAKO_BUNDLE_NET      (1u << 0) /* on the switch, with mac and ipv4_* */
#define HAKO_BUNDLE_BLOCK    (1u << 1) /* a slice of disk block_disk */
#define HAKO_BUNDLE_BLOCK_RO (1u << 2) /* ... which it may only read */
#define HAKO_BUNDLE_FLAGS    (HAKO_BUNDLE_NET | HAKO_BUNDLE_BLOCK | HAKO_BUNDLE_BLOCK_RO)

struct hako_bundle_header {
	uint64_t magic;    /* HAKO_BUNDLE_MAGIC */
	uint32_t version;  /* HAKO_BUNDLE_VERSION */
	uint32_t count;    /* entries after the header, 1..HAKO_BUNDLE_MAX */
	uint64_t size;     /* bytes of the whole bundle */
	uint64_t reserved; /* MUST be 0 */
};

struct hako_bundle_entry {
	char name[HAKO_NAME_MAX]; /* 1-31 of [A-Za-z0-9._-], NUL-padded, never "hako" */
	uint32_t mem_mib;         /* memory quota, HAKO_MEM_MIN_MIB..HAKO_MEM_MAX_MIB */
	uint32_t argc;            /* strings[] holds argc argv strings */
	uint32_t envc;            /*   then envc "KEY=VALUE" strings */
	uint32_t strings_len;     /* bytes of strings[] in use, each string NUL-terminated */
	uint64_t image_offset;    /* the container's ELF image */
	uint64_t image_size;
	char strings[HAKO_STRINGS_MAX];
	uint64_t block_offset;    /* BLOCK: the slice of the disk, in bytes, */
	uint64_t block_size;      /*   both multiples of 512, size > 0 */
	uint32_t flags;           /* HAKO_BUNDLE_*; other bits MUST be 0 */
	uint32_t block_disk;      /* BLOCK: which virtio-blk disk, from 0 */
	uint32_t ipv4_addr;       /* NET: network byte order, as in the start info */
	uint32_t ipv4_netmask;
	uint32_t ipv4_gateway;
	uint32_t ipv4_dns;
	uint8_t  mac[6];          /* NET: unicast, unique in the bundle */
	uint16_t reserved;        /* MUST be 0 */
};

_Static_assert(sizeof(struct hako_bundle_header) == 32, "bundle header layout");
_Static_assert(sizeof(struct hako_bundle_entry) == 64 + HAKO_STRINGS_MAX + 48, "bundle entry layout");

#endif /* HAKO_BUNDLE_H */
