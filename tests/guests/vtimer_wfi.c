/*
 * A test guest for "WFI really waits" (issue 12): it takes its own virtual
 * timer interrupt every 2 ms and re-arms the timer in the handler by moving
 * CNTV_CVAL_EL0 — a write that does not trap — after reading its core's IRQ
 * source register to learn the cause, as any BCM2836 guest must. Then it
 * sleeps in WFI and counts the WFIs that return although nothing is
 * pending, in the two ways guests idle:
 *
 *   unmasked: PSTATE.I clear, WFI; the interrupt is taken at once when WFI
 *             wakes, so a WFI after which the handler saw no timer tick
 *             returned for nothing;
 *   masked:   PSTATE.I set, WFI, look, unmask (Linux's idle loop); a WFI
 *             after which CNTV_CTL_EL0.ISTATUS is clear returned for
 *             nothing.
 *
 * WFI wakes on a pending virtual IRQ (HCR_EL2.VI) without trapping, so a VI
 * left raised after the timer's line fell makes WFI return at once, again
 * and again, and the interrupt is taken with nothing to handle. Every
 * second it prints "vtimer_wfi: N ticks, E empty WFIs unmasked, M masked,
 * S spurious interrupts".
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
#define CNTV_CTL_ISTATUS       4UL
#define TICKS_PER_SECOND       500

static volatile unsigned int ticks, spurious;
static uint64_t period;

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	if (mmio_read32(LOCAL_CORE0_IRQ_SOURCE) & SOURCE_CNTV) {
		write_sysreg(cntv_cval_el0, read_sysreg(cntv_cval_el0) + period);
		ticks++;
	} else {
		spurious++;
	}
}

/* One WFI with IRQs unmasked: empty if the handler counted no tick. */
static unsigned int wfi_unmasked(void)
{
	unsigned int before = ticks;

	irq_unmask();
	__asm__ volatile("wfi\n\tisb" ::: "memory");
	irq_mask();
	return ticks == before;
}

/* One WFI with IRQs masked: empty if the timer's condition is not met. */
static unsigned int wfi_masked(void)
{
	unsigned int empty;

	__asm__ volatile("wfi" ::: "memory");
	empty = !(read_sysreg(cntv_ctl_el0) & CNTV_CTL_ISTATUS);
	irq_unmask();
	isb();
	irq_mask();
	return empty;
}

int main(void)
{
	unsigned int empty_unmasked = 0, empty_masked = 0;

	uart_init();
	period = read_sysreg(cntfrq_el0) / TICKS_PER_SECOND;
	console_printf("vtimer_wfi: a tick every %d us from CNTV\n", 1000000 / TICKS_PER_SECOND);
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	mmio_write32(LOCAL_CORE0_TIMER_CTRL, SOURCE_CNTV);
	write_sysreg(cntv_tval_el0, period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	for (unsigned int second = 1;; second++) {
		/* Half a second each way. */
		while (ticks < second * TICKS_PER_SECOND - TICKS_PER_SECOND / 2)
			empty_unmasked += wfi_unmasked();
		while (ticks < second * TICKS_PER_SECOND)
			empty_masked += wfi_masked();
		console_printf("vtimer_wfi: %u ticks, %u empty WFIs unmasked, %u masked, %u "
			       "spurious interrupts\n",
			       ticks, empty_unmasked, empty_masked, spurious);
	}
}
