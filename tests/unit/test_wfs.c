/* SPDX-License-Identifier: ISC */
/* Unit tests of the writable file system: its calls, corrupt volumes refused, crashes at every write. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wfs.h"

/* --- a device in memory that logs its writes ---------------------------------------------- */

struct write_rec {
	uint64_t off;
	size_t len;
	uint8_t *data;
};

struct memdev {
	struct wfs_io io;
	uint8_t *buf;
	struct write_rec *log;
	size_t nlog, cap;
	int logging;
	int fail_after; /* > 0: writes fail once this many more were done */
};

static long mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct memdev *d = ctx;

	assert_true(off % WFS_SECTOR == 0 && len % WFS_SECTOR == 0 && len <= WFS_BLOCK_IO);
	assert_true(off <= d->io.size && len <= d->io.size - off);
	memcpy(buf, d->buf + off, len);
	return (long)len;
}

/* Logs a write, or with len 0 a flush: what a crash may lose is what follows the last flush. */
static void log_op(struct memdev *d, uint64_t off, const void *buf, size_t len)
{
	if (!d->logging)
		return;
	if (d->nlog == d->cap)
		d->log = realloc(d->log, (d->cap = d->cap ? 2 * d->cap : 256) * sizeof *d->log);
	d->log[d->nlog].data = len ? malloc(len) : NULL;
	if (len)
		memcpy(d->log[d->nlog].data, buf, len);
	d->log[d->nlog].off = off, d->log[d->nlog].len = len;
	d->nlog++;
}

static long mem_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct memdev *d = ctx;

	assert_true(off % WFS_SECTOR == 0 && len % WFS_SECTOR == 0 && len <= WFS_BLOCK_IO);
	assert_true(off <= d->io.size && len <= d->io.size - off);
	if (d->fail_after && --d->fail_after == 0)
		return -EIO;
	memcpy(d->buf + off, buf, len);
	log_op(d, off, buf, len);
	return (long)len;
}

static long mem_flush(void *ctx)
{
	log_op(ctx, 0, NULL, 0);
	return 0;
}

static void dev_init(struct memdev *d, size_t size)
{
	*d = (struct memdev){ .io = { .ctx = d, .size = size, .read = mem_read, .write = mem_write,
				      .flush = mem_flush } };
	d->buf = calloc(1, size);
	assert_non_null(d->buf);
}

static void dev_free(struct memdev *d)
{
	for (size_t i = 0; i < d->nlog; i++)
		free(d->log[i].data);
	free(d->log);
	free(d->buf);
}

static struct wfs *fresh(struct memdev *d, size_t size)
{
	const char *why = NULL;
	struct wfs *fs;

	dev_init(d, size);
	assert_int_equal(wfs_format(&d->io, 1700000000, &why), 0);
	fs = wfs_mount(&d->io, &why);
	assert_non_null(fs);
	return fs;
}

/* --- a digest of the whole tree: paths, types, sizes, contents --------------------------- */

struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap)
		t->s = realloc(t->s, t->cap = 2 * (t->len + (size_t)n + 1));
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static void digest_dir(struct wfs *fs, uint32_t dir, const char *path, struct text *t, int depth)
{
	struct wfs_entry e;

	assert_true(depth < 64);
	for (uint64_t i = 0; wfs_dir_entry(fs, dir, i, &e) == 1; i++) {
		char sub[4096];
		struct wfs_stat st;
		uint32_t ino = e.ino;
		snprintf(sub, sizeof sub, "%s/%.*s", path, e.name_len, e.name);
		assert_int_equal(wfs_stat(fs, ino, &st), 0);
		if (st.type == WFS_DIR) {
			put(t, "d %s\n", sub);
			digest_dir(fs, ino, sub, t, depth + 1);
			continue;
		}
		/* A hostile volume may hold a 16 GiB sparse file: the first MiB tells enough. */
		size_t len = st.size < (1 << 20) ? (size_t)st.size : 1 << 20;
		uint8_t *data = malloc(len + 1);
		assert_int_equal(wfs_read(fs, ino, 0, data, len), (long)len);
		put(t, "f %s %llu %08x\n", sub, (unsigned long long)st.size, wfs_crc32c(data, len));
		free(data);
	}
}

static char *digest(struct wfs *fs)
{
	struct text t = { 0 };

	put(&t, "/\n");
	digest_dir(fs, 0, "", &t, 0);
	return t.s;
}

/* --- the calls ------------------------------------------------------------------------------ */

