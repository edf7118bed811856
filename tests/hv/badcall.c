/* SPDX-License-Identifier: ISC */
/* Feeds every call hostile arguments: each must fail cleanly, never kill the hv. */
#include "ct.h"

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want)
		return;
	put("FAIL ");
	putnum(what, got);
	failures++;
}

int main(const struct hako_start_info *si)
{
	static char buf[8] = "abc\n";
	const long hv = (long)0xffffffff80110000ul, dmap = (long)0xffff800000100000ul;

	expect("console NULL", call(HAKO_CALL_CONSOLE, 0, 4, 0, 0), -HAKO_EFAULT);
	expect("console NULL len 0", call(HAKO_CALL_CONSOLE, 0, 0, 0, 0), 0);
	expect("console hv", call(HAKO_CALL_CONSOLE, hv, 4, 0, 0), -HAKO_EFAULT);
	expect("console dmap", call(HAKO_CALL_CONSOLE, dmap, 4, 0, 0), -HAKO_EFAULT);
	expect("console wrap", call(HAKO_CALL_CONSOLE, (long)buf, -1L, 0, 0), -HAKO_EFAULT);
	expect("console wrap2", call(HAKO_CALL_CONSOLE, -16, 32, 0, 0), -HAKO_EFAULT);
	expect("console huge", call(HAKO_CALL_CONSOLE, (long)buf, 1L << 40, 0, 0), -HAKO_EFAULT);
	expect("console noncanon", call(HAKO_CALL_CONSOLE, (long)0x0000800000000000ul, 1, 0, 0),
	       -HAKO_EFAULT);
	expect("console last byte", call(HAKO_CALL_CONSOLE, (long)0x00007ffffffffffful, 1, 0, 0),
	       -HAKO_EFAULT);
	expect("console past end", call(HAKO_CALL_CONSOLE, (long)buf + 4096 * 64, 1, 0, 0),
	       -HAKO_EFAULT);
	expect("console ok", call(HAKO_CALL_CONSOLE, (long)buf, 4, 0, 0), 4);
	expect("console info page", call(HAKO_CALL_CONSOLE, (long)si->name, 1, 0, 0), 1);
	expect("console callpage", call(HAKO_CALL_CONSOLE, (long)HAKO_CALL_VA, 0, 0, 0), 0);
	call(HAKO_CALL_CONSOLE, (long)"\n", 1, 0, 0);
	int64_t wall = call(HAKO_CALL_TIME, HAKO_CLOCK_WALL, 0, 0, 0);
	expect("wall after 2024", wall > 1704067200000000000L, 1);
	expect("wall before 2100", wall < 4102444800000000000L, 1);
	int64_t m0 = now(), m1 = now();
	expect("monotonic", m0 > 0 && m1 >= m0, 1);
	expect("time bad clock", call(HAKO_CALL_TIME, 7, 0, 0, 0), -HAKO_EINVAL);
	expect("time -1", call(HAKO_CALL_TIME, -1, 0, 0, 0), -HAKO_EINVAL);
	expect("tls hv", call(HAKO_CALL_TLS_SET, hv, 0, 0, 0), -HAKO_EINVAL);
	expect("tls noncanon", call(HAKO_CALL_TLS_SET, (long)0x0000800000000000ul, 0, 0, 0),
	       -HAKO_EINVAL);
	expect("net send", call(HAKO_CALL_NET_SEND, 0, 0, 0, 0), -HAKO_ENOTSUP);
	expect("block read", call(HAKO_CALL_BLOCK_READ, 0, 0, 0, 0), -HAKO_ENOTSUP);
	expect("pkey alloc flags", call(HAKO_CALL_PKEY_ALLOC, 1, 0, 0, 0),
	       si->flags & HAKO_INFO_PKU ? -HAKO_EINVAL : -HAKO_ENOTSUP);
	expect("call 0", call(0, 0, 0, 0, 0), -HAKO_ENOSYS);
	expect("call 14", call(HAKO_CALL_MAX + 1, 0, 0, 0, 0), -HAKO_ENOSYS);
	expect("call -1", call(-1, 0, 0, 0, 0), -HAKO_ENOSYS);
	expect("call 1<<32", call(1L << 32 | HAKO_CALL_CONSOLE, (long)buf, 4, 0, 0), -HAKO_ENOSYS);
	expect("yield past", call(HAKO_CALL_YIELD, -5, 0, 0, 0), 0);
	/* A console buffer into not-yet-touched heap is brought in on demand. */
	expect("console heap", call(HAKO_CALL_CONSOLE, (long)si->heap_base + 8192, 1, 0, 0), 1);
	call(HAKO_CALL_CONSOLE, (long)"\n", 1, 0, 0);
	/* TLS: the FS base is ours and follows us across switches. */
	static uint64_t tls[2] = { 0x1234 };
	expect("tls ok", call(HAKO_CALL_TLS_SET, (long)tls, 0, 0, 0), 0);
	uint64_t v;
	call(HAKO_CALL_YIELD, 0, 0, 0, 0);
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	expect("tls read", (long)v, 0x1234);
	putnum("failures", failures);
	return failures ? 1 : 0;
}
