/* SPDX-License-Identifier: ISC */
/* Unit tests of the hfs image parser: malformed images are refused, accepted ones keep every promise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hfs.h"

/*
 * A small builder of valid images. Nodes come in inode order; a directory's
 * children are the later nodes naming it as parent, in list order (the
 * caller lists them sorted, breadth first, as hako-mkfs does).
 */
struct node {
	int type;
	uint32_t parent;
	const char *name;
	uint64_t size; /* files */
};

#define MAX_NODES 400
#define BLK       HFS_BLOCK

struct image {
	uint8_t *buf;
	size_t size;     /* image size */
	size_t meta;     /* meta_size */
	struct hfs_super sb;
};

static size_t round_blk(size_t x)
{
	return (x + BLK - 1) / BLK * BLK;
}

static void build(struct image *im, const struct node *nodes, uint32_t n)
{
	struct hfs_inode ino[MAX_NODES] = { 0 };
	struct hfs_dirent ents[MAX_NODES];
	char names[MAX_NODES * 16];
	uint32_t nent = 0, names_len = 0;
	size_t data;

	assert_true(n <= MAX_NODES);
	for (uint32_t i = 0; i < n; i++) {
		ino[i].type = (uint16_t)nodes[i].type;
		ino[i].mode = nodes[i].type == HFS_DIR ? 0755 : 0644;
		ino[i].mtime = 1700000000 + i;
		if (nodes[i].type != HFS_DIR)
			continue;
		ino[i].parent = i == 0 ? 0 : nodes[i].parent;
		ino[i].start = nent;
		for (uint32_t c = i + 1; c < n; c++) {
			if (nodes[c].parent != i)
				continue;
			size_t len = strlen(nodes[c].name);
			assert_true(names_len + len <= sizeof(names));
			ents[nent++] = (struct hfs_dirent){ .inode = c, .name_off = names_len,
							    .name_len = (uint16_t)len };
			memcpy(names + names_len, nodes[c].name, len);
			names_len += (uint32_t)len;
		}
		ino[i].size = nent - ino[i].start;
	}
	im->sb = (struct hfs_super){ .magic = HFS_MAGIC, .version = HFS_VERSION,
		.block_size = BLK, .inode_count = n, .dirent_count = nent, .names_size = names_len,
		.inode_off = 64 };
	im->sb.dirent_off = im->sb.inode_off + n * (uint32_t)sizeof(struct hfs_inode);
	im->sb.names_off = im->sb.dirent_off + nent * (uint32_t)sizeof(struct hfs_dirent);
	im->meta = data = round_blk(im->sb.names_off + names_len);
	for (uint32_t i = 0; i < n; i++) {
		if (nodes[i].type != HFS_FILE)
			continue;
		ino[i].start = data;
		ino[i].size = nodes[i].size;
		data = round_blk(data + nodes[i].size);
	}
	im->sb.meta_size = im->meta;
	im->sb.image_size = im->size = data;
	im->buf = calloc(1, im->size);
	memcpy(im->buf, &im->sb, sizeof(im->sb));
	memcpy(im->buf + im->sb.inode_off, ino, n * sizeof(ino[0]));
	memcpy(im->buf + im->sb.dirent_off, ents, nent * sizeof(ents[0]));
	memcpy(im->buf + im->sb.names_off, names, names_len);
	for (uint32_t i = 0; i < n; i++) /* file i holds bytes i, i, i, ... */
		if (nodes[i].type == HFS_FILE)
			memset(im->buf + ino[i].start, (int)i, nodes[i].size);
}

/* / { a.txt, sub/ { b, deep/ {} }, z } */
static const struct node small[] = {
	{ HFS_DIR, 0, "", 0 },         /* 0 / */
	{ HFS_FILE, 0, "a.txt", 5 },   /* 1 */
	{ HFS_DIR, 0, "sub", 0 },      /* 2 */
	{ HFS_FILE, 0, "z", 600 },     /* 3 */
	{ HFS_FILE, 2, "b", 0 },       /* 4 */
	{ HFS_DIR, 2, "deep", 0 },     /* 5 */
};
#define NSMALL (uint32_t)(sizeof(small) / sizeof(small[0]))
enum { ROOT, A_TXT, SUB, Z, B, DEEP };

