/*
 * What regs_writer and regs_reader share (issue 14, isolation): the EL1/EL0
 * registers a guest can write, each with the writer's pattern and the
 * reader's. Both guests are linked the same way, so the guest library's
 * functions (systimer_now, console_printf) sit at the same addresses in
 * both: the writer aims its breakpoints at them.
 */
#pragma once

#include "lib/sysreg.h"

#include <stdbool.h>
#include <stdint.h>

struct reg {
	const char *name;
	uint64_t (*read)(void);
	void (*write)(uint64_t value);
	uint64_t writer, reader; /* the two guests' patterns */
	uint64_t mask;		 /* the bits compared (read-only status bits left out) */
	bool exceptions_clobber; /* an IRQ taken by the guest rewrites it (ELR, SPSR) */
};

#define ACCESSORS(name)                                                                            \
	static inline uint64_t read_##name(void)                                                   \
	{                                                                                          \
		return read_sysreg(name);                                                          \
	}                                                                                          \
	static inline void write_##name(uint64_t value)                                            \
	{                                                                                          \
		write_sysreg(name, value);                                                         \
		isb();                                                                             \
	}
#define REG(name, w, r)                                                                            \
	{                                                                                          \
#name, read_##name, write_##name, w, r, ~0ULL, false                               \
	}
#define REG_MASKED(name, w, r, m)                                                                  \
	{                                                                                          \
#name, read_##name, write_##name, w, r, m, false                                   \
	}
#define REG_EXC(name, w, r)                                                                        \
	{                                                                                          \
#name, read_##name, write_##name, w, r, ~0ULL, true                                \
	}

ACCESSORS(sctlr_el1)
ACCESSORS(cpacr_el1)
ACCESSORS(ttbr0_el1)
ACCESSORS(ttbr1_el1)
ACCESSORS(tcr_el1)
ACCESSORS(mair_el1)
ACCESSORS(contextidr_el1)
ACCESSORS(esr_el1)
ACCESSORS(far_el1)
ACCESSORS(par_el1)
ACCESSORS(tpidr_el0)
ACCESSORS(tpidrro_el0)
ACCESSORS(tpidr_el1)
ACCESSORS(sp_el0)
ACCESSORS(elr_el1)
ACCESSORS(spsr_el1)
ACCESSORS(cntkctl_el1)
ACCESSORS(mdscr_el1)
ACCESSORS(cntv_cval_el0)
ACCESSORS(cntv_ctl_el0)
ACCESSORS(csselr_el1)
ACCESSORS(actlr_el1)
ACCESSORS(mdccint_el1)
ACCESSORS(dbgbvr0_el1)
ACCESSORS(dbgbcr0_el1)
ACCESSORS(dbgbvr1_el1)
ACCESSORS(dbgbcr1_el1)
ACCESSORS(dbgwvr0_el1)
ACCESSORS(dbgwcr0_el1)
ACCESSORS(dbgwvr1_el1)
ACCESSORS(dbgwcr1_el1)
ACCESSORS(fpcr)
ACCESSORS(fpsr)

/* SCTLR_EL1 as the guests run it (MMU off), plus bits that change nothing at EL1. */
#define SCTLR_BASE 0x30d00800ULL
#define SCTLR_UCT  (1ULL << 15)
#define SCTLR_DZE  (1ULL << 14)
#define SCTLR_UCI  (1ULL << 26)
#define CPACR_FPEN (3ULL << 20)
#define CPACR_TTA  (1ULL << 28)
#define MDSCR_TDCC (1ULL << 12)
#define MDSCR_KDE  (1ULL << 13)
#define MDSCR_MDE  (1ULL << 15)
/* DBGBCR: E, PMC = EL1 and EL0, BAS = 0xf. DBGWCR: E, PAC = 3, LSC = load/store, BAS = 0xff. */
#define BCR_ARMED 0x1e7ULL
#define WCR_ARMED 0x1fffULL
#define WCR_2GB	  (31ULL << 24) /* MASK: the low 2 GB, all of a VM's RAM */
/* The addresses the writer's breakpoints aim at (see above). */
#define WRITER_BREAKPOINT0 ((uint64_t)(uintptr_t)systimer_now)
#define WRITER_BREAKPOINT1 ((uint64_t)(uintptr_t)console_printf)

