/*
 * A test guest for the EL1 virtual timer (CNTV): it programs CNTV_TVAL_EL0
 * directly (no trap), routes the timer to IRQ in the local interrupt
 * controller (QA7 §4.6, core 0 timers interrupt control, bit 3 = CNTV IRQ),
 * sleeps in WFI and counts ticks in its IRQ handler. Under aVisor the
 * physical timer interrupt reaches EL2, which injects it into this VM.
 */
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

#include <stdint.h>

#define LOCAL_CORE0_TIMER_CTRL 0x40000040UL
#define LOCAL_CORE0_IRQ_SOURCE 0x40000060UL
#define SOURCE_CNTV	       (1U << 3)
#define CNTV_CTL_ENABLE	       1UL
#define TICKS_PER_SECOND       10

static volatile unsigned int ticks;
static uint64_t period;

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	if (mmio_read32(LOCAL_CORE0_IRQ_SOURCE) & SOURCE_CNTV) {
		/*
		 * Moving the compare value one period on ends the interrupt
		 * condition (ISTATUS) and keeps the ticks free of drift.
		 */
		write_sysreg(cntv_cval_el0, read_sysreg(cntv_cval_el0) + period);
		ticks++;
	}
}

int main(void)
{
	uint64_t start;
	unsigned int seen = 0;

	uart_init();
	period = read_sysreg(cntfrq_el0) / TICKS_PER_SECOND;
	console_printf("vtimer: CNTFRQ %lu Hz, a tick every %d ms from CNTV\n",
		       read_sysreg(cntfrq_el0), 1000 / TICKS_PER_SECOND);
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	mmio_write32(LOCAL_CORE0_TIMER_CTRL, SOURCE_CNTV);
	start = read_sysreg(cntvct_el0);
	write_sysreg(cntv_tval_el0, period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	irq_unmask();
	for (;;) {
		wait_for_interrupt();
		if (ticks / TICKS_PER_SECOND != seen) {
			seen = ticks / TICKS_PER_SECOND;
			console_printf("vtimer: %u ticks after %lu ms of virtual time\n", ticks,
				       (read_sysreg(cntvct_el0) - start) * 1000 /
					   read_sysreg(cntfrq_el0));
		}
	}
}
