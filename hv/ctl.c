/* SPDX-License-Identifier: ISC */
/*
 * Control channel (hako/protocol.h): `hako stop NAME` writes "stop NAME\n"
 * to a UNIX socket that QEMU joins to COM2. No interrupt (the hv drives no IOAPIC): the
 * timer interrupt polls the UART, and while COM2 exists the timer never
 * sleeps longer than CTL_POLL_NS. QEMU holds bytes back while the 16-byte
 * FIFO is full, so a poll that finds part of a line comes back soon. An
 * empty line is ignored: the host starts with one to clear what a client
 * that went away mid-line may have left.
 */
#include "ctl.h"

#include "cons.h"
#include "hako/name.h"
#include "hako/protocol.h"
#include "lib.h"
#include "sched.h"
#include "timer.h"
#include "x86.h"

#define COM2          HAKO_CTL_PORT
#define LSR_DATA      0x01
#define STOP_LEN      (sizeof(HAKO_CTL_STOP) - 1)
#define POLL_BYTES    64             /* per poll: a flood costs the hv a bounded time */
#define CTL_POLL_NS   100000000ul    /* 100 ms: how late a stop may start */
#define CTL_BURST_NS  2000000ul      /* part of a line came: the rest is on its way */

_Static_assert(sizeof(HAKO_CTL_STOP) + HAKO_NAME_MAX <= HAKO_CTL_LINE_MAX, "a stop line fits");

static int present;
static char line[HAKO_CTL_LINE_MAX]; /* "stop " + a name, with room to spare */
static unsigned len;
static int overlong;                 /* dropping the rest of a line that was too long */

void ctl_init(void)
{
	outb(COM2 + 7, 0x5a); /* the scratch register: reads back only if a UART is there */
	if (inb(COM2 + 7) != 0x5a)
		return;
	outb(COM2 + 1, 0x00); /* no interrupts */
	outb(COM2 + 3, 0x03); /* 8N1 */
	outb(COM2 + 2, 0xc7); /* FIFO on, cleared, trigger at 14: QEMU then hands over 14 bytes at a time */
	present = 1;
	timer_poll_by(time_mono_ns() + CTL_POLL_NS);
}

static void command(void)
{
	const char *name = line + STOP_LEN;
	unsigned n = len - STOP_LEN;

	if (len <= STOP_LEN || memcmp(line, HAKO_CTL_STOP, STOP_LEN)) {
		printf("hako: ctl: unknown command ignored\n");
		return;
	}
	if (!hako_name_ok(name, n)) {
		printf("hako: ctl: bad container name ignored\n");
		return;
	}
	line[len] = 0;
	if (!sched_stop(name))
		printf("hako: ctl: no container named %s\n", name);
}

void ctl_poll(void)
{
	if (!present)
		return;
	for (int i = 0; i < POLL_BYTES && (inb(COM2 + 5) & LSR_DATA); i++) {
		char c = (char)inb(COM2);
		if (c == '\n') {
			if (!overlong && len)
				command();
			len = 0;
			overlong = 0;
		} else if (len + 1 < sizeof(line) && !overlong) {
			line[len++] = c;
		} else if (!overlong) {
			printf("hako: ctl: line too long, ignored\n");
			overlong = 1;
		}
	}
	timer_poll_by(time_mono_ns() + (len || overlong ? CTL_BURST_NS : CTL_POLL_NS));
}
