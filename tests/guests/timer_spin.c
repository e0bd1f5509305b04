/*
 * A guest that never traps while it waits: it arms system timer compare 3
 * (BCM2835 ARM Peripherals §12) 100 ms ahead, unmasks IRQs and spins. The
 * hypervisor must notice the compare write itself (it is an emulated MMIO
 * write) and wake up for the match, even when this VM is alone on the core
 * and nothing else would make the scheduler look again.
 */
#include "lib/bcm2837.h"
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/irq.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/systimer.h"
#include "lib/uart.h"

#include <stdint.h>

#define CHANNEL	  3
#define PERIOD_US 100000U
#define TICKS	  5

static volatile unsigned int ticks;
static uint32_t deadline;

static void on_match(void *ctx)
{
	(void)ctx;
	systimer_ack(CHANNEL);
	ticks++;
	if (ticks < TICKS) {
		deadline = systimer_next_period(CHANNEL, deadline, PERIOD_US);
	}
}

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	irq_dispatch();
}

int main(void)
{
	uint64_t start;

	uart_init();
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	irq_register(IRQ_SYSTIMER_3, on_match, 0);
	start = systimer_now();
	deadline = (uint32_t)start + PERIOD_US;
	mmio_write32(SYSTIMER_C(CHANNEL), deadline);
	console_printf("timer_spin: compare 3 armed, spinning with IRQs on\n");
	irq_unmask();
	while (ticks < TICKS)
		__asm__ volatile("" ::: "memory");
	console_printf("timer_spin: %u matches in %lu ms\n", ticks,
		       (unsigned long)((systimer_now() - start) / 1000));
	for (;;)
		__asm__ volatile("" ::: "memory");
}
