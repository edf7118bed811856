/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target: the hv's boot bundle parser (hv/bundle.c), built for the
 * host. The domain builder, the devices and the scheduler are stubs that
 * check what the parser hands them: an entry and an image inside the
 * bundle, a name that is NUL-terminated.
 */
#include "fuzz.h"

#include <string.h>

#include "blk.h"
#include "bundle.h"
#include "hako/bundle.h"
#include "image.h"
#include "net.h"
#include "pd.h"
#include "sched.h"

static const uint8_t *bundle_start;
static size_t bundle_size;
static unsigned created, failed;
static struct pd the_pd;

static int inside(const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= bundle_start && (size_t)(b - bundle_start) <= bundle_size &&
	       len <= bundle_size - (size_t)(b - bundle_start);
}

struct pd *pd_create(const struct hako_bundle_entry *e, const void *image, size_t size,
		     uint64_t reserve, const char **why)
{
	struct img img;

	FUZZ_CHECK(inside(e, sizeof(*e)));
	FUZZ_CHECK(inside(image, size));
	FUZZ_CHECK(e->strings_len <= HAKO_STRINGS_MAX);
	FUZZ_CHECK(e->mem_mib >= HAKO_MEM_MIN_MIB && e->mem_mib <= HAKO_MEM_MAX_MIB);
	FUZZ_CHECK(memchr(e->name, 0, sizeof(e->name)));
	if (img_parse(image, size, &img, why))
		return NULL;
	return &the_pd;
}

uint64_t net_pages(const struct hako_bundle_entry *e)
{
	FUZZ_CHECK(inside(e, sizeof(*e)));
	return 0;
}

int blk_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why)
{
	FUZZ_CHECK(pd == &the_pd && inside(e, sizeof(*e)));
	return 0;
}

int net_attach(struct pd *pd, const struct hako_bundle_entry *e, const char **why)
{
	FUZZ_CHECK(pd == &the_pd && inside(e, sizeof(*e)));
	return 0;
}

void pd_destroy(struct pd *pd)
{
	FUZZ_CHECK(pd == &the_pd);
}

void sched_add(struct pd *pd)
{
	FUZZ_CHECK(pd == &the_pd);
	created++;
}

void sched_failed(const char *name, const char *why)
{
	FUZZ_CHECK(strnlen(name, HAKO_NAME_MAX) < HAKO_NAME_MAX);
	FUZZ_CHECK(why && why[0]);
	failed++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	int n;

	bundle_start = data;
	bundle_size = size;
	if (size >= sizeof(struct hako_bundle_header)) { /* the size the header declares binds */
		uint64_t declared;
		memcpy(&declared, data + offsetof(struct hako_bundle_header, size), 8);
		if (declared < size)
			bundle_size = (size_t)declared;
	}
	created = failed = 0;
	n = bundle_load(size ? data : NULL, size, &why);
	if (n < 0) {
		FUZZ_CHECK(why && why[0] && created == 0 && failed == 0);
		return 0;
	}
	/* Every entry counted was either started or reported, exactly once. */
	FUZZ_CHECK(n >= 1 && (unsigned)n == created + failed);
	return 0;
}
