/* SPDX-License-Identifier: ISC */
/* mkfs: build a read-only hfs image (lib/hfs.h) from a directory tree. */
#ifndef HAKO_TOOLS_MKFS_H
#define HAKO_TOOLS_MKFS_H

/*
 * The mkfs command: argv[0] is the name errors are reported under ("hako-mkfs"
 * or "hako mkfs"), then [--mtime SECONDS] DIR IMAGE. Returns the exit status:
 * 0 on success, 1 on bad input (one line on stderr), 2 on bad usage. IMAGE
 * appears whole or not at all.
 */
int mkfs_main(int argc, char **argv);

/* mkfs_wfs.c: argv[1] is "--writable", then [--size SIZE] [--mtime SECONDS] [DIR] IMAGE. */
int mkfs_wfs_main(int argc, char **argv);

/* The fsck command: [--cat PATH] IMAGE; 0 for a clean volume, 1 refused, 2 bad usage. */
int fsck_main(int argc, char **argv);

#endif /* HAKO_TOOLS_MKFS_H */
