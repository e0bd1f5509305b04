#pragma once
/*
 * The hypervisor's own stage-1 translation (EL2 regime: TTBR0_EL2, TCR_EL2,
 * MAIR_EL2, SCTLR_EL2). An identity map (VA == PA) of the low 4 GiB:
 *   - the hypervisor image with 4 KiB pages: text read-only + executable,
 *     rodata read-only, data/bss/page tables/stacks read-write + never-execute;
 *   - the rest of RAM as 2 MiB blocks of Normal write-back cacheable memory,
 *     never-execute (the hypervisor only executes its own text);
 *   - the peripherals and the local peripherals as Device-nGnRnE, never-execute;
 *   - nothing else: any other address faults.
 */
#include <stdint.h>

struct mmu_layout {
	uint64_t ram_end;      /* end of Normal memory (start of the device window) */
	uint64_t device_start; /* device window: [device_start, device_end), 2 MiB aligned */
	uint64_t device_end;
};

/* Builds the tables and turns on the MMU with data and instruction caches. */
void mmu_enable(const struct mmu_layout *layout);

/*
 * The EL2 translation registers as core 0 set them, for the other cores:
 * boot.S loads them before a secondary core's first memory access with the
 * MMU on (offsets in asm-offsets.h).
 */
struct mmu_boot_regs {
	uint64_t mair, tcr, ttbr0, sctlr;
};
extern struct mmu_boot_regs mmu_boot_regs;
