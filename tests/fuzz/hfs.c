/* SPDX-License-Identifier: ISC */
/* Fuzz target: the file system image parser (lib/hfs.c): mount, then walk whatever it accepted. */
#include "fuzz.h"

#include <string.h>

#include "hfs.h"

#define VISITS_MAX 4096 /* entries one input may make us visit: keeps each run short */

static const char *const paths[] = {
	"/", ".", "..", "/..", "../../..", "//a//b/", "a/./b/../c", "/a/b/c/d/e/f/g",
	"nope", "/nope/", "a/", "./a", "\xff\xfe",
};

static size_t size_of_image;
static unsigned visits;

static void check_inode(const struct hfs *fs, uint32_t ino)
{
	struct hfs_inode n;
	uint64_t off, got;

	FUZZ_CHECK(hfs_stat(fs, ino, &n) == 0);
	FUZZ_CHECK(n.type == HFS_DIR || n.type == HFS_FILE);
	if (n.type != HFS_FILE)
		return;
	/* Every span of file data lies inside the image. */
	got = hfs_file_span(&n, 0, UINT64_MAX, &off);
	FUZZ_CHECK(got == n.size && off <= size_of_image && got <= size_of_image - off);
	got = hfs_file_span(&n, n.size / 2, 4096, &off);
	FUZZ_CHECK(off <= size_of_image && got <= size_of_image - off);
}

/* Each entry of dir: its inode, its name back through lookup, its parent's view of it. */
static void walk(const struct hfs *fs, uint32_t dir, int depth)
{
	struct hfs_entry e, named;
	char name[HFS_NAME_MAX + 1];
	uint32_t ino;

	for (uint64_t i = 0; visits < VISITS_MAX && hfs_dir_entry(fs, dir, i, &e) == 1; i++, visits++) {
		FUZZ_CHECK(e.ino > dir && e.name_len >= 1 && e.name_len <= HFS_NAME_MAX);
		memcpy(name, e.name, e.name_len);
		name[e.name_len] = 0;
		FUZZ_CHECK(strlen(name) == e.name_len && !strchr(name, '/'));
		FUZZ_CHECK(hfs_lookup(fs, dir, name, &ino) == 0 && ino == e.ino);
		check_inode(fs, e.ino);
		if (e.type == HFS_DIR) {
			FUZZ_CHECK(hfs_name_of(fs, e.ino, &named) == 1 && named.ino == e.ino);
			FUZZ_CHECK(hfs_lookup(fs, e.ino, "..", &ino) == 0 && ino == dir);
			if (depth < 64)
				walk(fs, e.ino, depth + 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hfs_super sb;
	struct hfs fs;
	const char *why = NULL;
	uint32_t ino;

	if (hfs_super_check(data, size, size, &sb, &why)) {
		FUZZ_CHECK(why && why[0]);
		return 0;
	}
	if (hfs_mount(&fs, data, size, size, &why)) {
		FUZZ_CHECK(why && why[0] && fs.meta == NULL);
		return 0;
	}
	size_of_image = size;
	visits = 0;
	FUZZ_CHECK(fs.sb.meta_size <= size && fs.sb.image_size <= size);
	check_inode(&fs, fs.sb.root);
	FUZZ_CHECK(hfs_name_of(&fs, fs.sb.root, &(struct hfs_entry){ 0 }) == 0);
	walk(&fs, fs.sb.root, 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int r = hfs_lookup(&fs, fs.sb.root, paths[i], &ino);
		FUZZ_CHECK(r == 0 || r == -HFS_ENOENT || r == -HFS_ENOTDIR);
		if (r == 0)
			check_inode(&fs, ino);
	}
	/* Inode numbers past the table are refused, never read. */
	FUZZ_CHECK(hfs_stat(&fs, fs.sb.inode_count, &(struct hfs_inode){ 0 }) == -HFS_EINVAL);
	FUZZ_CHECK(hfs_lookup(&fs, fs.sb.inode_count, "x", &ino) == -HFS_EINVAL);
	return 0;
}
