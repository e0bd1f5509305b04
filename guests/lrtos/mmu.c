/*
 * lrtos's translation tables and cache/TLB maintenance. Descriptor formats:
 * the Arm ARM's VMSAv8-64 translation table descriptor formats; the fields
 * below follow its MAIR_EL1, TCR_EL1 and SCTLR_EL1 register descriptions.
 */
#include "lrtos/mmu.h"

#include "lib/bcm2837.h"
#include "lib/boot.h"
#include "lib/string.h"
#include "lib/sysreg.h"
#include "lrtos/abi.h"
#include "lrtos/page.h"

/* Descriptor bits. Bit 1: table (1) or block (0) at levels 1 and 2; must be 1 at level 3. */
#define DESC_VALID     (1UL << 0)
#define DESC_TABLE     (1UL << 1)
#define DESC_PAGE      (1UL << 1)
#define DESC_ATTR(idx) ((uint64_t)(idx) << 2) /* AttrIndx: which MAIR_EL1 byte */
#define DESC_AP_EL0    (1UL << 6)	      /* AP[1]: EL0 may access */
#define DESC_AP_RO     (1UL << 7)	      /* AP[2]: read-only (at every EL) */
#define DESC_SH_INNER  (3UL << 8)	      /* Inner Shareable */
#define DESC_AF	       (1UL << 10)	      /* Access flag set: no access flag faults */
#define DESC_NG	       (1UL << 11)	      /* not global: tagged with the ASID */
#define DESC_PXN       (1UL << 53)	      /* never executable at EL1 */
#define DESC_UXN       (1UL << 54)	      /* never executable at EL0 */
#define DESC_ADDR_MASK 0x0000FFFFFFFFF000UL

/* MAIR_EL1: Attr0 = Device-nGnRE (0x04), Attr1 = Normal, inner and outer write-back, read- and
 * write-allocate (0xFF). */
#define MAIR_DEVICE 0
#define MAIR_NORMAL 1
#define MAIR_VALUE  ((0x04UL << (8 * MAIR_DEVICE)) | (0xFFUL << (8 * MAIR_NORMAL)))

#define KERNEL_RAM_BLOCK (DESC_VALID | DESC_ATTR(MAIR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_UXN)
#define DEVICE_BLOCK	 (DESC_VALID | DESC_ATTR(MAIR_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN)
#define USER_PAGE                                                                                  \
	(DESC_VALID | DESC_PAGE | DESC_ATTR(MAIR_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_NG |     \
	 DESC_AP_EL0 | DESC_PXN)

/*
 * TCR_EL1: T0SZ = 25 (39-bit VA, walk from level 1), table walks
 * write-back cacheable and Inner Shareable like the tables themselves
 * (IRGN0, ORGN0, SH0), TG0 = 4 KiB, EPD1: no TTBR1_EL1 walks, IPS = 32 bits
 * (4 GiB is enough for RAM and both peripheral windows), AS = 0: 8-bit ASIDs
 * taken from TTBR0_EL1 (A1 = 0).
 */
#define TCR_T0SZ       25UL
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_TG0_4K     (0UL << 14)
#define TCR_EPD1       (1UL << 23)
#define TCR_IPS_32BIT  (0UL << 32)
#define TCR_VALUE                                                                                  \
	(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 |      \
	 TCR_IPS_32BIT)

/*
 * SCTLR_EL1: the ARMv8.0 RES1 bits, M (MMU), C (data caches), SA and SA0
 * (stack alignment checks at EL1 and EL0), I (instruction cache). nTWI and
 * nTWE stay 0, so WFI/WFE at EL0 trap to the kernel: user code must sleep,
 * not idle the core. UCT, DZE, UCI stay 0: no cache operations from EL0.
 */
#define SCTLR_RES1  0x30D00800UL
#define SCTLR_M	    (1UL << 0)
#define SCTLR_C	    (1UL << 2)
#define SCTLR_SA    (1UL << 3)
#define SCTLR_SA0   (1UL << 4)
#define SCTLR_I	    (1UL << 12)
#define SCTLR_VALUE (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I)

#define L1_SHIFT	 30 /* a level 1 entry covers 1 GiB */
#define L2_SHIFT	 21 /* a level 2 entry covers 2 MiB */
#define L3_SHIFT	 12 /* a level 3 entry covers 4 KiB */
#define TABLE_ENTRIES	 512
#define INDEX(va, shift) (((va) >> (shift)) & (TABLE_ENTRIES - 1))

/*
 * The D-cache line of the Cortex-A53 (L1 and L2). Reading it from CTR_EL0
 * would trap to the hypervisor when HCR_EL2.TID2 is set.
 */
#define CACHE_LINE 64UL

_Static_assert(USER_WINDOW_SIZE == 1UL << L2_SHIFT, "one level 3 table maps the user window");

static uint64_t kernel_l1[TABLE_ENTRIES] __attribute__((aligned(4096)));
static uint64_t kernel_l2_low[TABLE_ENTRIES] __attribute__((aligned(4096)));   /* 0-1 GiB */
static uint64_t kernel_l2_local[TABLE_ENTRIES] __attribute__((aligned(4096))); /* 1-2 GiB */

static uint64_t table_desc(const uint64_t *table)
{
	return (uintptr_t)table | DESC_TABLE | DESC_VALID;
}

static uint64_t *desc_to_table(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & DESC_ADDR_MASK);
}

