/* SPDX-License-Identifier: ISC */
/* Unit tests of the container image validator: every malformed ELF is refused cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <elf.h>

#include "hako/abi.h"
#include "image.h"

/*
 * A small valid image, built in memory: ELF header, three program headers
 * (text, data, note), the note and one page of "code".
 */
enum { PH_TEXT, PH_DATA, PH_NOTE, NPH };
#define NOTE_OFF  0x200
#define CODE_OFF  0x1000
#define DATA_OFF  0x2000
#define FILE_SIZE 0x3000

struct fixture {
	uint8_t file[FILE_SIZE];
};

static Elf64_Ehdr *eh(struct fixture *f) { return (Elf64_Ehdr *)f->file; }
static Elf64_Phdr *ph(struct fixture *f, int i) { return (Elf64_Phdr *)(f->file + sizeof(Elf64_Ehdr)) + i; }

static void make_valid(struct fixture *f)
{
	static const uint32_t note[] = { 5, 8, HAKO_NOTE_ABI, 0x6f6b6168 /* "hako" */, 0,
					 HAKO_ABI_MAJOR, HAKO_ABI_MINOR };
	Elf64_Ehdr *e = eh(f);

	memset(f, 0, sizeof(*f));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = 0x401000;
	e->e_phoff = sizeof(Elf64_Ehdr);
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = NPH;
	*ph(f, PH_TEXT) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = CODE_OFF, .p_vaddr = 0x401000, .p_filesz = 0x100, .p_memsz = 0x100 };
	*ph(f, PH_DATA) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = DATA_OFF, .p_vaddr = 0x402010, .p_filesz = 0x20, .p_memsz = 0x3000 };
	*ph(f, PH_NOTE) = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R,
		.p_offset = NOTE_OFF, .p_filesz = sizeof(note), .p_memsz = sizeof(note) };
	memcpy(f->file + NOTE_OFF, note, sizeof(note));
}

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));

	make_valid(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Parse f's first size bytes; the reason must contain want (NULL: must pass). */
static void expect(struct fixture *f, size_t size, const char *want)
{
	const char *why = NULL;
	struct img img;
	int rc = img_parse(f->file, size, &img, &why);

	if (!want) {
		assert_int_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, -1);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("reason \"%s\" does not mention \"%s\"", why, want);
}

static void valid_image_is_accepted(void **state)
{
	struct fixture *f = *state;
	const char *why;
	struct img img;

	assert_int_equal(img_parse(f->file, FILE_SIZE, &img, &why), 0);
	assert_int_equal(img.nseg, 2);
	assert_int_equal(img.entry, 0x401000);
	assert_int_equal(img.abi_major, HAKO_ABI_MAJOR);
	/* the data segment starts mid-page: mapping rounded, bytes placed at skip */
	assert_int_equal(img.seg[1].vaddr, 0x402000);
	assert_int_equal(img.seg[1].skip, 0x10);
	assert_int_equal(img.seg[1].memsz, 0x4000);
	assert_int_equal(img.seg[1].prot, IMG_R | IMG_W);
	assert_int_equal(img.seg[0].prot, IMG_R | IMG_X);
}

static void wrong_class_arch_type(void **state)
{
	struct fixture *f = *state;

	memcpy(f->file, "\x7f" "ELG", 4);
	expect(f, FILE_SIZE, "not an ELF");
	make_valid(f);
	eh(f)->e_ident[EI_CLASS] = ELFCLASS32;
	expect(f, FILE_SIZE, "64-bit");
	make_valid(f);
	eh(f)->e_ident[EI_DATA] = ELFDATA2MSB;
	expect(f, FILE_SIZE, "little-endian");
	make_valid(f);
	eh(f)->e_machine = EM_AARCH64;
	expect(f, FILE_SIZE, "x86-64");
	make_valid(f);
	eh(f)->e_type = ET_DYN;
	expect(f, FILE_SIZE, "not a static executable");
	make_valid(f);
	eh(f)->e_version = 2;
	expect(f, FILE_SIZE, "version");
}

static void truncated_files(void **state)
{
	struct fixture *f = *state;

	expect(f, 0, "not an ELF file");
	expect(f, 3, "not an ELF file");
	expect(f, sizeof(Elf64_Ehdr) - 1, "truncated ELF header");
	expect(f, sizeof(Elf64_Ehdr) + 10, "program headers outside the file");
	expect(f, CODE_OFF + 0x80, "segment outside the file");
	expect(f, DATA_OFF + 0x10, "segment outside the file");
}

static void bad_program_header_table(void **state)
{
	struct fixture *f = *state;

	eh(f)->e_phnum = 0;
	expect(f, FILE_SIZE, "program header");
	make_valid(f);
	eh(f)->e_phnum = 0xffff;
	expect(f, FILE_SIZE, "program header");
	make_valid(f);
	eh(f)->e_phentsize = 32;
	expect(f, FILE_SIZE, "program header");
	make_valid(f);
	eh(f)->e_phoff = UINT64_MAX - 8; /* offset + size wraps */
	expect(f, FILE_SIZE, "outside the file");
}

static void segments_out_of_bounds(void **state)
{
	struct fixture *f = *state;

	ph(f, PH_DATA)->p_offset = UINT64_MAX - 0x10; /* offset + filesz wraps */
	expect(f, FILE_SIZE, "outside the file");
	make_valid(f);
	ph(f, PH_DATA)->p_filesz = 0x4000; /* more file than memory */
	expect(f, FILE_SIZE, "file size exceeds");
	make_valid(f);
	ph(f, PH_TEXT)->p_vaddr = 0x1000; /* below the image range: NULL page */
	expect(f, FILE_SIZE, "image range");
	make_valid(f);
	ph(f, PH_DATA)->p_vaddr = 0xffffffff80000000ull; /* kernel half */
	expect(f, FILE_SIZE, "image range");
	make_valid(f);
	ph(f, PH_DATA)->p_memsz = UINT64_MAX - 0x1000; /* vaddr + memsz wraps */
	expect(f, FILE_SIZE, "image range");
	make_valid(f);
	ph(f, PH_DATA)->p_memsz = HAKO_IMAGE_MAX; /* huge */
	expect(f, FILE_SIZE, "image range");
}

static void overlapping_and_unsorted(void **state)
{
	struct fixture *f = *state;

	ph(f, PH_DATA)->p_vaddr = 0x401080; /* shares the text page */
	expect(f, FILE_SIZE, "overlap");
	make_valid(f);
	ph(f, PH_DATA)->p_vaddr = 0x400010; /* below the text segment */
	expect(f, FILE_SIZE, "overlap or are not sorted");
}

static void write_and_execute(void **state)
{
	struct fixture *f = *state;

	ph(f, PH_DATA)->p_flags = PF_R | PF_W | PF_X;
	expect(f, FILE_SIZE, "writable and executable");
}

static void bad_entry(void **state)
{
	struct fixture *f = *state;

	eh(f)->e_entry = 0x402010; /* in data */
	expect(f, FILE_SIZE, "entry point");
	eh(f)->e_entry = 0; /* NULL */
	expect(f, FILE_SIZE, "entry point");
	eh(f)->e_entry = 0x400ff0; /* just before text */
	expect(f, FILE_SIZE, "entry point");
}

static void dynamic_or_exec_stack(void **state)
{
	struct fixture *f = *state;

	ph(f, PH_NOTE)->p_type = PT_INTERP;
	expect(f, FILE_SIZE, "dynamically linked");
	make_valid(f);
	*ph(f, PH_NOTE) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W | PF_X };
	expect(f, FILE_SIZE, "executable stack");
}

