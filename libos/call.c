/* SPDX-License-Identifier: ISC */
/* call.c: the platform call and the thin public API over it (hako.h); the exit is exit.c's. */
#include "libos.h"

typedef long (*call_page_fn)(long nr, long a0, long a1, long a2, long a3);

long hako_call(long nr, long a0, long a1, long a2, long a3)
{
	/* The call page is platform code at a fixed address (abi.h); we only call it. */
	return ((call_page_fn)HAKO_CALL_VA)(nr, a0, a1, a2, a3);
}

const struct hako_start_info *hako_start_info(void)
{
	return (const struct hako_start_info *)HAKO_INFO_VA;
}

long hako_console(const char *buf, size_t len)
{
	size_t done = 0;

	/* The platform MAY take fewer bytes than asked; bounded: each round takes >= 1. */
	while (done < len) {
		long n = hako_call(HAKO_CALL_CONSOLE, (long)(buf + done), (long)(len - done), 0, 0);
		if (n <= 0)
			return done ? (long)done : (n ? n : -HAKO_EIO);
		done += (size_t)n;
	}
	return (long)done;
}

int64_t hako_time(int clock)
{
	return hako_call(HAKO_CALL_TIME, clock, 0, 0, 0);
}

long hako_yield(int64_t deadline)
{
	return hako_call(HAKO_CALL_YIELD, deadline, 0, 0, 0);
}

long hako_net_send(const struct hako_iov *frames, size_t n)
{
	return hako_call(HAKO_CALL_NET_SEND, (long)frames, (long)n, 0, 0);
}

long hako_net_recv(struct hako_iov *bufs, size_t n)
{
	return hako_call(HAKO_CALL_NET_RECV, (long)bufs, (long)n, 0, 0);
}

long hako_block_read(uint64_t offset, void *buf, size_t len)
{
	return hako_call(HAKO_CALL_BLOCK_READ, (long)offset, (long)buf, (long)len, 0);
}

long hako_block_write(uint64_t offset, const void *buf, size_t len)
{
	return hako_call(HAKO_CALL_BLOCK_WRITE, (long)offset, (long)buf, (long)len, 0);
}

long hako_block_flush(void)
{
	return hako_call(HAKO_CALL_BLOCK_FLUSH, 0, 0, 0, 0);
}

long hako_pkey_alloc(unsigned flags, unsigned access)
{
	return hako_call(HAKO_CALL_PKEY_ALLOC, flags, access, 0, 0);
}

long hako_pkey_free(int pkey)
{
	return hako_call(HAKO_CALL_PKEY_FREE, pkey, 0, 0, 0);
}

long hako_pkey_mprotect(void *addr, size_t len, int prot, int pkey)
{
	return hako_call(HAKO_CALL_PKEY_MPROTECT, (long)addr, (long)len, prot, pkey);
}
