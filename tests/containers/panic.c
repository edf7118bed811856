/* SPDX-License-Identifier: ISC */
/* panic: hako_panic prints "panic: <message>" and exits with HAKO_PANIC_STATUS (250). */
#include <hako/hako.h>

int main(void)
{
	hako_panic("test panic %d", 42);
}
