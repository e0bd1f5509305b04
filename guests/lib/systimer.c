/*
 * System timer driver (registers in lib/bcm2837.h).
 */
#include "lib/systimer.h"

#include "lib/bcm2837.h"
#include "lib/mmio.h"

uint64_t systimer_now(void)
{
	uint32_t hi, lo;

	/* CHI and CLO are two reads; retry if CLO wrapped in between. */
	do {
		hi = mmio_read32(SYSTIMER_CHI);
		lo = mmio_read32(SYSTIMER_CLO);
	} while (mmio_read32(SYSTIMER_CHI) != hi);
	return ((uint64_t)hi << 32) | lo;
}

bool systimer_matched(unsigned int channel)
{
	return (mmio_read32(SYSTIMER_CS) >> channel) & 1;
}

void systimer_ack(unsigned int channel)
{
	mmio_write32(SYSTIMER_CS, 1U << channel);
}

uint32_t systimer_next_period(unsigned int channel, uint32_t deadline, uint32_t period_us)
{
	uint32_t now = mmio_read32(SYSTIMER_CLO);
	uint32_t next = deadline + period_us;

	/* Signed difference: correct across the 32-bit wrap of CLO. */
	if ((int32_t)(next - now) <= 0)
		next = now + period_us;
	mmio_write32(SYSTIMER_C(channel), next);
	return next;
}

void systimer_delay_us(uint32_t us)
{
	uint32_t start = mmio_read32(SYSTIMER_CLO);

	while (mmio_read32(SYSTIMER_CLO) - start < us)
		;
}
