/* SPDX-License-Identifier: ISC */
/* mkfs: a directory tree -> a read-only hfs image, byte for byte reproducible. */
#include "mkfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hfs.h"

#define FILE_MAX  (1ull << 30) /* bytes in one file */
#define IMAGE_MAX (4ull << 30) /* bytes in the image */

struct node {
	const char *name; /* in its directory ("" for the root) */
	char *path;      /* on the host */
	size_t path_len; /* of the path inside the image, from "/" */
	struct hfs_inode in;
	uint32_t first;  /* directory: its children are nodes [first, first + in.size) */
};

struct mkfs {
	const char *prog;
	struct node *nodes;
	uint32_t count, cap;
	uint64_t names_size;
	int64_t mtime;   /* -1: each file's own */
};

static int fail(struct mkfs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct mkfs *m, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", m->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b); /* unsigned bytes, as hfs sorts */
}

/* Appends one node for path (already lstat()ed as st); its number is final. */
static int add_node(struct mkfs *m, const char *name, char *path, size_t path_len, const struct stat *st,
		    uint32_t parent)
{
	struct node *n;

	if (m->count == HFS_INODES_MAX)
		return fail(m, "too many files and directories (at most %u)", HFS_INODES_MAX);
	if (m->count == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		if (!(m->nodes = realloc(m->nodes, m->cap * sizeof(*m->nodes))))
			return fail(m, "out of memory");
	}
	n = &m->nodes[m->count++];
	*n = (struct node){ .name = name, .path = path, .path_len = path_len };
	n->in.type = S_ISDIR(st->st_mode) ? HFS_DIR : HFS_FILE;
	n->in.mode = st->st_mode & 0777;
	n->in.parent = n->in.type == HFS_DIR ? parent : 0;
	n->in.mtime = m->mtime >= 0 ? m->mtime : st->st_mtim.tv_sec;
	n->in.size = n->in.type == HFS_FILE ? (uint64_t)st->st_size : 0;
	if (n->in.size > FILE_MAX)
		return fail(m, "'%s': larger than %llu bytes", path, FILE_MAX);
	return 0;
}

