/*
 * Guest entry point, linked at 0x80000 where both the Pi firmware and QEMU's
 * "-kernel" for raspi3b load a 64-bit image, and where aVisor starts a VM.
 *
 * Run natively on QEMU raspi3b, the guest is entered at EL2 (the board has
 * no EL3), so it first plays firmware: it configures EL2 to stay out of the
 * way and drops to EL1. Under aVisor it is entered at EL1 directly. From
 * then on both paths are the same: stack, .bss, vector table, main().
 */
#include "lib/sysreg.h"

/* HCR_EL2.RW (bit 31): EL1 executes in AArch64. Nothing else is trapped or routed to EL2. */
#define HCR_EL2_RW (1 << 31)
/* CNTHCTL_EL2.EL1PCTEN (bit 0), EL1PCEN (bit 1): EL1/EL0 may use the physical counter and timer. */
#define CNTHCTL_EL2_EL1_ACCESS 0x3
/* CPTR_EL2: RES1 bits [13:12] and [9:0]; TFP (bit 10), TTA, TCPAC zero: no traps. */
#define CPTR_EL2_NO_TRAPS 0x33FF
/*
 * SCTLR_EL1 at reset of the EL1 context: only the RES1 bits of ARMv8.0
 * (29, 28, 23, 22, 20, 11) set, i.e. MMU and caches off, little-endian.
 */
#define SCTLR_EL1_RES1 0x30D00800

	.section .text.boot, "ax"
	.global _start
_start:
	/* Only core 0 (MPIDR_EL1.Aff0 == 0) runs the guest; the others sleep for good. */
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, park

	/* x19 = CurrentEL.EL (bits [3:2]), kept until .bss is clear and it can be stored. */
	mrs	x19, CurrentEL
	ubfx	x19, x19, #2, #2
	cmp	x19, #1
	b.eq	el1_entry
	cmp	x19, #2
	b.ne	park			/* EL3 (a Pi 3 booted without armstub): not supported */

	/* Entered at EL2 (native run): set EL2 up like a minimal firmware would. */
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #CNTHCTL_EL2_EL1_ACCESS
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr	/* virtual count == physical count */
	mov	x0, #CPTR_EL2_NO_TRAPS
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* EL1 reads of MIDR_EL1/MPIDR_EL1 return VPIDR_EL2/VMPIDR_EL2: make them the real values. */
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	/* "Return" to EL1h (EL1 using SP_EL1) with D, A, I and F masked. */
	mov	x0, #(SPSR_DAIF_MASKED | SPSR_EL1H)
	msr	spsr_el2, x0
	adr	x0, el1_entry
	msr	elr_el2, x0
	eret

el1_entry:
	msr	daifset, #0xf		/* no interrupts before the vector table is in place */
	msr	spsel, #1		/* exceptions and C code share SP_EL1 */
	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0

	/* Zero .bss; guest.ld aligns both ends to 16 bytes. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	adrp	x0, boot_entry_el
	str	w19, [x0, :lo12:boot_entry_el]

	adrp	x0, exc_vectors
	add	x0, x0, :lo12:exc_vectors
	msr	vbar_el1, x0
	isb

	bl	main
	/* main() is not expected to return; if it does, stop here. */
park:
	wfe
	b	park

	.section .bss
	.balign 4
	.global boot_entry_el
boot_entry_el:
	.word	0
