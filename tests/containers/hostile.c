/* SPDX-License-Identifier: ISC */
/*
 * hostile: every call with hostile arguments, one "what = result" line
 * each. Only the platform's answers are printed, never an address, so
 * the same image must print the same lines on every platform (the test
 * compares them line by line). Ends with exit(0x107): status 7.
 * usage: hostile        (with or without a network and a block device)
 *        hostile int80  (a 32-bit system call: the platform kills it)
 *        hostile fuzz SEED N  (N random calls; each printed as "fuzz I: call(args) = r",
 *                              its arguments named as place+offset, not as addresses)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

#define KERNEL   0xffffffff80000000ul /* the hv's own half */
#define NONCANON 0x0000800000000000ul
#define LAST     0x00007ffffffff000ul /* the last page of the low half */
#define UNMAPPED 0x200000ul           /* below the image, above the info page */
#define BS       512

static const struct hako_start_info *si;
static uint64_t heap_end;
static const struct hako_iov ro_iov[2] = { { 0, 13, 0 }, { 0, 13, 0 } };
static uint8_t frame[2 * HAKO_FRAME_MAX];
static char text[8192] __attribute__((aligned(4096)));

/* The raw call, through the call page: nothing of the libOS in between. */
static long call(long nr, long a0, long a1, long a2, long a3)
{
	return ((long (*)(long, long, long, long, long))HAKO_CALL_VA)(nr, a0, a1, a2, a3);
}

/*
 * The 8 bytes at the call page's offset 2: on proc the tender's address
 * the page jumps to (movabs), elsewhere whatever the page holds there.
 * Never the container's memory.
 */
static uint64_t target(void)
{
	uint64_t t;

	memcpy(&t, (const uint8_t *)HAKO_CALL_VA + 2, sizeof(t));
	return t;
}

static void say(const char *what, long got)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%s = %ld\n", what, got);

	hako_console(line, (size_t)n);
}

static void console_calls(void)
{
	char *tail = (char *)heap_end - 64;

	say("console NULL", call(HAKO_CALL_CONSOLE, 0, 1, 0, 0));
	say("console NULL len 0", call(HAKO_CALL_CONSOLE, 0, 0, 0, 0));
	say("console hv memory", call(HAKO_CALL_CONSOLE, (long)KERNEL, 1, 0, 0));
	say("console non-canonical", call(HAKO_CALL_CONSOLE, (long)NONCANON, 1, 0, 0));
	say("console last page", call(HAKO_CALL_CONSOLE, (long)LAST, 1, 0, 0));
	say("console wrapping", call(HAKO_CALL_CONSOLE, -16, 32, 0, 0));
	say("console unmapped", call(HAKO_CALL_CONSOLE, (long)UNMAPPED, 1, 0, 0));
	/* 32 lines of 127 characters: len is cut to HAKO_CONSOLE_MAX */
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = i % 128 == 127 ? '\n' : (char)('a' + i / 128 % 26);
	say("console len -1", call(HAKO_CALL_CONSOLE, (long)text, -1, 0, 0));
	memset(tail, '.', 63);
	memcpy(tail, "the last 64 bytes of the heap ", 30);
	tail[63] = '\n';
	say("console heap tail", call(HAKO_CALL_CONSOLE, (long)tail, 64, 0, 0));
	say("console 1 byte past the heap", call(HAKO_CALL_CONSOLE, (long)tail, 65, 0, 0));
	say("console 64 KiB past the heap", call(HAKO_CALL_CONSOLE, (long)tail, 64 + (64 << 10), 0, 0));
	say("console 1 MiB past the heap", call(HAKO_CALL_CONSOLE, (long)tail, 64 + (1 << 20), 0, 0));
	say("console at the call page's target", call(HAKO_CALL_CONSOLE, (long)target(), 16, 0, 0));
	say("console below the stack", call(HAKO_CALL_CONSOLE, (long)si->stack_base - 1, 2, 0, 0));
	say("console above the stack",
	    call(HAKO_CALL_CONSOLE, (long)(si->stack_base + si->stack_size - 1), 2, 0, 0));
	call(HAKO_CALL_CONSOLE, (long)"[", 1, 0, 0);
	say("] console from the info page",
	    call(HAKO_CALL_CONSOLE, (long)si->name, (long)strlen(si->name), 0, 0));
	say("console call page len 0", call(HAKO_CALL_CONSOLE, (long)HAKO_CALL_VA, 0, 0, 0));
}

