/*
 * What a test guest with a second vCPU needs to start it (tests/guests/smp.c,
 * ipi_pingpong.c): the entry PSCI CPU_ON is given, which runs with the MMU
 * off and x0 = CPU_ON's context id, masks its interrupts, takes a stack of
 * its own, points VBAR_EL1 at the guest library's vectors and calls
 * secondary_main(context), the guest's own; if that returns, it waits in WFE.
 */
#pragma once

#include <stdint.h>

#define SECONDARY_STACK_BYTES 4096

uint8_t secondary_stack[SECONDARY_STACK_BYTES] __attribute__((aligned(16)));

__asm__(".pushsection .text\n"
	".global secondary_entry\n"
	"secondary_entry:\n"
	"	msr	daifset, #0xf\n"
	"	msr	spsel, #1\n"
	"	adrp	x1, secondary_stack\n"
	"	add	x1, x1, :lo12:secondary_stack\n"
	"	add	x1, x1, #4096\n"
	"	mov	sp, x1\n"
	"	adrp	x1, exc_vectors\n"
	"	add	x1, x1, :lo12:exc_vectors\n"
	"	msr	vbar_el1, x1\n"
	"	isb\n"
	"	bl	secondary_main\n"
	"1:	wfe\n"
	"	b	1b\n"
	".popsection\n");
void secondary_entry(void);
void secondary_main(uint64_t context);
