/* Container image validation: an ELF file is hostile input until proven otherwise. */
#include "image.h"

#include "hako/abi.h"

/* The few ELF64 definitions needed; <elf.h> is not there when freestanding. */
struct elf_ehdr {
	uint8_t  ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ET_EXEC      2
#define EM_X86_64    62
#define PT_LOAD      1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE      4
#define PT_GNU_STACK 0x6474e551u
#define PF_X         1u
#define PF_W         2u
#define PF_R         4u
#define MAX_PHNUM    32
#define PAGE         HAKO_PAGE_SIZE

static void copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

/* Is [off, off + len) inside a file of size bytes? Written so nothing overflows. */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t round_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* Look for the hako ABI note in one PT_NOTE segment; 1 if found. */
static int find_note(const uint8_t *p, uint64_t len, struct img *out)
{
	uint32_t hdr[3], desc[2];
	uint64_t off = 0;

	/* Each step consumes at least the 12-byte header: bounded by len. */
	while (len - off >= sizeof(hdr)) {
		copy(hdr, p + off, sizeof(hdr));
		uint64_t name_len = ((uint64_t)hdr[0] + 3) & ~3ull;
		uint64_t desc_len = ((uint64_t)hdr[1] + 3) & ~3ull;
		off += sizeof(hdr);
		if (name_len > len - off || desc_len > len - off - name_len)
			return 0;
		if (hdr[0] == sizeof(HAKO_NOTE_NAME) && hdr[2] == HAKO_NOTE_ABI &&
		    hdr[1] == sizeof(desc) &&
		    __builtin_memcmp(p + off, HAKO_NOTE_NAME, sizeof(HAKO_NOTE_NAME)) == 0) {
			copy(desc, p + off + name_len, sizeof(desc));
			out->abi_major = desc[0];
			out->abi_minor = desc[1];
			return 1;
		}
		off += name_len + desc_len;
	}
	return 0;
}

static int check_header(const struct elf_ehdr *eh, size_t size, const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (__builtin_memcmp(eh->ident, magic, 4) != 0)
		return fail(why, "not an ELF file");
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return fail(why, "not a 64-bit little-endian ELF");
	if (eh->machine != EM_X86_64)
		return fail(why, "not an x86-64 ELF");
	if (eh->ident[6] != 1 || eh->version != 1)
		return fail(why, "unknown ELF version");
	if (eh->type != ET_EXEC)
		return fail(why, "not a static executable (PIE or shared object?)");
	if (eh->phentsize != sizeof(struct elf_phdr) || eh->phnum == 0 || eh->phnum > MAX_PHNUM)
		return fail(why, "bad program header table");
	if (!in_file(eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf_phdr), size))
		return fail(why, "program headers outside the file (truncated?)");
	return 0;
}

/* Validate one PT_LOAD and append it to out->seg[]. */
static int add_load(const struct elf_phdr *ph, size_t size, struct img *out, const char **why)
{
	struct img_segment *s;
	uint64_t start, end;

	if (ph->memsz == 0)
		return 0;
	if (out->nseg == IMG_MAX_SEGS)
		return fail(why, "too many loadable segments");
	if (ph->filesz > ph->memsz)
		return fail(why, "segment file size exceeds its memory size");
	if (!in_file(ph->offset, ph->filesz, size))
		return fail(why, "segment outside the file (truncated?)");
	if (ph->vaddr < HAKO_IMAGE_MIN || ph->vaddr >= HAKO_IMAGE_MAX ||
	    ph->memsz > HAKO_IMAGE_MAX - ph->vaddr)
		return fail(why, "segment outside the container image range");
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return fail(why, "segment both writable and executable");
	start = ph->vaddr & ~(PAGE - 1);
	end = round_up(ph->vaddr + ph->memsz); /* no overflow: both below 1 GiB */
	if (out->nseg > 0) {
		const struct img_segment *prev = &out->seg[out->nseg - 1];
		if (start < prev->vaddr + prev->memsz)
			return fail(why, "segments overlap or are not sorted");
	}
	s = &out->seg[out->nseg++];
	s->vaddr = start;
	s->memsz = end - start;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->skip = ph->vaddr - start;
	s->prot = (ph->flags & PF_R ? IMG_R : 0) | (ph->flags & PF_W ? IMG_W : 0) |
		  (ph->flags & PF_X ? IMG_X : 0);
	return 0;
}

static int entry_ok(const struct img *img)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct img_segment *s = &img->seg[i];
		if ((s->prot & IMG_X) && img->entry >= s->vaddr + s->skip &&
		    img->entry < s->vaddr + s->memsz)
			return 1;
	}
	return 0;
}

int img_parse(const void *file, size_t size, struct img *out, const char **why)
{
	const uint8_t *p = file;
	struct elf_ehdr eh;
	uint64_t total = 0;
	int noted = 0;

	*out = (struct img){ 0 };
	if (size < 4 || __builtin_memcmp(p, "\x7f" "ELF", 4) != 0)
		return fail(why, "not an ELF file");
	if (size < sizeof(eh))
		return fail(why, "truncated ELF header");
	if (size > IMG_MAX_SIZE)
		return fail(why, "file too large");
	copy(&eh, p, sizeof(eh));
	if (check_header(&eh, size, why))
		return -1;

	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf_phdr ph;
		copy(&ph, p + eh.phoff + i * sizeof(ph), sizeof(ph));
		switch (ph.type) {
		case PT_LOAD:
			if (add_load(&ph, size, out, why))
				return -1;
			break;
		case PT_INTERP:
		case PT_DYNAMIC:
			return fail(why, "dynamically linked (containers are static)");
		case PT_NOTE:
			if (!in_file(ph.offset, ph.filesz, size))
				return fail(why, "note outside the file (truncated?)");
			noted |= find_note(p + ph.offset, ph.filesz, out);
			break;
		case PT_GNU_STACK:
			if (ph.flags & PF_X)
				return fail(why, "asks for an executable stack");
			break;
		}
	}
	if (out->nseg == 0)
		return fail(why, "no loadable segment");
	for (unsigned i = 0; i < out->nseg; i++)
		total += out->seg[i].memsz; /* disjoint, below 1 GiB: no overflow */
	if (total > IMG_MAX_SIZE)
		return fail(why, "image too large");
	out->entry = eh.entry;
	if (!entry_ok(out))
		return fail(why, "entry point outside executable code");
	if (!noted)
		return fail(why, "not a hako container (no hako ABI note; build it with hako-cc)");
	if (out->abi_major != HAKO_ABI_MAJOR)
		return fail(why, "built for another hako ABI major version");
	return 0;
}
