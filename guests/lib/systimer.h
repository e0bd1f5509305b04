#pragma once
/*
 * The BCM2835 system timer ("BCM2835 ARM Peripherals" §12): a 64-bit
 * counter running at 1 MHz and four 32-bit compare registers C0..C3. When
 * the low 32 bits of the counter equal Cn, bit n of CS is set and GPU
 * interrupt line n is raised until software writes 1 to that bit of CS.
 * C0 and C2 are used by the VideoCore firmware; guests use C1 or C3.
 */
#include <stdbool.h>
#include <stdint.h>

/* The free-running counter, CHI:CLO, in microseconds. */
uint64_t systimer_now(void);

/* True if compare channel n has matched and not been acknowledged (CS.Mn). */
bool systimer_matched(unsigned int channel);

/* Clears CS.Mn, which drops the interrupt line. */
void systimer_ack(unsigned int channel);

/*
 * Programs channel n for the next period of a periodic tick and returns the
 * new deadline. Deadlines advance by exactly period_us so ticks do not drift;
 * if the guest has fallen behind (the next deadline would already be past),
 * it is moved to period_us from now, because a compare value in the past
 * would only match after the 32-bit counter wraps, 71 minutes later.
 */
uint32_t systimer_next_period(unsigned int channel, uint32_t deadline, uint32_t period_us);

/* Busy-waits for us microseconds. */
void systimer_delay_us(uint32_t us);
