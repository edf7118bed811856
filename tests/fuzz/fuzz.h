/* SPDX-License-Identifier: ISC */
/* Fuzz targets (libFuzzer): the entry point and a check that stops the run on a broken promise. */
#ifndef HAKO_FUZZ_H
#define HAKO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parser accepted something it promises never to accept, or handed out a bad value. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                           \
		}                                                                          \
	} while (0)

#endif /* HAKO_FUZZ_H */
