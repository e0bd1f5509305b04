#pragma once
/*
 * The BCM2835 system timer (BCM2835 ARM Peripherals §12): a free-running
 * 1 MHz 64-bit counter with four compare registers. C0 and C2 belong to the
 * VideoCore; the ARM may use C1 and C3.
 */
#include <stdint.h>

uint64_t systimer_now_us(void);
/* CLO alone: the low 32 bits of systimer_now_us(), with no CHI re-read loop. */
uint32_t systimer_now_us_low(void);
/*
 * A one-shot alarm on compare channel 1: `handler` runs in IRQ context once
 * the counter reaches the deadline. Setting a new deadline replaces the old;
 * SYSTIMER_NO_ALARM cancels it.
 */
#define SYSTIMER_NO_ALARM UINT64_MAX
void systimer_alarm_init(void (*handler)(void));
void systimer_alarm_set(uint64_t deadline_us);
