#pragma once
/*
 * Injecting exceptions into a guest, as the architecture would deliver them
 * to EL1 (Arm ARM D1.10, "Exception entry"): the hypervisor does by hand
 * what the core does on exception entry.
 */
#include "arch/arm64/trap_frame.h"

/*
 * An Undefined Instruction exception (ESR_EL1.EC = 0, "unknown reason") at
 * the instruction in frame->elr: ELR_EL1/SPSR_EL1/ESR_EL1 are written in
 * hardware (they belong to the running guest) and the frame is redirected to
 * the guest's vector table.
 */
void inject_undefined(struct trap_frame *frame);