static int setup(void **state)
{
	struct image *im = malloc(sizeof(*im));

	build(im, small, NSMALL);
	*state = im;
	return 0;
}

static int teardown(void **state)
{
	struct image *im = *state;

	free(im->buf);
	free(im);
	return 0;
}

/* Mount a copy of the first len bytes (exactly len: ASan sees any overread). */
static int mount_copy(const struct image *im, size_t len, uint64_t dev, struct hfs *fs,
		      uint8_t **copy, const char **why)
{
	*copy = malloc(len ? len : 1);
	memcpy(*copy, im->buf, len);
	return hfs_mount(fs, *copy, len, dev, why);
}

/* Mount im's metadata; the reason must contain want (NULL: must be accepted). */
static void expect(struct image *im, const char *want)
{
	const char *why = NULL;
	struct hfs fs;
	uint8_t *copy;
	int rc = mount_copy(im, im->meta, im->size, &fs, &copy, &why);

	free(copy);
	if (!want) {
		if (rc != 0)
			fail_msg("refused a valid image: %s", why);
		return;
	}
	if (rc == 0)
		fail_msg("accepted an image that should fail with '%s'", want);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("reason '%s', expected '%s'", why, want);
}

static struct hfs_inode *inode(struct image *im, uint32_t i)
{
	return (struct hfs_inode *)(im->buf + im->sb.inode_off) + i;
}

static struct hfs_dirent *dirent(struct image *im, uint32_t i)
{
	return (struct hfs_dirent *)(im->buf + im->sb.dirent_off) + i;
}

static struct hfs_super *super(struct image *im)
{
	return (struct hfs_super *)im->buf;
}

static void lookup_is(const struct hfs *fs, uint32_t dir, const char *path, int want_rc,
		      uint32_t want_ino)
{
	uint32_t ino = 12345;
	int rc = hfs_lookup(fs, dir, path, &ino);

	if (rc != want_rc)
		fail_msg("lookup '%s': %d, expected %d", path, rc, want_rc);
	if (rc == 0 && ino != want_ino)
		fail_msg("lookup '%s': inode %u, expected %u", path, ino, want_ino);
}

static void valid_image_paths(void **state)
{
	struct image *im = *state;
	const char *why = "";
	struct hfs fs;

	assert_int_equal(hfs_mount(&fs, im->buf, im->meta, im->size, &why), 0);
	lookup_is(&fs, ROOT, "/", 0, ROOT);
	lookup_is(&fs, ROOT, ".", 0, ROOT);
	lookup_is(&fs, ROOT, "/a.txt", 0, A_TXT);
	lookup_is(&fs, ROOT, "a.txt", 0, A_TXT);
	lookup_is(&fs, ROOT, "//sub///b", 0, B);
	lookup_is(&fs, ROOT, "/sub/./deep/", 0, DEEP);
	lookup_is(&fs, ROOT, "/sub/../a.txt", 0, A_TXT);
	lookup_is(&fs, ROOT, "/sub/deep/../../z", 0, Z);
	lookup_is(&fs, SUB, "b", 0, B);
	lookup_is(&fs, SUB, "..", 0, ROOT);
	lookup_is(&fs, SUB, "../sub/deep", 0, DEEP);
	lookup_is(&fs, DEEP, "/z", 0, Z);
	/* Nothing climbs out of the root. */
	lookup_is(&fs, ROOT, "..", 0, ROOT);
	lookup_is(&fs, ROOT, "/../../..", 0, ROOT);
	lookup_is(&fs, DEEP, "../../../../a.txt", 0, A_TXT);
	/* Errors, as Linux reports them. */
	lookup_is(&fs, ROOT, "", -HFS_ENOENT, 0);
	lookup_is(&fs, ROOT, "/nope", -HFS_ENOENT, 0);
	lookup_is(&fs, ROOT, "nope/b", -HFS_ENOENT, 0);
	lookup_is(&fs, ROOT, "/a.tx", -HFS_ENOENT, 0);
	lookup_is(&fs, ROOT, "/a.txtx", -HFS_ENOENT, 0);
	lookup_is(&fs, ROOT, "/a.txt/", -HFS_ENOTDIR, 0);
	lookup_is(&fs, ROOT, "/a.txt/x", -HFS_ENOTDIR, 0);
	lookup_is(&fs, ROOT, "/a.txt/..", -HFS_ENOTDIR, 0);
	lookup_is(&fs, A_TXT, "x", -HFS_EINVAL, 0);
	lookup_is(&fs, 99, "x", -HFS_EINVAL, 0);

	char name[HFS_NAME_MAX + 3] = "/";
	memset(name + 1, 'n', HFS_NAME_MAX);
	lookup_is(&fs, ROOT, name, -HFS_ENOENT, 0);
	name[HFS_NAME_MAX + 1] = 'n';
	lookup_is(&fs, ROOT, name, -HFS_ENAMETOOLONG, 0);

	char *path = malloc(HFS_PATH_MAX); /* no NUL anywhere: must not read past it */
	memset(path, '/', HFS_PATH_MAX);
	lookup_is(&fs, ROOT, path, -HFS_ENAMETOOLONG, 0);
	path[HFS_PATH_MAX - 1] = '\0';
	lookup_is(&fs, ROOT, path, 0, ROOT);
	free(path);
}

