/*
 * Compiled to assembly only (never linked): each DEFINE() leaves a
 * "->NAME value" marker that hv.mk turns into build/hv/include/asm-offsets.h,
 * so assembly never hard-codes a structure offset.
 */
#include <stddef.h>
#include "arch/arm64/context.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/trap_frame.h"
#include "core/pcpu.h"
#include "core/trap.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(FRAME_SIZE, sizeof(struct trap_frame));
	DEFINE(FRAME_SP, offsetof(struct trap_frame, sp));
	DEFINE(FRAME_ELR, offsetof(struct trap_frame, elr));
	DEFINE(FRAME_SPSR, offsetof(struct trap_frame, spsr));
	DEFINE(PCPU_PENDING_WORK, offsetof(struct pcpu, pending_work));
	DEFINE(PCPU_VTIMER_IRQ_MASKED, offsetof(struct pcpu, vtimer_irq_masked));
	DEFINE(TRAP_NEXT_RESCHEDULE, TRAP_RESCHEDULE);
	DEFINE(FPSIMD_FPSR, offsetof(struct fpsimd_state, fpsr));
	DEFINE(MMU_BOOT_MAIR, offsetof(struct mmu_boot_regs, mair));
	DEFINE(MMU_BOOT_TCR, offsetof(struct mmu_boot_regs, tcr));
	DEFINE(MMU_BOOT_TTBR0, offsetof(struct mmu_boot_regs, ttbr0));
	DEFINE(MMU_BOOT_SCTLR, offsetof(struct mmu_boot_regs, sctlr));
}
