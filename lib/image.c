/* SPDX-License-Identifier: ISC */
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

/* Is [start, end) inside one non-executable segment of out? */
static int in_data_segment(const struct img *out, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < out->nseg; i++) {
		const struct img_segment *s = &out->seg[i];
		if (!(s->prot & IMG_X) && start >= s->vaddr && end <= s->vaddr + s->memsz)
			return 1;
	}
	return 0;
}

/*
 * The domains note's descriptor (len bytes, abi.h). Needs out->seg[]: every
 * key range must lie in one non-executable segment.
 */
static int parse_domains(const uint8_t *p, uint64_t len, struct img *out, const char **why)
{
	struct hako_domains h;
	struct hako_domain d;
	struct hako_key_range r;
	uint64_t prev_end = 0;

	if (out->ndomains)
		return fail(why, "more than one domains note");
	if (len < sizeof(h))
		return fail(why, "malformed domains note");
	copy(&h, p, sizeof(h));
	if (h.ndomains == 0 || h.ndomains > HAKO_DOMAINS_MAX || h.nranges > HAKO_KEY_RANGES_MAX ||
	    h.libos >= h.ndomains || h.reserved ||
	    len != sizeof(h) + h.ndomains * sizeof(d) + h.nranges * sizeof(r))
		return fail(why, "malformed domains note");
	p += sizeof(h);
	for (unsigned i = 0; i < h.ndomains; i++, p += sizeof(d)) {
		copy(&d, p, sizeof(d));
		if (d.reserved)
			return fail(why, "malformed domains note");
		out->pkru[i] = d.pkru;
	}
	for (unsigned i = 0; i < h.nranges; i++, p += sizeof(r)) {
		copy(&r, p, sizeof(r));
		if (r.reserved || (r.pkey != HAKO_PKEY_LIBOS && r.pkey != HAKO_PKEY_NET &&
				   r.pkey != HAKO_PKEY_CLOSED))
			return fail(why, "domains note: a range's key is not 1, 2 or 15");
		if ((r.start | r.end) & (PAGE - 1) || r.start >= r.end || r.start < prev_end)
			return fail(why, "domains note: ranges not page-aligned, sorted and disjoint");
		if (!in_data_segment(out, r.start, r.end))
			return fail(why, "domains note: a range outside the image's data segments");
		out->range[i] = (struct img_key_range){ r.start, r.end, r.pkey };
		prev_end = r.end;
	}
	out->ndomains = h.ndomains;
	out->libos = h.libos;
	out->nranges = h.nranges;
	return 0;
}

/*
 * The hako notes in one PT_NOTE segment: the ABI note (*abi set to 1) and
 * the optional domains note. 0, or -1 with *why for a bad domains note.
 */
