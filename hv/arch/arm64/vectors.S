/*
 * EL2 exception vector table (VBAR_EL2). Arm ARM D1.10.2: 16 entries of
 * 0x80 bytes, in four groups by where the exception came from:
 *   current EL using SP_EL0, current EL using SP_ELx,
 *   lower EL in AArch64, lower EL in AArch32;
 * each with synchronous, IRQ, FIQ and SError entries.
 *
 * Every entry saves a struct trap_frame on the EL2 stack and calls a C
 * handler with it; handlers that return resume the interrupted context.
 */
#include "asm-offsets.h"

/*
 * The frame's register pairs, stored (op = stp) or loaded (op = ldp): those
 * a C function may clobber (AAPCS64: x0-x18, and x19 rides along in the
 * pair), and those every C function preserves (x20-x29).
 */
.macro caller_saved_pairs op
	\op	x0, x1, [sp, #16 * 0]
	\op	x2, x3, [sp, #16 * 1]
	\op	x4, x5, [sp, #16 * 2]
	\op	x6, x7, [sp, #16 * 3]
	\op	x8, x9, [sp, #16 * 4]
	\op	x10, x11, [sp, #16 * 5]
	\op	x12, x13, [sp, #16 * 6]
	\op	x14, x15, [sp, #16 * 7]
	\op	x16, x17, [sp, #16 * 8]
	\op	x18, x19, [sp, #16 * 9]
.endm

.macro callee_saved_pairs op
	\op	x20, x21, [sp, #16 * 10]
	\op	x22, x23, [sp, #16 * 11]
	\op	x24, x25, [sp, #16 * 12]
	\op	x26, x27, [sp, #16 * 13]
	\op	x28, x29, [sp, #16 * 14]
.endm

.macro save_elr_spsr
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
.endm

.macro restore_elr_spsr
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
.endm

/* Save x0..x30, the interrupted SP, ELR_EL2 and SPSR_EL2. */
.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	caller_saved_pairs stp
	callee_saved_pairs stp
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #16 * 15]
	save_elr_spsr
.endm

/* Restore what save_frame saved (ELR/SPSR may have been changed by C). */
.macro restore_frame_and_eret
	restore_elr_spsr
	caller_saved_pairs ldp
	callee_saved_pairs ldp
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/*
 * The part of the frame a C function may clobber (x0-x19, x30), and
 * ELR_EL2/SPSR_EL2. x20-x29 are left in the registers: every C function
 * preserves them.
 */
.macro save_partial_frame
	sub	sp, sp, #FRAME_SIZE
	caller_saved_pairs stp
	str	x30, [sp, #16 * 15]
	save_elr_spsr
.endm

/* Turns a partial frame into a full one: x20-x29 (still the guest's) and the interrupted SP. */
.macro complete_partial_frame
	callee_saved_pairs stp
	add	x1, sp, #FRAME_SIZE
	str	x1, [sp, #FRAME_SP]
.endm

.macro restore_partial_frame_and_eret
	restore_elr_spsr
	caller_saved_pairs ldp
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/* A vector entry: 0x80-aligned, branches to its handler stub. */
.macro ventry target
	.balign	0x80
	b	\target
.endm

/* A handler stub: save, call C handler(frame, kind), restore, return. */
.macro handler name, c_function, kind
\name:
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	bl	\c_function
	b	exception_return
.endm

	.text
	.balign	0x800
	.global	el2_vectors
el2_vectors:
	/* Current EL with SP_EL0: the hypervisor never runs on SP_EL0. */
	ventry	unexpected_sync_sp0
	ventry	unexpected_irq_sp0
	ventry	unexpected_fiq_sp0
	ventry	unexpected_serror_sp0
	/* Current EL with SP_EL2: faults in the hypervisor itself, and its IRQs. */
	ventry	hv_sync
	ventry	hv_irq
	ventry	hv_fiq
	ventry	hv_serror
	/* Lower EL, AArch64: guests (EL1/EL0). */
	ventry	guest_sync_fast
	ventry	guest_irq_fast
	ventry	guest_fiq
	ventry	guest_serror
	/* Lower EL, AArch32: guests are AArch64-only (HCR_EL2.RW=1). */
	ventry	guest_sync_fast
	ventry	guest_irq_fast
	ventry	guest32_fiq
	ventry	guest32_serror

exception_return:
	restore_frame_and_eret

/*
 * A synchronous exception from a guest (the AArch32 entry too: HCR_EL2.RW
 * makes one impossible, and the dispatcher would treat it the same). Most
 * traps are handled on the partial frame and return through the short
 * restore; trap_guest_sync says when x20-x29 must be in the frame first
 * (enum trap_next: 0 resume, 1 reschedule, 2 handle with the full frame).
 * They are still the guest's then: the C function that returned preserved
 * them. x19 (saved) carries ESR_EL2 across the call.
 *
 * After a handled trap, two checks of this core's struct pcpu (TPIDR_EL2)
 * decide how to go back; their C versions, which say why, are in
 * core/sched.h: sched_can_resume_guest() — no work requested, else the
 * slow path — and sched_update_virq_on_entry() — while the virtual timer
 * interrupt is masked at EL2, HCR_EL2.VI is worked out again. Made here,
 * they let the C dispatcher be a tail call with no stack frame.
 */
guest_sync_fast:
	save_partial_frame
	mrs	x19, esr_el2
	mov	x0, sp
	mov	x1, x19
	bl	trap_guest_sync
	cbnz	w0, 1f
	mrs	x1, tpidr_el2
	ldr	w2, [x1, #PCPU_PENDING_WORK]
	cbnz	w2, 2f
	ldrb	w2, [x1, #PCPU_VTIMER_IRQ_MASKED]
	cbnz	w2, 3f
	restore_partial_frame_and_eret
2:	mov	w0, #TRAP_NEXT_RESCHEDULE
1:	complete_partial_frame
	mov	w2, w0
	mov	x0, sp
	mov	x1, x19
	bl	trap_guest_sync_full
	b	exception_return
3:	ldr	x0, [sp, #FRAME_SPSR]
	bl	sched_update_virq_masked
	restore_partial_frame_and_eret

/*
 * A physical IRQ while a guest ran: its handlers never touch the guest's
 * registers, so the partial frame does unless the scheduler's slow path
 * has to run (trap_irq_from_guest answers TRAP_RESCHEDULE), which may
 * switch vCPUs and needs them all.
 */
guest_irq_fast:
	save_partial_frame
	bl	trap_irq_from_guest
	cbnz	w0, 1f
	restore_partial_frame_and_eret
1:	complete_partial_frame
	mov	x0, sp
	bl	sched_return_to_guest
	b	exception_return

/*
 * sched_enter_first(stack_top): start running guests. The frame sits at the
 * top of the stack, so every later exception from a guest starts on a
 * clean stack (SP_EL2 is what it was at ERET); whatever called this is
 * abandoned for good.
 */
	.global	sched_enter_first
sched_enter_first:
	msr	daifset, #0xf
	sub	sp, x0, #FRAME_SIZE
	mov	x0, sp
	bl	sched_first_entry
	b	exception_return

/* Kinds match enum exception_kind in exception.h. */
	handler unexpected_sync_sp0,	exception_unexpected, 0
	handler unexpected_irq_sp0,	exception_unexpected, 1
	handler unexpected_fiq_sp0,	exception_unexpected, 2
	handler unexpected_serror_sp0,	exception_unexpected, 3
	handler hv_sync,		exception_unexpected, 4
	handler hv_irq,			exception_irq, 5
	handler hv_fiq,			exception_unexpected, 6
	handler hv_serror,		exception_unexpected, 7
	handler guest_fiq,		exception_guest_fault, 10
	handler guest_serror,		exception_guest_fault, 11
	handler guest32_fiq,		exception_guest_fault, 14
	handler guest32_serror,		exception_guest_fault, 15
