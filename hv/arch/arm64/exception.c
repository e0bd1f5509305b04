#include "arch/arm64/exception.h"
#include "arch/arm64/esr.h"
#include "arch/arm64/sysreg.h"
#include "core/console.h"
#include "core/trap.h"
#include "lib/atomic.h"

#include <stdbool.h>

static const char *const kind_names[] = {
    [EXC_SP0_SYNC] = "synchronous exception at EL2 on SP_EL0",
    [EXC_SP0_IRQ] = "IRQ at EL2 on SP_EL0",
    [EXC_SP0_FIQ] = "FIQ at EL2 on SP_EL0",
    [EXC_SP0_SERROR] = "SError at EL2 on SP_EL0",
    [EXC_EL2_SYNC] = "synchronous exception in the hypervisor (EL2)",
    [EXC_EL2_IRQ] = "IRQ in the hypervisor (EL2)",
    [EXC_EL2_FIQ] = "FIQ in the hypervisor (EL2)",
    [EXC_EL2_SERROR] = "SError in the hypervisor (EL2)",
    [EXC_LOWER64_SYNC] = "synchronous exception from a guest (EL1/EL0)",
    [EXC_LOWER64_IRQ] = "IRQ from a guest (EL1/EL0)",
    [EXC_LOWER64_FIQ] = "FIQ from a guest (EL1/EL0)",
    [EXC_LOWER64_SERROR] = "SError from a guest (EL1/EL0)",
    [EXC_LOWER32_SYNC] = "synchronous exception from an AArch32 guest",
    [EXC_LOWER32_IRQ] = "IRQ from an AArch32 guest",
    [EXC_LOWER32_FIQ] = "FIQ from an AArch32 guest",
    [EXC_LOWER32_SERROR] = "SError from an AArch32 guest",
};

void halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfe");
}

static void print_syndrome(uint64_t esr)
{
	const char *status = esr_fault_status_name(esr);
	int level = esr_fault_level(esr);

	hv_printf("    EC 0x%02x: %s", esr_ec(esr), esr_class_name(esr));
	if (status) {
		hv_printf(" — %s", status);
		if (level >= 0)
			hv_printf(", level %d", level);
		/* ISS.WnR (bit 6) says whether a data abort was a write. */
		if (esr_ec(esr) == EC_DABT_SAME || esr_ec(esr) == EC_DABT_LOWER)
			hv_printf(", %s", (esr & (1UL << 6)) ? "write" : "read");
	}
	hv_printf("\n");
}

static void print_registers(const struct trap_frame *frame)
{
	for (int i = 0; i < 31; i++)
		hv_printf("    x%-2d 0x%016lx%s", i, frame->x[i], (i % 3 == 2) ? "\n" : "");
	hv_printf("    sp  0x%016lx\n", frame->sp);
}

/* MPIDR_EL1.Aff0: the core this runs on (EL2 reads the real MPIDR). */
static unsigned int current_core(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}

void exception_unexpected(struct trap_frame *frame, enum exception_kind kind)
{
	static uint32_t crashing;
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t far = read_sysreg(far_el2);

	/*
	 * Only the first core to crash reports; a second crash (on another
	 * core, or while reporting) just stops that core.
	 */
	if (!atomic_cas_acquire32(&crashing, 0, 1))
		halt();
	/* The other cores stop where they are, and the console is this core's. */
	trap_halt_other_cores();
	console_take_over();

	hv_printf("\n*** aVisor crash on core %u: %s\n", current_core(), kind_names[kind & 15]);
	print_syndrome(esr);
	hv_printf("    ESR_EL2 0x%08lx  ELR_EL2 0x%016lx  FAR_EL2 0x%016lx  SPSR_EL2 0x%08lx\n",
		  esr, frame->elr, far, frame->spsr);
	print_registers(frame);
	hv_printf("*** system halted — reset the board (in QEMU: Ctrl-A X quits)\n");
	halt();
}

/* Guests' IRQs take their own entry (vectors.S, guest_irq_fast). */
void exception_irq(struct trap_frame *frame, enum exception_kind kind)
{
	(void)frame;
	(void)kind;
	trap_irq_in_hypervisor();
}

void exception_guest_fault(struct trap_frame *frame, enum exception_kind kind)
{
	trap_guest_fault(frame, kind_names[kind & 15], read_sysreg(esr_el2));
}
