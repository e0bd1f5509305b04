/*
 * EL1 exception vector table (VBAR_EL1). Arm ARM, "Exception vectors":
 * 16 entries of 0x80 bytes, in four groups by where the exception came
 * from (current EL with SP_EL0, current EL with SP_EL1, lower EL in AArch64,
 * lower EL in AArch32), each with synchronous, IRQ, FIQ and SError entries.
 *
 * Every entry pushes a struct trap_frame on the current SP_EL1 stack and
 * calls exc_dispatch(frame, kind), kind being the entry's index 0..15
 * (enum exc_kind). When the handler returns, exc_return restores the frame,
 * which the handler may have changed (a system call's result in x0), and
 * erets. For an exception from EL0 the stack is the kernel stack of the
 * interrupted process, so a scheduler can switch stacks inside the handler
 * and return through another process's frame.
 */
#include "lib/trap_frame.h"

.macro ventry kind
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X0]
	mov	x1, #\kind
	b	exc_entry
.endm

	.text
	.balign	0x800
	.global	exc_vectors
exc_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/*   IRQ */
	ventry	2	/*   FIQ */
	ventry	3	/*   SError */
	ventry	4	/* current EL, SP_EL1: sync */
	ventry	5	/*   IRQ */
	ventry	6	/*   FIQ */
	ventry	7	/*   SError */
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9	/*   IRQ */
	ventry	10	/*   FIQ */
	ventry	11	/*   SError */
	ventry	12	/* lower EL, AArch32: sync */
	ventry	13	/*   IRQ */
	ventry	14	/*   FIQ */
	ventry	15	/*   SError */

/* x0 and x1 are saved already; x1 holds the kind. */
exc_entry:
	stp	x2, x3, [sp, #8 * 2]
	stp	x4, x5, [sp, #8 * 4]
	stp	x6, x7, [sp, #8 * 6]
	stp	x8, x9, [sp, #8 * 8]
	stp	x10, x11, [sp, #8 * 10]
	stp	x12, x13, [sp, #8 * 12]
	stp	x14, x15, [sp, #8 * 14]
	stp	x16, x17, [sp, #8 * 16]
	stp	x18, x19, [sp, #8 * 18]
	stp	x20, x21, [sp, #8 * 20]
	stp	x22, x23, [sp, #8 * 22]
	stp	x24, x25, [sp, #8 * 24]
	stp	x26, x27, [sp, #8 * 26]
	stp	x28, x29, [sp, #8 * 28]
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #TF_X30]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_ELR]
	mov	x0, sp
	bl	exc_dispatch

/* Resumes the context saved in the trap frame at SP. */
	.global	exc_return
exc_return:
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x30, x2, [sp, #TF_X30]
	msr	sp_el0, x2
	ldp	x0, x1, [sp, #8 * 0]
	ldp	x2, x3, [sp, #8 * 2]
	ldp	x4, x5, [sp, #8 * 4]
	ldp	x6, x7, [sp, #8 * 6]
	ldp	x8, x9, [sp, #8 * 8]
	ldp	x10, x11, [sp, #8 * 10]
	ldp	x12, x13, [sp, #8 * 12]
	ldp	x14, x15, [sp, #8 * 14]
	ldp	x16, x17, [sp, #8 * 16]
	ldp	x18, x19, [sp, #8 * 18]
	ldp	x20, x21, [sp, #8 * 20]
	ldp	x22, x23, [sp, #8 * 22]
	ldp	x24, x25, [sp, #8 * 24]
	ldp	x26, x27, [sp, #8 * 26]
	ldp	x28, x29, [sp, #8 * 28]
	add	sp, sp, #TF_SIZE
	eret
