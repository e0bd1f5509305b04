#pragma once
/*
 * Exception dispatch for EL1: a table with one handler per vector entry
 * (enum exc_kind, the entry's index in the vector table), and a default for
 * every entry. IRQs go to irq_dispatch(); everything else is reported with
 * its syndrome and stops the guest, unless the guest registers a handler
 * (lrtos handles synchronous exceptions from EL0: system calls and faults).
 */
#include "lib/trap_frame.h"

enum exc_kind {
	EXC_CUR_SP0_SYNC = 0,
	EXC_CUR_SP0_IRQ = 1,
	EXC_CUR_SP0_FIQ = 2,
	EXC_CUR_SP0_SERROR = 3,
	EXC_CUR_SPX_SYNC = 4,
	EXC_CUR_SPX_IRQ = 5,
	EXC_CUR_SPX_FIQ = 6,
	EXC_CUR_SPX_SERROR = 7,
	EXC_LOWER64_SYNC = 8,
	EXC_LOWER64_IRQ = 9,
	EXC_LOWER64_FIQ = 10,
	EXC_LOWER64_SERROR = 11,
	EXC_LOWER32_SYNC = 12,
	EXC_LOWER32_IRQ = 13,
	EXC_LOWER32_FIQ = 14,
	EXC_LOWER32_SERROR = 15,
	EXC_KINDS = 16,
};

typedef void (*exc_handler_fn)(struct trap_frame *tf);

/* Replaces the handler of one vector entry (NULL restores "fatal"). */
void exc_set_handler(enum exc_kind kind, exc_handler_fn fn);

/* Called by vectors.S with the saved registers and the vector entry's index. */
void exc_dispatch(struct trap_frame *tf, unsigned int kind);

/* Prints the exception, its syndrome and the saved PC, then stops the guest. */
__attribute__((noreturn)) void exc_fatal(const struct trap_frame *tf, unsigned int kind);

/* Resumes the context in the trap frame at SP (vectors.S); used to start new contexts. */
void exc_return(void);
