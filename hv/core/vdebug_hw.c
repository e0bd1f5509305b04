/*
 * Moving a vCPU's breakpoints and watchpoints in and out of the hardware
 * (see vdebug.h and sched.c, "debug registers").
 */
#include "core/vdebug_hw.h"
#include "arch/arm64/debug_regs.h"
#include "arch/arm64/sysreg.h"

/* ID_AA64DFR0_EL1: BRPs [15:12] and WRPs [23:20] are the counts minus one. */
#define DFR0_BRPS(dfr0) ((((dfr0) >> 12) & 15) + 1)
#define DFR0_WRPS(dfr0) ((((dfr0) >> 20) & 15) + 1)

struct vdebug_limits vdebug_hw_limits;

void vdebug_hw_init(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	vdebug_hw_limits.breakpoints = DFR0_BRPS(dfr0);
	vdebug_hw_limits.watchpoints = DFR0_WRPS(dfr0);
	/*
	 * The OS lock (OSLSR_EL1.OSLK, set at reset on the Cortex-A53) keeps
	 * breakpoints and watchpoints from firing: the hardware's stays
	 * unlocked, each vCPU's own lock is emulated (vdebug.os_lock).
	 */
	write_sysreg(oslar_el1, 0);
	vdebug_hw_disable();
}

void vdebug_hw_load(const struct vdebug *d)
{
	for (unsigned int n = 0; n < vdebug_hw_limits.breakpoints; n++) {
		debug_regs_write(DEBUG_BVR, n, d->bvr[n]);
		debug_regs_write(DEBUG_BCR, n, d->os_lock ? 0 : d->bcr[n]);
	}
	for (unsigned int n = 0; n < vdebug_hw_limits.watchpoints; n++) {
		debug_regs_write(DEBUG_WVR, n, d->wvr[n]);
		debug_regs_write(DEBUG_WCR, n, d->os_lock ? 0 : d->wcr[n]);
	}
	isb();
}

void vdebug_hw_disable(void)
{
	for (unsigned int n = 0; n < vdebug_hw_limits.breakpoints; n++) {
		debug_regs_write(DEBUG_BCR, n, 0);
		debug_regs_write(DEBUG_BVR, n, 0);
	}
	for (unsigned int n = 0; n < vdebug_hw_limits.watchpoints; n++) {
		debug_regs_write(DEBUG_WCR, n, 0);
		debug_regs_write(DEBUG_WVR, n, 0);
	}
	isb();
}
