#pragma once
/*
 * The hypercall ABI (docs/hypercalls.md): HVC #0 with the function number in
 * x0 and arguments in x1-x5; the result comes back in x0 (negative = error),
 * extra results in x1-x3. Other registers are preserved.
 */
#include "arch/arm64/trap_frame.h"
#include "core/trap.h"

#include <stdint.h>

enum hypercall {
	HC_VERSION = 0,	     /* -> x0 = (major << 16) | minor of the ABI */
	HC_YIELD = 1,	     /* give up the rest of the time slice -> 0 */
	HC_CONSOLE_PUTC = 2, /* x1 = byte -> 0 */
	HC_CONSOLE_WRITE =
	    3,	      /* x1 = guest-physical address, x2 = length (<= 4096) -> bytes written */
	HC_VM_ID = 4, /* -> x0 = this VM's id, x1 = its vCPU index */
	HC_COUNT
};

#define HC_ABI_MAJOR	     1
#define HC_ABI_MINOR	     0
#define HC_CONSOLE_WRITE_MAX 4096

#define HC_ERR_NOT_SUPPORTED (-1L) /* unknown function (as SMCCC's NOT_SUPPORTED) */
#define HC_ERR_INVALID	     (-2L) /* bad argument */

struct vcpu;

/* Runs the hypercall in frame->x[0]; `imm` is the HVC instruction's immediate. */
enum trap_next hypercall_dispatch(struct vcpu *v, struct trap_frame *frame, uint16_t imm);
