/* SPDX-License-Identifier: ISC */
/*
 * PCI on QEMU's microvm with pcie=on: a generic PCIe host bridge (GPEX)
 * with ECAM configuration space only, and nothing assigned by firmware.
 * The hv sizes and places every memory BAR itself. The addresses below are
 * the microvm machine's (QEMU hw/i386/microvm.c); nothing else in the hv
 * depends on the machine.
 */
#include "pci.h"

#include "cons.h"
#include "irq.h"
#include "lib.h"
#include "vm.h"

#define ECAM_BASE   0xe0000000ul /* bus 0 is its first MiB */
#define MMIO_WINDOW 0xc0000000ul /* 32-bit window for BARs, up to ECAM_BASE */
#define MMIO_END    0xe0000000ul
#define MAX_DEVS    32

#define CFG_VENDOR   0x00
#define CFG_DEVICE   0x02
#define CFG_COMMAND  0x04
#define CFG_STATUS   0x06
#define CFG_HEADER   0x0e
#define CFG_BAR0     0x10
#define CFG_CAPS     0x34
#define CMD_IO       (1u << 0)
#define CMD_MEM      (1u << 1)
#define CMD_MASTER   (1u << 2)
#define CMD_INTX_OFF (1u << 10)
#define STATUS_CAPS  (1u << 4)
#define BAR_IO       1u
#define BAR_64       4u

#define CAP_MSIX     0x11
#define MSIX_ENABLE  (1u << 15)
#define MSIX_MASKALL (1u << 14)

static struct pci_dev devs[MAX_DEVS];
static unsigned ndevs;
static uint64_t mmio_next = MMIO_WINDOW;

uint8_t pci_read8(const struct pci_dev *d, unsigned off) { return d->cfg[off & 0xfff]; }
uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
	return *(volatile uint16_t *)(d->cfg + (off & 0xffe));
}
uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	return *(volatile uint32_t *)(d->cfg + (off & 0xffc));
}
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(d->cfg + (off & 0xffe)) = v;
}
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(d->cfg + (off & 0xffc)) = v;
}

/* Size BAR i (and its upper half if 64-bit) by writing all ones; returns how many slots it took. */
static unsigned size_bar(struct pci_dev *d, unsigned i, uint64_t *size)
{
	unsigned reg = CFG_BAR0 + 4 * i;
	uint32_t lo = pci_read32(d, reg), hi = 0, mlo, mhi = 0xffffffff;
	int is64 = !(lo & BAR_IO) && (lo & 6) == BAR_64 && i + 1 < PCI_BARS;

	pci_write32(d, reg, 0xffffffff);
	mlo = pci_read32(d, reg);
	pci_write32(d, reg, lo);
	if (is64) {
		hi = pci_read32(d, reg + 4);
		pci_write32(d, reg + 4, 0xffffffff);
		mhi = pci_read32(d, reg + 4);
		pci_write32(d, reg + 4, hi);
	}
	*size = 0;
	if ((lo & BAR_IO) || !mlo)
		return 1 + is64; /* I/O BARs stay unassigned: the hv uses memory space only */
	*size = ~(((uint64_t)mhi << 32 | (mlo & ~0xfu))) + 1;
	return 1 + is64;
}

/* Place each memory BAR naturally aligned in the window, map it, then enable decoding. */
static void assign_bars(struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, CFG_COMMAND);

	pci_write16(d, CFG_COMMAND, cmd & ~(CMD_IO | CMD_MEM | CMD_MASTER));
	for (unsigned i = 0; i < PCI_BARS;) {
		uint64_t size, at;
		unsigned reg = CFG_BAR0 + 4 * i, n = size_bar(d, i, &size);

		if (size && size <= MMIO_END - MMIO_WINDOW) {
			at = (mmio_next + size - 1) & ~(size - 1);
			if (at < mmio_next || at > MMIO_END - size) {
				printf("hako: pci %02x.%x: no room for BAR%u (%lu bytes)\n", d->dev, d->fn,
				       i, size);
			} else {
				pci_write32(d, reg, (uint32_t)at);
				if (n == 2)
					pci_write32(d, reg + 4, (uint32_t)(at >> 32));
				mmio_next = at + size;
				d->bar_pa[i] = at;
				d->bar_size[i] = size;
				d->bar[i] = vm_map_mmio(at, size);
				if (!d->bar[i])
					panic("pci: no room to map BAR%u of %02x.%x", i, d->dev, d->fn);
			}
		}
		i += n;
	}
	pci_write16(d, CFG_COMMAND, (uint16_t)((cmd & ~CMD_IO) | CMD_MEM | CMD_MASTER | CMD_INTX_OFF));
}

