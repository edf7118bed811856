/* SPDX-License-Identifier: ISC */
/*
 * hako-scan IMAGE: the platforms' image check (lib/image.c) at build time.
 * hako-cc runs it on what it linked. A PKRU writer outside a declared gate
 * is reported with the function that holds it, from the symbol table.
 * Exit status 0 if the image would load, 1 (after one line) if not.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

/* Is [off, off + len) inside the file? Written so nothing overflows. */
static int in(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/* The function holding va, from .symtab: 1 with *name and *off, 0 if none is known. */
static int function_at(const uint8_t *f, size_t size, uint64_t va, const char **name, uint64_t *off)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
	uint64_t best = 0;

	if (eh->e_shentsize != sizeof(*sh) || !in(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(*sh), size))
		return 0;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *st = &sh[i], *str;
		if (st->sh_type != SHT_SYMTAB || st->sh_link >= eh->e_shnum ||
		    !in(st->sh_offset, st->sh_size, size))
			continue;
		str = &sh[st->sh_link];
		if (!in(str->sh_offset, str->sh_size, size) || str->sh_size == 0 ||
		    f[str->sh_offset + str->sh_size - 1] != 0)
			continue;
		for (uint64_t k = 0; k < st->sh_size / sizeof(Elf64_Sym); k++) {
			const Elf64_Sym *sym = (const Elf64_Sym *)(f + st->sh_offset) + k;
			if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_value > va ||
			    sym->st_value < best || sym->st_name >= str->sh_size)
				continue;
			/* The enclosing function, or failing sizes, the nearest one below. */
			if (sym->st_size && va - sym->st_value >= sym->st_size)
				continue;
			best = sym->st_value;
			*name = (const char *)f + str->sh_offset + sym->st_name;
			*off = va - sym->st_value;
		}
	}
	return best != 0;
}

int main(int argc, char **argv)
{
	const char *why, *fn;
	struct img_hit hit;
	struct img img;
	struct stat st;
	uint64_t off;
	uint8_t *f;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: hako-scan IMAGE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) || st.st_size <= 0 ||
	    (f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		perror(argv[1]);
		return 1;
	}
	if (img_parse(f, (size_t)st.st_size, &img, &why) == 0)
		return 0;
	if (img_scan_segments(f, &img, &hit) &&
	    function_at(f, (size_t)st.st_size, hit.va, &fn, &off)) {
		fprintf(stderr, "hako-cc: %s: %s", argv[1], hit.what);
		if (hit.gate)
			fprintf(stderr, " 0x%x", hit.pkru);
		fprintf(stderr, " in %s+0x%llx at 0x%llx (segment %u)\n", fn, (unsigned long long)off,
			(unsigned long long)hit.va, hit.chunk);
		return 1;
	}
	fprintf(stderr, "hako-cc: %s: %s\n", argv[1], why);
	return 1;
}
