#pragma once
/*
 * System register access, barriers and interrupt masking for the guests
 * (EL1 and EL0). Register and field names follow the Arm Architecture
 * Reference Manual for A-profile (Arm ARM), AArch64 System Register
 * Descriptions.
 *
 * Nothing here reads a register that HCR_EL2.TID1/TID2/TID3 or TACR would
 * trap (ID registers, CTR_EL0, CLIDR_EL1, CCSIDR_EL1, ACTLR_EL1): a guest
 * that avoids them costs the hypervisor no emulation.
 */

/* Constants shared with assembly, which does not know the UL suffix. */
#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* SPSR_ELx.M[3:0] and the DAIF mask bits (SPSR_EL1, SPSR_EL2). */
#define SPSR_EL0T	 UL(0x0)
#define SPSR_EL1H	 UL(0x5)
#define SPSR_DAIF_MASKED (UL(0xF) << 6)

#ifndef __ASSEMBLY__
#include <stdint.h>

#define read_sysreg(name)                                                                          \
	({                                                                                         \
		uint64_t _val;                                                                     \
		__asm__ volatile("mrs %0, " #name : "=r"(_val));                                   \
		_val;                                                                              \
	})

#define write_sysreg(name, val)                                                                    \
	do {                                                                                       \
		uint64_t _val = (uint64_t)(val);                                                   \
		__asm__ volatile("msr " #name ", %0" : : "r"(_val) : "memory");                    \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/* Completes earlier memory accesses and maintenance in the Inner Shareable domain. */
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

/* CurrentEL.EL, bits [3:2]. */
static inline unsigned int current_el(void)
{
	return (unsigned int)(read_sysreg(CurrentEL) >> 2) & 3;
}

/* PSTATE.I masks IRQs at the current exception level. */
static inline void irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

static inline void irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

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
		__asm__ volatile("wfi" ::: "memory");
}
#endif