static uint32_t mk(struct wfs *fs, uint32_t dir, const char *name, int type)
{
	uint32_t ino;

	assert_int_equal(wfs_create(fs, dir, name, strlen(name), type, 0644, 1, 0, &ino), 0);
	return ino;
}

static void calls(void **state)
{
	struct memdev d;
	struct wfs *fs = fresh(&d, 1 << 20);
	uint32_t a, sub, f, ino;
	uint8_t buf[10000], back[10000];
	const char *why;
	char *before;

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7);
	sub = mk(fs, 0, "sub", WFS_DIR);
	a = mk(fs, 0, "a", WFS_FILE);
	assert_int_equal(wfs_create(fs, 0, "a", 1, WFS_FILE, 0644, 1, 0, &ino), -EEXIST);
	assert_int_equal(wfs_create(fs, 0, "..", 2, WFS_FILE, 0644, 1, 0, &ino), -EINVAL);
	assert_int_equal(wfs_create(fs, 0, "x/y", 3, WFS_FILE, 0644, 1, 0, &ino), -EINVAL);
	assert_int_equal(wfs_create(fs, a, "z", 1, WFS_FILE, 0644, 1, 0, &ino), -ENOTDIR);
	assert_int_equal(wfs_write(fs, a, 100, buf, sizeof buf, 2, 0), (long)sizeof buf);
	assert_int_equal(wfs_read(fs, a, 0, back, 100), 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(back[i], 0); /* a hole reads as zeros */
	assert_int_equal(wfs_read(fs, a, 100, back, sizeof back), (long)sizeof buf);
	assert_memory_equal(back, buf, sizeof buf);
	struct wfs_stat st;
	assert_int_equal(wfs_stat(fs, a, &st), 0);
	assert_int_equal(st.blocks, 3); /* bytes 100..10099: blocks 0, 1 and 2 */
	assert_int_equal(wfs_truncate(fs, a, 50, 3, 0), 0);
	assert_int_equal(wfs_truncate(fs, a, 5000, 3, 0), 0);
	assert_int_equal(wfs_stat(fs, a, &st), 0);
	assert_int_equal(st.blocks, 1);
	assert_int_equal(st.size, 5000);
	assert_int_equal(wfs_read(fs, a, 0, back, 5000), 5000);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(back[i], 0); /* cut and grown again: zeros, not the old bytes */
	f = mk(fs, sub, "f", WFS_FILE);
	assert_int_equal(wfs_write(fs, f, 0, "hello", 5, 4, 0), 5);
	assert_int_equal(wfs_remove(fs, 0, "sub", 3, 1), -ENOTEMPTY);
	assert_int_equal(wfs_remove(fs, 0, "sub", 3, 0), -EISDIR);
	assert_int_equal(wfs_remove(fs, 0, "a", 1, 1), -ENOTDIR);
	assert_int_equal(wfs_rename(fs, 0, "sub", 3, sub, "in", 2), -EINVAL); /* into itself */
	assert_int_equal(wfs_rename(fs, 0, "a", 1, 0, "sub", 3), -EISDIR);
	assert_int_equal(wfs_rename(fs, sub, "f", 1, 0, "a", 1), 0);     /* replaces a */
	assert_int_equal(wfs_lookup(fs, 0, "a", 1, &ino), 0);
	assert_int_equal(ino, f);
	assert_int_equal(wfs_lookup(fs, sub, "f", 1, &ino), -ENOENT);
	assert_int_equal(wfs_remove(fs, 0, "sub", 3, 1), 0);
	/* Open and removed: still readable, gone from the tree, freed at the last reference. */
	wfs_ref(fs, f);
	assert_int_equal(wfs_remove(fs, 0, "a", 1, 0), 0);
	assert_int_equal(wfs_read(fs, f, 0, back, 5), 5);
	assert_memory_equal(back, "hello", 5);
	mk(fs, 0, "keep", WFS_FILE);
	assert_int_equal(wfs_sync(fs), 0);
	wfs_unref(fs, f);
	before = digest(fs);
	assert_string_equal(before, "/\nf /keep 0 00000000\n");
	wfs_unmount(fs);
	assert_non_null(fs = wfs_mount(&d.io, &why));
	char *after = digest(fs);
	assert_string_equal(before, after);
	free(before), free(after);
	wfs_unmount(fs);
	dev_free(&d);
}

