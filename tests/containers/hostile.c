/*
 * hostile: every call with hostile arguments, one "what = result" line
 * each. Only the platform's answers are printed, never an address, so
 * the same image must print the same lines on every platform (the test
 * compares them line by line). Ends with exit(0x107): status 7.
 * usage: hostile        (with or without a network and a block device)
 *        hostile int80  (a 32-bit system call: the platform kills it)
 */
#include <stdint.h>
#include <stdio.h>
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
