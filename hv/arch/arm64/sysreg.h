#pragma once
/*
 * The bit fields of the EL2 registers the hypervisor programs, on top of
 * the accessors it shares with the guests (arch/arm64/sysreg_access.h).
 * Field names follow the Arm Architecture Reference
 * Manual for A-profile (Arm ARM), chapter D19 "AArch64 System Register
 * Descriptions".
 */

#include "arch/arm64/sysreg_access.h"

#define BIT(n) (1UL << (n))

/* HCR_EL2: Hypervisor Configuration Register. */
#define HCR_VM	      BIT(0) /* stage-2 translation on for EL1&0 */
#define HCR_SWIO      BIT(1) /* set/way invalidate → clean+invalidate */
#define HCR_FMO	      BIT(3) /* physical FIQs taken to EL2 */
#define HCR_IMO	      BIT(4) /* physical IRQs taken to EL2 */
#define HCR_AMO	      BIT(5) /* SErrors taken to EL2 */
#define HCR_VF	      BIT(6) /* virtual FIQ pending */
#define HCR_VI	      BIT(7) /* virtual IRQ pending */
#define HCR_FB	      BIT(9) /* broadcast TLB/cache maintenance */
#define HCR_BSU_INNER (1UL << 10)
#define HCR_TWI	      BIT(13) /* trap WFI */
#define HCR_TWE	      BIT(14) /* trap WFE */
#define HCR_TID1      BIT(16) /* trap ID group 1 (AIDR, REVIDR) */
#define HCR_TID2      BIT(17) /* trap ID group 2 (CTR, CCSIDR, CLIDR, CSSELR) */
#define HCR_TID3      BIT(18) /* trap ID group 3 (ID_AA64*, ID_*) */
#define HCR_TSC	      BIT(19) /* trap SMC */
#define HCR_TIDCP     BIT(20) /* trap implementation defined sysregs */
#define HCR_TACR      BIT(21) /* trap ACTLR_EL1 */
#define HCR_RW	      BIT(31) /* EL1 is AArch64 */

/*
 * HCR_EL2 while guests run: stage 2 on; physical interrupts to EL2; WFI
 * trapped (a waiting vCPU gives up the core); ID groups 1-3, ACTLR_EL1 and
 * implementation-defined registers trapped for emulation; SMC trapped;
 * EL1 is AArch64; barriers upgraded to inner shareable (BSU). FB is clear:
 * a vCPU never leaves its physical core, so TLB and cache maintenance it
 * means for its own core needs no broadcast (under QEMU a broadcast TLBI
 * stops every other core). WFE is trapped (TWE, HCR_GUEST_SHARED) only on
 * a core shared by several vCPUs, where a spinning vCPU should let the
 * others run; alone on its core, trapping WFE would only slow it down.
 */
#define HCR_GUEST                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_BSU_INNER | HCR_TWI | HCR_TID1 |    \
	 HCR_TID2 | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW)
#define HCR_GUEST_SHARED (HCR_GUEST | HCR_TWE)

/*
 * MDCR_EL2 (ARMv8.0): what of self-hosted debug and the PMU a guest reaches.
 * TDA traps the breakpoint, watchpoint, MDSCR and DCC registers, TDOSA the
 * OS lock and power-down registers, TDRA the ROM table address: a VM only
 * ever sees its own emulated copy (core/vdebug.h). TPM and TPMCR trap
 * every PMU register: a VM has no PMU (its accesses are undefined
 * instructions), so it can neither count the hypervisor nor see another
 * VM's counts. TDE stays 0: debug exceptions go to the guest's own EL1.
 * HPMN [4:0] must be a valid counter count: PMCR_EL0.N, unused while TPM
 * traps everything. HPME stays 0: the hypervisor counts nothing.
 */
#define MDCR_EL2_HPMN_MASK 0x1fUL
#define MDCR_EL2_TPMCR	   BIT(5)
#define MDCR_EL2_TPM	   BIT(6)
#define MDCR_EL2_TDA	   BIT(9)
#define MDCR_EL2_TDOSA	   BIT(10)
#define MDCR_EL2_TDRA	   BIT(11)
#define MDCR_EL2_GUEST                                                                             \
	(MDCR_EL2_TPMCR | MDCR_EL2_TPM | MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA)
/* PMCR_EL0.N [15:11]: the number of event counters. */
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1fUL)

/*
 * CPTR_EL2 (non-VHE): bits 13:12 and 9:0 are RES1; TFP (bit 10) traps every
 * FP/SIMD instruction at EL2, EL1 and EL0 to EL2 (ESR_EL2.EC 0x07). Its reset
 * value is UNKNOWN: the hypervisor always writes it.
 */
#define CPTR_EL2_RES1 0x33ffUL
#define CPTR_EL2_TFP  BIT(10)

/* CNTHCTL_EL2 (non-VHE): EL1PCTEN lets EL1/EL0 read CNTPCT_EL0; EL1PCEN (bit 1) clear traps CNTP_*.
 */
#define CNTHCTL_EL1PCTEN BIT(0)

/* SCTLR_EL2 (non-VHE layout). */
#define SCTLR_M	       BIT(0)  /* stage-1 MMU on */
#define SCTLR_A	       BIT(1)  /* alignment checking */
#define SCTLR_C	       BIT(2)  /* data caches on */
#define SCTLR_SA       BIT(3)  /* SP alignment check */
#define SCTLR_I	       BIT(12) /* instruction cache on */
#define SCTLR_WXN      BIT(19) /* writable implies execute-never */
#define SCTLR_EL2_RES1 0x30c50830UL

/* SCR_EL3, used only when we are entered at EL3 (a real Pi 3 with an armstub of its own). */
#define SCR_NS	 BIT(0)
#define SCR_RES1 (BIT(4) | BIT(5))
#define SCR_SMD	 BIT(7)
#define SCR_HCE	 BIT(8)
#define SCR_RW	 BIT(10)

/* ESR_ELx: exception syndrome. */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK  0x3fUL
#define ESR_IL	     BIT(25)
#define ESR_ISS_MASK 0x1ffffffUL
