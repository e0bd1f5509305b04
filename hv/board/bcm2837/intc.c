#include "board/bcm2837/intc.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#include <stddef.h>

#define INTC_PENDING1	   (INTC_BASE + 0x04)
#define INTC_PENDING2	   (INTC_BASE + 0x08)
#define INTC_ENABLE1	   (INTC_BASE + 0x10)
#define INTC_DISABLE1	   (INTC_BASE + 0x1c)
#define INTC_DISABLE_BASIC (INTC_BASE + 0x24)

/* BCM2836 local controller (QA7 §4): core 0's timer interrupt control and IRQ source. */
#define LOCAL_CORE0_TIMER_CTRL (LOCAL_BASE + 0x40)
#define LOCAL_CORE0_IRQ_SOURCE (LOCAL_BASE + 0x60)
#define LOCAL_SOURCE_GPU       (1U << 8)

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

	if (irq > LOCAL_IRQ_CNTV)
		return;
	ctrl = mmio_read32(LOCAL_CORE0_TIMER_CTRL);
	/* Bits 0-3 route the core's timers to IRQ; bits 4-7 (to FIQ) stay clear. */
	ctrl = enable ? (ctrl | (1U << irq)) : (ctrl & ~(1U << irq));
	mmio_write32(LOCAL_CORE0_TIMER_CTRL, ctrl);
}

void intc_register_local_irq(enum local_irq irq, irq_handler_fn handler, void *opaque)
{
	if (irq >= LOCAL_IRQ_COUNT)
		return;
	local_irqs[irq].handler = handler;
	local_irqs[irq].opaque = opaque;
	intc_local_irq_enable(irq, true);
}

/* Runs the handler of every pending interrupt in one 32-bit pending register. */
static unsigned int dispatch_bank(uint32_t pending, unsigned int first_irq)
{
	unsigned int handled = 0;

	while (pending) {
		unsigned int bit = (unsigned int)__builtin_ctz(pending);
		struct irq_slot *slot = &gpu_irqs[first_irq + bit];

		pending &= pending - 1;
		if (slot->handler) {
			slot->handler(slot->opaque);
			handled++;
		} else {
			/* Nobody owns it: disable it so it cannot storm. */
			mmio_write32(INTC_DISABLE1 + 4 * ((first_irq + bit) / 32), 1U << bit);
		}
	}
	return handled;
}

static unsigned int dispatch_local(uint32_t source)
{
	unsigned int handled = 0;

	for (unsigned int irq = 0; irq < LOCAL_IRQ_COUNT; irq++) {
		if (!(source & (1U << irq)))
			continue;
		if (local_irqs[irq].handler) {
			local_irqs[irq].handler(local_irqs[irq].opaque);
			handled++;
		} else {
			intc_local_irq_enable((enum local_irq)irq, false);
		}
	}
	return handled;
}

unsigned int intc_dispatch(void)
{
	uint32_t source = mmio_read32(LOCAL_CORE0_IRQ_SOURCE);
	unsigned int handled = dispatch_local(source & 0xff);

	if (source & LOCAL_SOURCE_GPU) {
		handled += dispatch_bank(mmio_read32(INTC_PENDING1), 0);
		handled += dispatch_bank(mmio_read32(INTC_PENDING2), 32);
	}
	return handled;
}