static int read_notes(const uint8_t *p, uint64_t len, struct img *out, int *abi, const char **why)
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
		int ours = hdr[0] == sizeof(HAKO_NOTE_NAME) &&
			   __builtin_memcmp(p + off, HAKO_NOTE_NAME, sizeof(HAKO_NOTE_NAME)) == 0;
		if (ours && hdr[2] == HAKO_NOTE_ABI && hdr[1] == sizeof(desc)) {
			copy(desc, p + off + name_len, sizeof(desc));
			out->abi_major = desc[0];
			out->abi_minor = desc[1];
			*abi = 1;
		} else if (ours && hdr[2] == HAKO_NOTE_DOMAINS &&
			   parse_domains(p + off + name_len, hdr[1], out, why)) {
			return -1;
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

/* --- the PKRU scan ------------------------------------------------------- */

/* The byte mapped at va: 0 between and around the chunks (zero-filled or unmapped). */
static unsigned code_at(const struct img_code *c, unsigned n, uint64_t va)
{
	for (unsigned i = 0; i < n; i++)
		if (va >= c[i].va && va - c[i].va < c[i].len)
			return c[i].bytes[va - c[i].va];
	return 0;
}

static uint32_t code_le32(const struct img_code *c, unsigned n, uint64_t va)
{
	return code_at(c, n, va) | code_at(c, n, va + 1) << 8 | code_at(c, n, va + 2) << 16 |
	       (uint32_t)code_at(c, n, va + 3) << 24;
}

/* Is the WRPKRU at va the middle of an exact gate (abi.h)? 1 with its value in *v. */
static int gate_at(const struct img_code *c, unsigned n, uint64_t va, uint32_t *v)
{
	static const uint8_t zero_ecx_edx[4] = { 0x31, 0xc9, 0x31, 0xd2 };

	if (va < 9 || code_at(c, n, va - 9) != 0xb8)
		return 0;
	for (unsigned i = 0; i < 4; i++)
		if (code_at(c, n, va - 4 + i) != zero_ecx_edx[i])
			return 0;
	*v = code_le32(c, n, va - 8);
	return code_at(c, n, va + 3) == 0x3d && code_le32(c, n, va + 4) == *v &&
	       code_at(c, n, va + 8) == 0x75 && code_at(c, n, va + 9) == 0xed;
}

enum pk_kind { PK_NONE, PK_STRAY, PK_GATE, PK_XRSTOR, PK_XRSTORS };
static const char *const pk_what[] = {
	[PK_STRAY] = "WRPKRU outside a declared gate",
	[PK_GATE] = "WRPKRU gate with an undeclared PKRU value",
	[PK_XRSTOR] = "XRSTOR (can load PKRU)",
	[PK_XRSTORS] = "XRSTORS",
};

/* What the bytes at va (the first one is 0F) may do to PKRU; a gate's value in *value. */
static enum pk_kind pkru_writer(const struct img_code *c, unsigned n, uint64_t va,
				const uint32_t *pkru, unsigned npkru, uint32_t *value)
{
	unsigned op = code_at(c, n, va + 1), modrm = code_at(c, n, va + 2);
	unsigned reg = (modrm >> 3) & 7, mem = (modrm >> 6) != 3;

	if (op == 0x01 && modrm == 0xef) {
		if (!gate_at(c, n, va, value))
			return PK_STRAY;
		for (unsigned i = 0; i < npkru; i++)
			if (pkru[i] == *value)
				return PK_NONE;
		return PK_GATE;
	}
	if (op == 0xae && reg == 5 && mem) /* the register form is LFENCE */
		return PK_XRSTOR;
	if (op == 0xc7 && reg == 3 && mem)
		return PK_XRSTORS;
	return PK_NONE;
}

int img_scan(const struct img_code *code, unsigned n, const uint32_t *pkru, unsigned npkru,
	     struct img_hit *hit)
{
	for (unsigned i = 0; i < n; i++) {
		/* Every byte offset, not only instruction starts: a jump can land anywhere. */
		for (uint64_t k = 0; k < code[i].len; k++) {
			uint32_t value = 0;
			enum pk_kind kind;
			if (code[i].bytes[k] != 0x0f)
				continue;
			kind = pkru_writer(code, n, code[i].va + k, pkru, npkru, &value);
			if (kind != PK_NONE) {
				*hit = (struct img_hit){ code[i].va + k, i, pk_what[kind], value,
							 kind == PK_GATE };
				return 1;
			}
		}
	}
	return 0;
}

/* The scan's one-line reason; one buffer (the hv has one CPU, the tools one thread). */
static char scan_why[160];

static void why_put(unsigned *len, const char *s)
{
	while (*s && *len < sizeof(scan_why) - 1)
		scan_why[(*len)++] = *s++;
	scan_why[*len] = 0;
}

static void why_hex(unsigned *len, uint64_t v)
{
	char tmp[19] = "0x";
	int n = 2, shift = 60;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		tmp[n++] = "0123456789abcdef"[(v >> shift) & 15];
	tmp[n] = 0;
	why_put(len, tmp);
}

int img_scan_segments(const void *file, const struct img *img, struct img_hit *hit)
{
	struct img_code code[IMG_MAX_SEGS];
	unsigned seg[IMG_MAX_SEGS], n = 0;

	/* As the platforms map them: the file's bytes, zeros around them. */
	for (unsigned i = 0; i < img->nseg && i < IMG_MAX_SEGS; i++) {
		const struct img_segment *s = &img->seg[i];
		if (!(s->prot & IMG_X))
			continue;
		code[n] = (struct img_code){ s->vaddr + s->skip, (const uint8_t *)file + s->offset,
					     s->filesz };
		seg[n++] = i;
	}
	if (!img_scan(code, n, img->pkru, img->ndomains, hit))
		return 0;
	hit->chunk = seg[hit->chunk];
	return 1;
}

static int scan_image(const uint8_t *file, const struct img *img, const char **why)
{
	struct img_hit hit;
	unsigned len = 0;

	if (!img_scan_segments(file, img, &hit))
		return 0;
	why_put(&len, hit.what);
	if (hit.gate) {
		why_put(&len, " ");
		why_hex(&len, hit.pkru);
	}
	why_put(&len, " at ");
	why_hex(&len, hit.va);
	why_put(&len, " (segment ");
	why_put(&len, (char[]){ (char)('0' + hit.chunk), 0 }); /* < IMG_MAX_SEGS */
	why_put(&len, " + ");
	why_hex(&len, hit.va - img->seg[hit.chunk].vaddr);
	why_put(&len, ")");
	*why = scan_why;
	return -1;
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
			break;
		case PT_GNU_STACK:
			if (ph.flags & PF_X)
				return fail(why, "asks for an executable stack");
			break;
		}
	}
	if (out->nseg == 0)
		return fail(why, "no loadable segment");
	/* Notes second: the domains note's ranges are checked against the segments. */
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf_phdr ph;
		copy(&ph, p + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_NOTE && read_notes(p + ph.offset, ph.filesz, out, &noted, why))
			return -1;
	}
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
	return scan_image(p, out, why);
}
