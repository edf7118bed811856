/* SPDX-License-Identifier: ISC */
/* start.c: container start: check the start info, build argv/envp/auxv, enter musl. */
#include "libos.h"
#include "fs.h"

#include <elf.h>
#include <string.h>

int __libc_start_main(int (*main_fn)(int, char **, char **), int argc, char **argv,
		      void (*init)(void), void (*fini)(void), void (*ldso)(void));
int main(int argc, char **argv, char **envp);

/* The image's own ELF header, mapped as part of the first PT_LOAD (linker-defined). */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

const struct hako_start_info *libos_info;

#define AUX_MAX 16 /* auxv pairs we hand musl, AT_NULL included */

/* A platform of another ABI major or a garbled page: nothing below can be trusted. */
static void check_info(const struct hako_start_info *info)
{
	if (info->magic != HAKO_INFO_MAGIC)
		hako_panic("start info: bad magic %#x (want %#x)", info->magic, HAKO_INFO_MAGIC);
	if (info->abi_major != HAKO_ABI_MAJOR)
		hako_panic("platform ABI %u.%u, image built for %u.%u", info->abi_major,
			   info->abi_minor, HAKO_ABI_MAJOR, HAKO_ABI_MINOR);
	if (info->strings_len > HAKO_STRINGS_MAX)
		hako_panic("start info: strings_len %u > %u", info->strings_len, HAKO_STRINGS_MAX);
	if ((info->heap_base | info->heap_size) & (HAKO_PAGE_SIZE - 1))
		hako_panic("start info: heap %#lx+%#lx not page aligned",
			   (unsigned long)info->heap_base, (unsigned long)info->heap_size);
}

/*
 * Point vec[0..count) at the count NUL-terminated strings in buf[0..len).
 * Panics if buf holds fewer, so argv never points past the strings.
 */
static void split_strings(char *buf, uint32_t len, char **vec, uint32_t count)
{
	uint32_t off = 0;

	for (uint32_t i = 0; i < count; i++) {
		char *nul = off < len ? memchr(buf + off, '\0', len - off) : NULL;
		if (!nul)
			hako_panic("start info: %u strings announced, only %u found", count, i);
		vec[i] = buf + off;
		off = (uint32_t)(nul - buf) + 1;
	}
}

static void fill_auxv(size_t *aux, const uint8_t *random16, const char *execfn)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	size_t n = 0;

#define AUX(type, val) (aux[n++] = (type), aux[n++] = (size_t)(val))
	AUX(AT_PHDR, (const char *)eh + eh->e_phoff); /* musl finds PT_TLS here */
	AUX(AT_PHENT, eh->e_phentsize);
	AUX(AT_PHNUM, eh->e_phnum);
	AUX(AT_PAGESZ, HAKO_PAGE_SIZE);
	AUX(AT_ENTRY, eh->e_entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random16); /* musl's stack-protector canary */
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
}

/*
 * Called by _start (start.S) on the platform's stack; never returns. The
 * strings are copied onto the stack because C lets a program write to its
 * argv strings and the start info page is read-only.
 */
_Noreturn void libos_start(const struct hako_start_info *info)
{
	libos_info = info;
	check_info(info);                               /* magic, ABI major, bounds */
	libos_mem_init(info->heap_base, info->heap_size); /* pages behind mmap */
	libos_random_init(info->seed);                  /* getrandom, AT_RANDOM */
	libos_time_init();                              /* CPU-time clocks start at 0 */
	libos_fs_init(info);                            /* files, if the device has an image */

	uint32_t argc = info->argc, envc = info->envc, len = info->strings_len;
	if (argc > HAKO_STRINGS_MAX || envc > HAKO_STRINGS_MAX - argc)
		hako_panic("start info: argc %u + envc %u too large", argc, envc);

	char strings[len + 1];
	memcpy(strings, info->strings, len);
	strings[len] = '\0';

	/* Linux's initial stack layout, which __libc_start_main walks. */
	char *vec[argc + 1 + envc + 1 + 2 * AUX_MAX];
	char **argv = vec, **envp = vec + argc + 1;
	split_strings(strings, len, vec, argc + envc);
	memmove(envp, argv + argc, envc * sizeof *envp);
	argv[argc] = NULL;
	envp[envc] = NULL;

	uint8_t random16[16];
	libos_random_fill(random16, sizeof random16);
	fill_auxv((size_t *)(envp + envc + 1), random16, argc ? argv[0] : "");

	__libc_start_main(main, (int)argc, argv, NULL, NULL, NULL);
	hako_panic("__libc_start_main returned");
}
