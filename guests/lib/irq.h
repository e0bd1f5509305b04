#pragma once
/*
 * The BCM2835 ARM interrupt controller ("BCM2835 ARM Peripherals" §7):
 * 64 "GPU" interrupt lines, each with an enable bit and a pending bit, all
 * level-triggered (a line stays pending until the device is serviced).
 *
 * On the BCM2837 these lines reach the cores through the BCM2836 local
 * interrupt controller at 0x40000000, which routes all of them to core 0
 * after reset (QA7 rev 3.4, "GPU interrupts routing"); core 0 then sees an
 * ordinary IRQ. The guests leave that routing alone.
 */

typedef void (*irq_handler_fn)(void *ctx);

/* Installs the handler of a GPU interrupt line (0..63) and enables the line. */
void irq_register(unsigned int line, irq_handler_fn fn, void *ctx);

/* Disables a line at the interrupt controller (its handler stays installed). */
void irq_disable_line(unsigned int line);

/* Calls the handler of every enabled line that is pending; called on an IRQ exception. */
void irq_dispatch(void);
