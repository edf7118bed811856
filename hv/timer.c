/* SPDX-License-Identifier: ISC */
/*
 * Time. The TSC is the clock (constant rate on anything recent, and QEMU's
 * TCG runs it from the host's); its rate and the LAPIC timer's are measured
 * against the 8254 PIT, which every PC and QEMU machine we boot on has. The
 * wall clock is the CMOS RTC read once at boot plus the monotonic clock.
 */
#include "timer.h"

#include "cons.h"

#define PIT_HZ        1193182
#define CALIBRATE_MS  5
#define LAPIC_ID      0x20
#define LAPIC_EOI     0xb0
#define LAPIC_SVR     0xf0
#define LAPIC_LVT_TMR 0x320
#define LAPIC_LINT0   0x350
#define LAPIC_LINT1   0x360
#define LAPIC_LVT_ERR 0x370
#define LAPIC_TMR_INIT 0x380
#define LAPIC_TMR_CUR  0x390
#define LAPIC_TMR_DIV  0x3e0
#define LVT_MASKED     (1u << 16)

static uint64_t tsc0, ns_mult;      /* ns = (tsc - tsc0) * ns_mult >> 32 */
static uint64_t tsc_hz, apic_mult;  /* apic ticks = ns * apic_mult >> 24 */
static uint64_t wall0;              /* wall ns at monotonic 0 */
static volatile uint32_t *lapic;
static uint64_t poll_by;            /* timer_poll_by's bound, or 0 */

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

static uint16_t pit_read(void)
{
	outb(0x43, 0x00); /* latch channel 0 */
	uint8_t lo = inb(0x40);
	return (uint16_t)(lo | inb(0x40) << 8);
}

/* Let the PIT count CALIBRATE_MS and see how far the TSC and LAPIC got. */
static void calibrate(void)
{
	uint32_t want = PIT_HZ / 1000 * CALIBRATE_MS, done = 0;
	uint64_t t0, t1, a0, a1;
	uint16_t last;

	outb(0x43, 0x34); /* channel 0, lo/hi, mode 2, binary */
	outb(0x40, 0);
	outb(0x40, 0);    /* reload 65536 */
	lapic_write(LAPIC_TMR_DIV, 0xb); /* divide by 1 */
	lapic_write(LAPIC_LVT_TMR, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TMR_INIT, 0xffffffff);
	last = pit_read();
	t0 = rdtsc();
	a0 = lapic_read(LAPIC_TMR_CUR);
	/* Bounded: the PIT counts down; give up after ~a second of polling. */
	for (uint32_t spins = 0; done < want && spins < 50000000; spins++) {
		uint16_t now = pit_read();
		done += (uint16_t)(last - now);
		last = now;
	}
	t1 = rdtsc();
	a1 = lapic_read(LAPIC_TMR_CUR);
	outb(0x43, 0x30); /* channel 0, mode 0, no count: the PIT stays quiet */
	if (done < want)
		panic("timer: the PIT does not count");
	tsc_hz = (t1 - t0) * PIT_HZ / done;
	ns_mult = (1000000000ul << 32) / tsc_hz;
	apic_mult = ((a0 - a1) * PIT_HZ / done << 24) / 1000000000ul;
	if (!apic_mult)
		panic("timer: the LAPIC timer does not count");
}

static unsigned cmos(unsigned reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned bcd(unsigned v, int binary)
{
	return binary ? v : (v & 15) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static uint64_t rtc_read_ns(void)
{
	unsigned v[6], prev[6], b;
	int binary, tries = 0;

	do {
		for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
			pause(); /* update in progress */
		for (int i = 0; i < 6; i++)
			prev[i] = v[i];
		v[0] = cmos(0x00); v[1] = cmos(0x02); v[2] = cmos(0x04);
		v[3] = cmos(0x07); v[4] = cmos(0x08); v[5] = cmos(0x09);
	} while (++tries < 2 || (tries < 5 && __builtin_memcmp(v, prev, sizeof(v))));
	b = cmos(0x0b);
	binary = b & 4;
	unsigned hour = bcd(v[2] & 0x7f, binary);
	if (!(b & 2) && (v[2] & 0x80))
		hour = (hour % 12) + 12; /* 12-hour mode, PM */
	int64_t days = days_from_civil(2000 + bcd(v[5], binary), bcd(v[4], binary), bcd(v[3], binary));
	int64_t secs = days * 86400 + hour * 3600 + bcd(v[1], binary) * 60 + bcd(v[0], binary);
	return secs > 0 ? (uint64_t)secs * 1000000000ul : 0;
}

void timer_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | (1 << 11)); /* xAPIC enabled */
	lapic = P2V(base & PTE_ADDR);
	/* Legacy 8259 PICs, where present, stay fully masked. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(LAPIC_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERR, LVT_MASKED);
	calibrate();
	tsc0 = rdtsc();
	wall0 = rtc_read_ns();
	lapic_write(LAPIC_LVT_TMR, VEC_TIMER); /* one-shot */
}

uint64_t time_mono_ns(void)
{
	return (uint64_t)((unsigned __int128)(rdtsc() - tsc0) * ns_mult >> 32);
}

uint64_t time_wall_ns(void) { return wall0 + time_mono_ns(); }
uint64_t time_tsc_hz(void) { return tsc_hz; }

void timer_arm(uint64_t deadline)
{
	uint64_t now = time_mono_ns(), ticks;

	if (poll_by && (!deadline || deadline > poll_by))
		deadline = poll_by;
	if (!deadline) {
		lapic_write(LAPIC_TMR_INIT, 0);
		return;
	}
	ticks = deadline > now ? (uint64_t)((unsigned __int128)(deadline - now) * apic_mult >> 24) : 1;
	lapic_write(LAPIC_TMR_INIT, ticks == 0 ? 1 : ticks > 0xffffffff ? 0xffffffff : (uint32_t)ticks);
}

void timer_poll_by(uint64_t deadline) { poll_by = deadline; }

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }
uint32_t lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }
