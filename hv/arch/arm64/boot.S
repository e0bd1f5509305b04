/*
 * aVisor entry point. The firmware (or QEMU -kernel) jumps here, at the
 * image's first byte (0x80000), with the MMU off.
 *
 *  - QEMU -M raspi3b enters at EL2 on core 0 only; the other cores wait in
 *    QEMU's spin-table stub.
 *  - A real Pi 3 enters at EL2 with the firmware's default armstub, or at EL3
 *    with an armstub of one's own that stays there (config.txt armstub=);
 *    at EL3 we configure the secure monitor state just enough to run EL2 in
 *    non-secure state, then drop to EL2. (kernel_old=1 loads the image at
 *    0x0, where this code, linked at 0x80000, cannot run.)
 *  - Cores 1-3 arrive here when core 0 releases them from the spin table
 *    (hv_main, once the page tables and the scheduler are ready). They
 *    take the same way to EL2, then join core 0's address space with the
 *    registers it left in mmu_boot_regs, take their own stack and run
 *    hv_secondary_main(core).
 */
#include "arch/arm64/sysreg.h"
#include "asm-offsets.h"

#define STACK_SIZE_PER_CORE 16384
#define MAX_CORES 4

	.section .text.boot, "ax"
	.global _start
_start:
	/* MPIDR_EL1.Aff0 is the core number within the cluster; x20 keeps it. */
	mrs	x20, mpidr_el1
	and	x20, x20, #0xff
	cmp	x20, #MAX_CORES
	b.hs	park_core

	/* x19 (kept across eret, like x20) remembers the EL we were entered at. */
	mrs	x1, CurrentEL
	lsr	x19, x1, #2
	mov	x1, x19
	cmp	x1, #3
	b.eq	from_el3
	cmp	x1, #2
	b.ne	wrong_el
	b	at_el2

from_el3:
	/*
	 * CNTFRQ_EL0 is writable only at EL3; the armstub normally sets it to
	 * the Pi 3's 19.2 MHz crystal. Without the armstub nobody has.
	 */
	mrs	x2, cntfrq_el0
	cbnz	x2, 1f
	ldr	x2, =19200000
	msr	cntfrq_el0, x2
1:
	/*
	 * CPUECTLR_EL1.SMPEN (Cortex-A53 TRM 4.5.73): the core takes part in
	 * the cluster's data coherency, which must be on before its caches are.
	 * The firmware's armstub sets it; an armstub of one's own may not.
	 */
	mrs	x2, S3_1_C15_C2_1
	orr	x2, x2, #(1 << 6)
	msr	S3_1_C15_C2_1, x2
	/* SCR_EL3: lower levels non-secure, EL2 AArch64, HVC enabled, SMC disabled. */
	mov	x2, #(SCR_NS | SCR_RES1 | SCR_SMD | SCR_HCE | SCR_RW)
	msr	scr_el3, x2
	mov	x2, #(SPSR_DAIF_MASKED | SPSR_EL2H)
	msr	spsr_el3, x2
	adr	x2, at_el2
	msr	elr_el3, x2
	eret

at_el2:
	/* A known SCTLR_EL2: MMU and caches off until mmu_enable() runs. */
	ldr	x2, =SCTLR_EL2_RES1
	msr	sctlr_el2, x2
	isb
	cbnz	x20, secondary_at_el2

	/* Zero .bss, the page tables and the stacks (all between these symbols). */
	ldr	x2, =__bss_start
	ldr	x3, =__hv_end
2:	cmp	x2, x3
	b.hs	3f
	stp	xzr, xzr, [x2], #16
	b	2b
3:
	ldr	x2, =boot_stacks + STACK_SIZE_PER_CORE
	mov	sp, x2

	ldr	x2, =el2_vectors
	msr	vbar_el2, x2
	isb

	mov	x0, x19
	bl	hv_main
	/* hv_main never returns; if it does, park. */
	b	park_core

/*
 * A secondary core at EL2, MMU off. It must not write memory before its MMU
 * (and so its caches) is on: another core may hold a line of that memory,
 * which a non-cacheable write would leave stale. So everything up to the
 * call uses registers only; mmu_boot_regs was cleaned to memory by core 0.
 */
secondary_at_el2:
	ldr	x2, =el2_vectors
	msr	vbar_el2, x2
	ldr	x3, =mmu_boot_regs
	ldr	x4, [x3, #MMU_BOOT_MAIR]
	msr	mair_el2, x4
	ldr	x4, [x3, #MMU_BOOT_TCR]
	msr	tcr_el2, x4
	ldr	x4, [x3, #MMU_BOOT_TTBR0]
	msr	ttbr0_el2, x4
	dsb	ish
	tlbi	alle2
	dsb	ish
	ic	iallu
	dsb	ish
	isb
	ldr	x4, [x3, #MMU_BOOT_SCTLR]
	msr	sctlr_el2, x4
	isb
	/* Its own stack: boot_stacks + (core + 1) * STACK_SIZE_PER_CORE, growing down. */
	ldr	x2, =boot_stacks
	add	x3, x20, #1
	mov	x4, #STACK_SIZE_PER_CORE
	madd	x2, x3, x4, x2
	mov	sp, x2
	mov	x0, x20
	bl	hv_secondary_main
	b	park_core

wrong_el:
	/* Entered at EL1/EL0: no way to become a hypervisor, and no console yet. */
/*
 * A core that cannot run the hypervisor (entered at EL1, or beyond the four
 * cores) sleeps for good. WFI, not WFE: no interrupt is ever routed to it.
 * (Under QEMU's TCG a WFE only yields, so a WFE loop keeps a host thread
 * busy; WFI halts the vCPU until an interrupt is pending.)
 */
park_core:
	msr	daifset, #0xf
1:	wfi
	b	1b

	.section .stacks, "aw", %nobits
	.balign 16
	.global boot_stacks
boot_stacks:
	.space	STACK_SIZE_PER_CORE * MAX_CORES
