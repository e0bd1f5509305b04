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
	caller_saved_pairs_from_x2 \op
.endm

/* The same without x0-x1, which the guest trap entry saves first (ventry_guest_sync). */
.macro caller_saved_pairs_from_x2 op
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

/*
 * The vector table, in two forms that differ only in where a guest's
 * synchronous exceptions go: el2_vectors answers the commonest ones in
 * assembly first (ventry_guest_sync: ID register reads and identity
 * hypercalls), el2_vectors_c hands every one to C (guest_sync_c). The shell's
 * `fastpath off` loads the second on every core (trap.c), so that the
 * assembly can be checked against the C it stands for.
 */
/*
 * guest_sync, in the vector entry itself (0x80 bytes hold 32 instructions):
 * the branch to a handler is saved on every trap from a guest.
 */
.macro ventry_guest_sync
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mrs	x0, esr_el2
	tbnz	w0, #31, guest_sync_c_esr_in_x0	/* EC >= 0x20: aborts, debug */
	lsr	w1, w0, #26
	cmp	w1, #ESR_EC_SYSREG
	b.eq	id_register_read
	cmp	w1, #ESR_EC_HVC64
	b.eq	identity_hypercall
	b	guest_sync_c_esr_in_x0
.endm

.macro ventry_guest_sync_c
	ventry	guest_sync_c
.endm

.macro vector_table name, guest_sync_entry
	.balign	0x800
	.global	\name
\name:
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
	ventry_\guest_sync_entry
	ventry	guest_irq_fast
	ventry	guest_fiq
	ventry	guest_serror
	/* Lower EL, AArch32: guests are AArch64-only (HCR_EL2.RW=1). */
	ventry_\guest_sync_entry
	ventry	guest_irq_fast
	ventry	guest32_fiq
	ventry	guest32_serror
.endm

	.text
	vector_table el2_vectors, guest_sync
	vector_table el2_vectors_c, guest_sync_c

exception_return:
	restore_frame_and_eret

