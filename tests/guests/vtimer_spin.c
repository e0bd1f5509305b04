/*
 * A guest that lowers its virtual timer's line without a trap: its IRQ
 * handler reads the interrupt source register (an emulated access, as every
 * Pi OS makes to find the source) and only then moves CNTV_CVAL_EL0 one
 * period on, which lowers the line; its main loop spins with IRQs on. The
 * hypervisor masks the physical CNTV interrupt when it fires and cannot see
 * the CVAL write (ARMv8.0 does not trap it), and no trap follows: only its
 * re-check alarm can notice that the line fell and unmask the interrupt for
 * the next tick (docs/architecture.md). Without it, the second tick would
 * never come.
 *
 * Then it goes on ticking while it reads the system timer's counter in a
 * loop, a trap each time: the first trap after its handler finds the line
 * low and unmasks the interrupt, so each tick costs one exit, with no
 * re-check alarm (the test compares the VM's interrupt exits with its
 * ticks).
 */
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/irq.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/systimer.h"
#include "lib/uart.h"

#include <stdint.h>

#define LOCAL_CORE0_TIMER_CTRL 0x40000040UL
#define LOCAL_CORE0_IRQ_SOURCE 0x40000060UL
#define SOURCE_CNTV	       (1U << 3) /* in both registers (QA7 §4.6, §4.10) */
#define CNTV_CTL_ENABLE	       1UL
#define PERIOD_MS	       20
#define TICKS		       10

static volatile unsigned int ticks;
static uint64_t period;

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	if (!(mmio_read32(LOCAL_CORE0_IRQ_SOURCE) & SOURCE_CNTV))
		return;
	write_sysreg(cntv_cval_el0, read_sysreg(cntv_cval_el0) + period);
	ticks++;
}

static uint64_t ms_since(uint64_t start)
{
	return (read_sysreg(cntvct_el0) - start) * 1000 / read_sysreg(cntfrq_el0);
}

int main(void)
{
	uint64_t start;

	uart_init();
	period = read_sysreg(cntfrq_el0) / (1000 / PERIOD_MS);
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	mmio_write32(LOCAL_CORE0_TIMER_CTRL, SOURCE_CNTV);
	console_printf("vtimer_spin: a tick every %d ms, spinning without traps\n", PERIOD_MS);
	start = read_sysreg(cntvct_el0);
	write_sysreg(cntv_cval_el0, start + period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	irq_unmask();
	/* No trap but the handler's source read until TICKS ticks came, or ten times their time. */
	while (ticks < TICKS && ms_since(start) < 10 * TICKS * PERIOD_MS)
		__asm__ volatile("" ::: "memory");
	console_printf("vtimer_spin: %u ticks in %lu ms\n", ticks, (unsigned long)ms_since(start));
	for (unsigned int reported = ticks;;) {
		(void)systimer_now(); /* an emulated read: a trap */
		if (ticks - reported >= 1000 / PERIOD_MS) {
			reported = ticks;
			console_printf("vtimer_spin: %u ticks, trapping\n", reported);
		}
	}
}
