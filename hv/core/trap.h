#pragma once
/*
 * Trap handling in the hypervisor core: what happens after the vectors
 * have saved the interrupted context (see docs/architecture.md, "The life
 * of a trap").
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

/* A physical interrupt while the hypervisor itself ran (idle or shell). */
void trap_irq_in_hypervisor(void);
/* A crash on this core: every other core is interrupted and halts where it is. */
void trap_halt_other_cores(void);

/* What the vectors do after trap_guest_sync (values used by vectors.S). */
enum trap_next {
	TRAP_RESUME = 0,	   /* handled: restore x0-x19, x30 and return to the guest */
	TRAP_RESCHEDULE = 1,	   /* handled, but the scheduler's slow path must run */
	TRAP_NEEDS_FULL_FRAME = 2, /* not handled yet: it needs x20-x29 in the frame */
};

/*
 * A synchronous exception from a guest, dispatched by ESR_EL2.EC, on the
 * partial frame the vectors save first: x0-x19, x30, ELR_EL2, SPSR_EL2
 * (x20-x29 are callee-saved in AAPCS64, so C code leaves them in place).
 * Unless it returns TRAP_RESUME, the vectors complete the frame and call
 * trap_guest_sync_full with its answer.
 */
enum trap_next trap_guest_sync(struct trap_frame *frame, uint64_t esr);
/* With the complete frame: handles the exception if not done yet, then the scheduler. */
void trap_guest_sync_full(struct trap_frame *frame, uint64_t esr, enum trap_next next);
/*
 * A physical interrupt while a guest ran, on the partial frame (as for
 * trap_guest_sync): TRAP_RESCHEDULE asks the vectors to complete the frame
 * and call sched_return_to_guest.
 */
enum trap_next trap_irq_from_guest(void);
/* An SError/FIQ from a guest: stops the VM. */
void trap_guest_fault(struct trap_frame *frame, const char *what, uint64_t esr);

/*
 * The assembly answers of vectors.S (guest_sync: ID register reads and the
 * identity hypercalls) on or off, on every core: off, every trap goes
 * through the C it stands for (the shell's `fastpath`). On at boot.
 */
void trap_set_asm_answers(bool on);
bool trap_asm_answers(void);
/* Loads this core's VBAR_EL2 with the vector table asked for (after a kick: WORK_VECTORS). */
void trap_load_vectors(void);
