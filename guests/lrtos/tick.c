/*
 * Timer tick. Channel 3 of the system timer is free for the ARM: the
 * VideoCore firmware uses channels 0 and 2 ("BCM2835 ARM Peripherals" §12).
 */
#include "lrtos/tick.h"

#include "lib/bcm2837.h"
#include "lib/irq.h"
#include "lib/systimer.h"
#include "lrtos/proc.h"

#include <stddef.h>

#define TICK_CHANNEL 3
#define TICK_US	     (TICK_MS * 1000U)

static uint32_t deadline;

static void tick_irq(void *ctx)
{
	(void)ctx;
	/* The line may have been serviced already (the dispatcher can call us late). */
	if (!systimer_matched(TICK_CHANNEL))
		return;
	systimer_ack(TICK_CHANNEL);
	deadline = systimer_next_period(TICK_CHANNEL, deadline, TICK_US);
	sched_tick(); /* may switch to another process and come back much later */
}

void tick_start(void)
{
	deadline = (uint32_t)systimer_now();
	deadline = systimer_next_period(TICK_CHANNEL, deadline, TICK_US);
	irq_register(IRQ_SYSTIMER_3, tick_irq, NULL);
}

uint64_t tick_from_ms(uint64_t ms)
{
	if (ms > UINT32_MAX)
		ms = UINT32_MAX; /* about 50 days is forever enough */
	return (ms + TICK_MS - 1) / TICK_MS;
}
