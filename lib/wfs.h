/* SPDX-License-Identifier: ISC */
/* wfs: hako's writable, copy-on-write file system: on-disk format, checker and engine (hosted C). */
#ifndef HAKO_WFS_H
#define HAKO_WFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A volume is a run of 4 KiB blocks, little-endian throughout (docs/fs.md
 * draws it and states the crash guarantees):
 *
 *   block 0, sector 0    superblock slot 0  } struct wfs_super, each with a
 *   block 0, sector 1    superblock slot 1  } CRC-32C; the valid one with the
 *                                             higher generation is current
 *   blocks 1..count-1    file data and metadata blobs, allocated
 *
 * The current superblock names one index block, which lists the blocks of
 * one metadata blob (anywhere on the volume: free space never needs to be
 * contiguous) holding a header, the inode table, the extent table, the entry
 * table and the name pool. Index and blob have their own CRC-32C. Nothing the current superblock reaches is ever
 * overwritten: changes go to free blocks, and a commit writes a new blob,
 * flushes, writes the other superblock slot with the next generation, and
 * flushes again. A crash at any point leaves one of the two commits whole.
 *
 * Inode 0 is the root directory. A directory's entries are one run of the
 * entry table, sorted by name (unsigned bytes, a prefix first); a file's
 * extents are one run of the extent table, sorted by file block, not
 * overlapping; the runs of all inodes, in inode order, cover their tables.
 * Every live inode but the root is named by exactly one entry and reached
 * from the root: the tree has no cycle and no hard link.
 */

#define WFS_MAGIC      "hako-wfs"  /* 8 bytes, no NUL (so hfs_probe() says no) */
#define WFS_META_MAGIC 0x4d534657u /* "WFSM" */
#define WFS_VERSION    1
#define WFS_BLOCK      4096u
#define WFS_SECTOR     512u
#define WFS_NAME_MAX   255
#define WFS_BLOCKS_MAX (1u << 22)      /* 16 GiB volumes: bitmaps of 512 KiB */
#define WFS_INDEX_MAX  (WFS_BLOCK / 4 - 1) /* blob blocks one index block lists */
#define WFS_META_MAX   (WFS_INDEX_MAX * WFS_BLOCK) /* bytes of one metadata blob: ~4 MiB */
#define WFS_FILE_MAX   (1ull << 34)    /* bytes in one file: 16 GiB (its block map: 16 MiB) */
#define WFS_INODES_MAX (1u << 20)
#define WFS_BLOCK_IO   (1u << 20)      /* bytes in one device read or write */

/* Inode types; 0 is a free inode. */
#define WFS_FREE 0
#define WFS_DIR  1
#define WFS_FILE 2

struct wfs_super {
	char     magic[8];     /* WFS_MAGIC */
	uint32_t version;      /* WFS_VERSION */
	uint32_t block_size;   /* WFS_BLOCK */
	uint64_t generation;   /* commits so far; the higher valid slot wins */
	uint64_t block_count;  /* blocks in the volume, 2..WFS_BLOCKS_MAX */
	uint64_t meta_block;   /* the index block: struct wfs_index */
	uint32_t meta_len;     /* bytes of the blob, at most WFS_META_MAX */
	uint32_t meta_crc;     /* CRC-32C of those bytes */
	uint32_t index_crc;    /* CRC-32C of the whole index block */
	uint32_t flags;        /* 0 */
	uint32_t reserved;     /* 0 */
	uint32_t crc;          /* CRC-32C of the 60 bytes before it */
};

/* The index block: the blob is its blocks, in this order; the rest of the block is 0. */
struct wfs_index {
	uint32_t count;        /* blocks of the blob: meta_len rounded up */
	uint32_t block[WFS_INDEX_MAX];
};

struct wfs_meta_head {
	uint32_t magic;        /* WFS_META_MAGIC */
	uint32_t inode_count;  /* >= 1 */
	uint64_t generation;   /* the superblock's */
	uint32_t extent_count;
	uint32_t dirent_count;
	uint32_t names_size;
	uint32_t reserved;     /* 0 */
};

