/* SPDX-License-Identifier: ISC */
/* Container image validation, shared by every platform (freestanding). */
#ifndef HAKO_IMAGE_H
#define HAKO_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hako/abi.h"

#define IMG_MAX_SEGS 8
#define IMG_MAX_SIZE (256u << 20) /* file size and total memsz, bytes */

/* Segment permissions. */
#define IMG_R 1u
#define IMG_W 2u
#define IMG_X 4u

struct img_segment {
	uint64_t vaddr;  /* page-aligned start of the mapping */
	uint64_t memsz;  /* page-rounded size of the mapping */
	uint64_t offset; /* file offset of the bytes to copy to vaddr + skip */
	uint64_t filesz; /* bytes to copy; the rest of the mapping is zero */
	uint64_t skip;   /* p_vaddr - vaddr: where in the mapping the bytes go */
	unsigned prot;   /* IMG_R | IMG_W | IMG_X, never both W and X */
};

/* A range of image pages keyed from the start (domains note, abi.h). */
struct img_key_range {
	uint64_t start, end; /* page-aligned, inside one non-executable segment */
	unsigned pkey;       /* HAKO_PKEY_LIBOS, HAKO_PKEY_NET or HAKO_PKEY_CLOSED */
};

struct img {
	uint64_t entry;
	uint32_t abi_major, abi_minor;
	unsigned nseg;
	struct img_segment seg[IMG_MAX_SEGS]; /* sorted by vaddr, disjoint */
	/* From the domains note; ndomains == 0 without one. */
	unsigned ndomains, libos;             /* libos < ndomains */
	uint32_t pkru[HAKO_DOMAINS_MAX];      /* the values its gates may install */
	unsigned nranges;
	struct img_key_range range[HAKO_KEY_RANGES_MAX]; /* sorted, disjoint */
};

/*
 * img_parse() MUST be given the whole file. It checks everything a platform
 * relies on before it maps a single page: ELF64 little-endian x86-64
 * ET_EXEC, program headers inside the file, PT_LOAD segments inside the file
 * and inside [HAKO_IMAGE_MIN, HAKO_IMAGE_MAX), sorted, page-disjoint, never
 * writable and executable, the entry in an executable segment, no dynamic
 * linking, the hako ABI note with the platform's major version, a
 * well-formed domains note if there is one, and no instruction that can
 * change PKRU in executable bytes (img_scan) outside a declared gate.
 * Returns 0 and fills *out, or -1 with *why set to a one-line reason: a
 * static string, or for a scan hit a buffer that the next call reuses.
 */
int img_parse(const void *file, size_t size, struct img *out, const char **why);

/* Executable bytes as mapped: len bytes at va; everything around them reads as zero. */
struct img_code {
	uint64_t va;
	const uint8_t *bytes;
	uint64_t len;
};

/* What img_scan found: the first forbidden occurrence. */
struct img_hit {
	uint64_t va;       /* address of its first byte (the 0F) */
	unsigned chunk;    /* index into the code[] given */
	const char *what;  /* "WRPKRU outside a declared gate", ... */
	uint32_t pkru;     /* gate: the value it installs */
	unsigned gate;     /* 1: an exact gate whose value is not declared */
};

/*
 * Scan every byte offset of code[0..n) (sorted by va, disjoint) for an
 * instruction that can change PKRU from ring 3: WRPKRU (0F 01 EF) unless
 * it is inside an exact gate (abi.h) whose value is one of pkru[0..npkru),
 * XRSTOR (0F AE /5, memory operand; LFENCE is the register form) and
 * XRSTORS (0F C7 /3, memory operand). Prefixes do not matter: the bytes
 * are matched wherever they start. Returns 0 if clean, else 1 with *hit.
 */
int img_scan(const struct img_code *code, unsigned n, const uint32_t *pkru, unsigned npkru,
	     struct img_hit *hit);

/*
 * The scan img_parse makes, over img's executable segments as mapped from
 * file (img as img_parse filled it, even when it then refused the image
 * for a hit). 0 if clean, else 1 with *hit, hit->chunk the segment index.
 */
int img_scan_segments(const void *file, const struct img *img, struct img_hit *hit);

#endif /* HAKO_IMAGE_H */
