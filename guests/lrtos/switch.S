/*
 * void ctx_switch(struct context *save, const struct context *load)
 *
 * A function call like any other for the C caller: the AAPCS64 lets a
 * callee clobber x0-x18, so only x19-x29, the link register and SP need
 * saving. The call "returns" in another context, at the LR stored in load
 * (for a process that never ran: exc_return, with SP at its trap frame).
 */
#include "lrtos/proc.h"

	.text
	.global	ctx_switch
ctx_switch:
	stp	x19, x20, [x0, #CTX_X19 + 8 * 0]
	stp	x21, x22, [x0, #CTX_X19 + 8 * 2]
	stp	x23, x24, [x0, #CTX_X19 + 8 * 4]
	stp	x25, x26, [x0, #CTX_X19 + 8 * 6]
	stp	x27, x28, [x0, #CTX_X19 + 8 * 8]
	stp	x29, x30, [x0, #CTX_X29]
	mov	x9, sp
	str	x9, [x0, #CTX_SP]

	ldp	x19, x20, [x1, #CTX_X19 + 8 * 0]
	ldp	x21, x22, [x1, #CTX_X19 + 8 * 2]
	ldp	x23, x24, [x1, #CTX_X19 + 8 * 4]
	ldp	x25, x26, [x1, #CTX_X19 + 8 * 6]
	ldp	x27, x28, [x1, #CTX_X19 + 8 * 8]
	ldp	x29, x30, [x1, #CTX_X29]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	ret