static void missing_or_wrong_note(void **state)
{
	struct fixture *f = *state;

	f->file[NOTE_OFF + 12] = 'x'; /* owner "xako" */
	expect(f, FILE_SIZE, "not a hako container");
	make_valid(f);
	ph(f, PH_NOTE)->p_type = PT_NULL;
	expect(f, FILE_SIZE, "not a hako container");
	make_valid(f);
	memcpy(f->file + NOTE_OFF + 20, &(uint32_t){ HAKO_ABI_MAJOR + 1 }, 4);
	expect(f, FILE_SIZE, "another hako ABI");
	make_valid(f);
	memcpy(f->file + NOTE_OFF, &(uint32_t){ 0xfffffff0 }, 4); /* namesz rounds past 4 GiB */
	expect(f, FILE_SIZE, "not a hako container");
	make_valid(f);
	ph(f, PH_NOTE)->p_filesz = 0x10000; /* note runs off the file */
	expect(f, FILE_SIZE, "note outside the file");
}

/* --- the PKRU scan --- */

/* Put bytes into the code page at offset off. */
static void code(struct fixture *f, unsigned off, const void *bytes, size_t n)
{
	memcpy(f->file + CODE_OFF + off, bytes, n);
}

/* Append a domains note (after the ABI note) declaring pkru[0..nd) and ranges[0..nr). */
static void add_domains(struct fixture *f, unsigned nd, const uint32_t *pkru, unsigned nr,
			const struct hako_key_range *ranges)
{
	uint8_t *p = f->file + NOTE_OFF + 28;
	struct hako_domains h = { .ndomains = nd, .nranges = nr, .libos = 0 };
	uint32_t hdr[5] = { 5, (uint32_t)(sizeof(h) + nd * 8 + nr * sizeof(*ranges)),
			    HAKO_NOTE_DOMAINS, 0x6f6b6168, 0 };
	uint8_t *d = p + sizeof(hdr);

	memcpy(p, hdr, sizeof(hdr));
	memcpy(d, &h, sizeof(h));
	for (unsigned i = 0; i < nd; i++)
		memcpy(d + sizeof(h) + 8 * i, &(struct hako_domain){ .pkru = pkru[i] }, 8);
	if (nr)
		memcpy(d + sizeof(h) + 8 * nd, ranges, nr * sizeof(*ranges));
	ph(f, PH_NOTE)->p_filesz = 28 + sizeof(hdr) + hdr[1];
}

