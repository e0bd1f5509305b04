#pragma once
/*
 * Trap handling in the hypervisor core: what happens after the vectors
 * have saved the interrupted context.
 */

/* A physical interrupt arrived: let the board dispatch it to its drivers. */
void trap_irq(void);
