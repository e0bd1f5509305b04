/*
 * The EL0 synchronous exception handler, installed in the vector table's
 * "lower EL, AArch64, synchronous" entry.
 */
#include "lrtos/trap.h"

#include "arch/arm64/esr.h"
#include "lib/exception.h"
#include "lib/sysreg.h"
#include "lrtos/log.h"
#include "lrtos/proc.h"

/* One line saying which process died, of what, where, with the raw syndrome for the curious. */
static void report_abort(const struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	const char *kind = esr_ec(esr) == EC_DABT_LOWER ? "data abort" : "instruction abort";
	int level = esr_fault_level(esr);

	if (level >= 0)
		klog("process %d killed: %s at 0x%lx (ESR=0x%lx: %s, level %d; pc 0x%lx)",
		     proc_current()->pid, kind, (unsigned long)far, (unsigned long)esr,
		     esr_fault_status_name(esr), level, (unsigned long)tf->elr);
	else
		klog("process %d killed: %s at 0x%lx (ESR=0x%lx: %s; pc 0x%lx)",
		     proc_current()->pid, kind, (unsigned long)far, (unsigned long)esr,
		     esr_fault_status_name(esr), (unsigned long)tf->elr);
}

static void kill_current(const struct trap_frame *tf, uint64_t esr)
{
	unsigned int ec = esr_ec(esr);

	if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER)
		report_abort(tf, esr, read_sysreg(far_el1));
	else
		klog("process %d killed: %s at pc 0x%lx (ESR=0x%lx)", proc_current()->pid,
		     esr_class_name(esr), (unsigned long)tf->elr, (unsigned long)esr);
	proc_terminate();
}

static void el0_sync(struct trap_frame *tf)
{
	uint64_t esr = read_sysreg(esr_el1);

	if (esr_ec(esr) == EC_SVC64)
		syscall_handle(tf);
	else
		kill_current(tf, esr);
}

void trap_init(void)
{
	exc_set_handler(EXC_LOWER64_SYNC, el0_sync);
}
