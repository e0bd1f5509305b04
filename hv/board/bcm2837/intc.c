#include "board/bcm2837/intc.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#include <stddef.h>

#define INTC_PENDING1	   (INTC_BASE + 0x04)
#define INTC_PENDING2	   (INTC_BASE + 0x08)
#define INTC_ENABLE1	   (INTC_BASE + 0x10)
#define INTC_DISABLE1	   (INTC_BASE + 0x1c)
#define INTC_DISABLE_BASIC (INTC_BASE + 0x24)

/*
 * BCM2836 local controller (QA7 §4), one register of each kind per core:
 * timer interrupt control (0x40), mailbox interrupt control (0x50), IRQ
 * source (0x60), mailbox write-set (0x80) and read/write-clear (0xC0).
 */
#define LOCAL_TIMER_CTRL(core)	 (LOCAL_BASE + 0x40 + 4 * (core))
#define LOCAL_MAILBOX_CTRL(core) (LOCAL_BASE + 0x50 + 4 * (core))
#define LOCAL_IRQ_SOURCE(core)	 (LOCAL_BASE + 0x60 + 4 * (core))
#define LOCAL_MAILBOX0_SET(core) (LOCAL_BASE + 0x80 + 16 * (core))
#define LOCAL_MAILBOX0_CLR(core) (LOCAL_BASE + 0xC0 + 16 * (core))
#define LOCAL_SOURCE_GPU	 (1U << 8)
#define MAILBOX_CTRL_IRQ0	 (1U << 0) /* mailbox 0 interrupts as IRQ */

/* The calling core: MPIDR_EL1.Aff0 (EL2 reads the real one, not VMPIDR_EL2). */
static unsigned int this_core(void)
{
	uint64_t mpidr;

	__asm__("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned int)(mpidr & 0xff);
}

struct irq_slot {
	irq_handler_fn handler;
	void *opaque;
};

static struct irq_slot gpu_irqs[GPU_IRQ_COUNT];
static struct irq_slot local_irqs[LOCAL_IRQ_COUNT];

void intc_init(void)
{
	/* Start from a quiet controller: nothing enabled until a driver asks. */
	mmio_write32(INTC_DISABLE1, 0xffffffffU);
	mmio_write32(INTC_DISABLE1 + 4, 0xffffffffU);
	mmio_write32(INTC_DISABLE_BASIC, 0xffffffffU);
}

void intc_register_gpu_irq(unsigned int irq, irq_handler_fn handler, void *opaque)
{
	if (irq >= GPU_IRQ_COUNT)
		return;
	gpu_irqs[irq].handler = handler;
	gpu_irqs[irq].opaque = opaque;
	mmio_write32(INTC_ENABLE1 + 4 * (irq / 32), 1U << (irq % 32));
}

void intc_local_irq_enable(enum local_irq irq, bool enable)
{
	uint32_t ctrl;

	if (irq == LOCAL_IRQ_MAILBOX0) {
		mmio_write32(LOCAL_MAILBOX_CTRL(this_core()), enable ? MAILBOX_CTRL_IRQ0 : 0);
		return;
	}
	if (irq > LOCAL_IRQ_CNTV)
		return;
	ctrl = mmio_read32(LOCAL_TIMER_CTRL(this_core()));
	/* Bits 0-3 route the core's timers to IRQ; bits 4-7 (to FIQ) stay clear. */
	ctrl = enable ? (ctrl | (1U << irq)) : (ctrl & ~(1U << irq));
	mmio_write32(LOCAL_TIMER_CTRL(this_core()), ctrl);
}

void intc_register_local_irq(enum local_irq irq, irq_handler_fn handler, void *opaque)
{
	if (irq >= LOCAL_IRQ_COUNT)
		return;
	local_irqs[irq].handler = handler;
	local_irqs[irq].opaque = opaque;
	intc_local_irq_enable(irq, true);
}

/* An interrupt nobody registered a handler for is disabled, so that it cannot storm. */
static void disable_gpu_irq(unsigned int irq)
{
	mmio_write32(INTC_DISABLE1 + 4 * (irq / 32), 1U << (irq % 32));
}

static void disable_local_irq(unsigned int irq)
{
	intc_local_irq_enable((enum local_irq)irq, false);
}

/*
 * Runs the handler of every interrupt pending in `pending` (bit n is
 * slots[first + n]), lowest first: one step per pending interrupt, not per
 * bit of the register.
 */
static unsigned int run_handlers(uint32_t pending, const struct irq_slot *slots, unsigned int first,
				 void (*unowned)(unsigned int irq))
{
	unsigned int handled = 0;

	while (pending) {
		unsigned int irq = first + (unsigned int)__builtin_ctz(pending);

		pending &= pending - 1;
		if (slots[irq].handler) {
			slots[irq].handler(slots[irq].opaque);
			handled++;
		} else {
			unowned(irq);
		}
	}
	return handled;
}

void intc_mailbox_send(unsigned int core, uint32_t bits)
{
	mmio_write32(LOCAL_MAILBOX0_SET(core), bits);
}

uint32_t intc_mailbox_take(void)
{
	unsigned int core = this_core();
	uint32_t bits = mmio_read32(LOCAL_MAILBOX0_CLR(core));

	mmio_write32(LOCAL_MAILBOX0_CLR(core), bits);
	return bits;
}

unsigned int intc_dispatch(void)
{
	uint32_t source = mmio_read32(LOCAL_IRQ_SOURCE(this_core()));
	unsigned int handled =
	    run_handlers(source & ((1U << LOCAL_IRQ_COUNT) - 1), local_irqs, 0, disable_local_irq);

	if (source & LOCAL_SOURCE_GPU) {
		handled += run_handlers(mmio_read32(INTC_PENDING1), gpu_irqs, 0, disable_gpu_irq);
		handled += run_handlers(mmio_read32(INTC_PENDING2), gpu_irqs, 32, disable_gpu_irq);
	}
	return handled;
}