static void valid_image_dirs_and_files(void **state)
{
	struct image *im = *state;
	const char *why = "";
	struct hfs_entry e;
	struct hfs_inode n;
	struct hfs fs;
	uint64_t off;

	assert_int_equal(hfs_mount(&fs, im->buf, im->meta, im->size, &why), 0);
	const char *want[] = { "a.txt", "sub", "z" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hfs_dir_entry(&fs, ROOT, (uint64_t)i, &e), 1);
		assert_int_equal(e.name_len, strlen(want[i]));
		assert_memory_equal(e.name, want[i], e.name_len);
	}
	assert_int_equal(hfs_dir_entry(&fs, ROOT, 3, &e), 0);
	assert_int_equal(hfs_dir_entry(&fs, ROOT, UINT64_MAX, &e), 0);
	assert_int_equal(hfs_dir_entry(&fs, DEEP, 0, &e), 0);
	assert_int_equal(hfs_dir_entry(&fs, Z, 0, &e), -HFS_ENOTDIR);
	assert_int_equal(hfs_dir_entry(&fs, NSMALL, 0, &e), -HFS_ENOTDIR);

	assert_int_equal(hfs_name_of(&fs, ROOT, &e), 0);
	assert_int_equal(hfs_name_of(&fs, DEEP, &e), 1);
	assert_int_equal(e.ino, DEEP);
	assert_memory_equal(e.name, "deep", 4);
	assert_int_equal(hfs_name_of(&fs, Z, &e), -HFS_ENOTDIR);

	assert_int_equal(hfs_stat(&fs, Z, &n), 0);
	assert_int_equal(n.type, HFS_FILE);
	assert_int_equal(n.size, 600);
	assert_int_equal(n.mtime, 1700000000 + Z);
	assert_int_equal(hfs_stat(&fs, NSMALL, &n), -HFS_EINVAL);
	assert_int_equal(hfs_stat(&fs, Z, &n), 0);
	assert_int_equal(hfs_file_span(&n, 0, 1000, &off), 600);
	assert_int_equal(off, n.start);
	assert_int_equal(hfs_file_span(&n, 599, 1000, &off), 1);
	assert_int_equal(off, n.start + 599);
	assert_int_equal(hfs_file_span(&n, 600, 10, &off), 0);
	assert_int_equal(hfs_file_span(&n, UINT64_MAX, UINT64_MAX, &off), 0);
	assert_int_equal(hfs_file_span(&n, 10, UINT64_MAX, &off), 590);
	assert_int_equal(im->buf[n.start + 599], Z);
}

