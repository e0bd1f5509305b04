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

/* The ID register space op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7 (D12.3.1: reserved ones read 0). */
#define SYSREG_ID_SPACE_CRM_FIRST 1
#define SYSREG_ID_SPACE_ENTRIES	  (7 * 8)
/* The values guests read there, filled at boot (sysreg_emul_init). */
extern uint64_t sysreg_id_space[SYSREG_ID_SPACE_ENTRIES];

/*
 * The ID register space read by MRS as an ISS pattern: Op0 [21:20] = 3,
 * Op1 [16:14] = 0, CRn [13:10] = 0, Direction [0] = 1 (read); CRm [4:1]
 * 1-7 and Op2 [19:17] pick the register. The commonest trap of all (every
 * OS probes its features): answered inline, without assembling the
 * encoding. False if the ISS is not such a read (sysreg_emulate then).
 */
static inline bool sysreg_read_id_space(struct trap_frame *frame, uint32_t iss)
{
	unsigned int crm = (iss >> 1) & 15, rt = (iss >> 5) & 31, op2 = (iss >> 17) & 7;

	if ((iss & ((3U << 20) | (7U << 14) | (15U << 10) | 1U)) != ((3U << 20) | 1U) ||
	    crm < SYSREG_ID_SPACE_CRM_FIRST || crm > 7)
		return false;
	if (rt != 31)
		frame->x[rt] = sysreg_id_space[(crm - SYSREG_ID_SPACE_CRM_FIRST) * 8 + op2];
	frame->elr += 4;
	return true;
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
