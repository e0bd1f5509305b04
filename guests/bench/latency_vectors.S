/*
 * The vector table used while interrupt latency is measured (latency.c).
 *
 * Its IRQ entry for the current EL with SP_EL1 (offset 0x280, Arm ARM
 * "Exception vectors") reads CNTVCT_EL0 as its first instruction: that is
 * the moment the guest's handler is entered. No ISB is needed before it:
 * taking an exception is a context synchronization event. The entry then
 * "returns" to latency_irq_done with the value in x0 and PSTATE.DAIF all
 * masked again, as latency_wait_irq's caller had them, so nothing else of
 * the interrupted context needs saving: the interrupted code was the spin.
 *
 * Every other entry is not expected here and goes to the same entry of the
 * guest's normal table (guests/lib/vectors.S), which reports it.
 */
#include "lib/sysreg.h"

.macro forward index
	.balign	0x80
	b	exc_vectors + 0x80 * \index
.endm

	.text
	.balign	0x800
	.global	latency_vectors
latency_vectors:
	forward	0	/* current EL, SP_EL0: sync, IRQ, FIQ, SError */
	forward	1
	forward	2
	forward	3
	forward	4	/* current EL, SP_EL1: sync */
	.balign	0x80	/* current EL, SP_EL1: IRQ */
	mrs	x0, cntvct_el0
	adr	x1, latency_irq_done
	msr	elr_el1, x1
	mov	x1, #(SPSR_DAIF_MASKED | SPSR_EL1H)
	msr	spsr_el1, x1
	eret
	forward	6	/* current EL, SP_EL1: FIQ, SError */
	forward	7
	forward	8	/* lower EL, AArch64 */
	forward	9
	forward	10
	forward	11
	forward	12	/* lower EL, AArch32 */
	forward	13
	forward	14
	forward	15

/*
 * uint64_t latency_wait_irq(void): unmasks IRQs and spins until one is
 * taken; returns CNTVCT_EL0 as read by the vector entry, with IRQs masked.
 * Clobbers x0 and x1 only (both caller-saved, AAPCS64).
 */
	.global	latency_wait_irq
latency_wait_irq:
	msr	daifclr, #2
1:	b	1b
latency_irq_done:
	ret
