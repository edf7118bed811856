/* SPDX-License-Identifier: ISC */
/* fs_mmap.c: mmap of files: a copy read in at mmap; MAP_SHARED copies written back by msync, munmap and fsync. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "fd.h"
#include "fs_wfs.h"
#include "libos.h"

#define PAGE       4096u
#define SHARED_MAX 64 /* writable shared mappings at once */

/* A writable MAP_SHARED mapping of a wfs file: [addr, addr + len) holds the file from off. */
static struct shared_map {
	uint64_t addr, len, off;
	uint32_t ino;
	int used;
} shared[SHARED_MAX];

/* The part [from, to) of mapping m goes back to its file, up to the file's end (as Linux: no growth). */
static void write_back(const struct shared_map *m, uint64_t from, uint64_t to)
{
	struct wfs_stat st;
	uint64_t pos = m->off + (from - m->addr), len = to - from;
	int64_t sec;
	uint32_t nsec;

	if (wfs_stat(wfs_vol, m->ino, &st) || pos >= st.size)
		return;
	if (len > st.size - pos)
		len = st.size - pos;
	wfs_now(&sec, &nsec);
	wfs_write(wfs_vol, m->ino, pos, (const void *)from, (size_t)len, sec, nsec);
}

static long add_shared(uint64_t addr, uint64_t len, uint64_t off, uint32_t ino)
{
	for (int i = 0; i < SHARED_MAX; i++)
		if (!shared[i].used) {
			shared[i] = (struct shared_map){ addr, len, off, ino, 1 };
			wfs_ref(wfs_vol, ino);
			return 0;
		}
	return -ENOMEM;
}

long fs_sys_mmap(uint64_t addr, uint64_t len, long prot, long flags, long fd, long off)
{
	struct file *f;
	struct wfs_file *wf;
	long p, n, type = flags & MAP_TYPE;
	int share_write;

	if (flags & MAP_ANONYMOUS)
		return libos_mmap(addr, len, prot, flags, fd, off);
	if (!(f = fd_get(fd)))
		return -EBADF;
	if (off < 0 || off % PAGE || (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	wf = wfs_file_of(f);
	share_write = type != MAP_PRIVATE && (prot & PROT_WRITE);
	if (share_write && (!wf || (f->status & O_ACCMODE) != O_RDWR || wfs_readonly))
		return wf || (f->status & O_ACCMODE) != O_RDONLY ? -EACCES : -EROFS;
	p = libos_mmap(addr, len, prot, (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0)
		return p;
	n = fs_sys_pread64(fd, (void *)p, (size_t)len, off);
	if (n == -ESPIPE || n == -EISDIR || n == -EBADF) /* the console, a socket, a directory */
		n = n == -EBADF ? -EACCES : -ENODEV;
	if (n >= 0 && share_write && add_shared((uint64_t)p, len, (uint64_t)off, wf->ino))
		n = -ENOMEM;
	if (n < 0) {
		libos_munmap((uint64_t)p, len);
		return n;
	}
	memset((char *)p + n, 0, (size_t)(len - (uint64_t)n));
	return p;
}

/* Writes back every shared mapping's part inside [addr, addr + len); unmap also forgets it. */
static void each_overlap(uint64_t addr, uint64_t len, int unmap)
{
	uint64_t end = addr + len;

	for (int i = 0; i < SHARED_MAX; i++) {
		struct shared_map m = shared[i];
		uint64_t from = m.addr > addr ? m.addr : addr, to = m.addr + m.len < end ? m.addr + m.len : end;
		if (!m.used || from >= to)
			continue;
		write_back(&m, from, to);
		if (!unmap)
			continue;
		shared[i].used = 0;
		if (from > m.addr)
			add_shared(m.addr, from - m.addr, m.off, m.ino);
		if (to < m.addr + m.len) /* without a free slot the tail is no longer written back */
			add_shared(to, m.addr + m.len - to, m.off + (to - m.addr), m.ino);
		wfs_unref(wfs_vol, m.ino);
	}
}

long fs_sys_msync(uint64_t addr, uint64_t len, long flags)
{
	if (addr % PAGE || (flags & ~(long)(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || addr + len < addr)
		return -EINVAL;
	each_overlap(addr, len, 0);
	return flags & MS_SYNC ? fs_sys_sync() : 0;
}

long fs_sys_munmap(uint64_t addr, uint64_t len)
{
	if (addr + len >= addr)
		each_overlap(addr, len, 1);
	return libos_munmap(addr, len);
}

void fs_mmap_write_back(void)
{
	each_overlap(0, UINT64_MAX, 0);
}