/*
 * A synchronous exception from a guest, in C (the AArch32 entry too:
 * HCR_EL2.RW makes one impossible, and the dispatcher would treat it the
 * same). The partial frame is saved as save_partial_frame does, with the
 * ESR read first: the vector entry has read it to classify the trap. Most
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
guest_sync_c:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mrs	x0, esr_el2
/* Entered with x0-x1 saved, the frame allocated and ESR_EL2 in x0. */
guest_sync_c_esr_in_x0:
	caller_saved_pairs_from_x2 stp
	str	x30, [sp, #16 * 15]
	mov	x19, x0
	save_elr_spsr
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
 * The assembly answers (el2_vectors). Two traps are answered here without
 * a C frame, in a few dozen instructions, because guests make them often
 * and their answer is a table entry or a field of the vCPU:
 *
 *   - an MRS of an ID-space register (HCR_EL2.TID3): Op0 = 3, Op1 = 0,
 *     CRn = 0, CRm 1-7, a read. C reference: sysreg_read_id_space
 *     (core/sysreg_emul.h), which reads the same table, sysreg_id_space;
 *   - HVC #0 with x0 = VERSION or VM_ID, the hypercalls that only read who
 *     the caller is. C reference: hc_version and hc_vm_id (hypercall.c).
 *
 * Each is counted in the vCPU's trap counters as the C path counts it. A
 * trap is left to C (guest_sync_c_esr_in_x0, with the guest's x0-x3 as
 * they were) when it is anything else, or when this core has work
 * waiting or its virtual timer interrupt masked: the C path's two checks
 * after a trap (sched_can_resume_guest, sched_update_virq_on_entry) then
 * have something to do. Registers: x0 = ESR_EL2 until the answer; x1-x3
 * scratch, saved in their frame slots; every other register is the
 * guest's throughout. The classification by EC is made in the vector
 * entry itself (ventry_guest_sync); a data abort (EC 0x24: bit 31 of the
 * ESR set) costs one instruction there, the tbnz.
 */
/* x2 = this core's struct pcpu; to 1f if it has work waiting or its virtual timer masked. */
.macro nothing_waits_or_decline
	stp	x2, x3, [sp, #16 * 1]
	mrs	x2, tpidr_el2
	ldr	w3, [x2, #PCPU_PENDING_WORK]
	cbnz	w3, 1f
	ldrb	w3, [x2, #PCPU_VTIMER_IRQ_MASKED]
	cbnz	w3, 1f
.endm

.macro decline
1:	ldp	x2, x3, [sp, #16 * 1]
	b	guest_sync_c_esr_in_x0
.endm

/* The ISS of a trapped MRS (Arm ARM D19.2.x, ISS for EC 0x18): Op0 [21:20], Op2 [19:17],
 * Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read). */
id_register_read:
	nothing_waits_or_decline
	tst	w0, #(0x7f << 10)		/* Op1 = 0 and CRn = 0 */
	b.ne	1f
	tbz	w0, #21, 1f			/* Op0 = 3 */
	tbz	w0, #20, 1f
	tbz	w0, #0, 1f			/* a read */
	ubfx	w3, w0, #1, #4			/* CRm ... */
	sub	w3, w3, #ID_SPACE_CRM_FIRST
	cmp	w3, #(7 - ID_SPACE_CRM_FIRST)	/* ... from ID_SPACE_CRM_FIRST to 7 */
	b.hi	1f
	ubfx	w1, w0, #17, #3			/* Op2 */
	add	w3, w1, w3, lsl #3		/* sysreg_id_space index: (CRm - first) * 8 + Op2 */
	ldr	x1, [x2, #PCPU_RUNNING]
	ldr	x2, [x1, #VCPU_TRAPS_SYSREG]
	add	x2, x2, #1
	str	x2, [x1, #VCPU_TRAPS_SYSREG]
	adrp	x1, sysreg_id_space
	add	x1, x1, :lo12:sysreg_id_space
	ldr	x2, [x1, x3, lsl #3]
	ubfx	w1, w0, #5, #5			/* Rt */
	adr	x3, write_rt
	add	x3, x3, x1, lsl #3
	br	x3
	decline

/*
 * write_rt + 8 * Rt: writes x2 to the guest's Xt, then skips the MRS.
 * x0-x3 are in their frame slots until the return: Xt there for them.
 */
	.balign	8
write_rt:
	str	x2, [sp, #8 * 0]
	b	id_register_done
	str	x2, [sp, #8 * 1]
	b	id_register_done
	str	x2, [sp, #8 * 2]
	b	id_register_done
	str	x2, [sp, #8 * 3]
	b	id_register_done
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\n, x2
	b	id_register_done
	.endr
	b	id_register_done		/* Rt = 31: XZR, the value is discarded */
	nop
id_register_done:
	mrs	x1, elr_el2
	add	x1, x1, #4
	msr	elr_el2, x1
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x0, x1, [sp, #16 * 0]
	add	sp, sp, #FRAME_SIZE
	eret

/* HVC #0 (ISS = the immediate) with x0 = VERSION or VM_ID. ELR_EL2 already points after it. */
identity_hypercall:
	tst	w0, #0xffff
	b.ne	guest_sync_c_esr_in_x0
	ldr	x1, [sp, #8 * 0]		/* the guest's x0: the function */
	cmp	x1, #HC_FN_VM_ID
	ccmp	x1, #HC_FN_VERSION, #4, ne	/* Z: VM_ID, or else VERSION */
	b.ne	guest_sync_c_esr_in_x0
	nothing_waits_or_decline
	ldr	x2, [x2, #PCPU_RUNNING]
	ldr	x3, [x2, #VCPU_TRAPS_HVC64]
	add	x3, x3, #1
	str	x3, [x2, #VCPU_TRAPS_HVC64]
	cbnz	x1, 2f
	mov	x0, #HC_VERSION_ANSWER
	ldr	x1, [sp, #8 * 1]
	b	3f
2:	ldr	w1, [x2, #VCPU_INDEX]		/* VM_ID: x1 = the vCPU's index, */
	ldr	x0, [x2, #VCPU_VM]
	ldr	w0, [x0, #VM_ID_FIELD]		/* x0 = its VM's id */
3:	ldp	x2, x3, [sp, #16 * 1]
	add	sp, sp, #FRAME_SIZE
	eret
	decline

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