struct wfs_inode {
	uint16_t type;         /* WFS_FREE, WFS_DIR or WFS_FILE */
	uint16_t mode;         /* permission bits, at most 07777 */
	uint32_t parent;       /* directory: its parent (the root: 0); otherwise 0 */
	int64_t  mtime;        /* seconds since 1970 */
	uint32_t mtime_nsec;   /* < 10^9 */
	uint32_t count;        /* file: extents; directory: entries; free: 0 */
	uint64_t size;         /* file: bytes, at most WFS_FILE_MAX; otherwise 0 */
	uint32_t first;        /* index of the first extent or entry of the run */
	uint32_t reserved;     /* 0 */
};

struct wfs_extent {
	uint32_t file_block;   /* first block of the file it holds */
	uint32_t dev_block;    /* where it is on the volume, >= 1 */
	uint32_t len;          /* blocks, >= 1 */
};

struct wfs_dirent {
	uint32_t inode;        /* >= 1, a live inode */
	uint32_t name_off;     /* into the name pool */
	uint16_t name_len;     /* 1 to WFS_NAME_MAX; no NUL or '/', not "." or ".." */
	uint16_t reserved;     /* 0 */
};

_Static_assert(sizeof(struct wfs_super) == 64, "wfs superblock layout");
_Static_assert(sizeof(struct wfs_index) == WFS_BLOCK, "wfs index layout");
_Static_assert(sizeof(struct wfs_meta_head) == 32, "wfs metadata header layout");
_Static_assert(sizeof(struct wfs_inode) == 40, "wfs inode layout");
_Static_assert(sizeof(struct wfs_extent) == 12, "wfs extent layout");
_Static_assert(sizeof(struct wfs_dirent) == 12, "wfs entry layout");
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wfs volumes are little-endian; this code reads them in place"
#endif

/* CRC-32C (Castagnoli), as iSCSI and ext4 use it. */
uint32_t wfs_crc32c(const void *buf, size_t len);

/* 1 if the first sector of a device (len bytes) holds a wfs superblock magic in either slot. */
int wfs_probe(const void *buf, size_t len);

/*
 * Checks one superblock slot (WFS_SECTOR bytes) against a device of
 * dev_size bytes and copies it to *sb. 0, or -1 with *why a static reason.
 */
int wfs_super_check(const void *sector, uint64_t dev_size, struct wfs_super *sb, const char **why);

/*
 * Checks the index block *sb names (its CRC, its count, every block inside
 * the volume): after 0 the caller may read the blocks it lists.
 */
int wfs_index_check(const struct wfs_super *sb, const struct wfs_index *index, const char **why);

/*
 * Checks a metadata blob (meta, len bytes: the blocks index lists, read in
 * order) completely: the index's blocks used once, the blob's CRC, the tables, every run, extent, name and entry, that the tree is a tree
 * and that no volume block is used twice. If used is not NULL (block_count
 * bits, zeroed by the caller) it receives the blocks in use, the blob's own
 * included. 0, or -1 with *why a static one-line reason.
 */
int wfs_meta_check(const struct wfs_super *sb, const struct wfs_index *index, const void *meta,
		   size_t len, uint8_t *used, const char **why);

/* --- the engine: a mounted volume, changed in memory, committed by wfs_sync() ------------ */

/* The device under the engine; offsets and lengths are multiples of WFS_SECTOR, at most WFS_BLOCK_IO. */
struct wfs_io {
	void *ctx;
	uint64_t size; /* bytes */
	long (*read)(void *ctx, uint64_t off, void *buf, size_t len);        /* len or < 0 */
	long (*write)(void *ctx, uint64_t off, const void *buf, size_t len); /* len or < 0 */
	long (*flush)(void *ctx);                                            /* 0 or < 0 */
};

struct wfs;

