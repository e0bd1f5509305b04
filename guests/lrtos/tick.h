#pragma once
/*
 * The scheduler's clock: system timer compare channel 3 (GPU interrupt
 * line 3) raising an interrupt every TICK_MS milliseconds.
 */
#include <stdint.h>

#define TICK_MS 10

void tick_start(void);

/* Ticks to sleep for ms milliseconds, rounded up. */
uint64_t tick_from_ms(uint64_t ms);
