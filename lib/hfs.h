/* SPDX-License-Identifier: ISC */
/* hfs: hako's read-only file system image: format and a parser for hostile images (freestanding). */
#ifndef HAKO_HFS_H
#define HAKO_HFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * An image is a sequence of 512-byte blocks, little-endian throughout
 * (docs/fs.md draws it):
 *
 *   [0, meta_size)            metadata, read into memory whole at mount:
 *     superblock at 0           struct hfs_super (64 bytes)
 *     inode table               inode_count x struct hfs_inode (32 bytes)
 *     entry table               dirent_count x struct hfs_dirent (12 bytes)
 *     name pool                 names_size bytes of entry names, no NULs
 *   [meta_size, image_size)   file data, each file at a block boundary, so a
 *                             read of whole blocks goes straight to the device
 *
 * Directories hold their entries as one run of the entry table, sorted by
 * name (bytes compared unsigned, a prefix first), so a lookup is a binary
 * search. The runs of the directories, taken in inode order, follow one
 * another and cover the table exactly. An entry always names an inode with
 * a higher number than its directory, and a directory records its parent,
 * so the tree has no cycle and ".." is one step.
 */

#define HFS_MAGIC       "hako-fs" /* 8 bytes with its NUL */
#define HFS_VERSION     1
#define HFS_BLOCK       512
#define HFS_NAME_MAX    255        /* bytes in one name */
#define HFS_PATH_MAX    4096       /* bytes in a path, NUL included (Linux PATH_MAX) */
#define HFS_INODES_MAX  (1u << 20)
#define HFS_DIRENTS_MAX (1u << 20)
#define HFS_NAMES_MAX   (8u << 20)
#define HFS_META_MAX    (16u << 20) /* metadata the libOS keeps in memory */

/* Inode types. */
#define HFS_DIR  1
#define HFS_FILE 2

/* Errors, returned negated; the values are Linux's errno values. */
#define HFS_ENOENT       2
#define HFS_ENOTDIR      20
#define HFS_EINVAL       22
#define HFS_ENAMETOOLONG 36

struct hfs_super {
	char     magic[8];     /* HFS_MAGIC */
	uint32_t version;      /* HFS_VERSION */
	uint32_t block_size;   /* HFS_BLOCK */
	uint64_t image_size;   /* bytes, a multiple of the block size */
	uint64_t meta_size;    /* bytes of metadata from offset 0, a multiple of the block size */
	uint32_t inode_count;  /* >= 1 */
	uint32_t dirent_count;
	uint32_t names_size;
	uint32_t root;         /* inode of "/", a directory */
	uint32_t inode_off;    /* byte offsets of the three tables, in this */
	uint32_t dirent_off;   /*   order, after the superblock, not overlapping, */
	uint32_t names_off;    /*   inside the metadata */
	uint32_t flags;        /* 0 */
};

struct hfs_inode {
	uint16_t type;   /* HFS_DIR or HFS_FILE */
	uint16_t mode;   /* permission bits, at most 07777 */
	uint32_t parent; /* directory: its parent (the root: itself); file: 0 */
	int64_t  mtime;  /* seconds since 1970-01-01 UTC */
	uint64_t size;   /* file: bytes; directory: number of entries */
	uint64_t start;  /* file: byte offset of its data, block-aligned, at or
			    after meta_size; directory: index of its first entry */
};

struct hfs_dirent {
	uint32_t inode;    /* higher than the directory's own number */
	uint32_t name_off; /* into the name pool */
	uint16_t name_len; /* 1 to HFS_NAME_MAX; no NUL or '/', not "." or ".." */
	uint16_t reserved; /* 0 */
};

_Static_assert(sizeof(struct hfs_super) == 64, "hfs superblock layout");
_Static_assert(sizeof(struct hfs_inode) == 32, "hfs inode layout");
_Static_assert(sizeof(struct hfs_dirent) == 12, "hfs entry layout");
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "hfs images are little-endian; this parser reads them in place"
#endif

/* A mounted image: the checked metadata, kept by the caller. */
struct hfs {
	const uint8_t *meta;
	struct hfs_super sb;
};

/* One directory entry as hfs_dir_entry() hands it out. */
struct hfs_entry {
	uint32_t ino;
	uint16_t type;     /* the named inode's type */
	uint16_t name_len;
	const char *name;  /* name_len bytes inside the metadata, not NUL-terminated */
};

/* 1 if buf (len bytes from offset 0 of a device) starts with the hfs magic. */
int hfs_probe(const void *buf, size_t len);

/*
 * Checks the superblock alone, at the start of buf (len >= 64), against a
 * device of dev_size bytes: the caller learns sb->meta_size, the bytes to
 * read for hfs_mount(). Returns 0, or -1 with *why a static one-line reason.
 */
int hfs_super_check(const void *buf, size_t len, uint64_t dev_size, struct hfs_super *sb,
		    const char **why);

/*
 * Checks all the metadata (meta: the image's first len bytes, len at least
 * its meta_size) against a device of dev_size bytes, then fills *fs. After a
 * 0 return every call below stays inside meta and inside the image, and
 * terminates in a number of steps bounded by the path length and log2 of a
 * directory's size, whatever the image holds. meta MUST then stay unchanged
 * while fs is used. Returns 0, or -1 with *why a static one-line reason.
 */
int hfs_mount(struct hfs *fs, const void *meta, size_t len, uint64_t dev_size, const char **why);

/* Fills *out with inode ino. 0, or -HFS_EINVAL for a number out of range. */
int hfs_stat(const struct hfs *fs, uint32_t ino, struct hfs_inode *out);

/*
 * Resolves path (NUL-terminated) to an inode: from the root if it starts
 * with '/', else from directory dir. Repeated slashes and "." are skipped,
 * ".." goes to the parent and stays at the root there (nothing escapes the
 * root). A trailing slash requires a directory. Returns 0 and sets *ino, or
 * -HFS_ENOENT (a name missing, or path empty), -HFS_ENOTDIR (a file used as
 * a directory), -HFS_ENAMETOOLONG (a name over HFS_NAME_MAX bytes, or no
 * NUL within HFS_PATH_MAX bytes), -HFS_EINVAL (dir is not a directory).
 */
int hfs_lookup(const struct hfs *fs, uint32_t dir, const char *path, uint32_t *ino);

/* Entry index of directory dir: 1 and *out filled, 0 past the last, -HFS_E* if dir is bad. */
int hfs_dir_entry(const struct hfs *fs, uint32_t dir, uint64_t index, struct hfs_entry *out);

/* The entry naming directory dir in its parent: 1 and *out filled, 0 for the root, -HFS_E*. */
int hfs_name_of(const struct hfs *fs, uint32_t dir, struct hfs_entry *out);

/*
 * For file n, how many of len bytes at file offset pos exist (0 at or past
 * the end), and *dev_off, their byte offset in the image.
 */
uint64_t hfs_file_span(const struct hfs_inode *n, uint64_t pos, uint64_t len, uint64_t *dev_off);

#endif /* HAKO_HFS_H */