/* tls_set(base), then our own thread pointer back before anything reads TLS. */
static long tls(uint64_t base)
{
	uint64_t self;
	long r;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(self));
	r = call(HAKO_CALL_TLS_SET, (long)base, 0, 0, 0);
	call(HAKO_CALL_TLS_SET, (long)self, 0, 0, 0);
	return r;
}

static void misc_calls(void)
{
	say("tls 0", tls(0));
	say("tls below the last page", tls(LAST - 1));
	say("tls last page", tls(LAST));
	say("tls last byte", tls(NONCANON - 1));
	say("tls non-canonical", tls(NONCANON));
	say("tls -1", tls(~0ul));
	say("tls hv memory", tls(KERNEL));
	say("time clock 2", call(HAKO_CALL_TIME, 2, 0, 0, 0));
	say("time clock -1", call(HAKO_CALL_TIME, -1, 0, 0, 0));
	say("time clock 1<<32", call(HAKO_CALL_TIME, 1L << 32, 0, 0, 0));
	say("yield long ago >= 0", call(HAKO_CALL_YIELD, INT64_MIN, 0, 0, 0) >= 0);
	say("pkey_alloc", call(HAKO_CALL_PKEY_ALLOC, 0, 0, 0, 0));
	say("pkey_free", call(HAKO_CALL_PKEY_FREE, -1, 0, 0, 0));
	say("pkey_mprotect", call(HAKO_CALL_PKEY_MPROTECT, (long)KERNEL, -1, 7, 99));
	say("call 0", call(0, 0, 0, 0, 0));
	say("call 14", call(HAKO_CALL_MAX + 1, 0, 0, 0, 0));
	say("call -1", call(-1, 0, 0, 0, 0));
	say("call 1<<32 | console", call(1L << 32 | HAKO_CALL_CONSOLE, (long)"x\n", 2, 0, 0));
}

static long send1(uint64_t base, uint32_t len, uint32_t reserved)
{
	struct hako_iov v = { base, len, reserved };

	return call(HAKO_CALL_NET_SEND, (long)&v, 1, 0, 0);
}

static long recv1(uint64_t base, uint32_t len, uint32_t reserved)
{
	struct hako_iov v = { base, len, reserved };

	return call(HAKO_CALL_NET_RECV, (long)&v, 1, 0, 0);
}

/* Two entries, each wrong in another way: the first one's error wins. */
static long send2(struct hako_iov a, struct hako_iov b)
{
	struct hako_iov v[2] = { a, b };

	return call(HAKO_CALL_NET_SEND, (long)v, 2, 0, 0);
}

static void net_batches(void)
{
	uint64_t f = (uint64_t)frame, iov_tail = heap_end - 8;

	say("net_send n 65", call(HAKO_CALL_NET_SEND, (long)frame, 65, 0, 0));
	say("net_send n -1", call(HAKO_CALL_NET_SEND, (long)frame, -1, 0, 0));
	say("net_recv n 1<<32", call(HAKO_CALL_NET_RECV, (long)frame, 1L << 32, 0, 0));
	say("net_send NULL", call(HAKO_CALL_NET_SEND, 0, 1, 0, 0));
	say("net_send NULL n 0", call(HAKO_CALL_NET_SEND, 0, 0, 0, 0));
	say("net_recv NULL n 0", call(HAKO_CALL_NET_RECV, 0, 0, 0, 0));
	say("net_send iov hv memory", call(HAKO_CALL_NET_SEND, (long)KERNEL, 1, 0, 0));
	say("net_send iov past the heap", call(HAKO_CALL_NET_SEND, (long)iov_tail, 1, 0, 0));
	say("net_send iov read-only", call(HAKO_CALL_NET_SEND, (long)ro_iov, 2, 0, 0));
	say("net_recv iov read-only", call(HAKO_CALL_NET_RECV, (long)ro_iov, 2, 0, 0));
	say("net_recv iov info page", call(HAKO_CALL_NET_RECV, (long)HAKO_INFO_VA, 1, 0, 0));
	say("net_send reserved", send1(f, 60, 1));
	say("net_recv reserved", recv1(f, HAKO_FRAME_MAX, 0x80000000u));
}

