/* SPDX-License-Identifier: ISC */
/* The boot bundle is hostile input: every size, offset and string is checked before use. */
#include "bundle.h"

#include "blk.h"
#include "hako/bundle.h"
#include "hako/name.h"
#include "lib.h"
#include "net.h"
#include "pd.h"
#include "sched.h"

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

static int entry_ok(const struct hako_bundle_entry *e, uint64_t size, const char **why)
{
	uint32_t nstr = 0;

	if (e->mem_mib < HAKO_MEM_MIN_MIB || e->mem_mib > HAKO_MEM_MAX_MIB)
		return fail(why, "memory size out of range");
	/* Both tests: image_offset + image_size may wrap. */
	if (e->image_offset > size || e->image_size > size - e->image_offset)
		return fail(why, "image outside the bundle");
	if (e->strings_len > HAKO_STRINGS_MAX)
		return fail(why, "argument strings too long");
	if (e->strings_len && e->strings[e->strings_len - 1] != 0)
		return fail(why, "argument strings not NUL-terminated");
	for (uint32_t i = 0; i < e->strings_len; i++)
		nstr += e->strings[i] == 0;
	if ((uint64_t)e->argc + e->envc != nstr)
		return fail(why, "argument count does not match the strings");
	if ((e->flags & ~HAKO_BUNDLE_FLAGS) || e->reserved)
		return fail(why, "unknown flags or reserved fields set");
	if ((e->flags & HAKO_BUNDLE_NET) && (e->mac[0] & 1))
		return fail(why, "MAC address is not unicast");
	/* Both tests: block_offset + block_size may wrap. Checked against the disk when attached. */
	if ((e->flags & HAKO_BUNDLE_BLOCK) &&
	    (!e->block_size || (e->block_offset | e->block_size) % 512 ||
	     e->block_offset > UINT64_MAX - e->block_size))
		return fail(why, "bad block slice");
	return 0;
}

/* A domain for entry e (checked) and its devices; NULL with *why set, nothing left allocated. */
static struct pd *create(const struct hako_bundle_entry *e, const void *image, const char **why)
{
	struct pd *pd = pd_create(e, image, e->image_size, net_pages(e), why);

	if (pd && (blk_attach(pd, e, why) || net_attach(pd, e, why))) {
		pd_destroy(pd);
		return NULL;
	}
	return pd;
}

int bundle_load(const void *b, size_t size, const char **why)
{
	const struct hako_bundle_header *h = b;
	const struct hako_bundle_entry *e;

	if (!b || size < sizeof(*h))
		return fail(why, "no bundle (initrd missing or too small)");
	if (h->magic != HAKO_BUNDLE_MAGIC || h->version != HAKO_BUNDLE_VERSION)
		return fail(why, "not a hako bundle of this version");
	/* A declared size below the header's own would wrap the count check below. */
	if (h->size > size || h->size < sizeof(*h) || h->reserved)
		return fail(why, "bundle header is damaged");
	size = h->size;
	if (h->count == 0 || h->count > HAKO_BUNDLE_MAX ||
	    h->count > (size - sizeof(*h)) / sizeof(*e))
		return fail(why, "bad container count");

	e = (const void *)(h + 1);
	for (uint32_t i = 0; i < h->count; i++, e++) {
		char name[HAKO_NAME_MAX];
		const char *err;
		struct pd *pd;

		/* strnlen: a name that fills the field has no NUL and fails. */
		if (!hako_name_ok(e->name, strnlen(e->name, HAKO_NAME_MAX))) {
			sched_failed("(unnamed)", "bad container name in the bundle");
			continue;
		}
		memcpy(name, e->name, sizeof(name));
		if (entry_ok(e, size, &err)) {
			sched_failed(name, err);
			continue;
		}
		pd = create(e, (const uint8_t *)b + e->image_offset, &err);
		if (!pd) {
			sched_failed(name, err);
			continue;
		}
		sched_add(pd);
	}
	return (int)h->count;
}
