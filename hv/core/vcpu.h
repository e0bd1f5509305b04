#pragma once
/*
 * A virtual CPU: the complete state of one guest core while it is off the
 * physical core. While it runs, its general registers live in the trap frame
 * on the EL2 stack and its system registers in the hardware.
 */
#include "arch/arm64/context.h"
#include "arch/arm64/trap_frame.h"
#include "core/vdebug.h"

#include <stdbool.h>
#include <stdint.h>

struct vm;

enum vcpu_state {
	VCPU_OFF,      /* not started, or its VM is stopped */
	VCPU_RUNNABLE, /* wants the core */
	VCPU_WAITING,  /* in WFI until it has an interrupt to take */
};

struct vcpu {
	struct vm *vm;
	unsigned int index; /* within its VM: MPIDR_EL1.Aff0 as the guest sees it */
	enum vcpu_state state;
	struct trap_frame regs; /* x0-x30, PC (elr), PSTATE (spsr) */
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	uint64_t csselr_el1; /* emulated: HCR_EL2.TID2 traps CSSELR_EL1 */
	uint64_t actlr_el1;  /* emulated: HCR_EL2.TACR traps ACTLR_EL1 */
	struct vdebug debug; /* emulated: MDCR_EL2.TDA/TDOSA/TDRA trap the debug registers */
	bool irq_line;	     /* its virtual IRQ input when it last entered the guest */
	/*
	 * The guest took its virtual timer interrupt (read its IRQ source
	 * register and saw it) and has not unmasked IRQs since: VI does not
	 * present the timer again meanwhile (sched_update_virq).
	 */
	bool vtimer_taken;
	uint64_t vtimer_taken_cpu_us; /* its CPU time then, to bound how long it holds */
	uint64_t cpu_time_us;
	uint64_t ran_since_us; /* when it last got the core */
};

/* Sets the architectural reset state: PC = entry, x0 = arg, EL1h, interrupts masked, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);

/* The vCPU's virtual timer interrupt line (CNTV_CTL_EL0: ENABLE, not IMASK, ISTATUS). */
bool vcpu_vtimer_line(const struct vcpu *v, bool running);

/* Whether the vCPU has an interrupt to take (its virtual IRQ input is asserted). */
bool vcpu_irq_pending(const struct vcpu *v, bool running);
