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

/*
 * A whole frame copied: 17 load and store pairs, inline. A plain struct
 * assignment calls memcpy, whose loop costs three times that; a VM switch
 * copies two frames.
 */
static inline void trap_frame_copy(struct trap_frame *dst, const struct trap_frame *src)
{
	const uint64_t *from = (const uint64_t *)src;
	uint64_t *to = (uint64_t *)dst;

#pragma GCC unroll 17
	for (unsigned int i = 0; i < sizeof(*src) / sizeof(uint64_t); i += 2) {
		uint64_t a = from[i], b = from[i + 1];

		to[i] = a;
		to[i + 1] = b;
	}
}