static void net_frames(void)
{
	uint64_t f = (uint64_t)frame;

	say("net_send len 0", send1(f, 0, 0));
	say("net_send len 13", send1(f, 13, 0));
	say("net_send len 1515", send1(f, HAKO_FRAME_MAX + 1, 0));
	say("net_send len 2^32-1", send1(f, 0xffffffffu, 0));
	say("net_send frame NULL", send1(0, 60, 0));
	say("net_send frame hv memory", send1(KERNEL, 60, 0));
	say("net_send frame wrapping", send1((uint64_t)-30, 60, 0));
	say("net_send frame past the heap", send1(heap_end - 30, 60, 0));
	say("net_send frame unmapped", send1(UNMAPPED, 60, 0));
	say("net_send frame at the call page's target", send1(target(), 60, 0));
	say("net_recv len 1513", recv1(f, HAKO_FRAME_MAX - 1, 0));
	say("net_recv buffer NULL", recv1(0, HAKO_FRAME_MAX, 0));
	say("net_recv buffer info page", recv1(HAKO_INFO_VA, HAKO_FRAME_MAX, 0));
	say("net_recv buffer code", recv1((uint64_t)console_calls, HAKO_FRAME_MAX, 0));
	say("net_recv buffer past the heap", recv1(heap_end - 1000, HAKO_FRAME_MAX, 0));
	say("net order: reserved, then NULL",
	    send2((struct hako_iov){ f, 60, 1 }, (struct hako_iov){ 0, 60, 0 }));
	say("net order: NULL, then reserved",
	    send2((struct hako_iov){ 0, 60, 0 }, (struct hako_iov){ f, 60, 1 }));
	say("net order: short, then NULL",
	    send2((struct hako_iov){ f, 13, 0 }, (struct hako_iov){ 0, 60, 0 }));
	say("net order: good, then short",
	    send2((struct hako_iov){ f, 60, 0 }, (struct hako_iov){ f, 13, 0 }));
}

static long rd(uint64_t off, uint64_t buf, uint64_t len)
{
	return call(HAKO_CALL_BLOCK_READ, (long)off, (long)buf, (long)len, 0);
}

static long wr(uint64_t off, uint64_t buf, uint64_t len)
{
	return call(HAKO_CALL_BLOCK_WRITE, (long)off, (long)buf, (long)len, 0);
}

static void block_ranges(uint64_t cap)
{
	uint64_t b = (uint64_t)text;

	say("block_read offset 1", rd(1, b, BS));
	say("block_read len 1", rd(0, b, 1));
	say("block_read len 1 MiB + 512", rd(0, b, HAKO_BLOCK_IO_MAX + BS));
	say("block_read len 2^64-512", rd(0, b, (uint64_t)-BS));
	say("block_read at the end", rd(cap, b, BS));
	say("block_read across the end", rd(cap - BS, b, 2 * BS));
	say("block_read wrapping offset", rd((uint64_t)-BS, b, 2 * BS));
	say("block_read offset 2^63", rd(1ul << 63, b, BS));
	say("block_read at the end len 0", rd(cap, b, 0));
	say("block order: offset 1, NULL", rd(1, 0, BS));
	say("block order: past the end, NULL", rd(cap, 0, BS));
	say("block order: len 1, past the end", rd(cap, b, 1));
}