/* Uncommitted changes are lost; a commit is the unit; space is reused. */
static void commits(void **state)
{
	struct memdev d;
	struct wfs *fs = fresh(&d, 256 * 1024); /* 64 blocks */
	static uint8_t big[25 * 4096];
	const char *why;
	uint32_t f;

	f = mk(fs, 0, "f", WFS_FILE);
	assert_int_equal(wfs_sync(fs), 0);
	uint64_t gen = wfs_generation(fs);
	assert_int_equal(wfs_sync(fs), 0); /* nothing changed: no commit */
	assert_int_equal(wfs_generation(fs), gen);
	/* Rewriting 25 of 63 blocks again and again only fits if freed blocks come back. */
	for (int round = 0; round < 20; round++) {
		memset(big, round, sizeof big);
		assert_int_equal(wfs_write(fs, f, 0, big, sizeof big, round, 0), (long)sizeof big);
		assert_int_equal(wfs_sync(fs), 0);
	}
	uint32_t g = mk(fs, 0, "g", WFS_FILE);
	assert_int_equal(wfs_write(fs, g, 0, big, sizeof big, 0, 0), (long)sizeof big);
	assert_true(wfs_write(fs, g, sizeof big, big, sizeof big, 0, 0) < (long)sizeof big); /* full */
	assert_int_equal(wfs_sync(fs), -ENOSPC); /* no room for the blob: nothing written */
	assert_int_equal(wfs_remove(fs, 0, "g", 1, 0), 0);
	assert_int_equal(wfs_sync(fs), 0);
	mk(fs, 0, "lost", WFS_FILE);
	wfs_unmount(fs);
	assert_non_null(fs = wfs_mount(&d.io, &why));
	char *s = digest(fs);
	assert_non_null(strstr(s, "f /f 102400 "));
	assert_null(strstr(s, "f /g"));
	assert_null(strstr(s, "lost"));
	free(s);
	/* A device error in a commit: -EIO then, and every change after. */
	mk(fs, 0, "g2", WFS_FILE);
	d.fail_after = 1;
	assert_int_equal(wfs_sync(fs), -EIO);
	assert_int_equal(wfs_create(fs, 0, "h", 1, WFS_FILE, 0644, 0, 0, &f), -EIO);
	wfs_unmount(fs);
	dev_free(&d);
}

/* Free space in single blocks only: commits still find room for a blob of several blocks. */
static void fragmented(void **state)
{
	struct memdev d;
	struct wfs *fs = fresh(&d, 128 * WFS_BLOCK);
	static uint8_t block[WFS_BLOCK];
	uint32_t ino[100];
	char name[16];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "file%03d", i);
		ino[i] = mk(fs, 0, name, WFS_FILE);
	}
	for (int round = 0; round < 400; round++) {
		memset(block, round, sizeof block);
		assert_int_equal(wfs_write(fs, ino[(round * 37) % 100], 0, block, round % 2 ? 100 : WFS_BLOCK,
					   round, 0), round % 2 ? 100 : WFS_BLOCK);
		assert_int_equal(wfs_sync(fs), 0);
	}
	wfs_unmount(fs);
	dev_free(&d);
}

/* --- hostile volumes ------------------------------------------------------------------------ */

/* A volume with some of everything, committed. */
static void populate(struct wfs *fs)
{
	static uint8_t data[3 * 4096 + 17];
	uint32_t d1 = mk(fs, 0, "dir", WFS_DIR), d2 = mk(fs, d1, "deeper", WFS_DIR);
	uint32_t f1 = mk(fs, 0, "one", WFS_FILE), f2 = mk(fs, d2, "two", WFS_FILE);

	memset(data, 'x', sizeof data);
	mk(fs, d1, "empty", WFS_FILE);
	mk(fs, 0, "zdir", WFS_DIR);
	assert_int_equal(wfs_write(fs, f1, 0, data, sizeof data, 5, 0), (long)sizeof data);
	assert_int_equal(wfs_write(fs, f2, 9000, data, 100, 5, 0), 100);
	assert_int_equal(wfs_sync(fs), 0);
}

/* Whatever a mount accepted must walk, read and change without a crash. */
static void exercise(struct wfs *fs)
{
	uint32_t ino;
	char buf[64];

	free(digest(fs));
	if (wfs_create(fs, 0, "new", 3, WFS_FILE, 0644, 0, 0, &ino) == 0)
		wfs_write(fs, ino, 5000, "abc", 3, 0, 0);
	wfs_rename(fs, 0, "dir", 3, 0, "zdir", 4);
	wfs_rename(fs, 0, "one", 3, 0, "zdir", 4);
	wfs_remove(fs, 0, "one", 3, 0);
	if (wfs_lookup(fs, 0, "one", 3, &ino) == 0)
		wfs_read(fs, ino, 0, buf, sizeof buf);
	wfs_sync(fs);
	free(digest(fs));
}

#define IMG (1u << 20)