static const uint8_t gate_app[] = { 0xb8, 0xfc, 0xff, 0xff, 0xff, 0x31, 0xc9, 0x31, 0xd2,
				    0x0f, 0x01, 0xef, 0x3d, 0xfc, 0xff, 0xff, 0xff, 0x75, 0xed };

static void stray_wrpkru_at_every_offset(void **state)
{
	struct fixture *f = *state;
	char want[64];

	for (unsigned off = 0; off + 3 <= 0x100; off++) {
		make_valid(f);
		code(f, off, "\x0f\x01\xef", 3);
		snprintf(want, sizeof(want), "outside a declared gate at 0x%x (segment 0 + 0x%x)",
			 0x401000 + off, off);
		expect(f, FILE_SIZE, want);
	}
	make_valid(f);
	code(f, 0x10, "\xb8\x0f\x01\xef\x00", 5); /* mov $0xef010f, %eax: inside an immediate */
	expect(f, FILE_SIZE, "WRPKRU outside a declared gate at 0x401011");
	make_valid(f);
	code(f, 0xfe, "\x0f\x01", 2); /* the rest of the page is zero fill: no EF follows */
	expect(f, FILE_SIZE, NULL);
	make_valid(f);
	memcpy(f->file + DATA_OFF, "\x0f\x01\xef", 3); /* data is never executed */
	expect(f, FILE_SIZE, NULL);
}

