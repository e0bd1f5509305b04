/*
 * Interrupt latency: from the moment an interrupt source fires to the first
 * instruction of the guest's IRQ vector, in instructions.
 *
 * During these measurements VBAR_EL1 points at latency_vectors
 * (latency_vectors.S), whose IRQ entry reads CNTVCT_EL0 as its very first
 * instruction and returns to latency_wait_irq's caller with that value;
 * latency_wait_irq unmasks IRQs (PSTATE.I) and spins on a branch, so
 * nothing but the interrupt path itself lies between the two moments.
 *
 * - System timer: compare C1 ("BCM2835 ARM Peripherals" §12) matches when
 *   the 1 MHz counter CLO reaches it, which raises GPU interrupt line 1 at
 *   the ARM interrupt controller (§7.5, enable bit 1 of "Enable IRQs 1").
 *   The match happens at microsecond C, i.e. counter tick C * CNTFRQ / 1 MHz:
 *   natively QEMU derives both clocks from the same virtual clock, started
 *   at 0; under aVisor a VM's timer and counter start together on a
 *   microsecond edge (hv/core/vm.c). Either way the conversion is exact to
 *   within one counter tick.
 * - Virtual timer: CNTV_CVAL_EL0 / CNTV_CTL_EL0 (ENABLE, IMASK clear) fire
 *   when CNTVCT_EL0 reaches CVAL; the interrupt reaches the core through the
 *   BCM2836 local interrupt controller ("QA7" §4.6: core 0 timer interrupt
 *   control at 0x40000040, bit 3 = CNTV IRQ).
 *
 * Each source fires LATENCY_RUNS times, DELAY_US after being programmed;
 * the results are the average latency and the longest one (<name>_max).
 */
#include "lib/bcm2837.h"
#include "lib/boot.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/systimer.h"

#include "bench/bench.h"

#include <stdint.h>

#define LATENCY_RUNS	   1024
#define DELAY_US	   50
#define SYSTIMER_CHANNEL   1
#define LOCAL_TIMER_CTRL_0 (LOCAL_BASE + 0x40)
#define TIMER_CTRL_CNTV	   (1U << 3)
#define CNTV_CTL_ENABLE	   1UL /* CNTV_CTL_EL0.ENABLE; IMASK (bit 1) clear */

/* latency_vectors.S */
extern char latency_vectors[];
extern char exc_vectors[];
uint64_t latency_wait_irq(void);

static void use_vectors(char *table)
{
	write_sysreg(vbar_el1, (uint64_t)table);
	isb();
}

/*
 * Under aVisor, makes the scheduler look at this VM's virtual timer now: it
 * unmasks the physical CNTV interrupt it masked for the guest only on its
 * slow path (an interrupt, WFI, a yield, a slice end; at the latest 1 ms
 * later), not when the guest writes CNTV_CTL_EL0, which does not trap. A
 * yield (HVC #0, x0 = 1) with no other VM runnable returns to this VM after
 * one pass through the scheduler. Natively there is no EL2 to call.
 * (A system timer compare write needs no such help: the hypervisor re-arms
 * its alarm for it at once.)
 */
static void let_hypervisor_rearm(void)
{
	if (boot_entry_el == 1)
		(void)bench_hypercall(HC_YIELD);
}

/*
 * Sets the compare DELAY_US ahead; returns the microsecond it will match.
 * Without -icount a busy host can delay the guest past that moment: a
 * compare behind the clock would only match after CLO wraps (71 minutes),
 * so it is set again, after clearing any match of the late try.
 */
static uint64_t arm_systimer(void)
{
	uint64_t match_us;

	do {
		systimer_ack(SYSTIMER_CHANNEL);
		match_us = systimer_now() + DELAY_US;
		mmio_write32(SYSTIMER_C(SYSTIMER_CHANNEL), (uint32_t)match_us);
	} while (systimer_now() + 1 >= match_us);
	return match_us;
}

/*
 * One system timer interrupt: its latency in counter ticks. Both moments are
 * taken as the counter shows them, i.e. rounded down to a tick (16 ns at
 * 62.5 MHz): the latency of each interrupt is exact to within one tick, and
 * never negative (natively QEMU takes the interrupt at the very instruction
 * its timer expires, a latency of 0).
 */
static uint64_t systimer_once(void)
{
	uint64_t match = bench_us_to_ticks(arm_systimer());
	uint64_t entry = latency_wait_irq();

	systimer_ack(SYSTIMER_CHANNEL); /* CS.M1 cleared: the line drops */
	return entry > match ? entry - match : 0;
}

/*
 * One virtual timer interrupt: its latency in counter ticks. Disabling the timer
 * afterwards lowers its interrupt. Under aVisor the hypervisor keeps the
 * physical CNTV interrupt masked at the local controller until it sees the
 * guest's timer line low on a reschedule (docs/architecture.md), else every
 * millisecond: the yield makes it look at once, so that every run starts
 * with the interrupt unmasked.
 */
static uint64_t vtimer_once(void)
{
	uint64_t cval = bench_counter() + DELAY_US * read_sysreg(cntfrq_el0) / 1000000;
	uint64_t entry;

	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	entry = latency_wait_irq();
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	let_hypervisor_rearm(); /* the physical CNTV interrupt unmasked */
	return entry - cval;
}

static void report_latency(const char *name, const char *max_name, uint64_t (*once)(void))
{
	unsigned int n = bench_runs(LATENCY_RUNS);
	uint64_t ticks = 0, longest = 0;

	(void)once(); /* warm-up */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t t = once();

		ticks += t;
		if (t > longest)
			longest = t;
	}
	bench_print(name, bench_ticks_to_ns(ticks) * 100 / n, ticks, "ticks", n, "interrupts");
	bench_print(max_name, bench_ticks_to_ns(longest) * 100, longest, "ticks", 1, "interrupt");
}

/*
 * The virtual timer's latency alone (key 'l'): the row that can also be
 * measured while other cores run busy guests. The system timer's cannot:
 * under -icount QEMU 7.2 runs the cores in turn, and the hypervisor's
 * reprogramming of its alarm for the compare write ends this core's turn,
 * so another core runs up to the match and arm_systimer finds the compare
 * already behind the clock, every time (docs/benchmarks.md).
 */
static void vtimer_latency(void)
{
	mmio_write32(LOCAL_TIMER_CTRL_0, TIMER_CTRL_CNTV);
	report_latency("irq_vtimer", "irq_vtimer_max", vtimer_once);
	mmio_write32(LOCAL_TIMER_CTRL_0, 0);
}

void bench_vtimer_latency(void)
{
	use_vectors(latency_vectors);
	vtimer_latency();
	use_vectors(exc_vectors);
}

void bench_irq_latency(void)
{
	use_vectors(latency_vectors);

	mmio_write32(IC_ENABLE(0), 1U << IRQ_SYSTIMER_1);
	report_latency("irq_systimer", "irq_systimer_max", systimer_once);
	mmio_write32(IC_DISABLE(0), 1U << IRQ_SYSTIMER_1);

	vtimer_latency();
	use_vectors(exc_vectors);
}
