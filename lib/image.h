/* Container image validation, shared by every platform (freestanding). */
#ifndef HAKO_IMAGE_H
#define HAKO_IMAGE_H

#include <stddef.h>
#include <stdint.h>

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

struct img {
	uint64_t entry;
	uint32_t abi_major, abi_minor;
	unsigned nseg;
	struct img_segment seg[IMG_MAX_SEGS]; /* sorted by vaddr, disjoint */
};

/*
 * img_parse() MUST be given the whole file. It checks everything a platform
 * relies on before it maps a single page: ELF64 little-endian x86-64
 * ET_EXEC, program headers inside the file, PT_LOAD segments inside the file
 * and inside [HAKO_IMAGE_MIN, HAKO_IMAGE_MAX), sorted, page-disjoint, never
 * writable and executable, the entry in an executable segment, no dynamic
 * linking, and the hako ABI note with the platform's major version.
 * Returns 0 and fills *out, or -1 with *why set to a static one-line reason.
 */
int img_parse(const void *file, size_t size, struct img *out, const char **why);

#endif /* HAKO_IMAGE_H */
