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

/* The compare registers are 32 bits: a far deadline is reached in steps. */
#define MAX_STEP_US 0x40000000U
/* Closer than this, the counter may pass the compare value before it is written. */
#define MIN_STEP_US 2U

static void (*alarm_handler)(void);
static uint64_t alarm_deadline = SYSTIMER_NO_ALARM;

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

/*
 * Programs C1 for the deadline, or for an intermediate step towards it. The
 * compare matches only when CLO becomes equal to C1: if CLO has already
 * passed the value by the time the write lands, the match would come only
 * after the counter wraps, 71 minutes later. So check after writing, and
 * try again further ahead until the compare is safely in the future (or
 * has matched).
 */
static void program_compare(void)
{
	uint32_t margin = MIN_STEP_US;

	if (alarm_deadline == SYSTIMER_NO_ALARM)
		return;
	for (;;) {
		uint64_t now = systimer_now_us();
		uint64_t delta = alarm_deadline > now ? alarm_deadline - now : 0;
		uint32_t target;

		if (delta > MAX_STEP_US)
			delta = MAX_STEP_US;
		if (delta < margin)
			delta = margin;
		target = (uint32_t)(now + delta);
		mmio_write32(ST_C1, target);
		if ((int32_t)(target - mmio_read32(ST_CLO)) > 0 || (mmio_read32(ST_CS) & ST_CS_M1))
			return;
		margin *= 2;
	}
}

static void systimer_c1_irq(void *opaque)
{
	(void)opaque;
	mmio_write32(ST_CS, ST_CS_M1);
	if (alarm_deadline != SYSTIMER_NO_ALARM && systimer_now_us() >= alarm_deadline) {
		alarm_deadline = SYSTIMER_NO_ALARM;
		if (alarm_handler)
			alarm_handler();
		return;
	}
	program_compare();
}

void systimer_alarm_init(void (*handler)(void))
{
	alarm_handler = handler;
	mmio_write32(ST_CS, ST_CS_M1);
	intc_register_gpu_irq(IRQ_SYSTIMER_1, systimer_c1_irq, NULL);
}

void systimer_alarm_set(uint64_t deadline_us)
{
	alarm_deadline = deadline_us;
	program_compare();
}
