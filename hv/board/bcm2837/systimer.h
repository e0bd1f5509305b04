#pragma once
/*
 * The BCM2835 system timer (BCM2835 ARM Peripherals §12): a free-running
 * 1 MHz 64-bit counter with four compare registers. The hypervisor only
 * reads the counter: its alarms are each core's EL2 timer (board.c); the
 * compares are left to the VideoCore (C0, C2) and the guests' models.
 */
#include <stdint.h>

uint64_t systimer_now_us(void);
/* CLO alone: the low 32 bits of systimer_now_us(), with no CHI re-read loop. */
uint32_t systimer_now_us_low(void);
