#pragma once
/*
 * Trap handling in the hypervisor core: what happens after the vectors
 * have saved the interrupted context (see docs/architecture.md, "The life
 * of a trap").
 */
#include "arch/arm64/trap_frame.h"

#include <stdint.h>

/* A physical interrupt while the hypervisor itself ran (idle or shell). */
void trap_irq_in_hypervisor(void);
/* A physical interrupt while a guest ran. */
void trap_irq_from_guest(struct trap_frame *frame);
/* A synchronous exception from a guest, dispatched by ESR_EL2.EC. */
void trap_guest_sync(struct trap_frame *frame, uint64_t esr);
/* An SError/FIQ from a guest: stops the VM. */
void trap_guest_fault(struct trap_frame *frame, const char *what, uint64_t esr);