#define REG_TABLE(bp0, bp1)                                                                        \
	{                                                                                          \
		REG(sctlr_el1, SCTLR_BASE | SCTLR_UCT | SCTLR_DZE, SCTLR_BASE | SCTLR_UCI),        \
		    REG(cpacr_el1, CPACR_FPEN | CPACR_TTA, CPACR_FPEN),                            \
		    REG(ttbr0_el1, 0x00aa00001234f000, 0x005500005678e000),                        \
		    REG(ttbr1_el1, 0x00bb0000abcd0000, 0x0044000000ef1000),                        \
		    REG(tcr_el1, 0x180190019, 0x80100010), REG(mair_el1, 0x4404ff, 0x44ff04),      \
		    REG(contextidr_el1, 0x5a5a1234, 0x1234a5a5),                                   \
		    REG(esr_el1, 0x9a000001, 0x5600000a),                                          \
		    REG(far_el1, 0xfeedface00c0ffee, 0x0123456789abcdef),                          \
		    REG(par_el1, 0xff00000012345000, 0x44000000abcde000),                          \
		    REG(tpidr_el0, 0x1111222233334444, 0x5555666677778888),                        \
		    REG(tpidrro_el0, 0x9999aaaabbbbcccc, 0xddddeeeeffff0000),                      \
		    REG(tpidr_el1, 0x1357246813572468, 0x8642975386429753),                        \
		    REG(sp_el0, 0x00000000deadbee0, 0x00000000cafebab0),                           \
		    REG_EXC(elr_el1, 0xffff000000123454, 0x0000000000654320),                      \
		    REG_EXC(spsr_el1, 0x600003c5, 0x300003c4), REG(cntkctl_el1, 0x303, 0x3),       \
		    REG(mdscr_el1, MDSCR_KDE | MDSCR_MDE, MDSCR_TDCC),                             \
		    REG(cntv_cval_el0, 0xaaaa5555aaaa5555, 0x5555aaaa5555aaaa),                    \
		    REG_MASKED(cntv_ctl_el0, 3, 2, 3), /* ISTATUS is status */                     \
		    REG(csselr_el1, 2, 1), REG(actlr_el1, 0x55, 0x2a),                             \
		    REG(mdccint_el1, 1ULL << 29, 1ULL << 30), REG(dbgbvr0_el1, bp0, 0x123450),     \
		    REG(dbgbcr0_el1, BCR_ARMED, BCR_ARMED & ~1ULL),                                \
		    REG(dbgbvr1_el1, bp1, 0x234560), REG(dbgbcr1_el1, BCR_ARMED, 0x1e4),           \
		    REG(dbgwvr0_el1, 0, 0x345670),                                                 \
		    REG(dbgwcr0_el1, WCR_ARMED | WCR_2GB, WCR_ARMED & ~1ULL),                      \
		    REG(dbgwvr1_el1, 0x80000, 0x456780), REG(dbgwcr1_el1, WCR_ARMED, 0x1fe6),      \
	}

/* FP/SIMD control and status: usable only once CPACR_EL1.FPEN allows FP/SIMD. */
#define FP_CONTROL_TABLE                                                                           \
	{                                                                                          \
		REG(fpcr, 0x03000000, 0x00c00000), REG(fpsr, 0x1f, 0x08000000)                     \
	}

/* The FP/SIMD registers: Vn's low half gets pattern + n (writer) or pattern - n (reader). */
#define FP_WRITER_PATTERN 0x0f0f0f0f00000000ULL
#define FP_READER_PATTERN 0xf0f0f0f000000000ULL

#define FP_MOV_TO(n) "fmov d" #n ", %0\n\tadd %0, %0, %1\n\t"
#define FP_MOV_FROM(n)                                                                             \
	"fmov x9, d" #n "\n\t"                                                                     \
	"str x9, [%0], #8\n\t"

/* Vn = first + n * step (low 64 bits), n = 0..31. */
static inline void fp_fill(uint64_t first, uint64_t step)
{
	__asm__ volatile(FP_MOV_TO(0) FP_MOV_TO(1) FP_MOV_TO(2) FP_MOV_TO(3) FP_MOV_TO(4)
			     FP_MOV_TO(5) FP_MOV_TO(6) FP_MOV_TO(7) FP_MOV_TO(8) FP_MOV_TO(9)
				 FP_MOV_TO(10) FP_MOV_TO(11) FP_MOV_TO(12) FP_MOV_TO(13)
				     FP_MOV_TO(14) FP_MOV_TO(15) FP_MOV_TO(16) FP_MOV_TO(17)
					 FP_MOV_TO(18) FP_MOV_TO(19) FP_MOV_TO(20) FP_MOV_TO(21)
					     FP_MOV_TO(22) FP_MOV_TO(23) FP_MOV_TO(24) FP_MOV_TO(25)
						 FP_MOV_TO(26) FP_MOV_TO(27) FP_MOV_TO(28)
						     FP_MOV_TO(29) FP_MOV_TO(30) FP_MOV_TO(31)
			 : "+r"(first)
			 : "r"(step)
			 : "memory");
}

/* out[n] = Vn's low 64 bits. */
static inline void fp_read(uint64_t out[32])
{
	__asm__ volatile(
	    FP_MOV_FROM(0) FP_MOV_FROM(1) FP_MOV_FROM(2) FP_MOV_FROM(3) FP_MOV_FROM(4)
		FP_MOV_FROM(5) FP_MOV_FROM(6) FP_MOV_FROM(7) FP_MOV_FROM(8) FP_MOV_FROM(9)
		    FP_MOV_FROM(10) FP_MOV_FROM(11) FP_MOV_FROM(12) FP_MOV_FROM(13) FP_MOV_FROM(14)
			FP_MOV_FROM(15) FP_MOV_FROM(16) FP_MOV_FROM(17) FP_MOV_FROM(18)
			    FP_MOV_FROM(19) FP_MOV_FROM(20) FP_MOV_FROM(21) FP_MOV_FROM(22)
				FP_MOV_FROM(23) FP_MOV_FROM(24) FP_MOV_FROM(25) FP_MOV_FROM(26)
				    FP_MOV_FROM(27) FP_MOV_FROM(28) FP_MOV_FROM(29) FP_MOV_FROM(30)
					FP_MOV_FROM(31)
	    : "+r"(out)
	    :
	    : "x9", "memory");
}
