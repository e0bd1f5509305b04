#pragma once
/*
 * Interrupt controllers of the BCM2837 as the hypervisor drives them:
 * the BCM2835 ARM interrupt controller (GPU peripheral interrupts 0-63,
 * BCM2835 ARM Peripherals §7) chained behind the BCM2836 local interrupt
 * controller (per-core sources, QA7_rev3.4 §4), which routes the GPU
 * interrupt to core 0 by default.
 */
#include <stdbool.h>
#include <stdint.h>

typedef void (*irq_handler_fn)(void *opaque);

void intc_init(void);
/* Registers and enables the handler of a GPU interrupt (0-63). */
void intc_register_gpu_irq(unsigned int irq, irq_handler_fn handler, void *opaque);
/*
 * A core's local interrupt sources (QA7 §4.10, core n IRQ source register):
 * the four generic timers of the core, then its four mailboxes. Every core
 * has its own; the handlers are shared, the enables are per core.
 */
enum local_irq {
	LOCAL_IRQ_CNTPS = 0,
	LOCAL_IRQ_CNTPNS = 1,
	LOCAL_IRQ_CNTHP = 2,
	LOCAL_IRQ_CNTV = 3,
	LOCAL_IRQ_MAILBOX0 = 4,
	LOCAL_IRQ_COUNT = 8,
};
/* Registers the handler of a local source (for every core) and enables it on this core. */
void intc_register_local_irq(enum local_irq irq, irq_handler_fn handler, void *opaque);
/* Enables or disables a local source (a timer or mailbox 0) on the calling core. */
void intc_local_irq_enable(enum local_irq irq, bool enable);

/* Mailbox 0 of another core: sets bits in it, which interrupts that core (an IPI). */
void intc_mailbox_send(unsigned int core, uint32_t bits);
/* Clears the calling core's mailbox 0 and returns the bits it held. */
uint32_t intc_mailbox_take(void);

/* Dispatches all pending interrupts of the calling core; returns how many were handled. */
unsigned int intc_dispatch(void);
