#pragma once
/*
 * What any AArch64 code needs to talk to its own exception level, whatever
 * that level is: system register access, barriers, IRQ masking and the
 * SPSR values an ERET starts a lower level with. The hypervisor
 * (arch/arm64/sysreg.h adds the EL2 register fields) and the guests
 * (guests/lib/sysreg.h) both build on this one copy. Names follow the Arm
 * Architecture Reference Manual for A-profile (Arm ARM).
 *
 * Usable from assembly too: only the constants are visible there.
 */

/* SPSR_ELx.M[3:0], the exception level and stack an ERET returns to, and the DAIF mask bits. */
#define SPSR_EL0T	 0x0UL
#define SPSR_EL1H	 0x5UL
#define SPSR_EL2H	 0x9UL
#define SPSR_DAIF_MASKED (0xfUL << 6)
#define SPSR_I		 (1UL << 7) /* PSTATE.I: IRQs masked */

#ifndef __ASSEMBLY__
#include <stdint.h>

#define read_sysreg(name)                                                                          \
	({                                                                                         \
		uint64_t _val;                                                                     \
		__asm__ volatile("mrs %0, " #name : "=r"(_val));                                   \
		_val;                                                                              \
	})

/*
 * The "memory" clobber keeps the compiler from moving memory accesses
 * across the write: many registers (TTBRx, SCTLR, VBAR, ...) change how
 * the memory around them is seen.
 */
#define write_sysreg(name, val)                                                                    \
	do {                                                                                       \
		uint64_t _val = (uint64_t)(val);                                                   \
		__asm__ volatile("msr " #name ", %0" : : "r"(_val) : "memory");                    \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

/* Completes earlier memory accesses and maintenance in the Inner Shareable domain. */
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
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

/* CurrentEL.EL, bits [3:2]. */
static inline unsigned int current_el(void)
{
	return (unsigned int)(read_sysreg(CurrentEL) >> 2) & 3;
}

/*
 * In a loop waiting for another core: the YIELD hint. On the A53 it does
 * nothing; QEMU, when it runs the cores in turn on one thread (-icount),
 * takes it to mean "run the others now", so the core waited for gets on.
 */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}
#endif
