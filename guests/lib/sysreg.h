#pragma once
/*
 * What the guests (EL1 and EL0) add to the system register accessors,
 * barriers and IRQ masking they share with the hypervisor
 * (hv/arch/arm64/sysreg_access.h): waiting for an interrupt, halting.
 *
 * Nothing here or there reads a register that HCR_EL2.TID1/TID2/TID3 or
 * TACR would trap (ID registers, CTR_EL0, CLIDR_EL1, CCSIDR_EL1, ACTLR_EL1): a guest
 * that avoids them costs the hypervisor no emulation.
 */

#include "arch/arm64/sysreg_access.h"

#ifndef __ASSEMBLY__
/*
 * Sleeps until an interrupt arrives and lets it be handled; call with IRQs
 * masked, returns with IRQs masked.
 *
 * WFI is executed while PSTATE.I is still set: a pending IRQ wakes the core
 * even when masked (Arm ARM, "Wait for Interrupt", wake-up events), so an
 * interrupt that arrived after the caller's last check cannot be lost.
 * Unmasking then takes it; the ISB makes sure it is taken before IRQs are
 * masked again.
 * Under aVisor, WFI traps to EL2 (HCR_EL2.TWI), which runs other VMs until
 * this one has a virtual interrupt pending.
 */
static inline void wait_for_interrupt(void)
{
	__asm__ volatile("wfi\n\t"
			 "msr daifclr, #2\n\t"
			 "isb\n\t"
			 "msr daifset, #2" ::
			     : "memory");
}

/* Parks the core for good. */
static inline __attribute__((noreturn)) void halt(void)
{
	irq_mask();
	for (;;)
		wfi();
}
#endif
