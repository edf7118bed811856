/* SPDX-License-Identifier: ISC */
/*
 * An image that declares protection-key domains (abi.h): the libOS's
 * (PKRU 0xc0000000, the entry) and the app's (0xfffffffc: key 0 only), and
 * one data page keyed for the libOS. argv[1]:
 *   ok        the gates work, a jump onto a gate's WRPKRU cannot keep its
 *             own value, the keyed page is refused to pkey_mprotect
 *   app-call  a hako call from the app's domain: the platform kills it
 *   app-read  the app's domain reads the libOS's page: a key fault
 */
#include "ct.h"

#define LIBOS_PKRU 0xc0000000
#define APP_PKRU   0xfffffffc

static volatile uint8_t libos_page[4096] __attribute__((aligned(4096))) = { 7 };
static volatile uint32_t seen; /* key 0: both domains may write it */

/* Packed: the descriptor is the three parts back to back, whatever their alignment. */
__attribute__((section(".note.hako"), aligned(4), used)) static const struct {
	uint32_t namesz, descsz, type;
	char name[8];
	struct hako_domains h;
	struct hako_domain d[2];
	struct hako_key_range r[1];
} __attribute__((packed)) domains_note = {
	5, sizeof(struct hako_domains) + 2 * sizeof(struct hako_domain) + sizeof(struct hako_key_range),
	HAKO_NOTE_DOMAINS, "hako", { .ndomains = 2, .nranges = 1, .libos = 0 },
	{ { LIBOS_PKRU, 0 }, { APP_PKRU, 0 } },
	{ { (uint64_t)libos_page, (uint64_t)libos_page + 4096, HAKO_PKEY_LIBOS, 0 } },
};

#define STR_(x) #x
#define STR(x) STR_(x)

/* Land on the WRPKRU of an app gate with EAX = 0 ("all open"), as a hijacked jump would. */
static uint32_t jump_onto_gate(void)
{
	uint32_t got;

	__asm__ volatile("xor %%eax, %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\tjmp 2f\n"
			 "1:\t.byte 0xb8; .long " STR(APP_PKRU) "; .byte 0x31, 0xc9, 0x31, 0xd2\n"
			 "2:\t.byte 0x0f, 0x01, 0xef, 0x3d; .long " STR(APP_PKRU) "; .byte 0x75, 0xed\n\t"
			 "xor %%ecx, %%ecx\n\trdpkru"
			 : "=a"(got) :: "ecx", "edx", "memory");
	GATE(LIBOS_PKRU);
	return got;
}

static int ok(void)
{
	int bad = 0;

	puthex("entry pkru", rdpkru());
	putnum("libOS page", libos_page[0]);
	bad |= rdpkru() != LIBOS_PKRU;
	putnum("pkey_mprotect of the libOS page",
	       call(HAKO_CALL_PKEY_MPROTECT, (long)libos_page, 4096, HAKO_PROT_READ, -1));
	putnum("pkey_alloc", call(HAKO_CALL_PKEY_ALLOC, 0, HAKO_PKEY_DISABLE_ACCESS, 0, 0));
	puthex("pkru after pkey_alloc", rdpkru());
	bad |= rdpkru() != LIBOS_PKRU;
	GATE(APP_PKRU);
	seen = rdpkru();
	GATE(LIBOS_PKRU);
	puthex("app pkru", seen);
	bad |= seen != APP_PKRU;
	seen = jump_onto_gate();
	puthex("landing on the WRPKRU installed", seen);
	bad |= seen != APP_PKRU;
	put(bad ? "domains FAILED\n" : "domains ok\n");
	return bad;
}

int main(const struct hako_start_info *si)
{
	const char *what = arg(si, 1);

	if (eq(what, "ok"))
		return ok();
	put("about to: ");
	put(what);
	put("\n");
	if (eq(what, "app-call")) {
		GATE(APP_PKRU);
		put("a call from the app's domain\n");
	} else if (eq(what, "app-read")) {
		GATE(APP_PKRU);
		seen = libos_page[0];
		GATE(LIBOS_PKRU);
	} else {
		return 3;
	}
	put("still alive: not stopped\n");
	return 4;
}
