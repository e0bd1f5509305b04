/*
 * Compiled to assembly only (never linked): each DEFINE() leaves a
 * "->NAME value" marker that hv.mk turns into build/hv/include/asm-offsets.h,
 * so assembly never hard-codes a structure offset.
 */
#include <stddef.h>
#include "arch/arm64/context.h"
#include "arch/arm64/esr.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/trap_frame.h"
#include "core/hypercall.h"
#include "core/pcpu.h"
#include "core/sysreg_emul.h"
#include "core/trap.h"
#include "core/vcpu.h"
#include "core/vm.h"

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
	DEFINE(PCPU_RUNNING, offsetof(struct pcpu, running));
	DEFINE(VCPU_VM, offsetof(struct vcpu, vm));
	DEFINE(VCPU_INDEX, offsetof(struct vcpu, index));
	DEFINE(VCPU_TRAPS_HVC64, offsetof(struct vcpu, stats.traps) + 8 * EC_HVC64);
	DEFINE(VCPU_TRAPS_SYSREG, offsetof(struct vcpu, stats.traps) + 8 * EC_SYSREG);
	DEFINE(VM_ID_FIELD, offsetof(struct vm, id));
	DEFINE(ESR_EC_HVC64, EC_HVC64);
	DEFINE(ESR_EC_SYSREG, EC_SYSREG);
	DEFINE(ID_SPACE_CRM_FIRST, SYSREG_ID_SPACE_CRM_FIRST);
	DEFINE(HC_FN_VERSION, HC_VERSION);
	DEFINE(HC_FN_VM_ID, HC_VM_ID);
	DEFINE(HC_VERSION_ANSWER, (HC_ABI_MAJOR << 16) | HC_ABI_MINOR);
	DEFINE(TRAP_NEXT_RESCHEDULE, TRAP_RESCHEDULE);
	DEFINE(FPSIMD_FPSR, offsetof(struct fpsimd_state, fpsr));
	DEFINE(MMU_BOOT_MAIR, offsetof(struct mmu_boot_regs, mair));
	DEFINE(MMU_BOOT_TCR, offsetof(struct mmu_boot_regs, tcr));
	DEFINE(MMU_BOOT_TTBR0, offsetof(struct mmu_boot_regs, ttbr0));
	DEFINE(MMU_BOOT_SCTLR, offsetof(struct mmu_boot_regs, sctlr));
}