static void superblock_errors(void **state)
{
	struct image *im = *state;
	struct hfs_super good = *super(im);

#define SB_CASE(field, value, reason) \
	(super(im)->field = (value), expect(im, reason), *super(im) = good)
	expect(im, NULL);
	SB_CASE(magic[0], 'H', "bad magic");
	SB_CASE(version, 2, "unknown hfs version");
	SB_CASE(block_size, 4096, "block size");
	SB_CASE(flags, 1, "flags");
	SB_CASE(image_size, good.image_size + 1, "multiple of the block size");
	SB_CASE(meta_size, 0, "multiple of the block size");
	SB_CASE(image_size, good.image_size + BLK, "larger than the device");
	SB_CASE(meta_size, good.image_size + BLK, "metadata too large");
	SB_CASE(inode_count, 0, "count out of range");
	SB_CASE(inode_count, HFS_INODES_MAX + 1, "count out of range");
	SB_CASE(dirent_count, UINT32_MAX, "count out of range");
	SB_CASE(names_size, UINT32_MAX, "count out of range");
	SB_CASE(root, NSMALL, "root inode out of range");
	SB_CASE(root, Z, "bad directory parent"); /* / then is not the root */
	SB_CASE(inode_off, 0, "tables overlap");
	SB_CASE(inode_off, UINT32_MAX, "tables overlap");
	SB_CASE(dirent_off, good.dirent_off - 1, "tables overlap");
	SB_CASE(names_off, good.names_off - 1, "tables overlap");
	SB_CASE(names_off, UINT32_MAX - 4, "tables overlap");
	SB_CASE(names_size, BLK, "tables overlap");
	SB_CASE(inode_count, NSMALL + 20, "tables overlap");
	SB_CASE(dirent_count, good.dirent_count - 1, "outside the table"); /* a dir overruns */
#undef SB_CASE

	/* Truncated metadata or a device smaller than the image. */
	const char *why;
	struct hfs fs;
	uint8_t *copy;
	assert_int_equal(mount_copy(im, im->meta - 1, im->size, &fs, &copy, &why), -1);
	assert_non_null(strstr(why, "truncated"));
	free(copy);
	assert_int_equal(mount_copy(im, 63, im->size, &fs, &copy, &why), -1);
	free(copy);
	assert_int_equal(mount_copy(im, 0, im->size, &fs, &copy, &why), -1);
	free(copy);
	assert_int_equal(mount_copy(im, im->meta, im->size - 1, &fs, &copy, &why), -1);
	assert_non_null(strstr(why, "larger than the device"));
	free(copy);
	assert_int_equal(hfs_probe(im->buf, 7), 0);
	assert_int_equal(hfs_probe(im->buf, 8), 1);

	/* An image of one file and no directory. */
	static const struct node lone[] = { { HFS_FILE, 0, "", 10 } };
	struct image one;
	build(&one, lone, 1);
	expect(&one, "root is not a directory");
	free(one.buf);
}

static void inode_errors(void **state)
{
	struct image *im = *state;
	struct hfs_inode a = *inode(im, A_TXT), s = *inode(im, SUB), d = *inode(im, DEEP);
	struct hfs_inode r = *inode(im, ROOT);

#define IN_CASE(i, field, value, reason, saved) \
	(inode(im, i)->field = (value), expect(im, reason), *inode(im, i) = saved)
	IN_CASE(A_TXT, type, 0, "unknown inode type", a);
	IN_CASE(A_TXT, type, 3, "unknown inode type", a);
	IN_CASE(A_TXT, mode, 010000, "bad inode mode", a);
	IN_CASE(A_TXT, start, a.start + 1, "misplaced", a);
	IN_CASE(A_TXT, start, 0, "misplaced", a);             /* data over the metadata */
	IN_CASE(A_TXT, start, im->size, "outside the image", a);
	IN_CASE(A_TXT, size, im->size, "outside the image", a);
	IN_CASE(A_TXT, size, UINT64_MAX, "outside the image", a);
	IN_CASE(A_TXT, start, UINT64_MAX - 511, "outside the image", a);
	IN_CASE(A_TXT, parent, 2, "misplaced", a);
	IN_CASE(A_TXT, type, HFS_DIR, "directory entries", a); /* a file turned directory */
	IN_CASE(SUB, type, HFS_FILE, "misplaced", s);
	IN_CASE(SUB, parent, SUB, "parent", s);
	IN_CASE(SUB, parent, Z, "parent", s);
	IN_CASE(DEEP, parent, 0, "parent is not the directory naming it", d);
	IN_CASE(SUB, start, s.start + 1, "directory entries", s);
	IN_CASE(SUB, size, s.size + 1, "directory entries", s);
	IN_CASE(SUB, size, UINT64_MAX, "directory entries", s);
	IN_CASE(DEEP, start, 0, "directory entries", d);       /* shares the root's entries */
	IN_CASE(ROOT, parent, 1, "bad directory parent", r);
#undef IN_CASE
	/* The last entry belongs to nobody. */
	inode(im, SUB)->size = 1;
	inode(im, DEEP)->start = 4;
	expect(im, "not owned");
	*inode(im, SUB) = s;
	*inode(im, DEEP) = d;
	/* The root takes sub's entries too: they are out of order after its own. */
	inode(im, ROOT)->size += inode(im, SUB)->size;
	inode(im, SUB)->start = inode(im, ROOT)->start + inode(im, ROOT)->size;
	inode(im, SUB)->size = 0;
	expect(im, "not sorted");
}

