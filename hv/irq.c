/* SPDX-License-Identifier: ISC */
/* Device interrupts: one LAPIC vector per source, edge-triggered MSI-X messages. */
#include "irq.h"

#include "timer.h"

#define NVEC (VEC_IRQ_LAST - VEC_IRQ_FIRST + 1)
#define MSI_ADDRESS 0xfee00000u /* the LAPIC's MSI window; destination ID in bits 19:12 */

static struct {
	void (*fn)(void *arg);
	void *arg;
} handlers[NVEC];
static unsigned nused;

int irq_alloc(void (*fn)(void *arg), void *arg)
{
	if (nused == NVEC)
		return -1;
	handlers[nused].fn = fn;
	handlers[nused].arg = arg;
	return VEC_IRQ_FIRST + (int)nused++;
}

uint64_t irq_msi_address(void)
{
	return MSI_ADDRESS | (uint64_t)(lapic_id() & 0xff) << 12; /* physical destination */
}

uint32_t irq_msi_data(int vector)
{
	return (uint32_t)vector & 0xff; /* fixed delivery, edge */
}

void irq_dispatch(struct regs *r)
{
	unsigned i = (unsigned)(r->vec - VEC_IRQ_FIRST);

	/* Acknowledge first: a message that arrives while fn runs raises the vector again. */
	lapic_eoi();
	if (i < nused)
		handlers[i].fn(handlers[i].arg);
}
