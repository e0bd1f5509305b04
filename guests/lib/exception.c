/*
 * The C side of the EL1 vector table: look the entry up, call its handler.
 */
#include "lib/exception.h"

#include "arch/arm64/esr.h"
#include "lib/console.h"
#include "lib/irq.h"
#include "lib/sysreg.h"

static void irq_entry(struct trap_frame *tf)
{
	(void)tf;
	irq_dispatch();
}

/* Only IRQs have a default handler; a NULL entry is fatal. */
static exc_handler_fn handlers[EXC_KINDS] = {
    [EXC_CUR_SPX_IRQ] = irq_entry,
    [EXC_LOWER64_IRQ] = irq_entry,
};

static const char *const kind_names[EXC_KINDS] = {
    "sync (EL1, SP_EL0)",  "IRQ (EL1, SP_EL0)",	 "FIQ (EL1, SP_EL0)",  "SError (EL1, SP_EL0)",
    "sync (EL1)",	   "IRQ (EL1)",		 "FIQ (EL1)",	       "SError (EL1)",
    "sync (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)", "SError (EL0, AArch64)",
    "sync (EL0, AArch32)", "IRQ (EL0, AArch32)", "FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

void exc_set_handler(enum exc_kind kind, exc_handler_fn fn)
{
	if ((unsigned int)kind < EXC_KINDS)
		handlers[kind] = fn;
}

void exc_dispatch(struct trap_frame *tf, unsigned int kind)
{
	exc_handler_fn fn = kind < EXC_KINDS ? handlers[kind] : NULL;

	if (!fn)
		exc_fatal(tf, kind);
	fn(tf);
}

void exc_fatal(const struct trap_frame *tf, unsigned int kind)
{
	uint64_t esr = read_sysreg(esr_el1);
	uint64_t far = read_sysreg(far_el1);

	console_printf("\nguest: unexpected exception: %s, %s\n",
		       kind < EXC_KINDS ? kind_names[kind] : "?", esr_class_name(esr));
	console_printf("guest: ESR_EL1=0x%08lx FAR_EL1=0x%016lx\n", (unsigned long)esr,
		       (unsigned long)far);
	console_printf("guest: ELR_EL1=0x%016lx SPSR_EL1=0x%08lx\n", (unsigned long)tf->elr,
		       (unsigned long)tf->spsr);
	console_printf("guest: stopped\n");
	halt();
}
