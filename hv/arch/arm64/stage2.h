#pragma once
/*
 * Stage-2 translation (Arm ARM D8, "The AArch64 Virtual Memory System
 * Architecture", stage 2 of the EL1&0 regime): maps a VM's intermediate
 * physical addresses (IPA, what the guest thinks is physical) to real
 * physical addresses. aVisor gives each VM one contiguous block of RAM at
 * IPA 0, mapped with 2 MiB blocks; every other IPA is left unmapped, so the
 * guest's accesses there fault to EL2 — which is how device windows are
 * trapped for emulation and how stray accesses are caught.
 *
 * Layout: VTCR_EL2.T0SZ = 32 (4 GiB of IPA), 4 KiB granule, walk starting at
 * level 1 (SL0 = 1): one level-1 table whose first entry points to one
 * level-2 table covering IPA 0-1 GiB.
 */
#include <stdbool.h>
#include <stdint.h>

#define STAGE2_ENTRIES	  512
#define STAGE2_BLOCK_SIZE (2UL << 20)
#define STAGE2_MAX_RAM	  (1UL << 30) /* one level-2 table */

struct stage2_tables {
	uint64_t l1[STAGE2_ENTRIES] __attribute__((aligned(4096)));
	uint64_t l2[STAGE2_ENTRIES] __attribute__((aligned(4096)));
};

/*
 * Fills the tables: IPA [0, ram_size) -> PA [pa_base, pa_base + ram_size) as
 * Normal write-back memory, read/write/execute; nothing else mapped.
 * pa_base and ram_size must be 2 MiB aligned, ram_size <= STAGE2_MAX_RAM.
 * `table_pa` is the physical address of `t` (VA == PA in the hypervisor,
 * but the unit tests run elsewhere). Returns false on bad arguments.
 */
bool stage2_build(struct stage2_tables *t, uint64_t table_pa, uint64_t pa_base, uint64_t ram_size);

/* Translates an IPA by walking the tables as the MMU would; false if unmapped. */
bool stage2_translate(const struct stage2_tables *t, uint64_t ipa, uint64_t *pa);

/* VTTBR_EL2 value: table base and the VMID that tags this VM's TLB entries. */
uint64_t stage2_vttbr(uint64_t table_pa, uint16_t vmid);

/* VTCR_EL2 value matching the layout above. */
uint64_t stage2_vtcr(void);
