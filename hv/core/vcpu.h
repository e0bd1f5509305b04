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

#define VM_TRAP_CLASSES 64 /* ESR_EL2.EC is 6 bits */

/*
 * One increment per exit, counted by the vCPU that exited: synchronous traps are counted by
 * exception class (ESR_EL2.EC) in the dispatcher, so no handler counts again; the totals are summed
 * when someone asks (vm_stats_exits).
 */
struct vm_stats {
	uint64_t traps[VM_TRAP_CLASSES]; /* synchronous exceptions by ESR_EL2.EC */
	uint64_t irq_exits;		 /* physical interrupts taken while it ran */
	uint64_t faults;		 /* FIQs and SErrors taken from it */
	uint64_t mmio_reads, mmio_writes;
	uint64_t virq;	 /* virtual interrupts delivered (VI raised) */
	uint64_t undef;	 /* undefined-instruction exceptions injected */
	uint64_t aborts; /* external aborts injected (accesses outside its RAM) */
};

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
	 * What its VM's devices present to it (VCPU_IRQ_* bits), worked out
	 * under vm->lock whenever they change (vm_refresh_irq_inputs_locked)
	 * and read without the lock by its own core: deciding HCR_EL2.VI on
	 * every trap takes no lock.
	 */
	uint8_t irq_inputs;
	/*
	 * The guest took its virtual timer interrupt (read its IRQ source
	 * register and saw it) and has not unmasked IRQs since: VI does not
	 * present the timer again meanwhile (sched_update_virq).
	 */
	bool vtimer_taken;
	uint64_t vtimer_taken_cpu_us; /* its CPU time then, to bound how long it holds */
	uint64_t cpu_time_us;
	uint64_t ran_since_us; /* when it last got the core */
	unsigned int pcpu;     /* the physical core it runs on, for its VM's life */
	/*
	 * While it is VCPU_WAITING because it was polling a device for nothing
	 * (sched_nap): when the nap ends at the latest, board time. 0 otherwise.
	 */
	uint64_t nap_until_us;
	/* PSCI CPU_ON asked for it: its core resets it to start at entry with x0 = context. */
	bool power_on_pending;
	uint64_t power_on_entry, power_on_context;
	struct vm_stats stats;
};

/* Sets the architectural reset state: PC = entry, x0 = arg, EL1h, interrupts masked, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);

/* The vCPU's virtual timer interrupt line (CNTV_CTL_EL0: ENABLE, not IMASK, ISTATUS). */
bool vcpu_vtimer_line(const struct vcpu *v, bool running);

#define VCPU_IRQ_WITHOUT_VTIMER 1U /* a device interrupt for it, its virtual timer line low */
#define VCPU_IRQ_WITH_VTIMER	2U /* the same with its virtual timer line high */

/* Its IRQ input given its virtual timer's line (from irq_inputs: no lock). */
static inline bool vcpu_irq_input(const struct vcpu *v, bool vtimer_line)
{
	uint8_t inputs = __atomic_load_n(&v->irq_inputs, __ATOMIC_ACQUIRE);

	return inputs & (vtimer_line ? VCPU_IRQ_WITH_VTIMER : VCPU_IRQ_WITHOUT_VTIMER);
}

/* Whether the vCPU has an interrupt to take (its virtual IRQ input is asserted). */
bool vcpu_irq_pending(const struct vcpu *v, bool running);
