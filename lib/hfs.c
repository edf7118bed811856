/* SPDX-License-Identifier: ISC */
/* hfs: the read-only file system image: an image is hostile input until hfs_mount() accepted it. */
#include "hfs.h"

static void copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* Is [off, off + len) inside [0, size)? Written so nothing overflows. */
static int in_range(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Unsigned bytes, then the shorter name first: the order mkfs sorts in. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* Trusted accessors: the numbers were checked by hfs_mount(). */
static struct hfs_inode inode_at(const struct hfs *fs, uint32_t ino)
{
	struct hfs_inode n;

	copy(&n, fs->meta + fs->sb.inode_off + (uint64_t)ino * sizeof n, sizeof n);
	return n;
}

static struct hfs_dirent dirent_at(const struct hfs *fs, uint64_t i)
{
	struct hfs_dirent d;

	copy(&d, fs->meta + fs->sb.dirent_off + i * sizeof d, sizeof d);
	return d;
}

static const char *name_at(const struct hfs *fs, const struct hfs_dirent *d)
{
	return (const char *)fs->meta + fs->sb.names_off + d->name_off;
}

int hfs_probe(const void *buf, size_t len)
{
	return len >= sizeof(HFS_MAGIC) && __builtin_memcmp(buf, HFS_MAGIC, sizeof(HFS_MAGIC)) == 0;
}

int hfs_super_check(const void *buf, size_t len, uint64_t dev_size, struct hfs_super *sb,
		    const char **why)
{
	uint64_t inodes_end, dirents_end;

	if (len < sizeof(*sb) || !hfs_probe(buf, len))
		return fail(why, "not an hfs image (bad magic)");
	copy(sb, buf, sizeof(*sb));
	if (sb->version != HFS_VERSION)
		return fail(why, "unknown hfs version");
	if (sb->block_size != HFS_BLOCK || sb->flags != 0)
		return fail(why, "unknown block size or flags");
	if (sb->image_size % HFS_BLOCK || sb->meta_size % HFS_BLOCK || sb->meta_size == 0)
		return fail(why, "image or metadata size not a multiple of the block size");
	if (sb->image_size > dev_size)
		return fail(why, "image larger than the device (truncated?)");
	if (sb->meta_size > sb->image_size || sb->meta_size > HFS_META_MAX)
		return fail(why, "metadata too large");
	if (sb->inode_count == 0 || sb->inode_count > HFS_INODES_MAX ||
	    sb->dirent_count > HFS_DIRENTS_MAX || sb->names_size > HFS_NAMES_MAX)
		return fail(why, "inode, entry or name count out of range");
	if (sb->root >= sb->inode_count)
		return fail(why, "root inode out of range");
	/* 64-bit sums of 32-bit values: none can overflow. */
	inodes_end = (uint64_t)sb->inode_off + (uint64_t)sb->inode_count * sizeof(struct hfs_inode);
	dirents_end = (uint64_t)sb->dirent_off + (uint64_t)sb->dirent_count * sizeof(struct hfs_dirent);
	if (sb->inode_off < sizeof(*sb) || inodes_end > sb->dirent_off ||
	    dirents_end > sb->names_off || (uint64_t)sb->names_off + sb->names_size > sb->meta_size)
		return fail(why, "tables overlap or lie outside the metadata");
	return 0;
}

static int name_ok(const struct hfs *fs, const struct hfs_dirent *d)
{
	const char *s;

	if (d->name_len == 0 || d->name_len > HFS_NAME_MAX ||
	    !in_range(d->name_off, d->name_len, fs->sb.names_size))
		return 0;
	s = name_at(fs, d);
	for (unsigned i = 0; i < d->name_len; i++)
		if (s[i] == '\0' || s[i] == '/')
			return 0;
	return !(s[0] == '.' && (d->name_len == 1 || (d->name_len == 2 && s[1] == '.')));
}

/* The entries of directory ino, already known to lie inside the table. */
static int check_entries(const struct hfs *fs, uint32_t ino, const struct hfs_inode *dir,
			 const char **why)
{
	for (uint64_t i = dir->start; i < dir->start + dir->size; i++) {
		struct hfs_dirent d = dirent_at(fs, i);
		if (d.reserved != 0 || !name_ok(fs, &d))
			return fail(why, "bad entry name");
		if (d.inode <= ino || d.inode >= fs->sb.inode_count)
			return fail(why, "entry points to a lower or missing inode (cycle?)");
		if (i > dir->start) {
			struct hfs_dirent p = dirent_at(fs, i - 1);
			if (name_cmp(name_at(fs, &p), p.name_len, name_at(fs, &d), d.name_len) >= 0)
				return fail(why, "entries not sorted or names repeated");
		}
		struct hfs_inode child = inode_at(fs, d.inode);
		if (child.type == HFS_DIR && child.parent != ino)
			return fail(why, "directory's parent is not the directory naming it");
	}
	return 0;
}

/* One inode; *next_entry is where the next directory's entries must start. */
static int check_inode(const struct hfs *fs, uint32_t ino, uint64_t *next_entry, const char **why)
{
	struct hfs_inode n = inode_at(fs, ino);

	if (n.mode > 07777)
		return fail(why, "bad inode mode");
	switch (n.type) {
	case HFS_FILE:
		if (n.parent != 0 || n.start % HFS_BLOCK || n.start < fs->sb.meta_size ||
		    !in_range(n.start, n.size, fs->sb.image_size))
			return fail(why, "file data outside the image or misplaced");
		return 0;
	case HFS_DIR:
		if (n.start != *next_entry || n.size > fs->sb.dirent_count - n.start)
			return fail(why, "directory entries out of order or outside the table");
		*next_entry += n.size;
		if (ino == fs->sb.root ? n.parent != ino
				       : n.parent >= ino || inode_at(fs, n.parent).type != HFS_DIR)
			return fail(why, "bad directory parent");
		return check_entries(fs, ino, &n, why);
	default:
		return fail(why, "unknown inode type");
	}
}

int hfs_mount(struct hfs *fs, const void *meta, size_t len, uint64_t dev_size, const char **why)
{
	uint64_t next_entry = 0;

	*fs = (struct hfs){ 0 };
	if (hfs_super_check(meta, len, dev_size, &fs->sb, why))
		return -1;
	if (len < fs->sb.meta_size)
		return fail(why, "metadata truncated");
	fs->meta = meta;
	/* Each entry is checked once, by its one directory: linear in the metadata. */
	for (uint32_t ino = 0; ino < fs->sb.inode_count; ino++)
		if (check_inode(fs, ino, &next_entry, why))
			goto refuse;
	if (next_entry != fs->sb.dirent_count) {
		fail(why, "entries not owned by any directory");
		goto refuse;
	}
	if (inode_at(fs, fs->sb.root).type != HFS_DIR) {
		fail(why, "root is not a directory");
		goto refuse;
	}
	return 0;
refuse:
	*fs = (struct hfs){ 0 };
	return -1;
}

int hfs_stat(const struct hfs *fs, uint32_t ino, struct hfs_inode *out)
{
	if (ino >= fs->sb.inode_count)
		return -HFS_EINVAL;
	*out = inode_at(fs, ino);
	return 0;
}

/* Binary search of directory dir for name: 0 and *ino, or -HFS_ENOENT. */
static int find(const struct hfs *fs, const struct hfs_inode *dir, const char *name, size_t len,
		uint32_t *ino)
{
	uint64_t lo = dir->start, hi = dir->start + dir->size;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		struct hfs_dirent d = dirent_at(fs, mid);
		int c = name_cmp(name, len, name_at(fs, &d), d.name_len);
		if (c == 0) {
			*ino = d.inode;
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -HFS_ENOENT;
}

int hfs_lookup(const struct hfs *fs, uint32_t dir, const char *path, uint32_t *ino)
{
	uint32_t cur = path[0] == '/' ? fs->sb.root : dir;
	struct hfs_inode n;
	size_t i = 0, len = 0;

	while (len < HFS_PATH_MAX && path[len])
		len++;
	if (len == HFS_PATH_MAX)
		return -HFS_ENAMETOOLONG;
	if (len == 0)
		return -HFS_ENOENT;
	if (hfs_stat(fs, cur, &n) || n.type != HFS_DIR)
		return -HFS_EINVAL;
	for (;;) {
		size_t slashes = 0, c = 0;
		while (path[i] == '/')
			i++, slashes++;
		if (n.type != HFS_DIR && slashes)
			return -HFS_ENOTDIR; /* "file/" or "file/name" */
		if (!path[i])
			break;
		while (path[i + c] && path[i + c] != '/')
			c++;
		if (c > HFS_NAME_MAX)
			return -HFS_ENAMETOOLONG;
		if (c == 2 && path[i] == '.' && path[i + 1] == '.') {
			cur = n.parent; /* the root is its own parent */
		} else if (!(c == 1 && path[i] == '.')) {
			int r = find(fs, &n, path + i, c, &cur);
			if (r)
				return r;
		}
		n = inode_at(fs, cur);
		i += c;
	}
	*ino = cur;
	return 0;
}

int hfs_dir_entry(const struct hfs *fs, uint32_t dir, uint64_t index, struct hfs_entry *out)
{
	struct hfs_inode n;
	struct hfs_dirent d;

	if (hfs_stat(fs, dir, &n) || n.type != HFS_DIR)
		return -HFS_ENOTDIR;
	if (index >= n.size)
		return 0;
	d = dirent_at(fs, n.start + index);
	*out = (struct hfs_entry){ .ino = d.inode, .type = inode_at(fs, d.inode).type,
				   .name_len = d.name_len, .name = name_at(fs, &d) };
	return 1;
}

int hfs_name_of(const struct hfs *fs, uint32_t dir, struct hfs_entry *out)
{
	struct hfs_inode n;

	if (hfs_stat(fs, dir, &n) || n.type != HFS_DIR)
		return -HFS_ENOTDIR;
	if (dir == fs->sb.root)
		return 0;
	/* n.parent is a directory naming dir (hfs_mount checked both ways)... */
	for (uint64_t i = 0;; i++) {
		int r = hfs_dir_entry(fs, n.parent, i, out);
		if (r <= 0)
			return r < 0 ? r : -HFS_ENOENT; /* ...unless nothing names it: unreachable */
		if (out->ino == dir)
			return 1;
	}
}

uint64_t hfs_file_span(const struct hfs_inode *n, uint64_t pos, uint64_t len, uint64_t *dev_off)
{
	*dev_off = n->start + (pos < n->size ? pos : n->size);
	if (pos >= n->size)
		return 0;
	return len < n->size - pos ? len : n->size - pos;
}
