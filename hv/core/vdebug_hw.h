#pragma once
/*
 * The hardware side of the vCPUs' debug registers: the core's limits, and
 * loading one vCPU's breakpoints and watchpoints or disabling them all.
 */
#include "core/vdebug.h"

/* How many breakpoints and watchpoints the core has (from ID_AA64DFR0_EL1). */
extern struct vdebug_limits vdebug_hw_limits;

/* At boot: reads the limits, unlocks the hardware's OS lock, disables every point. */
void vdebug_hw_init(void);
/* Writes d's breakpoints and watchpoints into the hardware (none enabled while its OS lock is set).
 */
void vdebug_hw_load(const struct vdebug *d);
/* Clears every breakpoint and watchpoint: nothing of any vCPU stays armed. */
void vdebug_hw_disable(void);
