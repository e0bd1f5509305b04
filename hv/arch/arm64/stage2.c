#include "arch/arm64/stage2.h"

#include <stddef.h>

#define DESC_VALID (1UL << 0)
#define DESC_TABLE (1UL << 1)
/* Stage-2 block attributes (Arm ARM D8.3.2, "Stage 2 memory region attributes"). */
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2) /* MemAttr[3:0] = 0b1111: outer and inner WB */
#define S2_AP_RW	     (3UL << 6)	  /* S2AP = 0b11: read and write */
#define S2_SH_INNER	     (3UL << 8)
#define S2_AF		     (1UL << 10)
#define S2_BLOCK_RAM	     (DESC_VALID | S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)

#define L1_SHIFT  30
#define L2_SHIFT  21
#define ADDR_MASK 0x0000fffffffff000UL

/* VTCR_EL2 fields (Arm ARM D19.2, VTCR_EL2). */
#define VTCR_T0SZ_32	32UL
#define VTCR_SL0_LEVEL1 (1UL << 6)
#define VTCR_IRGN0_WBWA (1UL << 8)
#define VTCR_ORGN0_WBWA (1UL << 10)
#define VTCR_SH0_INNER	(3UL << 12)
#define VTCR_TG0_4K	(0UL << 14)
#define VTCR_PS_32BIT	(0UL << 16)
#define VTCR_RES1	(1UL << 31)

static bool is_block_aligned(uint64_t value)
{
	return (value & (STAGE2_BLOCK_SIZE - 1)) == 0;
}

bool stage2_build(struct stage2_tables *t, uint64_t table_pa, uint64_t pa_base, uint64_t ram_size)
{
	uint64_t l2_pa = table_pa + offsetof(struct stage2_tables, l2);

	if (!is_block_aligned(pa_base) || !is_block_aligned(ram_size) || ram_size == 0 ||
	    ram_size > STAGE2_MAX_RAM)
		return false;
	for (size_t i = 0; i < STAGE2_ENTRIES; i++) {
		t->l1[i] = 0;
		t->l2[i] = 0;
	}
	t->l1[0] = l2_pa | DESC_VALID | DESC_TABLE;
	for (uint64_t i = 0; i < ram_size / STAGE2_BLOCK_SIZE; i++)
		t->l2[i] = (pa_base + i * STAGE2_BLOCK_SIZE) | S2_BLOCK_RAM;
	return true;
}

bool stage2_translate(const struct stage2_tables *t, uint64_t ipa, uint64_t *pa)
{
	uint64_t l1e, l2e;

	if (ipa >> 32)
		return false;
	l1e = t->l1[(ipa >> L1_SHIFT) & (STAGE2_ENTRIES - 1)];
	/* Only entry 0 can be valid, and it points to our own level-2 table. */
	if (!(l1e & DESC_VALID) || (ipa >> L1_SHIFT) != 0)
		return false;
	l2e = t->l2[(ipa >> L2_SHIFT) & (STAGE2_ENTRIES - 1)];
	if (!(l2e & DESC_VALID) || (l2e & DESC_TABLE))
		return false;
	*pa = (l2e & ADDR_MASK & ~(STAGE2_BLOCK_SIZE - 1)) | (ipa & (STAGE2_BLOCK_SIZE - 1));
	return true;
}

uint64_t stage2_vttbr(uint64_t table_pa, uint16_t vmid)
{
	return ((uint64_t)vmid << 48) | (table_pa & ADDR_MASK);
}

uint64_t stage2_vtcr(void)
{
	return VTCR_T0SZ_32 | VTCR_SL0_LEVEL1 | VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA | VTCR_SH0_INNER |
	       VTCR_TG0_4K | VTCR_PS_32BIT | VTCR_RES1;
}
