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
 * Core 0's local interrupt sources (QA7 §4.10, core IRQ source register):
 * the four generic timers of the core, then its four mailboxes.
 */
enum local_irq {
	LOCAL_IRQ_CNTPS = 0,
	LOCAL_IRQ_CNTPNS = 1,
	LOCAL_IRQ_CNTHP = 2,
	LOCAL_IRQ_CNTV = 3,
	LOCAL_IRQ_COUNT = 8,
};
/* Registers the handler of a local source and enables it (timers only). */
void intc_register_local_irq(enum local_irq irq, irq_handler_fn handler, void *opaque);
void intc_local_irq_enable(enum local_irq irq, bool enable);

/* Dispatches all pending interrupts of core 0; returns how many were handled. */
unsigned int intc_dispatch(void);