static void block_buffers(void)
{
	uint64_t b = (uint64_t)text;

	say("block_read NULL", rd(0, 0, BS));
	say("block_read NULL len 0", rd(0, 0, 0));
	say("block_read unmapped len 0", rd(0, UNMAPPED, 0));
	say("block_read hv memory len 0", rd(0, KERNEL, 0));
	say("block_read hv memory", rd(0, KERNEL, BS));
	say("block_read wrapping buffer", rd(0, (uint64_t)-BS, 2 * BS));
	say("block_read last page", rd(0, LAST, BS));
	say("block_read past the heap", rd(0, heap_end - BS / 2, BS));
	say("block_read into the info page", rd(0, HAKO_INFO_VA, BS));
	say("block_read into the call page", rd(0, HAKO_CALL_VA, BS));
	say("block_read into code", rd(0, (uint64_t)console_calls & ~0xffful, BS));
	say("block_read into read-only data", rd(0, (uint64_t)ro_iov & ~0xffful, BS));
	say("block_read heap tail", rd(0, heap_end - BS, BS));
	say("block_read", rd(0, b, BS));
	say("block_write NULL", wr(0, 0, BS));
	say("block_write from the info page", wr(0, HAKO_INFO_VA, BS));
	say("block_write from the call page", wr(0, HAKO_CALL_VA, BS));
	say("block_write from code", wr(0, (uint64_t)console_calls & ~0xffful, BS));
	say("block_write from the call page's target", wr(0, target() & ~0xffful, BS));
	say("block_write across call and info page", wr(0, HAKO_CALL_VA + 4096 - BS / 2, BS));
	say("block_write", wr(BS, b, BS));
	say("block_flush", call(HAKO_CALL_BLOCK_FLUSH, 0, 0, 0, 0));
}

/* --- fuzz: random calls over the places that matter --- */

struct sym {
	const char *name;
	uint64_t v;
};

/* A place and the offsets from it that mean the same on every platform's layout. */
struct place {
	const char *name;
	uint64_t v;
	int64_t lo, hi;
};

static uint8_t scratch[(2u << 20) + (128u << 10)];
static struct hako_iov fiov[HAKO_NET_BATCH_MAX + 2];
static struct place places[16];
static unsigned nplaces;
static uint64_t rng;

static const struct sym offsets[] = {
	{ "", 0 }, { "+1", 1 }, { "-1", (uint64_t)-1 }, { "+8", 8 }, { "-8", (uint64_t)-8 },
	{ "+13", 13 }, { "+512", 512 }, { "-512", (uint64_t)-512 }, { "+4095", 4095 },
	{ "+4096", 4096 }, { "-4096", (uint64_t)-4096 }, { "+64K", 64 << 10 },
	{ "-64K", (uint64_t)-(64 << 10) }, { "+1M", 1 << 20 },
};
static const struct sym lengths[] = {
	{ "0", 0 }, { "1", 1 }, { "2", 2 }, { "13", 13 }, { "14", 14 }, { "16", 16 }, { "60", 60 },
	{ "511", 511 }, { "512", 512 }, { "1513", 1513 }, { "1514", 1514 }, { "1515", 1515 },
	{ "4096", 4096 }, { "4097", 4097 }, { "64K", 64 << 10 }, { "1M", 1 << 20 },
	{ "1M+512", (1 << 20) + 512 }, { "2^32", 1ul << 32 }, { "-512", (uint64_t)-512 },
	{ "-1", ~0ul },
};

static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

#define PICK(a) (&(a)[next() % (sizeof(a) / sizeof((a)[0]))])

static void add_place(const char *name, uint64_t v, int64_t lo, int64_t hi)
{
	places[nplaces++] = (struct place){ name, v, lo, hi };
}

/*
 * Heap and stack are placed differently on each platform (on proc the stack
 * lies right above the heap's end): from them, only offsets that stay in
 * the heap, its guard or the stack say the same thing everywhere.
 */
