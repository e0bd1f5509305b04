/*
 * A test guest for "no lost wake-up" (issue 12): it sleeps in WFI on system
 * timer matches, alternately on compare 1 and compare 3 (BCM2835 ARM
 * Peripherals §12), one tick (10 ms) at a time, and measures how late each
 * wake-up is.
 *
 * It arms each sleep the way a periodic tick does: read CLO, do some work
 * (0.5 ms here, timed with the virtual counter, which does not trap), then
 * write Cn = the CLO value read + one tick. Natively the write always lands
 * before the deadline. Under a hypervisor the VM can be descheduled in the
 * middle (run it with a short slice next to a busy VM), so the deadline can
 * pass before the write lands; on the chip the match would then come only
 * after the 32-bit counter wraps, 71 minutes later, and the guest would
 * sleep that long. aVisor must wake it at once instead.
 *
 * Every 100 sleeps it prints
 * "sleeper: N sleeps, latest M us late at most, K over 2 ticks".
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

#define TICK_US	     10000U
#define WORK_US	     500U
#define REPORT_EVERY 100U

static volatile uint32_t woke_at;
static volatile unsigned int woken;

static void on_match(void *ctx)
{
	unsigned int channel = (unsigned int)(uintptr_t)ctx;

	woke_at = mmio_read32(SYSTIMER_CLO);
	systimer_ack(channel);
	woken++;
}

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	irq_dispatch();
}

/* Busy work that does not touch a trapping register: CNTVCT_EL0 is read directly. */
static void work(uint32_t us)
{
	uint64_t ticks = read_sysreg(cntfrq_el0) / 1000000 * us;
	uint64_t start = read_sysreg(cntvct_el0);

	while (read_sysreg(cntvct_el0) - start < ticks)
		;
}

/* One tick's sleep on `channel`; returns how late the wake-up was, in us. */
static uint32_t sleep_one_tick(unsigned int channel)
{
	unsigned int before = woken;
	uint32_t deadline = mmio_read32(SYSTIMER_CLO) + TICK_US;

	work(WORK_US);
	mmio_write32(SYSTIMER_C(channel), deadline);
	while (woken == before)
		wait_for_interrupt();
	return woke_at - deadline;
}

int main(void)
{
	uint32_t worst = 0;
	unsigned int over = 0;

	uart_init();
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	irq_register(IRQ_SYSTIMER_1, on_match, (void *)1);
	irq_register(IRQ_SYSTIMER_3, on_match, (void *)3);
	console_printf("sleeper: sleeping %u us at a time on compares 1 and 3\n", TICK_US);
	for (unsigned int n = 1;; n++) {
		uint32_t late = sleep_one_tick(n % 2 ? 1 : 3);

		if (late > worst)
			worst = late;
		if (late > 2 * TICK_US)
			over++;
		if (n % REPORT_EVERY == 0)
			console_printf("sleeper: %u sleeps, %u us late at most, %u over 2 ticks\n",
				       n, worst, over);
	}
}
