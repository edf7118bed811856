/* hako-mkfs: the stand-alone image builder (also `hako mkfs`). */
#include "mkfs.h"

int main(int argc, char **argv)
{
	argv[0] = "hako-mkfs";
	return mkfs_main(argc, argv);
}