static void fuzz_places(void)
{
	const int64_t any = INT64_MAX, page = 4096, mib = 1 << 20;

	add_place("0", 0, -any, any);
	add_place("call", HAKO_CALL_VA, -any, any);
	add_place("info", HAKO_INFO_VA, -any, any);
	add_place("code", (uint64_t)console_calls & ~0xffful, -any, any);
	add_place("rodata", (uint64_t)ro_iov & ~0xffful, -any, any);
	add_place("unmapped", UNMAPPED, -any, any);
	add_place("last", LAST, -any, any);
	add_place("noncanon", NONCANON, -any, any);
	add_place("hv", KERNEL, -any, any);
	add_place("heap_end", heap_end, -mib, page - 1);
	add_place("stack", si->stack_base, -page, mib);
	add_place("stack_top", si->stack_base + si->stack_size, -(64 << 10), mib); /* never written */
	add_place("scratch", (uint64_t)scratch, 0, mib); /* last: where writes go instead */
}

/*
 * A buffer named "place+offset" into name. One the call may write lies where
 * a write hurts nothing: the scratch buffer, the heap's tail, the stack's
 * unused bottom, or memory the container cannot write anyway.
 */
static uint64_t pick_buf(char *name, size_t size, int write)
{
	const struct place *p = &places[next() % nplaces];
	const struct sym *o = &offsets[0];

	if (write && !strcmp(p->name, "stack_top"))
		p = &places[nplaces - 1];
	/* Bounded: offset 0 is inside every place's range. */
	for (int i = 0; i < 16; i++) {
		const struct sym *t = PICK(offsets);
		if ((int64_t)t->v >= p->lo && (int64_t)t->v <= p->hi) {
			o = t;
			break;
		}
	}
	snprintf(name, size, "%s%s", p->name, o->name);
	return p->v + o->v;
}

static void fuzz_iovs(struct hako_iov *v, unsigned n, int recv, char *desc, size_t size)
{
	size_t used = 0;

	for (unsigned i = 0; i < n && i < HAKO_NET_BATCH_MAX; i++) {
		char b[40];
		const struct sym *l = PICK(lengths);
		v[i] = (struct hako_iov){ pick_buf(b, sizeof(b), recv), (uint32_t)l->v,
					  next() % 8 == 0 };
		if (i < 4 && used < size)
			used += (size_t)snprintf(desc + used, size - used, " {%s,%s%s}", b, l->name,
						 v[i].reserved ? ",r" : "");
	}
}

/*
 * Where a batch's array is: our own, or shifted into it, or a place whose
 * bytes are the same on every platform (the stack's, the info page's and
 * what block reads brought in are not).
 */
static uint64_t pick_iovs(char *name, size_t size)
{
	static const char *const same[] = { "0", "code", "rodata", "unmapped", "last", "noncanon", "hv" };
	const char *p = same[next() % (sizeof(same) / sizeof(same[0]))];

	switch (next() % 4) {
	case 0:
		snprintf(name, size, "iovs");
		return (uint64_t)fiov;
	case 1: /* whole entries only: half of one would mix an address into len and reserved */
		snprintf(name, size, "iovs+16");
		return (uint64_t)(fiov + 1);
	default:
		for (unsigned i = 0; i < nplaces; i++)
			if (!strcmp(places[i].name, p)) {
				snprintf(name, size, "%s", p);
				return places[i].v;
			}
		return 0;
	}
}

static long fuzz_net(int recv, char *what, size_t size)
{
	static const struct sym counts[] = { { "0", 0 }, { "1", 1 }, { "2", 2 }, { "3", 3 },
					     { "64", 64 }, { "65", 65 }, { "-1", ~0ul } };
	const struct sym *n = PICK(counts);
	char where[40] = "iovs", desc[200] = "";
	uint64_t iov = (uint64_t)fiov;

	fuzz_iovs(fiov, (unsigned)n->v, recv, desc, sizeof(desc));
	if (next() % 3 == 0)
		iov = pick_iovs(where, sizeof(where));
	snprintf(what, size, "%s(%s, %s)%s", recv ? "net_recv" : "net_send", where, n->name, desc);
	return call(recv ? HAKO_CALL_NET_RECV : HAKO_CALL_NET_SEND, (long)iov, (long)n->v, 0, 0);
}

