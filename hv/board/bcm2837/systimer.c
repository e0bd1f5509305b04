#include "board/bcm2837/systimer.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#include <stddef.h>

#define ST_CLO (SYSTIMER_BASE + 0x04)
#define ST_CHI (SYSTIMER_BASE + 0x08)

uint64_t systimer_now_us(void)
{
	/* CHI may tick between the two reads: re-read until it is stable. */
	uint32_t hi, lo;

	do {
		hi = mmio_read32(ST_CHI);
		lo = mmio_read32(ST_CLO);
	} while (hi != mmio_read32(ST_CHI));
	return ((uint64_t)hi << 32) | lo;
}

uint32_t systimer_now_us_low(void)
{
	return mmio_read32(ST_CLO);
}
