#pragma once
/*
 * Interrupt controllers of the BCM2837 as the hypervisor drives them:
 * the BCM2835 ARM interrupt controller (GPU peripheral interrupts 0-63,
 * BCM2835 ARM Peripherals §7) chained behind the BCM2836 local interrupt
 * controller (per-core sources, QA7_rev3.4 §4), which routes the GPU
 * interrupt to core 0 by default.
 */
#include <stdint.h>

typedef void (*irq_handler_fn)(void *opaque);

void intc_init(void);
/* Registers and enables the handler of a GPU interrupt (0-63). */
void intc_register_gpu_irq(unsigned int irq, irq_handler_fn handler, void *opaque);
/* Dispatches all pending interrupts of core 0; returns how many were handled. */
unsigned int intc_dispatch(void);
