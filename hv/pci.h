/* SPDX-License-Identifier: ISC */
/* PCI: enumerate bus 0 through ECAM, assign BARs, find devices and capabilities, MSI-X. */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <stdint.h>

#define PCI_BARS 6

struct pci_dev {
	uint8_t dev, fn;
	uint16_t vendor, device;
	volatile uint8_t *cfg;            /* its 4 KiB of configuration space, uncached */
	uint64_t bar_pa[PCI_BARS];        /* memory BARs as assigned; 0 = none */
	uint64_t bar_size[PCI_BARS];
	volatile uint8_t *bar[PCI_BARS];  /* the hv's uncached mapping of each */
	volatile uint32_t *msix;          /* MSI-X table, NULL without */
	unsigned msix_n;                  /* its entries */
};

/*
 * Enumerate bus 0, give every memory BAR an address in the MMIO window,
 * map it uncached in the hv, and enable memory decoding and bus mastering.
 * A machine without PCI leaves the list empty.
 */
void pci_init(void);

/* The i-th device found (bus order), or NULL past the last. */
struct pci_dev *pci_get(unsigned i);
/* The index-th device (bus order) with this vendor and device ID, or NULL. */
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned index);

uint8_t pci_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/*
 * Offset of the next capability with this ID after offset after (0 to
 * start), or 0 if none. Walks at most 48 entries: a looping list ends.
 */
unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after);

/* Map the MSI-X table and enable MSI-X with every entry masked. 0, or -1 without MSI-X. */
int pci_msix_enable(struct pci_dev *d);
/* Point MSI-X entry at LAPIC vector and unmask it. 0, or -1 for a bad entry. */
int pci_msix_route(struct pci_dev *d, unsigned entry, int vector);

#endif /* HV_PCI_H */
