/* SPDX-License-Identifier: ISC */
/* hako-mkfs: the stand-alone image builder (also `hako mkfs`). */
#include "mkfs.h"

int main(int argc, char **argv)
{
	static char name[] = "hako-mkfs"; /* for its messages */

	argv[0] = name;
	return mkfs_main(argc, argv);
}
