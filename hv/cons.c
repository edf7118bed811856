/* SPDX-License-Identifier: ISC */
/* Serial console: polled 16550 output on COM1 and a small printf. */
#include "cons.h"

#include <stdint.h>

#include "lib.h"
#include "x86.h"

#define COM1 0x3f8

void cons_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0x07); /* FIFO on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void putc(char c)
{
	/* Bounded wait for the transmitter: a stuck UART must not hang the hv. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		pause();
	outb(COM1, (uint8_t)c);
}

void cons_write(const char *s, size_t n)
{
	while (n--) {
		if (*s == '\n')
			putc('\r');
		putc(*s++);
	}
}

struct out {
	char *buf;
	size_t size, len; /* buf == NULL: straight to the console */
};

static void emit(struct out *o, char c)
{
	if (!o->buf)
		cons_write(&c, 1);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void number(struct out *o, uint64_t v, unsigned base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		emit(o, pad);
	while (n)
		emit(o, tmp[--n]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			emit(o, *fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l')
			lng++, fmt++;
		if (*fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 'd':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			number(o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, width, pad);
			break;
		case 'u':
		case 'x':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			number(o, u, *fmt == 'u' ? 10 : 16, 0, width, pad);
			break;
		case 'p':
			emit(o, '0');
			emit(o, 'x');
			number(o, (uint64_t)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			for (str = str ? str : "(null)"; *str; str++)
				emit(o, *str);
			break;
		}
		case 'c':
			emit(o, (char)va_arg(ap, int));
			break;
		case '%':
			emit(o, '%');
			break;
		default:
			emit(o, '?');
			return;
		}
	}
}

void printf(const char *fmt, ...)
{
	struct out o = { 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

void panic(const char *fmt, ...)
{
	struct out o = { 0 };
	va_list ap;

	cli();
	printf("hako: PANIC: ");
	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	printf("\n");
	poweroff(HAKO_HV_PANIC);
}
