/* SPDX-License-Identifier: ISC */
/* hv platform, host side: pack the containers of a run into a boot bundle (hako/bundle.h). */
#include "hv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The first container before i with the same image bytes, or i. */
static unsigned same_image(const struct hv_run *r, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (r->c[j].size == r->c[i].size && !memcmp(r->c[j].image, r->c[i].image, r->c[i].size))
			return j;
	return i;
}

/*
 * Header, entries, then each distinct image once, at a 4 KiB-aligned
 * offset: containers running the same program share one copy, which lets
 * the hv share its read-only pages too.
 */
int hv_bundle_write(const struct hv_run *r, int fd, uint64_t *size)
{
	static const char zero[4096];
	struct hako_bundle_header h = { .magic = HAKO_BUNDLE_MAGIC, .version = HAKO_BUNDLE_VERSION,
					.count = r->n };
	uint64_t off = sizeof(h) + (uint64_t)r->n * sizeof(struct hako_bundle_entry);

	for (unsigned i = 0, j; i < r->n; i++) {
		r->c[i].e.image_size = r->c[i].size;
		if ((j = same_image(r, i)) < i) {
			r->c[i].e.image_offset = r->c[j].e.image_offset;
			continue;
		}
		off = (off + 4095) & ~4095ull;
		r->c[i].e.image_offset = off;
		off += r->c[i].size;
	}
	h.size = off;
	*size = off;
	if (write_all(fd, &h, sizeof(h)))
		return -1;
	off = sizeof(h);
	for (unsigned i = 0; i < r->n; i++, off += sizeof(r->c[i].e))
		if (write_all(fd, &r->c[i].e, sizeof(r->c[i].e)))
			return -1;
	for (unsigned i = 0; i < r->n; i++) {
		if (same_image(r, i) < i)
			continue;
		if (write_all(fd, zero, r->c[i].e.image_offset - off) ||
		    write_all(fd, r->c[i].image, r->c[i].size))
			return -1;
		off = r->c[i].e.image_offset + r->c[i].size;
	}
	return 0;
}
