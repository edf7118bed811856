/* SPDX-License-Identifier: ISC */
/*
 * Calls with buffers the caller's PKRU does not allow: each must fail with
 * -EFAULT and nothing read or written (the hv copies through supervisor
 * mappings, where PKRU does not apply: it has to check the keys itself).
 *   console | block (needs -v) | net (needs --net switch, and a "beacon")
 *   net-solo   the net checks that need no frame (a network, no peer)
 *   beacon     sends one broadcast, then counts the frames from "net"
 *   blockhold N   N block reads into a keyed buffer while a neighbour with
 *                 other rights to the same key number runs
 */
#include "ct.h"

#define PAGE 4096
#define R HAKO_PROT_READ
#define W HAKO_PROT_WRITE
#define ETYPE 0x88b6

static int failures;
static uint8_t *heap;
static long closed, wd; /* keys: access-disabled, write-disabled */

static long pkey_mprotect(void *addr, long len, long prot, long key)
{
	return call(HAKO_CALL_PKEY_MPROTECT, (long)addr, len, prot, key);
}

static void expect(const char *what, long got, long want)
{
	if (got == want)
		return;
	put("FAIL ");
	putnum(what, got);
	failures++;
}

static void fill(void *p, int c, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		((volatile uint8_t *)p)[i] = (uint8_t)c;
}

static int all(const void *p, int c, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (((const volatile uint8_t *)p)[i] != (uint8_t)c)
			return 0;
	return 1;
}

/* Heap page i, filled with c, then given prot and key (filled first: key 0 lets us). */
static uint8_t *page(unsigned i, int c, long prot, long key)
{
	uint8_t *p = heap + (uint64_t)i * PAGE;

	fill(p, c, PAGE);
	if (pkey_mprotect(p, PAGE, prot, key)) {
		putnum("pkey_mprotect failed for page", i);
		quit(3);
	}
	return p;
}

static void setup(const struct hako_start_info *si)
{
	heap = (uint8_t *)si->heap_base;
	closed = call(HAKO_CALL_PKEY_ALLOC, 0, HAKO_PKEY_DISABLE_ACCESS, 0, 0);
	wd = call(HAKO_CALL_PKEY_ALLOC, 0, HAKO_PKEY_DISABLE_WRITE, 0, 0);
	if (closed < 0 || wd < 0)
		quit(3);
}

static void text(uint8_t *p, const char *s)
{
	while (*s)
		*p++ = (uint8_t)*s++;
}

static void console(void)
{
	uint8_t *c = page(1, 0, R | W, -1), *w = page(2, 0, R | W, -1);

	page(3, 0, R | W, -1);
	page(4, 'N', R | W, -1); /* PROT_NONE below */
	text(c, "LEAKED-SECRET\n");
	text(heap + 4 * PAGE - 8, "LEAKED-ACROSS\n"); /* pages 3 and 4 */
	text(w, "readable through a WD key\n");
	pkey_mprotect(c, PAGE, R | W, closed);
	pkey_mprotect(w, PAGE, R | W, wd);
	pkey_mprotect(heap + 4 * PAGE, PAGE, R | W, closed);
	expect("console from a closed key", call(HAKO_CALL_CONSOLE, (long)c, 14, 0, 0), -HAKO_EFAULT);
	expect("console across into a closed key",
	       call(HAKO_CALL_CONSOLE, (long)(heap + 4 * PAGE - 8), 14, 0, 0), -HAKO_EFAULT);
	pkey_mprotect(heap + 4 * PAGE, PAGE, 0, -1);
	expect("console from PROT_NONE", call(HAKO_CALL_CONSOLE, (long)(heap + 4 * PAGE), 4, 0, 0),
	       -HAKO_EFAULT);
	expect("console through a WD key", call(HAKO_CALL_CONSOLE, (long)w, 26, 0, 0), 26);
}

static void block(void)
{
	uint8_t *good = page(1, 'D', R | W, -1), *c = page(2, 'X', R | W, closed);
	uint8_t *w = page(3, 'W', R | W, wd), *ro = page(4, 'O', R, -1);

	expect("write the D sector", call(HAKO_CALL_BLOCK_WRITE, 0, (long)good, 512, 0), 512);
	expect("write from a closed key", call(HAKO_CALL_BLOCK_WRITE, 0, (long)c, 512, 0),
	       -HAKO_EFAULT);
	expect("read into a closed key", call(HAKO_CALL_BLOCK_READ, 0, (long)c, 512, 0),
	       -HAKO_EFAULT);
	expect("read into a WD key", call(HAKO_CALL_BLOCK_READ, 0, (long)w, 512, 0), -HAKO_EFAULT);
	expect("WD buffer unchanged", all(w, 'W', PAGE), 1);
	expect("read into PROT_READ", call(HAKO_CALL_BLOCK_READ, 0, (long)ro, 512, 0), -HAKO_EFAULT);
	expect("read across into a WD key",
	       call(HAKO_CALL_BLOCK_READ, 0, (long)(w - 512), 1024, 0), -HAKO_EFAULT);
	fill(good, 'G', PAGE);
	expect("read back", call(HAKO_CALL_BLOCK_READ, 0, (long)good, 512, 0), 512);
	expect("the sector is still D", all(good, 'D', 512), 1);
}

