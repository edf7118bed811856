/* SPDX-License-Identifier: ISC */
/* hako CLI: starting containers, as `hako run` does, for the other commands that start some. */
#ifndef HAKO_RUN_H
#define HAKO_RUN_H

#include "spec.h"

/*
 * Run specs[0..n) side by side in one hypervisor, recorded in the state
 * folder and supervised; detach: as `hako run -d`. Returns the exit
 * status for the shell (as `hako run --platform hv`).
 */
int run_hv_specs(const struct spec *specs, unsigned n, int detach);

#endif /* HAKO_RUN_H */