static void entry_errors(void **state)
{
	struct image *im = *state;
	struct hfs_dirent e0 = *dirent(im, 0), e1 = *dirent(im, 1), e2 = *dirent(im, 2);
	char *names = (char *)im->buf + im->sb.names_off;

#define DE_CASE(i, field, value, reason, saved) \
	(dirent(im, i)->field = (value), expect(im, reason), *dirent(im, i) = saved)
	DE_CASE(1, inode, ROOT, "lower or missing", e1);         /* "sub" -> / : a cycle */
	DE_CASE(0, inode, ROOT, "lower or missing", e0);
	DE_CASE(0, inode, NSMALL, "lower or missing", e0);
	DE_CASE(0, inode, UINT32_MAX, "lower or missing", e0);
	DE_CASE(0, name_len, 0, "bad entry name", e0);
	DE_CASE(0, name_len, HFS_NAME_MAX + 1, "bad entry name", e0);
	DE_CASE(2, name_off, im->sb.names_size, "bad entry name", e2);
	DE_CASE(2, name_off, UINT32_MAX, "bad entry name", e2);
	DE_CASE(0, reserved, 1, "bad entry name", e0);
	DE_CASE(2, name_off, e1.name_off, "not sorted", e2);      /* "sub", "sub" */
	DE_CASE(0, name_off, e2.name_off, "not sorted", e0);      /* "z", "sub" */
	DE_CASE(2, inode, DEEP, "parent is not", e2);            /* "z" -> sub/deep: a second parent */
#undef DE_CASE
	const char *bad[] = { "a/txt", ".", "..", "a\0txt" };
	for (int i = 0; i < 4; i++) {
		char saved[5];
		size_t len = i == 1 ? 1 : i == 2 ? 2 : 5;
		memcpy(saved, names + e0.name_off, 5);
		memcpy(names + e0.name_off, bad[i], len);
		dirent(im, 0)->name_len = (uint16_t)len;
		expect(im, "bad entry name");
		memcpy(names + e0.name_off, saved, 5);
		*dirent(im, 0) = e0;
	}
	/* "..." is a fine name. */
	memcpy(names + e0.name_off, "...", 3);
	dirent(im, 0)->name_len = 3;
	expect(im, NULL);
}

/* Everything an accepted image promises, checked by walking all of it. */
static void check_promises(const struct hfs *fs, uint64_t image_size)
{
	uint32_t n = fs->sb.inode_count, got;
	struct hfs_inode in, child;
	struct hfs_entry e, named;

	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(hfs_stat(fs, i, &in), 0);
		if (in.type == HFS_FILE) {
			uint64_t off, len = hfs_file_span(&in, 0, UINT64_MAX, &off);
			assert_int_equal(len, in.size);
			assert_true(off >= fs->sb.meta_size && off + len <= image_size);
			continue;
		}
		assert_int_equal(in.type, HFS_DIR);
		for (uint64_t k = 0; hfs_dir_entry(fs, i, k, &e) == 1; k++) {
			char path[HFS_NAME_MAX + 2];
			assert_true(k < in.size);
			assert_true(e.ino > i && e.ino < n);
			assert_true(e.name_len >= 1 && e.name_len <= HFS_NAME_MAX);
			assert_null(memchr(e.name, '/', e.name_len));
			assert_null(memchr(e.name, '\0', e.name_len));
			memcpy(path, e.name, e.name_len);
			path[e.name_len] = '\0';
			assert_int_equal(hfs_lookup(fs, i, path, &got), 0);
			assert_int_equal(got, e.ino);
			assert_int_equal(hfs_stat(fs, e.ino, &child), 0);
			if (child.type == HFS_DIR) {
				assert_int_equal(hfs_lookup(fs, e.ino, "..", &got), 0);
				assert_int_equal(got, i);
				assert_int_equal(hfs_name_of(fs, e.ino, &named), 1);
				assert_int_equal(named.ino, e.ino);
			}
		}
	}
}

