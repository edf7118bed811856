/* SPDX-License-Identifier: ISC */
/* hako hypervisor: boot, then run the containers of the boot bundle until all have ended. */
#include "bundle.h"
#include "call.h"
#include "cons.h"
#include "ctl.h"
#include "cpu.h"
#include "hako/protocol.h"
#include "lib.h"
#include "mm.h"
#include "net.h"
#include "pci.h"
#include "pd.h"
#include "sched.h"
#include "timer.h"
#include "trap.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "vm.h"

/* The PVH start info (Xen's hvm_start_info, version 1) and the pieces it points to. */
struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;
};
struct pvh_module { uint64_t paddr, size, cmdline_paddr, reserved; };
struct pvh_memmap { uint64_t addr, size; uint32_t type, reserved; };
#define PVH_MAGIC 0x336ec578
#define E820_RAM  1

extern char __end[];
void hv_main(uint32_t start_info);

static uint64_t bundle_pa, bundle_size;

/* Find the initrd and give the RAM of the memory map to the allocator. */
static void memory_init(uint32_t start_info)
{
	const struct pvh_start_info *si = P2V(start_info);
	const struct pvh_memmap *map;

	if (si->magic != PVH_MAGIC || si->version < 1 || !si->memmap_entries)
		panic("boot: no PVH start info with a memory map");
	if (si->nr_modules) {
		const struct pvh_module *m = P2V(si->modlist_paddr);
		bundle_pa = m->paddr;
		bundle_size = m->size;
		if (bundle_pa >= DMAP_SIZE || bundle_size > DMAP_SIZE - bundle_pa)
			panic("boot: initrd outside the direct map");
		mm_reserve(bundle_pa, bundle_pa + bundle_size);
	}
	mm_reserve(0, 0x100000);      /* firmware, boot data */
	mm_reserve(0x100000, K2P(__end)); /* the hv image and its boot tables */
	map = P2V(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries && i < 128; i++)
		if (map[i].type == E820_RAM && map[i].addr + map[i].size > map[i].addr)
			mm_add(map[i].addr, map[i].addr + map[i].size);
}

static uint64_t us(uint64_t cycles)
{
	return cycles * 1000000 / time_tsc_hz();
}

void hv_main(uint32_t start_info)
{
	uint64_t t0 = rdtsc(), t1, free_before;
	const char *why;
	int n;

	cons_init();              /* serial console on COM1 */
	trap_init();              /* GDT, TSS with IST stacks, IDT */
	cpu_init();               /* NX, SMEP, SMAP, WP, UMIP, FSGSBASE, SSE/XSAVE, PKE */
	memory_init(start_info);  /* memory map and boot bundle from the PVH start info */
	vm_init();                /* hv image W^X; low half left to containers */
	timer_init();             /* TSC and LAPIC timer calibrated; RTC read */
	ctl_init();               /* control channel from the host on COM2, if present */
	call_init();              /* SYSCALL/SYSRET */
	pd_init();                /* the shared call page */
	pci_init();               /* PCI bus 0: BARs placed, mapped uncached */
	vblk_init();              /* virtio-blk disks */
	net_init();               /* the L2 switch between containers (and the NIC) */
	vnet_init();              /* virtio-net, if any, as the switch's uplink */
	t1 = rdtsc();
	printf("hako: hv up in %lu us on %s: %lu MiB free, tsc %lu MHz, smep %d smap %d xsave %d "
	       "pku %d\n", us(t1 - t0), cpu.accel, mm_free_pages() >> 8, time_tsc_hz() / 1000000,
	       cpu.smep, cpu.smap, cpu.xsave, cpu.pku);
	free_before = mm_free_pages();
	if ((n = bundle_load(bundle_pa ? P2V(bundle_pa) : NULL, bundle_size, &why)) < 0) {
		printf("hako: %s\n", why);
		poweroff(HAKO_HV_FAIL);
	}
	printf(HAKO_LINE_PREFIX "%d" HAKO_LINE_LOADED "%lu us, %lu pages\n", n, us(rdtsc() - t1),
	       free_before - mm_free_pages());
	if (sched_quota_left() > mm_free_pages()) /* quotas are promises RAM may not keep */
		printf("hako: note: the memory quotas add up to %lu MiB more than the %lu MiB free: "
		       "a container may be stopped out of the hypervisor's memory\n",
		       (sched_quota_left() - mm_free_pages()) >> 8, mm_free_pages() >> 8);
	sched_start(free_before); /* run the containers; never returns */
}
