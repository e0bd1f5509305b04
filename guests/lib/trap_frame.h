#pragma once
/*
 * The registers vectors.S saves on every exception taken to EL1, in the
 * order it stores them. The offsets are spelled out for the assembly and
 * checked against the C structure below, so the two cannot drift apart.
 */

#define TF_X0	0 /* x0..x30 at 8 * n */
#define TF_X30	240
#define TF_SP0	248 /* SP_EL0: the user stack pointer when the exception came from EL0 */
#define TF_ELR	256 /* ELR_EL1: where to resume */
#define TF_SPSR 264 /* SPSR_EL1: PSTATE to resume with */
#define TF_SIZE 272 /* a multiple of 16: SP must stay 16-byte aligned */

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t elr;
	uint64_t spsr;
};

_Static_assert(offsetof(struct trap_frame, x[30]) == TF_X30, "TF_X30");
_Static_assert(offsetof(struct trap_frame, sp_el0) == TF_SP0, "TF_SP0");
_Static_assert(offsetof(struct trap_frame, elr) == TF_ELR, "TF_ELR");
_Static_assert(offsetof(struct trap_frame, spsr) == TF_SPSR, "TF_SPSR");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");
#endif
