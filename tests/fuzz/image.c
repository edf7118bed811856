/* SPDX-License-Identifier: ISC */
/* Fuzz target: the container image validator (lib/image.c), and what it promises the loaders. */
#include "fuzz.h"

#include <string.h>

#include "hako/abi.h"
#include "image.h"

#define PAGE HAKO_PAGE_SIZE

/* What pd.c and the proc tender rely on once img_parse() said yes. */
static void check_accepted(const uint8_t *file, size_t size, const struct img *img)
{
	uint64_t total = 0, sum = 0;
	int entry_found = 0;

	FUZZ_CHECK(img->nseg >= 1 && img->nseg <= IMG_MAX_SEGS);
	FUZZ_CHECK(img->abi_major == HAKO_ABI_MAJOR);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct img_segment *s = &img->seg[i];
		FUZZ_CHECK(s->vaddr % PAGE == 0 && s->memsz % PAGE == 0 && s->memsz > 0);
		FUZZ_CHECK(s->vaddr >= HAKO_IMAGE_MIN && s->vaddr < HAKO_IMAGE_MAX);
		FUZZ_CHECK(s->memsz <= HAKO_IMAGE_MAX - s->vaddr);
		FUZZ_CHECK(s->skip < PAGE && s->filesz <= s->memsz - s->skip);
		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_CHECK(!((s->prot & IMG_W) && (s->prot & IMG_X)));
		FUZZ_CHECK(i == 0 || s->vaddr >= img->seg[i - 1].vaddr + img->seg[i - 1].memsz);
		if ((s->prot & IMG_X) && img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
			entry_found = 1;
		total += s->memsz;
		/* Touch every byte a loader copies: out of the buffer, ASan stops here. */
		for (uint64_t k = 0; k < s->filesz; k += 61)
			sum += file[s->offset + k];
	}
	FUZZ_CHECK(total <= IMG_MAX_SIZE);
	FUZZ_CHECK(entry_found);
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct img img;

	memset(&img, 0xa5, sizeof(img)); /* nothing is read before it is written */
	if (img_parse(data, size, &img, &why) == 0) {
		check_accepted(data, size, &img);
		return 0;
	}
	/* Refused: with one short line of reason. */
	FUZZ_CHECK(why && why[0] && strlen(why) < 100 && !strchr(why, '\n'));
	return 0;
}