/* What wfs_stat() tells of an inode. */
struct wfs_stat {
	uint16_t type, mode;
	uint32_t parent;       /* directories */
	uint64_t size;         /* file: bytes; directory: entries */
	uint64_t blocks;       /* 4 KiB blocks held */
	int64_t mtime;
	uint32_t mtime_nsec;
};

/* One directory entry as wfs_dir_entry() hands it out. */
struct wfs_entry {
	uint32_t ino;
	uint16_t type;
	uint16_t name_len;
	const char *name;      /* name_len bytes, not NUL-terminated, valid until the next change */
};

/*
 * Writes an empty volume (a root directory, generation 1) over io's whole
 * size, which MUST be at least 2 blocks. 0, or -1 with *why.
 */
int wfs_format(const struct wfs_io *io, int64_t mtime, const char **why);

/*
 * Mounts the volume on io: the newest superblock slot whose blob passes
 * wfs_meta_check(), else the other one. Returns the mounted volume or NULL
 * with *why (the newest slot's reason). io MUST stay valid until wfs_unmount().
 */
struct wfs *wfs_mount(const struct wfs_io *io, const char **why);
/* Frees the volume's memory; nothing is written (call wfs_sync() first). */
void wfs_unmount(struct wfs *fs);
/* The generation of the last commit, and whether changes wait for one. */
uint64_t wfs_generation(const struct wfs *fs);

/*
 * Calls that change the volume return 0 (or bytes) or a negative Linux errno:
 * -ENOENT, -EEXIST, -ENOTDIR, -EISDIR, -ENOTEMPTY, -EINVAL, -ENAMETOOLONG,
 * -ENOSPC, -EFBIG, -ENOMEM, -EIO. After a device error in a commit every
 * change gives -EIO (the volume keeps its last commit). dir and ino MUST be
 * numbers the engine gave out; a bad one gives -EINVAL.
 */
int wfs_stat(const struct wfs *fs, uint32_t ino, struct wfs_stat *st);
int wfs_lookup(const struct wfs *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino);
int wfs_create(struct wfs *fs, uint32_t dir, const char *name, size_t len, int type, unsigned mode,
	       int64_t sec, uint32_t nsec, uint32_t *ino);
/* Removes name from dir: a directory only if is_dir (and then only empty), a file only if not. */
int wfs_remove(struct wfs *fs, uint32_t dir, const char *name, size_t len, int is_dir);
/* rename(2): replaces a file by a file or an empty directory by a directory, atomically. */
int wfs_rename(struct wfs *fs, uint32_t odir, const char *oname, size_t olen, uint32_t ndir,
	       const char *nname, size_t nlen);
/* Entry index of directory dir: 1 and *out, 0 past the last, < 0 for a bad dir. */
int wfs_dir_entry(const struct wfs *fs, uint32_t dir, uint64_t index, struct wfs_entry *out);
/* The entry naming directory dir in its parent: 1 and *out, 0 for the root. */
int wfs_name_of(const struct wfs *fs, uint32_t dir, struct wfs_entry *out);

long wfs_read(struct wfs *fs, uint32_t ino, uint64_t off, void *buf, size_t len);
long wfs_write(struct wfs *fs, uint32_t ino, uint64_t off, const void *buf, size_t len,
	       int64_t sec, uint32_t nsec);
int wfs_truncate(struct wfs *fs, uint32_t ino, uint64_t size, int64_t sec, uint32_t nsec);
int wfs_set_attr(struct wfs *fs, uint32_t ino, int mode, int64_t sec, uint32_t nsec);

/*
 * Open references: an inode removed while referenced stays readable and
 * writable through them and is freed at the last wfs_unref(); it is never
 * committed (after a crash it is gone, as after a Linux crash).
 */
void wfs_ref(struct wfs *fs, uint32_t ino);
void wfs_unref(struct wfs *fs, uint32_t ino);

/*
 * Commits every change so far: new blocks and blob written, device flushed,
 * the other superblock slot written, device flushed. When it returns 0 every
 * change before the call survives any crash. Nothing to commit: 0 at once.
 */
int wfs_sync(struct wfs *fs);

#endif /* HAKO_WFS_H */
