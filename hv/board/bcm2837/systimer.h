#pragma once
/*
 * The BCM2835 system timer (BCM2835 ARM Peripherals §12): a free-running
 * 1 MHz 64-bit counter with four compare registers. C0 and C2 belong to the
 * VideoCore; the ARM may use C1 and C3.
 */
#include <stdint.h>

uint64_t systimer_now_us(void);
/* Starts a periodic interrupt on compare channel 1 calling `handler` every period_us. */
void systimer_start_periodic(uint32_t period_us, void (*handler)(void));
