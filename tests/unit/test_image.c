/* Unit tests of the container image validator: every malformed ELF is refused cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
		cmocka_unit_test_setup_teardown(random_corruption, setup, teardown),
	};

	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