static void frame_to_all(uint8_t *f, const struct hako_start_info *si, const char *text)
{
	for (int i = 0; i < 6; i++)
		f[i] = 0xff, f[6 + i] = si->mac[i];
	f[12] = ETYPE >> 8, f[13] = ETYPE & 0xff;
	for (int i = 0; text[i]; i++)
		f[14 + i] = (uint8_t)text[i];
}

/* peer: a beacon's frame is on the way; without one, only the checks that need none. */
static void net(const struct hako_start_info *si, int peer)
{
	uint8_t *c = page(1, 0, R | W, -1), *w = page(2, 'W', R | W, wd), *good = page(3, 0, R | W, -1);
	struct hako_iov *iov = (struct hako_iov *)(heap + 4 * PAGE);
	int64_t end = now() + 5000000000;

	page(4, 0, R | W, -1);
	frame_to_all(c, si, "bad");
	pkey_mprotect(c, PAGE, R | W, closed);
	while (peer && !(call(HAKO_CALL_YIELD, end, 0, 0, 0) & HAKO_READY_NET) && now() < end)
		;
	iov[0] = (struct hako_iov){ (uint64_t)w, HAKO_FRAME_MAX, 0 };
	expect("recv into a WD key", call(HAKO_CALL_NET_RECV, (long)iov, 1, 0, 0), -HAKO_EFAULT);
	expect("WD buffer unchanged", all(w, 'W', PAGE), 1);
	iov[0] = (struct hako_iov){ (uint64_t)good, HAKO_FRAME_MAX, 0 };
	pkey_mprotect(iov, PAGE, R | W, wd);
	expect("recv with the iov in a WD key", call(HAKO_CALL_NET_RECV, (long)iov, 1, 0, 0),
	       -HAKO_EFAULT);
	pkey_mprotect(iov, PAGE, R | W, -1);
	if (peer)
		expect("recv: the frame was still queued", call(HAKO_CALL_NET_RECV, (long)iov, 1, 0, 0), 1);
	iov[0] = (struct hako_iov){ (uint64_t)c, 60, 0 };
	expect("send from a closed key", call(HAKO_CALL_NET_SEND, (long)iov, 1, 0, 0), -HAKO_EFAULT);
	iov[0] = (struct hako_iov){ (uint64_t)good, 60, 0 };
	frame_to_all(good, si, "good");
	pkey_mprotect(iov, PAGE, R | W, closed);
	expect("send with the iov in a closed key", call(HAKO_CALL_NET_SEND, (long)iov, 1, 0, 0),
	       -HAKO_EFAULT);
	pkey_mprotect(iov, PAGE, R | W, -1);
	if (peer)
		expect("send the good frame", call(HAKO_CALL_NET_SEND, (long)iov, 1, 0, 0), 1);
}

/* The peer: one broadcast for "net" to receive, then count what "net" sends. */
static int beacon(const struct hako_start_info *si)
{
	static uint8_t f[HAKO_FRAME_MAX];
	struct hako_iov v = { (uint64_t)f, 60, 0 };
	int64_t end = now() + 5000000000, quiet = 0;
	long got = 0, good = 0;

	frame_to_all(f, si, "hello");
	expect("beacon sent", call(HAKO_CALL_NET_SEND, (long)&v, 1, 0, 0), 1);
	while (now() < end && (!quiet || now() < quiet)) {
		v.len = HAKO_FRAME_MAX;
		if (call(HAKO_CALL_NET_RECV, (long)&v, 1, 0, 0) != 1) {
			call(HAKO_CALL_YIELD, now() + 10000000, 0, 0, 0);
			continue;
		}
		if (f[12] != ETYPE >> 8 || f[13] != (ETYPE & 0xff))
			continue;
		got++;
		if (f[14] == 'g' && f[15] == 'o') {
			good++;
			quiet = now() + 100000000; /* anything else would come right after */
		}
	}
	putnum("frames from net", got);
	putnum("good frames", good);
	return 0;
}

static void blockhold(long n)
{
	uint8_t *buf = page(1, 'K', R | W, -1);
	long ok = 0;

	/* Key 3 open here; the neighbour has key 3 access-disabled and spins. */
	expect("key", closed, 3);
	call(HAKO_CALL_PKEY_FREE, closed, 0, 0, 0);
	closed = call(HAKO_CALL_PKEY_ALLOC, 0, 0, 0, 0);
	for (unsigned i = 1; i <= 16; i++)
		page(i, 'K', R | W, closed);
	expect("write K", call(HAKO_CALL_BLOCK_WRITE, 0, (long)buf, 65536, 0), 65536);
	for (long i = 0; i < n; i++) {
		fill(buf, 0, 65536);
		ok += call(HAKO_CALL_BLOCK_READ, 0, (long)buf, 65536, 0) == 65536 &&
		      all(buf, 'K', 65536);
	}
	putnum("reads ok", ok);
}

int main(const struct hako_start_info *si)
{
	const char *what = arg(si, 1);

	setup(si);
	if (eq(what, "console"))
		console();
	else if (eq(what, "block"))
		block();
	else if (eq(what, "net"))
		net(si, 1);
	else if (eq(what, "net-solo"))
		net(si, 0);
	else if (eq(what, "beacon"))
		return beacon(si);
	else if (eq(what, "blockhold"))
		blockhold(num(arg(si, 2)));
	else
		return 3;
	putnum("failures", failures);
	return failures ? 1 : 0;
}
