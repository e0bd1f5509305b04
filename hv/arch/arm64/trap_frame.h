#pragma once
/*
 * The registers saved by the EL2 exception vectors (vectors.S) on every
 * exception entry, in the order they are pushed. Assembly uses the offsets
 * generated from this structure by asm-offsets.c.
 */
#include <stdint.h>

struct trap_frame {
	uint64_t x[31]; /* x0..x30 (x30 = link register) */
	uint64_t sp;	/* stack pointer of the interrupted context */
	uint64_t elr;	/* ELR_EL2: where the exception was taken */
	uint64_t spsr;	/* SPSR_EL2: PSTATE of the interrupted context */
};

_Static_assert(sizeof(struct trap_frame) % 16 == 0, "the AArch64 stack must stay 16-byte aligned");