/* The index block slot s names, if it lies inside the image and lists blocks inside it. */
static struct wfs_index *index_of(uint8_t *img, int s, struct wfs_super *sb)
{
	struct wfs_index *ix;

	memcpy(sb, img + s * WFS_SECTOR, sizeof *sb);
	if (memcmp(sb->magic, WFS_MAGIC, 8) || sb->meta_block >= IMG / WFS_BLOCK)
		return NULL;
	ix = (struct wfs_index *)(img + sb->meta_block * WFS_BLOCK);
	if (ix->count > WFS_INDEX_MAX)
		return NULL;
	for (uint32_t i = 0; i < ix->count; i++)
		if (ix->block[i] >= IMG / WFS_BLOCK)
			return NULL;
	return ix;
}

/* Recomputes every checksum, so corruption reaches the structure checks. */
static void reseal(uint8_t *img)
{
	static uint8_t blob[WFS_META_MAX];
	struct wfs_super sb;
	struct wfs_index *ix;

	for (int s = 0; s < 2; s++) {
		if (!(ix = index_of(img, s, &sb)))
			continue;
		for (uint32_t i = 0; i < ix->count; i++)
			memcpy(blob + i * WFS_BLOCK, img + ix->block[i] * WFS_BLOCK, WFS_BLOCK);
		if (sb.meta_len <= ix->count * WFS_BLOCK)
			sb.meta_crc = wfs_crc32c(blob, sb.meta_len);
		sb.index_crc = wfs_crc32c(ix, sizeof *ix);
		sb.crc = wfs_crc32c(&sb, offsetof(struct wfs_super, crc));
		memcpy(img + s * WFS_SECTOR, &sb, sizeof sb);
	}
}

/* A byte somewhere in what a mount reads: a superblock, an index, a blob. */
static size_t target(uint8_t *img)
{
	int s = rand() % 2;
	struct wfs_super sb;
	struct wfs_index *ix = index_of(img, s, &sb);

	if (rand() % 4 == 0 || !ix || ix->count == 0)
		return (size_t)s * WFS_SECTOR + (size_t)rand() % sizeof sb;
	if (rand() % 4 == 0)
		return sb.meta_block * WFS_BLOCK + (size_t)rand() % (4 * (ix->count + 1));
	uint32_t i = (uint32_t)rand() % ix->count;
	size_t in = i + 1 < ix->count || sb.meta_len % WFS_BLOCK == 0 ? WFS_BLOCK : sb.meta_len % WFS_BLOCK;
	return ix->block[i] * WFS_BLOCK + (size_t)rand() % in;
}

/*
 * Random bit flips and bytes in the superblocks, indexes and blobs. Half the
 * time the checksums are recomputed afterwards, so the structure checks are
 * reached too, not only the CRCs.
 */
static void random_corruption(void **state)
{
	struct memdev d;
	struct wfs *fs = fresh(&d, IMG);
	uint8_t *good = malloc(IMG);
	int accepted = 0, refused = 0;

	populate(fs);
	wfs_unmount(fs);
	memcpy(good, d.buf, IMG);
	srand(1);
	for (int iter = 0; iter < 5000; iter++) {
		const char *why = NULL;
		memcpy(d.buf, good, IMG);
		for (int k = 1 + rand() % 4; k > 0; k--) {
			size_t at = target(d.buf);
			d.buf[at] = rand() % 4 ? (uint8_t)(d.buf[at] ^ (1u << (rand() % 8))) : (uint8_t)rand();
		}
		if (rand() % 2)
			reseal(d.buf);
		if ((fs = wfs_mount(&d.io, &why))) {
			accepted++;
			exercise(fs);
			wfs_unmount(fs);
		} else {
			assert_non_null(why);
			refused++;
		}
	}
	print_message("corruption: %d accepted, %d refused\n", accepted, refused);
	assert_true(refused > 500);
	free(good);
	dev_free(&d);
}

static void small_and_bad(void **state)
{
	struct memdev d;
	const char *why = NULL;

	dev_init(&d, 4096);
	assert_int_equal(wfs_format(&d.io, 0, &why), -1);
	assert_null(wfs_mount(&d.io, &why));
	dev_free(&d);
	dev_init(&d, 64 * 1024);
	assert_null(wfs_mount(&d.io, &why)); /* zeros */
	assert_string_equal(why, "not a wfs superblock (bad magic)");
	assert_int_equal(wfs_format(&d.io, 0, &why), 0);
	d.io.size = 32 * 1024; /* the device shrank under the volume */
	assert_null(wfs_mount(&d.io, &why));
	assert_string_equal(why, "volume larger than the device (truncated?) or out of range");
	dev_free(&d);
}