static long fuzz_block(int write, char *what, size_t size)
{
	uint64_t cap = si->block_capacity;
	const struct sym offs[] = { { "0", 0 }, { "512", 512 }, { "1", 1 }, { "cap-512", cap - 512 },
				    { "cap", cap }, { "cap+512", cap + 512 }, { "-512", (uint64_t)-512 },
				    { "2^63", 1ul << 63 } };
	const struct sym *o = PICK(offs), *l = PICK(lengths);
	char b[40];
	uint64_t buf = pick_buf(b, sizeof(b), !write);

	snprintf(what, size, "%s(%s, %s, %s)", write ? "block_write" : "block_read", o->name, b, l->name);
	return write ? wr(o->v, buf, l->v) : rd(o->v, buf, l->v);
}

static long fuzz_one(char *what, size_t size)
{
	char b[40];
	uint64_t v;
	const struct sym *l;

	switch (next() % 9) {
	case 0:
		v = pick_buf(b, sizeof(b), 0), l = PICK(lengths);
		snprintf(what, size, "console(%s, %s)", b, l->name);
		return call(HAKO_CALL_CONSOLE, (long)v, (long)l->v, 0, 0);
	case 1:
		v = pick_buf(b, sizeof(b), 0);
		snprintf(what, size, "tls_set(%s)", b);
		return tls(v);
	case 2:
		v = next() % 4 ? next() % 4 : next();
		snprintf(what, size, "time(%s)", v < 4 ? (const char *[]){ "0", "1", "2", "3" }[v] : "random");
		return v < 2 ? call(HAKO_CALL_TIME, (long)v, 0, 0, 0) >= 0 : call(HAKO_CALL_TIME, (long)v, 0, 0, 0);
	case 3: case 4:
		return fuzz_net(next() % 2, what, size);
	case 5: case 6:
		return fuzz_block(next() % 2, what, size);
	case 7:
		snprintf(what, size, "block_flush()");
		return call(HAKO_CALL_BLOCK_FLUSH, 0, 0, 0, 0);
	default:
		v = (uint64_t[]){ 0, HAKO_CALL_PKEY_ALLOC, HAKO_CALL_MAX + 1, ~0ul, 1ul << 32 | 3 }[next() % 5];
		snprintf(what, size, "call(%lu)", (unsigned long)v);
		return call((long)v, (long)next(), (long)next(), (long)next(), (long)next());
	}
}

static void fuzz(uint64_t seed, long n)
{
	char what[320];

	rng = seed | 1;
	fuzz_places();
	for (long i = 0; i < n; i++) {
		long r = fuzz_one(what, sizeof(what));
		char line[400];
		int len = snprintf(line, sizeof(line), "\nfuzz %ld: %s = %ld\n", i, what, r);
		hako_console(line, (size_t)len);
	}
}

int main(int argc, char **argv)
{
	si = hako_start_info();
	heap_end = si->heap_base + si->heap_size;
	if (argc > 1 && !strcmp(argv[1], "int80")) {
		say("int80: trying int $0x80", 0);
		__asm__ volatile("int $0x80" :: "a"(39L)); /* i386 mkdir, x86-64 getpid */
		say("int80: survived", 1);
		return 1;
	}
	if (argc > 3 && !strcmp(argv[1], "fuzz")) {
		fuzz(strtoull(argv[2], NULL, 0), strtol(argv[3], NULL, 0));
		call(HAKO_CALL_EXIT, 0x107, 0, 0, 0);
	}
	console_calls();
	misc_calls();
	if (si->flags & HAKO_INFO_NET) {
		net_batches();
		net_frames();
	} else {
		say("net_send without a network", call(HAKO_CALL_NET_SEND, 0, 65, 0, 0));
		say("net_recv without a network", call(HAKO_CALL_NET_RECV, 0, 1, 0, 0));
	}
	if (si->flags & HAKO_INFO_BLOCK) {
		block_ranges(si->block_capacity);
		block_buffers();
	} else {
		say("block_read without a device", rd(1, 0, 1));
		say("block_write without a device", wr(0, 0, BS));
		say("block_flush without a device", call(HAKO_CALL_BLOCK_FLUSH, 0, 0, 0, 0));
	}
	call(HAKO_CALL_EXIT, 0x107, 0, 0, 0);
	return 1;
}
