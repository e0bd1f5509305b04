#pragma once
/*
 * Each vCPU's self-hosted debug registers (Arm ARM D2 "AArch64 Self-hosted
 * Debug", D13 "Debug registers"): breakpoints, watchpoints, the OS lock,
 * the claim tags and the debug communications channel.
 *
 * MDCR_EL2.TDA, TDOSA and TDRA trap every EL1/EL0 access to them, so a
 * guest only ever reaches this copy; the hypervisor loads a vCPU's
 * breakpoints and watchpoints into the hardware only while that vCPU runs
 * and has one enabled (core/sched.c), so they fire in that guest only.
 * Values are sanitised as they are written: nothing a guest writes can make
 * a breakpoint or watchpoint match at EL2 (HMC is cleared) or compare
 * VMIDs (those breakpoint types are EL2's).
 *
 * Pure data: no hardware access here (unit-tested on the host).
 */
#include <stdbool.h>
#include <stdint.h>

/* The architecture allows up to 16 of each; the Cortex-A53 has 6 and 4. */
#define VDEBUG_MAX_POINTS 16

struct vdebug {
	uint64_t bvr[VDEBUG_MAX_POINTS], bcr[VDEBUG_MAX_POINTS];
	uint64_t wvr[VDEBUG_MAX_POINTS], wcr[VDEBUG_MAX_POINTS];
	uint64_t mdccint;
	uint32_t claim;	  /* DBGCLAIMSET/CLR_EL1 claim tags [7:0] */
	bool os_lock;	  /* OSLSR_EL1.OSLK: locked from reset until the OS unlocks it */
	bool any_enabled; /* some breakpoint or watchpoint has E set (and the OS lock is clear) */
};

/* How many breakpoints and watchpoints the core has (ID_AA64DFR0_EL1.BRPs/WRPs + 1). */
struct vdebug_limits {
	unsigned int breakpoints, watchpoints;
};

/* The reset state: nothing armed, the OS lock locked (as a Cortex-A53 comes out of reset). */
void vdebug_reset(struct vdebug *d);

/*
 * Emulates an MRS (read) or MSR of the op0 = 2 debug register `reg`, encoded
 * (op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2). Returns false for an
 * encoding the VM does not have (an undefined instruction for the guest).
 * MDSCR_EL1 and DBGAUTHSTATUS_EL1 are not handled here: the caller reads
 * them from the hardware. *hw_changed is set when the vCPU's breakpoints or
 * watchpoints must be loaded again.
 */
bool vdebug_access(struct vdebug *d, const struct vdebug_limits *lim, uint32_t reg, bool read,
		   uint64_t *value, bool *hw_changed);

/* What a guest may set in DBGBCR<n>_EL1, DBGWCR<n>_EL1 and MDSCR_EL1 (the rest reads as 0). */
uint64_t vdebug_sanitize_bcr(uint64_t value);
uint64_t vdebug_sanitize_wcr(uint64_t value);
uint64_t vdebug_sanitize_mdscr(uint64_t value);
