#pragma once
/*
 * Injecting exceptions into a guest, as the architecture would deliver them
 * to EL1 (Arm ARM D1.10, "Exception entry"): the hypervisor does by hand
 * what the core does on exception entry.
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * An Undefined Instruction exception (ESR_EL1.EC = 0, "unknown reason") at
 * the instruction in frame->elr: ELR_EL1/SPSR_EL1/ESR_EL1 are written in
 * hardware (they belong to the running guest) and the frame is redirected to
 * the guest's vector table.
 */
void inject_undefined(struct trap_frame *frame);

/*
 * A synchronous external abort on a data access (what a real core gets for
 * an access no device answers) at virtual address `far`, for the access at
 * frame->elr: ESR_EL1.EC 0x25 (0x24 from EL0), DFSC 0x10, WnR; FAR_EL1 = far.
 */
void inject_data_abort(struct trap_frame *frame, uint64_t far, bool write);
/* The same for an instruction fetch: EC 0x21 (0x20 from EL0), IFSC 0x10. */
void inject_instruction_abort(struct trap_frame *frame, uint64_t far);
