/*
 * A test guest with two vCPUs (avisor.cfg: vcpus=2). It exercises what an
 * SMP operating system needs from the hypervisor:
 *   - PSCI over HVC (docs/hypercalls.md): VERSION, CPU_ON (also with a bad
 *     CPU, a bad entry point, and for a CPU already on), AFFINITY_INFO,
 *     CPU_OFF, CPU_ON again (the CPU starts from its reset state), and at
 *     the end SYSTEM_OFF;
 *   - inter-processor interrupts through the BCM2836 local interrupt
 *     controller's mailboxes (QA7 §4.7: core n's mailbox 0 is set at
 *     0x40000080 + 16n and read/cleared at 0x400000C0 + 16n), both ways;
 *   - each vCPU's own virtual timer, routed to its own core's IRQ (QA7 §4.6,
 *     timer interrupt control 0x40000040 + 4n, bit 3 = CNTV IRQ).
 * The two vCPUs take turns (a shared `step`), so their lines never mix.
 */
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/uart.h"
#include "secondary.h"

#include <stdint.h>

#define PSCI_VERSION	      0x84000000UL
#define PSCI_CPU_OFF	      0x84000002UL
#define PSCI_CPU_ON_64	      0xc4000003UL
#define PSCI_AFFINITY_INFO_64 0xc4000004UL
#define PSCI_SYSTEM_OFF	      0x84000008UL
#define PSCI_AFFINITY_OFF     1
#define HC_YIELD	      1UL

#define LOCAL_TIMER_CTRL(core)	 (0x40000040UL + 4 * (core))
#define LOCAL_MAILBOX_CTRL(core) (0x40000050UL + 4 * (core))
#define LOCAL_IRQ_SOURCE(core)	 (0x40000060UL + 4 * (core))
#define LOCAL_MAILBOX0_SET(core) (0x40000080UL + 16 * (core))
#define LOCAL_MAILBOX0_CLR(core) (0x400000c0UL + 16 * (core))
#define SOURCE_CNTV		 (1U << 3)
#define SOURCE_MAILBOX0		 (1U << 4)
#define MAILBOX0_IRQ_ENABLE	 1U
#define CNTV_CTL_ENABLE		 1UL

#define CORES		  2
#define TIMER_TICKS	  5
#define TICKS_PER_SECOND  100
#define OUTSIDE_RAM	  0x30000000UL
#define CONTEXT_FIRST	  0x5ec0d001UL
#define CONTEXT_SECOND	  0x5ec0d002UL
#define SCTLR_MMU_ENABLED 1UL

static volatile unsigned int step;
static volatile uint32_t ipi_value[CORES];
static volatile unsigned int timer_ticks[CORES];
static uint64_t timer_period;

static int64_t hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

static unsigned int this_core(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}

/* Both vCPUs' IRQs: a mailbox (IPI) or the core's own virtual timer. */
static void on_irq(struct trap_frame *tf)
{
	unsigned int core = this_core();
	uint32_t source = mmio_read32(LOCAL_IRQ_SOURCE(core));

	(void)tf;
	if (source & SOURCE_MAILBOX0) {
		uint32_t value = mmio_read32(LOCAL_MAILBOX0_CLR(core));

		mmio_write32(LOCAL_MAILBOX0_CLR(core), value);
		ipi_value[core] |= value;
	}
	if (source & SOURCE_CNTV) {
		write_sysreg(cntv_cval_el0, read_sysreg(cntv_cval_el0) + timer_period);
		timer_ticks[core]++;
	}
}

/*
 * IRQs stay masked from reset on: wait_for_interrupt() takes them one at a
 * time. Checking `step` with IRQs unmasked would race: an IPI taken between
 * the check and the WFI would leave the vCPU asleep for good (the IPI is
 * one-shot), a guest bug no hypervisor can mend.
 */
static void wait_until_step(unsigned int wanted)
{
	while (step != wanted)
		wait_for_interrupt();
}