static void xrstor_refused_lfence_passes(void **state)
{
	static const struct { const char *bytes; size_t n; const char *want; } cases[] = {
		{ "\x0f\xae\x2f", 3, "XRSTOR" },             /* xrstor (%rdi) */
		{ "\x48\x0f\xae\x2f", 4, "XRSTOR" },         /* xrstor64 (%rdi) */
		{ "\x0f\xae\x6c\x24\x08", 5, "XRSTOR" },     /* xrstor 8(%rsp) */
		{ "\x0f\xae\xa8\0\0\0\0", 7, "XRSTOR" },   /* disp32 */
		{ "\x0f\xc7\x1f", 3, "XRSTORS" },            /* xrstors (%rdi) */
		{ "\x0f\xae\xe8", 3, NULL },                  /* lfence */
		{ "\x0f\xae\xef", 3, NULL },                  /* lfence, other rm */
		{ "\x0f\xae\xf0", 3, NULL },                  /* mfence */
		{ "\x0f\xae\x27", 3, NULL },                  /* xsave (%rdi) */
		{ "\x0f\xae\x0f", 3, NULL },                  /* fxrstor (%rdi): no PKRU */
		{ "\x48\x0f\xc7\x0f", 4, NULL },             /* cmpxchg16b (%rdi) */
		{ "\x0f\xc7\xf0", 3, NULL },                  /* rdrand %eax */
		{ "\x0f\x01\xee", 3, NULL },                  /* rdpkru */
	};
	struct fixture *f = *state;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_valid(f);
		code(f, 0x40, cases[i].bytes, cases[i].n);
		expect(f, FILE_SIZE, cases[i].want);
	}
}

static void gates_need_declared_values(void **state)
{
	struct fixture *f = *state;
	const uint32_t declared[] = { 0xc0000000, 0xfffffffc };
	uint8_t g[sizeof(gate_app)];

	code(f, 0x20, gate_app, sizeof(gate_app));
	expect(f, FILE_SIZE, "WRPKRU gate with an undeclared PKRU value 0xfffffffc at 0x401029");
	add_domains(f, 1, declared, 0, NULL);
	expect(f, FILE_SIZE, "undeclared PKRU value 0xfffffffc");
	add_domains(f, 2, declared, 0, NULL);
	expect(f, FILE_SIZE, NULL);
	/* Anything but the exact bytes is a stray WRPKRU, even with the value declared. */
	for (unsigned i = 0; i < sizeof(g); i++) {
		if (i >= 9 && i < 12)
			continue; /* the wrpkru itself */
		memcpy(g, gate_app, sizeof(g));
		g[i] ^= 0x01;
		make_valid(f);
		add_domains(f, 2, declared, 0, NULL);
		code(f, 0x20, g, sizeof(g));
		expect(f, FILE_SIZE, "WRPKRU outside a declared gate at 0x401029");
	}
}

static void scan_sees_across_chunks(void **state)
{
	static const uint8_t a[] = { 0x90, 0x0f, 0x01 }, b[] = { 0xef, 0x90 };
	struct img_code c[2] = { { 0x401ffd, a, 3 }, { 0x402000, b, 2 } };
	struct img_hit hit;

	(void)state;
	assert_int_equal(img_scan(c, 2, NULL, 0, &hit), 1);
	assert_int_equal(hit.va, 0x401ffe);
	assert_int_equal(hit.chunk, 0);
	c[1].va = 0x402001; /* a zero-filled byte between them */
	assert_int_equal(img_scan(c, 2, NULL, 0, &hit), 0);
}

