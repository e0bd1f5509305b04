#pragma once
/*
 * The EL1/EL0 state of a vCPU beyond its general registers: what must be
 * saved when one vCPU leaves the physical core and restored when another
 * arrives. A trap handled for the running vCPU touches none of this — only
 * a switch between vCPUs does (see core/sched.c).
 */
#include <stdint.h>

struct el1_sysregs {
	uint64_t sctlr_el1, cpacr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t cntkctl_el1, mdscr_el1;
	/* The EL1 virtual timer: the guest programs it directly (not trapped). */
	uint64_t cntv_ctl_el0, cntv_cval_el0;
};

/* FP/SIMD registers V0-V31 and the FP control and status registers. */
struct fpsimd_state {
	uint64_t v[64] __attribute__((aligned(16)));
	uint64_t fpsr, fpcr;
};

void el1_sysregs_save(struct el1_sysregs *r);
void el1_sysregs_restore(const struct el1_sysregs *r);
/* In fpsimd.S: the hypervisor itself never uses FP/SIMD (-mgeneral-regs-only). */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);