/* Counts TIMER_TICKS ticks of this core's virtual timer. */
static void count_timer_ticks(unsigned int core)
{
	uint64_t start = read_sysreg(cntvct_el0);

	mmio_write32(LOCAL_TIMER_CTRL(core), SOURCE_CNTV);
	write_sysreg(cntv_cval_el0, start + timer_period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	while (timer_ticks[core] < TIMER_TICKS)
		wait_for_interrupt();
	write_sysreg(cntv_ctl_el0, 0);
	console_printf("smp: cpu%u counted %u timer ticks in %lu ms\n", core, timer_ticks[core],
		       (read_sysreg(cntvct_el0) - start) * 1000 / read_sysreg(cntfrq_el0));
}

void secondary_main(uint64_t context)
{
	unsigned int core = this_core();

	console_printf("smp: cpu%u up: MPIDR 0x%lx, context 0x%lx, MMU %s\n", core,
		       read_sysreg(mpidr_el1), context,
		       read_sysreg(sctlr_el1) & SCTLR_MMU_ENABLED ? "on" : "off");
	if (context == CONTEXT_FIRST) {
		mmio_write32(LOCAL_MAILBOX_CTRL(core), MAILBOX0_IRQ_ENABLE);
		step = 1;
		mmio_write32(LOCAL_MAILBOX0_SET(0), 1U << core);
		wait_until_step(2);
		while (!ipi_value[core])
			wait_for_interrupt();
		console_printf("smp: cpu%u got an IPI from cpu0 (mailbox 0x%x)\n", core,
			       ipi_value[core]);
		count_timer_ticks(core);
	}
	console_printf("smp: cpu%u calls CPU_OFF\n", core);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	console_printf("smp: CPU_OFF returned\n");
}

static void wait_until_cpu1_off(void)
{
	while (hvc(PSCI_AFFINITY_INFO_64, 1, 0, 0) != PSCI_AFFINITY_OFF)
		hvc(HC_YIELD, 0, 0, 0);
	console_printf("smp: cpu1 is off\n");
}

static void cpu_on_errors(void)
{
	uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;

	console_printf("smp: CPU_ON cpu4 -> %ld\n", hvc(PSCI_CPU_ON_64, 4, entry, 0));
	console_printf("smp: CPU_ON outside RAM -> %ld\n", hvc(PSCI_CPU_ON_64, 1, OUTSIDE_RAM, 0));
	console_printf("smp: AFFINITY_INFO cpu1 -> %ld\n", hvc(PSCI_AFFINITY_INFO_64, 1, 0, 0));
}

int main(void)
{
	uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
	int64_t first, again;

	uart_init();
	timer_period = read_sysreg(cntfrq_el0) / TICKS_PER_SECOND;
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	console_printf("smp: PSCI version 0x%lx\n", hvc(PSCI_VERSION, 0, 0, 0));
	cpu_on_errors();

	mmio_write32(LOCAL_MAILBOX_CTRL(0), MAILBOX0_IRQ_ENABLE);
	/* cpu1 may print as soon as it is on: report after it has had its turn. */
	first = hvc(PSCI_CPU_ON_64, 1, entry, CONTEXT_FIRST);
	again = hvc(PSCI_CPU_ON_64, 1, entry, CONTEXT_FIRST);
	wait_until_step(1);
	console_printf("smp: CPU_ON cpu1 -> %ld, again -> %ld\n", first, again);
	while (!ipi_value[0])
		wait_for_interrupt();
	console_printf("smp: cpu0 got an IPI from cpu1 (mailbox 0x%x)\n", ipi_value[0]);
	step = 2;
	mmio_write32(LOCAL_MAILBOX0_SET(1), 1U << 0);
	wait_until_cpu1_off();

	first = hvc(PSCI_CPU_ON_64, 1, entry, CONTEXT_SECOND);
	wait_until_cpu1_off();
	console_printf("smp: CPU_ON cpu1 -> %ld\n", first);
	count_timer_ticks(0);
	console_printf("smp: done, SYSTEM_OFF\n");
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	console_printf("smp: SYSTEM_OFF returned\n");
	for (;;)
		wait_for_interrupt();
}
