/*
 * Interrupt controller driver: a table of handlers indexed by line, and a
 * dispatcher that reads only what it needs. Under aVisor every register
 * read below is a trap to the hypervisor, so the dispatcher skips the
 * pending register of a bank in which nothing is enabled.
 */
#include "lib/irq.h"

#include "lib/bcm2837.h"
#include "lib/mmio.h"

#include <stddef.h>
#include <stdint.h>

#define LINES_PER_BANK 32
#define BANKS	       (IRQ_LINES / LINES_PER_BANK)

struct irq_entry {
	irq_handler_fn fn;
	void *ctx;
};

static struct irq_entry handlers[IRQ_LINES];
static uint32_t enabled[BANKS]; /* the lines this guest has enabled */

void irq_register(unsigned int line, irq_handler_fn fn, void *ctx)
{
	unsigned int bank = line / LINES_PER_BANK;
	uint32_t bit = 1U << (line % LINES_PER_BANK);

	if (line >= IRQ_LINES)
		return;
	handlers[line].fn = fn;
	handlers[line].ctx = ctx;
	enabled[bank] |= bit;
	/* Writing 1 enables that line; 0 bits leave the other lines as they are. */
	mmio_write32(IC_ENABLE(bank), bit);
}

void irq_disable_line(unsigned int line)
{
	unsigned int bank = line / LINES_PER_BANK;
	uint32_t bit = 1U << (line % LINES_PER_BANK);

	if (line >= IRQ_LINES)
		return;
	enabled[bank] &= ~bit;
	mmio_write32(IC_DISABLE(bank), bit);
}

static void dispatch_bank(unsigned int bank)
{
	uint32_t pending = mmio_read32(IC_PENDING(bank)) & enabled[bank];

	while (pending) {
		unsigned int bit = (unsigned int)__builtin_ctz(pending);
		const struct irq_entry *e = &handlers[bank * LINES_PER_BANK + bit];

		pending &= pending - 1;
		if (e->fn)
			e->fn(e->ctx);
		else
			irq_disable_line(bank * LINES_PER_BANK + bit); /* nobody to service it */
	}
}

void irq_dispatch(void)
{
	for (unsigned int bank = 0; bank < BANKS; bank++) {
		if (enabled[bank])
			dispatch_bank(bank);
	}
}
