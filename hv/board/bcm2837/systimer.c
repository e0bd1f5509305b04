#include "board/bcm2837/systimer.h"
#include "board/bcm2837/intc.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#include <stddef.h>

#define ST_CS	 (SYSTIMER_BASE + 0x00) /* match flags M0-M3, write 1 to clear */
#define ST_CLO	 (SYSTIMER_BASE + 0x04)
#define ST_CHI	 (SYSTIMER_BASE + 0x08)
#define ST_C1	 (SYSTIMER_BASE + 0x10)
#define ST_CS_M1 (1U << 1)

static uint32_t tick_period_us;
static void (*tick_handler)(void);

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

static void systimer_c1_irq(void *opaque)
{
	uint32_t next = mmio_read32(ST_C1) + tick_period_us;
	uint32_t now = mmio_read32(ST_CLO);

	(void)opaque;
	mmio_write32(ST_CS, ST_CS_M1);
	/* If we fell behind (e.g. a long stop in a debugger), skip the missed ticks. */
	if ((int32_t)(next - now) <= 0)
		next = now + tick_period_us;
	mmio_write32(ST_C1, next);
	if (tick_handler)
		tick_handler();
}

void systimer_start_periodic(uint32_t period_us, void (*handler)(void))
{
	tick_period_us = period_us;
	tick_handler = handler;
	mmio_write32(ST_CS, ST_CS_M1);
	mmio_write32(ST_C1, mmio_read32(ST_CLO) + period_us);
	intc_register_gpu_irq(IRQ_SYSTIMER_1, systimer_c1_irq, NULL);
}