/* Directory names, sorted; NULL on error (reported). */
static char **list_dir(struct mkfs *m, const char *path, size_t *count)
{
	size_t n = 0, cap = 16;
	char **names = malloc(cap * sizeof(*names));
	struct dirent *d;
	DIR *dir;

	if (!names || !(dir = opendir(path))) {
		fail(m, "cannot open directory '%s': %s", path, strerror(errno));
		free(names);
		return NULL;
	}
	while ((errno = 0, d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (n == cap && !(names = realloc(names, (cap *= 2) * sizeof(*names))))
			break;
		if (!(names[n++] = strdup(d->d_name)))
			break;
	}
	if (errno) {
		fail(m, "cannot read directory '%s': %s", path, strerror(errno));
		closedir(dir);
		return NULL; /* the tool exits: nothing to free for */
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	*count = n;
	return names;
}

/* The children of directory node i become the next nodes, in name order. */
static int scan_dir(struct mkfs *m, uint32_t i)
{
	size_t count, skipped = 0;
	char **names = list_dir(m, m->nodes[i].path, &count);

	if (!names)
		return -1;
	m->nodes[i].first = m->count;
	for (size_t k = 0; k < count; k++) {
		const struct node *dir = &m->nodes[i];
		size_t len = strlen(names[k]), path_len = dir->path_len + 1 + len;
		struct stat st;
		char *path;

		if (len > HFS_NAME_MAX)
			return fail(m, "'%s/%s': name too long (at most %d bytes)", dir->path, names[k],
				    HFS_NAME_MAX);
		if (path_len >= HFS_PATH_MAX || strlen(dir->path) + 1 + len >= PATH_MAX)
			return fail(m, "'%s/%s': path too long (at most %d bytes)", dir->path, names[k],
				    HFS_PATH_MAX - 1);
		if (asprintf(&path, "%s/%s", dir->path, names[k]) < 0)
			return fail(m, "out of memory");
		if (lstat(path, &st))
			return fail(m, "cannot stat '%s': %s", path, strerror(errno));
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: warning: skipping '%s': %s\n", m->prog, path,
				S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file or directory");
			skipped++;
			continue;
		}
		if (add_node(m, names[k], path, path_len, &st, i))
			return -1;
		m->names_size += len;
		if (m->names_size > HFS_NAMES_MAX)
			return fail(m, "names too long in total (at most %u bytes)", HFS_NAMES_MAX);
	}
	m->nodes[i].in.size = count - skipped;
	free(names);
	return 0;
}

/* Breadth first: every entry gets a higher number than its directory. */
static int scan(struct mkfs *m, const char *dir)
{
	struct stat st;

	if (stat(dir, &st))
		return fail(m, "cannot open directory '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(m, "'%s': not a directory", dir);
	if (add_node(m, "", strdup(dir), 0, &st, 0))
		return -1;
	for (uint32_t i = 0; i < m->count; i++)
		if (m->nodes[i].in.type == HFS_DIR && scan_dir(m, i))
			return -1;
	return 0;
}

static uint64_t round_blk(uint64_t x)
{
	return (x + HFS_BLOCK - 1) / HFS_BLOCK * HFS_BLOCK;
}

/* Lays the image out: the superblock, then each file's data offset. */
static int layout(struct mkfs *m, struct hfs_super *sb)
{
	uint64_t entries = 0, data;

	for (uint32_t i = 0; i < m->count; i++)
		if (m->nodes[i].in.type == HFS_DIR)
			entries += m->nodes[i].in.size;
	*sb = (struct hfs_super){ .magic = HFS_MAGIC, .version = HFS_VERSION, .block_size = HFS_BLOCK,
		.inode_count = m->count, .dirent_count = (uint32_t)entries,
		.names_size = (uint32_t)m->names_size, .root = 0, .inode_off = sizeof(*sb) };
	sb->dirent_off = sb->inode_off + m->count * (uint32_t)sizeof(struct hfs_inode);
	sb->names_off = sb->dirent_off + (uint32_t)entries * (uint32_t)sizeof(struct hfs_dirent);
	sb->meta_size = data = round_blk(sb->names_off + m->names_size);
	if (sb->meta_size > HFS_META_MAX)
		return fail(m, "too many files: metadata over %u bytes", HFS_META_MAX);
	for (uint32_t i = 0, entry = 0; i < m->count; i++) {
		struct hfs_inode *in = &m->nodes[i].in;
		if (in->type == HFS_DIR) {
			in->start = entry;
			entry += (uint32_t)in->size;
		} else {
			in->start = data;
			data = round_blk(data + in->size);
			if (data > IMAGE_MAX)
				return fail(m, "files too large in total (at most %llu bytes)", IMAGE_MAX);
		}
	}
	sb->image_size = data;
	return 0;
}

/* The metadata block, checked with the parser the libOS uses. */
static uint8_t *metadata(struct mkfs *m, const struct hfs_super *sb)
{
	uint8_t *meta = calloc(1, sb->meta_size);
	uint32_t entry = 0, name = 0;
	const char *why;
	struct hfs fs;

	if (!meta)
		return fail(m, "out of memory"), NULL;
	memcpy(meta, sb, sizeof(*sb));
	for (uint32_t i = 0; i < m->count; i++) {
		const struct node *n = &m->nodes[i];
		memcpy(meta + sb->inode_off + i * sizeof(n->in), &n->in, sizeof(n->in));
		for (uint32_t c = n->first; n->in.type == HFS_DIR && c < n->first + n->in.size; c++) {
			size_t len = strlen(m->nodes[c].name);
			struct hfs_dirent d = { .inode = c, .name_off = name, .name_len = (uint16_t)len };
			memcpy(meta + sb->dirent_off + entry++ * sizeof(d), &d, sizeof(d));
			memcpy(meta + sb->names_off + name, m->nodes[c].name, len);
			name += (uint32_t)len;
		}
	}
	if (hfs_mount(&fs, meta, sb->meta_size, sb->image_size, &why)) {
		fail(m, "internal error: built an image the parser refuses: %s", why);
		free(meta);
		return NULL;
	}
	return meta;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

/* Copies file n's bytes to out, then zeros up to the next block. */
static int copy_file(struct mkfs *m, const struct node *n, int out, const char *image)
{
	static char buf[1 << 16];
	uint64_t left = n->in.size;
	int in = open(n->path, O_RDONLY | O_NOCTTY);

	if (in < 0)
		return fail(m, "cannot open '%s': %s", n->path, strerror(errno));
	while (left) {
		ssize_t got = read(in, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			close(in);
			return got < 0 ? fail(m, "cannot read '%s': %s", n->path, strerror(errno))
				       : fail(m, "'%s': changed size while being read", n->path);
		}
		if (write_all(out, buf, (size_t)got))
			return close(in), fail(m, "cannot write '%s': %s", image, strerror(errno));
		left -= (uint64_t)got;
	}
	close(in);
	memset(buf, 0, HFS_BLOCK);
	if (write_all(out, buf, round_blk(n->in.size) - n->in.size))
		return fail(m, "cannot write '%s': %s", image, strerror(errno));
	return 0;
}

/* Writes IMAGE.tmp, then renames it: IMAGE is whole or absent. */
static int write_image(struct mkfs *m, const char *image)
{
	struct hfs_super sb;
	uint8_t *meta;
	char *tmp;
	int fd, rc = -1;

	if (layout(m, &sb) || !(meta = metadata(m, &sb)))
		return -1;
	if (asprintf(&tmp, "%s.tmp", image) < 0)
		return fail(m, "out of memory");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		fail(m, "cannot create '%s': %s", tmp, strerror(errno));
		goto free_tmp;
	}
	if (write_all(fd, meta, sb.meta_size)) {
		fail(m, "cannot write '%s': %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	for (uint32_t i = 0; i < m->count; i++)
		if (m->nodes[i].in.type == HFS_FILE && copy_file(m, &m->nodes[i], fd, tmp))
			goto remove_tmp;
	if (fsync(fd) || close(fd) < 0) {
		fd = -1;
		fail(m, "cannot write '%s': %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	fd = -1;
	if (rename(tmp, image)) {
		fail(m, "cannot create '%s': %s", image, strerror(errno));
		goto remove_tmp;
	}
	rc = 0;
	goto free_tmp;
remove_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
free_tmp:
	free(tmp);
	free(meta);
	return rc;
}

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--mtime SECONDS] DIR IMAGE\n"
		"       %s --writable [--size SIZE] [--mtime SECONDS] [DIR] IMAGE\n"
		"  builds a read-only hfs image of DIR's regular files and directories\n"
		"  (symbolic links and special files are skipped with a warning)\n"
		"  --mtime SECONDS  give every inode this mtime (reproducible images)\n"
		"  --writable       a writable wfs volume instead (docs/fs.md)\n",
		prog, prog);
	return 2;
}

int mkfs_main(int argc, char **argv)
{
	struct mkfs m = { .prog = argv[0], .mtime = -1 };
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "--writable"))
		return mkfs_wfs_main(argc, argv);

	if (argc > 2 && !strcmp(argv[1], "--mtime")) {
		char *end;
		errno = 0;
		long long t = strtoll(argv[2], &end, 10);
		if (errno || end == argv[2] || *end || t < 0)
			return fail(&m, "bad --mtime '%s' (seconds since 1970)", argv[2]), 2;
		m.mtime = t;
		i = 3;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++; /* DIR and IMAGE may start with '-' */
	else if (i < argc && argv[i][0] == '-')
		return usage(m.prog);
	if (argc - i != 2)
		return usage(m.prog);
	if (scan(&m, argv[i]) || write_image(&m, argv[i + 1]))
		return 1;
	return 0;
}