void pci_init(void)
{
	volatile uint8_t *ecam = vm_map_mmio(ECAM_BASE, 32 * 8 * 4096);

	if (!ecam)
		panic("pci: cannot map ECAM");
	/* Bounded: 32 devices x 8 functions of bus 0. */
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8 && ndevs < MAX_DEVS; fn++) {
			struct pci_dev *d = &devs[ndevs];
			d->cfg = ecam + (dev * 8 + fn) * 4096;
			d->vendor = pci_read16(d, CFG_VENDOR);
			if (d->vendor == 0xffff || d->vendor == 0) {
				if (fn == 0)
					break;
				continue;
			}
			d->dev = (uint8_t)dev;
			d->fn = (uint8_t)fn;
			d->device = pci_read16(d, CFG_DEVICE);
			ndevs++;
			if ((pci_read8(d, CFG_HEADER) & 0x7f) == 0)
				assign_bars(d); /* bridges (type 1) keep their BARs off */
			if (fn == 0 && !(pci_read8(d, CFG_HEADER) & 0x80))
				break; /* single-function device */
		}
	}
}

struct pci_dev *pci_get(unsigned i)
{
	return i < ndevs ? &devs[i] : NULL;
}

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
	for (unsigned i = 0; i < ndevs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device && index-- == 0)
			return &devs[i];
	return NULL;
}

unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after)
{
	unsigned off;

	if (!(pci_read16(d, CFG_STATUS) & STATUS_CAPS))
		return 0;
	off = after ? pci_read8(d, after + 1) : pci_read8(d, CFG_CAPS);
	for (int n = 0; n < 48 && off >= 0x40; n++) {
		off &= 0xfc;
		if (pci_read8(d, off) == id)
			return off;
		off = pci_read8(d, off + 1);
	}
	return 0;
}

int pci_msix_enable(struct pci_dev *d)
{
	unsigned cap = pci_cap_find(d, CAP_MSIX, 0), bir;
	uint32_t table;
	uint16_t ctl;

	if (!cap)
		return -1;
	ctl = pci_read16(d, cap + 2);
	table = pci_read32(d, cap + 4);
	bir = table & 7;
	table &= ~7u;
	d->msix_n = (ctl & 0x7ff) + 1u;
	/* The table, 16 bytes an entry, MUST lie inside a BAR we mapped. */
	if (bir >= PCI_BARS || !d->bar[bir] || table > d->bar_size[bir] ||
	    (uint64_t)d->msix_n * 16 > d->bar_size[bir] - table)
		return -1;
	d->msix = (volatile uint32_t *)(d->bar[bir] + table);
	pci_write16(d, cap + 2, ctl | MSIX_ENABLE | MSIX_MASKALL);
	for (unsigned i = 0; i < d->msix_n; i++)
		d->msix[i * 4 + 3] = 1; /* masked */
	pci_write16(d, cap + 2, (uint16_t)((ctl | MSIX_ENABLE) & ~MSIX_MASKALL));
	return 0;
}

int pci_msix_route(struct pci_dev *d, unsigned entry, int vector)
{
	uint64_t addr = irq_msi_address();

	if (!d->msix || entry >= d->msix_n)
		return -1;
	d->msix[entry * 4 + 0] = (uint32_t)addr;
	d->msix[entry * 4 + 1] = (uint32_t)(addr >> 32);
	d->msix[entry * 4 + 2] = irq_msi_data(vector);
	d->msix[entry * 4 + 3] = 0; /* unmasked */
	return 0;
}