/* Random bytes of random paths: lookups end, whatever the image. */
static void random_lookups(const struct hfs *fs)
{
	static const char alphabet[] = "/./az.sub";
	char path[32];
	uint32_t ino;

	for (int t = 0; t < 50; t++) {
		int len = rand() % (int)sizeof(path);
		for (int i = 0; i < len; i++)
			path[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		path[len] = '\0';
		if (hfs_lookup(fs, fs->sb.root, path, &ino) == 0)
			assert_true(ino < fs->sb.inode_count);
	}
}

static void random_corruption(void **state)
{
	struct image *im = *state;
	uint8_t *pristine = malloc(im->size);
	int accepted = 0;

	memcpy(pristine, im->buf, im->size);
	srand(1);
	for (int iter = 0; iter < 100000; iter++) {
		memcpy(im->buf, pristine, im->size);
		for (int k = 1 + rand() % 6; k > 0; k--) {
			size_t at = (size_t)rand() % (im->sb.names_off + im->sb.names_size);
			im->buf[at] = rand() % 4 ? (uint8_t)(im->buf[at] ^ (1u << (rand() % 8)))
						 : (uint8_t)rand();
		}
		size_t len = rand() % 8 ? im->meta : (size_t)rand() % (im->meta + 1);
		uint64_t dev = rand() % 8 ? im->size : (uint64_t)rand() % (2 * im->size);
		const char *why = NULL;
		struct hfs fs;
		uint8_t *copy;
		if (mount_copy(im, len, dev, &fs, &copy, &why) == 0) {
			accepted++;
			check_promises(&fs, dev);
			random_lookups(&fs);
		} else {
			assert_non_null(why);
		}
		free(copy);
	}
	memcpy(im->buf, pristine, im->size);
	free(pristine);
	print_message("accepted %d of 100000 corrupted images\n", accepted);
}

/* A wide directory and a deep chain: binary search and ".." over many levels. */
static void wide_and_deep(void **state)
{
	static struct node nodes[MAX_NODES];
	static char names[MAX_NODES][16];
	struct image im;
	struct hfs fs;
	const char *why = "";
	uint32_t n = 0, ino;

	nodes[n++] = (struct node){ HFS_DIR, 0, "", 0 };
	for (unsigned i = 0; i < 300; i++) { /* "f000" .. "f299", sorted */
		snprintf(names[n], sizeof(names[n]), "f%03u", i);
		nodes[n] = (struct node){ HFS_FILE, 0, names[n], (uint64_t)i };
		n++;
	}
	nodes[n] = (struct node){ HFS_DIR, 0, "g", 0 }; /* after "f299" */
	n++;
	for (int d = 0; d < 50; d++) { /* g/d/d/d/... */
		nodes[n] = (struct node){ HFS_DIR, n - 1, "d", 0 };
		n++;
	}
	build(&im, nodes, n);
	assert_int_equal(hfs_mount(&fs, im.buf, im.meta, im.size, &why), 0);
	for (uint32_t i = 1; i <= 300; i++) {
		char path[16];
		snprintf(path, sizeof(path), "/%s", names[i]);
		lookup_is(&fs, 0, path, 0, i);
	}
	lookup_is(&fs, 0, "f300", -HFS_ENOENT, 0);
	lookup_is(&fs, 0, "f", -HFS_ENOENT, 0);
	char path[256] = "/g";
	for (int d = 0; d < 50; d++)
		strcat(path, "/d");
	lookup_is(&fs, 0, path, 0, n - 1);
	assert_int_equal(hfs_lookup(&fs, n - 1, "../../..", &ino), 0);
	assert_int_equal(ino, n - 4);
	check_promises(&fs, im.size);
	free(im.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(valid_image_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(valid_image_dirs_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(superblock_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(inode_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(random_corruption, setup, teardown),
		cmocka_unit_test(wide_and_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
