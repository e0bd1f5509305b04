#include "arch/arm64/mmu.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/sysreg.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * 4 KiB granule, 32-bit virtual addresses (TCR_EL2.T0SZ = 32): the walk
 * starts at level 1, where each of 4 entries covers 1 GiB; level 2 entries
 * cover 2 MiB; level 3 entries 4 KiB (Arm ARM D8.2, "Translation table walk").
 */
#define ENTRIES	   512
#define L1_SHIFT   30
#define L2_SHIFT   21
#define PAGE_SHIFT 12
#define L1_USED	   4
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define BLOCK_SIZE (1UL << L2_SHIFT)

/* Descriptor bits (Arm ARM D8.3, "Translation table descriptor formats"). */
#define DESC_VALID    (1UL << 0)
#define DESC_TABLE    (1UL << 1) /* at levels 1-2: next-level table; at level 3: page */
#define DESC_BLOCK    0UL
#define DESC_ATTR(i)  ((uint64_t)(i) << 2) /* AttrIndx: index into MAIR_EL2 */
#define DESC_AP_RO    (1UL << 7)	   /* AP[2]: read-only */
#define DESC_AP1      (1UL << 6)	   /* AP[1]: RES1 in the EL2 regime */
#define DESC_SH_INNER (3UL << 8)
#define DESC_AF	      (1UL << 10) /* access flag: without it the first access faults */
#define DESC_XN	      (1UL << 54) /* execute-never at EL2 */

/* MAIR_EL2 attribute slots. */
#define ATTR_DEVICE 0 /* 0x00: Device-nGnRnE */
#define ATTR_NORMAL 1 /* 0xff: Normal, inner/outer write-back read/write-allocate */
#define MAIR_VALUE  (0x00UL << (8 * ATTR_DEVICE) | 0xffUL << (8 * ATTR_NORMAL))

/* TCR_EL2: T0SZ=32, walks cacheable write-back inner shareable, 4 KiB granule, 32-bit PA. */
#define TCR_T0SZ(n)    ((uint64_t)(n))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_EL2_RES1   ((1UL << 31) | (1UL << 23))
#define TCR_VALUE      (TCR_T0SZ(32) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_EL2_RES1)

#define NORMAL_RW (DESC_AF | DESC_SH_INNER | DESC_AP1 | DESC_ATTR(ATTR_NORMAL))
#define DEVICE_RW (DESC_AF | DESC_AP1 | DESC_ATTR(ATTR_DEVICE) | DESC_XN)

static uint64_t l1_table[ENTRIES] __attribute__((aligned(PAGE_SIZE), section(".pagetables")));
static uint64_t l2_tables[L1_USED][ENTRIES]
    __attribute__((aligned(PAGE_SIZE), section(".pagetables")));
/* 4 KiB pages for the first 2 MiB, where the hypervisor image lives. */
static uint64_t l3_image[ENTRIES] __attribute__((aligned(PAGE_SIZE), section(".pagetables")));

extern char __hv_start[], __text_end[], __rodata_end[], __hv_end[];

/* Permissions of one 4 KiB page of the first 2 MiB. */
static uint64_t image_page_attrs(uint64_t addr)
{
	if (addr >= (uint64_t)__hv_start && addr < (uint64_t)__text_end)
		return NORMAL_RW | DESC_AP_RO; /* text: read-only, executable */
	if (addr >= (uint64_t)__text_end && addr < (uint64_t)__rodata_end)
		return NORMAL_RW | DESC_AP_RO | DESC_XN;
	return NORMAL_RW | DESC_XN;
}

static void build_image_pages(void)
{
	for (uint64_t i = 0; i < ENTRIES; i++) {
		uint64_t addr = i << PAGE_SHIFT;
		l3_image[i] = addr | image_page_attrs(addr) | DESC_VALID | DESC_TABLE;
	}
}

static uint64_t block_attrs(uint64_t addr, const struct mmu_layout *layout)
{
	if (addr >= layout->device_start && addr < layout->device_end)
		return DEVICE_RW;
	if (addr < layout->ram_end)
		return NORMAL_RW | DESC_XN;
	/* Between RAM and the devices (VideoCore memory): leave unmapped. */
	return 0;
}

static void build_tables(const struct mmu_layout *layout)
{
	build_image_pages();
	for (uint64_t l1 = 0; l1 < L1_USED; l1++) {
		for (uint64_t l2 = 0; l2 < ENTRIES; l2++) {
			uint64_t addr = (l1 << L1_SHIFT) | (l2 << L2_SHIFT);
			uint64_t attrs = block_attrs(addr, layout);
			l2_tables[l1][l2] = attrs ? (addr | attrs | DESC_VALID | DESC_BLOCK) : 0;
		}
		l1_table[l1] = (uint64_t)l2_tables[l1] | DESC_VALID | DESC_TABLE;
	}
	l2_tables[0][0] = (uint64_t)l3_image | DESC_VALID | DESC_TABLE;
}

#define SCTLR_VALUE (SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA)

struct mmu_boot_regs mmu_boot_regs;

void mmu_enable(const struct mmu_layout *layout)
{
	build_tables(layout);

	write_sysreg(mair_el2, MAIR_VALUE);
	write_sysreg(tcr_el2, TCR_VALUE);
	write_sysreg(ttbr0_el2, (uint64_t)l1_table);
	/* The tables were written with the MMU off (non-cacheable): they are in memory. */
	__asm__ volatile("dsb ish\n\ttlbi alle2\n\tdsb ish\n\tic iallu\n\tdsb ish" ::: "memory");
	isb();
	write_sysreg(sctlr_el2, SCTLR_VALUE);
	isb();
	/*
	 * What the other cores load in boot.S to join the same address space.
	 * They read it with their MMU (and caches) off: clean it to memory.
	 */
	mmu_boot_regs = (struct mmu_boot_regs){.mair = MAIR_VALUE,
					       .tcr = TCR_VALUE,
					       .ttbr0 = (uint64_t)l1_table,
					       .sctlr = SCTLR_VALUE};
	dcache_clean_range(&mmu_boot_regs, sizeof(mmu_boot_regs));
}