static void map_blocks(uint64_t *l2, uintptr_t base, size_t size, uint64_t attrs)
{
	for (uintptr_t pa = base; pa < base + size; pa += 1UL << L2_SHIFT)
		l2[INDEX(pa, L2_SHIFT)] = pa | attrs;
}

static void build_kernel_tables(void)
{
	map_blocks(kernel_l2_low, 0, GUEST_RAM_LIMIT, KERNEL_RAM_BLOCK);
	map_blocks(kernel_l2_low, PERIPHERAL_BASE, PERIPHERAL_SIZE, DEVICE_BLOCK);
	map_blocks(kernel_l2_local, LOCAL_BASE, 1UL << L2_SHIFT, DEVICE_BLOCK);
	kernel_l1[INDEX(0UL, L1_SHIFT)] = table_desc(kernel_l2_low);
	kernel_l1[INDEX(LOCAL_BASE, L1_SHIFT)] = table_desc(kernel_l2_local);
}

/* DC CIVAC: clean and invalidate to the Point of Coherency, by VA. */
static void dcache_clean_invalidate(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start & ~(CACHE_LINE - 1); va < end; va += CACHE_LINE)
		__asm__ volatile("dc civac, %0" : : "r"(va) : "memory");
	dsb_ish();
}

void sync_icache(const void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr;

	/* DC CVAU: push the new instructions to the Point of Unification, where fetches see them.
	 */
	for (uintptr_t va = start & ~(CACHE_LINE - 1); va < start + len; va += CACHE_LINE)
		__asm__ volatile("dc cvau, %0" : : "r"(va) : "memory");
	dsb_ish();
	/* IC IALLU: drop stale instructions (the A53's I-cache behaves as PIPT). */
	__asm__ volatile("ic iallu" ::: "memory");
	dsb_ish();
	isb();
}

static void tlb_flush_all(void)
{
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
}

void mmu_init(void)
{
	build_kernel_tables();
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_VALUE);
	write_sysreg(ttbr0_el1, (uintptr_t)kernel_l1);
	write_sysreg(ttbr1_el1, 0);
	isb();
	/*
	 * Until now every access bypassed the caches (MMU off: Device memory).
	 * Drop any line the caches may still hold for the image, .bss and the
	 * tables just written, so that once cached accesses start they see
	 * memory, not stale lines. (The loader, firmware or hypervisor, has
	 * cleaned the image to the Point of Coherency, as Linux's boot
	 * protocol also demands, so nothing dirty is lost.)
	 */
	dcache_clean_invalidate((uintptr_t)__image_start, (uintptr_t)__image_end);
	__asm__ volatile("ic iallu" ::: "memory");
	tlb_flush_all();
	write_sysreg(sctlr_el1, SCTLR_VALUE);
	isb();
}