static void domains_note_checked(void **state)
{
	struct fixture *f = *state;
	const uint32_t v[] = { 0xc0000000, 0xfffffffc };
	struct hako_key_range r[2] = { { 0x403000, 0x404000, HAKO_PKEY_LIBOS, 0 },
				       { 0x404000, 0x406000, HAKO_PKEY_NET, 0 } };
	const char *why;
	struct img img;

	add_domains(f, 2, v, 2, r);
	assert_int_equal(img_parse(f->file, FILE_SIZE, &img, &why), 0);
	assert_int_equal(img.ndomains, 2);
	assert_int_equal(img.pkru[1], 0xfffffffc);
	assert_int_equal(img.nranges, 2);
	assert_int_equal(img.range[1].end, 0x406000);
	assert_int_equal(img.range[1].pkey, HAKO_PKEY_NET);

	r[0].pkey = HAKO_PKEY_POOL_FIRST; /* the pool is pkey_alloc's */
	add_domains(f, 2, v, 2, r);
	expect(f, FILE_SIZE, "key is not 1, 2 or 15");
	r[0].pkey = HAKO_PKEY_LIBOS;
	r[0].end = 0x404800; /* overlaps the next, not page-aligned */
	add_domains(f, 2, v, 2, r);
	expect(f, FILE_SIZE, "page-aligned, sorted and disjoint");
	r[0] = (struct hako_key_range){ 0x401000, 0x402000, HAKO_PKEY_LIBOS, 0 }; /* code */
	add_domains(f, 2, v, 2, r);
	expect(f, FILE_SIZE, "outside the image's data segments");
	r[0] = (struct hako_key_range){ 0x403000, 0x404000, HAKO_PKEY_LIBOS, 0 };
	r[1].end = 0x407000; /* past the data segment */
	add_domains(f, 2, v, 2, r);
	expect(f, FILE_SIZE, "outside the image's data segments");
	add_domains(f, 0, v, 0, NULL);
	expect(f, FILE_SIZE, "malformed domains note");
	add_domains(f, 17, (uint32_t[17]){ 0 }, 0, NULL);
	expect(f, FILE_SIZE, "malformed domains note");
	add_domains(f, 2, v, 0, NULL);
	f->file[NOTE_OFF + 28 + 20 + 8] = 2; /* libos index past ndomains */
	expect(f, FILE_SIZE, "malformed domains note");
	add_domains(f, 2, v, 0, NULL);
	f->file[NOTE_OFF + 28 + 4] = 20; /* descsz != the size the counts give */
	expect(f, FILE_SIZE, "malformed domains note");
}

/* Random corruption never crashes the parser (run under ASan and UBSan). */
static void random_corruption(void **state)
{
	struct fixture *f = *state;
	const char *why;
	struct img img;

	srand(1);
	for (int round = 0; round < 20000; round++) {
		make_valid(f);
		for (int n = 1 + rand() % 8; n > 0; n--)
			f->file[rand() % (NOTE_OFF + 32)] = (uint8_t)rand();
		size_t size = rand() % 4 ? FILE_SIZE : (size_t)rand() % FILE_SIZE;
		if (img_parse(f->file, size, &img, &why) == 0) {
			/* accepted: then it must honour every promise */
			for (unsigned i = 0; i < img.nseg; i++) {
				assert_true(img.seg[i].vaddr >= HAKO_IMAGE_MIN);
				assert_true(img.seg[i].vaddr + img.seg[i].memsz <= HAKO_IMAGE_MAX);
				assert_true(img.seg[i].offset + img.seg[i].filesz <= size);
				assert_false((img.seg[i].prot & IMG_W) && (img.seg[i].prot & IMG_X));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(valid_image_is_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_class_arch_type, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated_files, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_program_header_table, setup, teardown),
		cmocka_unit_test_setup_teardown(segments_out_of_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(overlapping_and_unsorted, setup, teardown),
		cmocka_unit_test_setup_teardown(write_and_execute, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(dynamic_or_exec_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_or_wrong_note, setup, teardown),
		cmocka_unit_test_setup_teardown(stray_wrpkru_at_every_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(xrstor_refused_lfence_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(gates_need_declared_values, setup, teardown),
		cmocka_unit_test(scan_sees_across_chunks),
		cmocka_unit_test_setup_teardown(domains_note_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(random_corruption, setup, teardown),
	};

	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
