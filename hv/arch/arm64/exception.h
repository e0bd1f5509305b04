#pragma once
/*
 * C entry points of the EL2 exception vectors (vectors.S).
 */
#include "arch/arm64/trap_frame.h"

/* Which of the 16 vector entries was taken (VBAR_EL2 offset / 0x80). */
enum exception_kind {
	EXC_SP0_SYNC,
	EXC_SP0_IRQ,
	EXC_SP0_FIQ,
	EXC_SP0_SERROR,
	EXC_EL2_SYNC,
	EXC_EL2_IRQ,
	EXC_EL2_FIQ,
	EXC_EL2_SERROR,
	EXC_LOWER64_SYNC,
	EXC_LOWER64_IRQ,
	EXC_LOWER64_FIQ,
	EXC_LOWER64_SERROR,
	EXC_LOWER32_SYNC,
	EXC_LOWER32_IRQ,
	EXC_LOWER32_FIQ,
	EXC_LOWER32_SERROR,
};

/* An exception the hypervisor cannot handle: prints a crash report and halts. */
void exception_unexpected(struct trap_frame *frame, enum exception_kind kind)
    __attribute__((noreturn));
/* A physical IRQ, taken to EL2 (HCR_EL2.IMO), while the hypervisor itself ran. */
void exception_irq(struct trap_frame *frame, enum exception_kind kind);
/* An FIQ or SError from a guest: no guest is allowed to cause one; it is stopped. */
void exception_guest_fault(struct trap_frame *frame, enum exception_kind kind);

/* Stops this core for good, with every interrupt masked. */
void halt(void) __attribute__((noreturn));