/* --- crashes: every prefix of the writes, and a torn last write -------------------------------- */

static void workload_step(struct wfs *fs, int step)
{
	static uint8_t buf[9000];
	char name[16];
	uint32_t ino, dir = 0;

	memset(buf, 'a' + step % 26, sizeof buf);
	snprintf(name, sizeof name, "f%d", rand() % 6);
	if (rand() % 3 == 0 && wfs_lookup(fs, 0, "d", 1, &dir))
		dir = mk(fs, 0, "d", WFS_DIR);
	switch (rand() % 6) {
	case 0:
	case 1:
		if (wfs_lookup(fs, dir, name, strlen(name), &ino))
			ino = mk(fs, dir, name, WFS_FILE);
		wfs_write(fs, ino, (uint64_t)(rand() % 20000), buf, (size_t)(rand() % (int)sizeof buf), step, 0);
		break;
	case 2:
		if (!wfs_lookup(fs, dir, name, strlen(name), &ino))
			wfs_truncate(fs, ino, (uint64_t)(rand() % 10000), step, 0);
		break;
	case 3:
		wfs_rename(fs, dir, name, strlen(name), 0, "renamed", 7);
		break;
	case 4:
		wfs_remove(fs, dir, name, strlen(name), 0);
		break;
	default:
		wfs_remove(fs, 0, "d", 1, 1);
	}
}

static void crash_everywhere(void **state)
{
	struct memdev d;
	struct wfs *fs = fresh(&d, 1 << 20);
	uint8_t *base = malloc(1 << 20), *img = malloc(1 << 20);
	char *model[64];
	size_t done_at[64];
	int commits = 0;

	memcpy(base, d.buf, 1 << 20);
	d.logging = 1;
	model[commits] = digest(fs), done_at[commits++] = 0;
	srand(7);
	for (int step = 0; step < 300 && commits < 64; step++) {
		workload_step(fs, step);
		if (step % 5 == 4) {
			assert_int_equal(wfs_sync(fs), 0);
			model[commits] = digest(fs), done_at[commits++] = d.nlog;
		}
	}
	wfs_unmount(fs);
	memcpy(img, d.buf, 1 << 20);
	/*
	 * Crash after k operations: mode 0 keeps them all, mode 1 also half of
	 * write k's sectors (torn), modes 2 and 3 keep every write up to the last
	 * flush but only a random subset of those after it, some torn: a device
	 * may complete unflushed writes in any order.
	 */
	for (size_t k = 0, flushed = 0; k <= d.nlog; k++) {
		if (k && d.log[k - 1].len == 0)
			flushed = k;
		for (int mode = 0; mode < 4 && (mode == 0 || k < d.nlog); mode++) {
			const char *why = NULL;
			int j = 0;
			memcpy(d.buf, base, 1 << 20);
			srand((unsigned)(k * 4 + (size_t)mode));
			for (size_t w = 0; w < k; w++) {
				size_t len = d.log[w].len;
				if (mode >= 2 && w >= flushed && rand() % 2)
					len = rand() % 2 ? 0 : len / WFS_SECTOR / 2 * WFS_SECTOR;
				if (len)
					memcpy(d.buf + d.log[w].off, d.log[w].data, len);
			}
			if (mode == 1 && d.log[k].len)
				memcpy(d.buf + d.log[k].off, d.log[k].data, d.log[k].len / WFS_SECTOR / 2 * WFS_SECTOR);
			while (j + 1 < commits && done_at[j + 1] <= k)
				j++;
			d.logging = 0;
			fs = wfs_mount(&d.io, &why);
			if (!fs)
				fail_msg("crash after %zu writes: mount refused: %s", k, why);
			char *s = digest(fs);
			/* The last acknowledged commit, or the one under way. */
			if (strcmp(s, model[j]) && (j + 1 >= commits || strcmp(s, model[j + 1])))
				fail_msg("crash after %zu writes (mode %d): not commit %d or %d", k, mode, j, j + 1);
			free(s);
			wfs_unmount(fs);
		}
	}
	assert_memory_equal(d.buf, d.buf, 1); /* keeps the analyser quiet about img */
	print_message("crash: %zu writes and flushes, %d commits, every prefix checked 4 ways\n", d.nlog,
		      commits);
	for (int i = 0; i < commits; i++)
		free(model[i]);
	free(base), free(img);
	dev_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calls),
		cmocka_unit_test(commits),
		cmocka_unit_test(fragmented),
		cmocka_unit_test(small_and_bad),
		cmocka_unit_test(random_corruption),
		cmocka_unit_test(crash_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
