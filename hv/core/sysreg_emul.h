#pragma once
/*
 * Emulation of the system registers HCR_EL2 traps (EC 0x18, "MSR, MRS or
 * System instruction"): the ID registers (TID1, TID2, TID3), the cache
 * identification registers (TID2) and ACTLR_EL1 (TACR). Guests see the
 * values of the Cortex-A53 they run on, minus what a VM does not have
 * (EL2 and EL3 are hidden).
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The general register an MSR/MRS transfers: ISS.Rt [9:5] (31 = XZR). */
static inline unsigned int sysreg_transfer_register(uint32_t iss)
{
	return (iss >> 5) & 31;
}

/* Reads the core's ID registers once, at boot. */
void sysreg_emul_init(void);

/*
 * Emulates the trapped access described by ESR_EL2.ISS; on success the
 * result is in the frame and the instruction skipped. False when the
 * register is not emulated (the caller injects an undefined instruction).
 */
bool sysreg_emulate(struct vcpu *v, struct trap_frame *frame, uint32_t iss);

/* "S3_0_C0_C4_0"-style name of the register an ISS names, for reports. */
void sysreg_describe(uint32_t iss, char *buf, unsigned int size);