void mmu_use_kernel_tables(void)
{
	write_sysreg(ttbr0_el1, (uintptr_t)kernel_l1); /* ASID 0: no user mappings ever */
	isb();
}

int as_init(struct addrspace *as, unsigned int asid)
{
	as->asid = asid;
	as->l1 = page_alloc();
	as->l2 = page_alloc();
	as->l3 = page_alloc();
	if (!as->l1 || !as->l2 || !as->l3) {
		as_destroy(as);
		return -ENOMEM;
	}
	/* The kernel's level 2 tables are shared, not copied: one kernel map for all. */
	as->l1[INDEX(0UL, L1_SHIFT)] = kernel_l1[INDEX(0UL, L1_SHIFT)];
	as->l1[INDEX(LOCAL_BASE, L1_SHIFT)] = kernel_l1[INDEX(LOCAL_BASE, L1_SHIFT)];
	as->l1[INDEX(USER_BASE, L1_SHIFT)] = table_desc(as->l2);
	as->l2[INDEX(USER_BASE, L2_SHIFT)] = table_desc(as->l3);
	return 0;
}

int as_map(struct addrspace *as, uintptr_t va, void *page, enum user_perm perm)
{
	uint64_t desc = (uintptr_t)page | USER_PAGE;

	if (va < USER_BASE || va >= USER_BASE + USER_WINDOW_SIZE || (va & (PAGE_SIZE - 1)))
		return -EFAULT;
	desc |= perm == USER_RX ? DESC_AP_RO : DESC_UXN;
	as->l3[INDEX(va, L3_SHIFT)] = desc;
	return 0;
}

int as_clone(struct addrspace *dst, const struct addrspace *src)
{
	for (unsigned int i = 0; i < TABLE_ENTRIES; i++) {
		uint64_t desc = src->l3[i];
		void *copy;

		if (!(desc & DESC_VALID))
			continue;
		copy = page_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(copy, desc_to_table(desc), PAGE_SIZE);
		if (!(desc & DESC_UXN))
			sync_icache(copy, PAGE_SIZE);
		dst->l3[i] = (uintptr_t)copy | (desc & ~DESC_ADDR_MASK);
	}
	return 0;
}

static bool as_is_active(const struct addrspace *as)
{
	return (read_sysreg(ttbr0_el1) & DESC_ADDR_MASK) == (uintptr_t)as->l1;
}

void as_destroy(struct addrspace *as)
{
	if (as->l1 && as_is_active(as))
		mmu_use_kernel_tables(); /* never free the tables the MMU is walking */
	if (as->l3) {
		for (unsigned int i = 0; i < TABLE_ENTRIES; i++) {
			if (as->l3[i] & DESC_VALID)
				page_free(desc_to_table(as->l3[i]));
		}
	}
	page_free(as->l3);
	page_free(as->l2);
	page_free(as->l1);
	as->l1 = as->l2 = as->l3 = NULL;
	/* TLBI ASIDE1IS: the next owner of this ASID must not see our translations. */
	dsb_ish();
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)as->asid << 48) : "memory");
	dsb_ish();
	isb();
}

void as_activate(const struct addrspace *as)
{
	dsb_ish(); /* table writes complete before the walker may use them */
	write_sysreg(ttbr0_el1, (uintptr_t)as->l1 | ((uint64_t)as->asid << 48));
	isb();
}

/* AT S1E0R: translate va as an EL0 read would; PAR_EL1.F (bit 0) is set if it would fault. */
static bool el0_can_read(uintptr_t va)
{
	__asm__ volatile("at s1e0r, %0" : : "r"(va) : "memory");
	isb();
	return !(read_sysreg(par_el1) & 1);
}

bool as_user_readable(uintptr_t va, size_t len)
{
	uintptr_t end = va + len;

	if (end < va)
		return false; /* wraps around */
	for (uintptr_t page = va & ~(PAGE_SIZE - 1); page < end; page += PAGE_SIZE) {
		if (!el0_can_read(page))
			return false;
	}
	return true;
}
